"""SQL of the adoption aggregate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
import msgspec

from efa_registry.adoptions.model import Adoption, AreaRef, SolutionRef, TransitionRecord
from efa_registry.kit import sql
from efa_registry.kit.paging import Page, decode_cursor, page_of
from efa_registry.kit.sql import Params
from efa_registry.organisations.repository import key_condition
from efa_registry.solutions.model import Standing

SELECT = """
SELECT a.id, a.status, a.paused_from, a.planned_live_on, a.live_since, a.note, a.version, a.created_at,
       a.updated_at, s.id AS s_id, s.slug AS s_slug, s.name AS s_name, s.provider AS s_provider,
       ar.ars AS a_ars, ar.name AS a_name, ar.level AS a_level, ar.land AS a_land,
       coalesce((SELECT array_agg(ai.interface ORDER BY ai.interface) FROM adoption_interface ai
                 WHERE ai.adoption = a.id), ARRAY[]::uuid[]) AS interfaces
FROM adoption a JOIN solution s ON s.id = a.solution JOIN area ar ON ar.ars = a.area
"""


def _adoption(row: asyncpg.Record, transitions: list[TransitionRecord] | None = None) -> Adoption:
    return Adoption(
        id=row["id"], status=row["status"], paused_from=row["paused_from"], planned_live_on=row["planned_live_on"],
        live_since=row["live_since"], note=row["note"], version=row["version"], created_at=row["created_at"],
        updated_at=row["updated_at"], interfaces=list(row["interfaces"]),
        solution=SolutionRef(id=row["s_id"], slug=row["s_slug"], name=row["s_name"], provider_id=row["s_provider"]),
        area=AreaRef(ars=row["a_ars"], name=row["a_name"], level=row["a_level"], land=row["a_land"]),
        transitions=transitions or [],
    )


# The transitions come along as one JSON array (camelCase keys, as ``TransitionRecord`` decodes):
# one round trip for the whole record, which every write reads back.
WITH_TRANSITIONS = SELECT.replace("\nFROM adoption a", """,
       (SELECT coalesce(json_agg(json_build_object('fromStatus', t.from_status, 'toStatus', t.to_status,
                                                   'actor', t.actor, 'note', t.note, 'at', t.at,
                                                   'version', t.version) ORDER BY t.id), '[]')
        FROM adoption_transition t WHERE t.adoption = a.id) AS transitions
FROM adoption a""", 1)
TRANSITIONS = msgspec.json.Decoder(list[TransitionRecord])


def _written(row: asyncpg.Record) -> Adoption:
    """A row of ``WITH_TRANSITIONS`` or ``WRITTEN``: the adoption with its transitions."""
    return _adoption(row, TRANSITIONS.decode(row["transitions"]))


async def get(conn: asyncpg.Connection, adoption_id: uuid.UUID) -> Adoption | None:
    """An adoption with its transitions."""
    row = await conn.fetchrow(WITH_TRANSITIONS + " WHERE a.id = $1", adoption_id)
    return None if row is None else _written(row)


async def get_for_update(conn: asyncpg.Connection, adoption_id: uuid.UUID) -> Adoption | None:
    """An adoption without its transitions (a write returns them), with its row lock."""
    row = await conn.fetchrow(SELECT + " WHERE a.id = $1 FOR UPDATE OF a", adoption_id)
    return None if row is None else _adoption(row)


async def subscription_facts(conn: asyncpg.Connection, solution_key: str, ars: str
                             ) -> tuple[Standing | None, str | None]:
    """What a subscription checks, in one read: the solution's standing (by UUID or slug) and the
    level of the area ``ars`` if it is a current one."""
    condition, value = key_condition(solution_key, alias="s")
    row = await conn.fetchrow(
        "SELECT s.id, s.status, s.provider, s.rollout_level,"
        f" (SELECT level FROM area WHERE ars = $2 AND current) AS area_level FROM solution s WHERE {condition}",
        value, ars)
    if row is None:
        return None, None
    return Standing(row["id"], row["status"], row["provider"], row["rollout_level"]), row["area_level"]


async def list_adoptions(
    conn: asyncpg.Connection, *, solution_id: uuid.UUID | None = None, status: Sequence[str] = (),
    land: str | None = None, limit: int, after: str | None,
) -> Page[Adoption]:
    p, where = Params(), []
    if solution_id:
        where.append(f"a.solution = {p.add(solution_id)}")
    if status:
        where.append(f"a.status = ANY({p.add(list(status))}::text[])")
    if land:
        where.append(f"ar.land = {p.add(land)}")
    key = decode_cursor(after, listing="adoptions", kinds=(str, uuid.UUID))
    if key:
        where.append(f"(a.area, a.id) > ({p.add(key[0])}, {p.add(uuid.UUID(key[1]))})")
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += f" ORDER BY a.area, a.id LIMIT {p.add(limit + 1)}"
    rows = await conn.fetch(sql, *p.values)
    return page_of([_adoption(r) for r in rows], limit, lambda a: [a.area.ars, str(a.id)], "adoptions")


async def for_area(conn: asyncpg.Connection, ars: str) -> list[tuple[Adoption, str | None]]:
    """The area's own adoptions, plus live adoptions of every enclosing area (inherited coverage)."""
    # The enclosing areas are the ARS prefixes of the hierarchy's key lengths: exact look-ups on
    # adoption_area_idx instead of a prefix test over every adoption.
    enclosing = [ars[:n] for n in (2, 3, 5, 9) if n < len(ars)]
    rows = await conn.fetch(
        SELECT + " WHERE a.area = $1 OR (a.status = 'live' AND a.area = ANY($2::text[]))"
        " ORDER BY length(a.area) DESC, s.name, a.id", ars, enclosing)
    return [(_adoption(r), None if r["a_ars"] == ars else r["a_ars"]) for r in rows]


# A write and the record as written in one statement: ``a`` is the written adoption row (an INSERT
# or UPDATE … RETURNING), ``t`` the transition it adds; the statement's snapshot does not see
# either in the tables, so the record is read from them (earlier transitions from the table).
WRITTEN = SELECT.replace("\nFROM adoption a", """,
       (SELECT coalesce(json_agg(json_build_object('fromStatus', x.from_status, 'toStatus', x.to_status,
                                                   'actor', x.actor, 'note', x.note, 'at', x.at,
                                                   'version', x.version) ORDER BY x.id), '[]')
        FROM (SELECT id, from_status, to_status, actor, note, at, version FROM adoption_transition
              WHERE adoption = a.id UNION ALL SELECT * FROM t) x) AS transitions
FROM a""", 1)
TRANSITION_COLUMNS = "(adoption, from_status, to_status, actor, request_id, note, version)"
TRANSITION_RETURNS = "RETURNING id, from_status, to_status, actor, note, at, version"


async def insert(conn: asyncpg.Connection, values: dict[str, Any]) -> None:
    """A new adoption (bulk loads keep its transition with the others)."""
    await sql.insert(conn, "adoption", values)


async def create(conn: asyncpg.Connection, values: dict[str, Any], *, transition: tuple[str, str | None]
                 ) -> Adoption:
    """A new adoption and its first transition (to its status, with its note, version 1; by
    ``transition``: actor label, request id) in one statement; returns the adoption as written
    (without interfaces: they are connected after it exists)."""
    columns = ", ".join(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    n = len(values)
    return _written(await conn.fetchrow(
        f"WITH a AS (INSERT INTO adoption ({columns}) VALUES ({placeholders}) RETURNING *),"
        f" t AS (INSERT INTO adoption_transition {TRANSITION_COLUMNS}"
        f" SELECT id, NULL, status, ${n + 1}, ${n + 2}, note, 1 FROM a {TRANSITION_RETURNS})"
        + WRITTEN, *values.values(), *transition))


async def update(conn: asyncpg.Connection, adoption_id: uuid.UUID, values: dict[str, Any]) -> int:
    """Write ``values`` and bump the version (the caller holds the row lock); returns the new version."""
    return await sql.update_versioned(conn, "adoption", adoption_id, values)


async def step(conn: asyncpg.Connection, adoption_id: uuid.UUID, values: dict[str, Any], *,
               transition: tuple[str, str, str, str | None, str | None]) -> Adoption:
    """``update`` and the step's transition (from, to, actor label, request id, note; with the new
    version) in one statement; returns the adoption as written."""
    sets = "".join(f"{column} = ${i}, " for i, column in enumerate(values, start=2))
    n = len(values) + 1
    return _written(await conn.fetchrow(
        f"WITH a AS (UPDATE adoption SET {sets}version = version + 1, updated_at = now() WHERE id = $1"
        f" RETURNING *), t AS (INSERT INTO adoption_transition {TRANSITION_COLUMNS}"
        f" SELECT id, ${n + 1}, ${n + 2}, ${n + 3}, ${n + 4}, ${n + 5}, version FROM a {TRANSITION_RETURNS})"
        + WRITTEN, adoption_id, *values.values(), *transition))


async def open_for_update(conn: asyncpg.Connection, solution_id: uuid.UUID, ars: Sequence[str]
                          ) -> dict[str, asyncpg.Record]:
    """The open (not withdrawn) adoptions of a solution in the areas ``ars``, by ARS, locked."""
    rows = await conn.fetch(
        "SELECT id, area, status, live_since, planned_live_on, note FROM adoption WHERE solution = $1"
        " AND area = ANY($2::text[])"
        " AND status <> 'withdrawn' FOR UPDATE", solution_id, list(ars))
    return {r["area"]: r for r in rows}


TRANSITION = ("INSERT INTO adoption_transition (adoption, from_status, to_status, actor, request_id, note, version)"
              " VALUES ($1, $2, $3, $4, $5, $6, $7)")


async def add_transition(conn: asyncpg.Connection, adoption_id: uuid.UUID, *, from_status: str | None,
                         to_status: str, actor: str, request_id: str | None, note: str | None, version: int) -> None:
    await conn.execute(TRANSITION, adoption_id, from_status, to_status, actor, request_id, note, version)


async def add_transitions(conn: asyncpg.Connection, rows: Sequence[tuple]) -> None:
    """Many transitions in one round trip: (adoption, from, to, actor, request id, note, version) each."""
    await conn.executemany(TRANSITION, rows)


async def set_interfaces(conn: asyncpg.Connection, adoption_id: uuid.UUID, solution_id: uuid.UUID,
                         interfaces: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Replace the connected interfaces; returns those that do not belong to the solution."""
    known = {r[0] for r in await conn.fetch("SELECT id FROM interface WHERE solution = $1 AND id = ANY($2::uuid[])",
                                             solution_id, list(interfaces))}
    foreign = [i for i in interfaces if i not in known]
    if not foreign:
        await conn.execute("DELETE FROM adoption_interface WHERE adoption = $1", adoption_id)
        await conn.executemany("INSERT INTO adoption_interface (adoption, interface) VALUES ($1, $2)",
                               [(adoption_id, i) for i in dict.fromkeys(interfaces)])
    return foreign
