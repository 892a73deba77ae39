"""German compounds split against the catalogue's own words.

Citizens type "Hundesteuer", "Steuer für den Hund" or just "Hund"; the catalogue says
"Hundehaltung" or "Hundesteuer". PostgreSQL stems whole words only, so the index gets the parts
of every compound as extra words (``expand_for_index``) and a query compound missing from the
index can be searched by its parts.

A split is accepted only when every part is a word the catalogue itself uses (or its
composition form: linking -s-, -n-, -en-, -es-, -e-, -er-, -ns-, -ens-, a dropped final -e as in
"Schul|aufnahme", a verb stem as in "Wohn|geld"); among the accepted splits the one with the
fewest parts wins, then the one with the longest parts. Short words stay whole: no part is
shorter than ``MIN_PART`` letters, so "Rente" never becomes "ren" + "te".
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from efa_registry.search import text as t
from efa_registry.search.vocabulary import Vocabulary, as_vocabulary

__all__ = ["Vocabulary", "build_vocabulary", "expand_for_index", "split"]

MIN_PART = 3
MIN_STEM = 4  # verb stems and parts missing a final -e are shorter words: ask for more letters
MIN_LEARNED = 4  # a learned part is never shorter
MAX_WORD = 60  # longer "words" are data errors or attacks: never split them
LINKERS = ("ens", "es", "en", "er", "ns", "s", "n", "e")
# How derivational endings begin: a learned head starting so is a suffix ("beruf|liche"), no word.
SUFFIX_STARTS = ("lich", "isch", "ig", "keit", "heit", "ung", "schaft", "chaft", "nis", "chen", "ern", "eln",
                 "ende", "erin", "innen", "enen", "ier", "ion", "ität", "lein", "sam", "haft", "ling", "mässig",
                 "malig")


def build_vocabulary(texts: Iterable[str], *, learn: bool = True) -> Vocabulary:
    """The words of ``texts`` (e.g. every OZG-Leistung and LeiKa name) with their frequencies,
    stopwords, digits and one-letter words left out; with ``learn``, plus the composition
    pieces the compounds among them share (see ``learn_parts``)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in t.content_words(text) if not w.isdigit())
    vocab = Vocabulary(counts)
    return Vocabulary(counts, learn_parts(vocab)) if learn else vocab


def _partner(word: str) -> str:
    """Inflections of one partner count once: "geburt" and "geburten" are one."""
    for ending in ("es", "en", "n", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_PART:
            return word[: -len(ending)]
    return word


def _candidates(vocab: Vocabulary) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Unknown heads and modifiers of the vocabulary's compounds, each with its known partners."""
    heads: dict[str, set[str]] = defaultdict(set)
    modifiers: dict[str, set[str]] = defaultdict(set)
    for word in list(vocab):
        if len(word) < 2 * MIN_LEARNED or not word.isalpha():
            continue
        for cut in range(MIN_PART, len(word) - MIN_LEARNED + 1):
            modifier, head = word[:cut], word[cut:]
            known_modifier = readings(modifier, vocab, final=False)
            known_head = readings(head, vocab, final=True)
            # Three-letter partners ("abs", "gut") attest too many accidents ("abs|chrift").
            if known_modifier and not known_head and len(head) >= MIN_LEARNED:
                partner = known_modifier[0].word
                target = heads[head]
            elif known_head and not known_modifier and len(modifier) >= MIN_LEARNED:
                partner = known_head[0].word
                target = modifiers[modifier]
            else:
                continue
            if len(partner) > MIN_PART:
                target.add(_partner(partner))
    return heads, modifiers


def _survivors(candidates: dict[str, set[str]], vocab: Vocabulary, *, heads: bool) -> dict[str, int]:
    """Candidates attested by two partners that no rival beats. A rival is the same piece moved
    by one or two letters across the boundary it sits at ("laubnis" against erlaubnis, "swert"
    against wert, "chein" against schein, "teuer" against steuer). A known word always wins;
    else a head that begins one of the catalogue's words ("steuer": Steuerbescheinigung,
    steuerliche) wins over one that begins none ("teuer"): partners alone mislead where a linking
    -s- can sit on either side of the boundary, "hundes|teuer" and "grunds|teuer" attesting "teuer"
    as often as "hunde|steuer" and "grund|steuer" attest "steuer". Then more partners win, and on
    a tie the form whose first (last) three letters more of the catalogue's words begin (end)
    with: German spelling rules, learned from the catalogue, say "sch…" and "wer…", not "che…"."""
    edge = Counter(w[:3] if heads else w[-3:] for w in vocab)

    def support(piece: str) -> tuple[float, bool, int, int]:
        if vocab.lookup_piece(piece):
            return (math.inf, False, 0, 0)
        return (0, heads and vocab.has_prefix(piece), len(candidates.get(piece, ())),
                edge[piece[:3] if heads else piece[-3:]])

    # Known words one or two letters longer than a piece, by that piece ("steuer" for "teuer").
    cut = {w[k:] if heads else w[:-k] for w in (*vocab, *vocab.parts) for k in (1, 2)}
    kept = {}
    for piece, partners in candidates.items():
        if len(partners) < 2 or piece in t.STOPWORDS or piece in cut or (heads and piece.startswith(SUFFIX_STARTS)):
            continue
        shorter = [piece[k:] if heads else piece[:-k] for k in (1, 2)]
        longer = [w for w in candidates if 0 < len(w) - len(piece) <= 2
                  and (w.endswith(piece) if heads else w.startswith(piece))]
        if all(support(rival) < support(piece) for rival in [*shorter, *longer]):
            kept[piece] = len(partners)
    return kept


def learn_parts(vocab: Vocabulary, rounds: int = 2) -> dict[str, int]:
    """Pieces that are no word of their own in the catalogue but combine with at least two
    different known words ("ausweis": Park-, Personal-, Bibliotheks-; "zwangs": -vollstreckung,
    -versteigerung, -bestattung), with their number of partners. Suffixes and pieces shifted off
    a word boundary are refused (see ``_survivors``)."""
    learned: dict[str, int] = {}
    for _ in range(rounds):
        current = Vocabulary(dict(vocab.items()), learned)
        heads, modifiers = _candidates(current)
        learned |= _survivors(heads, current, heads=True) | _survivors(modifiers, current, heads=False)
    return learned


class Piece(NamedTuple):
    surface: str  # as written inside the compound ("hunde", "schul")
    word: str  # the vocabulary word it stands for ("hunde" or "hund", "schule")
    exact: bool  # surface is the word itself, no linking element or dropped ending


def readings(piece: str, vocab: Vocabulary, final: bool) -> list[Piece]:
    """The vocabulary words a piece of a compound can stand for, best first."""
    found = []
    if len(piece) >= MIN_PART and piece not in t.STOPWORDS and (word := vocab.lookup_piece(piece)):
        found.append(Piece(piece, word, True))
    if final:
        return found
    for linker in LINKERS:
        stem = piece[: -len(linker)]
        if not piece.endswith(linker) or len(stem) < MIN_PART or stem in t.STOPWORDS:
            continue
        # "hunde|steuer" (Hund), "schul|aufnahme" without its -e (Schule)
        word = vocab.lookup_piece(stem) or (vocab.lookup_piece(stem + "e") if len(stem) >= MIN_STEM else None)
        if word:
            found.append(Piece(piece, word, False))
    if len(piece) >= MIN_STEM:
        for ending in ("e", "en", "n"):
            if word := vocab.lookup_piece(piece + ending):
                found.append(Piece(piece, word, False))
                break
    return found


def _cost(pieces: tuple[Piece, ...], vocab: Vocabulary) -> tuple[float, ...]:
    """Fewest parts, then fewest composition forms, then longest parts, then most frequent."""
    return (len(pieces), sum(not p.exact for p in pieces), -sum(len(p.surface) ** 2 for p in pieces),
            -sum(math.log1p(vocab.frequency(p.word)) for p in pieces))


def pieces(word: str, vocab: Vocabulary, *, modifier: bool = False) -> tuple[Piece, ...]:
    """The best split of one word (no hyphens) into at least two known pieces, else ().
    A ``modifier`` (the front of a bigger compound, "kindertages") may end in a linking element."""
    word, vocab = t.normalize(word), as_vocabulary(vocab)
    if len(word) < 2 * MIN_PART or len(word) > MAX_WORD or not word.isalpha():
        return ()
    memo: dict[tuple[str, bool], tuple[Piece, ...]] = vocab.derived("pieces", lambda _: {})
    key = (word, modifier)
    if key not in memo:
        if len(memo) > 100_000:  # a bound for long-lived vocabularies fed with arbitrary queries
            memo.clear()
        memo[key] = _best_split(word, vocab, modifier)
    return memo[key]


def _best_split(word: str, vocab: Vocabulary, modifier: bool) -> tuple[Piece, ...]:
    @functools.cache
    def best(start: int) -> tuple[Piece, ...] | None:
        options = []
        # From the first letter the whole word is no option: a split has at least two pieces.
        for end in range(start + MIN_PART, len(word) + (start > 0)):
            final = end == len(word)
            rest = () if final else best(end)
            if rest is None:
                continue
            for reading in readings(word[start:end], vocab, final and not modifier):
                options.append((reading, *rest))
                break
        return min(options, key=lambda o: _cost(o, vocab)) if options else None

    return best(0) or ()


MIN_FRONT = 6  # a known front this long says what an unknown compound is about ("hundesteuer|bescheid")
MIN_NAMING = 8  # a known word as front, when no compound: shorter ones begin too much ("bundes|liga")


def known_front(word: str, known: Callable[[str], bool]) -> str | None:
    """The longest front of ``word`` (at least ``MIN_FRONT`` letters, something left after it)
    that is ``known``, else None: "hundesteuerbescheid" → hundesteuer."""
    return next((word[:cut] for cut in range(len(word) - 1, MIN_FRONT - 1, -1) if known(word[:cut])), None)


def split(word: str, vocab: Vocabulary) -> list[str]:
    """The parts of a compound as vocabulary words ("gewerbeanmeldung" → ["gewerbe",
    "anmeldung"]); ``[word]`` when it is no compound of known words. Hyphenated words split at
    their hyphens first, each part on its own."""
    tokens = t.tokens(word)
    if not tokens:
        return []
    token = tokens[0]
    if token.parts:
        return [p for part in token.parts for p in split(part, vocab)]
    found = pieces(token.word, vocab)
    return [p.word for p in found] if found else [token.word]


def all_parts(word: str, vocab: Vocabulary, *, modifier: bool = False) -> list[str]:
    """Every part at every depth, in order, without repeats: "kindertagesbetreuung" →
    kindertages, kinder, tage, betreuung — what the index should know the word by."""
    out: list[str] = []
    found = pieces(word, vocab, modifier=modifier)
    for i, piece in enumerate(found):
        inner = i < len(found) - 1 or modifier
        for candidate in (piece.word, *all_parts(piece.surface, vocab, modifier=inner)):
            if candidate not in out and candidate != word:
                out.append(candidate)
    return out


def _head(word: str, vocab: Vocabulary) -> str | None:
    """What an elided "X-" shares with ``word``: all but its first piece ("mutterschafts|
    anerkennung" → "anerkennung"), else its longest known tail ("ab|melden" → "melden")."""
    found = pieces(word, vocab)
    if found:
        return word[len(found[0].surface):]
    for start in range(2, len(word) - MIN_STEM + 1):
        if word[start:] in vocab:
            return word[start:]
    return None


def _elided(tokens: list[t.Token], vocab: Vocabulary) -> list[str]:
    """Complete coordinations with a hyphen: "an-, um- und abmelden" → anmelden, ummelden;
    "Schulaufnahme und -wechsel" → schulwechsel."""
    out = []
    for i, token in enumerate(tokens):
        if token.open_end and not token.open_start:
            following = next((x for x in tokens[i + 1:] if not x.open_end and x.word not in t.STOPWORDS), None)
            head = _head(following.word, vocab) if following and not following.open_start else None
            if head:
                out.append(token.word + head)
        elif token.open_start and not token.open_end:
            previous = next((x for x in reversed(tokens[:i]) if not x.open_start and x.word not in t.STOPWORDS), None)
            first = pieces(previous.word, vocab) if previous and not previous.open_end else ()
            if first:
                out.append(first[0].surface + token.word)
    return out


def expand_for_index(text: str, vocab: Vocabulary) -> str:
    """``text`` followed by what PostgreSQL cannot derive itself: hyphenated words joined,
    completed coordinations, compound parts, and the folded spelling (ae/oe/ue/ss) of every word
    with an umlaut. Feed it to ``to_tsvector('german', …)``; the stemmer does the rest."""
    tokens, vocab = t.tokens(text), as_vocabulary(vocab)
    extra: list[str] = []
    # What to_tsvector finds itself: the words as written, and the parts of hyphenated ones.
    seen = {w for tok in tokens for w in (tok.parts or (tok.word,))}

    def add(word: str) -> None:
        for form in (word, *all_parts(word, vocab)):
            for spelling in (form, t.fold(form)):
                if spelling not in seen and spelling not in t.STOPWORDS:
                    seen.add(spelling)
                    extra.append(spelling)

    for token in tokens:
        add(token.word)  # "kitagutschein" for Kita-Gutschein, as people also type it
        for part in token.parts:
            add(part)
    for word in _elided(tokens, vocab):
        add(word)
    return " ".join([text.strip(), *extra]) if extra else text.strip()
