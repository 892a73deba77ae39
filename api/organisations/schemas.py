"""Wire shape of an organisation where it differs from the core record: the people contact is
grouped under ``contact`` and sent to authenticated callers only (the core record keeps
``contact_name``/``contact_email``/``contact_phone`` flat, as the event log does)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from msgspec import UNSET, UnsetType

from api.schemas import WireOut
from efa_registry.organisations.model import Organisation as Record
from efa_registry.types import OrganisationKind


class Contact(WireOut, omit_defaults=True):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class Organisation(WireOut, omit_defaults=True):
    """An organisation; `contact` appears only for authenticated callers."""

    id: uuid.UUID
    slug: str
    kind: OrganisationKind
    name: str
    area: str | None
    area_name: str | None
    land: str | None
    website: str | None
    is_demo: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    contact: Contact | UnsetType = UNSET

    @classmethod
    def of(cls, o: Record, *, with_contact: bool) -> Organisation:
        out = msgspec.convert(o, cls, from_attributes=True)
        if with_contact:
            out.contact = Contact(name=o.contact_name, email=o.contact_email, phone=o.contact_phone)
        return out
