"""``efa-registry import gv100ad``: load a GV100AD edition all or nothing, idempotently, in one
transaction with its event, the note of the loaded edition and the rebuilt rollout figures."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import time
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.areas.edition_repository import write_edition
from efa_registry.areas.gv100ad import Gv100ad, parse_gv100ad
from efa_registry.errors import ImportFailed
from efa_registry.events import recorder
from efa_registry.kit.importing import ImportSummary, Progress, no_progress
from efa_registry.sources.model import Origin
from efa_registry.sources.repository import record_source
from efa_registry.types import AREA_LEVELS

log = structlog.get_logger(__name__)


async def _read(source: str | os.PathLike[str] | bytes) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return await asyncio.to_thread(unpacked, source), "gv100ad"
    path = Path(source)
    return await asyncio.to_thread(lambda: unpacked(path.read_bytes())), f"gv100ad {path.name}"


# An edition is 3.5 MB; what unpacks to far more is no edition (or a "zip bomb").
MAX_UNPACKED = 100 * 1024 * 1024
_DAMAGED = (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError)


def unpacked(data: bytes) -> bytes:
    """The edition as Destatis publishes it (a ZIP archive with the text file and its description)
    or as this package ships it (gzip), or the text file itself."""
    if data.startswith(b"\x1f\x8b"):
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            text = _bounded(inflater.decompress(data, MAX_UNPACKED + 1))
            if not inflater.eof:
                raise EOFError("the file ends before its compressed stream")
        except _DAMAGED as exc:
            raise ImportFailed("GV100AD: the gzip file is damaged", errors=[(0, str(exc))]) from exc
        return text
    if not data.startswith(b"PK\x03\x04"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts = [n for n in archive.namelist() if n.lower().endswith((".txt", ".asc")) and "gv100" in n.lower()]
            if len(texts) != 1:
                raise ImportFailed("GV100AD: the archive must hold exactly one GV100AD text file",
                                   errors=[(0, f"found: {', '.join(archive.namelist()) or 'nothing'}")])
            with archive.open(texts[0]) as member:
                return _bounded(member.read(MAX_UNPACKED + 1))
    except _DAMAGED as exc:
        raise ImportFailed("GV100AD: the ZIP archive is damaged", errors=[(0, str(exc))]) from exc


def _bounded(text: bytes) -> bytes:
    if len(text) > MAX_UNPACKED:
        raise ImportFailed(f"GV100AD: the archive unpacks to more than {MAX_UNPACKED // 2**20} MB; no edition is "
                           "that large", errors=[])
    return text


def _summary(label: str, edition: Gv100ad, written: dict[str, int]) -> ImportSummary:
    per_level = Counter(row.level for row in edition.rows)
    counts = {level: per_level.get(level, 0) for level in AREA_LEVELS}
    counts["no_longer_listed"] = written["retired"]
    created, updated = written["created"], written["updated"]
    return ImportSummary(
        source=label, counts=counts, created=created, updated=updated,
        unchanged=len(edition.rows) - created - updated,
        edition=edition.gebietsstand.isoformat(),
    )


async def import_gv100ad(
    source: str | os.PathLike[str] | bytes,
    *,
    actor: Actor | None = None,
    progress: Progress = no_progress,
    origin: Origin = "import",
) -> ImportSummary:
    """Load a GV100AD edition (a path or the file's bytes): all or nothing, idempotent.

    Areas the edition no longer lists are kept with ``current = false``. One ``area``
    event records the import when it changed anything. ``progress`` is called with
    (1, 3) parsed, (2, 3) staged, (3, 3) written.
    """
    started = time.perf_counter()
    data, label = await _read(source)
    edition = parse_gv100ad(data)
    progress(1, 3)
    async with db.transaction() as conn:
        written = await write_edition(conn, edition.rows, progress)
        summary = _summary(label, edition, written)
        await record_source(conn, "gv100ad", edition=edition.gebietsstand.isoformat(),
                            sha256=hashlib.sha256(data).hexdigest(), origin=origin)
        if summary.created or summary.updated or written["retired"]:
            await recorder.record(
                conn, actor=actor or Actor.system("import:gv100ad"), entity_type="area",
                entity_id=f"gv100ad:{summary.edition}", action="imported",
                snapshot=_snapshot(summary),
            )
            # Eligible units and populations changed: the rollout figures follow in this transaction.
            from efa_registry.rollout.refresh import rebuild_all

            await rebuild_all(conn)
    progress(3, 3)
    summary.seconds = time.perf_counter() - started
    log.info("gv100ad.imported", edition=summary.edition, created=summary.created,
             updated=summary.updated, unchanged=summary.unchanged,
             no_longer_listed=written["retired"], seconds=round(summary.seconds, 3))
    return summary


def _snapshot(summary: ImportSummary) -> dict[str, object]:
    return {
        "edition": summary.edition, "counts": summary.counts, "created": summary.created,
        "updated": summary.updated, "unchanged": summary.unchanged,
    }
