"""Organisation use cases: one transaction each, authorised by the policy table, recorded as events."""

from __future__ import annotations

import uuid

import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import authorize, authorize_fields
from efa_registry.errors import found
from efa_registry.events.recorder import record
from efa_registry.kit import idempotency
from efa_registry.kit.paging import Page
from efa_registry.kit.patching import changed, changes, check_version
from efa_registry.kit.slugs import check_slug, slugify
from efa_registry.organisations import model, repository
from efa_registry.search import indexing, lexicon

log = structlog.get_logger(__name__)


async def get_organisation(key: str | uuid.UUID) -> model.Organisation:
    async with db.connection() as conn:
        return found(await repository.get(conn, key), f"no organisation {key}", field="id")


async def list_organisations(
    flt: model.OrganisationFilter = model.OrganisationFilter(), *, limit: int, after: str | None
) -> Page[model.Organisation]:
    async with db.connection() as conn:
        return await repository.list_organisations(conn, flt, limit=limit, after=after)


async def create_organisation(
    cmd: model.OrganisationCreate, *, actor: Actor, is_demo: bool = False
) -> model.Organisation:
    return (await create_organisation_once(cmd, actor=actor, is_demo=is_demo))[0]


async def create_organisation_once(
    cmd: model.OrganisationCreate, *, actor: Actor, idempotency_key: str | None = None, is_demo: bool = False
) -> tuple[model.Organisation, bool]:
    """Create an organisation; returns (organisation, created). A repeated idempotency key returns
    the organisation the first request created, and ``created`` is False."""
    authorize(actor, "organisation.create")
    values = msgspec.structs.asdict(cmd)
    values["slug"] = cmd.slug or slugify(cmd.name)
    check_slug(values["slug"])
    values["id"] = uuid.uuid4()
    values["is_demo"] = is_demo
    async with db.transaction() as conn:
        claim = None
        if idempotency_key:
            claim = await idempotency.claim(conn, scope=actor.key, key=idempotency_key,
                                            request_hash=idempotency.fingerprint("organisation.create", cmd))
            if isinstance(claim, uuid.UUID):
                return await repository.get(conn, claim), False
        await repository.insert(conn, values)
        org = await repository.get(conn, values["id"])
        await _record(conn, org, actor, "created")
        if claim is not None:
            await idempotency.complete(conn, claim, entity_id=org.id)
    log.info("organisation.created", organisation_id=str(org.id), slug=org.slug)
    return org, True


async def update_organisation(
    key: str | uuid.UUID, patch: model.OrganisationPatch, *, expected_version: int | None, actor: Actor
) -> model.Organisation:
    values = changes(patch, required=model.REQUIRED)
    async with db.transaction() as conn:
        current = found(await repository.get(conn, key, for_update=True), f"no organisation {key}", field="id")
        authorize(actor, "organisation.update", organisation_id=current.id)
        check_version(current.version, expected_version)
        values = changed(msgspec.structs.asdict(current), values)
        if not values:
            return current
        authorize_fields(actor, "organisation", values)  # what changes
        if values.get("slug"):
            check_slug(values["slug"])
        await repository.update(conn, current.id, values)
        org = await repository.get(conn, current.id)
        if org.name != current.name:  # the solutions it provides or operates are found by its name
            await indexing.refresh_solutions(conn, await indexing.solutions_of(conn, org.id),
                                             await lexicon.catalogue(conn))
        await _record(conn, org, actor, "updated")
    log.info("organisation.updated", organisation_id=str(org.id), version=org.version, fields=sorted(values))
    return org


async def _record(conn, org: model.Organisation, actor: Actor, action: str) -> None:
    await record(conn, actor=actor, entity_type="organisation", entity_id=org.id, action=action,
                 version=org.version, snapshot=org, land=org.land)
