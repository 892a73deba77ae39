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
from efa_registry.adoptions import repository
from efa_registry.adoptions.model import BulkAdoption, BulkResult
from efa_registry.adoptions.rules import check_live_since, check_plan
from efa_registry.adoptions.service import check_adopting_areas, open_solution
from efa_registry.areas import repository as areas
from efa_registry.errors import InvalidInput
from efa_registry.events.recorder import record_many
from efa_registry.rollout import refresh as rollout
from efa_registry.rollout.deltas import AdoptionChange
from efa_registry.solutions import repository as solutions


class BulkItem(msgspec.Struct, frozen=True, kw_only=True):
    ars: str
    status: str
    live_since: dt.date | None = None
    planned_live_on: dt.date | None = None
    note: str | None = None


async def apply(
    conn: asyncpg.Connection, solution_id: uuid.UUID, items: Sequence[BulkItem], *, actor: Actor
) -> BulkResult:
    """Set each item's area to its status; the caller owns the transaction and has authorised."""
    await check_adopting_areas(conn, [i.ars for i in items])
    existing = await repository.open_for_update(conn, solution_id, [i.ars for i in items])
    # Events name what changed (feed titles, webhooks), as single adoption events do.
    solution, area_names = await solutions.label(conn, solution_id), await areas.names(conn, [i.ars for i in items])
    result, transitions, events, changes = BulkResult(), [], [], []
    for item in items:
        row = existing.get(item.ars)
        live_since = _live_since(item, row)
        if row is None and item.status == "withdrawn":
            result.skipped += 1  # nothing open to withdraw
            continue
        same_status = row is not None and row["status"] == item.status and row["live_since"] == live_since
        plan_and_note = _plan_and_note(item, row)
        if same_status and not plan_and_note:
            result.unchanged += 1
            continue
        adoption_id, version = await _write(conn, solution_id, item, row, live_since, plan_and_note)
        result.created += row is None
        result.changed += row is not None
        from_status = row["status"] if row else None
        if not same_status:  # a new plan or note alone is no step of the lifecycle
            transitions.append((adoption_id, from_status, item.status, actor.label, actor.request_id, item.note,
                                version))
        events.append(_event(adoption_id, solution, area_names.get(item.ars), item, live_since, version))
        changes.append(AdoptionChange(adoption_id=adoption_id, area=item.ars, before_status=from_status,
                                      before_since=row["live_since"] if row else None, after_status=item.status,
                                      after_since=live_since))
    await repository.add_transitions(conn, transitions)
    await record_many(conn, events, actor=actor)
    await rollout.apply_adoption_changes(conn, solution_id, changes)
    return result


def _live_since(item: BulkItem, row: asyncpg.Record | None) -> dt.date | None:
    """Live adoptions keep their go-live date unless the item names one; others have none."""
    if item.status != "live":
        return None
    return item.live_since or (row["live_since"] if row else None) or dt.date.today()


def _plan_and_note(item: BulkItem, row: asyncpg.Record | None) -> dict[str, object]:
    """The planned go-live and the note an item gives that differ from the open adoption's (an
    item without them keeps what is stored)."""
    if row is None:
        return {}
    given = {"planned_live_on": item.planned_live_on, "note": item.note}
    return {k: v for k, v in given.items() if v is not None and row[k] != v}


async def _write(
    conn: asyncpg.Connection, solution_id: uuid.UUID, item: BulkItem, row: asyncpg.Record | None,
    live_since: dt.date | None, plan_and_note: dict[str, object],
) -> tuple[uuid.UUID, int]:
    paused_from = ((row["status"] if row else None) or "interested") if item.status == "paused" else None
    same = row is not None and row["status"] == item.status and row["live_since"] == live_since
    values = plan_and_note if same else {"status": item.status, "paused_from": paused_from, "live_since": live_since,
                                         **plan_and_note}
    if row is None:
        adoption_id = uuid.uuid4()
        await repository.insert(conn, {"id": adoption_id, "solution": solution_id, "area": item.ars, **values,
                                       "planned_live_on": item.planned_live_on, "note": item.note})
        return adoption_id, 1
    return row["id"], await repository.update(conn, row["id"], values)


def _event(adoption_id: uuid.UUID, solution: dict[str, str], area_name: str | None, item: BulkItem,
           live_since: dt.date | None, version: int) -> dict:
    return {"entity_type": "adoption", "entity_id": adoption_id, "action": f"bulk_{item.status}",
            "version": version, "solution_id": uuid.UUID(solution["id"]), "land": item.ars[:2],
            "snapshot": {"id": str(adoption_id), "solution": solution, "area": {"ars": item.ars, "name": area_name},
                         "status": item.status, "live_since": live_since, "version": version}}


async def bulk_adopt(solution_key: str, cmd: BulkAdoption, *, actor: Actor) -> BulkResult:
    """``POST /v1/solutions/{id}/adoptions/bulk``: a list of ARS, or all units of a Land or Kreis."""
    if sum(bool(x) for x in (cmd.ars, cmd.land, cmd.kreis)) != 1:
        raise InvalidInput("name exactly one of ars, land or kreis", field="ars")
    async with db.transaction() as conn:
        solution = await open_solution(conn, solution_key)
        authorize(actor, "adoption.bulk", organisation_id=solution.provider_id)
        check_live_since(cmd.live_since, role=actor.role, today=dt.date.today())
        if cmd.live_since and cmd.status != "live":
            raise InvalidInput("liveSince belongs to a live adoption", field="liveSince")
        check_plan(cmd.planned_live_on, today=dt.date.today())
        ars = list(cmd.ars) or await areas.units_within(conn, solution.rollout_level, cmd.land or cmd.kreis)
        items = [BulkItem(ars=a, status=cmd.status, live_since=cmd.live_since, planned_live_on=cmd.planned_live_on,
                          note=cmd.note) for a in ars]
        return await apply(conn, solution.id, items, actor=actor)
