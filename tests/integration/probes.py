"""What the use-case tests read back from the database."""

from __future__ import annotations

from efa_registry import db


async def events_of(entity_id: object) -> list[tuple[str, str, int | None]]:
    """(entity type, action, version) of every event about one entity, in order."""
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT entity_type, action, version FROM event WHERE entity_id = $1 ORDER BY seq",
                                str(entity_id))
    return [tuple(r) for r in rows]


async def table(name: str) -> list:
    """Every row of a table, to prove that a refused use case wrote nothing."""
    async with db.connection() as conn:
        return await conn.fetch(f"SELECT * FROM {name} ORDER BY 1")


async def rows_of(queries: dict[str, str]) -> dict[str, list[tuple[object, ...]]]:
    """The rows of each named query as plain tuples: the database before and after, to compare."""
    async with db.connection() as conn:
        return {name: [tuple(r) for r in await conn.fetch(sql)] for name, sql in queries.items()}
