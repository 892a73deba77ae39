"""leika_entry: the name as a hit's snippet compares it, and an index that reads an OZG-Leistung's
entries in key order without touching the table.

An OZG search shows, with every hit, the LeiKa names holding a query word's stem. It lowered and
folded every entry's name per hit and per request (``translate``/``replace`` over up to 50
entries): a third of the statement. ``name_folded`` is that text, written once with the row;
PostgreSQL's German stems carry no umlauts and no ß, so neither does it. The index
``(ozg_leistung, leika_key) INCLUDE (name, name_folded)`` gives the keys, the names and the
folded names of one OZG-Leistung in key order from the index alone (no sort, no heap); it
replaces ``leika_entry_ozg_idx``, which was its prefix. Backups leave the generated column out
(``transfer.catalog`` reads only columns that are not generated).
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-04T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "leika_entry.name_folded and an index of an OZG-Leistung's entries in key order"

STATEMENTS = [
    "ALTER TABLE leika_entry ADD COLUMN name_folded text"
    " GENERATED ALWAYS AS (replace(translate(lower(name), 'äöü', 'aou'), 'ß', 'ss')) STORED",
    "CREATE INDEX leika_entry_ozg_key_idx ON leika_entry (ozg_leistung, leika_key) INCLUDE (name, name_folded)",
    "DROP INDEX leika_entry_ozg_idx",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
