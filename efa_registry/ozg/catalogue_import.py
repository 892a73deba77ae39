"""Importers of the OZG catalogue files (layout of the KDN OZG-Datenbank NRW): the
OZG-Leistungen with their Lagen, and the LeiKa mapping.

Parsing is pure (text in, rows or ``ImportFailed`` out), so its rules are unit-tested without a
database. Writing compares the file with what is stored and upserts only what changed, in
set-based statements inside one transaction, with one event when anything changed.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import time
import unicodedata
from collections.abc import Collection, Mapping
from pathlib import Path

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.errors import ImportFailed
from efa_registry.events import recorder
from efa_registry.importing import ImportSummary, Progress, no_progress

log = structlog.get_logger(__name__)

Source = str | os.PathLike[str] | bytes

LEISTUNGEN_COLUMNS = ("ozg_id", "ozg_leistung", "lage", "themenfeld")
LEIKA_COLUMNS = ("leika_schluessel", "leika_leistung", "leika_typisierung", "rechtsgrundlage",
                 "ozg_id", "sdg1_relevanz", "sdg2_relevanz")
OZG_ID = re.compile(r"^[0-9]{1,6}$")
LEIKA_KEY = re.compile(r"^[0-9]{14}$")
LEIKA_TYPE = re.compile(r"^[0-9][0-9a-z/, ]{0,19}$")
FLAGS = {"": None, "0": False, "1": True}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(name: str) -> str:
    """The key of a Themenfeld or Lage: ``Unternehmensführung & -entwicklung`` →
    ``unternehmensfuehrung-entwicklung`` (umlauts transliterated, punctuation dropped)."""
    text = name.lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# --------------------------------------------------------------------------- reading CSV


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, what spreadsheet exports produce."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFailed("the file is neither UTF-8 nor Windows-1252", errors=[]) from exc


def read_rows(text: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, stripped values by column) per record; blank lines are passed over.

    A missing column or a record with the wrong number of fields raises ``ImportFailed``.
    Semicolons are accepted as the separator too, as German spreadsheet exports use them.
    """
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed("not an OZG catalogue file of this kind",
                           errors=[(1, f"missing columns: {', '.join(missing)}")])
    rows, errors = [], []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            errors.append((reader.line_num, f"{len(fields)} fields, the header has {len(header)}"))
            continue
        rows.append((reader.line_num, {h: f.strip() for h, f in zip(header, fields, strict=True)}))
    _fail_if(errors, "wrong number of fields")
    return rows


def _fail_if(errors: list[tuple[int, str]], what: str) -> None:
    if errors:
        errors.sort()
        raise ImportFailed(f"{what}: {len(errors)} malformed rows, nothing imported", errors=errors)


# --------------------------------------------------------------------------- OZG-Leistungen


class Catalogue(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed OZG-Leistungen file: values keyed as the tables key them."""

    leistungen: dict[str, tuple[str, str]]  # ozg_id → (name, Themenfeld key)
    lagen: dict[str, tuple[str, str]]  # Lage key → (name, Themenfeld key)
    lagen_of: dict[str, frozenset[str]]  # ozg_id → Lage keys (n:m)


class _CatalogueBuilder:
    """Collects rows. A Leistung listed on several rows (one per Lage, n:m) must keep its name
    and takes its Themenfeld from its first row: a row's Themenfeld is that of its Lage."""

    def __init__(self) -> None:
        self.leistungen: dict[str, tuple[str, str]] = {}
        self.lagen: dict[str, tuple[str, str]] = {}
        self.lagen_of: dict[str, set[str]] = {}
        self.leistung_line: dict[str, int] = {}
        self.lage_line: dict[str, int] = {}

    def add(self, line: int, ozg_id: str, name: str, lage: str, themenfeld: str) -> None:
        first = self.leistung_line.setdefault(ozg_id, line)
        known = self.leistungen.setdefault(ozg_id, (name, themenfeld))
        if known[0] != name:
            raise ValueError(f"OZG-ID {ozg_id} is named {known[0]!r} on line {first}")
        lagen = self.lagen_of.setdefault(ozg_id, set())
        if lage:
            lagen.add(self._lage(line, lage, themenfeld))

    def _lage(self, line: int, lage: str, themenfeld: str) -> str:
        key = slug(lage)
        if not key or len(lage) > 200:
            raise ValueError(f"Lage {lage!r} is not a usable name")
        first = self.lage_line.setdefault(key, line)
        stored = self.lagen.setdefault(key, (lage, themenfeld))
        if stored[0] != lage:
            raise ValueError(f"Lage {lage!r} has the same key {key!r} as {stored[0]!r} "
                             f"on line {first}")
        if stored[1] != themenfeld:
            raise ValueError(f"Lage {lage!r} is in Themenfeld {stored[1]!r} on line {first}, "
                             f"here in {themenfeld!r} (a Lage has one Themenfeld)")
        return key

    def result(self) -> Catalogue:
        return Catalogue(leistungen=self.leistungen, lagen=self.lagen,
                         lagen_of={k: frozenset(v) for k, v in self.lagen_of.items()})


def parse_ozg_leistungen(text: str, themenfelder: Mapping[str, str]) -> Catalogue:
    """Parse an ``ozg_leistungen.csv``; ``themenfelder`` maps each Themenfeld name to its key.

    Every malformed row is reported, with its line number, in one ``ImportFailed``.
    """
    builder, errors = _CatalogueBuilder(), []
    for line, row in read_rows(text, LEISTUNGEN_COLUMNS):
        ozg_id, name, themenfeld = row["ozg_id"], row["ozg_leistung"], row["themenfeld"]
        if not OZG_ID.match(ozg_id):
            errors.append((line, f"OZG-ID {ozg_id!r} is not numeric (1–6 digits)"))
        elif not name or len(name) > 300:
            errors.append((line, "ozg_leistung is empty or longer than 300 characters"))
        elif themenfeld not in themenfelder:
            errors.append((line, f"unknown Themenfeld {themenfeld!r}"))
        else:
            try:
                builder.add(line, ozg_id, name, row["lage"], themenfelder[themenfeld])
            except ValueError as exc:
                errors.append((line, str(exc)))
    _fail_if(errors, "OZG-Leistungen")
    return builder.result()


# --------------------------------------------------------------------------- LeiKa


class LeikaValues(msgspec.Struct, frozen=True):
    """A LeiKa entry's columns after ``leika_key``, in table order."""

    name: str
    leika_type: str | None
    legal_basis: str | None
    sdg_relevant: bool | None
    ozg_leistung: str | None


class LeikaFile(msgspec.Struct, frozen=True, kw_only=True):
    entries: dict[str, LeikaValues]
    skipped: list[tuple[int, str]]


def _leika_values(row: dict[str, str], known_ozg_ids: Collection[str]) -> LeikaValues:
    """The row's values; ValueError names what is wrong."""
    name, kind, ozg_id = row["leika_leistung"], row["leika_typisierung"], row["ozg_id"]
    if not name or len(name) > 500:
        raise ValueError("leika_leistung is empty or longer than 500 characters")
    if kind and not LEIKA_TYPE.match(kind):
        raise ValueError(f"leika_typisierung {kind!r} is not a LeiKa-Typ such as '2/3'")
    if ozg_id and not OZG_ID.match(ozg_id):
        raise ValueError(f"OZG-ID {ozg_id!r} is not numeric (1–6 digits)")
    if ozg_id and ozg_id not in known_ozg_ids:
        raise ValueError(f"OZG-ID {ozg_id} is not in the catalogue (import the OZG-Leistungen first)")
    flags = (row["sdg1_relevanz"], row["sdg2_relevanz"])
    if any(f not in FLAGS for f in flags):
        raise ValueError(f"sdg1_relevanz/sdg2_relevanz must be 0, 1 or empty, not {flags}")
    sdg = None if flags == ("", "") else any(FLAGS[f] for f in flags)
    return LeikaValues(name=name, leika_type=kind or None, legal_basis=row["rechtsgrundlage"] or None,
                       sdg_relevant=sdg, ozg_leistung=ozg_id or None)


def parse_leika(text: str, known_ozg_ids: Collection[str]) -> LeikaFile:
    """Parse a ``leika_ozg_zuordnung.csv``. Rows without a 14-digit LeiKa key (``nicht im
    LeiKa``) are reported as skipped, never guessed; malformed rows fail the whole file."""
    entries: dict[str, LeikaValues] = {}
    first_line: dict[str, int] = {}
    skipped, errors = [], []
    for line, row in read_rows(text, LEIKA_COLUMNS):
        key = row["leika_schluessel"]
        if not LEIKA_KEY.match(key):
            skipped.append((line, f"no 14-digit LeiKa key ({key or 'empty'!r})"))
            continue
        if key in first_line:
            errors.append((line, f"LeiKa key {key} already on line {first_line[key]}"))
            continue
        first_line[key] = line
        try:
            entries[key] = _leika_values(row, known_ozg_ids)
        except ValueError as exc:
            errors.append((line, str(exc)))
    _fail_if(errors, "LeiKa")
    return LeikaFile(entries=entries, skipped=skipped)


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


async def _write_leika(conn: asyncpg.Connection, leika: LeikaFile) -> Changes:
    rows = await conn.fetch(STORED_LEIKA_SQL, list(leika.entries))
    stored = {r["leika_key"]: LeikaValues(*tuple(r)[1:]) for r in rows}
    changes = diff(stored, leika.entries)
    await _unnest(conn, UPSERT_LEIKA_SQL, [
        (k, *msgspec.structs.astuple(leika.entries[k])) for k in changes.created + changes.updated
    ])
    return changes


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
    path: Source, *, actor: Actor | None = None, progress: Progress = no_progress
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
        counts = {"ozg_leistung": len(catalogue.leistungen), "lage": len(catalogue.lagen)}
        summary = _summary(label, counts, [leistungen, lagen], [], started)
        touched = {catalogue.leistungen[i][1] for i in leistungen.created + leistungen.updated}
        await _record(conn, actor, "catalogue:ozg-leistungen", summary, sorted(touched))
    progress(2, 2)
    summary.seconds = time.perf_counter() - started
    log.info("ozg.leistungen_imported", source=label, created=summary.created,
             updated=summary.updated, unchanged=summary.unchanged,
             seconds=round(summary.seconds, 3), **counts)
    return summary


async def import_leika(
    path: Source, *, actor: Actor | None = None, progress: Progress = no_progress
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
        changes = await _write_leika(conn, leika)
        counts = {"leika_entry": len(leika.entries)}
        summary = _summary(label, counts, [changes], leika.skipped, started)
        await _record(conn, actor, "catalogue:leika", summary, [])
    progress(2, 2)
    summary.seconds = time.perf_counter() - started
    log.info("ozg.leika_imported", source=label, created=summary.created,
             updated=summary.updated, unchanged=summary.unchanged,
             skipped=len(summary.skipped), seconds=round(summary.seconds, 3), **counts)
    return summary
