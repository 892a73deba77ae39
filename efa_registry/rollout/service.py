"""Rollout use cases: the refresh hooks the write side calls, and the reads.

Exactness: the summary rows change in the same transaction as the adoption (or solution) that
changes them. Each refresh first takes a transaction-scoped advisory lock per affected cell, then
recomputes the cell from the adoptions with statements that start after the lock is granted, so
under READ COMMITTED a concurrent writer of the same cell either waits for this one to commit and
then sees its change, or has committed before and is seen. Callers run in READ COMMITTED (the
default); lock order is solution row, solution cells, then OZG cells, each in key order.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.areas.service import land_key
from efa_registry.errors import InvalidParameter, NotFound
from efa_registry.rollout import repository as repo
from efa_registry.rollout import rules
from efa_registry.rollout.model import (
    Cell,
    Figures,
    KreisFigures,
    LandFigures,
    LandOverview,
    LandRef,
    LandSeries,
    Matrix,
    MatrixFilter,
    MatrixRow,
    OzgInLand,
    OzgRollout,
    SolutionInLand,
    SolutionRef,
    SolutionRollout,
    Timeline,
)

log = structlog.get_logger(__name__)
T = TypeVar("T")


# --------------------------------------------------------------------------- refresh hooks (write side)


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
    await repo.lock(conn, [repo.cell_key("solution", solution_id, land)])
    await repo.store_solution_cells(conn, solution_id, state["rollout_level"], land)
    await _refresh_ozg_cells(conn, list(state["ozg_ids"]), land)
    log.debug("rollout.cell_refreshed", solution_id=str(solution_id), land=land)


async def refresh_solution(conn: asyncpg.Connection, solution_id: uuid.UUID) -> None:
    """Recompute every Land of a solution and of the OZG-Leistungen it implements or implemented.
    Call after a change of its rollout level, status or OZG-Leistungen, and after bulk loads."""
    state = await repo.solution_state(conn, solution_id)
    if state is None:
        # Deleted: its own rows went with it; the unions that counted it must drop it.
        ozg_ids = [r[0] for r in await conn.fetch(
            "SELECT DISTINCT ozg_leistung FROM rollout_ozg_land WHERE $1 = ANY(solution_ids)", solution_id)]
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
    await repo.lock_rebuild(conn)
    await repo.clear(conn)
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
    await repo.lock(conn, [repo.cell_key("solution", solution_id, land) for land in lands])
    await repo.store_solution_cells(conn, solution_id, state["rollout_level"])
    await _refresh_ozgs(conn, list(state["ozg_ids"]), lands)
    log.debug("rollout.solution_refreshed", solution_id=str(solution_id))


async def _refresh_ozgs(conn: asyncpg.Connection, ozg_ids: list[str], lands: list[str]) -> None:
    """Every Land of each OZG-Leistung, from its members as they stand once the locks are held."""
    if not ozg_ids:
        return
    await repo.lock(conn, [repo.cell_key("ozg", o, land) for o in sorted(ozg_ids) for land in lands])
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
    keys = [repo.cell_key("ozg", o, x) for o in sorted(ozg_ids) for x in (lands if o in whole else [land])]
    await repo.lock(conn, keys)
    for m in await repo.ozg_members(conn, ozg_ids):  # again: links may have changed while we waited
        level, _ = rules.ozg_level(m["execution_level"], m["levels"])
        only = None if m["ozg_id"] in whole else land
        await repo.store_ozg_cells(conn, m["ozg_id"], level, m["solution_ids"], only)


def _stored_matches(member: asyncpg.Record, stored: dict[str, asyncpg.Record]) -> bool:
    row = stored.get(member["ozg_id"])
    level, _ = rules.ozg_level(member["execution_level"], member["levels"])
    return row is not None and row["rollout_level"] == level and list(row["solution_ids"]) == list(
        member["solution_ids"])


# --------------------------------------------------------------------------- reads


class _Cached(msgspec.Struct, frozen=True):
    fingerprint: str
    stamp: int  # taken just before the snapshot it was computed under
    value: Any


# The heavy cross-solution reads (matrix, Land overview, timeline) keyed by their arguments. An
# entry is served while the database fingerprint it was computed under is unchanged, or when its
# snapshot was taken after this request read the fingerprint: either way it already shows every
# write committed before the request began. A miss computes under one snapshot.
_cache: OrderedDict[Hashable, _Cached] = OrderedDict()
_locks: dict[Hashable, asyncio.Lock] = {}
_clock = itertools.count()
CACHE_SIZE = 256


def _usable(hit: _Cached | None, current: str, read_at: int) -> bool:
    return hit is not None and (hit.fingerprint == current or hit.stamp > read_at)


async def _cached(
    conn: asyncpg.Connection, key: Hashable, fingerprint: Callable[[asyncpg.Connection], Awaitable[str]],
    compute: Callable[[asyncpg.Connection], Awaitable[T]],
) -> T:
    current = await fingerprint(conn)
    read_at = next(_clock)
    if _usable(hit := _cache.get(key), current, read_at):
        return hit.value  # type: ignore[union-attr]
    # One computation per key at a time: readers that queue behind it are served its result.
    async with _locks.setdefault(key, asyncio.Lock()):
        if _usable(hit := _cache.get(key), current, read_at):
            return hit.value  # type: ignore[union-attr]
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            stamp = next(_clock)
            computed = _Cached(await fingerprint(conn), stamp, await compute(conn))
        _cache[key] = computed
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _locks.pop(_cache.popitem(last=False)[0], None)
    return computed.value


async def _solution(conn: asyncpg.Connection, key: str | uuid.UUID) -> SolutionRef:
    solution = await repo.find_solution(conn, key)
    if solution is None:
        raise NotFound(f"no solution {key}", field="key")
    return solution


async def _solution_cells(
    conn: asyncpg.Connection, key: str | uuid.UUID
) -> tuple[SolutionRef, list[tuple[LandRef, Cell]]]:
    """Stored figures; a solution never summarised (or at another level) is computed live."""
    solution, stored = await repo.solution_cells(conn, key)
    if solution is None:
        raise NotFound(f"no solution {key}", field="key")
    if all(cell is not None for _, cell in stored):
        return solution, stored  # type: ignore[return-value]
    live = await repo.compute_cells(conn, [solution.id], solution.rollout_level)
    return solution, [(land, cell or live.get(land.code, rules.empty_cell())) for land, cell in stored]


def _per_land(cells: Sequence[tuple[LandRef, Cell]]) -> tuple[list[LandFigures], Figures]:
    lands = [LandFigures(land=land, figures=rules.figures(cell)) for land, cell in cells]
    return lands, rules.figures(rules.total([cell for _, cell in cells]))


async def solution_rollout(key: str | uuid.UUID, *, land: str | None = None, by: str = "land") -> SolutionRollout:
    """Per Land and national; with ``land`` only that Land is listed, ``by="kreis"`` adds its Kreise."""
    if by == "kreis" and land is None:
        raise InvalidParameter("by=kreis needs a land to drill into", field="land")
    code = await _land_code(land, field="land") if land else None
    async with db.connection() as conn:
        solution, cells = await _solution_cells(conn, key)
        lands, national = _per_land(cells)
        if code is not None:
            lands = [f for f in lands if f.land.code == code]
            if not lands:
                raise NotFound(f"no Land with key {code}", field="land")
        kreise = await _kreise(conn, solution, code) if by == "kreis" else None
    return SolutionRollout(solution=solution, lands=lands, national=national, kreise=kreise)


async def _land_code(code: str, *, field: str) -> str:
    try:
        return await land_key(code)
    except NotFound as exc:
        raise NotFound(exc.detail, field=field) from exc


async def _kreise(conn: asyncpg.Connection, solution: SolutionRef, land: str | None) -> list[KreisFigures]:
    if solution.rollout_level == "land" or land is None:
        raise InvalidParameter("a land-level solution has no units inside Kreise", field="by")

    async def compute(c: asyncpg.Connection) -> list[KreisFigures]:
        rows = await repo.compute_kreis_cells(c, [solution.id], solution.rollout_level, land)
        return [KreisFigures(ars=ars, name=name, figures=rules.figures(cell)) for ars, name, cell in rows]

    return await _cached(conn, ("kreise", solution.id, land), lambda c: repo.solution_fingerprint(c, solution.id),
                         compute)


async def solution_timeline(key: str | uuid.UUID) -> Timeline:
    """Cumulative covered units at the end of each month, per Land and nationally."""
    async with db.connection() as conn:
        solution = await _solution(conn, key)
        return await _cached(conn, ("timeline", solution.id),
                             lambda c: repo.solution_fingerprint(c, solution.id),
                             lambda c: _timeline(c, solution))


async def _timeline(conn: asyncpg.Connection, solution: SolutionRef) -> Timeline:
    _, cells = await _solution_cells(conn, solution.id)
    per_land: dict[str, dict[dt.date, int]] = defaultdict(dict)
    national: dict[dt.date, int] = defaultdict(int)
    for land, month, n in await repo.compute_new_per_month(conn, [solution.id], solution.rollout_level):
        per_land[land][month] = n
        national[month] += n
    axis = rules.month_axis(min(national), max(national)) if national else []
    series = [LandSeries(land=land, eligible_units=cell.eligible_units,
                         covered=rules.cumulative(per_land[land.code], axis)) for land, cell in cells]
    return Timeline(solution=solution, months=axis, lands=series, national=rules.cumulative(national, axis))


async def ozg_rollout(ozg_id: str) -> OzgRollout:
    """An OZG-Leistung per Land and nationally, over the union of its non-retired solutions."""
    async with db.connection() as conn:
        ozg = await repo.ozg_ref(conn, ozg_id)
        if ozg is None:
            raise NotFound(f"no OZG-Leistung {ozg_id}", field="ozgId")
        (member,) = await repo.ozg_members(conn, [ozg_id])
        ids = list(member["solution_ids"])
        level, source = rules.ozg_level(ozg.execution_level, member["levels"])
        stored = await repo.ozg_cells(conn, ozg_id, level, ids)
        if any(cell is None for _, cell in stored):
            live = await repo.compute_cells(conn, ids, level)
            stored = [(land, cell or live.get(land.code, rules.empty_cell())) for land, cell in stored]
        solutions = await repo.solutions_by_id(conn, ids)
    lands, national = _per_land(stored)  # type: ignore[arg-type]
    return OzgRollout(ozg_leistung=ozg, rollout_level=level, level_source=source, solutions=solutions,
                      lands=lands, national=national)


async def land_overview(code: str) -> LandOverview:
    """Every solution and every OZG-Leistung with a non-retired solution, in one Land."""
    key = await land_key(code)
    async with db.connection() as conn:
        return await _cached(conn, ("land", key), repo.fingerprint, lambda c: _land_overview(c, key))


async def _land_overview(conn: asyncpg.Connection, key: str) -> LandOverview:
    land = next((x for x in await repo.lands(conn) if x.code == key), None)
    if land is None:
        raise NotFound(f"no Land with key {key}", field="code")
    solutions = []
    for solution, cell in await repo.land_solution_rows(conn, key):
        if cell is None:
            cell = (await repo.compute_cells(conn, [solution.id], solution.rollout_level, key))[key]
        solutions.append(SolutionInLand(solution=solution, figures=rules.figures(cell)))
    ozgs = []
    for ozg, level, ids, cell in await repo.land_ozg_rows(conn, key):
        if cell is None:
            cell = (await repo.compute_cells(conn, ids, level, key))[key]
        ozgs.append(OzgInLand(ozg_leistung=ozg, rollout_level=level, figures=rules.figures(cell)))  # type: ignore[arg-type]
    return LandOverview(land=land, solutions=solutions, ozg_leistungen=ozgs)


async def matrix(flt: MatrixFilter) -> Matrix:
    """Solutions × Länder (filtered), and the Länder ranked by flächendeckend OZG-Leistungen."""
    async with db.connection() as conn:
        return await _cached(conn, ("matrix", flt), repo.fingerprint, lambda c: _matrix(c, flt))


async def _matrix(conn: asyncpg.Connection, flt: MatrixFilter) -> Matrix:
    lands = await repo.lands(conn)
    codes = [land.code for land in lands]
    rows = []
    for r in await repo.matrix_rows(conn, flt):
        solution = repo.solution_ref(r)
        if r["a_land"] != codes or any(level != solution.rollout_level for level in r["a_rollout_level"]):
            rows.append(await _live_matrix_row(conn, solution, codes))
            continue
        rows.append(_matrix_row(solution, repo.matrix_cell(r), r["a_eligible_units"], r["a_covered_units"],
                                r["a_eligible_population"], r["a_covered_population"]))
    ranking = rules.rank_lands(lands, ((r["land"], r["eligible_units"], r["covered_units"])
                                      for r in await repo.ranking_rows(conn, flt)))
    return Matrix(lands=lands, rows=rows, ranking=ranking)


def _matrix_row(solution: SolutionRef, national: Cell, eligible: list[int], covered: list[int],
                eligible_pop: list[int], covered_pop: list[int]) -> MatrixRow:
    return MatrixRow(
        solution=solution, national=rules.figures(national), eligible_units=eligible, covered_units=covered,
        share_by_count=[rules.share(c, e) for c, e in zip(covered, eligible, strict=True)],
        share_by_population=[rules.share(c, e) for c, e in zip(covered_pop, eligible_pop, strict=True)],
        flaechendeckend=[rules.is_flaechendeckend(e, c) for e, c in zip(eligible, covered, strict=True)])


async def _live_matrix_row(conn: asyncpg.Connection, solution: SolutionRef, codes: list[str]) -> MatrixRow:
    """A solution whose summary rows are missing or stale, computed from its adoptions."""
    live = await repo.compute_cells(conn, [solution.id], solution.rollout_level)
    cells = [live.get(code) or rules.empty_cell() for code in codes]
    return _matrix_row(solution, rules.total(cells), *(
        [getattr(c, f) for c in cells]
        for f in ("eligible_units", "covered_units", "eligible_population", "covered_population")))
