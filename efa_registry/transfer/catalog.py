"""The database catalog as backup and restore read it: the registry's tables in foreign-key order
with their columns, and the sequences with their values."""

from __future__ import annotations

import asyncpg

from efa_registry.errors import Conflict

# Piccolo's bookkeeping, land_count, which a trigger on area rebuilds while area is restored, the
# curation sessions (a restored registry starts signed out), and the change logs the rollout
# fingerprints and the search vocabularies read (writer transaction ids, meaningless in another
# database; the restore's own writes fill them).
NOT_BACKED_UP = ("migration", "land_count", "web_session", "rollout_change", "search_change")
TABLES = f"""
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname NOT IN {NOT_BACKED_UP} ORDER BY c.relname
"""
FOREIGN_KEYS = """
SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint k
JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
JOIN pg_namespace n ON n.oid = child.relnamespace WHERE k.contype = 'f' AND n.nspname = 'public'
"""
# Generated columns are computed again on load; COPY refuses them as input anyway. The derived
# columns a trigger writes (the events' feed envelopes on every insert, an OZG-Leistung's LeiKa
# keys and names on every write of its entries) are written again too.
DERIVED_COLUMNS = (("event", "wire"), ("event", "wire_public"),
                   ("ozg_leistung", "leika_keys"), ("ozg_leistung", "leika_names"))
COLUMNS = f"""
SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
  AND (c.relname, a.attname) NOT IN ({", ".join(f"('{t}', '{c}')" for t, c in DERIVED_COLUMNS)}) ORDER BY a.attnum
"""


async def schema_tables(conn: asyncpg.Connection) -> dict[str, list[str]]:
    """Table → columns, in an order that satisfies every foreign key (parents first)."""
    names = [r[0] for r in await conn.fetch(TABLES)]
    columns: dict[str, list[str]] = {n: [] for n in names}
    for table, column in await conn.fetch(COLUMNS):
        if table in columns:
            columns[table].append(column)
    parents: dict[str, set[str]] = {n: set() for n in names}
    for child, parent in await conn.fetch(FOREIGN_KEYS):
        if child in parents and parent in parents and child != parent:  # self-references load in one COPY
            parents[child].add(parent)
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered)]
        if not ready:
            raise Conflict(f"foreign keys form a cycle among {sorted(set(names) - set(ordered))}")
        ordered += ready
    return {n: columns[n] for n in ordered}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def sequences(conn: asyncpg.Connection) -> list[tuple[str, int, bool]]:
    """(name, last value, is called) of every sequence of the registry's schema."""
    entries = []
    for (name,) in await conn.fetch("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"):
        row = await conn.fetchrow(f"SELECT last_value, is_called FROM public.{quote(name)}")
        entries.append((name, row["last_value"], row["is_called"]))
    return entries
