"""Organisation use cases: one transaction each, authorised by the policy table, recorded as events."""

from __future__ import annotations

import uuid

import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import authorize
from efa_registry.errors import NotFound
from efa_registry.events.recorder import record
from efa_registry.kit.paging import Page
from efa_registry.kit.patching import changes, check_version
from efa_registry.kit.slugs import slugify
from efa_registry.organisations import repository
from efa_registry.organisations.model import (
    REQUIRED,
    Organisation,
    OrganisationCreate,
    OrganisationFilter,
    OrganisationPatch,
)

log = structlog.get_logger(__name__)


async def get_organisation(key: str | uuid.UUID) -> Organisation:
    async with db.connection() as conn:
        org = await repository.get(conn, key)
    if org is None:
        raise NotFound(f"no organisation {key}", field="id")
    return org


async def list_organisations(
    flt: OrganisationFilter = OrganisationFilter(), *, limit: int, after: str | None
) -> Page[Organisation]:
    async with db.connection() as conn:
        return await repository.list_organisations(conn, flt, limit=limit, after=after)


async def create_organisation(cmd: OrganisationCreate, *, actor: Actor, is_demo: bool = False) -> Organisation:
    authorize(actor, "organisation.create")
    values = msgspec.structs.asdict(cmd)
    values["slug"] = cmd.slug or slugify(cmd.name)
    values["id"] = uuid.uuid4()
    values["is_demo"] = is_demo
    async with db.transaction() as conn:
        await repository.insert(conn, values)
        org = await repository.get(conn, values["id"])
        await _record(conn, org, actor, "created")
    log.info("organisation.created", organisation_id=str(org.id), slug=org.slug)
    return org


async def update_organisation(
    key: str | uuid.UUID, patch: OrganisationPatch, *, expected_version: int | None, actor: Actor
) -> Organisation:
    values = changes(patch, required=REQUIRED)
    async with db.transaction() as conn:
        current = await repository.get(conn, key, for_update=True)
        if current is None:
            raise NotFound(f"no organisation {key}", field="id")
        authorize(actor, "organisation.update", organisation_id=current.id)
        check_version(current.version, expected_version)
        await repository.update(conn, current.id, values)
        org = await repository.get(conn, current.id)
        await _record(conn, org, actor, "updated")
    log.info("organisation.updated", organisation_id=str(org.id), version=org.version, fields=sorted(values))
    return org


async def _record(conn, org: Organisation, actor: Actor, action: str) -> None:
    await record(conn, actor=actor, entity_type="organisation", entity_id=org.id, action=action,
                 version=org.version, snapshot=org, land=org.land)
