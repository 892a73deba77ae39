"""Rollout SQL: the coverage rule in one place, the summary rows it keeps, and their reads.

Every figure comes from ``_coverage``: the adoptions of a set of solutions (one solution, or all
solutions of an OZG-Leistung) and the current areas at the eligible level, optionally within one
Land. A unit is covered when a live adoption's area is the unit or one of its ARS prefixes
(``rules.PREFIX_LENGTHS``): each live adoption looks up the units whose ARS starts with its own
as one range scan of ``area_rollout_unit_idx`` (byte order, ``COLLATE "C"``, where the digits
of a prefix P are followed by ``P || ':'``), so the cost grows with the live adoptions and the
units they cover, never with units × adoptions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg

from efa_registry.organisations.repository import key_condition
from efa_registry.rollout import rules
from efa_registry.rollout.model import Cell, LandRef, MatrixFilter, OzgRef, SolutionRef
from efa_registry.sql import Params

FIGURES = tuple(Cell.__struct_fields__)
STATUS_COUNTS = ", ".join(f"count(*) FILTER (WHERE status = '{s}')::int AS {s}" for s in rules.STATUSES)
# Held shared by every refresh and exclusively by rebuild_all, so a rebuild never interleaves
# with a cell refresh.
REBUILD_LOCK = "rollout:rebuild"


def _coverage(p: Params, solution_ids: Sequence[uuid.UUID], level: str, land: str | None) -> str:
    """CTEs ``adopted`` (the adoptions of the solutions) and ``covering`` (each covered unit with
    its population and its first and latest covering go-live)."""
    ids, area_level = p.add(list(solution_ids)), p.add(rules.ELIGIBLE_AREA_LEVEL[level])
    in_land = f"AND left(a.area, 2) = {p.add(land)}" if land else ""
    return f"""
adopted AS (
    SELECT a.area, a.status, a.live_since FROM adoption a WHERE a.solution = ANY({ids}::uuid[]) {in_land}
),
covering AS (
    SELECT u.ars, coalesce(u.population, 0)::bigint AS population, min(a.live_since) AS since,
           max(a.live_since) AS latest
    FROM adopted a
    JOIN area u ON u.level = {area_level} AND u.current
         AND u.ars COLLATE "C" >= a.area COLLATE "C" AND u.ars COLLATE "C" < (a.area || ':') COLLATE "C"
    WHERE a.status = 'live' AND length(a.area) IN ({", ".join(map(str, rules.PREFIX_LENGTHS))})
    GROUP BY u.ars, u.population
)"""


def _cells(p: Params, solution_ids: Sequence[uuid.UUID], level: str, land: str | None, by: str = "land") -> str:
    """CTE ``cells``: one row per Land (all, or ``land``), or with ``by="kreis"`` per Kreis of
    ``land``, keyed ``key`` (and ``name``), with the ``Cell`` columns: the units inside it and the
    adoptions located in it."""
    n = 2 if by == "land" else 5
    coverage = _coverage(p, solution_ids, level, land)
    in_land = f"AND u.land = {p.add(land)}" if land else ""
    unit_level = p.add(rules.ELIGIBLE_AREA_LEVEL[level])
    only = "" if not land else f"AND k.ars = {p.add(land)}" if by == "land" else f"AND k.land = {p.add(land)}"
    return f"""
WITH {coverage},
eligible AS (
    SELECT left(u.ars, {n}) AS key, count(*)::int AS n, sum(coalesce(u.population, 0))::bigint AS pop FROM area u
    WHERE u.level = {unit_level} AND u.current {in_land} GROUP BY 1
),
covered AS (
    SELECT left(ars, {n}) AS key, count(*)::int AS n, sum(population)::bigint AS pop, min(since) AS first,
           max(latest) AS latest
    FROM covering GROUP BY 1
),
statuses AS (SELECT left(area, {n}) AS key, {STATUS_COUNTS} FROM adopted WHERE length(area) >= {n} GROUP BY 1),
cells AS (
    SELECT k.ars AS key, k.name, coalesce(e.n, 0) AS eligible_units, coalesce(e.pop, 0) AS eligible_population,
           coalesce(c.n, 0) AS covered_units, coalesce(c.pop, 0) AS covered_population,
           {", ".join(f"coalesce(s.{s}, 0) AS {s}" for s in rules.STATUSES)},
           c.first AS first_go_live, c.latest AS latest_go_live
    FROM area k
    LEFT JOIN eligible e ON e.key = k.ars LEFT JOIN covered c ON c.key = k.ars LEFT JOIN statuses s ON s.key = k.ars
    WHERE k.level = '{by}' AND k.current {only}
)"""


def _cell(row: asyncpg.Record) -> Cell:
    return Cell(**{f: row[f] for f in FIGURES})


# --------------------------------------------------------------------------- computing (exact, live)


async def compute_cells(
    conn: asyncpg.Connection, solution_ids: Sequence[uuid.UUID], level: str, land: str | None = None
) -> dict[str, Cell]:
    """Figures per Land straight from the adoptions (no summary rows read or written)."""
    p = Params()
    rows = await conn.fetch(_cells(p, solution_ids, level, land) + " SELECT * FROM cells", *p.values)
    return {r["key"]: _cell(r) for r in rows}


async def compute_kreis_cells(
    conn: asyncpg.Connection, solution_ids: Sequence[uuid.UUID], level: str, land: str
) -> list[tuple[str, str, Cell]]:
    """(Kreis ARS, name, figures) for every Kreis (and kreisfreie Stadt) of ``land``."""
    p = Params()
    sql = _cells(p, solution_ids, level, land, by="kreis") + " SELECT * FROM cells ORDER BY key"
    return [(r["key"], r["name"], _cell(r)) for r in await conn.fetch(sql, *p.values)]


async def compute_new_per_month(
    conn: asyncpg.Connection, solution_ids: Sequence[uuid.UUID], level: str
) -> list[tuple[str, dt.date, int]]:
    """(Land, month, units first covered in that month): a unit counts from its first go-live."""
    p = Params()
    sql = (f"WITH {_coverage(p, solution_ids, level, None)}"
           " SELECT left(ars, 2) AS land, date_trunc('month', since)::date AS month, count(*)::int AS n"
           " FROM covering GROUP BY 1, 2 ORDER BY 1, 2")
    return [(r["land"], r["month"], r["n"]) for r in await conn.fetch(sql, *p.values)]


# --------------------------------------------------------------------------- maintaining summary rows


def _upsert(table: str, key_column: str, key: str, extra: dict[str, str]) -> str:
    columns = [key_column, "land", *extra, *FIGURES]
    selected = [key, "key", *extra.values(), *FIGURES]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[2:])
    return (f" INSERT INTO {table} ({', '.join(columns)}, refreshed_at)"
            f" SELECT {', '.join(selected)}, now() FROM cells"
            f" ON CONFLICT ({key_column}, land) DO UPDATE SET {updates}, refreshed_at = now()")


async def store_solution_cells(
    conn: asyncpg.Connection, solution_id: uuid.UUID, level: str, land: str | None = None
) -> None:
    p = Params()
    cells = _cells(p, [solution_id], level, land)
    key, stored_level = p.add(solution_id), p.add(level)
    await conn.execute(cells + _upsert("rollout_solution_land", "solution", f"{key}::uuid",
                                       {"rollout_level": stored_level}), *p.values)


async def store_ozg_cells(
    conn: asyncpg.Connection, ozg_id: str, level: str, solution_ids: Sequence[uuid.UUID], land: str | None = None
) -> None:
    """Figures over the union of ``solution_ids``; the set is stored to spot later link changes."""
    p = Params()
    ordered = sorted(solution_ids)
    cells = _cells(p, ordered, level, land)
    key, stored_level, ids = p.add(ozg_id), p.add(level), p.add(ordered)
    await conn.execute(cells + _upsert("rollout_ozg_land", "ozg_leistung", key,
                                       {"rollout_level": stored_level, "solution_ids": f"{ids}::uuid[]"}), *p.values)


async def lock(conn: asyncpg.Connection, keys: Sequence[str]) -> None:
    """Transaction-scoped locks on summary cells, taken in the given order (callers sort them).

    The shared rebuild lock comes first, so a running ``rebuild_all`` holds every refresh off.
    """
    await conn.execute(
        "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0)),"
        " (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))"
        "  FROM (SELECT k FROM unnest($2::text[]) WITH ORDINALITY AS t(k, i) ORDER BY i) AS ordered)",
        REBUILD_LOCK, list(keys))


async def lock_rebuild(conn: asyncpg.Connection) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", REBUILD_LOCK)


def cell_key(kind: str, key: object, land: str) -> str:
    return f"rollout:{kind}:{key}:{land}"


async def land_codes(conn: asyncpg.Connection) -> list[str]:
    return [r[0] for r in await conn.fetch("SELECT ars FROM area WHERE level = 'land' AND current ORDER BY ars")]


async def solution_state(conn: asyncpg.Connection, solution_id: uuid.UUID) -> asyncpg.Record | None:
    """The solution's level, the levels its summary rows were computed at, and its OZG-Leistungen
    (linked now, or counted in a stored OZG summary: both need a refresh after a link change)."""
    return await conn.fetchrow(
        "SELECT s.rollout_level,"
        " ARRAY(SELECT DISTINCT r.rollout_level FROM rollout_solution_land r WHERE r.solution = s.id) AS stored,"
        " ARRAY(SELECT so.ozg_leistung FROM solution_ozg_leistung so WHERE so.solution = s.id"
        "       UNION SELECT o.ozg_leistung FROM rollout_ozg_land o WHERE s.id = ANY(o.solution_ids)"
        "       ORDER BY 1) AS ozg_ids"
        # FOR SHARE: a concurrent change of the level or the links (an UPDATE of the solution
        # row) waits for this refresh to commit, or this refresh waits and reads the new state.
        " FROM solution s WHERE s.id = $1 FOR SHARE OF s", solution_id)


MEMBERS_SQL = """
SELECT o.ozg_id, o.execution_level,
       coalesce(array_agg(s.id ORDER BY s.id) FILTER (WHERE s.id IS NOT NULL), ARRAY[]::uuid[]) AS solution_ids,
       coalesce(array_agg(s.rollout_level ORDER BY s.id) FILTER (WHERE s.id IS NOT NULL), ARRAY[]::text[]) AS levels
FROM ozg_leistung o
LEFT JOIN solution_ozg_leistung so ON so.ozg_leistung = o.ozg_id
LEFT JOIN solution s ON s.id = so.solution AND s.status <> 'retired'
WHERE {where}
GROUP BY o.ozg_id
ORDER BY o.ozg_id
"""


async def ozg_members(conn: asyncpg.Connection, ozg_ids: Sequence[str] | None = None) -> list[asyncpg.Record]:
    """Per OZG-Leistung: execution level and its non-retired solutions (ids and levels)."""
    if ozg_ids is None:
        return await conn.fetch(MEMBERS_SQL.format(where="true"))
    return await conn.fetch(MEMBERS_SQL.format(where="o.ozg_id = ANY($1::text[])"), list(ozg_ids))


async def stored_ozg_state(conn: asyncpg.Connection, ozg_ids: Sequence[str], land: str) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("SELECT ozg_leistung, rollout_level, solution_ids FROM rollout_ozg_land"
                            " WHERE ozg_leistung = ANY($1::text[]) AND land = $2", list(ozg_ids), land)
    return {r["ozg_leistung"]: r for r in rows}


async def clear(conn: asyncpg.Connection) -> None:
    # DELETE, not TRUNCATE: readers keep seeing the old figures until the rebuild commits.
    await conn.execute("DELETE FROM rollout_solution_land")
    await conn.execute("DELETE FROM rollout_ozg_land")


async def all_solution_ids(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT id, rollout_level FROM solution ORDER BY id")


# --------------------------------------------------------------------------- reads

STORED = ", ".join(f"r.{f}" for f in FIGURES)
LAND_COLUMNS = "l.ars AS land, l.iso_code, l.name AS land_name"

# Changes whenever a transaction that touched what the cross-solution reads show commits: every
# refresh rewrites its summary rows and a catalogue change rewrites a solution or OZG row, each
# time with a newer (larger) xmin, so per table (row count, sum of xmin) never repeats. The sum
# is taken as age() differences (integer arithmetic, no text casts): sum(xmin) - 3·count.
def _xmin_sum(table: str, where: str = "") -> str:
    return (f"(SELECT count(*) || ':' || coalesce(count(*) * age('3'::xid)::bigint - sum(age(xmin)::bigint), 0)"
            f" FROM {table} {where})")


FINGERPRINT_SQL = "SELECT " + " || '/' || ".join(
    _xmin_sum(t) for t in ("rollout_solution_land", "rollout_ozg_land", "solution", "solution_ozg_leistung",
                           "ozg_leistung"))
SOLUTION_FINGERPRINT_SQL = (f"SELECT {_xmin_sum('solution', 'WHERE id = $1')}"
                            f" || '/' || {_xmin_sum('rollout_solution_land', 'WHERE solution = $1')}")


async def fingerprint(conn: asyncpg.Connection) -> str:
    return await conn.fetchval(FINGERPRINT_SQL)


async def solution_fingerprint(conn: asyncpg.Connection, solution_id: uuid.UUID) -> str:
    return await conn.fetchval(SOLUTION_FINGERPRINT_SQL, solution_id)


def land_ref(row: asyncpg.Record) -> LandRef:
    return LandRef(code=row["land"], iso_code=row["iso_code"], name=row["land_name"])


def solution_ref(row: asyncpg.Record) -> SolutionRef:
    return SolutionRef(id=row["id"], slug=row["slug"], name=row["name"], status=row["status"],
                       rollout_level=row["rollout_level"])


def _stored_cell(row: asyncpg.Record) -> Cell | None:
    """The figures of a LEFT JOINed summary row; None when missing or computed at another level."""
    return _cell(row) if row["stored_level"] is not None and row["stored_level"] == row["rollout_level"] else None


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
    return _cell(row)


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
    return _cell(row)
