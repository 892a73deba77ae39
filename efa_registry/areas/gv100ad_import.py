"""``efa-registry import gv100ad``: load a GV100AD edition all or nothing, idempotently, in one
transaction with its event, the note of the loaded edition and the rebuilt rollout figures."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections import Counter
from pathlib import Path

import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.areas.edition_repository import write_edition
from efa_registry.areas.gv100ad import Gv100ad, parse_gv100ad
from efa_registry.events import recorder
from efa_registry.kit import textfiles
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


def unpacked(data: bytes) -> bytes:
    """The edition as Destatis publishes it (a ZIP archive with the text file and its description)
    or as this package ships it (gzip), or the text file itself."""
    return textfiles.unpacked(data, "GV100AD", lambda name: name.endswith((".txt", ".asc")) and "gv100" in name)


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
