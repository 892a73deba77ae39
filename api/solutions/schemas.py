"""Wire shapes of the catalogue where they differ from the core records.

A solution's people contact goes out grouped under ``contact`` and to authenticated callers only
(the core record keeps ``contact_name``/``contact_email`` flat, as the event log does), and the
solution carries its ``themenfelder``; a search page carries its facet counts. Interfaces,
history entries, facet counts and the embedded references are the core records themselves.
"""

from __future__ import annotations

from api.schemas import WireOut, with_grouped_contact
from efa_registry.solutions import model
from efa_registry.solutions.search import FacetCount

Solution = with_grouped_contact(model.Solution, module=__name__, themenfelder=list[str], doc=(
    "An EfA solution with its OZG-Leistungen, provider, operator and interfaces embedded; `contact` appears "
    "only for authenticated callers."))


class SolutionPage(WireOut):
    """One page of catalogue results, with facet counts when `facets` was asked for."""

    items: list[Solution]  # type: ignore[valid-type]
    next: str | None
    limit: int
    facets: dict[str, list[FacetCount]]
