"""Litestar's Store interface over the core's shared key-value table, so curation sessions
(``api/web/session.py``) survive restarts and work across any number of API processes."""

from __future__ import annotations

import datetime as dt

from litestar.stores.base import Store

from efa_registry.kit import keyvalue


class PostgresStore(Store):
    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        return await keyvalue.get(key, renew_for=renew_for)

    async def set(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None) -> None:
        await keyvalue.put(key, value.encode() if isinstance(value, str) else value, expires_in=expires_in)

    async def delete(self, key: str) -> None:
        await keyvalue.delete(key)

    async def delete_all(self) -> None:
        await keyvalue.delete_all()

    async def delete_expired(self) -> None:
        await keyvalue.delete_expired()

    async def exists(self, key: str) -> bool:
        return await keyvalue.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        return await keyvalue.expires_in(key)
