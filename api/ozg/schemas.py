"""Wire shapes of the OZG catalogue where they differ from the core records: a search hit carries
its highlight, a search page how its query was searched."""

from __future__ import annotations

from msgspec import UNSET, UnsetType

from api.schemas import WireOut
from efa_registry.ozg.model import OzgLeistung
from efa_registry.search.model import Highlight


class OzgLeistungHit(OzgLeistung):
    """An OZG-Leistung; found by `q`, with its matches marked in `highlight`."""

    highlight: Highlight | UnsetType = UNSET


class OzgLeistungPage(WireOut):
    """A page of OZG-Leistungen. With `q`: `didYouMean` a spelling correction offered ("Meinten
    Sie …?"); `correctedFrom` the typed query when the typed words found nothing and the hits are
    for `didYouMean` instead; `relaxed` when no hit has all the words and these have some;
    `unknownWords` the words the catalogue does not know: left out when the others name what is
    meant ("Personalausweis xqzvwk"), else required, so that nothing is found ("Falschparker melden")."""

    items: list[OzgLeistungHit]
    next: str | None
    limit: int
    did_you_mean: str | None
    corrected_from: str | None
    relaxed: bool
    unknown_words: list[str]
