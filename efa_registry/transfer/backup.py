"""Backup and restore: every table of the registry as one CSV file per table, from one snapshot.

``export_dir`` copies each table (found in the database catalog, so new tables need no code) with
``COPY … TO STDOUT`` inside one REPEATABLE READ READ ONLY transaction and writes ``manifest.json``
last: format version, applied migrations, columns and row counts per table, sequence values, and
the feed cursor and highest event ``tx_id`` of the snapshot. ``restore_dir`` loads such a directory
into an empty database migrated to the same schema, in foreign-key order (no superuser rights
needed), in one transaction, then sets the sequences so new events and transitions follow the
restored ones.

The event log's ``tx_id`` is what orders the change feed, and integrators keep cursors that contain
it (``events.feed``). A fresh server's transaction ids are small, so restored ``tx_id``s may lie
*ahead* of them: the feed would hold those events back as "still in flight" and sort new events
before them. By default (``feed="preserve"``) the restore first advances the server's transaction
counter past the backup's highest ``tx_id`` (about 120,000 ids per second), so every event, every
order and every saved cursor stays exactly as it was. Where that is too far (another epoch, a
busy old server), ``feed="rebase"`` renumbers the ``tx_id``s to small values in their original
order; the feed is the same, but cursors issued before the backup no longer fit (readers restart
from an export).
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path
from typing import Literal

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.db import migrate
from efa_registry.errors import Conflict, InvalidInput
from efa_registry.events.feed import current_cursor
from efa_registry.kit.importing import Progress, no_progress, seconds
from efa_registry.transfer import catalog

log = structlog.get_logger(__name__)

FORMAT = "efa-registry-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_XID_ADVANCE = 20_000_000  # ≈ 3 minutes of advancing the transaction counter
LONG = 24 * 3600  # seconds: big tables outlast asyncpg's default command timeout (60 s)
FIRST_NORMAL_XID = 3  # PostgreSQL's ids 0–2 are reserved; rebased tx_ids start here
FeedMode = Literal["preserve", "rebase"]


class TableEntry(msgspec.Struct, kw_only=True, rename="camel"):
    name: str
    columns: list[str]
    rows: int


class SequenceEntry(msgspec.Struct, kw_only=True, rename="camel"):
    name: str
    last_value: int
    is_called: bool


class Manifest(msgspec.Struct, kw_only=True, rename="camel"):
    """What ``manifest.json`` holds; tables are listed in the order they can be loaded."""

    format: str
    format_version: int
    created_at: dt.datetime
    server_version: str
    migrations: list[str]
    tables: list[TableEntry]
    sequences: list[SequenceEntry]
    feed_cursor: str
    max_tx_id: int | None


class BackupSummary(msgspec.Struct, kw_only=True):
    action: str
    directory: str
    tables: dict[str, int]
    seconds: float
    xids_advanced: int = 0
    rebased: bool = False

    def lines(self) -> list[str]:
        label = {"export": "Sicherung", "restore": "Wiederherstellung"}.get(self.action, self.action)
        tables = "1 Tabelle" if len(self.tables) == 1 else f"{len(self.tables)} Tabellen"
        out = [f"{label} {self.directory}: {tables}, {_zahl(sum(self.tables.values()))} "
               f"Zeilen in {seconds(self.seconds, 1)}"]
        if self.xids_advanced:
            out.append(f"  Transaktionsnummern um {_zahl(self.xids_advanced)} weitergezählt (Feed-Cursor "
                       "bleiben gültig)")
        if self.rebased:
            out.append("  Transaktionsnummern der Ereignisse neu vergeben: Feed-Cursor von vor der Sicherung "
                       "gelten nicht mehr")
        return out + [f"  {name}: {_zahl(rows)}" for name, rows in self.tables.items()]


def _zahl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# --------------------------------------------------------------------------- export


async def export_dir(path: str | Path, *, progress: Progress = no_progress) -> BackupSummary:
    """Write every table of the registry to ``path`` (created; must be empty) from one snapshot."""
    directory = _empty_directory(Path(path))
    started = time.perf_counter()
    async with db.connection() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        feed_cursor = await current_cursor(conn)  # the first statement fixes the snapshot
        tables = await catalog.schema_tables(conn)
        entries = []
        for done, (name, columns) in enumerate(tables.items(), start=1):
            status = await conn.copy_from_table(name, schema_name="public", columns=columns,
                                                output=directory / f"{name}.csv", format="csv", header=True,
                                                timeout=LONG)
            entries.append(TableEntry(name=name, columns=columns, rows=int(status.split()[-1])))
            progress(done, len(tables))
        max_tx_id = await conn.fetchval("SELECT max(tx_id)::text::bigint FROM event")
        # Read last: never behind the rows copied above.
        sequences = [SequenceEntry(name=n, last_value=v, is_called=c) for n, v, c in await catalog.sequences(conn)]
        server_version = await conn.fetchval("SHOW server_version")
    manifest = Manifest(format=FORMAT, format_version=FORMAT_VERSION, created_at=dt.datetime.now(dt.UTC),
                        server_version=server_version, migrations=await migrate.applied(), tables=entries,
                        sequences=sequences, feed_cursor=feed_cursor, max_tx_id=max_tx_id)
    _write_manifest(directory, manifest)
    summary = BackupSummary(action="export", directory=str(directory), tables={t.name: t.rows for t in entries},
                            seconds=time.perf_counter() - started)
    log.info("backup.exported", directory=str(directory), tables=len(entries), rows=sum(summary.tables.values()))
    return summary


def _empty_directory(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise InvalidInput(f"{directory} is not empty: a backup needs a directory of its own", field="directory")
    return directory


def _write_manifest(directory: Path, manifest: Manifest) -> None:
    # Written last and renamed into place: a directory with a manifest holds a complete backup.
    partial = directory / (MANIFEST + ".partial")
    partial.write_bytes(msgspec.json.format(msgspec.json.encode(manifest), indent=2))
    partial.rename(directory / MANIFEST)


# --------------------------------------------------------------------------- restore


def read_manifest(directory: Path) -> Manifest:
    try:
        manifest = msgspec.json.decode((directory / MANIFEST).read_bytes(), type=Manifest)
    except FileNotFoundError as exc:
        raise InvalidInput(f"no {MANIFEST} in {directory}: not a (complete) backup", field=MANIFEST) from exc
    except msgspec.DecodeError as exc:
        raise InvalidInput(f"{MANIFEST} is malformed: {exc}", field=MANIFEST) from exc
    if (manifest.format, manifest.format_version) != (FORMAT, FORMAT_VERSION):
        raise InvalidInput(f"unsupported backup format {manifest.format} {manifest.format_version}", field=MANIFEST)
    for table in manifest.tables:
        file = directory / f"{table.name}.csv"
        try:
            with file.open(newline="", encoding="utf-8") as handle:
                header = next(csv.reader(handle), [])
        except FileNotFoundError as exc:
            raise InvalidInput(f"{file.name} is missing from the backup", field=file.name) from exc
        if header != table.columns:
            raise InvalidInput(f"{file.name}: header does not match the manifest", field=file.name)
    return manifest


async def _check_target(conn: asyncpg.Connection, manifest: Manifest) -> dict[str, list[str]]:
    applied = await migrate.applied()
    if sorted(applied) != sorted(manifest.migrations):
        raise Conflict(f"the database has migrations {sorted(applied)}, the backup {sorted(manifest.migrations)}:"
                       " migrate both to the same schema first")
    tables = await catalog.schema_tables(conn)
    expected = {t.name: t.columns for t in manifest.tables}
    differing = sorted(n for n in expected.keys() | tables.keys() if expected.get(n) != tables.get(n))
    if differing:
        raise Conflict(f"the backup's tables differ from the database's: {', '.join(differing)}")
    probe = " UNION ALL ".join(f"(SELECT '{n}' FROM public.{catalog.quote(n)} LIMIT 1)" for n in tables)
    filled = [r[0] for r in await conn.fetch(probe)] if tables else []
    if filled:
        raise Conflict(f"the database is not empty ({', '.join(filled)} hold rows): restore needs an empty,"
                       " migrated database")
    return tables


async def restore_dir(
    path: str | Path, *, progress: Progress = no_progress, feed: FeedMode = "preserve",
    max_xid_advance: int = MAX_XID_ADVANCE,
) -> BackupSummary:
    """Load the backup in ``path`` into this (empty, equally migrated) database, all or nothing."""
    directory = Path(path)
    manifest = read_manifest(directory)
    started = time.perf_counter()
    total, done = sum(t.rows for t in manifest.tables), 0
    async with db.connection() as conn:
        tables = await _check_target(conn, manifest)
        advanced = await _advance_xids(conn, manifest.max_tx_id, max_xid_advance) if feed == "preserve" else 0
        by_name = {t.name: t for t in manifest.tables}
        async with conn.transaction():
            for name in tables:  # the target's foreign-key order
                entry = by_name[name]
                status = await conn.copy_to_table(name, schema_name="public", source=directory / f"{name}.csv",
                                                  columns=entry.columns, format="csv", header=True,
                                                  timeout=LONG)
                if int(status.split()[-1]) != entry.rows:
                    raise InvalidInput(f"{name}.csv holds {status.split()[-1]} rows, the manifest {entry.rows}",
                                       field=f"{name}.csv")
                done += entry.rows
                progress(done, total)
            await (_rebase_tx_ids(conn) if feed == "rebase" else _check_feed_horizon(conn))
            for seq in manifest.sequences:
                await conn.execute("SELECT setval($1::regclass, $2, $3)", f"public.{catalog.quote(seq.name)}",
                                   seq.last_value, seq.is_called)
        await conn.execute("ANALYZE", timeout=LONG)  # fresh statistics: the planner sees the loaded tables as they are
    summary = BackupSummary(action="restore", directory=str(directory),
                            tables={t.name: t.rows for t in manifest.tables}, seconds=time.perf_counter() - started,
                            xids_advanced=advanced, rebased=feed == "rebase")
    log.info("backup.restored", directory=str(directory), rows=total, xids_advanced=advanced, feed=feed)
    return summary


# One subtransaction per id: it takes an id by writing, then rolls back (releasing its locks).
BURN_XIDS = """
DO $$
BEGIN
    FOR i IN 1..{count} LOOP
        BEGIN
            INSERT INTO pg_temp.efa_xid_burn VALUES (1);
            RAISE EXCEPTION USING ERRCODE = 'P0001';
        EXCEPTION WHEN SQLSTATE 'P0001' THEN NULL;
        END;
    END LOOP;
END $$
"""


async def _advance_xids(conn: asyncpg.Connection, max_tx_id: int | None, limit: int) -> int:
    """Move this server's transaction counter past ``max_tx_id``; returns how many ids it took."""
    if max_tx_id is None:
        return 0
    current = await conn.fetchval("SELECT pg_current_xact_id()::text::bigint")
    needed = max_tx_id - current + 1
    if needed <= 0:
        return 0
    if needed > limit:
        raise Conflict(f"the backup's event tx_ids run {needed:,} transactions ahead of this server (limit "
                       f"{limit:,}): restore with feed='rebase' (integrators' saved feed cursors become void)")
    log.info("backup.advancing_xids", count=needed)
    await conn.execute("CREATE TEMP TABLE IF NOT EXISTS efa_xid_burn (x int)")
    for start in range(0, needed, 1_000_000):
        await conn.execute(BURN_XIDS.format(count=min(1_000_000, needed - start)), timeout=LONG)
    await conn.execute("DROP TABLE pg_temp.efa_xid_burn")
    return needed


async def _check_feed_horizon(conn: asyncpg.Connection) -> None:
    """Every restored event must sort before this (and so every later) transaction."""
    if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM event WHERE tx_id >= pg_current_xact_id())"):
        raise Conflict("restored event tx_ids lie ahead of this server's transactions (the manifest's maxTxId is"
                       " wrong?): restore with feed='rebase'")


# Order-preserving and minimal: a new value only where the seq order within the feed order drops,
# so usually every restored event gets the same small tx_id and (tx_id, seq) order is unchanged.
REBASE = """
WITH ordered AS (
    SELECT seq, tx_id, seq < lag(seq) OVER (ORDER BY tx_id, seq) AS inversion FROM event
), runs AS (
    SELECT seq, count(*) FILTER (WHERE inversion) OVER (ORDER BY tx_id, seq) AS run FROM ordered
)
UPDATE event e SET tx_id = ($1 + r.run)::text::xid8 FROM runs r WHERE r.seq = e.seq
"""


async def _rebase_tx_ids(conn: asyncpg.Connection) -> None:
    await conn.execute(REBASE, FIRST_NORMAL_XID, timeout=LONG)
    horizon = "pg_snapshot_xmin(pg_current_snapshot())"
    if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM event WHERE tx_id >= {horizon})"):
        raise Conflict("too many out-of-order commits to renumber below this server's transaction ids")
