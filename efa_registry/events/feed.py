"""The change feed: gap-free, repeat-free reading of the event log.

Feed order is ``(tx_id, seq)``: the writing transaction's id, then the sequence number. A read
hands out only events whose ``tx_id`` lies below the *horizon*, the xmin of the reading
statement's snapshot: every transaction below xmin has ended, and any transaction that can still
commit has an id ≥ xmin, so it sorts after everything handed out. A plain ``seq > cursor`` would
skip an event whose transaction took its sequence number early and committed late.

Cursors are opaque (base64url of JSON):

* ``[tx_id, seq]`` — everything at or before this position in feed order has been read;
* ``[tx_id, seq, "xmin:xmax:xip"]`` — a *snapshot cursor*: in addition, events whose
  transaction is visible in that snapshot were already seen (they were in an export taken in
  it) and are left out. It turns back into a plain cursor once the reader has passed the
  snapshot's xmax. ``current_cursor`` makes one; ``read_events`` reads from both kinds.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
import time
from typing import Any, NamedTuple

import asyncpg
import msgspec

from efa_registry import db
from efa_registry.errors import InvalidParameter
from efa_registry.events import repository
from efa_registry.events.model import Audience, Event, FeedFilters

MAX_WAIT_SECONDS = 30
POLL_SECONDS = 0.2
_URLSAFE = bytes.maketrans(b"+/", b"-_")
_SNAPSHOT = re.compile(r"^(\d+):(\d+):((?:\d+)(?:,\d+)*)?$")


class Position(NamedTuple):
    """A place in feed order, optionally with the snapshot whose visible events are skipped."""

    tx_id: int
    seq: int
    snapshot: str | None = None

    def normalised(self) -> Position:
        # Past the snapshot's xmax every event is invisible in it: the snapshot says nothing more.
        if self.snapshot is not None and self.tx_id >= _snapshot_xmax(self.snapshot):
            return Position(self.tx_id, self.seq)
        return self

    def encode(self) -> str:
        p = self.normalised()
        if p.snapshot is None:
            # Every event carries its cursor: the plain form is built directly, which keeps a
            # 1000-event page from spending a third of its time here.
            raw = binascii.b2a_base64(f"[{p.tx_id},{p.seq}]".encode(), newline=False)
            return raw.translate(_URLSAFE).rstrip(b"=").decode()
        return base64.urlsafe_b64encode(msgspec.json.encode([p.tx_id, p.seq, p.snapshot])).decode().rstrip("=")


START = Position(0, 0)


def decode_position(cursor: str | None, *, field: str = "after") -> Position:
    """The position a cursor names; a malformed or tampered cursor is an error naming ``field``."""
    if not cursor:
        return START
    try:
        key = msgspec.json.decode(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, msgspec.DecodeError, ValueError) as exc:
        raise InvalidParameter("malformed cursor", field=field) from exc
    if not _valid(key):
        raise InvalidParameter("cursor does not belong to the event feed", field=field)
    return Position(*key).normalised()


def _valid(key: Any) -> bool:
    if not isinstance(key, list) or len(key) not in (2, 3):
        return False
    ints = all(isinstance(k, int) and not isinstance(k, bool) and 0 <= k < 2**63 for k in key[:2])
    return ints and (len(key) == 2 or (isinstance(key[2], str) and _SNAPSHOT.match(key[2]) is not None))


def _snapshot_xmax(snapshot: str) -> int:
    return int(snapshot.split(":")[1])


async def current_cursor(conn: asyncpg.Connection) -> str:
    """The cursor of "now" as seen by ``conn``'s snapshot: reading on from it yields exactly the
    events *not* visible in that snapshot.

    Inside a REPEATABLE READ transaction that is the transaction's snapshot, so an export taken
    in it and the feed continued from this cursor neither repeat nor miss an event. Outside, it
    is the snapshot of this one statement (the feed's head).
    """
    text = await repository.snapshot_text(conn)
    xmin, xmax, xip = _SNAPSHOT.match(text).groups()
    if xmin == xmax and not xip:
        return Position(int(xmin), 0).encode()
    return Position(int(xmin), 0, text).encode()


async def read_events(
    conn: asyncpg.Connection, *, after: str | None, limit: int, filters: FeedFilters = FeedFilters(),
    audience: Audience = "internal",
) -> tuple[list[Event], str]:
    """Up to ``limit`` events after the cursor ``after`` (None: from the start), in feed order,
    and the cursor to continue from.

    Fewer than ``limit`` events means the reader has caught up; the returned cursor then moves
    past everything below the horizon, so a filtered reader does not rescan what it skipped.
    ``audience`` cuts private entity types and contact fields (see ``events.model``).
    """
    position = decode_position(after)
    rows = await repository.read_after(conn, position.tx_id, position.seq, limit=limit, filters=filters,
                                       audience=audience, invisible_in=position.snapshot)
    events = [event_from_row(r, position.snapshot) for r in rows if r["seq"] is not None]
    if len(events) == limit:
        last = rows[-1]
        return events, Position(last["tx_id"], last["seq"], position.snapshot).encode()
    # Caught up: everything below the horizon has been read (a reader's own earlier cursor may
    # lie beyond it when it came from an older snapshot, so never move backwards).
    caught_up = max(position[:2], (rows[0]["horizon"], 0))
    return events, Position(*caught_up, position.snapshot).encode()


class EncodedPage(NamedTuple):
    """A feed page as the wire carries it: the events as one JSON array, how many, and the cursor."""

    items: bytes
    count: int
    cursor: str


async def read_events_json(
    conn: asyncpg.Connection, *, after: str | None, limit: int, filters: FeedFilters = FeedFilters(),
    audience: Audience = "internal",
) -> EncodedPage:
    """``read_events`` with the events already encoded (each envelope written with its event, the
    page joined by PostgreSQL in one statement) as the JSON array the API sends: the same events,
    fields and cursors, without a Python object per event. A snapshot cursor (after an export)
    takes the object path and is encoded here."""
    position = decode_position(after)
    if position.snapshot is not None:
        events, cursor = await read_events(conn, after=after, limit=limit, filters=filters, audience=audience)
        return EncodedPage(msgspec.json.encode(events), len(events), cursor)
    row = await repository.read_after_json(conn, position.tx_id, position.seq, limit=limit, filters=filters,
                                           audience=audience)
    if row["n"] == limit:
        cursor = Position(row["last_tx"], row["last_seq"]).encode()
    else:
        cursor = Position(*max(position[:2], (row["horizon"], 0))).encode()  # caught up, as read_events
    return EncodedPage(f"[{row['items']}]".encode(), row["n"], cursor)


async def poll_events_json(
    *, after: str | None, limit: int, filters: FeedFilters = FeedFilters(), audience: Audience = "internal",
    wait: float = 0,
) -> EncodedPage:
    """``poll_events`` returning ``read_events_json`` pages."""
    deadline = time.monotonic() + min(max(wait, 0), MAX_WAIT_SECONDS)
    while True:
        async with db.connection() as conn:
            page = await read_events_json(conn, after=after, limit=limit, filters=filters, audience=audience)
        remaining = deadline - time.monotonic()
        if page.count or remaining <= 0:
            return page
        after = page.cursor
        await asyncio.sleep(min(POLL_SECONDS, remaining))


async def recent_events(
    *, limit: int, filters: FeedFilters = FeedFilters(), audience: Audience = "public"
) -> list[Event]:
    """The latest ``limit`` events (newest first) for the human-readable feeds."""
    async with db.connection() as conn:
        rows = await repository.recent(conn, limit=limit, filters=filters, audience=audience)
    return [event_from_row(r, None) for r in rows]


async def poll_events(
    *, after: str | None, limit: int, filters: FeedFilters = FeedFilters(), audience: Audience = "internal",
    wait: float = 0,
) -> tuple[list[Event], str]:
    """``read_events`` on a pooled connection; with ``wait`` > 0 (long poll, at most
    MAX_WAIT_SECONDS) an empty read is retried every POLL_SECONDS until events arrive or time
    is up. Polling holds no connection between tries, so many waiting readers cost no pool."""
    deadline = time.monotonic() + min(max(wait, 0), MAX_WAIT_SECONDS)
    while True:
        async with db.connection() as conn:
            events, cursor = await read_events(conn, after=after, limit=limit, filters=filters, audience=audience)
        remaining = deadline - time.monotonic()
        if events or remaining <= 0:
            return events, cursor
        after = cursor
        await asyncio.sleep(min(POLL_SECONDS, remaining))


async def head_cursor() -> str:
    """The feed's head: a reader starting here gets only events committed from now on."""
    async with db.connection() as conn:
        return await current_cursor(conn)


def event_from_row(row: asyncpg.Record, snapshot: str | None = None) -> Event:
    """An Event from a row with the event columns (``snapshot``: the reading cursor's, if any)."""
    body = row["snapshot"]
    return Event(
        seq=row["seq"], cursor=Position(row["tx_id"], row["seq"], snapshot).encode(),
        occurred_at=row["occurred_at"], actor=row["actor"], request_id=row["request_id"],
        entity_type=row["entity_type"], entity_id=row["entity_id"], action=row["action"], version=row["version"],
        solution_id=row["solution_id"], land=row["land"], themenfelder=list(row["themenfelder"] or ()),
        snapshot=msgspec.Raw(body.encode()) if body is not None else None,
    )

