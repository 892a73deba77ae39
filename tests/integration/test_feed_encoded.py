"""The feed page PostgreSQL encodes (``read_events_json``) is the page the event objects encode to:
every field and value (timestamps with and without fractions as the same strings), cursors,
audiences, filters, paging, catching up and snapshot cursors."""

from __future__ import annotations

import uuid

import asyncpg
import msgspec
import pytest

from efa_registry import db
from efa_registry.events import feed
from efa_registry.events.model import FeedFilters
from tests.integration.test_feed import commit_event, record

SOLUTION = uuid.UUID("a3e1c6d2-6f8e-4b7a-9c1d-2e3f4a5b6c7d")


async def _events() -> None:
    await commit_event(1, snapshot={"name": "Land NRW", "contact_email": "ozg@nrw.example", "n": [1, 2.5, None]})
    await commit_event(2, entity_type="solution", solution_id=SOLUTION, land="05", themenfelder=["familie-kind"],
                       snapshot={"name": "Wohngeld „digital“", "tags": ["ä", "ß"]})
    await commit_event(3, entity_type="token", snapshot=None)
    await commit_event(4, entity_type="adoption", version=None, land="07")
    async with db.transaction() as conn:  # one timestamp without a fraction of a second
        await conn.execute("UPDATE event SET occurred_at = date_trunc('second', occurred_at) WHERE version = 2")


async def both(after: str | None, limit: int, **kwargs) -> tuple[bytes, str, bytes, str]:
    async with db.connection() as conn:
        events, cursor = await feed.read_events(conn, after=after, limit=limit, **kwargs)
        page = await feed.read_events_json(conn, after=after, limit=limit, **kwargs)
    assert page.count == len(events)
    return msgspec.json.encode(events), cursor, page.items, page.cursor


class TestEncodedPage:
    @pytest.mark.parametrize("audience", ["internal", "authenticated", "public"])
    @pytest.mark.parametrize("filters", [FeedFilters(), FeedFilters(land="05"), FeedFilters(solution_id=SOLUTION)])
    async def test_the_same_bytes_as_the_event_objects(self, clean_db, audience, filters):
        await _events()
        after = None
        for limit in (1, 2, 100):  # full pages, then a partial one that catches up
            objects, cursor, encoded, encoded_cursor = await both(after, limit, audience=audience, filters=filters)
            assert msgspec.json.decode(encoded) == msgspec.json.decode(objects)
            assert encoded_cursor == cursor
            after = cursor

    async def test_a_snapshot_cursor_takes_the_object_path_and_agrees(self, clean_db):
        await _events()
        running = await asyncpg.connect(clean_db)
        try:
            in_flight = running.transaction()
            await in_flight.start()
            await record(running, 5)  # in progress when the export starts
            await commit_event(6)     # committed before the export, behind the in-flight one
            async with db.connection() as export, export.transaction(isolation="repeatable_read", readonly=True):
                cursor = await feed.current_cursor(export)
            await in_flight.commit()
        finally:
            await running.close()
        assert feed.decode_position(cursor).snapshot is not None
        objects, cursor_a, encoded, cursor_b = await both(cursor, 10)
        assert encoded == objects and cursor_a == cursor_b and len(msgspec.json.decode(encoded)) == 1

    async def test_an_empty_read_is_an_empty_array(self, clean_db):
        async with db.connection() as conn:
            page = await feed.read_events_json(conn, after=None, limit=10)
        assert (page.items, page.count) == (b"[]", 0)
