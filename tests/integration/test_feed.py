"""The change feed on PostgreSQL: never skips, never repeats — also when transactions commit out
of order, while writers keep writing, and when continuing from an export's snapshot."""

from __future__ import annotations

import asyncio
import random
import time

import asyncpg
import pytest

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.errors import InvalidParameter
from efa_registry.events import feed, recorder
from efa_registry.events.model import FeedFilters

ACTOR = Actor.system("test")


async def record(conn, n: int, **fields) -> int:
    values = {"entity_type": "organisation", "entity_id": f"org-{n}", "action": "updated", "version": n, **fields}
    return await recorder.record(conn, actor=ACTOR, **values)


async def commit_event(n: int, **fields) -> int:
    async with db.transaction() as conn:
        return await record(conn, n, **fields)


async def read(after: str | None, limit: int = 100, **kwargs) -> tuple[list[int], str]:
    async with db.connection() as conn:
        events, cursor = await feed.read_events(conn, after=after, limit=limit, **kwargs)
    return [e.seq for e in events], cursor


class TestOutOfOrderCommits:
    async def test_an_event_committing_late_is_neither_skipped_nor_repeated(self, clean_db):
        early = await asyncpg.connect(clean_db)
        try:
            held = early.transaction()
            await held.start()
            first = await record(early, 1)      # takes its sequence number first …
            second = await commit_event(2)      # … but commits after this one
            async with db.connection() as conn:
                naive = [r["seq"] for r in await conn.fetch("SELECT seq FROM event WHERE seq > 0 ORDER BY seq")]
            assert naive == [second], "a plain seq cursor would now move past `first` and never see it"

            seen, cursor = await read(None)
            assert seen == [], "nothing may be handed out while an older transaction can still commit"
            await held.commit()
            seen, cursor = await read(cursor, limit=1)
            assert seen == [first]
            seen, cursor = await read(cursor, limit=1)
            assert seen == [second]
            assert (await read(cursor))[0] == []
        finally:
            await early.close()

    async def test_a_rolled_back_transaction_leaves_no_gap_and_no_event(self, clean_db):
        doomed = await asyncpg.connect(clean_db)
        try:
            held = doomed.transaction()
            await held.start()
            await record(doomed, 1)
            kept = await commit_event(2)
            assert (await read(None))[0] == []
            await held.rollback()
            assert (await read(None))[0] == [kept]
        finally:
            await doomed.close()


class TestConcurrentStream:
    async def test_a_reader_racing_many_writers_sees_every_event_exactly_once(self, clean_db):
        written: list[int] = []
        commit_order: list[int] = []

        async def writer() -> None:
            for i in range(12):
                async with db.transaction() as conn:
                    seqs = [await record(conn, i) for _ in range(random.randint(1, 3))]
                    await asyncio.sleep(random.uniform(0, 0.01))  # commit order ≠ sequence order
                written.extend(seqs)
                commit_order.append(seqs[0])

        seen: list[int] = []
        writers_done = asyncio.Event()

        async def reader() -> None:
            cursor = None
            while True:
                finished = writers_done.is_set()
                events, cursor = await read(cursor, limit=7)
                seen.extend(events)
                if finished and len(events) < 7:
                    return
                await asyncio.sleep(0.001)

        reading = asyncio.create_task(reader())
        await asyncio.gather(*(writer() for _ in range(6)))
        writers_done.set()
        await asyncio.wait_for(reading, 30)

        assert commit_order != sorted(commit_order), "the writers must have committed out of sequence order"
        assert len(seen) == len(set(seen)), "no event may be handed out twice"
        assert sorted(seen) == sorted(written), "every committed event must be handed out"


class TestSnapshotCursor:
    async def test_continuing_from_an_export_snapshot_yields_exactly_what_it_did_not_see(self, clean_db):
        before = await commit_event(0)
        running = await asyncpg.connect(clean_db)
        try:
            in_flight_tx = running.transaction()
            await in_flight_tx.start()
            in_flight = await record(running, 1)   # in progress when the export starts
            visible = await commit_event(2)       # committed before the export, behind the in-flight one
            async with db.connection() as export, export.transaction(isolation="repeatable_read", readonly=True):
                cursor = await feed.current_cursor(export)
                exported = {r["seq"] for r in await export.fetch("SELECT seq FROM event")}
                later = await commit_event(3)
                await in_flight_tx.commit()
        finally:
            await running.close()
        assert exported == {before, visible}
        seen, _ = await read(cursor)
        assert seen == [in_flight, later], "the feed from the export's cursor: exactly the events it missed"

    async def test_a_plain_head_cursor_returns_only_later_events(self, clean_db):
        await commit_event(0)
        async with db.connection() as conn:
            head = await feed.current_cursor(conn)
        later = await commit_event(1)
        assert (await read(head))[0] == [later]


class TestFiltersAndCursors:
    async def test_filters_narrow_and_the_cursor_moves_past_what_they_skip(self, clean_db):
        import uuid

        solution = uuid.uuid4()
        a = await commit_event(1, entity_type="solution", solution_id=solution, land="05",
                               themenfelder=["familie-kind"])
        await commit_event(2, entity_type="adoption", land="10")
        c = await commit_event(3, entity_type="interface", solution_id=solution, land="05")
        assert (await read(None, filters=FeedFilters(entity_types=("solution", "interface"))))[0] == [a, c]
        assert (await read(None, filters=FeedFilters(solution_id=solution)))[0] == [a, c]
        assert (await read(None, filters=FeedFilters(land="05", themenfeld="familie-kind")))[0] == [a]
        _, cursor = await read(None, filters=FeedFilters(land="99"))
        assert (await read(cursor))[0] == [], "a caught-up filtered cursor must not rescan what it skipped"

    async def test_the_public_audience_gets_no_contacts_and_no_operational_events(self, clean_db):
        await commit_event(1, snapshot={"name": "Land NRW", "contact_email": "ozg@nrw.example"})
        await commit_event(2, entity_type="token")
        async with db.connection() as conn:
            public, _ = await feed.read_events(conn, after=None, limit=10, audience="public")
            internal, _ = await feed.read_events(conn, after=None, limit=10, audience="internal")
        assert [e.entity_type for e in public] == ["organisation"]
        assert public[0].snapshot_data() == {"name": "Land NRW"}
        assert [e.entity_type for e in internal] == ["organisation", "token"]
        assert internal[0].snapshot_data()["contact_email"] == "ozg@nrw.example"

    @pytest.mark.parametrize("cursor", ["%%%", "WzEsMl0x", "eyJhIjoxfQ", "WzEsLTFd", "WzEsMiwibm9wZSJd"])
    async def test_a_tampered_cursor_is_refused_naming_after(self, clean_db, cursor):
        with pytest.raises(InvalidParameter) as caught:
            await read(cursor)
        assert caught.value.field == "after"

    async def test_a_long_poll_returns_as_soon_as_an_event_commits(self, clean_db):
        head = await feed.head_cursor()
        started = time.monotonic()
        polling = asyncio.create_task(feed.poll_events(after=head, limit=10, wait=5))
        await asyncio.sleep(0.3)
        seq = await commit_event(1)
        events, _ = await asyncio.wait_for(polling, 6)
        assert [e.seq for e in events] == [seq]
        assert time.monotonic() - started < 1.5, "the poll must not sit out its whole wait"
