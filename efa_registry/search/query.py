"""A user's query as a ``to_tsquery('german', …)`` string: every word must match (AND), each
in any of its forms (OR): as typed, as the catalogue spells it, through the thesaurus, by its
compound parts, or corrected.

The operators people know from web search work as there: ``oder``/``or`` between words finds
either side ("Hund oder Katze"), a leading minus excludes a word ("Hund -Steuer": no hit holds
Steuer, in any of its forms). Quotes only group: a phrase's words are required like any others
(the documents hold compound parts beside the words, so positions say nothing about adjacency).

Why not ``websearch_to_tsquery``: it knows no synonyms, no compounds and no prefixes, so
"Kita" never finds Kindertagesbetreuung and "Führersch" (typed half-way) finds nothing. The
string built here is safe by construction: every lexeme is reduced to letters and digits and
quoted, operators come only from this module, so no input can cause a syntax error or change
the query's structure. PostgreSQL still stems every lexeme (``'anmeldung':*`` → ``'anmeld':*``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from efa_registry.search import compounds, prefixes, spelling, things
from efa_registry.search import text as t
from efa_registry.search.thesaurus import Thesaurus, load
from efa_registry.search.vocabulary import Vocabulary, as_vocabulary

MAX_INPUT = 500  # characters of a query considered; more is no search, it is a paste accident
MAX_GROUPS = 8  # words ANDed; beyond that a query only gets slower, never better
MAX_ALTERNATIVES = 8
MAX_WORD = 40  # longer "words" cannot be meant and would only bloat the query
MIN_PREFIX = 4  # words this long also match as prefixes ("rente" finds Rentenversicherung)

NOISE = t.NOISE  # what people want to do, not what ("online beantragen"): see ``text.is_noise``


Slot = tuple[str, ...]  # words any of which may match (OR)
Alternative = tuple[Slot, ...]  # slots that must all match (AND)


OR_WORDS = frozenset(("oder", "or"))  # between two words: either one


class Group(NamedTuple):
    """One query word (or multi-word thesaurus term): ``typed``, and its ``alternatives``."""

    typed: str
    alternatives: tuple[Alternative, ...]
    known: bool = True  # False: the index cannot know it (see ``_forms``), the AND may drop it
    either: bool = False  # joined to the group before it by OR ("Hund oder Katze"), not AND
    excluded: bool = False  # written with a leading minus: no hit may hold it
    exact: bool = False  # the typed word matches whole only (see ``_exact``), never as a prefix
    whole: frozenset[str] = frozenset()  # words of the alternatives the vocabulary knows (``prefixes.whole_only``)
    unbegun: frozenset[str] = frozenset()  # words no vocabulary word begins with (``prefixes.whole_only``)
    generic: bool = False  # says what to do, or is a generic word of the catalogue (``things.generic``)


class Planned(list[Group]):
    """The groups of a ``plan``, and the ``unknown`` words the index cannot know (left out, or
    required when nothing but generic words would be left)."""

    unknown: tuple[str, ...] = ()


def _content(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(w[:MAX_WORD] for w in words if w not in t.STOPWORDS and (len(w) > 1 or w.isdigit()))


def _meant(parts: Iterable[str]) -> tuple[str, ...]:
    """A compound's parts without the noise among them, unless nothing else is left: an
    "Elterngeldantrag" is about Elterngeld."""
    parts = tuple(parts)
    return tuple(p for p in parts if not t.is_noise(p)) or parts


def _slot(word: str, thesaurus: Thesaurus) -> Slot:
    """A word and its one-word thesaurus expansions ("kfz" → kfz | kraftfahrzeug | fahrzeug)."""
    return (word, *(e for e in thesaurus.lookup([word]) if " " not in e))


def _forms(word: str, parts: tuple[str, ...], vocab: Vocabulary | None, thesaurus: Thesaurus,
           correct: bool) -> tuple[list[Alternative], bool]:
    """The forms the index may know one typed word by, and whether it can know it at all. A
    thesaurus term is meant as the thesaurus says: never split, never corrected ("Hochzeit" is no
    hoch + zeit, "Trauung" no "Tragung")."""
    forms: list[Alternative] = [((word,),)]
    expansions = thesaurus.lookup([word])
    forms += [tuple((w,) for w in _content(e.split())) for e in expansions]
    if parts:  # "Kfz-Zulassung": kfz (or what the thesaurus says it means) and zulassung
        forms.append(tuple(_slot(p, thesaurus) for p in _meant(_content(parts))))
    if vocab is None or not word.isalpha():
        return forms, True
    if (spelt := vocab.lookup(word)) and spelt != word:
        forms.append(((spelt,),))  # "fuehrerschein" → führerschein, as the index stems it
    if parts:  # "Kfz-Steuerbescheid": also the Kfz-Steuer
        forms += _front(word, vocab, thesaurus, longer_than=len(parts[0]))
    if expansions or word in vocab or parts:
        return forms, True
    if more := _unknown(word, vocab, thesaurus):
        return forms + more, True
    if vocab.has_prefix(word):  # typed half-way: the prefix match will find it
        return forms, True
    if correct and (better := spelling.correct(word, vocab, searched=True)):
        more, _ = _forms(better, (), vocab, thesaurus, correct=False)
        return forms + more, True
    if more := _front(word, vocab, thesaurus):
        return forms + more, True
    return forms, len(forms) > 1


def _front(word: str, vocab: Vocabulary, thesaurus: Thesaurus, longer_than: int = 0) -> list[Alternative]:
    """The known front naming a thing (not "bundes" of Bundesliga) of a compound with an unknown head."""
    front = compounds.known_front(word, lambda f: len(f) > longer_than and bool(
        (len(f) >= compounds.MIN_NAMING and f in vocab) or thesaurus.lookup([f]) or compounds.pieces(f, vocab)))
    return _whole(front, vocab, thesaurus) if front else []


def _unknown(word: str, vocab: Vocabulary, thesaurus: Thesaurus) -> list[Alternative]:
    """The forms of a word neither the vocabulary nor the thesaurus holds as typed: its base
    form when it is inflected ("bauanträge" → bauantrag, "wohngeldes" → wohngeld), its compound
    parts, or a thesaurus term with a word after it ("kitaanmeldung" → kita + anmeldung,
    "hochzeitsurkunde" → hochzeit + urkunde); [] when none of these is known. The base goes
    first: split as typed, "bauanträge" is bau + the noise word "anträge"."""
    for base in t.deinflected(word):
        if base in vocab or thesaurus.lookup([base]):
            return _forms(base, (), vocab, thesaurus, correct=False)[0]
    if split := thesaurus.modifier(word, lambda rest: bool(_whole(rest, vocab, thesaurus))):
        # The term names the thing; what follows is mostly what is to be done with it, which the
        # catalogue words its own way (a Kita-Anmeldung is Kindertagesbetreuung): the term alone
        # is an alternative too, and hits with both rank first. The term itself only when the
        # index knows it: else it could only match as a prefix, by accident ("perso": Person…).
        term, rest = split
        known = (term,) if vocab.lookup_piece(term) else ()
        slot = tuple(dict.fromkeys((*known, *_slot(term, thesaurus)[1:]))) or (term,)
        # "Autoanmeldung" is what the thesaurus knows as "Auto anmelden".
        phrase = thesaurus.lookup([term, rest]) or thesaurus.lookup([term, t.verb_of(rest)])
        return [*(tuple((w,) for w in _content(e.split())) for e in phrase),
                *((slot, *alternative) for alternative in _whole(rest, vocab, thesaurus)), (slot,)]
    for candidate in (word, *t.deinflected(word)):
        if pieces := compounds.pieces(candidate, vocab):
            return [tuple(_slot(p, thesaurus) for p in _meant(p.word for p in pieces))]
    return []


def _whole(word: str, vocab: Vocabulary, thesaurus: Thesaurus) -> list[Alternative]:
    """What the head of a compound stands for when it is a known word, a part the catalogue's
    compounds share, an inflection of either, or a compound of known words; [] otherwise.
    A noise head adds nothing to find ("Kitaantrag" is about the Kita)."""
    if t.is_noise(word):
        return [()]
    for candidate in (word, *t.deinflected(word)):
        if candidate in vocab or vocab.lookup_piece(candidate) or thesaurus.lookup([candidate]):
            return [(_slot(candidate, thesaurus),)]
    if pieces := compounds.pieces(word, vocab):
        return [tuple(_slot(p, thesaurus) for p in _meant(p.word for p in pieces))]
    return []


def plan(query: str, *, vocab: Vocabulary | None = None, thesaurus: Thesaurus | None = None,
         correct: bool = True, whole_by: Vocabulary | None = None) -> Planned:
    """The groups of a query with their OR alternatives (what ``expression`` renders): the runs of
    words between ``oder``, each group of a run required, the first of a later run ``either``, and
    then the ``excluded`` words. With a ``vocab``, words the index cannot know and noise words
    ("online beantragen") are left out of their run while a thing remains in it (``_run``). No
    group when no word is left to find. ``whole_by``: the vocabulary that tells the words matched
    whole (``prefixes.whole_only``) when the words are searched literally, without ``vocab``."""
    tokens = [tok for tok in t.tokens(query[:MAX_INPUT]) if len(tok.word) <= MAX_WORD]
    thesaurus = thesaurus if thesaurus is not None else load()
    vocab = as_vocabulary(vocab) if vocab is not None else None
    judge = vocab if vocab is not None else whole_by
    runs: list[list[t.Token]] = [[]]
    excluded: list[Group] = []
    for tok in tokens:
        if tok.word in OR_WORDS and not tok.open_start:
            if runs[-1]:
                runs.append([])
        elif tok.minus:  # "-steuer"
            if _content([tok.word]):
                forms, _ = _forms(tok.word, tok.parts, vocab, thesaurus, correct=False)
                alternatives = tuple(dict.fromkeys(f for f in forms if f))[:MAX_ALTERNATIVES]
                excluded.append(Group(tok.word, alternatives, excluded=True,
                                      **prefixes.whole_words(alternatives, judge)))
        else:
            runs[-1].append(tok)
    groups, unknown = Planned(), []
    for run in runs:
        found = _run(run, vocab, thesaurus, correct, judge, unknown)
        if found:
            groups += [found[0]._replace(either=bool(groups)), *found[1:]]
    planned = Planned(groups[:MAX_GROUPS] + excluded[:MAX_GROUPS] if groups else [])
    planned.unknown = tuple(dict.fromkeys(unknown))
    return planned


def _run(tokens: list[t.Token], vocab: Vocabulary | None, thesaurus: Thesaurus, correct: bool,
         judge: Vocabulary | None, unknown: list[str]) -> list[Group]:
    """The AND groups of words not separated by an operator; the words the index cannot know
    are added to ``unknown``."""
    groups = []
    for start, size, expansions in thesaurus.spans([tok.word for tok in tokens]):
        span = tokens[start:start + size]
        typed = " ".join(tok.word for tok in span)
        if size > 1:
            forms, known = [tuple((w,) for w in _content(tok.word for tok in span))], True
            forms += [tuple((w,) for w in _content(e.split())) for e in expansions]
        elif _content([typed]):
            forms, known = _forms(typed, span[0].parts, vocab, thesaurus, correct)
        else:
            continue
        alternatives = tuple(dict.fromkeys(f for f in forms if f))[:MAX_ALTERNATIVES]
        if alternatives:
            groups.append(Group(typed, alternatives, known, exact=_exact(typed, vocab, thesaurus),
                                generic=things.generic(typed, thesaurus), **prefixes.whole_words(alternatives, judge)))
    unknown += [g.typed for g in groups if not g.known and not t.is_noise(g.typed)]
    wanted = [g for g in groups if not t.is_noise(g.typed) or thesaurus.lookup([g.typed])]
    meant = [g for g in wanted if g.known]
    if all(g.generic for g in meant):
        meant = wanted  # "Falschparker melden": without the unknown word, only "melden" is left
    return meant or groups


def _exact(typed: str, vocab: Vocabulary | None, thesaurus: Thesaurus) -> bool:
    """A thesaurus term the index does not know as a word ("perso") could only match as a
    prefix, and then by accident (Personenbeförderung before Personalausweis): its expansions
    say what it means. Without a vocabulary nothing tells, and the prefix stays."""
    return vocab is not None and " " not in typed and bool(thesaurus.lookup([typed])) and not vocab.lookup_piece(typed)


def lexeme(word: str, prefix: bool) -> str:
    """One quoted lexeme: only letters and digits survive, so no quote, backslash or operator
    can reach the tsquery parser; '' when nothing survives."""
    clean = "".join(ch for ch in word if ch.isalnum())
    return f"'{clean}'" + (":*" if prefix else "") if clean else ""


def render(group: Group, last_typed: bool, *, any_part: bool = False, ranking: bool = False) -> str:
    """OR over the alternatives, AND over each one's slots (OR with ``any_part``: a compound's
    parts each on their own), OR inside a slot. Words of four and more letters match as prefixes
    (compounds begin with them: "rente" finds Rentenversicherung), unless they match whole only
    (``Group.whole``, ``Group.unbegun``; with ``ranking`` a known word is a prefix too: a name that
    begins with the word matches it, "Krankenversicherungsanmeldung" for Krankenversicherung); the
    typed last word of an as-you-type query does from two letters on ("Kit" → Kita…)."""
    def word(w: str) -> str:
        if (group.exact and w == group.typed) or w in group.unbegun or (w in group.whole and not ranking):
            return lexeme(w, False)
        return lexeme(w, len(w) >= MIN_PREFIX or (last_typed and w == group.typed and len(w) > 1))

    def joined(items: list[str], operator: str) -> str:
        items = list(dict.fromkeys(i for i in items if i))
        return items[0] if len(items) == 1 else "(" + f" {operator} ".join(items) + ")" if items else ""

    return joined([joined([joined([word(w) for w in slot], "|") for slot in alternative], "|" if any_part else "&")
                   for alternative in group.alternatives], "|")


def expression(groups: list[Group], *, as_you_type: bool = True, relaxed: bool = False,
               ranking: bool = False) -> str | None:
    """``groups`` (a ``plan``) as one tsquery: the required groups of each run ANDed, the runs
    ORed, every excluded group negated and ANDed to the whole. ``relaxed``: any one of the groups,
    and of a compound's parts ("Kindergartenplatz": Kindergarten or Platz), instead of all of them,
    a generic word ("Kosten") only when nothing else is left — None when that is no different or a
    word nothing can match is required. None when nothing is left to find. ``ranking``: the words
    matched whole as prefixes too (see ``render``), for ranking the hits of the query, never for
    finding them."""
    strict = _expression(groups, as_you_type, any_part=False)
    if not relaxed:
        return _expression(groups, as_you_type, any_part=False, ranking=True) if ranking else strict
    if any(not g.known for g in groups if not g.excluded):
        return None  # a word nothing can match is required ("Falschparker melden"): the rest alone is chance
    loose = _expression(groups, as_you_type, any_part=True)
    if loose == strict:
        return None
    return _expression(groups, as_you_type, any_part=True, ranking=True) if ranking else loose


def _expression(groups: list[Group], as_you_type: bool, any_part: bool, ranking: bool = False) -> str | None:
    wanted = [g for g in groups if not g.excluded]
    if any_part and not ranking and not all(g.generic for g in wanted):
        wanted = [g for g in wanted if not g.generic]  # relaxed, "kaufen" alone finds nothing meant; it ranks
    last = len(wanted) - 1
    runs: list[list[str]] = []
    for i, group in enumerate(wanted):
        if rendered := render(group, as_you_type and i == last, any_part=any_part, ranking=ranking):
            if group.either or any_part or not runs:
                runs.append([])
            runs[-1].append(rendered)
    found = " | ".join(" & ".join(run) for run in runs if run)
    if not found:
        return None
    exclusions = [f"!({r})" if " " in r else f"!{r}" for g in groups if g.excluded and (r := render(g, False))]
    if not exclusions:
        return found
    return " & ".join([f"({found})" if " " in found else found, *exclusions])


def build_tsquery(query: str, *, vocab: Vocabulary | None = None, thesaurus: Thesaurus | None = None,
                  as_you_type: bool = True, correct: bool = True) -> str | None:
    """The string for ``to_tsquery('german', $1)``, or None when the query holds no searchable
    word. ``vocab`` (the index's vocabulary) adds the catalogue's spelling, compound parts and
    typo corrections; ``as_you_type`` makes the last word a prefix even when short ("Kit")."""
    return expression(plan(query, vocab=vocab, thesaurus=thesaurus, correct=correct), as_you_type=as_you_type)
