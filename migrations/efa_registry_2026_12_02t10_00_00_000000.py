"""rollout_change: the transactions that changed what the cached rollout reads show.

The matrix, the Land overview and the OZG-Leistung reads are cached per process and checked
against a fingerprint on every request. That fingerprint summed ``xmin`` over five tables (3.9 ms
per request with 600 solutions). Instead, a statement-level trigger on those tables leaves the
writing transaction's id here, once per transaction (``ON CONFLICT DO NOTHING``): append-only,
keyed by the writer's own id, so writers never wait for one another (a shared counter row would
serialise every adoption write until it commits). A reader's fingerprint is the newest id below its
snapshot's xmin plus the ids at or above it that its snapshot sees: two index probes
(``efa_registry.rollout.summary_repository.fingerprint``). Rows below the newest one under every
snapshot's xmin say nothing any more; ``summary_repository.prune_changes`` drops them (``rebuild_all``
and every 1,000th miss of a process's rollout cache call it).
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-02T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "rollout_change: writing transactions of the cached rollout reads' tables"

TABLES = ("rollout_solution_land", "rollout_ozg_land", "solution", "solution_ozg_leistung", "ozg_leistung")

STATEMENTS = [
    "CREATE TABLE rollout_change (tx_id xid8 PRIMARY KEY DEFAULT pg_current_xact_id())",
    """CREATE FUNCTION note_rollout_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollout_change (tx_id) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$""",
    *(f"CREATE TRIGGER {table}_noted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
      " FOR EACH STATEMENT EXECUTE FUNCTION note_rollout_change()" for table in TABLES),
    # Every table starts out "changed": a reader's first fingerprint differs from any cached one.
    "INSERT INTO rollout_change DEFAULT VALUES",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
