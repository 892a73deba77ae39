"""Catalogue discovery as a use case: a text search through its attempts (typed words, else their
spelling correction, else any of them: ``search.attempts``), the hits loaded whole, their matches
marked. The SQL of filters, ranking and facets is in ``solutions.search``."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from efa_registry import db
from efa_registry.kit.paging import Page
from efa_registry.ozg import repository as catalogue
from efa_registry.search import attempts, highlight
from efa_registry.search.model import Highlight, Hits, SearchNotes
from efa_registry.search.vocabulary import Vocabulary
from efa_registry.solutions import repository, search
from efa_registry.solutions.model import Solution, SolutionSummary


async def find_solutions(
    query: search.SolutionQuery, *, limit: int, after: str | None, full: bool = False
) -> tuple[Hits[SolutionSummary] | Hits[Solution], dict[str, list[search.FacetCount]]]:
    """A catalogue search: the page, how ``q`` was searched (typed words, else their correction,
    else any of them: ``search.attempts``), each hit's matches marked, and the facet counts.
    The hits are summaries (what a list shows); ``full`` loads each as the whole entity."""
    # The page and its facet counts come from one statement, one snapshot (``search.search``), on
    # its generic plan (``db.generic_plans``: the planning cost more than the two round trips of
    # the read-only transaction that carries the setting).
    async with db.generic_plans() as conn:
        await catalogue.check_keys(conn, themenfelder=query.themenfeld)
        if not query.q:
            result = await search.search(conn, query, limit=limit, after=after, summaries=not full)
            page = Page(items=await _items(conn, result, full), next_cursor=result.next_cursor)
            return Hits(page=page, notes=SearchNotes(), highlights={}), result.facets

        vocab, plan, attempt, result = await attempts.search_text(
            conn, "solutions", query.q, after, lambda cursor: search.search_attempt(query, cursor),
            lambda a, i, expected: search.search(conn, query, limit=limit, after=after, text=a, index=i,
                                                 summaries=not full, expected=expected),
            lambda r: bool(r.ids), lambda r: r.current)
        if attempt is None:
            empty = Hits(page=Page(items=[], next_cursor=None), notes=SearchNotes(), highlights={})
            return empty, {f: [] for f in dict.fromkeys(query.facets)}
        items = await _items(conn, result, full)
        marks = _highlights(items, attempt, result.stems, vocab)
    page = Page(items=items, next_cursor=result.next_cursor)
    return Hits(page=page, notes=attempts.notes(plan, attempt, bool(items)), highlights=marks), result.facets


async def _items(conn: asyncpg.Connection, result: search.SearchResult, full: bool
                 ) -> list[SolutionSummary] | list[Solution]:
    """The page's solutions: the summaries its statement brought along, or each whole (``full``)."""
    if full:
        return await repository.load(conn, result.ids)
    return repository.SUMMARIES.decode(result.summaries) if result.summaries is not None else []


def _highlights(items: Sequence[Solution | SolutionSummary], attempt: attempts.Attempt, stems: list[str],
                vocab: Vocabulary) -> dict[str, Highlight]:
    """Name, and the first matching passage of summary, description or OZG-Leistungen, marked."""
    def texts(s: Solution | SolutionSummary) -> list[str | None]:
        return [s.summary, s.description, " · ".join(o.name for o in s.ozg_leistungen)]

    matcher = highlight.matcher(stems, attempt.prefixes, vocab)
    return {str(s.id): Highlight(name=highlight.mark(s.name, matcher), snippet=highlight.snippet(texts(s), matcher))
            for s in items}
