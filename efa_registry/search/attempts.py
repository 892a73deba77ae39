"""The searches one query makes, in order, until one finds something: the words as typed, then
the spelling correction, then any of the words instead of all of them.

Why this order: a word the index does not know may still be right (a name, a new term), so the
typed words go first, and the correction is offered ("Meinten Sie …?", ``did_you_mean``). Only
when they find nothing is the correction searched instead, and the answer says so
(``corrected_from``: "Hundesteur" finds Hundehaltung). Last, when all words together find
nothing, documents with most of them (``relaxed``). The typed attempt is literal when a
correction exists: without the vocabulary, a typo cannot find its own correction and so make
"finds nothing" impossible to tell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple, TypeVar

from efa_registry.errors import InvalidParameter
from efa_registry.search import lexicon, query, spelling
from efa_registry.search import text as t
from efa_registry.search.model import SearchNotes
from efa_registry.search.repository import Seen
from efa_registry.search.thesaurus import Thesaurus
from efa_registry.search.vocabulary import Vocabulary

T = TypeVar("T")
PLANS = 10_000  # plans kept per vocabulary (a bound for a process fed with arbitrary queries)
_LEXEME = re.compile(r"'([^']*)'(:\*)?")


class Attempt(NamedTuple):
    tsquery: str  # for to_tsquery('german', …)
    corrected_from: str | None  # the typed query, when this searches its correction instead
    relaxed: bool  # any of the words rather than all
    ranking: str = ""  # the same with the words matched whole as prefixes too (``query.expression``)
    terms: tuple[str, ...] = ()  # relaxed: its words and parts one by one, to rank by (``query.terms``)

    @property
    def in_name(self) -> str:
        """The same query matched in the name (weight A) only: such a hit ranks before all others.
        A word matches the beginning of a name's word here ("Krankenversicherung" the name
        Krankenversicherungsnachweis) even where it only matches whole as a search."""
        return named(self.ranked)

    @property
    def ranked(self) -> str:
        """The query that ranks the hits: ``ranking`` when there is one."""
        return self.ranking or self.tsquery

    @property
    def lexemes(self) -> list[tuple[str, bool]]:
        """The query's words as the tsquery holds them (unstemmed), each once, and whether each
        marks the words it begins (``ranked``: "Anmeldung" marks Gewerbeanmeldung, whose part it
        matched)."""
        return list(_lexemes(self.ranked))

    @property
    def words(self) -> list[str]:
        return [word for word, _ in _lexemes(self.ranked)]

    @property
    def prefixes(self) -> list[bool]:
        """Whether each of ``words`` marks the words it begins."""
        return [prefix for _, prefix in _lexemes(self.ranked)]

    @property
    def any_word(self) -> str:
        """Any one of the query's words: what a single word of a hit must match to be marked."""
        return " | ".join(dict.fromkeys(m.group() for m in _LEXEME.finditer(self.tsquery)))


class Plan(NamedTuple):
    did_you_mean: str | None
    attempts: list[Attempt]
    unknown: tuple[str, ...] = ()  # words the catalogue does not know (``query.Planned``), as searched


@functools.lru_cache(maxsize=PLANS)  # an attempt's tsquery is asked for its words on every search
def _lexemes(tsquery: str) -> tuple[tuple[str, bool], ...]:
    return tuple(dict.fromkeys((m.group(1), bool(m.group(2))) for m in _LEXEME.finditer(tsquery)))


@functools.lru_cache(maxsize=PLANS)
def named(tsquery: str) -> str:
    """``tsquery`` with every lexeme restricted to weight A ('hund':* → 'hund':*A). Safe: the
    builder's lexemes hold only letters and digits."""
    return _LEXEME.sub(lambda m: f"'{m.group(1)}':{'*' if m.group(2) else ''}A", tsquery)


def _rendered(text: str, vocab: Vocabulary | None, thesaurus: Thesaurus | None, whole_by: Vocabulary | None = None,
              corrected_from: str | None = None) -> tuple[Attempt | None, Attempt | None, tuple[str, ...]]:
    """(the query as written: every word of a run, ``query.expression``; any of its words —
    None when that is no different), as attempts, and the words the vocabulary does not know."""
    groups = query.plan(text, vocab=vocab, thesaurus=thesaurus, whole_by=whole_by)
    found: list = []
    for loose in (False, True):
        tsquery = query.expression(groups, relaxed=loose)
        ranking = query.expression(groups, relaxed=loose, ranking=True) if tsquery else None
        found.append(Attempt(tsquery, corrected_from, loose, ranking if ranking != tsquery else "",
                             terms(groups) if loose else ()) if tsquery else None)
    return found[0], found[1], groups.unknown


def terms(groups: list[query.Group], *, limit: int = 12) -> tuple[str, ...]:
    """The words and compound parts a relaxed attempt finds by, each as a tsquery of its own in
    its ranking form ("Geburtsurkunde Kind": geburtsurkunde, kind): a hit ranks by how many of
    them it has and how rare they are (``repository.relaxed_rank_sql``)."""
    wanted = [g for g in groups if not g.excluded]
    found = []
    for group in wanted:
        for slot in dict.fromkeys(slot for alternative in group.alternatives for slot in alternative):
            found.append(query.render(group._replace(alternatives=((slot,),)), False, ranking=True))
    return tuple(dict.fromkeys(f for f in found if f))[:limit]


def relaxed(text: str, vocab: Vocabulary | None, thesaurus: Thesaurus | None = None) -> str | None:
    """Any of the query's words (OR of its AND groups), None for a single word."""
    loose = _rendered(text, vocab, thesaurus)[1]
    return loose.tsquery if loose else None


def plan(text: str, vocab: Vocabulary | None, thesaurus: Thesaurus | None = None) -> Plan:
    """The attempts for ``text`` (none when it holds no searchable word). A vocabulary keeps the
    plans of the queries it has seen: people search for the same things again and again."""
    if vocab is None or thesaurus is not None:
        return _plan(text, vocab, thesaurus)
    memo: dict[str, Plan] = vocab.derived("plans", lambda _: {})
    found = memo.get(text)
    if found is None:
        if len(memo) > PLANS:
            memo.clear()
        found = memo[text] = _plan(text, vocab, None)
    return found


def _plan(text: str, vocab: Vocabulary | None, thesaurus: Thesaurus | None) -> Plan:
    suggestion = spelling.suggest(text, vocab) if vocab is not None else None
    searched = spelling.suggest(text, vocab, searched=True) if suggestion else None
    attempts: list[Attempt] = []
    typed, loose, unknown = _rendered(text, None if searched else vocab, thesaurus, vocab)
    if typed:
        attempts.append(typed)
    if searched:
        corrected, loose_corrected, unknown = _rendered(searched, vocab, thesaurus, corrected_from=text)
        if corrected:
            attempts.append(corrected)
            # One word corrected and then split is another word's parts ("neustaat": neu | staat).
            loose = loose_corrected if len(t.tokens(text)) > 1 else None
    if loose and all(loose.tsquery != a.tsquery for a in attempts):
        attempts.append(loose)
    return Plan(suggestion, attempts, unknown)


async def first_hits(plan: Plan, after: str | None, attempt_of: Callable[[str | None], int],
                     fetch: Callable[[Attempt, int], Awaitable[T]], found: Callable[[T], bool]) -> tuple[Attempt, T]:
    """Run the attempts in order until one ``found`` something (the last one's answer otherwise);
    the plan has at least one. A later page continues the attempt its cursor names: deciding anew
    could switch attempts between pages."""
    if after is not None:
        index = attempt_of(after)
        if not 0 <= index < len(plan.attempts):
            raise InvalidParameter("cursor does not belong to this listing", field="after")
        return plan.attempts[index], await fetch(plan.attempts[index], index)
    for index, attempt in enumerate(plan.attempts):
        result = await fetch(attempt, index)
        if found(result) or index == len(plan.attempts) - 1:
            return attempt, result
    raise AssertionError("unreachable")


class Searched(NamedTuple):
    """A text search as it ran: the vocabulary, its plan, the attempt that answered (None: the
    text holds nothing to search for) and that attempt's result."""

    vocab: Vocabulary
    plan: Plan
    attempt: Attempt | None
    result: Any


async def search_text(conn: Any, entry: str, text: str, after: str | None, attempt_of: Callable[[str | None], int],
                      fetch: Callable[[Attempt, int, dict[str, Seen] | None], Awaitable[T]],
                      found: Callable[[T], bool], current: Callable[[T], bool | None]) -> Searched:
    """``text`` planned with the cached vocabulary ``entry`` and searched (``first_hits``), the
    vocabulary confirmed current by the answering statement itself (``lexicon.confirmed``):
    ``fetch(attempt, index, expected)`` runs one attempt, ``current`` reads its vocabulary check."""
    async def run(vocab: Vocabulary, expected: dict[str, Seen] | None) -> tuple[tuple, bool | None]:
        searched_plan = plan(text, vocab)
        if not searched_plan.attempts:
            return (searched_plan, None, None), None
        attempt, result = await first_hits(searched_plan, after, attempt_of,
                                           lambda a, i: fetch(a, i, expected), found)
        return (searched_plan, attempt, result), current(result)

    vocab, (searched_plan, attempt, result) = await lexicon.confirmed(conn, entry, run)
    return Searched(vocab, searched_plan, attempt, result)


def notes(plan: Plan, attempt: Attempt | None, found: bool) -> SearchNotes:
    """What the answer tells about how its query was searched."""
    if attempt is None or not found:
        return SearchNotes(did_you_mean=plan.did_you_mean, unknown_words=plan.unknown)
    return SearchNotes(did_you_mean=plan.did_you_mean, corrected_from=attempt.corrected_from,
                       relaxed=attempt.relaxed, unknown_words=plan.unknown)
