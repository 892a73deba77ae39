"""Tiny SQL helpers shared by the repositories (column names come from code, never from input)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

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


class Rider(NamedTuple):
    """A data-modifying statement (``INSERT``/``UPDATE``/``DELETE``, numbered parameters) to run in
    the same transaction as another statement, riding along it (``along``)."""

    sql: str
    args: Sequence[Any]


def along(sql: str, args: Sequence[Any], rider: Rider | None) -> tuple[str, list[Any]]:
    """``sql`` (a ``SELECT`` or ``WITH`` statement) that also runs ``rider``, as a data-modifying CTE:
    one round trip for two statements whose results do not depend on each other. (A round trip
    costs a write about as much as a small statement does.) PostgreSQL runs a data-modifying CTE
    to completion whether the rest reads it or not, on the statement's snapshot."""
    if rider is None:
        return sql, list(args)
    offset = len(args)
    ride = re.sub(r"\$(\d+)", lambda m: f"${int(m.group(1)) + offset}", rider.sql.strip())
    body = sql.lstrip()
    head = f"WITH rider AS ({ride})"
    combined = f"{head}, {body[4:]}" if body[:4].upper() == "WITH" else f"{head} {body}"
    return combined, [*args, *rider.args]


async def run(conn: asyncpg.Connection, rider: Rider | None) -> None:
    """A rider that found nothing to ride along: on its own."""
    if rider is not None:
        await conn.execute(rider.sql, *rider.args)


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
