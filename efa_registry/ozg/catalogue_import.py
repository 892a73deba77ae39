"""Importers of the OZG catalogue files (layout of the KDN OZG-Datenbank NRW): the
OZG-Leistungen with their Lagen, and the LeiKa mapping.

Parsing (``catalogue_csv``) is pure. Writing compares the file with what is stored and upserts
only what changed, in set-based statements inside one transaction, with one event when anything
changed.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Mapping
from pathlib import Path

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.errors import ImportFailed
from efa_registry.events import recorder
from efa_registry.kit.importing import ImportSummary, Progress, no_progress
from efa_registry.ozg.catalogue_csv import Catalogue, LeikaFile, LeikaValues, decode, parse_leika, parse_ozg_leistungen
from efa_registry.search import indexing, lexicon
from efa_registry.search import repository as search
from efa_registry.sources.model import Origin
from efa_registry.sources.repository import record_source

log = structlog.get_logger(__name__)

Source = str | os.PathLike[str] | bytes


# --------------------------------------------------------------------------- comparing


class Changes(msgspec.Struct, frozen=True, kw_only=True):
    created: list[str]
    updated: list[str]
    unchanged: int


def diff(stored: Mapping[str, object], incoming: Mapping[str, object]) -> Changes:
    """Which incoming keys are new, which carry other values than stored, how many are equal."""
    created = [k for k in incoming if k not in stored]
    updated = [k for k in incoming if k in stored and stored[k] != incoming[k]]
    return Changes(created=created, updated=updated,
                   unchanged=len(incoming) - len(created) - len(updated))


# --------------------------------------------------------------------------- writing

# Both importers read the stored state, then write what differs: a second import running at
# the same time waits instead of racing on the same keys.
LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('efa_registry.ozg_catalogue'))"

STORED_LEISTUNGEN_SQL = """
SELECT o.ozg_id, o.name, o.themenfeld, array_remove(array_agg(ol.lage), NULL) AS lagen
FROM ozg_leistung o LEFT JOIN ozg_leistung_lage ol ON ol.ozg_leistung = o.ozg_id
WHERE o.ozg_id = ANY($1::varchar[])
GROUP BY o.ozg_id
"""

# An older or partial edition: what is stored but no longer listed is kept (solutions name it); the
# summary says how many, so that nobody takes the import for the whole catalogue.
NOT_LISTED_SQL = "SELECT count(*) FROM ozg_leistung WHERE ozg_id <> ALL($1::varchar[])"

UPSERT_LAGEN_SQL = """
INSERT INTO lage (key, name, themenfeld)
SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[])
ON CONFLICT (key) DO UPDATE SET name = excluded.name, themenfeld = excluded.themenfeld
"""

UPSERT_LEISTUNGEN_SQL = """
INSERT INTO ozg_leistung (ozg_id, name, themenfeld, updated_at)
SELECT t.*, now() FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) AS t
ON CONFLICT (ozg_id) DO UPDATE
SET name = excluded.name, themenfeld = excluded.themenfeld, updated_at = now()
"""

INSERT_LAGEN_OF_SQL = """
INSERT INTO ozg_leistung_lage (ozg_leistung, lage)
SELECT * FROM unnest($1::varchar[], $2::varchar[])
"""

STORED_LEIKA_SQL = """
SELECT leika_key, name, leika_type, legal_basis, sdg_relevant, ozg_leistung
FROM leika_entry WHERE leika_key = ANY($1::varchar[])
"""

UPSERT_LEIKA_SQL = """
INSERT INTO leika_entry (leika_key, name, leika_type, legal_basis, sdg_relevant, ozg_leistung)
SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::text[], $5::boolean[],
                     $6::varchar[])
ON CONFLICT (leika_key) DO UPDATE
SET name = excluded.name, leika_type = excluded.leika_type, legal_basis = excluded.legal_basis,
    sdg_relevant = excluded.sdg_relevant, ozg_leistung = excluded.ozg_leistung
"""


async def _unnest(conn: asyncpg.Connection, sql: str, rows: list[tuple[object, ...]]) -> None:
    """Run ``sql`` over the rows passed as one array per column: one round trip for all."""
    if rows:
        await conn.execute(sql, *(list(column) for column in zip(*rows, strict=True)))


async def _themenfelder(conn: asyncpg.Connection) -> dict[str, str]:
    rows = await conn.fetch("SELECT name, key FROM themenfeld")
    if not rows:
        raise ImportFailed("no Themenfelder in the database: load the reference facts with "
                           "`efa-registry seed` first", errors=[])
    return {r["name"]: r["key"] for r in rows}


async def _write_catalogue(conn: asyncpg.Connection, cat: Catalogue) -> tuple[Changes, Changes]:
    """Upsert what changed; returns the changes to Leistungen and to Lagen."""
    rows = await conn.fetch("SELECT key, name, themenfeld FROM lage WHERE key = ANY($1::varchar[])",
                            list(cat.lagen))
    lagen = diff({r["key"]: (r["name"], r["themenfeld"]) for r in rows}, cat.lagen)
    await _unnest(conn, UPSERT_LAGEN_SQL, [(k, *cat.lagen[k]) for k in lagen.created + lagen.updated])
    rows = await conn.fetch(STORED_LEISTUNGEN_SQL, list(cat.leistungen))
    stored = {r["ozg_id"]: (r["name"], r["themenfeld"], frozenset(r["lagen"])) for r in rows}
    leistungen = diff(stored, {i: (*v, cat.lagen_of[i]) for i, v in cat.leistungen.items()})
    changed = leistungen.created + leistungen.updated
    await _unnest(conn, UPSERT_LEISTUNGEN_SQL, [(i, *cat.leistungen[i]) for i in changed])
    # The file states each listed Leistung's complete set of Lagen, so that set is replaced.
    await conn.execute("DELETE FROM ozg_leistung_lage WHERE ozg_leistung = ANY($1::varchar[])",
                       changed)
    await _unnest(conn, INSERT_LAGEN_OF_SQL,
                  [(i, lage) for i in changed for lage in sorted(cat.lagen_of[i])])
    return leistungen, lagen


async def _write_leika(conn: asyncpg.Connection, leika: LeikaFile) -> tuple[Changes, set[str]]:
    """Upsert what changed; returns the changes and the OZG-IDs whose LeiKa entries changed."""
    rows = await conn.fetch(STORED_LEIKA_SQL, list(leika.entries))
    stored = {r["leika_key"]: LeikaValues(*tuple(r)[1:]) for r in rows}
    changes = diff(stored, leika.entries)
    changed = changes.created + changes.updated
    await _unnest(conn, UPSERT_LEIKA_SQL, [(k, *msgspec.structs.astuple(leika.entries[k])) for k in changed])
    touched = {leika.entries[k].ozg_leistung for k in changed} | {stored[k].ozg_leistung for k in changes.updated}
    return changes, {i for i in touched if i}


async def _reindex(conn: asyncpg.Connection, changed: list[str] | set[str]) -> None:
    """New search documents in the import's transaction: of every OZG-Leistung, since the
    vocabulary their compounds are split by is the catalogue's own and has just changed, and of
    the solutions implementing a changed one (their documents carry its name and LeiKa wording)."""
    started = time.perf_counter()
    vocab = await lexicon.catalogue(conn)
    documents = await indexing.refresh_ozg(conn, None, vocab)
    ids = await indexing.solutions_implementing(conn, sorted(changed))
    await indexing.refresh_solutions(conn, ids, vocab)
    await search.reindexed(conn, "catalogue")
    log.info("ozg.search_documents_built", ozg_leistungen=documents, solutions=len(ids),
             seconds=round(time.perf_counter() - started, 3))


# --------------------------------------------------------------------------- use cases


async def _read(source: Source, kind: str) -> tuple[str, str]:
    if isinstance(source, bytes):
        return decode(source), kind
    path = Path(source)
    return decode(await asyncio.to_thread(path.read_bytes)), f"{kind} {path.name}"


def _summary(label: str, counts: dict[str, int], changes: list[Changes],
             skipped: list[tuple[int, str]], started: float) -> ImportSummary:
    return ImportSummary(
        source=label, counts=counts, skipped=skipped,
        created=sum(len(c.created) for c in changes),
        updated=sum(len(c.updated) for c in changes),
        unchanged=sum(c.unchanged for c in changes),
        seconds=time.perf_counter() - started,
    )


async def _note_source(conn: asyncpg.Connection, kind: str, text: str, edition: str, origin: Origin) -> None:
    await record_source(conn, kind, edition=edition, sha256=hashlib.sha256(text.encode()).hexdigest(),
                        origin=origin)


async def _record(conn: asyncpg.Connection, actor: Actor | None, entity_id: str,
                  summary: ImportSummary, themenfelder: list[str]) -> None:
    """One event for the whole import, and none when it changed nothing (a re-run)."""
    if not (summary.created or summary.updated):
        return
    snapshot = {"source": summary.source, "counts": summary.counts, "created": summary.created,
                "updated": summary.updated, "unchanged": summary.unchanged,
                "skipped": len(summary.skipped)}
    await recorder.record(conn, actor=actor or Actor.cli(), entity_type="ozg_leistung",
                          entity_id=entity_id, action="imported", snapshot=snapshot,
                          themenfelder=themenfelder)


async def import_ozg_leistungen(
    path: Source, *, actor: Actor | None = None, progress: Progress = no_progress,
    origin: Origin = "import", edition: str | None = None,
) -> ImportSummary:
    """Load an ``ozg_leistungen.csv`` (a path or the file's bytes): all or nothing, idempotent.

    Themenfelder are matched by name (reference facts, loaded by ``efa-registry seed``);
    Lagen are created as needed; each listed Leistung gets exactly the Lagen the file names.
    """
    started = time.perf_counter()
    text, label = await _read(path, "ozg-leistungen")
    progress(0, 2)
    async with db.transaction() as conn:
        await conn.execute(LOCK_SQL)
        catalogue = parse_ozg_leistungen(text, await _themenfelder(conn))
        progress(1, 2)
        leistungen, lagen = await _write_catalogue(conn, catalogue)
        if leistungen.created or leistungen.updated or lagen.created or lagen.updated:
            await _reindex(conn, leistungen.created + leistungen.updated)
        counts = {"ozg_leistung": len(catalogue.leistungen), "lage": len(catalogue.lagen)}
        if not_listed := await conn.fetchval(NOT_LISTED_SQL, list(catalogue.leistungen)):
            counts["no_longer_listed"] = not_listed
        summary = _summary(label, counts, [leistungen, lagen], [], started)
        await _note_source(conn, "ozg-leistungen", text, edition or label, origin)
        touched = {catalogue.leistungen[i][1] for i in leistungen.created + leistungen.updated}
        await _record(conn, actor, "catalogue:ozg-leistungen", summary, sorted(touched))
    progress(2, 2)
    summary.seconds = time.perf_counter() - started
    log.info("ozg.leistungen_imported", source=label, created=summary.created,
             updated=summary.updated, unchanged=summary.unchanged,
             seconds=round(summary.seconds, 3), **counts)
    return summary


async def import_leika(
    path: Source, *, actor: Actor | None = None, progress: Progress = no_progress,
    origin: Origin = "import", edition: str | None = None,
) -> ImportSummary:
    """Load a ``leika_ozg_zuordnung.csv`` (a path or the file's bytes): all or nothing,
    idempotent. Rows without a 14-digit LeiKa key are listed in ``skipped``; every OZG-ID
    must already be in the catalogue (import the OZG-Leistungen first)."""
    started = time.perf_counter()
    text, label = await _read(path, "leika")
    progress(0, 2)
    async with db.transaction() as conn:
        await conn.execute(LOCK_SQL)
        known = {r["ozg_id"] for r in await conn.fetch("SELECT ozg_id FROM ozg_leistung")}
        leika = parse_leika(text, known)
        progress(1, 2)
        changes, touched = await _write_leika(conn, leika)
        if touched:
            await _reindex(conn, touched)
        counts = {"leika_entry": len(leika.entries)}
        summary = _summary(label, counts, [changes], leika.skipped, started)
        await _note_source(conn, "leika", text, edition or label, origin)
        await _record(conn, actor, "catalogue:leika", summary, [])
    progress(2, 2)
    summary.seconds = time.perf_counter() - started
    log.info("ozg.leika_imported", source=label, created=summary.created,
             updated=summary.updated, unchanged=summary.unchanged,
             skipped=len(summary.skipped), seconds=round(summary.seconds, 3), **counts)
    return summary
