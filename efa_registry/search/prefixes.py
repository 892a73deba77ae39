"""Which query words match as prefixes, and which only whole.

Why: PostgreSQL stems a prefix before it matches it. 'masern':* is 'mas':*, which begins
Maßnahmen; 'wetter':* is 'wett':* (Wettbewerb); and a stem begins unrelated words: 'hund':* is
"vom Hundert", which put the Unfallrente into every dog query. The documents hold the parts of
their compounds (``compounds.expand_for_index``), so a word the catalogue knows finds the
compounds it begins without a prefix: "Hund" finds Hundesteuer whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from efa_registry.search import compounds, spelling
from efa_registry.search import text as t
from efa_registry.search.vocabulary import Vocabulary

if TYPE_CHECKING:
    from efa_registry.search.query import Alternative


def whole_words(alternatives: tuple[Alternative, ...], vocab: Vocabulary | None) -> dict[str, frozenset[str]]:
    """``Group.whole`` and ``Group.unbegun`` of the alternatives."""
    found = {w: whole_only(w, vocab) for a in alternatives for slot in a for w in slot}
    return {kind: frozenset(w for w, why in found.items() if why == kind) for kind in ("whole", "unbegun")}


def whole_only(word: str, vocab: Vocabulary | None) -> str | None:
    """"whole" for a word the vocabulary knows (as it is, as a compound part, or inflected: "hund"
    of Hunde-), "unbegun" for one no vocabulary word begins with (as a prefix it could only match
    what the stemmer cut it to), None for a prefix: a word typed half-way ("Führersch"), and any
    word without a vocabulary to tell."""
    if vocab is None or not word.isalpha() or len(word) > compounds.MAX_WORD:
        return None
    if vocab.lookup_piece(t.normalize(word)) or spelling.inflection_of(t.normalize(word), vocab):
        return "whole"
    return None if vocab.has_prefix(word) else "unbegun"
