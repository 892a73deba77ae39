"""A per-process cache of the heavy cross-solution rollout reads (matrix, Land overview, timeline),
exact because every entry is checked against the database fingerprint it was computed under."""

from __future__ import annotations

import asyncio
import itertools
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import asyncpg
import msgspec

from efa_registry.rollout import summary_repository as summary

T = TypeVar("T")


class _Cached(msgspec.Struct, frozen=True):
    fingerprint: str
    stamp: int  # taken just before the snapshot it was computed under
    value: Any


# Results keyed by the read and its arguments. An entry is served while the database fingerprint
# it was computed under is unchanged, or when its snapshot was taken after this request read the
# fingerprint: either way it already shows every write committed before the request began. A
# miss computes under one snapshot.
_cache: OrderedDict[Hashable, _Cached] = OrderedDict()
_locks: dict[Hashable, asyncio.Lock] = {}
_clock = itertools.count()
_misses = itertools.count(1)
CACHE_SIZE = 256
PRUNE_EVERY = 1000  # misses between two prunings of the change log the fingerprints read


def _usable(hit: _Cached | None, current: str, read_at: int) -> bool:
    return hit is not None and (hit.fingerprint == current or hit.stamp > read_at)


async def cached(
    conn: asyncpg.Connection, key: Hashable, fingerprint: Callable[[asyncpg.Connection], Awaitable[str]],
    compute: Callable[[asyncpg.Connection], Awaitable[T]],
) -> T:
    """``compute(conn)``, or its cached result while ``fingerprint`` says it is still current."""
    current = await fingerprint(conn)
    read_at = next(_clock)
    if _usable(hit := _cache.get(key), current, read_at):
        return hit.value  # type: ignore[union-attr]
    # One computation per key at a time: readers that queue behind it are served its result.
    async with _locks.setdefault(key, asyncio.Lock()):
        if _usable(hit := _cache.get(key), current, read_at):
            return hit.value  # type: ignore[union-attr]
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            stamp = next(_clock)
            computed = _Cached(await fingerprint(conn), stamp, await compute(conn))
        _cache[key] = computed
        if next(_misses) % PRUNE_EVERY == 0:
            await summary.prune_changes(conn)
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _locks.pop(_cache.popitem(last=False)[0], None)
    return computed.value
