"""Adoption use cases: subscribe, and move through the lifecycle. One transaction each; every
change is a transition, an event and an exact rollout refresh in that same transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import authorize
from efa_registry.adoptions import repository, rules
from efa_registry.adoptions.model import Adoption, AdoptionPatch, AreaAdoption, Subscribe
from efa_registry.areas import repository as areas
from efa_registry.errors import Conflict, InvalidInput, InvalidReference, found
from efa_registry.events.recorder import rider, snapshot_of
from efa_registry.kit import idempotency
from efa_registry.kit.paging import Page
from efa_registry.kit.patching import check_version
from efa_registry.rollout import refresh as rollout
from efa_registry.rollout.deltas import AdoptionChange
from efa_registry.solutions import repository as solutions
from efa_registry.solutions.model import Standing

log = structlog.get_logger(__name__)


async def get_adoption(adoption_id: uuid.UUID) -> Adoption:
    async with db.connection() as conn:
        return await _existing(conn, adoption_id)


async def list_for_solution(
    solution_key: str, *, status: Sequence[str], land: str | None, limit: int, after: str | None
) -> Page[Adoption]:
    async with db.connection() as conn:
        solution_id = found(await solutions.resolve_id(conn, solution_key), f"no solution {solution_key}", field="id")
        return await repository.list_adoptions(conn, solution_id=solution_id, status=status, land=land, limit=limit,
                                               after=after)


async def list_for_area(key: str) -> list[AreaAdoption]:
    """What an area (by ARS or AGS, as ``GET /v1/areas/{key}`` takes it) uses."""
    async with db.connection() as conn:
        area = found(await areas.get(conn, key), f"no area with ARS/AGS {key}", field="ars")
        rows = await repository.for_area(conn, area.ars)
    return [AreaAdoption(adoption=a, inherited_from=inherited) for a, inherited in rows]


async def subscribe(
    solution_key: str, cmd: Subscribe, *, actor: Actor, idempotency_key: str | None = None
) -> tuple[Adoption, bool]:
    """An area subscribes to reuse a solution (status ``interested``)."""
    authorize(actor, "adoption.subscribe", ars=cmd.ars)
    rules.check_plan(cmd.planned_live_on, today=dt.date.today())
    async with db.transaction(generic_plans=True) as conn:
        solution = await _subscribable(conn, solution_key, cmd.ars)
        claim = None
        if idempotency_key:
            fingerprint = idempotency.fingerprint("adoption.subscribe", solution.id, cmd)
            claim = await idempotency.claim(conn, scope=actor.key, key=idempotency_key, request_hash=fingerprint)
            if isinstance(claim, uuid.UUID):
                return await repository.get(conn, claim), False
        adoption_id = uuid.uuid4()
        adoption = await repository.create(conn, {"id": adoption_id, "solution": solution.id, "area": cmd.ars,
                                                  "status": "interested", "planned_live_on": cmd.planned_live_on,
                                                  "note": cmd.note}, transition=(actor.label, actor.request_id))
        if cmd.interfaces:
            await _set_interfaces(conn, adoption_id, solution.id, cmd.interfaces)
            adoption = await _existing(conn, adoption_id)
        await _after_write(conn, adoption, actor, "subscribed", before=None)
        if claim is not None:
            await idempotency.complete(conn, claim, entity_id=adoption_id)
    log.info("adoption.subscribed", adoption_id=str(adoption_id), ars=cmd.ars, solution_id=str(solution.id))
    return adoption, True


async def change(
    adoption_id: uuid.UUID, patch: AdoptionPatch, *, expected_version: int | None, actor: Actor
) -> Adoption:
    """A lifecycle step and/or new plans. Illegal steps are refused with the allowed ones listed."""
    async with db.transaction(generic_plans=True) as conn:
        current = found(await repository.get_for_update(conn, adoption_id), f"no adoption {adoption_id}", field="id")
        if expected_version is not None:  # a step from a stale version is a 412, not an illegal step (409)
            check_version(current.version, expected_version)
        step = rules.step_of(current, patch)
        authorize(actor, rules.action_of(step), organisation_id=current.solution.provider_id, ars=current.area.ars)
        check_version(current.version, expected_version)  # without If-Match: 428, once the caller may write
        values = rules.changed_values(current, patch, step, role=actor.role, today=dt.date.today())
        if patch.interfaces is not msgspec.UNSET:
            await _set_interfaces(conn, adoption_id, current.solution.id, patch.interfaces)
        if step:
            note = None if patch.note is msgspec.UNSET else patch.note
            adoption = await repository.step(conn, adoption_id, values, transition=(
                current.status, patch.status, actor.label, actor.request_id, note))
        else:
            await repository.update(conn, adoption_id, values)
            adoption = await _existing(conn, adoption_id)
        await _after_write(conn, adoption, actor, step or "updated", before=current)
    log.info("adoption.changed", adoption_id=str(adoption_id), step=step, status=adoption.status)
    return adoption


async def open_solution(conn: asyncpg.Connection, solution_key: str) -> Standing:
    """A solution that still takes adoptions (not retired)."""
    return _open(solution_key, await solutions.standing(conn, solution_key))


async def check_adopting_areas(conn: asyncpg.Connection, ars: Sequence[str]) -> None:
    """Every ARS names a current area with an administration that can adopt (field ``ars``)."""
    if len(set(ars)) != len(ars):
        raise InvalidInput("an area is listed twice", field="ars")
    _adopting(ars, await areas.current_levels(conn, ars))


def _open(solution_key: str, solution: Standing | None) -> Standing:
    solution = found(solution, f"no solution {solution_key}", field="id")
    if solution.status == "retired":
        raise Conflict("a retired solution takes no new adoptions")
    return solution


def _adopting(ars: Sequence[str], levels: dict[str, str]) -> None:
    missing = [a for a in ars if a not in levels]
    if missing:
        raise InvalidReference(f"no current area with ARS {', '.join(missing[:10])}", field="ars")
    wrong = [f"{a} ({levels[a]})" for a in ars if levels[a] not in rules.ADOPTING_LEVELS]
    if wrong:
        raise InvalidInput(f"areas without an administration cannot adopt: {', '.join(wrong[:10])}", field="ars")


async def _subscribable(conn: asyncpg.Connection, solution_key: str, ars: str) -> Standing:
    """``open_solution`` and ``check_adopting_areas`` for one area, in one read."""
    solution, level = await repository.subscription_facts(conn, solution_key, ars)
    solution = _open(solution_key, solution)
    _adopting([ars], {ars: level} if level else {})
    return solution


async def _existing(conn: asyncpg.Connection, adoption_id: uuid.UUID) -> Adoption:
    return found(await repository.get(conn, adoption_id), f"no adoption {adoption_id}", field="id")


async def _set_interfaces(conn, adoption_id, solution_id, interfaces) -> None:
    foreign = await repository.set_interfaces(conn, adoption_id, solution_id, interfaces)
    if foreign:
        raise InvalidReference(f"interfaces not offered by this solution: {', '.join(map(str, foreign))}",
                               field="interfaces")


async def _after_write(conn: asyncpg.Connection, adoption: Adoption, actor: Actor, action: str, *,
                       before: Adoption | None) -> None:
    """The adoption's rollout figures moved by the change (``adoption`` as written), and its event
    (riding along the rollout's statement: one round trip for both)."""
    snapshot = snapshot_of(adoption)
    del snapshot["transitions"]
    event = rider(conn, actor=actor, entity_type="adoption", entity_id=adoption.id, action=action,
                  version=adoption.version, snapshot=snapshot, solution_id=adoption.solution.id,
                  land=adoption.area.land)
    await rollout.apply_adoption_changes(conn, adoption.solution.id, [AdoptionChange(
        adoption_id=adoption.id, area=adoption.area.ars, before_status=before.status if before else None,
        before_since=before.live_since if before else None, after_status=adoption.status,
        after_since=adoption.live_since)], along=event)
