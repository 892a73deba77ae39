"""One snapshot of the operational figures, read in a single connection."""

from __future__ import annotations

import msgspec

from efa_registry import db
from efa_registry.operations import repository


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    pool_size: int
    pool_idle: int
    pool_max: int
    feed_held_back: int
    feed_lag_seconds: float
    deliveries: dict[str, int]


async def figures() -> Figures:
    pool = db.pool()
    async with db.connection() as conn:
        held_back, lag = await repository.feed_lag(conn)
        deliveries = await repository.deliveries_by_status(conn)
    return Figures(pool_size=pool.get_size(), pool_idle=pool.get_idle_size(), pool_max=pool.get_max_size(),
                   feed_held_back=held_back, feed_lag_seconds=lag, deliveries=deliveries)
