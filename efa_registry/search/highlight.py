"""Matched words marked in a hit's texts: ``<mark>`` around them, everything else HTML-escaped.

Why not ``ts_headline``: it stems whole words only, so "Anmeldung" would never be marked in
"Gewerbeanmeldung", which the index found by its compound part. Here each word of a text counts
as matched when it, or one of its hyphen or compound parts, matches the query on its own — a
question PostgreSQL answers for a whole page of words at once (``repository.matching_words``),
with exactly the stemming the search used.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Collection, Iterable

from efa_registry.search import compounds
from efa_registry.search import text as t
from efa_registry.search.vocabulary import Vocabulary

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
MAX_WORDS = 2000  # distinct words asked about per page: a page of long descriptions stays one cheap query
SNIPPET_WORDS = 24
MAX_WORD = 60
MEMO = 50_000  # words remembered per vocabulary (a bound for vocabularies fed with arbitrary text)


def _readings(word: str, vocab: Vocabulary) -> tuple[str, ...]:
    """The word normalised, its hyphen parts, and their compound parts; kept with the vocabulary,
    since the same catalogue words come back on every page."""
    memo: dict[str, tuple[str, ...]] = vocab.derived("highlight", lambda _: {})
    found = memo.get(word)
    if found is None:
        if len(memo) > MEMO:
            memo.clear()
        whole = t.normalize(word)
        pieces = [whole, *(whole.split("-") if "-" in whole else ())] if len(whole) <= MAX_WORD else []
        found = memo[word] = tuple(dict.fromkeys(
            [*pieces, *(p for piece in pieces for p in compounds.all_parts(piece, vocab))]))
    return found


_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s"})
_LEXEME = re.compile(r"'([^']+)'")


def _key(word: str) -> str:
    """First letters, umlauts without dots: a word can only match a query word it begins like
    (PostgreSQL's stems are beginnings of the word, umlauts without dots)."""
    return word[:4].translate(_PLAIN)[:3]


def words(texts: Iterable[str | None], vocab: Vocabulary, tsquery: str | None = None) -> list[str]:
    """Every reading of every word in ``texts`` — with ``tsquery``, only those beginning like one
    of its words (the others cannot match it): what to ask the database about."""
    keys = {_key(w) for w in _LEXEME.findall(tsquery)} if tsquery is not None else None
    found: dict[str, None] = {}
    for text in texts:
        if not text or (keys is not None and not any(k in text.lower().translate(_PLAIN) for k in keys)):
            continue  # no word of it begins, nor has a compound part that begins, like a query word
        for match in _WORD.finditer(text):
            for reading in _readings(match.group(), vocab):
                if reading not in t.STOPWORDS and (keys is None or _key(reading) in keys):
                    found.setdefault(reading, None)
            if len(found) >= MAX_WORDS:
                return list(found)
    return list(found)


def _hit(word: str, matched: Collection[str], vocab: Vocabulary) -> bool:
    return any(r in matched for r in _readings(word, vocab))


def mark(text: str, matched: Collection[str], vocab: Vocabulary) -> str:
    """``text`` escaped for HTML, the matched words in ``<mark>``."""
    out, last = [], 0
    for match in _WORD.finditer(text):
        if _hit(match.group(), matched, vocab):
            out += [html.escape(text[last:match.start()]), "<mark>", html.escape(match.group()), "</mark>"]
            last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(texts: Iterable[str | None], matched: Collection[str], vocab: Vocabulary,
            size: int = SNIPPET_WORDS) -> str | None:
    """About ``size`` words around the first match in the first text that has one, marked and
    escaped, with "…" where text was cut; None when no text matches."""
    for text in texts:
        spans = list(_WORD.finditer(text or ""))
        first = next((i for i, m in enumerate(spans) if _hit(m.group(), matched, vocab)), None)
        if first is None:
            continue
        start = max(0, first - size // 3)
        end = min(len(spans), start + size)
        begin = 0 if start == 0 else spans[start].start()
        finish = len(text) if end == len(spans) else spans[end - 1].end()
        body = mark(text[begin:finish], matched, vocab)
        return ("… " if begin else "") + body + (" …" if finish < len(text) else "")
    return None


def passages(texts: Iterable[str], matched: Collection[str], vocab: Vocabulary, limit: int) -> str | None:
    """The first ``limit`` of ``texts`` that match, each marked, joined by " · " (a hit's LeiKa
    names); None when none matches."""
    hits = (text for text in dict.fromkeys(texts)
            if text and any(_hit(m.group(), matched, vocab) for m in _WORD.finditer(text)))
    found = [mark(text, matched, vocab) for text in itertools.islice(hits, limit)]
    return " · ".join(found) if found else None
