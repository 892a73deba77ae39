"""Wire shapes of the catalogue where they differ from the core records.

Only two: a solution's people contact is grouped under ``contact`` and sent to authenticated
callers only (the core record keeps ``contact_name``/``contact_email`` flat, as the event log
does), and it carries its ``themenfelder``; a search page carries its facet counts. Interfaces,
history entries, facet counts and the embedded references are the core records themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from msgspec import UNSET, UnsetType

from api.schemas import WireOut
from efa_registry.solutions import model
from efa_registry.solutions.search import FacetCount
from efa_registry.types import ReifegradModel, ReuseRoute, RolloutLevel, SolutionStatus


class Contact(WireOut, omit_defaults=True):
    name: str | None = None
    email: str | None = None


class Solution(WireOut, omit_defaults=True):
    """An EfA solution with its OZG-Leistungen, provider, operator and interfaces embedded;
    `contact` appears only for authenticated callers."""

    id: uuid.UUID
    slug: str
    name: str
    summary: str | None
    description: str | None
    provider: model.OrganisationRef
    operator: model.OrganisationRef | None
    ozg_leistungen: list[model.OzgRef]
    themenfelder: list[str]
    status: SolutionStatus
    efa_compliant: bool | None
    reifegrad_model: ReifegradModel | None
    reifegrad: int | None
    reuse_route: ReuseRoute | None
    rollout_level: RolloutLevel
    licence: str | None
    source_repository: str | None
    documentation_url: str | None
    costs_note: str | None
    tags: list[str]
    is_demo: bool
    interfaces: list[model.Interface]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    contact: Contact | UnsetType = UNSET

    @classmethod
    def of(cls, s: model.Solution, *, with_contact: bool) -> Solution:
        out = msgspec.convert(s, cls, from_attributes=True)
        if with_contact:
            out.contact = Contact(name=s.contact_name, email=s.contact_email)
        return out


class SolutionPage(WireOut):
    """One page of catalogue results, with facet counts when `facets` was asked for."""

    items: list[Solution]
    next: str | None
    limit: int
    facets: dict[str, list[FacetCount]]
