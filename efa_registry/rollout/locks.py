"""The write path's cell locks and the rollout state it decides on (SQL).

Summary cells are guarded by transaction-scoped advisory locks, one per cell (``cell_key``), taken
in one order — the shared rebuild lock, then the keys as the caller sorted them — so writers of
the same cells queue instead of overwriting each other, and ``rebuild_all`` (the rebuild lock,
exclusively) holds every refresh off. ``delta_state`` reads what a delta needs and takes its
locks in the same statement.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from efa_registry.rollout.repository import MEMBERS_SQL, SOLUTION_STATE

# Held shared by every refresh and exclusively by rebuild_all, so a rebuild never interleaves
# with a cell refresh.
REBUILD_LOCK = "rollout:rebuild"


def _locks(rebuild: str, keys: str) -> str:
    """SQL that takes the shared rebuild lock, then the cell locks of the text array ``keys`` in its
    order (two expressions, evaluated left to right)."""
    return (f"pg_advisory_xact_lock_shared(hashtextextended({rebuild}, 0)),"
            " (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))"
            f"  FROM (SELECT k FROM unnest({keys}) WITH ORDINALITY AS t(k, i) ORDER BY i) AS ordered)")


async def lock(conn: asyncpg.Connection, keys: Sequence[str]) -> None:
    """Transaction-scoped locks on summary cells, taken in the given order (callers sort them).

    The shared rebuild lock comes first, so a running ``rebuild_all`` holds every refresh off.
    """
    await conn.execute(f"SELECT {_locks('$1', '$2::text[]')}", REBUILD_LOCK, list(keys))


async def lock_rebuild(conn: asyncpg.Connection) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", REBUILD_LOCK)


def cell_key(kind: str, key: object, land: str) -> str:
    return f"rollout:{kind}:{key}:{land}"


async def delta_state(conn: asyncpg.Connection, solution_id: uuid.UUID, lands: Sequence[str], *,
                      generic_plans: bool = False) -> list[asyncpg.Record]:
    """``solution_state`` (locking the solution row FOR SHARE) joined with ``ozg_members`` of its
    OZG-Leistungen, one row per OZG-Leistung and Land of ``lands`` with the level (``stored_level``)
    and solutions (``stored_ids``) its stored row was computed over: what the write path decides
    on, in one round trip with the cell locks. One row with ``ozg_id`` NULL when no OZG-Leistung
    counts the solution; none when the solution does not exist.

    When the solution's rows are stored at its level (``locked`` true) the statement also takes the
    locks a delta needs, after the solution row and in ``lock``'s order: the shared rebuild lock,
    the solution's cells in ``lands``, then the cells of each of its OZG-Leistungen in ``lands``
    by key. Otherwise it takes none, and the caller recomputes the solution under ``lock``.

    ``generic_plans``: the rest of the transaction runs prepared statements on their generic plans
    — a single write's delta statement was planned anew on every execution (PostgreSQL estimated
    its generic plan dearer): 3.1 ms per write instead of 0.9 (``bench_writes``). Not for bulk
    loads, whose arrays of thousands the custom plans are made for."""
    return await conn.fetch(DELTA_STATE, solution_id, list(lands), REBUILD_LOCK, generic_plans)


# The cell keys are ``cell_key``'s, ordered as ``lock`` orders them (byte order: Python's ``sorted``).
DELTA_STATE = f"""
WITH st AS MATERIALIZED ({SOLUTION_STATE.replace('FOR SHARE OF s', 'FOR SHARE')}),
keys AS MATERIALIZED (
    SELECT ARRAY(SELECT 'rollout:solution:' || $1::text || ':' || l FROM unnest($2::text[]) WITH ORDINALITY AS x(l, i)
                 ORDER BY i)
           || ARRAY(SELECT k FROM (SELECT 'rollout:ozg:' || o || ':' || l AS k FROM unnest(st.ozg_ids) AS o,
                                   unnest($2::text[]) AS l) AS ozg ORDER BY k COLLATE "C") AS keys
    FROM st WHERE st.stored::text[] = ARRAY[st.rollout_level::text]
),
locked AS MATERIALIZED (
    SELECT {_locks('$3', 'keys.keys')},
           set_config('plan_cache_mode', CASE WHEN $4::boolean THEN 'force_generic_plan'
                                              ELSE current_setting('plan_cache_mode') END, true)
    FROM keys
)
SELECT st.rollout_level, st.stored, EXISTS (SELECT FROM locked) AS locked, m.ozg_id,
       m.execution_level, m.solution_ids, m.levels, l.land, r.rollout_level AS stored_level,
       r.solution_ids AS stored_ids
FROM st
LEFT JOIN LATERAL ({MEMBERS_SQL.format(where='o.ozg_id = ANY(st.ozg_ids)')}) m ON true
LEFT JOIN LATERAL unnest($2::text[]) AS l(land) ON m.ozg_id IS NOT NULL
-- LIMIT 1 (of a key): looked up per row, never a hash join over every stored OZG row.
LEFT JOIN LATERAL (SELECT r.rollout_level, r.solution_ids FROM rollout_ozg_land r
                   WHERE r.ozg_leistung = m.ozg_id AND r.land = l.land LIMIT 1) r ON true
"""
