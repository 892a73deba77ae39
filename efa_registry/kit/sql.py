"""Tiny SQL helpers shared by the repositories (column names come from code, never from input)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg


async def insert(conn: asyncpg.Connection, table: str, values: dict[str, Any]) -> None:
    columns = ", ".join(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    await conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", *values.values())


async def update_versioned(conn: asyncpg.Connection, table: str, row_id: uuid.UUID, values: dict[str, Any]) -> int:
    """Apply ``values``, bump ``version`` and ``updated_at``; the caller holds the row lock."""
    sets = "".join(f"{column} = ${i}, " for i, column in enumerate(values, start=2))
    return await conn.fetchval(
        f"UPDATE {table} SET {sets}version = version + 1, updated_at = now() WHERE id = $1 RETURNING version",
        row_id, *values.values())


class Params:
    """Numbered query parameters: ``p.add(value)`` returns ``$n``."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"

    def equal(self, columns: dict[str, Any]) -> list[str]:
        """``column = $n`` for every column whose filter value is given (not None or empty)."""
        return [f"{column} = {self.add(value)}" for column, value in columns.items() if value]
