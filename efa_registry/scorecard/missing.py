"""Who has not docked yet: a solution's eligible units (by its rollout level) in a Land, a Kreis or
nationally that no live adoption covers, with how far each got; paged, or as CSV.

Counted as the solution's rollout counts (``rollout.rules``: eligible area level, prefix coverage
compiled into ``repository.unit_statuses`` from ``PREFIX_LENGTHS``), so missing + covered =
eligible = the rollout figures of the same scope. A unit that is not live shows the furthest
status (``rules.STATUS_PRECEDENCE``) of the adoptions by it or an area containing it, nearest first.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator, Mapping, Sequence

import asyncpg
import structlog

from efa_registry import db
from efa_registry.areas.service import land_key
from efa_registry.errors import InvalidInput, InvalidParameter, NotFound
from efa_registry.kit.paging import decode_cursor, encode_cursor
from efa_registry.scorecard import repository as repo
from efa_registry.scorecard import rules
from efa_registry.scorecard.model import AreaRef, MissingList, MissingScope, MissingSolution, MissingUnit

log = structlog.get_logger(__name__)

CSV_COLUMNS = ("ars", "ags", "name", "level", "population", "kreisArs", "kreisName", "status", "statusFromArs",
               "statusFromName", "statusOrigin", "plannedLiveOn")
CSV_CHUNK_ROWS = 1000


def missing_unit(row: Mapping) -> MissingUnit:
    """A unit row of ``repository.unit_statuses`` that no live adoption covers."""
    source = AreaRef(ars=row["status_ars"], name=row["status_name"], level=row["status_level"]) \
        if row["status_ars"] else None
    return MissingUnit(
        ars=row["ars"], ags=row["ags"], name=row["name"], level=row["level"], population=row["population"],
        kreis=AreaRef(ars=row["kreis_ars"], name=row["kreis_name"], level="kreis") if row["kreis_ars"] else None,
        status=row["status"] or "none", status_from=source,
        # Own: by the unit, or by the same authority under a wider key (a verbandsfreie Gemeinde's Verband).
        status_origin=None if source is None else "own" if row["status_units"] == 1 else "inherited",
        planned_live_on=row["planned_live_on"])


async def _scope(conn: asyncpg.Connection, level: str, land: str | None, kreis: str | None) -> MissingScope:
    if kreis is not None:
        if level == "land":
            raise InvalidInput("a Land-level solution has no eligible units inside a Kreis: use land", field="kreis")
        row = await repo.scope_area(conn, kreis, "kreis")
        if row is None:
            raise NotFound(f"no Kreis with key {kreis}", field="kreis")
        return MissingScope(level="kreis", ars=kreis, name=row["name"])
    if land is not None:
        row = await repo.scope_area(conn, land, "land")
        if row is None:
            raise NotFound(f"no Land with key {land}", field="land")
        return MissingScope(level="land", ars=land, name=row["name"])
    return MissingScope(level="national", ars=None, name="Deutschland")


async def _compute(key: str, land: str | None, kreis: str | None) -> tuple[MissingSolution, MissingScope,
                                                                            list[Mapping], list[MissingUnit]]:
    if land is not None and kreis is not None:
        raise InvalidParameter("give either land or kreis, not both", field="kreis")
    if land is not None:
        try:
            land = await land_key(land)
        except NotFound as exc:
            raise NotFound(exc.detail, field="land") from exc
    async with db.connection() as conn, repo.snapshot(conn):
        row = await repo.solution(conn, key)
        if row is None:
            raise NotFound(f"no solution {key}", field="key")
        solution = MissingSolution(**dict(row))
        scope = await _scope(conn, solution.rollout_level, land, kreis)
        rows = await repo.unit_statuses(conn, solution.id, solution.rollout_level, scope.ars or "",
                                        rules.STATUS_PRECEDENCE)
    return solution, scope, [r for r in rows if r["covered"]], [missing_unit(r) for r in rows if not r["covered"]]


async def missing(key: str, *, land: str | None = None, kreis: str | None = None, limit: int = 50,
                  after: str | None = None) -> MissingList:
    """One page (by ARS) of the units not yet live with the solution, with the scope's totals."""
    cursor = decode_cursor(after, listing="missing", kinds=(str,))  # the last ARS of the page before
    started = time.perf_counter()
    solution, scope, covered, units = await _compute(key, land, kreis)
    log.info("scorecard.missing_listed", solution=solution.slug, scope=scope.ars or "DE", missing=len(units),
             covered=len(covered), ms=round((time.perf_counter() - started) * 1000, 1))
    rest = [u for u in units if cursor is None or u.ars > cursor[0]]
    page = rest[:limit]
    eligible_population = sum(u["population"] for u in covered) + sum(u.population for u in units)
    covered_population = sum(u["population"] for u in covered)
    return MissingList(
        solution=solution, scope=scope, eligible_units=len(covered) + len(units), covered_units=len(covered),
        missing_units=len(units), eligible_population=eligible_population, covered_population=covered_population,
        missing_population=eligible_population - covered_population, items=page,
        next_cursor=encode_cursor([page[-1].ars], "missing") if len(rest) > limit else None)


def _csv_rows(units: Sequence[MissingUnit]) -> Iterator[bytes]:
    """The CSV in chunks: header, then one row per unit (RFC 4180 quoting, LF line ends, empty = none)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for start in range(0, len(units), CSV_CHUNK_ROWS):
        for u in units[start:start + CSV_CHUNK_ROWS]:
            writer.writerow((u.ars, u.ags or "", u.name, u.level, u.population, u.kreis.ars if u.kreis else "",
                             u.kreis.name if u.kreis else "", u.status, u.status_from.ars if u.status_from else "",
                             u.status_from.name if u.status_from else "", u.status_origin or "",
                             u.planned_live_on.isoformat() if u.planned_live_on else ""))
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if not units:
        yield buffer.getvalue().encode()


async def missing_csv(key: str, *, land: str | None = None, kreis: str | None = None) -> tuple[str, Iterator[bytes]]:
    """(file name, chunks): every not-yet-docked unit of the scope as CSV, by ARS."""
    solution, scope, _, units = await _compute(key, land, kreis)
    return f"{solution.slug}-missing-{scope.ars or 'de'}.csv", _csv_rows(units)
