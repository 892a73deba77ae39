"""What a search hands out besides its hits: how the query was understood, the marked matches,
and the suggestions of the search box."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

from efa_registry.kit.paging import Page
from efa_registry.kit.wire import Record

T = TypeVar("T")


class SearchNotes(Record):
    """How the query was searched: ``did_you_mean`` the spelling correction of the typed words
    ("Meinten Sie …?"); ``corrected_from`` the typed query when the typed words found nothing and
    the hits are for ``did_you_mean`` instead; ``relaxed`` when no hit has all the words and the
    hits have some of them; ``unknown_words`` the words the catalogue does not know (nor a
    correction of them): left out when the other words name what is meant, else searched as typed
    (and then nothing is found)."""

    did_you_mean: str | None = None
    corrected_from: str | None = None
    relaxed: bool = False
    unknown_words: tuple[str, ...] = ()


class Highlight(Record):
    """A hit's matches as HTML: text escaped, matched words in ``<mark>``. ``name`` is the whole
    name; ``snippet`` a passage of another text that matched (LeiKa wording, summary,
    description), None when only the name did."""

    name: str
    snippet: str | None


class Suggestion(Record):
    """One entry of the search box's list: what to show (``label``) and what it is."""

    key: str  # OZG-ID, solution slug or ARS
    label: str
    detail: str | None  # Themenfeld, provider, or the level and Land of an area


class Suggestions(Record):
    ozg_leistungen: list[Suggestion]
    solutions: list[Suggestion]
    areas: list[Suggestion]



class Hits(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """A page of search hits with their highlights (by the hit's key) and how the query was searched."""

    page: Page[T]
    notes: SearchNotes
    highlights: dict[str, Highlight]
