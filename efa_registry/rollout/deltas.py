"""Rollout summaries kept by deltas: what a set of adoption changes moves in the stored cells.

A full cell refresh (``repository.store_solution_cells``) reads every adoption of the solution in
the Land; a write changes one adoption, so the cell moves by what that one adoption changes:

* status counts: −1 at the old status, +1 at the new one;
* coverage: only the eligible units inside the changed adoptions' areas can change. For each such
  unit the statement looks up the *other* live adoptions covering it (the unit's ARS prefixes,
  ``adoption_live_area_idx``) and compares "others + the changes as they were" with "others + the
  changes as they are" — the same coverage rule as ``repository._coverage``, unit by unit;
* first and latest go-live: the minimum and maximum ``live_since`` of the live adoptions that cover
  at least one unit. Adding a date only moves them outward; removing the date that *is* the
  minimum (or maximum) recomputes it from the Land's live adoptions of the solution(s).

All targets — the solution's cell and the cells of every OZG-Leistung counting it — move in one
statement. Each UPDATE is guarded by the level (and, for an OZG-Leistung, the set of solutions)
the stored row was computed over; the caller redoes the cells whose guard did not match. Callers
hold the cells' advisory locks (``locks``) from before this statement starts, so its
snapshot sees every concurrent writer of the same cells either committed or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg
import msgspec

from efa_registry.kit import sql
from efa_registry.kit.sql import Rider
from efa_registry.rollout import rules

STATUSES = rules.STATUSES
LENGTHS = ", ".join(map(str, rules.PREFIX_LENGTHS))
PREFIXES = ", ".join(f"left(u.ars, {n})" for n in rules.PREFIX_LENGTHS)
IN_RANGE = 'u.ars COLLATE "C" >= {a} COLLATE "C" AND u.ars COLLATE "C" < ({a} || \':\') COLLATE "C"'


class AdoptionChange(msgspec.Struct, frozen=True, kw_only=True):
    """One adoption as it was before the write (``before_status`` None: it is new) and as it is now."""

    adoption_id: uuid.UUID
    area: str
    before_status: str | None
    before_since: dt.date | None
    after_status: str
    after_since: dt.date | None

    @property
    def moves_figures(self) -> bool:
        """Does it change any stored figure? (A note or plan alone does not.)"""
        return self.before_status != self.after_status or self.moves_coverage

    @property
    def moves_coverage(self) -> bool:
        """Can it change coverage or go-live dates (not only status counts)? It goes live, stops
        being live, or moves its go-live date — the ``moved`` changes of the delta statement."""
        return (self.before_status == "live") != (self.after_status == "live") or (
            self.after_status == "live" and self.before_since != self.after_since)


class Target(msgspec.Struct, frozen=True):
    """A summary row family to move: ``kind`` solution (key: its id) or ozg (key: the OZG-ID), the
    level its units are counted at, and the solutions whose adoptions it counts (for an
    OZG-Leistung, exactly the stored ``solution_ids``)."""

    kind: str
    key: str
    level: str
    solution_ids: tuple[uuid.UUID, ...]


def _moved(role: str) -> str:
    """Per affected unit: how many changed adoptions covered it as they were (``old``) or as they are
    (``new``), with their earliest and latest go-live."""
    status, since = ("before_status", "before_since") if role == "old" else ("after_status", "after_since")
    return (f"LEFT JOIN LATERAL (SELECT count(*) AS n, min(c.{since}) AS lo, max(c.{since}) AS hi FROM moved c"
            f" WHERE c.{status} = 'live' AND left(un.ars, length(c.area)) = c.area) {role} ON true")


def _recompute(agg: str) -> str:
    """min/max go-live of the live adoptions of the target's solutions that cover a unit in the Land."""
    return (f"(SELECT {agg}(a.live_since) FROM adoption a JOIN m ON m.solution = a.solution AND m.n = d.n"
            f" WHERE left(a.area, 2) = d.land AND a.status = 'live' AND length(a.area) IN ({LENGTHS})"
            f" AND EXISTS (SELECT 1 FROM area u WHERE u.level = d.area_level AND u.current"
            f" AND {IN_RANGE.format(a='a.area')}))")


STATUS_DELTAS = f"""statuses AS (
    SELECT t.n, left(c.area, 2) AS land,
           {", ".join(f"count(*) FILTER (WHERE c.after_status = '{s}') - count(*) FILTER"
                      f" (WHERE c.before_status = '{s}') AS {s}" for s in STATUSES)}
    FROM t CROSS JOIN c GROUP BY 1, 2
)"""

DELTA = f"""
WITH c AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::text[], $6::date[])
        AS c(id, area, before_status, before_since, after_status, after_since)
),
t AS (SELECT * FROM unnest($7::text[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY AS t(kind, key, level,
                                                                                                area_level, n)),
m AS (SELECT * FROM unnest($11::bigint[], $12::uuid[]) AS m(n, solution)),
moved AS (
    SELECT * FROM c WHERE length(area) IN ({LENGTHS})
      AND ((coalesce(before_status, '') = 'live') <> (after_status = 'live')
           OR (after_status = 'live' AND before_since IS DISTINCT FROM after_since))
),
units AS (
    SELECT DISTINCT t.n, u.ars, u.land, coalesce(u.population, 0)::bigint AS population
    FROM t JOIN moved c ON true
    JOIN area u ON u.level = t.area_level AND u.current AND {IN_RANGE.format(a='c.area')}
),
per_unit AS (
    SELECT un.n, un.land, un.population, others.n > 0 AS others, old.n > 0 AS was, new.n > 0 AS now,
           old.lo AS old_lo, old.hi AS old_hi, new.lo AS new_lo, new.hi AS new_hi
    FROM units un
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM adoption a
        WHERE a.status = 'live' AND a.area = ANY(ARRAY[{PREFIXES.replace('u.ars', 'un.ars')}])
          AND a.solution IN (SELECT m.solution FROM m WHERE m.n = un.n) AND a.id NOT IN (SELECT id FROM moved)
    ) others
    {_moved("old")}
    {_moved("new")}
),
coverage AS (
    SELECT n, land,
           count(*) FILTER (WHERE others OR now) - count(*) FILTER (WHERE others OR was) AS units,
           coalesce(sum(population) FILTER (WHERE others OR now), 0)
             - coalesce(sum(population) FILTER (WHERE others OR was), 0) AS population,
           min(old_lo) AS removed_lo, max(old_hi) AS removed_hi, min(new_lo) AS added_lo, max(new_hi) AS added_hi
    FROM per_unit GROUP BY n, land
),
{STATUS_DELTAS},
d AS (
    SELECT s.*, t.kind, t.key, t.level, t.area_level, coalesce(v.units, 0) AS units,
           coalesce(v.population, 0) AS population, v.removed_lo, v.removed_hi, v.added_lo, v.added_hi,
           (SELECT array_agg(m.solution ORDER BY m.solution) FROM m WHERE m.n = s.n) AS ids
    FROM statuses s JOIN t USING (n) LEFT JOIN coverage v USING (n, land)
),
{{updates}}
SELECT kind, key, land FROM solution_cells UNION ALL SELECT kind, key, land FROM ozg_cells
"""

# Changes that move status counts only (a subscription, most lifecycle steps): the same targets,
# guards and counts without the coverage part — a tenth of the statement to start and run.
COUNTS = f"""
WITH c AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS c(area, before_status, after_status)),
t AS (SELECT * FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(kind, key, level, n)),
m AS (SELECT * FROM unnest($7::bigint[], $8::uuid[]) AS m(n, solution)),
{STATUS_DELTAS},
d AS (
    SELECT s.*, t.kind, t.key, t.level, (SELECT array_agg(m.solution ORDER BY m.solution) FROM m WHERE m.n = s.n) AS ids
    FROM statuses s JOIN t USING (n)
),
{{updates}}
SELECT kind, key, land FROM solution_cells UNION ALL SELECT kind, key, land FROM ozg_cells
"""

SET_COUNTS = ", ".join([*(f"{s} = r.{s} + d.{s}" for s in STATUSES), "refreshed_at = now()"])
SET = ", ".join([
    "covered_units = r.covered_units + d.units", "covered_population = r.covered_population + d.population",
    *(f"{s} = r.{s} + d.{s}" for s in STATUSES),
    "first_go_live = CASE WHEN d.removed_lo IS NULL OR d.removed_lo > r.first_go_live"
    f" THEN least(r.first_go_live, d.added_lo) ELSE {_recompute('min')} END",
    "latest_go_live = CASE WHEN d.removed_hi IS NULL OR d.removed_hi < r.latest_go_live"
    f" THEN greatest(r.latest_go_live, d.added_hi) ELSE {_recompute('max')} END",
    "refreshed_at = now()"])
UPDATES = (
    "solution_cells AS (UPDATE rollout_solution_land r SET {set} FROM d WHERE d.kind = 'solution'"
    " AND r.solution = d.key::uuid AND r.land = d.land AND r.rollout_level = d.level RETURNING d.kind, d.key, d.land),"
    " ozg_cells AS (UPDATE rollout_ozg_land r SET {set} FROM d WHERE d.kind = 'ozg' AND r.ozg_leistung = d.key"
    " AND r.land = d.land AND r.rollout_level = d.level AND r.solution_ids = d.ids RETURNING d.kind, d.key, d.land)")
SQL = DELTA.format(updates=UPDATES.format(set=SET))
COUNTS_SQL = COUNTS.format(updates=UPDATES.format(set=SET_COUNTS))


async def apply(conn: asyncpg.Connection, changes: Sequence[AdoptionChange], targets: Sequence[Target], *,
                along: Rider | None = None) -> set[tuple[str, str, str]]:
    """Move every (target, Land of a change) cell by ``changes``; returns the (kind, key, Land) cells
    moved. A cell missing from the result was not stored as the target describes it. ``along``
    rides along the statement (``kit.sql.along``), or runs on its own when nothing moves."""
    if not changes or not targets:
        await sql.run(conn, along)
        return set()
    members = [(n, s) for n, target in enumerate(targets, start=1) for s in target.solution_ids]
    kinds, keys, levels = [t.kind for t in targets], [t.key for t in targets], [t.level for t in targets]
    ns, ids = [n for n, _ in members], [s for _, s in members]
    if any(c.moves_coverage for c in changes):
        statement, args = sql.along(SQL, [
            [c.adoption_id for c in changes], [c.area for c in changes], [c.before_status for c in changes],
            [c.before_since for c in changes], [c.after_status for c in changes], [c.after_since for c in changes],
            kinds, keys, levels, [rules.ELIGIBLE_AREA_LEVEL[t.level] for t in targets], ns, ids], along)
    else:
        statement, args = sql.along(COUNTS_SQL, [
            [c.area for c in changes], [c.before_status for c in changes], [c.after_status for c in changes],
            kinds, keys, levels, ns, ids], along)
    return {(r["kind"], r["key"], r["land"]) for r in await conn.fetch(statement, *args)}


def expected_cells(changes: Sequence[AdoptionChange], targets: Sequence[Target]) -> set[tuple[str, str, str]]:
    lands = {c.area[:2] for c in changes}
    return {(t.kind, t.key, land) for t in targets for land in lands}

