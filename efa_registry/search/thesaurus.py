"""Everyday words mapped to the catalogue's wording: "Kita" finds Kindertagesbetreuung.

The catalogue speaks the language of statutes (Kraftfahrzeugzulassung, Eheschließung); people
type "Auto anmelden" and "Hochzeit". The mapping is curated by hand in ``seed/thesaurus.csv``
(``term;expansions;note``, expansions separated by ``|``) so that a reviewer can read every
entry, and it is validated when loaded: a broken file fails loudly, never silently half-works.
Each expansion's words occur in the OZG/LeiKa catalogue (checked by
``bench/relevance/check_language.py`` against the real files).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from efa_registry.search import text as t

HEADER = ["term", "expansions", "note"]
SEPARATOR = "|"
MIN_TERM, MIN_REST = 3, 4  # a term read at the front of a compound, and what must follow it
LINKERS = ("", "s", "es", "n", "en")  # between a term and the rest: "Hochzeit|s|urkunde"


class ThesaurusError(ValueError):
    """The thesaurus file is malformed; ``problems`` lists (line, reason)."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(f"line {line}: {reason}" for line, reason in problems))


class Entry(NamedTuple):
    term: tuple[str, ...]  # normalised words, stopwords kept ("deutscher", "werden")
    expansions: tuple[str, ...]  # normalised catalogue wording, one or more words each
    note: str


def _key(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(t.fold_normalized(w) for w in words)


class Thesaurus:
    """Entries by the folded words of their term, so "Knoellchen" finds "Knöllchen"."""

    def __init__(self, entries: Sequence[Entry]):
        self.entries = list(entries)
        self._by_term = {_key(e.term): e for e in self.entries}
        self.longest = max((len(e.term) for e in self.entries), default=0)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, words: Sequence[str]) -> tuple[str, ...]:
        """The expansions of a term given as normalised words, also with one word inflected
        ("kitas", "autos anmelden": ``text.deinflected``); () when it is no term."""
        entry = self._by_term.get(key := _key(words))
        if entry is None and len(key) <= self.longest:
            entry = next((e for i, word in enumerate(key) for base in t.deinflected(word)
                          if (e := self._by_term.get((*key[:i], base, *key[i + 1:])))), None)
        return entry.expansions if entry else ()

    def modifier(self, word: str, known: Callable[[str], bool]) -> tuple[str, str] | None:
        """(term, rest) when a one-word term begins ``word`` and the rest, after a linking element,
        is ``known`` ("kitaanmeldung" → kita, anmeldung; "hochzeitsurkunde" → hochzeit, urkunde);
        the longest such term, else None. A term of the thesaurus is what people call a thing, so
        it is read before any split into the catalogue's words ("perso|verlängerung", not person)."""
        for cut in range(len(word) - MIN_REST, MIN_TERM - 1, -1):
            if (t.fold_normalized(word[:cut]),) not in self._by_term:
                continue
            rest = word[cut:]
            for linker in LINKERS:
                if rest.startswith(linker) and len(rest) - len(linker) >= MIN_REST and known(rest[len(linker):]):
                    return word[:cut], rest[len(linker):]
        return None

    def spans(self, words: Sequence[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, length, expansions) covering ``words`` left to right; multi-word terms match
        greedily, longest first ("hartz 4", "auto anmelden"); a word that is no term is a span
        of one with no expansions."""
        spans, i = [], 0
        while i < len(words):
            size, expansions = 1, self.lookup(words[i:i + 1])
            for longer in range(min(self.longest, len(words) - i), 1, -1):
                if found := self.lookup(words[i:i + longer]):
                    size, expansions = longer, found
                    break
            spans.append((i, size, expansions))
            i += size
        return spans

    def expand_query_terms(self, tokens: Sequence[str]) -> list[list[str]]:
        """Per query word (or multi-word term) the alternatives to OR: the words as typed, then
        their expansions; the groups are meant to be ANDed."""
        # Hyphenated words stay one word ("kfzsteuer"): their parts are the query builder's business.
        words = [tok.word for token in tokens for tok in t.tokens(token)]
        return [[" ".join(words[i:i + n]), *expansions] for i, n, expansions in self.spans(words)]


def _entry(row: list[str], line: int, problems: list[tuple[int, str]]) -> Entry | None:
    if len(row) != len(HEADER):
        problems.append((line, f"expected {len(HEADER)} fields separated by ';', found {len(row)}"))
        return None
    term_text, expansions_text, note = (field.strip() for field in row)
    # Hyphenated words count as one, as the query builder sees them ("Kfz-Steuer" → kfzsteuer).
    term = tuple(tok.word for tok in t.tokens(term_text))
    expansions = tuple(" ".join(tok.word for tok in t.tokens(e)) for e in expansions_text.split(SEPARATOR))
    if not term:
        problems.append((line, "empty term"))
    if not expansions_text or any(not e for e in expansions):
        problems.append((line, f"empty expansion in {expansions_text!r}"))
    elif any(_key(e.split()) == _key(term) for e in expansions):
        problems.append((line, "a term cannot expand to itself"))
    elif len(set(map(t.fold, expansions))) != len(expansions):
        problems.append((line, "repeated expansion"))
    return Entry(term, expansions, note) if term and expansions_text else None


def parse(data: str) -> Thesaurus:
    """A thesaurus from the CSV text; ThesaurusError lists every malformed line at once."""
    reader = csv.reader(io.StringIO(data.removeprefix("\ufeff")), delimiter=";")
    rows = list(reader)
    problems: list[tuple[int, str]] = []
    if not rows or [c.strip() for c in rows[0]] != HEADER:
        raise ThesaurusError([(1, f"header must be {';'.join(HEADER)}")])
    entries, first_line = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(field.strip() for field in row):
            continue
        entry = _entry(row, line, problems)
        term = tuple(tok.word for tok in t.tokens(row[0])) if row else ()
        if term and (key := _key(term)) in first_line:
            problems.append((line, f"term {' '.join(term)!r} already on line {first_line[key]}"))
        elif term:
            first_line[key] = line
        if entry is not None:
            entries.append(entry)
    if problems:
        raise ThesaurusError(problems)
    return Thesaurus(entries)


def seed_path() -> Path:
    """``seed/thesaurus.csv`` in the ``seed`` package (package data, shipped with the registry)."""
    import seed

    return Path(next(iter(seed.__path__))) / "thesaurus.csv"


@functools.cache
def load(path: Path | None = None) -> Thesaurus:
    """The shipped thesaurus (or the one at ``path``), parsed and validated once per process."""
    return parse((path or seed_path()).read_text(encoding="utf-8"))


def expand_query_terms(tokens: Sequence[str], thesaurus: Thesaurus | None = None) -> list[list[str]]:
    """``Thesaurus.expand_query_terms`` with the shipped thesaurus by default."""
    return (thesaurus or load()).expand_query_terms(tokens)
