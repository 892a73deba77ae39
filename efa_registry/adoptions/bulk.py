"""Bulk adoption loads: many areas of one solution set to a status in one transaction.

Used by ``POST /v1/solutions/{id}/adoptions/bulk`` and the spreadsheet import. Idempotent: an
area already at the requested status is left alone. The status is set directly (the office is
recording facts, not walking each step), but every change is kept as a transition and an event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg
import msgspec

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import authorize
from efa_registry.adoptions.model import BulkAdoption
from efa_registry.adoptions.rules import check_live_since
from efa_registry.adoptions.service import ADOPTING_LEVELS, open_solution
from efa_registry.errors import InvalidInput, InvalidReference
from efa_registry.events.recorder import record_many
from efa_registry.rollout import refresh as rollout


class BulkItem(msgspec.Struct, frozen=True, kw_only=True):
    ars: str
    status: str
    live_since: dt.date | None = None
    planned_live_on: dt.date | None = None
    note: str | None = None


class BulkResult(msgspec.Struct, kw_only=True):
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0


async def units_in(conn: asyncpg.Connection, solution_id: uuid.UUID, prefix: str) -> list[str]:
    """Every eligible unit of the solution's rollout level inside the area ``prefix``."""
    level = await conn.fetchval("SELECT rollout_level FROM solution WHERE id = $1", solution_id)
    rows = await conn.fetch(
        "SELECT ars FROM area WHERE level = $1 AND current AND starts_with(ars, $2) ORDER BY ars", level, prefix)
    return [r[0] for r in rows]


async def apply(
    conn: asyncpg.Connection, solution_id: uuid.UUID, items: Sequence[BulkItem], *, actor: Actor
) -> BulkResult:
    """Set each item's area to its status; the caller owns the transaction and has authorised."""
    await _check_areas(conn, [i.ars for i in items])
    existing = {r["area"]: r for r in await conn.fetch(
        "SELECT id, area, status, live_since FROM adoption WHERE solution = $1 AND area = ANY($2::text[])"
        " AND status <> 'withdrawn' FOR UPDATE", solution_id, [i.ars for i in items])}
    result, transitions, events = BulkResult(), [], []
    for item in items:
        row = existing.get(item.ars)
        live_since = _live_since(item, row)
        if row is None and item.status == "withdrawn":
            result.skipped += 1  # nothing open to withdraw
            continue
        if row is not None and row["status"] == item.status and row["live_since"] == live_since:
            result.unchanged += 1
            continue
        adoption_id, version = await _write(conn, solution_id, item, row, live_since)
        result.created += row is None
        result.changed += row is not None
        from_status = row["status"] if row else None
        transitions.append((adoption_id, from_status, item.status, actor.label, actor.request_id, item.note, version))
        events.append(_event(adoption_id, solution_id, item, live_since, version))
    await conn.executemany(
        "INSERT INTO adoption_transition (adoption, from_status, to_status, actor, request_id, note, version)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)", transitions)
    await record_many(conn, events, actor=actor)
    if transitions:
        await rollout.refresh_solution(conn, solution_id)
    return result


def _live_since(item: BulkItem, row: asyncpg.Record | None) -> dt.date | None:
    """Live adoptions keep their go-live date unless the item names one; others have none."""
    if item.status != "live":
        return None
    return item.live_since or (row["live_since"] if row else None) or dt.date.today()


async def _write(
    conn: asyncpg.Connection, solution_id: uuid.UUID, item: BulkItem, row: asyncpg.Record | None,
    live_since: dt.date | None,
) -> tuple[uuid.UUID, int]:
    paused_from = ((row["status"] if row else None) or "interested") if item.status == "paused" else None
    if row is None:
        adoption_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO adoption (id, solution, area, status, paused_from, planned_live_on, live_since, note)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", adoption_id, solution_id, item.ars, item.status,
            paused_from, item.planned_live_on, live_since, item.note)
        return adoption_id, 1
    version = await conn.fetchval(
        "UPDATE adoption SET status = $2, paused_from = $3, live_since = $4, version = version + 1,"
        " updated_at = now() WHERE id = $1 RETURNING version", row["id"], item.status, paused_from, live_since)
    return row["id"], version


def _event(adoption_id: uuid.UUID, solution_id: uuid.UUID, item: BulkItem, live_since: dt.date | None,
           version: int) -> dict:
    return {"entity_type": "adoption", "entity_id": adoption_id, "action": f"bulk_{item.status}",
            "version": version, "solution_id": solution_id, "land": item.ars[:2],
            "snapshot": {"id": str(adoption_id), "solution": str(solution_id), "area": item.ars,
                         "status": item.status, "live_since": live_since, "version": version}}


async def _check_areas(conn: asyncpg.Connection, ars: Sequence[str]) -> None:
    if len(set(ars)) != len(ars):
        raise InvalidInput("an area is listed twice", field="ars")
    rows = await conn.fetch("SELECT ars, level FROM area WHERE ars = ANY($1::text[]) AND current", list(ars))
    levels = {r["ars"]: r["level"] for r in rows}
    missing = [a for a in ars if a not in levels]
    if missing:
        raise InvalidReference(f"no current area with ARS {', '.join(missing[:10])}", field="ars")
    wrong = [a for a in ars if levels[a] not in ADOPTING_LEVELS]
    if wrong:
        raise InvalidInput(f"areas without an administration cannot adopt: {', '.join(wrong[:10])}", field="ars")


async def bulk_adopt(solution_key: str, cmd: BulkAdoption, *, actor: Actor) -> BulkResult:
    """``POST /v1/solutions/{id}/adoptions/bulk``: a list of ARS, or all units of a Land or Kreis."""
    if sum(bool(x) for x in (cmd.ars, cmd.land, cmd.kreis)) != 1:
        raise InvalidInput("name exactly one of ars, land or kreis", field="ars")
    async with db.transaction() as conn:
        solution_id = await open_solution(conn, solution_key)
        provider = await conn.fetchval("SELECT provider FROM solution WHERE id = $1", solution_id)
        authorize(actor, "adoption.bulk", organisation_id=provider)
        check_live_since(cmd.live_since, role=actor.role, today=dt.date.today())
        ars = list(cmd.ars) or await units_in(conn, solution_id, cmd.land or cmd.kreis)
        items = [BulkItem(ars=a, status=cmd.status, live_since=cmd.live_since, planned_live_on=cmd.planned_live_on,
                          note=cmd.note) for a in ars]
        return await apply(conn, solution_id, items, actor=actor)
