"""ozg_leistung.leika_keys and leika_names: an OZG-Leistung's LeiKa entries in key order, kept on
its row by triggers.

Every listing and search read them per row: a subquery per OZG-Leistung for the keys (fifty per
page of the list) and, in a search, a second pass over each hit's entries for the names its
snippet may come from. They change only when a LeiKa entry is written (a catalogue import), so
statement triggers on ``leika_entry`` recompute the arrays of the OZG-Leistungen a statement
touched, from its transition tables (PostgreSQL allows them on one event per trigger, hence three
triggers on one function). Backups leave both columns out (``transfer.catalog``); the restore's
inserts into ``leika_entry`` write them again.
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-04T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ozg_leistung.leika_keys and leika_names, kept by triggers on leika_entry"

RECOMPUTE = """
        UPDATE ozg_leistung o SET leika_keys = k.keys, leika_names = k.names
        FROM (SELECT a.id,
                     coalesce(array_agg(e.leika_key::text ORDER BY e.leika_key) FILTER (WHERE e.leika_key IS NOT NULL),
                              ARRAY[]::text[]) AS keys,
                     coalesce(array_agg(e.name::text ORDER BY e.leika_key) FILTER (WHERE e.leika_key IS NOT NULL),
                              ARRAY[]::text[]) AS names
              FROM (SELECT DISTINCT ozg_leistung AS id FROM {changed} WHERE ozg_leistung IS NOT NULL) a
              LEFT JOIN leika_entry e ON e.ozg_leistung = a.id GROUP BY a.id) k
        WHERE o.ozg_id = k.id AND (o.leika_keys, o.leika_names) IS DISTINCT FROM (k.keys, k.names);"""

STATEMENTS = [
    "ALTER TABLE ozg_leistung ADD COLUMN leika_keys text[] NOT NULL DEFAULT ARRAY[]::text[],"
    " ADD COLUMN leika_names text[] NOT NULL DEFAULT ARRAY[]::text[]",
    f"""CREATE FUNCTION leika_of_ozg_leistung() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN{RECOMPUTE.format(changed="new_rows")}
    ELSIF TG_OP = 'DELETE' THEN{RECOMPUTE.format(changed="old_rows")}
    ELSE{RECOMPUTE.format(changed="(SELECT ozg_leistung FROM new_rows UNION SELECT ozg_leistung FROM old_rows) c")}
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER leika_entry_inserted AFTER INSERT ON leika_entry REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION leika_of_ozg_leistung()",
    "CREATE TRIGGER leika_entry_updated AFTER UPDATE ON leika_entry REFERENCING OLD TABLE AS old_rows"
    " NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION leika_of_ozg_leistung()",
    "CREATE TRIGGER leika_entry_deleted AFTER DELETE ON leika_entry REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION leika_of_ozg_leistung()",
    # The entries written before.
    "UPDATE leika_entry SET ozg_leistung = ozg_leistung WHERE ozg_leistung IS NOT NULL",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
