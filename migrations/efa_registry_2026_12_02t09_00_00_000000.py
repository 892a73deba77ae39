"""Search documents written by Python, and a change log that tells each process when its
vocabulary is stale (issue 12).

- ``ozg_leistung.search_vector`` was generated from the name alone; PostgreSQL's stemmer splits
  no German compounds and knows no LeiKa wording, so the column becomes a plain one that the
  writers fill from ``efa_registry.search.documents`` (name, LeiKa names, Lagen, weighted).
  Until that has happened once, the name alone stands in, as before.
- ``search_change``: every statement that writes a text the search vocabularies are built from
  leaves (scope, transaction id). Append-only, keyed by the writer's own transaction, so writers
  never wait for one another (a shared counter row would be locked by every writer until it
  commits, and deadlock a catalogue import against a solution write). A process compares the
  newest id and the count of recent ids with what it saw when it built its vocabulary.
- ``search_reindex``: a row says the documents of a scope were built by older code and must be
  rebuilt by the current one (``efa_registry.search.reindex``); set here for the rows that exist.
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-02T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "search documents filled from Python; search_change and search_reindex"

TRACKED = {  # table → the vocabulary scope its texts belong to
    "ozg_leistung": "catalogue", "leika_entry": "catalogue", "lage": "catalogue", "themenfeld": "catalogue",
    "solution": "solutions", "interface": "solutions", "organisation": "solutions",
    "area": "areas",
}

STATEMENTS = [
    "ALTER TABLE ozg_leistung DROP COLUMN search_vector",
    "ALTER TABLE ozg_leistung ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "UPDATE ozg_leistung SET search_vector = setweight(to_tsvector('german', name), 'A')",
    "CREATE INDEX ozg_leistung_search_idx ON ozg_leistung USING gin (search_vector)",
    """CREATE TABLE search_change (
        scope varchar(20) NOT NULL,
        xid xid8 NOT NULL,
        PRIMARY KEY (scope, xid)
    )""",
    """CREATE FUNCTION note_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_change (scope, xid) VALUES (TG_ARGV[0], pg_current_xact_id())
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    *(f"CREATE TRIGGER {table}_search_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
      f" FOR EACH STATEMENT EXECUTE FUNCTION note_search_change('{scope}')" for table, scope in TRACKED.items()),
    """CREATE TABLE search_reindex (
        scope varchar(20) PRIMARY KEY,
        reason text NOT NULL
    )""",
    "INSERT INTO search_reindex SELECT 'catalogue', 'documents of the OZG-Leistungen held the name only'"
    " WHERE EXISTS (SELECT 1 FROM ozg_leistung)",
    "INSERT INTO search_reindex SELECT 'solutions', 'documents of the solutions knew no compounds'"
    " WHERE EXISTS (SELECT 1 FROM solution)",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
