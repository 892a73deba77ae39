"""How a search document is built: which texts of an OZG-Leistung or a solution are indexed, at
which weight, and which texts make up the vocabularies. The one place that decides it.

Weights rank a name match above a match in LeiKa wording above one in a description
(``ts_rank`` with PostgreSQL's default weights 1.0, 0.4, 0.2, 0.1 for A, B, C, D), and every
field goes through ``compounds.expand_for_index``: compound parts, joined hyphenations and folded
spellings are words PostgreSQL's ``german`` stemmer cannot derive ("Hund" in Hundesteuer).

- OZG-Leistung: A its name; B its LeiKa entries' names; C its Lagen and its Themenfeld.
- Solution: A its name; B summary, tags and its OZG-Leistungen's names; C its interfaces'
  standards, names and kinds, its provider and operator; D its description and the LeiKa
  wording of its OZG-Leistungen (the words citizens use: "Hundesteuer" for Hundehaltung).

Pure: texts in, strings out. The repositories write them with ``TSVECTOR_SQL``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from efa_registry.search import compounds
from efa_registry.search.vocabulary import Vocabulary

# The four fields of a document as one tsvector; {0}…{3} are the SQL expressions of fields A…D.
TSVECTOR_SQL = ("setweight(to_tsvector('german', {0}), 'A') || setweight(to_tsvector('german', {1}), 'B')"
                " || setweight(to_tsvector('german', {2}), 'C') || setweight(to_tsvector('german', {3}), 'D')")
# ts_rank's weights for D, C, B, A (PostgreSQL's defaults, spelt out so that a reader sees them).
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
MEMO = 100_000  # expanded texts kept per vocabulary (the catalogue has some 6,000)


class Document(NamedTuple):
    """The expanded text of each weight; '' where a document has nothing of that weight."""

    a: str
    b: str
    c: str
    d: str


def _field(texts: Iterable[str | None], vocab: Vocabulary) -> str:
    """Each text expanded on its own (a coordination "Kita- und Hortbetreuung" never reaches into
    the next entry), repeats dropped: twenty LeiKa entries saying "Hundesteuer" are one fact."""
    seen: dict[str, None] = {}
    for text in texts:
        if text and text.strip():
            seen.setdefault(text.strip(), None)
    return " ; ".join(_expanded(text, vocab) for text in seen)


def _expanded(text: str, vocab: Vocabulary) -> str:
    """``expand_for_index``, kept with the vocabulary: a catalogue import rebuilds every document,
    mostly of texts it has expanded before."""
    memo: dict[str, str] = vocab.derived("expanded", lambda _: {})
    found = memo.get(text)
    if found is None:
        if len(memo) > MEMO:
            memo.clear()
        found = memo[text] = compounds.expand_for_index(text, vocab)
    return found


def ozg_leistung(name: str, leika_names: Sequence[str], lagen: Sequence[str], themenfeld: str | None,
                 vocab: Vocabulary) -> Document:
    return Document(_field([name], vocab), _field(leika_names, vocab), _field([*lagen, themenfeld], vocab), "")


class SolutionTexts(NamedTuple):
    """What a solution's document is built from (read by the solution repository)."""

    name: str
    summary: str | None
    tags: Sequence[str]
    ozg_names: Sequence[str]
    interfaces: Sequence[str]  # standard, name and kind of every interface not retired
    organisations: Sequence[str]  # provider and operator
    description: str | None
    leika_names: Sequence[str]


def solution(texts: SolutionTexts, vocab: Vocabulary) -> Document:
    return Document(_field([texts.name], vocab), _field([texts.summary, *texts.tags, *texts.ozg_names], vocab),
                    _field([*texts.interfaces, *texts.organisations], vocab),
                    _field([texts.description, *texts.leika_names], vocab))


def catalogue_vocabulary(texts: Iterable[str]) -> Vocabulary:
    """The catalogue's vocabulary (OZG-Leistungen, LeiKa entries, Lagen, Themenfelder) with the
    composition parts its compounds share: what OZG documents and every query are split by."""
    return compounds.build_vocabulary(texts)


def solutions_vocabulary(catalogue: Vocabulary, texts: Iterable[str]) -> Vocabulary:
    """The catalogue's words plus the solutions' own (names, summaries, standards, providers):
    what a solution search corrects towards ("Dataprot" → Dataport). The composition parts stay
    the catalogue's: free text would teach the splitter accidents."""
    counts = dict(catalogue.items())
    for word, count in compounds.build_vocabulary(texts, learn=False).items():
        counts[word] = counts.get(word, 0) + count
    return Vocabulary(counts, dict.fromkeys(catalogue.parts, 1))
