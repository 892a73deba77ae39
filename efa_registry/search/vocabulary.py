"""The words a catalogue uses, with their frequencies, looked up spelling-independently.

One structure serves the compound splitter (which words exist), spelling correction (which
word was meant, the most frequent winning a tie) and the query builder (the catalogue's own
spelling of "fuehrerschein"). Built by ``compounds.build_vocabulary``.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

from efa_registry.search import text as t

T = TypeVar("T")


class Vocabulary:
    """Words (normalised, original spelling) with frequencies, keyed by their ``text.fold``.

    ``parts`` are composition pieces learned from the catalogue's compounds ("ausweis" from
    Personalausweis, Parkausweis, Bibliotheksausweis …): good enough to split a compound at,
    but not words a user is told to type, so spelling correction ignores them.
    """

    __slots__ = ("_cache", "_canonical", "_folded", "_parts")

    def __init__(self, counts: Mapping[str, int], parts: Mapping[str, int] | None = None):
        self._folded: Counter[str] = Counter()
        best: dict[str, tuple[int, str]] = {}
        for word, count in counts.items():
            word = t.normalize(word)
            key = t.fold_normalized(word)
            self._folded[key] += count
            if (count, word) > best.get(key, (0, "")):
                best[key] = (count, word)
        self._canonical = {key: word for key, (_, word) in best.items()}
        self._parts = {t.fold(p): t.normalize(p) for p in (parts or {}) if t.fold(p) not in self._canonical}
        self._cache: dict[str, object] = {}

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and t.fold(word) in self._folded

    def __len__(self) -> int:
        return len(self._folded)

    def __iter__(self) -> Iterator[str]:
        return iter(self._canonical.values())

    def items(self) -> Iterator[tuple[str, int]]:
        """(word, frequency) pairs, the frequency summed over spellings."""
        return ((word, self._folded[key]) for key, word in self._canonical.items())

    @property
    def parts(self) -> list[str]:
        return sorted(self._parts.values())

    def lookup(self, word: str) -> str | None:
        """The vocabulary's own spelling of ``word`` ("fuehrerschein" → "führerschein")."""
        return self._canonical.get(t.fold(word))

    def lookup_piece(self, word: str) -> str | None:
        """A word or learned part for an already ``text.normalize``d piece (the splitter's hot path)."""
        key = t.fold_normalized(word)
        return self._canonical.get(key) or self._parts.get(key)

    def has_prefix(self, word: str) -> bool:
        """Some word begins with ``word`` (folded): a half-typed word is no unknown word."""
        keys: list[str] = self.derived("sorted", lambda v: sorted(v._folded))
        key = t.fold(word)
        i = bisect.bisect_left(keys, key)
        return i < len(keys) and keys[i].startswith(key)

    def completions(self, word: str, limit: int = 50) -> list[str]:
        """Up to ``limit`` words (folded) that begin with ``word`` (folded), in order."""
        keys: list[str] = self.derived("sorted", lambda v: sorted(v._folded))
        key = t.fold(word)
        i = bisect.bisect_left(keys, key)
        return [k for k in keys[i:i + limit] if k.startswith(key)]

    def frequency(self, word: str) -> int:
        return self._folded.get(t.fold(word), 0)

    def derived(self, name: str, build: Callable[[Vocabulary], T]) -> T:
        """A structure computed from this vocabulary once and kept with it (the spelling
        index, the splitter's memo): callers pass the vocabulary, never a cache."""
        if name not in self._cache:
            self._cache[name] = build(self)
        return self._cache[name]  # type: ignore[return-value]


def as_vocabulary(words: Vocabulary | Mapping[str, int] | Iterable[str]) -> Vocabulary:
    """A Vocabulary from a Vocabulary, word frequencies, or plain words (each counted once).
    Only a real Vocabulary keeps its derived indexes between calls: build one and pass it."""
    if isinstance(words, Vocabulary):
        return words
    if isinstance(words, Mapping):
        return Vocabulary(words)
    return Vocabulary(Counter(t.normalize(w) for w in words))
