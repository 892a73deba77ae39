"""German text as search sees it: normalised, folded, cut into words.

Why folding matters: PostgreSQL's ``german`` stemmer turns ``ü`` into ``u`` but knows nothing of
``ue``, so "Fuehrerschein" and "Führerschein" would never meet in the database. Python folds
(ä→ae, ö→oe, ü→ue, ß→ss) where two spellings must compare equal, and keeps the original form
where PostgreSQL will stem it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Hyphen-like characters people and documents use inside words; the soft hyphen just vanishes.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
                          "\u00ad": None})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# A word, hyphenated words as one token; a leading or trailing hyphen marks an elided part
# ("Eheschließung und -beurkundung", "an-, um- und abmelden").
_TOKEN = re.compile(r"(-?)([^\W_]+(?:-[^\W_]+)*)(-?)")

# Function words of German; never index terms, never compound parts, never queried.
STOPWORDS = frozenset((
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "andere", "anderen",
    "anderer", "anderes", "auch", "auf", "aus", "bei", "beim", "bin", "bis", "bist", "bzw", "da", "damit",
    "dann", "das", "dass", "dem", "den", "denen", "der", "deren", "des", "dessen", "die", "dies", "diese",
    "diesem", "diesen", "dieser", "dieses", "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen",
    "einer", "eines", "einige", "er", "es", "etc", "etwa", "euch", "für", "fuer", "gegen", "ggf", "hat",
    "hatte", "habe", "haben", "hier", "ich", "ihr", "ihre", "ihrem", "ihren", "ihrer", "im", "in", "ins",
    "ist", "ja", "je", "jede", "jedem", "jeden", "jeder", "jedes", "kann", "kein", "keine", "keinem",
    "keinen", "keiner", "man", "mein", "meine", "meinem", "meinen", "meiner", "mich", "mir", "mit", "nach",
    "nicht", "noch", "nur", "ob", "oder", "ohne", "sich", "sie", "sind", "so", "solche", "sowie", "über",
    "ueber", "um", "und", "uns", "unser", "unsere", "unter", "usw", "vom", "von", "vor", "war", "waren",
    "was", "weil", "wenn", "wer", "werden", "wie", "wir", "wird", "wo", "zu", "zum", "zur", "zwischen",
))


class Token(NamedTuple):
    """One written word: ``word`` without hyphens ("kitagutschein"), its hyphen ``parts``
    (("kita", "gutschein"), empty when there is no hyphen), and whether a hyphen marks an elided
    head (``open_end``: "an-") or an elided modifier (``open_start``: "-beurkundung")."""

    word: str
    parts: tuple[str, ...]
    open_start: bool
    open_end: bool


def normalize(text: str) -> str:
    """NFC, casefolded (ß → ss, as the stemmer does), control characters and NUL removed,
    hyphen variants unified."""
    text = unicodedata.normalize("NFC", text).translate(_HYPHENS)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return unicodedata.normalize("NFC", text.casefold())


def _strip_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(word: str) -> str:
    """The spelling-independent key: ä→ae, ö→oe, ü→ue, ß→ss, other accents dropped (é→e).
    "Führerschein", "fuehrerschein" and "FÜHRERSCHEIN" share one key."""
    return _strip_marks(normalize(word).translate(_UMLAUTS))


def fold_normalized(word: str) -> str:
    """``fold`` for a word that is already ``normalize``d: the hot path of dictionary lookups."""
    folded = word.translate(_UMLAUTS)
    return folded if folded.isascii() else _strip_marks(folded)


def plain(word: str) -> str:
    """The key of a word typed without umlaut dots: ä→a, ö→o, ü→u ("Munchen" for München)."""
    return _strip_marks(normalize(word).translate(_PLAIN))


def strip_punctuation(text: str) -> str:
    """Every character that is neither a letter, a digit nor a hyphen becomes a space."""
    return re.sub(r"[^\w-]|_", " ", normalize(text))


def tokens(text: str) -> list[Token]:
    """The words of ``text`` in order, normalised, with their hyphen parts and elision marks."""
    found = []
    for match in _TOKEN.finditer(normalize(text)):
        whole = match.group(2)
        parts = tuple(whole.split("-"))
        found.append(Token("".join(parts), parts if len(parts) > 1 else (), bool(match.group(1)),
                           bool(match.group(3))))
    return found


def tokenize(text: str) -> list[str]:
    """The words of ``text`` as strings, in order: a hyphenated word as written and then each
    part ("Kita-Gutschein" → kita-gutschein, kita, gutschein), as PostgreSQL's parser does."""
    return [w for tok in tokens(text) for w in (("-".join(tok.parts), *tok.parts) if tok.parts else (tok.word,))]


def words(text: str) -> list[str]:
    """Every searchable word: each token whole and, when hyphenated, each part as well
    ("Kita-Gutschein" → kitagutschein, kita, gutschein). Stopwords are kept; callers decide."""
    out: list[str] = []
    for token in tokens(text):
        out.append(token.word)
        out.extend(token.parts)
    return out


def is_stopword(word: str) -> bool:
    return normalize(word) in STOPWORDS


def content_words(text: str) -> list[str]:
    """``words`` without stopwords and one-letter words (digits stay: "Arbeitslosengeld 2")."""
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
