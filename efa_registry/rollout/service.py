"""Rollout use cases: the reads (per solution, OZG-Leistung and Land, the matrix and the timeline).

Stored summary rows are served where they are exact, computed live where they are missing or
stale. The refresh hooks the write side calls live in ``refresh`` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence

import asyncpg
import msgspec

from efa_registry import db
from efa_registry.errors import InvalidParameter, NotFound, found
from efa_registry.ozg import repository as catalogue
from efa_registry.rollout import forecast as fc
from efa_registry.rollout import repository as repo
from efa_registry.rollout import rules
from efa_registry.rollout import summary_repository as summary
from efa_registry.rollout.cache import cached
from efa_registry.rollout.model import (
    Cell,
    ForecastFigures,
    KreisFigures,
    LandFigures,
    LandOverview,
    LandRef,
    LandSeries,
    Matrix,
    MatrixFilter,
    MatrixRow,
    OzgInLand,
    OzgRef,
    OzgRollout,
    SolutionInLand,
    SolutionRef,
    SolutionRollout,
    Timeline,
)
from efa_registry.rollout.refresh import (  # noqa: F401  re-exported: callers use rollout.service.refresh_…
    apply_adoption_changes,
    rebuild_all,
    refresh_after_adoption_change,
    refresh_ozg_leistung,
    refresh_solution,
)
from efa_registry.types import RolloutLevel


async def _solution(conn: asyncpg.Connection, key: str | uuid.UUID) -> SolutionRef:
    return found(await summary.find_solution(conn, key), f"no solution {key}", field="key")


async def _solution_cells(
    conn: asyncpg.Connection, key: str | uuid.UUID
) -> tuple[SolutionRef, list[tuple[LandRef, Cell]]]:
    """Stored figures; a solution never summarised (or at another level) is computed live."""
    solution, stored = await summary.solution_cells(conn, key)
    if solution is None:
        raise NotFound(f"no solution {key}", field="key")
    if all(cell is not None for _, cell in stored):
        return solution, stored  # type: ignore[return-value]
    live = await repo.compute_cells(conn, [solution.id], solution.rollout_level)
    return solution, [(land, cell or live.get(land.code, rules.empty_cell())) for land, cell in stored]


GoLiveDays = list[tuple[str, dt.date, int]]


def _per_land(cells: Sequence[tuple[LandRef, Cell]], go_live_days: GoLiveDays, today: dt.date | None
              ) -> tuple[list[LandFigures], ForecastFigures]:
    """Figures and forecast per Land and nationally."""
    units = {land.code: (cell.eligible_units, cell.covered_units) for land, cell in cells}
    forecasts, national = fc.by_land(units, go_live_days, today or dt.date.today())

    def with_forecast(cell: Cell, forecast: fc.Forecast) -> ForecastFigures:
        return ForecastFigures(**msgspec.structs.asdict(rules.figures(cell)), forecast=forecast)

    lands = [LandFigures(land=land, figures=with_forecast(cell, forecasts[land.code])) for land, cell in cells]
    return lands, with_forecast(rules.total([cell for _, cell in cells]), national)


async def _solution_go_lives(conn: asyncpg.Connection, solution: SolutionRef) -> GoLiveDays:
    """The go-live days of the units a solution covers now; cached while its figures are unchanged."""
    return await cached(conn, ("go_lives", solution.id), lambda c: summary.solution_fingerprint(c, solution.id),
                        lambda c: repo.compute_go_live_days(c, [solution.id], solution.rollout_level))


async def solution_rollout(key: str | uuid.UUID, *, land: str | None = None, by: str = "land",
                           today: dt.date | None = None) -> SolutionRollout:
    """Per Land and national, each with its forecast as of ``today`` (default: the current date);
    with ``land`` only that Land is listed, ``by="kreis"`` adds its Kreise. Cached per process while
    the solution's row and summary rows are unchanged (one indexed statement per hit)."""
    if by == "kreis" and land is None:
        raise InvalidParameter("by=kreis needs a land to drill into", field="land")
    day = today or dt.date.today()
    async with db.connection() as conn:
        return await cached(conn, ("solution_rollout", str(key), land, by, day),
                            lambda c: summary.solution_key_fingerprint(c, key),
                            lambda c: _solution_rollout(c, key, land, by, day))


async def _solution_rollout(conn: asyncpg.Connection, key: str | uuid.UUID, land: str | None, by: str,
                            today: dt.date) -> SolutionRollout:
    code = await _land_code(conn, land, field="land") if land else None
    solution, cells = await _solution_cells(conn, key)
    lands, national = _per_land(cells, await _solution_go_lives(conn, solution), today)
    if code is not None:
        lands = [f for f in lands if f.land.code == code]
        if not lands:
            raise NotFound(f"no Land with key {code}", field="land")
    kreise = await _kreise(conn, solution, code) if by == "kreis" else None
    return SolutionRollout(solution=solution, lands=lands, national=national, kreise=kreise)


async def solution_kreise(key: str | uuid.UUID) -> list[KreisFigures]:
    """Every Kreis of Germany with the solution's figures (the national Kreis map)."""
    async with db.connection() as conn:
        return await _kreise(conn, await _solution(conn, key), None)


async def _land_code(conn: asyncpg.Connection, code: str, *, field: str) -> str:
    """``05`` or ``DE-NW`` (any case) → ``05``; a Land key is taken as it is (the caller checks it)."""
    if code.isdigit():
        return code
    land = next((x for x in await summary.lands(conn) if x.iso_code == code.upper()), None)
    if land is None:
        raise NotFound(f"no Land with code {code}", field=field)
    return land.code


async def _kreise(conn: asyncpg.Connection, solution: SolutionRef, land: str | None) -> list[KreisFigures]:
    """The Kreise of ``land``, or of Germany when None."""
    if solution.rollout_level == "land":
        raise InvalidParameter("a land-level solution has no units inside Kreise", field="by")

    async def compute(c: asyncpg.Connection) -> list[KreisFigures]:
        rows = await repo.compute_kreis_cells(c, [solution.id], solution.rollout_level, land)
        return [KreisFigures(ars=ars, name=name, figures=rules.figures(cell)) for ars, name, cell in rows]

    return await cached(conn, ("kreise", solution.id, land), lambda c: summary.solution_fingerprint(c, solution.id),
                        compute)


async def solution_timeline(key: str | uuid.UUID) -> Timeline:
    """Cumulative covered units at the end of each month, per Land and nationally."""
    async with db.connection() as conn:
        solution = await _solution(conn, key)
        return await cached(conn, ("timeline", solution.id),
                            lambda c: summary.solution_fingerprint(c, solution.id),
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


async def _ozg_members(conn: asyncpg.Connection, ozg_id: str) -> tuple[OzgRef, list[uuid.UUID], RolloutLevel, str]:
    """An OZG-Leistung, its non-retired solutions, and the level (and its source) it is measured at."""
    ozg = found(await summary.ozg_ref(conn, ozg_id), f"no OZG-Leistung {ozg_id}", field="ozgId")
    (member,) = await repo.ozg_members(conn, [ozg_id])
    level, source = rules.ozg_level(ozg.execution_level, member["levels"])
    return ozg, list(member["solution_ids"]), level, source


async def ozg_rollout(ozg_id: str, *, today: dt.date | None = None) -> OzgRollout:
    """An OZG-Leistung per Land and nationally, over the union of its non-retired solutions, each
    with its forecast as of ``today`` (default: the current date)."""
    async with db.connection() as conn:
        ozg, ids, level, source = await _ozg_members(conn, ozg_id)
        stored = await summary.ozg_cells(conn, ozg_id, level, ids)
        if any(cell is None for _, cell in stored):
            live = await repo.compute_cells(conn, ids, level)
            stored = [(land, cell or live.get(land.code, rules.empty_cell())) for land, cell in stored]
        solutions = await summary.solutions_by_id(conn, ids)
        go_lives = await cached(conn, ("ozg_go_lives", ozg_id, level, tuple(ids)), summary.fingerprint,
                                lambda c: repo.compute_go_live_days(c, ids, level))
    lands, national = _per_land(stored, go_lives, today)  # type: ignore[arg-type]
    return OzgRollout(ozg_leistung=ozg, rollout_level=level, level_source=source, solutions=solutions,
                      lands=lands, national=national)


async def ozg_kreise(ozg_id: str, land: str | None = None) -> list[KreisFigures]:
    """Every Kreis of ``land`` (or of Germany) with the OZG-Leistung's figures over its solutions."""
    async with db.connection() as conn:
        code = await _land_code(conn, land, field="land") if land else None
        _, ids, level, _ = await _ozg_members(conn, ozg_id)
        if level == "land":
            raise InvalidParameter("a land-level OZG-Leistung has no units inside Kreise", field="by")

        async def compute(c: asyncpg.Connection) -> list[KreisFigures]:
            rows = await repo.compute_kreis_cells(c, ids, level, code)
            return [KreisFigures(ars=ars, name=name, figures=rules.figures(cell)) for ars, name, cell in rows]

        return await cached(conn, ("ozg_kreise", ozg_id, level, tuple(ids), code), summary.fingerprint, compute)


async def land_overview(code: str) -> LandOverview:
    """Every solution and every OZG-Leistung with a non-retired solution, in one Land."""
    async with db.connection() as conn:
        key = await _land_code(conn, code, field="code")
        return await cached(conn, ("land", key), summary.fingerprint, lambda c: _land_overview(c, key))


async def _land_overview(conn: asyncpg.Connection, key: str) -> LandOverview:
    land = next((x for x in await summary.lands(conn) if x.code == key), None)
    if land is None:
        raise NotFound(f"no Land with key {key}", field="code")
    solutions = []
    for solution, cell in await summary.land_solution_rows(conn, key):
        if cell is None:
            cell = (await repo.compute_cells(conn, [solution.id], solution.rollout_level, key))[key]
        solutions.append(SolutionInLand(solution=solution, figures=rules.figures(cell)))
    ozgs = []
    for ozg, level, ids, cell in await summary.land_ozg_rows(conn, key):
        if cell is None:
            cell = (await repo.compute_cells(conn, ids, level, key))[key]
        ozgs.append(OzgInLand(ozg_leistung=ozg, rollout_level=level, figures=rules.figures(cell)))  # type: ignore[arg-type]
    return LandOverview(land=land, solutions=solutions, ozg_leistungen=ozgs)


async def matrix(flt: MatrixFilter) -> Matrix:
    """Solutions × Länder (filtered), and the Länder ranked by flächendeckend OZG-Leistungen."""
    async with db.connection() as conn:
        await catalogue.check_keys(conn, themenfelder=[flt.themenfeld])
        return await cached(conn, ("matrix", flt), summary.fingerprint, lambda c: _matrix(c, flt))


async def _matrix(conn: asyncpg.Connection, flt: MatrixFilter) -> Matrix:
    lands = await summary.lands(conn)
    codes = [land.code for land in lands]
    rows = []
    for r in await summary.matrix_rows(conn, flt):
        solution = summary.solution_ref(r)
        if r["a_land"] != codes or any(level != solution.rollout_level for level in r["a_rollout_level"]):
            rows.append(await _live_matrix_row(conn, solution, codes))
            continue
        rows.append(_matrix_row(solution, summary.matrix_cell(r), r["a_eligible_units"], r["a_covered_units"],
                                r["a_eligible_population"], r["a_covered_population"]))
    ranking = rules.rank_lands(lands, ((r["land"], r["eligible_units"], r["covered_units"])
                                      for r in await summary.ranking_rows(conn, flt)))
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
