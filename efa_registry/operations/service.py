"""One snapshot of the operational figures, read in a single connection."""

from __future__ import annotations

import msgspec

from efa_registry import db
from efa_registry.operations import repository


class PoolFigures(msgspec.Struct, frozen=True, kw_only=True):
    open: int
    idle: int
    max: int


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    pools: dict[str, PoolFigures]
    feed_held_back: int
    feed_lag_seconds: float
    deliveries: dict[str, int]


async def figures() -> Figures:
    pools = {name: PoolFigures(open=p.get_size(), idle=p.get_idle_size(), max=p.get_max_size())
             for name, p in db.pools().items()}
    async with db.connection() as conn:
        held_back, lag = await repository.feed_lag(conn)
        deliveries = await repository.deliveries_by_status(conn)
    return Figures(pools=pools, feed_held_back=held_back, feed_lag_seconds=lag, deliveries=deliveries)
