"""Rollout SQL, read side: the stored summary rows with the solutions, OZG-Leistungen and Länder
they describe, and the fingerprints that tell when any of them changed. (Computing the figures
and writing the summary rows: ``repository``.)"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from efa_registry.kit.sql import Params
from efa_registry.organisations.repository import key_condition
from efa_registry.rollout import rules
from efa_registry.rollout.model import Cell, LandRef, MatrixFilter, OzgRef, SolutionRef
from efa_registry.rollout.repository import FIGURES, to_cell

STORED = ", ".join(f"r.{f}" for f in FIGURES)
LAND_COLUMNS = "l.ars AS land, l.iso_code, l.name AS land_name"

# Changes whenever a transaction that touched what the cross-solution reads show commits: a
# trigger on each of those tables (migration 2026-12-02T10) leaves the writer's transaction id in
# ``rollout_change``. Under a snapshot with xmin X, every transaction below X has ended, so
# (newest id below X, the ids from X on that the snapshot sees) names exactly the set of changes
# it sees: equal fingerprints, equal data. Two index probes instead of a scan of five tables.
FINGERPRINT_SQL = """
SELECT coalesce((SELECT max(c.tx_id) FROM rollout_change c WHERE c.tx_id < pg_snapshot_xmin(s))::text, '') || '/'
    || coalesce((SELECT string_agg(c.tx_id::text, ',' ORDER BY c.tx_id) FROM rollout_change c
                 WHERE c.tx_id >= pg_snapshot_xmin(s)), '')
FROM pg_current_snapshot() AS s
"""
PRUNE_SQL = """
DELETE FROM rollout_change WHERE tx_id < (SELECT max(tx_id) FROM rollout_change
                                          WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot()))
"""


# The rows of one solution: sums of xmin (as age() differences, integer arithmetic) over a
# handful of indexed rows, so it needs no change log.
def _xmin_sum(table: str, where: str = "") -> str:
    return (f"(SELECT count(*) || ':' || coalesce(count(*) * age('3'::xid)::bigint - sum(age(xmin)::bigint), 0)"
            f" FROM {table} {where})")


SOLUTION_FINGERPRINT_SQL = (f"SELECT {_xmin_sum('solution', 'WHERE id = $1')}"
                            f" || '/' || {_xmin_sum('rollout_solution_land', 'WHERE solution = $1')}")


async def prune_changes(conn: asyncpg.Connection) -> None:
    """Drop the ``rollout_change`` rows no fingerprint reads any more (all but the newest below the
    oldest running writer)."""
    await conn.execute(PRUNE_SQL)


async def fingerprint(conn: asyncpg.Connection) -> str:
    return await conn.fetchval(FINGERPRINT_SQL)


async def solution_fingerprint(conn: asyncpg.Connection, solution_id: uuid.UUID) -> str:
    return await conn.fetchval(SOLUTION_FINGERPRINT_SQL, solution_id)


async def solution_key_fingerprint(conn: asyncpg.Connection, key: str | uuid.UUID) -> str:
    """``solution_fingerprint`` of the solution a UUID or slug names (a constant when none does)."""
    condition, value = key_condition(key, alias="s")
    own = _xmin_sum("solution s", f"WHERE {condition}")
    rows = _xmin_sum("rollout_solution_land r", f"WHERE r.solution = (SELECT s.id FROM solution s WHERE {condition})")
    return await conn.fetchval(f"SELECT {own} || '/' || {rows}", value)


def land_ref(row: asyncpg.Record) -> LandRef:
    return LandRef(code=row["land"], iso_code=row["iso_code"], name=row["land_name"])


def solution_ref(row: asyncpg.Record) -> SolutionRef:
    return SolutionRef(id=row["id"], slug=row["slug"], name=row["name"], status=row["status"],
                       rollout_level=row["rollout_level"])


def _stored_cell(row: asyncpg.Record) -> Cell | None:
    """The figures of a LEFT JOINed summary row; None when missing or computed at another level."""
    return to_cell(row) if row["stored_level"] is not None and row["stored_level"] == row["rollout_level"] else None


async def lands(conn: asyncpg.Connection) -> list[LandRef]:
    rows = await conn.fetch(f"SELECT {LAND_COLUMNS} FROM area l WHERE l.level = 'land' AND l.current ORDER BY l.ars")
    return [land_ref(r) for r in rows]


async def find_solution(conn: asyncpg.Connection, key: str | uuid.UUID) -> SolutionRef | None:
    condition, value = key_condition(key, alias="s")
    row = await conn.fetchrow(f"SELECT s.id, s.slug, s.name, s.status, s.rollout_level FROM solution s"
                              f" WHERE {condition}", value)
    return solution_ref(row) if row else None


async def solution_cells(
    conn: asyncpg.Connection, key: str | uuid.UUID
) -> tuple[SolutionRef | None, list[tuple[LandRef, Cell | None]]]:
    """A solution (by id or slug) with its stored figures in every Land (None where missing or
    computed at another level), in one round trip."""
    condition, value = key_condition(key, alias="s")
    rows = await conn.fetch(
        f"SELECT s.id, s.slug, s.name, s.status, s.rollout_level, {LAND_COLUMNS},"
        f" r.rollout_level AS stored_level, {STORED}"
        f" FROM solution s LEFT JOIN area l ON l.level = 'land' AND l.current"
        f" LEFT JOIN rollout_solution_land r ON r.solution = s.id AND r.land = l.ars"
        f" WHERE {condition} ORDER BY l.ars", value)
    if not rows:
        return None, []
    return solution_ref(rows[0]), [(land_ref(r), _stored_cell(r)) for r in rows if r["land"] is not None]


async def ozg_ref(conn: asyncpg.Connection, ozg_id: str) -> OzgRef | None:
    row = await conn.fetchrow("SELECT ozg_id, name, themenfeld, execution_level FROM ozg_leistung"
                              " WHERE ozg_id = $1", ozg_id)
    return OzgRef(**dict(row)) if row else None


async def solutions_by_id(conn: asyncpg.Connection, ids: Sequence[uuid.UUID]) -> list[SolutionRef]:
    rows = await conn.fetch("SELECT id, slug, name, status, rollout_level FROM solution"
                            " WHERE id = ANY($1::uuid[]) ORDER BY slug", list(ids))
    return [solution_ref(r) for r in rows]


def _fresh_ozg(row: asyncpg.Record, level: str, solution_ids: Sequence[uuid.UUID]) -> Cell | None:
    """Stored OZG figures, unless computed over another level or set of solutions."""
    if row["stored_level"] != level or list(row["solution_ids"]) != sorted(solution_ids):
        return None
    return to_cell(row)


async def ozg_cells(
    conn: asyncpg.Connection, ozg_id: str, level: str, solution_ids: Sequence[uuid.UUID]
) -> list[tuple[LandRef, Cell | None]]:
    rows = await conn.fetch(
        f"SELECT {LAND_COLUMNS}, r.rollout_level AS stored_level, r.solution_ids, {STORED}"
        f" FROM area l LEFT JOIN rollout_ozg_land r ON r.land = l.ars AND r.ozg_leistung = $1"
        f" WHERE l.level = 'land' AND l.current ORDER BY l.ars", ozg_id)
    return [(land_ref(r), _fresh_ozg(r, level, solution_ids)) for r in rows]


async def land_solution_rows(conn: asyncpg.Connection, land: str) -> list[tuple[SolutionRef, Cell | None]]:
    rows = await conn.fetch(
        f"SELECT s.id, s.slug, s.name, s.status, s.rollout_level, r.rollout_level AS stored_level, {STORED}"
        f" FROM solution s LEFT JOIN rollout_solution_land r ON r.solution = s.id AND r.land = $1"
        f" ORDER BY s.slug", land)
    return [(solution_ref(r), _stored_cell(r)) for r in rows]


LAND_OZG_SQL = f"""
WITH members AS (
    SELECT so.ozg_leistung, array_agg(s.id ORDER BY s.id) AS member_ids,
           array_agg(DISTINCT s.rollout_level) AS levels
    FROM solution_ozg_leistung so JOIN solution s ON s.id = so.solution AND s.status <> 'retired'
    GROUP BY so.ozg_leistung
)
SELECT o.ozg_id, o.name, o.themenfeld, o.execution_level, m.member_ids, m.levels,
       r.rollout_level AS stored_level, r.solution_ids, {STORED}
FROM members m JOIN ozg_leistung o ON o.ozg_id = m.ozg_leistung
LEFT JOIN rollout_ozg_land r ON r.ozg_leistung = o.ozg_id AND r.land = $1
ORDER BY o.ozg_id::int
"""


async def land_ozg_rows(
    conn: asyncpg.Connection, land: str
) -> list[tuple[OzgRef, str, list[uuid.UUID], Cell | None]]:
    """(OZG-Leistung, measured level, its non-retired solutions, stored figures or None) for
    every OZG-Leistung with at least one non-retired solution."""
    result = []
    for r in await conn.fetch(LAND_OZG_SQL, land):
        level, _ = rules.ozg_level(r["execution_level"], r["levels"])
        ozg = OzgRef(ozg_id=r["ozg_id"], name=r["name"], themenfeld=r["themenfeld"],
                     execution_level=r["execution_level"])
        result.append((ozg, level, list(r["member_ids"]), _fresh_ozg(r, level, r["member_ids"])))
    return result


def _matrix_filter(p: Params, flt: MatrixFilter, *, ozg_alias: str | None = None) -> list[str]:
    """Conditions on solutions ``s`` (or, with ``ozg_alias``, on OZG-Leistungen; status then n/a)."""
    where = []
    if ozg_alias:
        if flt.themenfeld:
            where.append(f"{ozg_alias}.themenfeld = {p.add(flt.themenfeld)}")
        if flt.ozg_id:
            where.append(f"{ozg_alias}.ozg_id = {p.add(flt.ozg_id)}")
        return where
    if flt.themenfeld:
        where.append("EXISTS (SELECT 1 FROM solution_ozg_leistung so JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung"
                     f" WHERE so.solution = s.id AND o.themenfeld = {p.add(flt.themenfeld)})")
    if flt.ozg_id:
        where.append("EXISTS (SELECT 1 FROM solution_ozg_leistung so WHERE so.solution = s.id"
                     f" AND so.ozg_leistung = {p.add(flt.ozg_id)})")
    if flt.status:
        where.append(f"s.status = {p.add(flt.status)}")
    return where


async def matrix_rows(conn: asyncpg.Connection, flt: MatrixFilter) -> list[asyncpg.Record]:
    """One row per solution (filtered, by slug): its stored cells as arrays in Land order, and
    their sums (``Cell`` columns) for the national figures."""
    p = Params()
    where = _matrix_filter(p, flt)
    arrays = ", ".join(f"array_agg(r.{c} ORDER BY r.land) AS a_{c}" for c in (
        "land", "rollout_level", "eligible_units", "covered_units", "eligible_population", "covered_population"))
    sums = ", ".join(f"coalesce(sum(r.{c}), 0)::bigint AS {c}" for c in FIGURES[:-2])
    return await conn.fetch(
        f"SELECT s.id, s.slug, s.name, s.status, s.rollout_level, {arrays}, {sums},"
        f" min(r.first_go_live) AS first_go_live, max(r.latest_go_live) AS latest_go_live"
        f" FROM solution s LEFT JOIN rollout_solution_land r ON r.solution = s.id"
        f" {'WHERE ' + ' AND '.join(where) if where else ''} GROUP BY s.id ORDER BY s.slug", *p.values)


async def ranking_rows(conn: asyncpg.Connection, flt: MatrixFilter) -> list[asyncpg.Record]:
    """(Land, eligible, covered) of every stored OZG-Leistung cell with at least one solution."""
    p = Params()
    where = ["cardinality(r.solution_ids) > 0", *_matrix_filter(p, flt, ozg_alias="o")]
    return await conn.fetch(
        "SELECT r.land, r.eligible_units, r.covered_units FROM rollout_ozg_land r"
        f" JOIN ozg_leistung o ON o.ozg_id = r.ozg_leistung WHERE {' AND '.join(where)}", *p.values)


def matrix_cell(row: asyncpg.Record) -> Cell:
    """The national sums of a ``matrix_rows`` row."""
    return to_cell(row)
