"""Adoption use cases: subscribe, move through the lifecycle, bulk loads. One transaction each;
every change is a transition, an event and an exact rollout refresh in that same transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import Scope, area_within, authorize
from efa_registry.adoptions import repository, rules
from efa_registry.adoptions.model import Adoption, AdoptionPatch, AreaAdoption, Subscribe
from efa_registry.errors import Conflict, Forbidden, InvalidInput, InvalidReference, NotFound, Unauthenticated
from efa_registry.events.recorder import record
from efa_registry.kit import idempotency
from efa_registry.kit.paging import Page
from efa_registry.kit.patching import check_version
from efa_registry.rollout import refresh as rollout
from efa_registry.solutions import repository as solutions

log = structlog.get_logger(__name__)

# Levels that have an administration able to adopt (regions and gemeindefreie Gebiete have none).
ADOPTING_LEVELS = ("land", "regierungsbezirk", "kreis", "gemeindeverband", "gemeinde")


async def get_adoption(adoption_id: uuid.UUID) -> Adoption:
    async with db.connection() as conn:
        adoption = await repository.get(conn, adoption_id)
    if adoption is None:
        raise NotFound(f"no adoption {adoption_id}", field="id")
    return adoption


async def list_for_solution(
    solution_key: str, *, status: list[str], land: str | None, limit: int, after: str | None
) -> Page[Adoption]:
    async with db.connection() as conn:
        solution_id = await solutions.resolve_id(conn, solution_key)
        if solution_id is None:
            raise NotFound(f"no solution {solution_key}", field="id")
        return await repository.list_adoptions(conn, solution_id=solution_id, status=status, land=land, limit=limit,
                                               after=after)


async def list_for_area(ars: str) -> list[AreaAdoption]:
    async with db.connection() as conn:
        if await conn.fetchval("SELECT 1 FROM area WHERE ars = $1", ars) is None:
            raise NotFound(f"no area {ars}", field="ars")
        rows = await repository.for_area(conn, ars)
    return [AreaAdoption(adoption=a, inherited_from=inherited) for a, inherited in rows]


async def subscribe(
    solution_key: str, cmd: Subscribe, *, actor: Actor, idempotency_key: str | None = None
) -> tuple[Adoption, bool]:
    """An area subscribes to reuse a solution (status ``interested``)."""
    authorize(actor, "adoption.subscribe", ars=cmd.ars)
    async with db.transaction() as conn:
        solution_id = await open_solution(conn, solution_key)
        await _adopting_area(conn, cmd.ars)
        claim = None
        if idempotency_key:
            fingerprint = idempotency.fingerprint("adoption.subscribe", solution_id, cmd)
            claim = await idempotency.claim(conn, scope=actor.key, key=idempotency_key, request_hash=fingerprint)
            if isinstance(claim, uuid.UUID):
                return await repository.get(conn, claim), False
        adoption_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO adoption (id, solution, area, status, planned_live_on, note)"
            " VALUES ($1, $2, $3, 'interested', $4, $5)",
            adoption_id, solution_id, cmd.ars, cmd.planned_live_on, cmd.note)
        if cmd.interfaces:
            await _set_interfaces(conn, adoption_id, solution_id, cmd.interfaces)
        await repository.add_transition(conn, adoption_id, from_status=None, to_status="interested", actor=actor.label,
                                        request_id=actor.request_id, note=cmd.note, version=1)
        adoption = await _after_write(conn, adoption_id, actor, "subscribed")
        if claim is not None:
            await idempotency.complete(conn, claim, entity_id=adoption_id)
    log.info("adoption.subscribed", adoption_id=str(adoption_id), ars=cmd.ars, solution_id=str(solution_id))
    return adoption, True


async def change(
    adoption_id: uuid.UUID, patch: AdoptionPatch, *, expected_version: int | None, actor: Actor
) -> Adoption:
    """A lifecycle step and/or new plans. Illegal steps are refused with the allowed ones listed."""
    async with db.transaction() as conn:
        current = await repository.get(conn, adoption_id, lock=True)
        if current is None:
            raise NotFound(f"no adoption {adoption_id}", field="id")
        step = None
        if patch.status is not msgspec.UNSET and patch.status != current.status:
            step = rules.transition(current.status, current.paused_from, patch.status)
            _authorize_step(actor, step, current)
        else:
            _authorize_edit(actor, current)
        check_version(current.version, expected_version)
        values = _values(current, patch, step, actor)
        if patch.interfaces is not msgspec.UNSET:
            await _set_interfaces(conn, adoption_id, current.solution.id, patch.interfaces)
        sets = "".join(f"{column} = ${i}, " for i, column in enumerate(values, start=2))
        version = await conn.fetchval(
            f"UPDATE adoption SET {sets}version = version + 1, updated_at = now() WHERE id = $1 RETURNING version",
            adoption_id, *values.values())
        if step:
            await repository.add_transition(conn, adoption_id, from_status=current.status, to_status=patch.status,
                                            actor=actor.label, request_id=actor.request_id,
                                            note=None if patch.note is msgspec.UNSET else patch.note, version=version)
        adoption = await _after_write(conn, adoption_id, actor, step or "updated")
    log.info("adoption.changed", adoption_id=str(adoption_id), step=step, status=adoption.status)
    return adoption


def _values(current: Adoption, patch: AdoptionPatch, step: str | None, actor: Actor) -> dict[str, object]:
    today = dt.date.today()
    values: dict[str, object] = {}
    if patch.live_since is not msgspec.UNSET:
        rules.check_live_since(patch.live_since, role=actor.role, today=today)
        if not (step == "go_live" or (current.status == "live" and step is None)):
            raise InvalidInput("liveSince belongs to a live adoption", field="liveSince")
        values["live_since"] = patch.live_since
    if step:
        values["status"] = patch.status
        values["paused_from"] = current.status if step == "pause" else None
        if step == "go_live" and "live_since" not in values:
            values["live_since"] = today
    for field in ("note", "planned_live_on"):
        if getattr(patch, field) is not msgspec.UNSET:
            values[field] = getattr(patch, field)
    return values


def _authorize_step(actor: Actor | None, step: rules.Transition, adoption: Adoption) -> None:
    if actor is None or actor.role is None:
        raise Unauthenticated("changing an adoption needs a bearer token")
    scope = rules.scope_for(actor.role, step)
    if not _owns(actor, scope, adoption):
        raise Forbidden(f"role {actor.role} may not {step.replace('_', ' ')} this adoption")


def _authorize_edit(actor: Actor | None, adoption: Adoption) -> None:
    """Plans and notes: anyone who may move the adoption forward or pause it."""
    for step in ("go_live", "pause"):
        try:
            _authorize_step(actor, step, adoption)
            return
        except Forbidden:
            continue
    raise Forbidden(f"role {actor.role} may not change this adoption")


def _owns(actor: Actor, scope: Scope, adoption: Adoption) -> bool:
    return (scope is Scope.ANY
            or (scope is Scope.OWN_ORGANISATION and actor.organisation_id == adoption.solution.provider_id)
            or (scope is Scope.OWN_AREA and area_within(adoption.area.ars, actor.ars)))


async def open_solution(conn: asyncpg.Connection, solution_key: str) -> uuid.UUID:
    """The id of a solution that still takes adoptions (not retired)."""
    solution_id = await solutions.resolve_id(conn, solution_key)
    if solution_id is None:
        raise NotFound(f"no solution {solution_key}", field="id")
    if await conn.fetchval("SELECT status FROM solution WHERE id = $1", solution_id) == "retired":
        raise Conflict("a retired solution takes no new adoptions")
    return solution_id


async def _adopting_area(conn: asyncpg.Connection, ars: str) -> None:
    level = await conn.fetchval("SELECT level FROM area WHERE ars = $1 AND current", ars)
    if level is None:
        raise InvalidReference(f"no current area with ARS {ars}", field="ars")
    if level not in ADOPTING_LEVELS:
        raise InvalidInput(f"a {level} has no administration that could adopt a solution", field="ars")


async def _set_interfaces(conn, adoption_id, solution_id, interfaces) -> None:
    foreign = await repository.set_interfaces(conn, adoption_id, solution_id, interfaces)
    if foreign:
        raise InvalidReference(f"interfaces not offered by this solution: {', '.join(map(str, foreign))}",
                               field="interfaces")


async def _after_write(conn: asyncpg.Connection, adoption_id: uuid.UUID, actor: Actor, action: str) -> Adoption:
    adoption = await repository.get(conn, adoption_id)
    await rollout.refresh_after_adoption_change(conn, solution_id=adoption.solution.id, area_ars=adoption.area.ars)
    snapshot = msgspec.to_builtins(msgspec.structs.replace(adoption, transitions=[]))
    del snapshot["transitions"]
    await record(conn, actor=actor, entity_type="adoption", entity_id=adoption.id, action=action,
                 version=adoption.version, snapshot=snapshot, solution_id=adoption.solution.id,
                 land=adoption.area.land)
    return adoption

