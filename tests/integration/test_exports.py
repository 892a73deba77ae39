"""Bulk exports on PostgreSQL: one snapshot per file, the feed cursor to continue from, flat
constant-memory streaming, contact details only for authenticated readers, connections returned."""

from __future__ import annotations

import csv
import io
import json

import pytest

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.adoptions.model import Subscribe
from efa_registry.adoptions.service import subscribe
from efa_registry.errors import NotFound
from efa_registry.events.feed import read_events
from efa_registry.solutions.model import InterfaceCreate, SolutionCreate
from efa_registry.solutions.service import create_interface, create_solution
from efa_registry.transfer import exports

CURATOR = Actor.system("test")
DESCRIPTION = 'Antrag, "Nachweise" und Bescheid;\nalles digital – Ümlaute inklusive'


@pytest.fixture
async def filled(catalogue):
    solution, _ = await create_solution(SolutionCreate(
        name="Elterngeld digital", provider="land-nrw", ozg_ids=["10000", "10001"], status="available",
        description=DESCRIPTION, tags=["familie", "fit-connect"], contact_name="Erika Muster",
        contact_email="erika@nrw.example"), actor=CURATOR)
    interface, _ = await create_interface(solution.slug, InterfaceCreate(kind="fit_connect", name="Antrag"),
                                          actor=CURATOR)
    for ars in ("051120000000", "051130000000"):
        await subscribe(solution.slug, Subscribe(ars=ars, interfaces=[interface.id]), actor=CURATOR)
    return {"solution": solution, "interface": interface, **catalogue}


async def read_all(file: str, *, with_contacts: bool = False, batch_rows: int | None = None) -> tuple[bytes, str]:
    export = await exports.open_export(file, with_contacts=with_contacts, batch_rows=batch_rows)
    body = b"".join([chunk async for chunk in export])
    return body, export.feed_cursor


def ndjson(body: bytes) -> list[dict]:
    assert body.endswith(b"\n") or body == b""
    return [json.loads(line) for line in body.decode().splitlines()]


def csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode(), newline="")))


async def table_count(table: str) -> int:
    async with db.connection() as conn:
        return await conn.fetchval(f"SELECT count(*) FROM {table}")


class TestExportFiles:
    @pytest.mark.parametrize(("name", "table"), [("solutions", "solution"), ("interfaces", "interface"),
                                                 ("organisations", "organisation"), ("adoptions", "adoption"),
                                                 ("areas", "area")])
    async def test_every_dataset_exports_every_row_in_both_formats(self, filled, name, table):
        rows = await table_count(table)
        as_json = ndjson((await read_all(f"{name}.ndjson"))[0])
        as_csv = csv_rows((await read_all(f"{name}.csv"))[0])
        assert len(as_json) == len(as_csv) == rows > 0
        assert list(as_json[0]) == list(as_csv[0]), "same columns, same order"

    async def test_solution_record_is_flat_camel_case_with_lists(self, filled):
        record = ndjson((await read_all("solutions.ndjson"))[0])[0]
        assert record["id"] == str(filled["solution"].id) and record["providerId"] == str(filled["nrw"].id)
        assert (record["ozgIds"], record["themenfelder"], record["tags"]) == (
            ["10000", "10001"], ["familie-kind"], ["familie", "fit-connect"])
        assert record["efaCompliant"] is None and record["isDemo"] is False and record["version"] == 2
        assert record["description"] == DESCRIPTION and record["createdAt"].endswith("Z")

    async def test_csv_quotes_per_rfc_4180_and_joins_lists_with_a_bar(self, filled):
        body, _ = await read_all("solutions.csv")
        assert b'"' + DESCRIPTION.replace('"', '""').encode() + b'"' in body
        row = csv_rows(body)[0]
        assert row["description"] == DESCRIPTION, "comma, quotes, newline and umlauts survive"
        assert (row["ozgIds"], row["tags"], row["isDemo"], row["efaCompliant"]) == (
            "10000|10001", "familie|fit-connect", "false", "")
        assert b',"",' not in body and b",," in body, "NULL is an empty cell"
        assert row["createdAt"].endswith("Z") and "T" in row["createdAt"]
        adoption = csv_rows((await read_all("adoptions.csv"))[0])[0]
        assert adoption["interfaces"] == str(filled["interface"].id) and adoption["land"] == "05"

    async def test_contact_details_only_for_authenticated_readers(self, filled):
        public = ndjson((await read_all("solutions.ndjson"))[0])[0]
        assert not {"contactName", "contactEmail"} & public.keys()
        private = ndjson((await read_all("solutions.ndjson", with_contacts=True))[0])[0]
        assert (private["contactName"], private["contactEmail"]) == ("Erika Muster", "erika@nrw.example")
        organisations = csv_rows((await read_all("organisations.csv"))[0])
        assert "contactEmail" not in organisations[0]
        assert "ozg@nrw.example" not in (await read_all("organisations.ndjson"))[0].decode()

    async def test_unknown_file_is_not_found(self, clean_db):
        for file in ("adoptions.xml", "events.ndjson", "adoptions", ".csv"):
            with pytest.raises(NotFound):
                await exports.open_export(file, with_contacts=False)

    async def test_rows_are_read_in_bounded_batches(self, filled):
        export = await exports.open_export("areas.ndjson", with_contacts=False, batch_rows=2)
        sizes = [len(chunk.splitlines()) async for chunk in export]
        assert max(sizes) == 2 and sum(sizes) == await table_count("area")


class TestSnapshotAndFeedCursor:
    async def test_a_write_during_the_export_is_not_in_it_but_next_in_the_feed(self, filled):
        export = await exports.open_export("adoptions.ndjson", with_contacts=False, batch_rows=1)
        first = await export.__anext__()  # the snapshot is taken; rows are streaming
        later, _ = await subscribe(filled["solution"].slug, Subscribe(ars="05"), actor=CURATOR)
        rest = b"".join([chunk async for chunk in export])
        ids = {r["id"] for r in ndjson(first + rest)}
        assert str(later.id) not in ids and len(ids) == 2
        async with db.connection() as conn:
            events, _ = await read_events(conn, after=export.feed_cursor, limit=100)
        assert [(e.entity_type, e.entity_id) for e in events] == [("adoption", str(later.id))]

    async def test_export_and_feed_continued_from_its_cursor_hold_every_adoption_once(self, filled):
        body, cursor = await read_all("adoptions.ndjson")
        exported = {r["id"] for r in ndjson(body)}
        await subscribe(filled["solution"].slug, Subscribe(ars="05112"), actor=CURATOR)
        async with db.connection() as conn:
            events, _ = await read_events(conn, after=cursor, limit=100)
        fed = {e.entity_id for e in events if e.entity_type == "adoption"}
        assert not exported & fed
        assert exported | fed == {str(r["id"]) for r in await _adoption_ids()}


async def _adoption_ids() -> list:
    async with db.connection() as conn:
        return await conn.fetch("SELECT id FROM adoption")


class TestConnectionIsReturned:
    @pytest.fixture
    def big_csv(self, monkeypatch):
        """A CSV export far larger than the stream's buffer: the COPY is still running when the reader stops."""
        columns = (exports.Column("n", "g.n"), exports.Column("text", "md5(g.n::text)"))
        series = exports.Dataset("generate_series(1, 300000) g(n)", "g.n", columns)
        monkeypatch.setitem(exports.DATASETS, "areas", series)

    async def idle(self) -> int:
        """Connections not checked out. A connection whose COPY was cancelled may be discarded by
        the pool instead of reused, so count what is checked out: that must return to before."""
        pool = db.pool()
        return pool.get_max_size() - (pool.get_size() - pool.get_idle_size())

    async def test_after_the_last_chunk(self, filled):
        before = await self.idle()
        await read_all("adoptions.csv")
        assert await self.idle() == before

    async def test_when_the_reader_stops_early_or_never_starts(self, filled):
        before = await self.idle()
        export = await exports.open_export("areas.csv", with_contacts=False, batch_rows=1)
        await export.__anext__()
        assert await self.idle() == before - 1, "held while streaming"
        await export.aclose()
        unread = await exports.open_export("areas.csv", with_contacts=False)
        await unread.aclose()
        await unread.aclose()  # idempotent
        assert await self.idle() == before

    async def test_when_the_reader_stops_while_copy_runs(self, clean_db, big_csv):
        before = await self.idle()
        export = await exports.open_export("areas.csv", with_contacts=False)
        first = await export.__anext__()
        assert first.startswith(b"n,text\n")
        await export.aclose()
        assert await self.idle() == before
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT 1") == 1, "the pooled connection is usable again"
        everything = b"".join([c async for c in await exports.open_export("areas.csv", with_contacts=False)])
        assert everything.count(b"\n") == 300_001
