"""Wire shapes of the catalogue where they differ from the core records.

A solution's people contact goes out grouped under ``contact`` and to authenticated callers only
(the core record keeps ``contact_name``/``contact_email`` flat, as the event log does), and the
solution carries its ``themenfelder``; a search page carries its facet counts and a hit its
highlight. Interfaces,
history entries, facet counts and the embedded references are the core records themselves.
"""

from __future__ import annotations

from msgspec import UNSET, UnsetType

from api.schemas import WireOut, with_grouped_contact
from efa_registry.search.model import Highlight
from efa_registry.solutions import model
from efa_registry.solutions.search import FacetCount

Solution = with_grouped_contact(model.Solution, module=__name__, themenfelder=list[str], doc=(
    "An EfA solution with its OZG-Leistungen, provider, operator and interfaces embedded; `contact` appears "
    "only for authenticated callers."))


class SolutionHit(Solution):  # type: ignore[valid-type, misc]
    """A solution; found by `q`, with its matches marked in `highlight`."""

    highlight: Highlight | UnsetType = UNSET


class SolutionPage(WireOut):
    """One page of catalogue results, with facet counts when `facets` was asked for. With `q`:
    `didYouMean` a spelling correction offered ("Meinten Sie …?"); `correctedFrom` the typed
    query when the typed words found nothing and the hits are for `didYouMean` instead; `relaxed` when
    no hit has all the words and these have some."""

    items: list[SolutionHit]
    next: str | None
    limit: int
    facets: dict[str, list[FacetCount]]
    did_you_mean: str | None
    corrected_from: str | None
    relaxed: bool
