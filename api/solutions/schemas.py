"""Wire shapes of the catalogue where they differ from the core records.

A solution's people contact goes out grouped under ``contact`` and to authenticated callers only
(the core record keeps ``contact_name``/``contact_email`` flat, as the event log does), and the
solution carries its ``themenfelder``; a search page carries its facet counts and a hit its
highlight. Lists carry summaries (``SolutionSummary``: the core's, with the ``themenfelder`` and without the
description), the whole entity only with ``expand=full``. Interfaces, history entries, facet counts and the
embedded references are the core records themselves.
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from api.schemas import WireOut, wire_struct, with_grouped_contact
from efa_registry.search.model import Highlight
from efa_registry.solutions import model
from efa_registry.solutions.search import FacetCount

Solution = with_grouped_contact(model.Solution, module=__name__, themenfelder=list[str], doc=(
    "An EfA solution with its OZG-Leistungen, provider, operator and interfaces embedded; `contact` appears "
    "only for authenticated callers."))


class SolutionHit(Solution):  # type: ignore[valid-type, misc]
    """A solution; found by `q`, with its matches marked in `highlight`."""

    highlight: Highlight | UnsetType = UNSET


def _summary_fields() -> dict[str, tuple[Any, Any]]:
    """The core summary's fields but ``description`` (the entity's: a list stays small), with the
    ``themenfelder`` next to the OZG-Leistungen they come from, and a hit's ``highlight`` last."""
    fields = {}
    for f in msgspec.structs.fields(model.SolutionSummary):
        if f.name != "description":
            fields[f.name] = (f.type, msgspec.NODEFAULT)
        if f.name == "ozg_leistungen":
            fields["themenfelder"] = (list[str], msgspec.NODEFAULT)
    return {**fields, "highlight": (Highlight | UnsetType, UNSET)}


SolutionSummary = wire_struct("SolutionSummary", __name__, (
    "A solution in a list: what a reader needs to choose one. Its description, interfaces, licence, links, costs "
    "note, contact and creation time are on the entity (`getSolution`), or in every item with `expand=full`. "
    "`interfaceStandards`: the standards of its interfaces that are not retired. Found by `q`, its matches are "
    "marked in `highlight`."), _summary_fields())
SUMMARY_FIELDS = tuple(f for f in SolutionSummary.__struct_fields__ if f not in ("themenfelder", "highlight"))


def summary_out(s: model.SolutionSummary, highlight: Highlight | UnsetType = UNSET) -> WireOut:
    return SolutionSummary(**{f: getattr(s, f) for f in SUMMARY_FIELDS}, themenfelder=s.themenfelder,
                           highlight=highlight)


class SolutionPage(WireOut):
    """One page of catalogue results (summaries; whole solutions with `expand=full`), with facet
    counts when `facets` was asked for. With `q`: `didYouMean` a spelling correction offered
    ("Meinten Sie …?"); `correctedFrom` the typed query when the typed words found nothing and the
    hits are for `didYouMean` instead; `relaxed` when no hit has all the words and these have some;
    `unknownWords` the words the catalogue does not know: left out when the others name what is
    meant ("Personalausweis xqzvwk"), else required, so that nothing is found ("Falschparker melden")."""

    items: list[SolutionSummary]  # type: ignore[valid-type]
    next: str | None
    limit: int
    facets: dict[str, list[FacetCount]]
    did_you_mean: str | None
    corrected_from: str | None
    relaxed: bool
    unknown_words: list[str]


class ExpandedSolutionPage(SolutionPage):
    """``SolutionPage`` with `expand=full`: every item is the whole solution, as `getSolution` has it."""

    items: list[SolutionHit]  # type: ignore[assignment]
