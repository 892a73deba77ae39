"""Typo correction against the words the index knows: "Hundesteur" → "hundesteuer".

Why not the database: without pg_trgm PostgreSQL cannot find near misses, and a typo in one
word of an AND query finds nothing at all. Here every vocabulary word is compared by its folded
spelling (ä = ae, ß = ss: "Fuehrerschein" is no typo) with the Damerau–Levenshtein distance
(a swapped pair of letters is one slip, as in "Führerschien"), allowing more slips in longer
words. Candidates come from a symmetric-delete index over each word's first letters (as in
SymSpell), so a lookup touches dozens of words, not the whole vocabulary; the most frequent
word wins a tie.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator

from efa_registry.search import compounds, placewords, thesaurus
from efa_registry.search import text as t
from efa_registry.search.vocabulary import Vocabulary, as_vocabulary

PREFIX = 7  # deletes are taken of this many leading letters; the full words are compared after
MAX_DISTANCE = 2
MIN_TAIL = 5  # the corrected last part of a compound: shorter tails match too much by accident
MIN_BEGUN = 6  # a word this long that begins a known compound is no typo ("abrechnung", not "anrechnung")
MIN_VERB_STEM = 5  # "beantrag" of beantragen begins Beantragung; shorter stems begin too much
# Endings a known word may have beyond the typed one, and the last letters after which German
# does not add them ("reisepas" + s is a typo of Reisepass, no genitive).
_ADDED_ENDINGS = {"s": ("s", "ß", "x", "z"), "es": ("e",), "e": ("e",), "n": ("n",), "en": ("e", "n")}
# What a correction may not add to a word's stem: "erstatten" → "erstattung", "vaterschaft" →
# "vaterschafts" is another word or another form of the same, never a typo fixed.
DERIVED = ("", "ung", "ungen", "s", "es", "e", "en", "n", "er")
ADJECTIVE_ENDINGS = ("em", "en", "er", "es", "e")  # longest first: "gelben" is gelb + en, not gelbe + n


def max_distance(word: str) -> int:
    """Slips allowed in a word of this length: none in short words, where one slip already
    makes another word ("Rente"/"Ente"), two from eight letters on."""
    n = len(word)
    return 0 if n <= 3 else 1 if n <= 7 else MAX_DISTANCE


def distance(a: str, b: str, limit: int = MAX_DISTANCE) -> int:
    """Damerau–Levenshtein distance (optimal string alignment); any value > ``limit`` is
    reported as ``limit + 1``, which lets long mismatches stop early."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class SpellIndex:
    """Folded vocabulary words by the deletes of their first ``PREFIX`` letters."""

    def __init__(self, words: Iterable[tuple[str, int]]):
        self.words: dict[str, tuple[str, int]] = {}  # folded → (spelling, frequency)
        for word, frequency in words:
            key = t.fold(word)
            if frequency > self.words.get(key, ("", -1))[1]:
                self.words[key] = (t.normalize(word), frequency)
        self.plain = {t.plain(spelling): key for key, (spelling, _) in self.words.items()}
        self.deletes: dict[str, list[str]] = defaultdict(list)
        for key in self.words:
            for d in _deletes(key[:PREFIX], MAX_DISTANCE):
                self.deletes[d].append(key)

    def candidates(self, key: str, limit: int) -> Iterator[str]:
        seen: set[str] = set()
        for d in _deletes(key[:PREFIX], limit):
            for candidate in self.deletes.get(d, ()):
                if candidate not in seen:
                    seen.add(candidate)
                    yield candidate

    def correct(self, word: str) -> tuple[str, int] | None:
        """(best vocabulary word, distance) for a word, None when nothing is close enough."""
        key, limit = t.fold(word), max_distance(word)
        if key in self.words:
            return self.words[key][0], 0
        if (plain := t.plain(word)) in self.plain:  # typed without umlaut dots: "Munchen"
            return self.words[self.plain[plain]][0], 0
        best: tuple[int, int, int, str] | None = None
        for candidate in self.candidates(key, limit):
            d = distance(key, candidate, limit)
            if d <= limit:
                # Ties: the longer shared beginning ("reisepas": reisepass, not reisemas), then frequency.
                rank = (d, -_common_prefix(key, candidate), -self.words[candidate][1], candidate)
                best = min(best, rank) if best else rank
        return (self.words[best[-1]][0], best[0]) if best else None


def index(vocab: Vocabulary) -> SpellIndex:
    """The spelling index of a vocabulary, built on first use and kept with it."""
    placewords.words()  # read with the index, not on the first search that corrects a word
    return vocab.derived("spelling", lambda v: SpellIndex(v.items()))


def known(word: str, vocab: Vocabulary, also_known: frozenset[str] = frozenset()) -> bool:
    """In the vocabulary, a part its compounds share ("Steuer" of Grund-, Hunde-, Kirchensteuer),
    a stopword, a noise word ("beantragen"), a number, or a compound of known words; or one of
    these inflected (``inflection_of``), or the first part of a known compound (``_modifier_of``).
    ``also_known``: folded words right although the index
    lacks them (the thesaurus's terms)."""
    word = t.normalize(word)
    return (_known_as_is(word, vocab, also_known) or t.is_noise(word) or bool(compounds.pieces(word, vocab))
            or inflection_of(word, vocab, also_known) or _modifier_of(word, vocab))


def _modifier_of(word: str, vocab: Vocabulary) -> bool:
    """``word`` begins a known compound, which goes on with a known word ("abrechnung" of
    Abrechnungsleistungen): no typo, although the catalogue never has it alone."""
    key = t.fold_normalized(word)
    return len(word) >= MIN_BEGUN and any(
        vocab.lookup_piece(rest[len(linker):]) for w in vocab.completions(word) if len(rest := w[len(key):]) > 3
        for linker in ("", "s", "es", "n", "en") if rest.startswith(linker) and len(rest) - len(linker) >= 3)


def _known_as_is(word: str, vocab: Vocabulary, also_known: frozenset[str]) -> bool:
    return (word in vocab or word in t.STOPWORDS or not word.isalpha() or len(word) <= 2
            or vocab.lookup_piece(word) is not None or t.fold_normalized(word) in also_known)


def inflection_of(word: str, vocab: Vocabulary, also_known: frozenset[str] = frozenset()) -> bool:
    """``word`` is a known word inflected: a base form of it is known ("gebühren": Gebühr,
    "wohngeldes": Wohngeld) or, for a verb, begins known words ("beantragen": Beantragung,
    "berechnen": Berechnung); or a known word is ``word`` with an ending ("vaterschaft":
    Vaterschafts-). Such a word is no typo, and "correcting" it could only change its meaning."""
    for base in t.deinflected(word):
        if _known_as_is(base, vocab, also_known) and len(base) >= t.MIN_BASE + 1:
            return True
        if len(base) >= MIN_VERB_STEM and word.endswith("n") and vocab.has_prefix(base):
            return True
    if _adjective_of(word, vocab):
        return True
    return any(word + ending in vocab for ending in _ADDED_ENDINGS if not word.endswith(_ADDED_ENDINGS[ending]))


def _adjective_of(word: str, vocab: Vocabulary) -> bool:
    """``word`` is a known adjective with another ending: "gelber" of gelben, "vorläufiger" of
    vorläufige."""
    for ending in ADJECTIVE_ENDINGS:
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= t.MIN_BASE + 1:
            return any(stem + other in vocab for other in ADJECTIVE_ENDINGS if other != ending)
    return False


def correct(word: str, vocab: Vocabulary, *, searched: bool = False) -> str | None:
    """The vocabulary word meant by a misspelt ``word``, else None. A compound missing from the
    vocabulary is corrected in its last part ("gewerbeanmeldnug" → gewerbe + "anmeldung").
    ``searched``: only a correction safe to search instead of the word (``searchable``)."""
    vocab = as_vocabulary(vocab)
    word = t.normalize(word)
    better = _corrected(word, vocab)
    if better is None or _same_stem(word, better) or (searched and not searchable(word, better)):
        return None
    return better


def searchable(word: str, better: str) -> bool:
    """A correction that may be searched instead of the typed word, not only offered: it keeps
    the first letter (a slip there makes another word: Bienen/dienen, Anwohner/Einwohner), and
    the typed word is no place name (Neustadt is no "neustaat")."""
    return t.fold(word)[:1] == t.fold(better)[:1] and not placewords.is_place_word(word)


def _same_stem(word: str, better: str) -> bool:
    """``better`` is ``word`` with another ending or a derivation (see ``DERIVED``), not with a
    letter doubled ("reisepas" → reisepass is a typo fixed)."""
    folded = t.fold_normalized(better)
    stems = (s for s in map(t.fold_normalized, (word, *t.deinflected(word))) if len(s) >= MIN_VERB_STEM - 1)
    return any(folded.startswith(stem) and (added := folded[len(stem):]) in DERIVED
               and not added.startswith(stem[-1]) for stem in stems)


def _corrected(word: str, vocab: Vocabulary) -> str | None:
    spell = index(vocab)
    found = spell.correct(word)
    if found and found[1] <= 1:  # a compound correction could at best tie, and ties go direct
        return found[0]
    # A direct correction beats a compound one at the same distance, a longer known head a shorter.
    best = (found[1], 0, 0, found[0]) if found else None
    for cut in range(compounds.MIN_PART, len(word) - MIN_TAIL + 1):
        head, rest = word[:cut], word[cut:]
        if compounds.readings(head, vocab, final=False) and (tail := spell.correct(rest)):
            rank = (tail[1], 1, -len(head), head + tail[0])
            best = min(best, rank) if best else rank
    return best[-1] if best else None


@functools.cache
def _shipped_terms() -> frozenset[str]:
    """The shipped thesaurus's terms, folded: once per process, not on every query."""
    return frozenset(t.fold(w) for entry in thesaurus.load().entries for w in entry.term)


def suggest(query: str, vocab: Vocabulary, *, also_known: Iterable[str] | None = None,
            searched: bool = False) -> str | None:
    """The query with every unknown word corrected ("Meinten Sie …?"), as normalised words;
    None when every word is known or nothing better is found. ``also_known``: words that are
    right although the index lacks them; by default the shipped thesaurus's terms ("Perso").
    ``searched``: only the corrections safe to search instead (``searchable``)."""
    vocab = as_vocabulary(vocab)
    extra = _shipped_terms() if also_known is None else frozenset(t.fold(w) for w in also_known)
    words, changed = [], False

    def fix(word: str) -> str:
        nonlocal changed
        if known(word, vocab, extra) or not (better := correct(word, vocab, searched=searched)):
            return word
        changed = changed or better != word
        return better

    for token in t.tokens(query):
        known_whole = known(token.word, vocab, extra)
        word = "-".join(map(fix, token.parts)) if token.parts and not known_whole else fix(token.word)
        words.append("-" + word if token.minus else word)  # an exclusion stays one ("Hund -Steuer")
    return " ".join(words) if changed else None
