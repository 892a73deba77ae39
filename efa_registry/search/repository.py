"""SQL of search itself: the texts the vocabularies and the place index are built from, the change
log that says when they are stale, the reindex marks, and the stems of a query's words (for
highlighting). Reading the aggregates' texts is search's own view of them; writing a search
document is the aggregate's (its repository's ``refresh_documents``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import asyncpg

from efa_registry.kit.sql import Params


class Seen(NamedTuple):
    """What a process saw of a scope's change log: the newest writer's transaction id, the
    oldest transaction then still running (``horizon``), and how many writers from that one on."""

    newest: str | None
    horizon: str
    recent: int


# One statement, one snapshot: the horizon and the counts belong together.
SEEN_NOW_SQL = """
WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
SELECT s.scope,
       (SELECT c.xid FROM search_change c WHERE c.scope = s.scope ORDER BY c.xid DESC LIMIT 1)::text AS newest,
       h.x::text AS horizon,
       (SELECT count(*) FROM search_change c WHERE c.scope = s.scope AND c.xid >= h.x) AS recent
FROM unnest($1::text[]) AS s(scope), h
"""

async def seen_now(conn: asyncpg.Connection, scopes: Sequence[str]) -> dict[str, Seen]:
    """The change log of ``scopes`` as a vocabulary built from the next statements will know it."""
    rows = await conn.fetch(SEEN_NOW_SQL, list(scopes))
    return {r["scope"]: Seen(r["newest"], r["horizon"], r["recent"]) for r in rows}


async def is_current(conn: asyncpg.Connection, expected: dict[str, Seen]) -> bool:
    """``current_sql`` as a statement of its own: for a cache that had no search to ride on."""
    p = Params()
    return bool(await conn.fetchval(f"SELECT {current_sql(p, expected)}", *p.values))


def current_sql(p: Params, expected: dict[str, Seen]) -> str:
    """Whether the change log of every scope is still as ``expected`` (what a cached vocabulary
    saw): the newest writer's id and the count of writers from its horizon on both unchanged.
    A boolean expression of another statement, so that a search confirms its cached vocabulary in
    its own round trip (``search.lexicon.confirmed``); scalar parameters, a condition per scope
    (arrays to unnest cost a search more than the two index probes).

    The count is read only when the horizon lies below the newest id: a writer the cache has not
    seen has an id at or above its horizon (it was running then, or started later), so when the
    horizon lies above the newest id, such a writer is the newest one now — the usual case, since
    catalogue writes are rare and short."""
    conditions = []
    for scope, seen in expected.items():
        scope_ = f"{p.add(scope)}::text"
        newest, horizon = f"{p.add(seen.newest)}::text::xid8", f"{p.add(seen.horizon)}::text::xid8"
        conditions.append(
            f"(SELECT c.xid FROM search_change c WHERE c.scope = {scope_} ORDER BY c.xid DESC LIMIT 1)"
            f" IS NOT DISTINCT FROM {newest} AND ({horizon} > {newest} OR (SELECT count(*)"
            f" FROM search_change c WHERE c.scope = {scope_} AND c.xid >= {horizon}) = {p.add(seen.recent)}::bigint)")
    return "(" + " AND ".join(conditions) + ")" if conditions else "true"


# A scope's change log beyond PRUNE_ABOVE rows is cut to its newest KEEP_CHANGES, and the pruning
# transaction leaves a row of its own. It first locks the log against writers (EXCLUSIVE: readers
# go on), so every writer before it has committed and its own id is newer than any id a cached
# vocabulary remembers: every cache sees a newer writer and is rebuilt once. Without that, a
# deletion could cancel out, in a cache's count of recent writers, a writer that committed
# meanwhile (``current_sql`` compares counts), and hide it.
PRUNE_ABOVE = 10_000
KEEP_CHANGES = 1_000
PRUNE_SQL = """
WITH big AS (SELECT scope FROM search_change GROUP BY scope HAVING count(*) > $1),
gone AS (
    DELETE FROM search_change c USING big
    WHERE c.scope = big.scope
      AND c.xid < (SELECT k.xid FROM search_change k WHERE k.scope = big.scope ORDER BY k.xid DESC OFFSET $2 LIMIT 1)
    RETURNING c.scope
)
INSERT INTO search_change (scope, xid) SELECT DISTINCT scope, pg_current_xact_id() FROM gone
ON CONFLICT DO NOTHING
RETURNING scope
"""


async def prune_changes(conn: asyncpg.Connection) -> list[str]:
    """Cut the change log of every scope that has grown beyond ``PRUNE_ABOVE`` rows; returns the
    scopes cut (each of their cached vocabularies is rebuilt once)."""
    if not await conn.fetchval("SELECT EXISTS (SELECT FROM search_change GROUP BY scope HAVING count(*) > $1)",
                               PRUNE_ABOVE):
        return []
    async with conn.transaction():
        await conn.execute("LOCK TABLE search_change IN EXCLUSIVE MODE")
        return [r[0] for r in await conn.fetch(PRUNE_SQL, PRUNE_ABOVE, KEEP_CHANGES - 1)]


async def reindex_scopes(conn: asyncpg.Connection, *, lock: bool = False) -> list[str]:
    """Scopes whose documents were built by older code; with ``lock`` the rows are locked so that
    one process rebuilds them while the others wait and then find nothing left to do."""
    return [r[0] for r in await conn.fetch("SELECT scope FROM search_reindex ORDER BY scope"
                                           + (" FOR UPDATE" if lock else ""))]


async def reindexed(conn: asyncpg.Connection, scope: str) -> None:
    await conn.execute("DELETE FROM search_reindex WHERE scope = $1", scope)


def tsquery(param: str) -> str:
    """``to_tsquery('german', param)`` as a search statement uses it: in a scalar subquery, so that
    it is evaluated once per statement. Written plainly, a prepared statement's generic plan (which
    PostgreSQL settles on after five executions) calls the stable function again for every row it
    filters — an OZG search took 4.5 ms instead of 1.3 ms — and cannot probe the GIN index with it."""
    return f"(SELECT to_tsquery('german', {param}))"


# The stems of a query's words as PostgreSQL's german stemmer makes them, in the words' order:
# a column of the search statement, for the highlights (``highlight.Matcher``); {words} is the
# parameter holding the words. Asked once per word and process (``known_stems``).
def relaxed_rank_sql(p: Params, terms: Sequence[str], vector: str, table: str) -> str:
    """What a hit of a relaxed attempt adds to its rank: for each of the ``terms`` it matches, 8
    plus the term's rarity (``ln(N / documents matching it)``, as in IDF). So a hit with more of
    the words comes first, and among those the one with the rarer word: in "Geburtsurkunde Kind"
    the Geburtsurkunde, not one of the sixty Leistungen with Kind; ts_rank alone rewards the
    frequent word. The counts are scalar subqueries, evaluated once per statement (GIN index)."""
    found = []
    for param in (p.add(term) for term in terms):
        rarity = (f"ln((SELECT count(*) + 1 FROM {table})::real / (1 + (SELECT count(*) FROM {table} x"
                  f" WHERE x.search_vector @@ {tsquery(param)})))")
        found.append(f"({vector} @@ {tsquery(param)})::int * (8 + {rarity})")
    return " + ".join(found) or "0"


STEMS_SQL = ("ARRAY(SELECT coalesce((ts_lexize('german_stem', u.w))[1], '') FROM unnest({words}::text[])"
             " WITH ORDINALITY AS u(w, i) ORDER BY u.i)")
MAX_STEMS = 50_000  # words whose stems a process keeps (a bound for arbitrary queries)
_stems: dict[str, str] = {}


def known_stems(words: Sequence[str]) -> list[str] | None:
    """The stems of ``words`` as PostgreSQL answered them before, else None: then the statement
    asks for them (``STEMS_SQL``) and ``remember_stems`` keeps them. The stemmer is the server's
    and never changes under a running process."""
    found = [_stems.get(w) for w in words]
    return None if None in found else found  # type: ignore[return-value]


def remember_stems(words: Sequence[str], stems: Sequence[str]) -> list[str]:
    if len(_stems) > MAX_STEMS:
        _stems.clear()
    _stems.update(zip(words, stems, strict=False))
    return list(stems)


CATALOGUE_TEXTS_SQL = """
SELECT name FROM ozg_leistung UNION ALL SELECT name FROM leika_entry
UNION ALL SELECT name FROM lage UNION ALL SELECT name FROM themenfeld
"""

SOLUTION_TEXTS_SQL = """
SELECT name FROM solution UNION ALL SELECT summary FROM solution WHERE summary IS NOT NULL
UNION ALL SELECT description FROM solution WHERE description IS NOT NULL
UNION ALL SELECT unnest(tags) FROM solution
UNION ALL SELECT concat_ws(' ', standard, name) FROM interface WHERE status <> 'retired'
UNION ALL SELECT o.name FROM organisation o
          WHERE EXISTS (SELECT 1 FROM solution s WHERE o.id IN (s.provider, s.operator))
"""


async def catalogue_texts(conn: asyncpg.Connection) -> list[str]:
    """Every text of the OZG catalogue: OZG-Leistungen, LeiKa entries, Lagen, Themenfelder."""
    return [r[0] for r in await conn.fetch(CATALOGUE_TEXTS_SQL)]


async def solution_texts(conn: asyncpg.Connection) -> list[str]:
    """The solutions' own texts: names, summaries, descriptions, tags, interfaces, organisations."""
    return [r[0] for r in await conn.fetch(SOLUTION_TEXTS_SQL)]


async def place_candidates(conn: asyncpg.Connection) -> list[dict]:
    """Every current area as the place-name index needs it (``placeindex.Place``'s fields)."""
    rows = await conn.fetch("SELECT ars, name, level, land, population, textkennzeichen FROM area WHERE current"
                            " ORDER BY ars")
    return [dict(r) for r in rows]
