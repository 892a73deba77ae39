"""Wire shapes of the catalogue where they differ from the core records.

A solution's people contact goes out grouped under ``contact`` and to authenticated callers only
(the core record keeps ``contact_name``/``contact_email`` flat, as the event log does), and the
solution carries its ``themenfelder``; a search page carries its facet counts and a hit its
highlight. Lists carry summaries (``SolutionSummary``), the whole entity only with ``expand=full``. Interfaces,
history entries, facet counts and the embedded references are the core records themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid

from msgspec import UNSET, UnsetType

from api.schemas import WireOut, with_grouped_contact
from efa_registry.search.model import Highlight
from efa_registry.solutions import model
from efa_registry.solutions.search import FacetCount
from efa_registry.types import ReifegradModel, ReuseRoute, RolloutLevel, SolutionStatus

Solution = with_grouped_contact(model.Solution, module=__name__, themenfelder=list[str], doc=(
    "An EfA solution with its OZG-Leistungen, provider, operator and interfaces embedded; `contact` appears "
    "only for authenticated callers."))


class SolutionHit(Solution):  # type: ignore[valid-type, misc]
    """A solution; found by `q`, with its matches marked in `highlight`."""

    highlight: Highlight | UnsetType = UNSET


class SolutionSummary(WireOut):
    """A solution in a list: what a reader needs to choose one. Its description, interfaces,
    licence, links, costs note, contact and creation time are on the entity (`getSolution`), or in
    every item with `expand=full`. `interfaceStandards`: the standards of its interfaces that are
    not retired. Found by `q`, its matches are marked in `highlight`."""

    id: uuid.UUID
    slug: str
    name: str
    summary: str | None
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
    tags: list[str]
    is_demo: bool
    interface_standards: list[str]
    version: int
    updated_at: dt.datetime
    highlight: Highlight | UnsetType = UNSET

    @classmethod
    def of(cls, s: model.SolutionSummary, highlight: Highlight | UnsetType = UNSET) -> SolutionSummary:
        return cls(**{f: getattr(s, f) for f in SUMMARY_FIELDS}, themenfelder=s.themenfelder, highlight=highlight)


SUMMARY_FIELDS = tuple(f for f in SolutionSummary.__struct_fields__ if f not in ("themenfelder", "highlight"))


class SolutionPage(WireOut):
    """One page of catalogue results (summaries; whole solutions with `expand=full`), with facet
    counts when `facets` was asked for. With `q`: `didYouMean` a spelling correction offered
    ("Meinten Sie …?"); `correctedFrom` the typed query when the typed words found nothing and the
    hits are for `didYouMean` instead; `relaxed` when no hit has all the words and these have some."""

    items: list[SolutionSummary]
    next: str | None
    limit: int
    facets: dict[str, list[FacetCount]]
    did_you_mean: str | None
    corrected_from: str | None
    relaxed: bool


class ExpandedSolutionPage(SolutionPage):
    """``SolutionPage`` with `expand=full`: every item is the whole solution, as `getSolution` has it."""

    items: list[SolutionHit]  # type: ignore[assignment]
