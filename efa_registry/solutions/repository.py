"""SQL of the solution aggregate (solution, its OZG links and interfaces)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

import asyncpg
import msgspec

from efa_registry.kit import sql
from efa_registry.organisations.repository import key_condition
from efa_registry.search import documents
from efa_registry.search.repository import tsquery
from efa_registry.solutions.model import (
    Interface,
    OrganisationRef,
    OzgRef,
    Solution,
    SolutionSummary,
    Standing,
)

SOLUTION_SELECT = """
SELECT s.id, s.slug, s.name, s.summary, s.description, s.status, s.efa_compliant, s.reifegrad_model,
       s.reifegrad, s.reuse_route, s.rollout_level, s.licence, s.source_repository, s.documentation_url,
       s.costs_note, s.language, s.tags, s.contact_name, s.contact_email, s.is_demo, s.version, s.created_at,
       s.updated_at,
       p.id AS p_id, p.slug AS p_slug, p.name AS p_name, pa.land AS p_land,
       op.id AS o_id, op.slug AS o_slug, op.name AS o_name, oa.land AS o_land,
       ARRAY(SELECT ROW(o.ozg_id, o.name, o.themenfeld) FROM solution_ozg_leistung so
             JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung WHERE so.solution = s.id
             ORDER BY o.ozg_id::int) AS ozg,
       ARRAY(SELECT ROW(i.id, i.solution, i.kind, i.name, i.standard, i.standard_version, i.spec_url,
                        i.authentication, i.status, i.sunset_on, i.version, i.created_at, i.updated_at)
             FROM interface i WHERE i.solution = s.id ORDER BY i.created_at, i.id) AS ifaces
FROM solution s
JOIN organisation p ON p.id = s.provider LEFT JOIN area pa ON pa.ars = p.area
LEFT JOIN organisation op ON op.id = s.operator LEFT JOIN area oa ON oa.ars = op.area
"""

INTERFACE_COLUMNS = ("id, solution AS solution_id, kind, name, standard, standard_version, spec_url, authentication,"
                     " status, sunset_on, version, created_at, updated_at")


async def resolve_id(conn: asyncpg.Connection, key: str | uuid.UUID, *, lock: bool = False) -> uuid.UUID | None:
    condition, value = key_condition(key, alias="s")
    return await conn.fetchval(f"SELECT s.id FROM solution s WHERE {condition}" + (" FOR UPDATE" if lock else ""),
                               value)


async def label(conn: asyncpg.Connection, solution_id: uuid.UUID) -> dict[str, str]:
    """The solution's id, slug and name, as events name it."""
    row = await conn.fetchrow("SELECT id::text, slug, name FROM solution WHERE id = $1", solution_id)
    return dict(row) if row else {"id": str(solution_id)}


async def standing(conn: asyncpg.Connection, key: str | uuid.UUID) -> Standing | None:
    """The few facts adoptions need of a solution (by UUID or slug)."""
    condition, value = key_condition(key, alias="s")
    row = await conn.fetchrow(f"SELECT s.id, s.status, s.provider, s.rollout_level FROM solution s WHERE {condition}",
                              value)
    return Standing(*row) if row else None


Table = Literal["solution", "interface"]


async def insert(conn: asyncpg.Connection, table: Table, values: dict[str, Any]) -> None:
    """A new solution (``table="solution"``) or interface (``"interface"``)."""
    await sql.insert(conn, table, values)


async def update(conn: asyncpg.Connection, table: Table, row_id: uuid.UUID, values: dict[str, Any]) -> int:
    """Write ``values`` to a locked solution or interface and bump its version; returns the new version."""
    return await sql.update_versioned(conn, table, row_id, values)


async def load(conn: asyncpg.Connection, ids: Sequence[uuid.UUID]) -> list[Solution]:
    """Full solutions (OZG-Leistungen and interfaces embedded) in one round trip, in the order of ``ids``."""
    if not ids:
        return []
    rows = await conn.fetch(SOLUTION_SELECT + " WHERE s.id = ANY($1::uuid[])", list(ids))
    by_id = {r["id"]: _solution(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _ref(alias: str, area: str) -> str:
    return f"json_build_object('id', {alias}.id, 'slug', {alias}.slug, 'name', {alias}.name, 'land', {area}.land)"


# Summaries as JSON built by PostgreSQL, in the order of the page, decoded straight into
# the Structs by msgspec: no round trip of their own, no nested ARRAY(ROW …) for asyncpg to decode (that
# took a third of the list's CPU) nor Record → dict → Struct copies.
SUMMARIES_TEMPLATE = f"""
SELECT coalesce(json_agg(json_build_object(
    'id', s.id, 'slug', s.slug, 'name', s.name, 'summary', s.summary, 'description', s.description,
    'provider', {_ref('p', 'pa')}, 'operator', CASE WHEN op.id IS NOT NULL THEN {_ref('op', 'oa')} END,
    'ozgLeistungen', coalesce((SELECT json_agg(json_build_object('ozgId', o.ozg_id, 'name', o.name,
                                                                 'themenfeld', o.themenfeld) ORDER BY o.ozg_id::int)
                               FROM solution_ozg_leistung so JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung
                               WHERE so.solution = s.id), '[]'),
    'status', s.status, 'efaCompliant', s.efa_compliant, 'reifegradModel', s.reifegrad_model,
    'reifegrad', s.reifegrad, 'reuseRoute', s.reuse_route, 'rolloutLevel', s.rollout_level, 'tags', s.tags,
    'isDemo', s.is_demo,
    'interfaceStandards', ARRAY(SELECT DISTINCT i.standard FROM interface i WHERE i.solution = s.id
                                AND i.status <> 'retired' AND i.standard IS NOT NULL ORDER BY 1),
    'version', s.version, 'updatedAt', s.updated_at) ORDER BY t.n), '[]')::text
FROM {{source}} JOIN solution s ON s.id = t.id
JOIN organisation p ON p.id = s.provider LEFT JOIN area pa ON pa.ars = p.area
LEFT JOIN organisation op ON op.id = s.operator LEFT JOIN area oa ON oa.ars = op.area
"""


def summaries_sql(source: str) -> str:
    """The summaries (a JSON array) of the solutions of ``source``, a FROM item ``t(id, n)`` whose
    ``n`` is the order (``search.search`` passes its own page, so a list is one statement)."""
    return SUMMARIES_TEMPLATE.format(source=source)


SUMMARIES = msgspec.json.Decoder(list[SolutionSummary])


INTERFACE_FIELDS = ("id", "solution_id", "kind", "name", "standard", "standard_version", "spec_url", "authentication",
                    "status", "sunset_on", "version", "created_at", "updated_at")


def _solution(row: asyncpg.Record) -> Solution:
    data = {k: v for k, v in dict(row).items() if not k.startswith(("p_", "o_")) and k not in ("ozg", "ifaces")}
    provider = OrganisationRef(id=row["p_id"], slug=row["p_slug"], name=row["p_name"], land=row["p_land"])
    operator = (OrganisationRef(id=row["o_id"], slug=row["o_slug"], name=row["o_name"], land=row["o_land"])
                if row["o_id"] else None)
    ozg = [OzgRef(ozg_id=o[0], name=o[1], themenfeld=o[2]) for o in row["ozg"]]
    interfaces = [Interface(**dict(zip(INTERFACE_FIELDS, i, strict=True))) for i in row["ifaces"]]
    return Solution(**data, provider=provider, operator=operator, ozg_leistungen=ozg, interfaces=interfaces)


async def organisation_id(conn: asyncpg.Connection, key: str) -> uuid.UUID | None:
    condition, value = key_condition(key, alias="o")
    return await conn.fetchval(f"SELECT o.id FROM organisation o WHERE {condition}", value)


async def missing_ozg_ids(conn: asyncpg.Connection, ozg_ids: Sequence[str]) -> list[str]:
    known = {r[0] for r in await conn.fetch("SELECT ozg_id FROM ozg_leistung WHERE ozg_id = ANY($1::text[])",
                                             list(ozg_ids))}
    return sorted(set(ozg_ids) - known)


async def set_ozg_leistungen(conn: asyncpg.Connection, solution_id: uuid.UUID, ozg_ids: Sequence[str]) -> None:
    await conn.execute("DELETE FROM solution_ozg_leistung WHERE solution = $1", solution_id)
    await conn.executemany("INSERT INTO solution_ozg_leistung (solution, ozg_leistung) VALUES ($1, $2)",
                           [(solution_id, o) for o in dict.fromkeys(ozg_ids)])


SUGGEST_SQL = f"""
SELECT s.slug, s.name, p.name AS provider FROM solution s JOIN organisation p ON p.id = s.provider
WHERE s.status <> 'retired' AND s.search_vector @@ {tsquery('$1')}
ORDER BY ts_rank('{documents.RANK_WEIGHTS}', s.search_vector, {tsquery('$1')}) DESC, length(s.name), s.name
LIMIT $2
"""


async def suggest(conn: asyncpg.Connection, query: str, limit: int) -> list[asyncpg.Record]:
    """Solutions (not retired) whose document matches, best first: the search box's entries."""
    return await conn.fetch(SUGGEST_SQL, query, limit)


async def get_interface(conn: asyncpg.Connection, interface_id: uuid.UUID, *, lock: bool = False) -> Interface | None:
    row = await conn.fetchrow(f"SELECT {INTERFACE_COLUMNS} FROM interface WHERE id = $1"
                              + (" FOR UPDATE" if lock else ""), interface_id)
    return Interface(**dict(row)) if row else None


async def free_slug(conn: asyncpg.Connection, base: str) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever no solution has yet."""
    taken = {r[0] for r in await conn.fetch("SELECT slug FROM solution WHERE slug = $1 OR slug LIKE $2",
                                            base, base.replace("%", "").replace("_", r"\_") + "-%")}
    return next(s for s in (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3))) if s not in taken)


async def ozg_count(conn: asyncpg.Connection, solution_id: uuid.UUID) -> int:
    return await conn.fetchval("SELECT count(*) FROM solution_ozg_leistung WHERE solution = $1", solution_id)
