"""The vocabularies and the place index search needs, built from the database's own texts and
kept per process, rebuilt when a text they were built from has changed.

Why cached: the catalogue's vocabulary (5,000 words and the composition parts its compounds
share) takes about a second to build, the index of 16,000 area names as long; a request cannot
wait for that. Why it is never stale: every statement writing such a text leaves its transaction
id in ``search_change`` (a trigger, migration 2026-12-02). A cached entry remembers the newest id
and how many ids it had seen from the oldest transaction then still running on; one indexed read
per search (``repository.current_sql``, a few hundredths of a millisecond in PostgreSQL) tells
whether anything has committed since — including a writer that was still running while the
entry was built, whose id is older than the newest one. A search asks it as a column of its own
statement (``confirmed``), so the check costs no round trip of its own. The log is cut at
start-up once a scope holds more than 10,000 ids (``repository.prune_changes``, which makes every
cache rebuild once).

Entries: ``catalogue`` (OZG-Leistungen, LeiKa, Lagen, Themenfelder: OZG documents and queries),
``solutions`` (the catalogue's words plus the solutions': solution queries), ``places`` (current
areas: names typed by hand). Builds run in a worker thread, one at a time per entry and loop.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple, TypeVar

import structlog

from efa_registry.search import documents, repository, spelling
from efa_registry.search.placeindex import PlaceIndex, to_place
from efa_registry.search.vocabulary import Vocabulary

log = structlog.get_logger(__name__)
T = TypeVar("T")

DEPENDS = {"catalogue": ("catalogue",), "solutions": ("catalogue", "solutions"), "places": ("areas",)}


class _Entry(NamedTuple):
    seen: dict[str, repository.Seen]
    value: Any


_cache: dict[str, _Entry] = {}
_by_texts: dict[int, Vocabulary] = {}  # catalogue vocabularies by their texts, the newest last
KEEP_BY_TEXTS = 3
_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = weakref.WeakKeyDictionary()


async def catalogue(conn: Any) -> Vocabulary:
    """The catalogue's vocabulary as ``conn`` sees the texts (inside a writer's transaction: its own)."""
    return await _get(conn, "catalogue")


async def solution_words(conn: Any) -> Vocabulary:
    """The vocabulary of solution searches: the catalogue's words and the solutions' own."""
    return await _get(conn, "solutions")


async def places(conn: Any) -> PlaceIndex:
    """The index of every current area's name (``places.rank`` resolves against it)."""
    return await _get(conn, "places")


async def confirmed(conn: Any, name: str,
                    run: Callable[[Any, dict[str, repository.Seen] | None], Awaitable[tuple[T, bool | None]]]
                    ) -> tuple[Any, T]:
    """``run`` a search with the cached entry ``name`` and confirm, in the search's own statement, that
    the entry is still current: ``run(value, expected)`` adds ``repository.current_sql`` for
    ``expected`` (when not None) and returns its result and that column (None without a row). Only a
    stale entry, or an answer without a row to tell, costs the separate check; a stale one is
    rebuilt and the search run again. Returns the value used and the result."""
    entry = _cache.get(name)
    if entry is not None:
        result, current = await run(entry.value, entry.seen)
        if current:
            return entry.value, result
        if current is None and await _valid(conn, entry):
            return entry.value, result
    value = await _get(conn, name)
    result, _ = await run(value, None)
    return value, result


def _lock(name: str) -> asyncio.Lock:
    locks = _locks.setdefault(asyncio.get_running_loop(), {})
    return locks.setdefault(name, asyncio.Lock())


async def _valid(conn: Any, entry: _Entry | None) -> bool:
    return entry is not None and await repository.is_current(conn, entry.seen)


async def _get(conn: Any, name: str) -> Any:
    entry = _cache.get(name)
    if await _valid(conn, entry):
        return entry.value
    async with _lock(name):
        if _cache.get(name) is not entry and await _valid(conn, _cache.get(name)):
            return _cache[name].value  # built by another request while this one waited
        started = time.perf_counter()
        seen = await repository.seen_now(conn, DEPENDS[name])
        value = await BUILDERS[name](conn)
        _cache[name] = _Entry(seen, value)
        log.info("search.lexicon_built", entry=name, size=len(value), ms=round((time.perf_counter() - started) * 1000))
        return value


async def _build_catalogue(conn: Any) -> Vocabulary:
    """The vocabulary of the catalogue's texts; the same texts as before (the shipped catalogue
    loaded again, an import that changed nothing but a legal basis) give the same vocabulary, with
    everything it has learned since (compound splits, expanded documents, query plans)."""
    texts = await repository.catalogue_texts(conn)
    key = hash(tuple(sorted(texts)))
    if (known := _by_texts.get(key)) is not None:
        return known
    vocab = await asyncio.to_thread(_ready, documents.catalogue_vocabulary, texts)
    if len(_by_texts) >= KEEP_BY_TEXTS:
        _by_texts.pop(next(iter(_by_texts)))
    _by_texts[key] = vocab
    return vocab


async def _build_solutions(conn: Any) -> Vocabulary:
    base = await catalogue(conn)
    texts = await repository.solution_texts(conn)
    return await asyncio.to_thread(_ready, documents.solutions_vocabulary, base, texts)


async def _build_places(conn: Any) -> PlaceIndex:
    rows = await repository.place_candidates(conn)
    return await asyncio.to_thread(lambda: PlaceIndex([to_place(r) for r in rows]))


def _ready(build: Callable[..., Vocabulary], *args: Any) -> Vocabulary:
    """Build, and build the derived indexes too, in the worker thread rather than in a request."""
    vocab = build(*args)
    spelling.index(vocab)
    vocab.has_prefix("a")
    return vocab


BUILDERS: dict[str, Callable[[Any], Awaitable[Any]]] = {
    "catalogue": _build_catalogue, "solutions": _build_solutions, "places": _build_places}
