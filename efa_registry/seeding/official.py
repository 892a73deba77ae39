"""The official data the package ships (``seed/reference/*.gz``): the GV100AD edition of
30.11.2025 and the OZG catalogue with its LeiKa mapping, loaded by every ``seed``.

Cheap when nothing changed: a source whose shipped bytes are already loaded (same SHA-256) is
skipped without parsing. An operator's own data wins: a newer GV100AD edition imported with
``efa-registry import gv100ad`` is never replaced by the older shipped one, and neither is an
OZG catalogue or LeiKa mapping the operator imported.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from pathlib import Path

import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.areas.gv100ad import parse_gebietsstand
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.kit.importing import ImportSummary
from efa_registry.ozg.catalogue_csv import decode
from efa_registry.ozg.catalogue_import import import_leika, import_ozg_leistungen
from efa_registry.sources import repository

log = structlog.get_logger(__name__)

# (kind, file in seed/reference, edition label for sources without a date of their own)
SHIPPED = (
    ("gv100ad", "GV100AD_30112025.txt.gz", None),
    ("ozg-leistungen", "ozg_leistungen.csv.gz", "Stand 2019 (KDN OZG-Datenbank NRW)"),
    ("leika", "leika_ozg_zuordnung.csv.gz", "Stand 2019 (KDN OZG-Datenbank NRW)"),
)


def shipped_bytes(seed_dir: Path, name: str) -> bytes:
    return gzip.decompress((seed_dir / "reference" / name).read_bytes())


def _fingerprint(kind: str, data: bytes) -> str:
    # The OZG importers fingerprint the decoded text (a BOM or Latin-1 file is the same catalogue).
    return hashlib.sha256(data if kind == "gv100ad" else decode(data).encode()).hexdigest()


def _keep_stored(kind: str, data: bytes, stored: dict[str, object] | None,
                       gebietsstand: dt.date | None) -> str | None:
    """Why the database's copy stays (None: load the shipped one)."""
    if stored and stored["sha256"] == _fingerprint(kind, data):
        return "unchanged"
    if kind == "gv100ad" and gebietsstand and gebietsstand > parse_gebietsstand(data):
        return "newer edition loaded"
    if stored and stored["origin"] == "import":
        return "imported by the operator"
    return None


async def load_official(seed_dir: Path, *, actor: Actor, summary: ImportSummary) -> None:
    """Load each shipped source unless the database already holds it or a newer one."""
    async with db.connection() as conn:
        stored = await repository.stored_sources(conn)
        gebietsstand = await repository.current_gebietsstand(conn)
    for kind, name, edition in SHIPPED:
        data = shipped_bytes(seed_dir, name)
        reason = _keep_stored(kind, data, stored.get(kind), gebietsstand)
        if reason:
            log.debug("seed.official_kept", kind=kind, reason=reason)
            continue
        if kind == "gv100ad":
            part = await import_gv100ad(data, actor=actor, origin="shipped")
        else:
            importer = import_ozg_leistungen if kind == "ozg-leistungen" else import_leika
            part = await importer(data, actor=actor, origin="shipped", edition=edition)
        summary.merge(part)
