"""Rollout refresh hooks: the write side calls them to keep the summary rows exact.

Exactness: the summary rows change in the same transaction as the adoption (or solution) that
changes them. Each refresh first takes a transaction-scoped advisory lock per affected cell, then
recomputes the cell from the adoptions with statements that start after the lock is granted, so
under READ COMMITTED a concurrent writer of the same cell either waits for this one to commit and
then sees its change, or has committed before and is seen. Callers run in READ COMMITTED (the
default); lock order is solution row, solution cells, then OZG cells, each in key order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg
import structlog

from efa_registry.errors import NotFound
from efa_registry.kit.sql import Rider, run
from efa_registry.rollout import deltas, locks, rules
from efa_registry.rollout import repository as repo
from efa_registry.rollout import summary_repository as summary
from efa_registry.rollout.deltas import AdoptionChange

log = structlog.get_logger(__name__)
SINGLE_WRITE = 4  # changes: a use case's own write, not a bulk load
# Changes: a load this large recomputes the solution's Länder instead of moving them. The delta
# statement compares every change with every unit it covers: 2,500 changes took 10 s, 10,000 ran
# into the statement timeout; a recompute of every Land takes well under a second.
WHOLE_FROM = 200


async def refresh_after_adoption_change(conn: asyncpg.Connection, *, solution_id: uuid.UUID, area_ars: str) -> None:
    """Make the figures of ``solution_id`` in the Land of ``area_ars`` (and of its OZG-Leistungen
    there) exact again. Call inside the adoption's transaction, after any change of its status
    or ``live_since``; cost: a few ms (one Land's adoptions and units)."""
    land = area_ars[:2]
    state = await repo.solution_state(conn, solution_id)
    if state is None:
        raise NotFound(f"no solution {solution_id}", field="id")
    if list(state["stored"]) != [state["rollout_level"]]:
        # Never summarised, or summarised at another level: redo every Land at once.
        await _refresh_solution(conn, solution_id, state)
        return
    await locks.lock(conn, [locks.cell_key("solution", solution_id, land)])
    await repo.store_solution_cells(conn, solution_id, state["rollout_level"], land)
    await _refresh_ozg_cells(conn, list(state["ozg_ids"]), land)
    log.debug("rollout.cell_refreshed", solution_id=str(solution_id), land=land)


async def apply_adoption_changes(
    conn: asyncpg.Connection, solution_id: uuid.UUID, changes: Sequence[AdoptionChange], *,
    along: Rider | None = None,
) -> None:
    """Move the figures of ``solution_id`` and of its OZG-Leistungen by ``changes`` (its adoptions
    as they were and as they are now, written in this transaction): the write path's refresh, a
    handful of index look-ups per change instead of a recompute of the Land (``deltas``). Cells
    that are not stored as expected (never summarised, another level or set of solutions) are
    recomputed instead, so the result is always what ``rebuild_all`` would store. ``along``: a
    statement of the same change (its event) that rides along the delta, or runs on its own."""
    changes = [c for c in changes if c.moves_figures]
    if not changes or len(changes) >= WHOLE_FROM:
        await run(conn, along)
        if changes:
            await refresh_solution(conn, solution_id)
        return
    lands = sorted({c.area[:2] for c in changes})
    rows = await locks.delta_state(conn, solution_id, lands, generic_plans=len(changes) <= SINGLE_WRITE)
    if not rows:
        raise NotFound(f"no solution {solution_id}", field="id")
    if not rows[0]["locked"]:  # never summarised, or at another level
        await run(conn, along)
        await _refresh_solution(conn, solution_id, await repo.solution_state(conn, solution_id))
        return
    targets, whole = _targets(solution_id, rows[0]["rollout_level"], rows)
    if whole:
        # Stored over another level or set of solutions (a link changed without a refresh, e.g.
        # by hand): every Land of those OZG-Leistungen, locked after the cells already held — out
        # of ``lock``'s order, which only such a repair does; PostgreSQL's deadlock detection
        # ends a cycle with another writer by failing one of them (retried by the client, 503).
        all_lands = await repo.land_codes(conn)
        await locks.lock(conn, sorted(locks.cell_key("ozg", o, x) for o in whole for x in all_lands if x not in lands))
    moved = await deltas.apply(conn, changes, targets, along=along)
    for kind, key, land in sorted(deltas.expected_cells(changes, targets) - moved):
        await _recompute_cell(conn, kind, key, land)  # changed concurrently since the state was read
    if whole:
        for m in await repo.ozg_members(conn, whole):
            ozg_level, _ = rules.ozg_level(m["execution_level"], m["levels"])
            await repo.store_ozg_cells(conn, m["ozg_id"], ozg_level, m["solution_ids"])
    log.debug("rollout.moved", solution_id=str(solution_id), changes=len(changes), cells=len(moved))


def _targets(solution_id: uuid.UUID, level: str, rows: Sequence[asyncpg.Record]
             ) -> tuple[list[deltas.Target], list[str]]:
    """The cells to move by deltas (the solution's, and those of the OZG-Leistungen whose stored
    rows count it as they stand), and the OZG-Leistungen stored over another level or set of
    solutions (or not at all), which are recomputed in every Land instead."""
    targets, whole = [deltas.Target("solution", str(solution_id), level, (solution_id,))], []
    grouped: dict[str, list[asyncpg.Record]] = {}
    for r in rows:
        if r["ozg_id"] is not None:
            grouped.setdefault(r["ozg_id"], []).append(r)
    for ozg_id, ozg_rows in grouped.items():
        ozg_level, _ = rules.ozg_level(ozg_rows[0]["execution_level"], ozg_rows[0]["levels"])
        ids = tuple(ozg_rows[0]["solution_ids"])
        if not all(r["stored_level"] == ozg_level and tuple(r["stored_ids"]) == ids for r in ozg_rows):
            whole.append(ozg_id)
        elif solution_id in ids:
            targets.append(deltas.Target("ozg", ozg_id, ozg_level, ids))
    return targets, whole


async def _recompute_cell(conn: asyncpg.Connection, kind: str, key: str, land: str) -> None:
    """One cell from the adoptions, with the level and solutions as they stand now."""
    if kind == "solution":
        state = await repo.solution_state(conn, uuid.UUID(key))
        if state is not None:
            await repo.store_solution_cells(conn, uuid.UUID(key), state["rollout_level"], land)
        return
    for m in await repo.ozg_members(conn, [key]):
        ozg_level, _ = rules.ozg_level(m["execution_level"], m["levels"])
        await repo.store_ozg_cells(conn, key, ozg_level, m["solution_ids"], land)


async def refresh_solution(conn: asyncpg.Connection, solution_id: uuid.UUID) -> None:
    """Recompute every Land of a solution and of the OZG-Leistungen it implements or implemented.
    Call after a change of its rollout level, status or OZG-Leistungen, and after bulk loads."""
    state = await repo.solution_state(conn, solution_id)
    if state is None:
        # Deleted: its own rows went with it; the unions that counted it must drop it.
        ozg_ids = await repo.ozg_ids_counting(conn, solution_id)
        await _refresh_ozgs(conn, ozg_ids, await repo.land_codes(conn))
        return
    await _refresh_solution(conn, solution_id, state)


async def refresh_ozg_leistung(conn: asyncpg.Connection, ozg_id: str) -> None:
    """Recompute an OZG-Leistung in every Land (after its execution level changed)."""
    await _refresh_ozgs(conn, [ozg_id], await repo.land_codes(conn))


async def rebuild_all(conn: asyncpg.Connection) -> None:
    """Recompute every summary row from scratch, e.g. after an area import or a restore.

    Holds every refresh off until the caller's transaction commits.
    """
    await locks.lock_rebuild(conn)
    await repo.clear(conn)
    await summary.prune_changes(conn)
    solutions = await repo.all_solution_ids(conn)
    for row in solutions:
        await repo.store_solution_cells(conn, row["id"], row["rollout_level"])
    members = await repo.ozg_members(conn)
    for m in members:
        if m["solution_ids"]:
            level, _ = rules.ozg_level(m["execution_level"], m["levels"])
            await repo.store_ozg_cells(conn, m["ozg_id"], level, m["solution_ids"])
    log.info("rollout.rebuilt", solutions=len(solutions), ozg_leistungen=len(members))


async def _refresh_solution(conn: asyncpg.Connection, solution_id: uuid.UUID, state: asyncpg.Record) -> None:
    lands = await repo.land_codes(conn)
    await locks.lock(conn, [locks.cell_key("solution", solution_id, land) for land in lands])
    await repo.store_solution_cells(conn, solution_id, state["rollout_level"])
    await _refresh_ozgs(conn, list(state["ozg_ids"]), lands)
    log.debug("rollout.solution_refreshed", solution_id=str(solution_id))


async def _refresh_ozgs(conn: asyncpg.Connection, ozg_ids: list[str], lands: list[str]) -> None:
    """Every Land of each OZG-Leistung, from its members as they stand once the locks are held."""
    if not ozg_ids:
        return
    await locks.lock(conn, [locks.cell_key("ozg", o, land) for o in sorted(ozg_ids) for land in lands])
    for m in await repo.ozg_members(conn, ozg_ids):
        level, _ = rules.ozg_level(m["execution_level"], m["levels"])
        await repo.store_ozg_cells(conn, m["ozg_id"], level, m["solution_ids"])


async def _refresh_ozg_cells(conn: asyncpg.Connection, ozg_ids: list[str], land: str) -> None:
    """One Land of each OZG-Leistung; those whose stored union was computed over another level or
    set of solutions (a link changed without a refresh) are redone in every Land."""
    if not ozg_ids:
        return
    stored = await repo.stored_ozg_state(conn, ozg_ids, land)
    whole = [m["ozg_id"] for m in await repo.ozg_members(conn, ozg_ids) if not _stored_matches(m, stored)]
    lands = await repo.land_codes(conn) if whole else []
    keys = [locks.cell_key("ozg", o, x) for o in sorted(ozg_ids) for x in (lands if o in whole else [land])]
    await locks.lock(conn, keys)
    for m in await repo.ozg_members(conn, ozg_ids):  # again: links may have changed while we waited
        level, _ = rules.ozg_level(m["execution_level"], m["levels"])
        only = None if m["ozg_id"] in whole else land
        await repo.store_ozg_cells(conn, m["ozg_id"], level, m["solution_ids"], only)


def _stored_matches(member: asyncpg.Record, stored: dict[str, asyncpg.Record]) -> bool:
    row = stored.get(member["ozg_id"])
    level, _ = rules.ozg_level(member["execution_level"], member["levels"])
    return row is not None and row["rollout_level"] == level and list(row["solution_ids"]) == list(
        member["solution_ids"])
