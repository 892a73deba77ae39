"""Bulk exports: every row of a dataset as NDJSON or CSV, streamed from one snapshot.

An export holds one pooled connection in a REPEATABLE READ READ ONLY transaction for as long as
the client reads, so the whole file shows one moment. Rows leave in bounded pieces, so memory
stays flat however many the table holds (1,000,000 adoptions): NDJSON through a server-side
cursor read in batches, CSV through ``COPY … TO STDOUT`` with backpressure. The feed
cursor is taken by the transaction's first statement, in the same snapshot: a reader continues
with ``/v1/events?after=<cursor>`` and gets exactly the changes the file does not contain.

The records are flat (references by id, lists as arrays) so NDJSON and CSV carry the same columns
under the API's camelCase names, timestamps as RFC 3339 UTC in both. CSV is PostgreSQL's: header
row, RFC 4180 quoting, LF line ends, lists joined with ``|``, booleans ``true``/``false``, NULL an
empty cell (an empty string is ``""``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import NamedTuple

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.errors import NotFound
from efa_registry.events.feed import current_cursor

log = structlog.get_logger(__name__)

BATCH_ROWS = 2000
COPY_TIMEOUT_SECONDS = 6 * 3600  # the COPY runs as long as the client reads (asyncpg's default is 60 s)
FORMATS = ("ndjson", "csv")  # both UTF-8


class Column(NamedTuple):
    name: str  # on the wire
    sql: str
    kind: str = "plain"  # plain | text | bool | list | textlist | timestamp: how CSV renders it
    contact: bool = False  # a person's contact detail: authenticated callers only


class Dataset(NamedTuple):
    source: str
    order: str
    columns: tuple[Column, ...]


def _stamps(alias: str) -> tuple[Column, ...]:
    return (Column("version", f"{alias}.version"), Column("createdAt", f"{alias}.created_at", "timestamp"),
            Column("updatedAt", f"{alias}.updated_at", "timestamp"))


OZG_IDS = ("coalesce((SELECT array_agg(so.ozg_leistung ORDER BY so.ozg_leistung::int) FROM solution_ozg_leistung so"
           " WHERE so.solution = s.id), '{}')")
THEMENFELDER = ("coalesce((SELECT array_agg(DISTINCT o.themenfeld ORDER BY o.themenfeld) FROM solution_ozg_leistung so"
                " JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung WHERE so.solution = s.id), '{}')")
ADOPTION_INTERFACES = ("coalesce((SELECT array_agg(ai.interface ORDER BY ai.interface) FROM adoption_interface ai"
                       " WHERE ai.adoption = a.id), '{}')")

DATASETS: dict[str, Dataset] = {
    "solutions": Dataset("solution s", "s.slug", (
        Column("id", "s.id"), Column("slug", "s.slug"), Column("name", "s.name", "text"),
        Column("summary", "s.summary", "text"),
        Column("description", "s.description", "text"), Column("providerId", "s.provider"),
        Column("operatorId", "s.operator"), Column("ozgIds", OZG_IDS, "list"),
        Column("themenfelder", THEMENFELDER, "list"), Column("status", "s.status"),
        Column("efaCompliant", "s.efa_compliant", "bool"), Column("reifegradModel", "s.reifegrad_model"),
        Column("reifegrad", "s.reifegrad"), Column("reuseRoute", "s.reuse_route"),
        Column("rolloutLevel", "s.rollout_level"), Column("licence", "s.licence", "text"),
        Column("sourceRepository", "s.source_repository"), Column("documentationUrl", "s.documentation_url"),
        Column("costsNote", "s.costs_note", "text"), Column("language", "s.language"),
        Column("tags", "s.tags", "textlist"),
        Column("contactName", "s.contact_name", "text", contact=True),
        Column("contactEmail", "s.contact_email", contact=True),
        Column("isDemo", "s.is_demo", "bool"), *_stamps("s"))),
    "interfaces": Dataset("interface i", "i.id", (
        Column("id", "i.id"), Column("solutionId", "i.solution"), Column("kind", "i.kind"),
        Column("name", "i.name", "text"),
        Column("standard", "i.standard", "text"), Column("standardVersion", "i.standard_version", "text"),
        Column("specUrl", "i.spec_url"), Column("authentication", "i.authentication", "text"),
        Column("status", "i.status"),
        Column("sunsetOn", "i.sunset_on"), *_stamps("i"))),
    "organisations": Dataset("organisation o LEFT JOIN area ar ON ar.ars = o.area", "o.slug", (
        Column("id", "o.id"), Column("slug", "o.slug"), Column("kind", "o.kind"), Column("name", "o.name", "text"),
        Column("area", "o.area"), Column("areaName", "ar.name"), Column("land", "ar.land"),
        Column("website", "o.website"), Column("contactName", "o.contact_name", "text", contact=True),
        Column("contactEmail", "o.contact_email", contact=True),
        Column("contactPhone", "o.contact_phone", contact=True), Column("isDemo", "o.is_demo", "bool"),
        *_stamps("o"))),
    "adoptions": Dataset("adoption a", "a.id", (
        Column("id", "a.id"), Column("solutionId", "a.solution"), Column("ars", "a.area"),
        Column("land", "left(a.area, 2)"), Column("status", "a.status"), Column("pausedFrom", "a.paused_from"),
        Column("plannedLiveOn", "a.planned_live_on"), Column("liveSince", "a.live_since"),
        Column("note", "a.note", "text"),
        Column("interfaces", ADOPTION_INTERFACES, "list"), *_stamps("a"))),
    "areas": Dataset("area g", "g.ars", (
        Column("ars", "g.ars"), Column("ags", "g.ags"), Column("name", "g.name"), Column("level", "g.level"),
        Column("textkennzeichen", "g.textkennzeichen"), Column("parent", "g.parent"), Column("land", "g.land"),
        Column("isoCode", "g.iso_code"), Column("seat", "g.seat"), Column("population", "g.population"),
        Column("areaHa", "g.area_ha"), Column("gebietsstand", "g.gebietsstand"),
        Column("isMunicipality", "g.level = 'gemeinde'", "bool"), Column("current", "g.current", "bool"))),
}
FILES = tuple(f"{name}.{fmt}" for name in DATASETS for fmt in FORMATS)

# CSV: PostgreSQL writes the whole file (COPY … CSV): quoting in C is several times faster than
# Python's csv module, and NULL (empty) stays distinct from an empty string ("").
# Free text a spreadsheet would run as a formula (=HYPERLINK(…), +SUM, @cmd, -2+3) begins with an
# apostrophe in CSV, as OWASP advises; the NDJSON export carries it exactly as stored.
_UNFORMULA = "CASE WHEN {0} ~ '^[-=+@\\t\\r]' THEN '''' || {0} ELSE {0} END"
_CSV_SQL = {
    "plain": "{}",
    "text": _UNFORMULA,
    "bool": "({})::text",
    "list": "array_to_string({}, '|')",
    "textlist": _UNFORMULA.format("array_to_string({0}, '|')"),
    "timestamp": """to_char(({}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
}


def export_query(name: str, fmt: str, *, with_contacts: bool) -> tuple[list[str], str]:
    """(column names, SELECT) of one export file; CSV columns carry their header names."""
    dataset = DATASETS[name]
    columns = [c for c in dataset.columns if with_contacts or not c.contact]
    if fmt == "csv":
        select = ", ".join(f'{_CSV_SQL[c.kind].format(c.sql)} AS "{c.name}"' for c in columns)
    else:
        select = ", ".join(c.sql for c in columns)
    return [c.name for c in columns], f"SELECT {select} FROM {dataset.source} ORDER BY {dataset.order}"


def parse_file(file: str) -> tuple[str, str]:
    """``adoptions.csv`` → (``adoptions``, ``csv``); an unknown file is NotFound."""
    name, _, fmt = file.partition(".")
    if name not in DATASETS or fmt not in FORMATS:
        raise NotFound(f"no export {file} (exports: {', '.join(FILES)})", field="file")
    return name, fmt


class Export:
    """One export being streamed: iterate it for the file's chunks (bytes).

    It owns a pool connection from ``open_export`` until the last chunk was read or ``aclose``
    was called, whichever comes first; ``aclose`` is idempotent and survives cancellation, so the
    HTTP layer calls it however the response ends (done, failed, client gone).
    """

    def __init__(self, name: str, fmt: str, *, with_contacts: bool, batch_rows: int) -> None:
        self.file = f"{name}.{fmt}"
        self.format = fmt
        self.feed_cursor = ""
        self.rows = 0
        self._columns, self._sql = export_query(name, fmt, with_contacts=with_contacts)
        self._batch_rows = batch_rows
        self._conn: asyncpg.Connection | None = None
        self._tx: asyncpg.transaction.Transaction | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        self._copy: asyncio.Task[str] | None = None

    async def _start(self) -> None:
        self._conn = await db.pool().acquire()
        try:
            self._tx = self._conn.transaction(isolation="repeatable_read", readonly=True)
            await self._tx.start()
            # The first statement fixes the snapshot: the cursor and every row come from it.
            self.feed_cursor = await current_cursor(self._conn)
        except BaseException:
            await self.aclose()
            raise
        self._chunks = self._generate()

    def __aiter__(self) -> Export:
        return self

    async def __anext__(self) -> bytes:
        if self._chunks is None:
            raise StopAsyncIteration
        try:
            return await self._chunks.__anext__()
        except BaseException:  # the end, an error or a cancellation: give the connection back now
            await self.aclose()
            raise

    async def _generate(self) -> AsyncIterator[bytes]:
        chunks = self._copy_csv() if self.format == "csv" else self._fetch_ndjson()
        async for chunk in chunks:
            yield chunk

    async def _fetch_ndjson(self) -> AsyncIterator[bytes]:
        """A server-side cursor read in batches; a Struct per row encodes about twice as fast as a dict."""
        row = msgspec.defstruct("Row", self._columns)
        encoder = msgspec.json.Encoder()
        cursor = await self._conn.cursor(self._sql)
        while rows := await cursor.fetch(self._batch_rows):
            self.rows += len(rows)
            yield encoder.encode_lines([row(*r) for r in rows])

    async def _copy_csv(self) -> AsyncIterator[bytes]:
        """COPY … TO STDOUT into a small queue: while the queue is full asyncpg stops reading the
        socket, so a slow client slows the server down instead of filling memory."""
        queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=4)
        self._copy = asyncio.create_task(self._conn.copy_from_query(
            self._sql, output=queue.put, format="csv", header=True, timeout=COPY_TIMEOUT_SECONDS))
        while True:
            getter = asyncio.ensure_future(queue.get())
            await asyncio.wait((getter, self._copy), return_when=asyncio.FIRST_COMPLETED)
            if getter.done():
                yield bytes(getter.result())  # asyncpg hands out bytearrays
                continue
            getter.cancel()
            while not queue.empty():
                yield bytes(queue.get_nowait())
            self.rows = int(self._copy.result().split()[-1])  # raises what COPY raised
            return

    async def aclose(self) -> None:
        conn, tx, chunks = self._conn, self._tx, self._chunks
        self._conn = self._chunks = None
        if chunks is not None:
            with contextlib.suppress(Exception):
                await chunks.aclose()
        if conn is not None:
            # Shielded: a cancelled request (client gone) must still return its connection.
            await asyncio.shield(_release(conn, tx, self._copy))
            log.info("export.closed", file=self.file, rows=self.rows)


async def _release(conn: asyncpg.Connection, tx: asyncpg.transaction.Transaction | None,
                   copy: asyncio.Task[str] | None) -> None:
    if copy is not None and not copy.done():
        copy.cancel()  # asyncpg asks the server to cancel the COPY
        await asyncio.gather(copy, return_exceptions=True)
    if tx is not None and not conn.is_closed():
        # A read-only snapshot has nothing to undo; a cancelled fetch may leave the connection
        # mid-protocol, and then the pool's reset on release discards it.
        with contextlib.suppress(Exception):
            await tx.rollback()
    await db.pool().release(conn)


async def open_export(file: str, *, with_contacts: bool, batch_rows: int | None = None) -> Export:
    """Start the export ``file`` (e.g. ``adoptions.ndjson``): snapshot and feed cursor are taken
    now, rows are read as the caller iterates. People's contact details only ``with_contacts``."""
    name, fmt = parse_file(file)
    export = Export(name, fmt, with_contacts=with_contacts, batch_rows=batch_rows or BATCH_ROWS)
    await export._start()
    log.info("export.started", file=export.file, feed_cursor=export.feed_cursor)
    return export
