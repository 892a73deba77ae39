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
# Letters that Unicode does not decompose into a base letter and a mark: the stroke of Sorbian and
# Polish ł ("Błota"), Nordic ø and the ligatures, as people type them without the special key.
_UNMARKED = {"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i"}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", **_UNMARKED})
_PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", **_UNMARKED})
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


# Words that say what people want to do, not what: "Personalausweis online beantragen" must not
# require "online" and "beantragen" in a catalogue that names the Leistung only. The verbs are
# those of a request to an authority whose noun the catalogue uses for other things ("Anzeige
# erstatten" is no Ausfuhrerstattung); verbs whose noun names the Leistung ("Schule wechseln":
# Schulwechsel, "Führerschein umtauschen": Umtausch) stay words to find. ``is_noise`` knows
# their inflected forms ("beantragt", "bestellst").
NOISE = frozenset((
    "antrag", "anträge", "antraege", "antragstellung", "beantragen", "beantrage", "beantragt", "beantragung",
    "online", "onlineantrag", "formular", "formulare", "digital", "digitale", "digitaler", "stellen",
    "bekommen", "erhalten", "brauche", "benötige", "benoetige", "möchte", "moechte", "will", "bitte",
    "machen", "suche", "finden", "info", "infos", "einreichen", "erledigen",
    "bestellen", "anfordern", "erstatten", "verlängern", "verlaengern", "erneuern", "ausstellen",
    "beauftragen", "vereinbaren", "bezahlen", "zahlen", "ausfüllen", "ausfuellen", "herunterladen", "abholen",
))
# Endings of the verb forms people type ("beantragt", "verlängerst"), longest first. Not -e, -te,
# -ten: those also end nouns and adjectives of the catalogue ("zuständige Stelle", "bestellte
# Vorstandsmitglieder", "Beauftragten"), which must stay words to find.
_VERB_ENDINGS = ("est", "et", "st", "t")
# Inflectional endings of nouns, adjectives and infinitives, shortest first: the first base the
# caller knows wins, and a shorter cut keeps more of the word ("kindern": kinder before kind).
_ENDINGS = ("e", "n", "s", "en", "es", "er", "nen", "ern")
# What an ending follows, where German restricts it: -n only after -e, -el, -er ("schulen",
# "kartoffeln"); -s never after s, ß, x, z (those take -es: "Passes", so "passs" is a typo); -nen
# only after the -in of a feminine noun ("Ärztinnen"), not "Personen" (→ "perso").
_AFTER = {"n": ("e", "l", "r"), "s": tuple("abcdefghijklmnopqrtuvwyäöü"), "nen": ("in",)}  # -nen: Ärztinnen
_UMLAUT_BACK = {"ä": "a", "ö": "o", "ü": "u", "äu": "au", "ae": "a", "oe": "o", "ue": "u", "aeu": "au"}
_VOWEL_RUN = re.compile(r"[aeiouyäöü]+")
MIN_BASE = 3  # "ämter" → amt; shorter bases are accidents ("ehen" is no "eh")


def is_noise(word: str) -> bool:
    """A ``NOISE`` word, also inflected as a verb ("beantragt", "verlängert", "bestellst")."""
    if word in NOISE:
        return True
    return any(word.endswith(e) and (word[:-len(e)] + "en" in NOISE or word[:-len(e)] + "n" in NOISE)
               for e in _VERB_ENDINGS if len(word) - len(e) >= 4)


def _without_umlaut(stem: str) -> str | None:
    """``stem`` with the umlaut of its last vowel undone ("anträg" → antrag, "häus" → haus), else
    None. German marks plurals so (Antrag/Anträge, Haus/Häuser, Vater/Väter)."""
    runs = list(_VOWEL_RUN.finditer(stem))
    if not runs or (back := _UMLAUT_BACK.get(runs[-1].group())) is None:
        return None
    return stem[:runs[-1].start()] + back + stem[runs[-1].end():]


def verb_of(noun: str) -> str:
    """The infinitive a noun in -ung is made from ("anmeldung" → anmelden, "verlängerung" →
    verlängern); other words unchanged."""
    if not noun.endswith("ung") or len(noun) < 6:
        return noun
    stem = noun[:-3]
    return stem + ("n" if stem.endswith(("er", "el")) else "en")


def deinflected(word: str) -> list[str]:
    """The base forms an inflected German word may stand for, most likely first, the word itself
    not among them: plural, genitive and dative endings cut (-e, -n, -s, -en, -es, -er, -nen,
    -ern), the umlaut of the last stem vowel undone ("bauanträge" → bauantrag, "wohngeldes" →
    wohngeld, "ausweise" → ausweis, "väter" → vater). -er and -ern are cut only together with an
    umlaut (Häuser, Ämter): without one they end agent nouns ("Fahrer", "Bauer"), not plurals.
    The caller decides which base is a word: this only follows the grammar."""
    found: list[str] = []
    for ending in ("er", "el", "en"):  # "väter", "mäntel", "gärten": plurals by umlaut alone
        if word.endswith(ending) and (back := _without_umlaut(word[:-2])) is not None:
            found.append(back + ending)
    for ending in _ENDINGS:
        stem = word[:-len(ending)]
        if not word.endswith(ending) or len(stem) < MIN_BASE or not stem.endswith(_AFTER.get(ending, "")):
            continue
        back = _without_umlaut(stem)
        if not ending.startswith("er"):
            found.append(stem)
        if back is not None:
            found.append(back)
    return [w for w in dict.fromkeys(found) if w != word and len(w) >= MIN_BASE]


class Token(NamedTuple):
    """One written word: ``word`` without hyphens ("kitagutschein"), its hyphen ``parts``
    (("kita", "gutschein"), empty when there is no hyphen), and whether a hyphen marks an elided
    head (``open_end``: "an-") or an elided modifier (``open_start``: "-beurkundung"). ``minus``:
    the leading hyphen stands at the start or after a space, where a query reads it as "without"
    ("Hund -Steuer"); after a full stop or a bracket it only elides ("Kfz.-Zulassung", "(-umtausch)")."""

    word: str
    parts: tuple[str, ...]
    open_start: bool
    open_end: bool
    minus: bool = False


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
    text = normalize(text)
    for match in _TOKEN.finditer(text):
        whole, start = match.group(2), match.start()
        parts = tuple(whole.split("-"))
        open_start = bool(match.group(1))
        found.append(Token("".join(parts), parts if len(parts) > 1 else (), open_start, bool(match.group(3)),
                           open_start and (start == 0 or text[start - 1].isspace())))
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
