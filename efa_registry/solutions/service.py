"""Catalogue use cases: each one transaction, authorised by the policy table, recorded as an event."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import authorize, authorize_fields
from efa_registry.errors import InvalidReference, NotFound, found
from efa_registry.events import repository as events
from efa_registry.events.recorder import record, snapshot_of
from efa_registry.kit import idempotency
from efa_registry.kit.paging import Page
from efa_registry.kit.patching import changed, changes, check_version, diff
from efa_registry.kit.slugs import slugify
from efa_registry.rollout import refresh as rollout
from efa_registry.search import indexing, lexicon
from efa_registry.solutions import discovery, repository, rules, search
from efa_registry.solutions.model import (
    CONTACT_FIELDS,
    INTERFACE_REQUIRED,
    SOLUTION_REQUIRED,
    HistoryEntry,
    Interface,
    InterfaceCreate,
    InterfacePatch,
    Solution,
    SolutionCreate,
    SolutionPatch,
    SolutionSummary,
)

log = structlog.get_logger(__name__)


# --------------------------------------------------------------------------- reads


async def get_solution(key: str | uuid.UUID) -> Solution:
    async with db.connection() as conn:
        solution_id = await repository.resolve_id(conn, key)
        found = await repository.load(conn, [solution_id]) if solution_id else []
    if not found:
        raise NotFound(f"no solution {key}", field="id")
    return found[0]


async def search_solutions(
    query: search.SolutionQuery, *, limit: int, after: str | None
) -> tuple[Page[SolutionSummary], dict[str, list[search.FacetCount]]]:
    """A page of summaries and its facet counts (``discovery.find_solutions`` without the notes)."""
    hits, facets = await discovery.find_solutions(query, limit=limit, after=after)
    return hits.page, facets


async def history(key: str | uuid.UUID, *, with_contact: bool = False) -> list[HistoryEntry]:
    """Versions with the fields that changed; people's contact fields only for authenticated callers."""
    async with db.connection() as conn:
        solution_id = found(await repository.resolve_id(conn, key), f"no solution {key}", field="id")
        rows = await events.history(conn, "solution", solution_id)
    entries, previous = [], None
    for row in rows:
        snapshot = msgspec.json.decode(row["snapshot"]) if row["snapshot"] else {}
        if not with_contact:
            snapshot = {k: v for k, v in snapshot.items() if k not in CONTACT_FIELDS}
        entries.append(HistoryEntry(seq=row["seq"], version=row["version"], action=row["action"], actor=row["actor"],
                                    request_id=row["request_id"], at=row["occurred_at"],
                                    changes=diff(previous, snapshot)))
        previous = snapshot
    return entries


# --------------------------------------------------------------------------- solution writes


async def create_solution(
    cmd: SolutionCreate, *, actor: Actor, idempotency_key: str | None = None, is_demo: bool = False
) -> tuple[Solution, bool]:
    """Create a solution; returns (solution, created). A repeated idempotency key returns the
    solution the first request created, and ``created`` is False."""
    async with db.transaction() as conn:
        values = await _resolve_references(conn, msgspec.structs.asdict(cmd))
        authorize(actor, "solution.create", organisation_id=values["provider"])
        rules.check_solution(values)
        claim = None
        if idempotency_key:
            claim = await idempotency.claim(conn, scope=actor.key, key=idempotency_key,
                                            request_hash=idempotency.fingerprint("solution.create", cmd))
            if isinstance(claim, uuid.UUID):
                return (await repository.load(conn, [claim]))[0], False
        ozg_ids = values.pop("ozg_ids")
        values.update(id=uuid.uuid4(), slug=values["slug"] or slugify(values["name"]), is_demo=is_demo)
        rules.check_slug(values["slug"])
        await repository.insert(conn, "solution", values)
        await repository.set_ozg_leistungen(conn, values["id"], ozg_ids)
        solution = await _after_write(conn, values["id"], actor, "created")
        if claim is not None:
            await idempotency.complete(conn, claim, entity_id=solution.id)
    log.info("solution.created", solution_id=str(solution.id), slug=solution.slug)
    return solution, True


async def update_solution(
    key: str | uuid.UUID, patch: SolutionPatch, *, expected_version: int | None, actor: Actor
) -> Solution:
    values = changes(patch, required=SOLUTION_REQUIRED)
    async with db.transaction() as conn:
        current = await _locked(conn, key)
        authorize(actor, "solution.update", organisation_id=current.provider.id)
        check_version(current.version, expected_version)
        values = changed(_as_values(current), await _resolve_references(conn, values), unordered=("ozg_ids",))
        if not values:
            return current
        authorize_fields(actor, "solution", values)  # what changes: a provider may send its own name
        if "provider" in values:  # handing a solution to another provider needs rights on both
            authorize(actor, "solution.update", organisation_id=values["provider"])
        rules.check_solution({**_as_values(current), **values})
        if "slug" in values:
            rules.check_slug(values["slug"])
        ozg_ids = values.pop("ozg_ids", None)
        await repository.update(conn, "solution", current.id, values)
        if ozg_ids is not None:
            await repository.set_ozg_leistungen(conn, current.id, ozg_ids)
        if _changes_rollout(current, values, ozg_ids):
            await rollout.refresh_solution(conn, current.id)  # eligibility or OZG union changed
        solution = await _after_write(conn, current.id, actor, "updated")
    log.info("solution.updated", solution_id=str(solution.id), version=solution.version, fields=sorted(values))
    return solution


def _changes_rollout(current: Solution, values: dict[str, Any], ozg_ids: list[str] | None) -> bool:
    """Eligibility and the OZG union depend on rollout level, status and OZG-Leistungen only."""
    return ((ozg_ids is not None and set(ozg_ids) != {o.ozg_id for o in current.ozg_leistungen})
            or values.get("rollout_level", current.rollout_level) != current.rollout_level
            or values.get("status", current.status) != current.status)


async def retire_solution(key: str | uuid.UUID, *, expected_version: int | None, actor: Actor) -> Solution:
    """Retire: the solution stays readable but leaves the default search."""
    async with db.transaction() as conn:
        current = await _locked(conn, key)
        authorize(actor, "solution.retire", organisation_id=current.provider.id)
        check_version(current.version, expected_version)
        if current.status == "retired":  # retiring again changes nothing
            return current
        await repository.update(conn, "solution", current.id, {"status": "retired"})
        await rollout.refresh_solution(conn, current.id)
        solution = await _after_write(conn, current.id, actor, "retired")
    log.info("solution.retired", solution_id=str(solution.id))
    return solution


async def _locked(conn: asyncpg.Connection, key: str | uuid.UUID) -> Solution:
    solution_id = found(await repository.resolve_id(conn, key, lock=True), f"no solution {key}", field="id")
    return (await repository.load(conn, [solution_id]))[0]


async def _resolve_references(conn: asyncpg.Connection, values: dict[str, Any]) -> dict[str, Any]:
    """Organisation keys → ids; OZG-IDs must exist in the catalogue."""
    for field in ("provider", "operator"):
        if values.get(field) is not None:
            org_id = await repository.organisation_id(conn, values[field])
            if org_id is None:
                raise InvalidReference(f"no organisation {values[field]}", field=field)
            values[field] = org_id
    if values.get("ozg_ids"):
        missing = await repository.missing_ozg_ids(conn, values["ozg_ids"])
        if missing:
            raise InvalidReference(f"unknown OZG-IDs: {', '.join(missing)}", field="ozgIds")
    return values


def _as_values(solution: Solution) -> dict[str, Any]:
    """The solution as the command's values (organisations by id, OZG-Leistungen by OZG-ID)."""
    values = msgspec.structs.asdict(solution)
    values["ozg_ids"] = [o.ozg_id for o in solution.ozg_leistungen]
    values["provider"] = solution.provider.id
    values["operator"] = solution.operator.id if solution.operator else None
    return values


async def _after_write(conn: asyncpg.Connection, solution_id: uuid.UUID, actor: Actor, action: str) -> Solution:
    await indexing.refresh_solutions(conn, [solution_id], await lexicon.catalogue(conn))
    solution = (await repository.load(conn, [solution_id]))[0]
    await record(conn, actor=actor, entity_type="solution", entity_id=solution.id, action=action,
                 version=solution.version, snapshot=snapshot(solution), solution_id=solution.id,
                 land=solution.provider.land, themenfelder=solution.themenfelder)
    return solution


def snapshot(solution: Solution) -> dict[str, Any]:
    """What the event log keeps of a solution: its own fields, references by key."""
    data = snapshot_of(solution)
    data["provider"] = str(solution.provider.id)
    data["operator"] = str(solution.operator.id) if solution.operator else None
    data["ozg_ids"] = [o.ozg_id for o in solution.ozg_leistungen]
    data["interfaces"] = [str(i.id) for i in solution.interfaces]
    del data["ozg_leistungen"]
    return data


# --------------------------------------------------------------------------- interfaces


async def list_interfaces(solution_key: str | uuid.UUID) -> list[Interface]:
    return (await get_solution(solution_key)).interfaces


async def get_interface(interface_id: uuid.UUID) -> Interface:
    async with db.connection() as conn:
        interface = await repository.get_interface(conn, interface_id)
    return found(interface, f"no interface {interface_id}", field="id")


async def create_interface(
    solution_key: str | uuid.UUID, cmd: InterfaceCreate, *, actor: Actor, idempotency_key: str | None = None
) -> tuple[Interface, bool]:
    async with db.transaction() as conn:
        solution = await _locked(conn, solution_key)
        authorize(actor, "interface.create", organisation_id=solution.provider.id)
        values = msgspec.structs.asdict(cmd)
        rules.check_interface(values)
        claim = None
        if idempotency_key:
            claim = await idempotency.claim(conn, scope=actor.key, key=idempotency_key,
                                            request_hash=idempotency.fingerprint("interface.create", solution.id, cmd))
            if isinstance(claim, uuid.UUID):
                return await repository.get_interface(conn, claim), False
        values.update(id=uuid.uuid4(), solution=solution.id)
        await repository.insert(conn, "interface", values)
        interface = await _after_interface_write(conn, values["id"], solution, actor, "created")
        if claim is not None:
            await idempotency.complete(conn, claim, entity_id=interface.id)
    log.info("interface.created", interface_id=str(interface.id), solution_id=str(solution.id))
    return interface, True


async def update_interface(
    interface_id: uuid.UUID, patch: InterfacePatch, *, expected_version: int | None, actor: Actor, retire: bool = False
) -> Interface:
    values = {"status": "retired"} if retire else changes(patch, required=INTERFACE_REQUIRED)
    async with db.transaction() as conn:
        current = found(await repository.get_interface(conn, interface_id, lock=True), f"no interface {interface_id}",
                        field="id")
        solution = (await repository.load(conn, [current.solution_id]))[0]
        authorize(actor, "interface.retire" if retire else "interface.update", organisation_id=solution.provider.id)
        check_version(current.version, expected_version)
        values = changed(msgspec.structs.asdict(current), values)
        if not values:
            return current
        rules.check_interface({**msgspec.structs.asdict(current), **values})
        await repository.update(conn, "interface", interface_id, values)
        interface = await _after_interface_write(conn, interface_id, solution, actor,
                                                 "retired" if retire else "updated")
    log.info("interface.updated", interface_id=str(interface_id), version=interface.version)
    return interface


async def _after_interface_write(
    conn: asyncpg.Connection, interface_id: uuid.UUID, solution: Solution, actor: Actor, action: str
) -> Interface:
    """The solution embeds its interfaces, so an interface change is also a new solution version."""
    interface = await repository.get_interface(conn, interface_id)
    await record(conn, actor=actor, entity_type="interface", entity_id=interface.id, action=action,
                 version=interface.version, snapshot=interface, solution_id=solution.id,
                 land=solution.provider.land, themenfelder=solution.themenfelder)
    await repository.update(conn, "solution", solution.id, {})
    await _after_write(conn, solution.id, actor, f"interface_{action}")
    return interface
