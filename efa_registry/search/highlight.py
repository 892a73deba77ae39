"""Matched words marked in a hit's texts: ``<mark>`` around them, everything else HTML-escaped.

Why not ``ts_headline``: it stems whole words only, so "Anmeldung" would never be marked in
"Gewerbeanmeldung", which the index found by its compound part. Here a word counts as matched
when it, one of its hyphen parts or one of its compound parts matches a query word as
PostgreSQL's ``german`` stemmer does: the query words' stems come from PostgreSQL with the hits
(``repository.STEMS_SQL``), and a text word matches a prefix query word ('hund':*) when it
begins with its stem, an exact one ('kfz') when it is the stem with an inflection ending. The
stems of text words are their beginnings without umlauts, which is what the comparison uses.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Sequence

from efa_registry.search import compounds
from efa_registry.search import text as t
from efa_registry.search.vocabulary import Vocabulary

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
SNIPPET_WORDS = 24
MAX_WORD = 60
MEMO = 50_000  # words remembered per vocabulary (a bound for vocabularies fed with arbitrary text)
MATCHERS = 500  # matchers kept per vocabulary: the queries asked again and again
MARKS = 200  # marked texts kept per matcher (a query's hits' names and passages)
# What the stemmer strips from a word whose stem an exact query word is ("kfz", "bau"): Bau, Baue, Baus.
ENDINGS = ("", "e", "em", "en", "er", "ern", "es", "s", "n", "st", "est")


def _readings(word: str, vocab: Vocabulary) -> tuple[str, ...]:
    """The word, its hyphen parts and their compound parts, lower case without umlauts; kept
    with the vocabulary, since the same catalogue words come back on every page."""
    memo: dict[str, tuple[str, ...]] = vocab.derived("highlight", lambda _: {})
    found = memo.get(word)
    if found is None:
        if len(memo) > MEMO:
            memo.clear()
        whole = t.normalize(word)
        pieces = [whole, *(whole.split("-") if "-" in whole else ())] if len(whole) <= MAX_WORD else []
        readings = [*pieces, *(p for piece in pieces for p in compounds.all_parts(piece, vocab))]
        found = memo[word] = tuple(dict.fromkeys(r.translate(_PLAIN) for r in readings if r not in t.STOPWORDS))
    return found


class Matcher:
    """Which words of a text match a query, given its words' stems and whether each is a prefix."""

    def __init__(self, stems: Sequence[tuple[str, bool]], vocab: Vocabulary):
        self.prefixes = tuple(s for s, prefix in stems if s and prefix)
        self.exact = {s + ending for s, prefix in stems if s and not prefix for ending in ENDINGS}
        # A text can only match where it holds a stem, umlauts written or not (one scan in C).
        alternatives = sorted({_umlauts(re.escape(s)) for s, _ in stems if s}, key=len, reverse=True)
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None
        self.vocab = vocab
        self._seen: dict[str, bool] = {}
        self.marks: dict[str, str | None] = {}  # ``_marked`` of the texts seen

    def hit(self, word: str) -> bool:
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = any(r.startswith(self.prefixes) or r in self.exact
                                           for r in _readings(word, self.vocab))
        return found

    def may_hit(self, text: str) -> bool:
        """False when no word of ``text`` can match: none holds a stem."""
        return self._pattern is not None and self._pattern.search(text.lower()) is not None


def matcher(stems: Sequence[str], prefixes: Sequence[bool], vocab: Vocabulary) -> Matcher:
    """The ``Matcher`` of a query's word stems, each a prefix or not, kept with the vocabulary with
    what it has marked: people search for the same things again and again, and their hits come
    back with the same names and LeiKa wording."""
    key = tuple(zip(stems, prefixes, strict=False))
    memo: dict[tuple[tuple[str, bool], ...], Matcher] = vocab.derived("matchers", lambda _: {})
    found = memo.get(key)
    if found is None:
        if len(memo) >= MATCHERS:
            memo.clear()
        found = memo[key] = Matcher(key, vocab)
    return found


def _umlauts(stem: str) -> str:
    """A pattern for a stem as it may be written: "fuhrerschein" also as "führerschein"."""
    return stem.replace("ss", "(?:ss|ß)").replace("a", "[aä]").replace("o", "[oö]").replace("u", "[uü]")


def mark(text: str, matcher: Matcher) -> str:
    """``text`` escaped for HTML, the matched words in ``<mark>``."""
    return _marked(text, matcher) or html.escape(text)


def _marked(text: str, matcher: Matcher) -> str | None:
    """``mark`` of a text with a match; None (one scan, nothing built) when no word matches."""
    memo = matcher.marks
    if text in memo:
        return memo[text]
    if len(memo) >= MARKS:
        memo.clear()
    found = memo[text] = _scan(text, matcher)
    return found


def _scan(text: str, matcher: Matcher) -> str | None:
    out, last = [], 0
    for match in _WORD.finditer(text) if matcher.may_hit(text) else ():
        if matcher.hit(match.group()):
            out += [html.escape(text[last:match.start()]), "<mark>", html.escape(match.group()), "</mark>"]
            last = match.end()
    if not out:
        return None
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(texts: Iterable[str | None], matcher: Matcher, size: int = SNIPPET_WORDS) -> str | None:
    """About ``size`` words around the first match in the first text that has one, marked and
    escaped, with "…" where text was cut; None when no text matches."""
    for text in texts:
        if not text or not matcher.may_hit(text):
            continue
        spans = list(_WORD.finditer(text))
        first = next((i for i, m in enumerate(spans) if matcher.hit(m.group())), None)
        if first is None:
            continue
        start = max(0, first - size // 3)
        end = min(len(spans), start + size)
        begin = 0 if start == 0 else spans[start].start()
        finish = len(text) if end == len(spans) else spans[end - 1].end()
        body = mark(text[begin:finish], matcher)
        return ("… " if begin else "") + body + (" …" if finish < len(text) else "")
    return None


def passages(texts: Iterable[str], matcher: Matcher, limit: int) -> str | None:
    """The first ``limit`` of ``texts`` that match, each marked, joined by " · " (a hit's LeiKa
    names); None when none matches."""
    marked = (_marked(text, matcher) for text in dict.fromkeys(texts) if text)
    found = list(itertools.islice((m for m in marked if m is not None), limit))
    return " · ".join(found) if found else None
