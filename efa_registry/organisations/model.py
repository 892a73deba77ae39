"""Organisation records and commands."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from msgspec import Meta

from efa_registry.kit.wire import Command, Query, Record, patch_of
from efa_registry.types import LAND_PATTERN, LINE_PATTERN, Ars, HttpsUrl, OrganisationKind, Slug

Name = Annotated[str, Meta(min_length=2, max_length=300, pattern=LINE_PATTERN)]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
Email = Annotated[str, Meta(pattern=EMAIL_PATTERN, max_length=320)]
Phone = Annotated[str, Meta(pattern=r"^[0-9 +()/-]{3,60}$")]
PersonName = Annotated[str, Meta(min_length=2, max_length=200, pattern=LINE_PATTERN)]


class Organisation(Record):
    id: uuid.UUID
    slug: str
    kind: OrganisationKind
    name: str
    area: str | None
    area_name: str | None
    land: str | None
    website: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    is_demo: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class OrganisationCreate(Command):
    kind: OrganisationKind
    name: Name
    slug: Slug | None = None
    area: Ars | None = None
    website: HttpsUrl | None = None
    contact_name: PersonName | None = None
    contact_email: Email | None = None
    contact_phone: Phone | None = None


class OrganisationFilter(Query):
    kind: Annotated[OrganisationKind, Meta(description="Kind of organisation")] | None = None
    land: Annotated[str, Meta(pattern=LAND_PATTERN, description="Land key")] | None = None
    q: Annotated[str, Meta(min_length=2, max_length=100, description="Name part")] | None = None


REQUIRED = ("kind", "name", "slug")
OrganisationPatch = patch_of(OrganisationCreate, required=REQUIRED)
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
