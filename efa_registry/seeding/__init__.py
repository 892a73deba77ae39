"""The seed: reference facts every registry needs (the 16 Länder with their ISO 3166-2 codes,
the 14 Themenfelder), and on request a small, labelled demo set of real areas and catalogue
entries (areas, OZG-Leistungen, and through efa_registry.seeding.demo organisations, solutions and
adoptions). Idempotent: a second run changes nothing and records no event.

The files live in the ``seed`` package (package data), see ``seed/demo/README.md``.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import asyncpg
import structlog

import seed as seed_package
from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.events import recorder
from efa_registry.kit.importing import ImportSummary
from efa_registry.settings import default_reference_dir

log = structlog.get_logger(__name__)

# The demo's extracts in load order (areas and Leistungen before the LeiKa entries).
DEMO_ORDER = ("gv100ad", "ozg-leistungen", "leika")


# The package's directory, not importlib.resources: an editable install made while seed/ had
# no __init__.py registers it as a namespace package, which importlib.resources cannot read.
SEED_DIR = Path(next(iter(seed_package.__path__)))


def read_seed_csv(name: str) -> list[dict[str, str]]:
    """The rows of a reference file in the ``seed`` package."""
    text = (SEED_DIR / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# Only the ISO code is the seed's to maintain: a Land's name may come from a GV100AD import,
# whose official wording wins, so the seed names only Länder that are not there yet.
UPSERT_LAENDER_SQL = """
INSERT INTO area (ars, name, level, land, iso_code, current)
SELECT t.ars, t.name, 'land', t.ars, t.iso_code, true
FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) AS t(ars, name, iso_code)
ON CONFLICT (ars) DO UPDATE SET iso_code = excluded.iso_code, updated_at = now()
"""

UPSERT_THEMENFELDER_SQL = """
INSERT INTO themenfeld (key, name, position)
SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::integer[])
ON CONFLICT (key) DO UPDATE SET name = excluded.name, position = excluded.position
"""


async def _upsert(conn: asyncpg.Connection, sql: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        await conn.execute(sql, *(list(column) for column in zip(*rows, strict=True)))


async def seed_laender(conn: asyncpg.Connection) -> tuple[int, int, int]:
    """Insert missing Länder, set ISO codes; returns (listed, created, updated)."""
    laender = [(r["ars"], r["name"], r["iso_code"]) for r in read_seed_csv("laender.csv")]
    stored = dict(await conn.fetch("SELECT ars, iso_code FROM area WHERE level = 'land'"))
    changed = [row for row in laender if row[0] not in stored or stored[row[0]] != row[2]]
    await _upsert(conn, UPSERT_LAENDER_SQL, changed)
    created = sum(1 for row in changed if row[0] not in stored)
    return len(laender), created, len(changed) - created


async def seed_themenfelder(conn: asyncpg.Connection) -> tuple[int, int, int]:
    """Insert or correct the 14 Themenfelder; returns (listed, created, updated)."""
    themen = [(r["key"], r["name"], int(r["position"])) for r in read_seed_csv("themenfelder.csv")]
    rows = await conn.fetch("SELECT key, name, position FROM themenfeld")
    stored = {r["key"]: tuple(r) for r in rows}
    changed = [row for row in themen if stored.get(row[0]) != row]
    await _upsert(conn, UPSERT_THEMENFELDER_SQL, changed)
    created = sum(1 for row in changed if row[0] not in stored)
    return len(themen), created, len(changed) - created


async def _seed_reference(actor: Actor, summary: ImportSummary) -> None:
    async with db.transaction() as conn:
        for kind, entity_type, write in (("land", "area", seed_laender),
                                         ("themenfeld", "ozg_leistung", seed_themenfelder)):
            listed, created, updated = await write(conn)
            summary.counts[kind] = listed
            summary.created += created
            summary.updated += updated
            summary.unchanged += listed - created - updated
            if created or updated:
                await recorder.record(conn, actor=actor, entity_type=entity_type,
                                      entity_id=f"seed:{kind}", action="seeded",
                                      snapshot={"created": created, "updated": updated})


def _merge(summary: ImportSummary, part: ImportSummary) -> None:
    # Kinds counted twice (the Länder: seed and demo GV100AD) describe the same rows.
    for kind, n in part.counts.items():
        summary.counts[kind] = max(n, summary.counts.get(kind, 0))
    summary.created += part.created
    summary.updated += part.updated
    summary.unchanged += part.unchanged
    summary.skipped += [(line, f"{part.source}: {why}") for line, why in part.skipped]
    summary.edition = summary.edition or part.edition


async def _foreign_areas(demo_gv100ad: bytes) -> int:
    """How many current areas the demo extract does not list (those of a real edition)."""
    from efa_registry.areas.gv100ad import parse_gv100ad

    listed = [row.ars for row in parse_gv100ad(demo_gv100ad).rows]
    async with db.connection() as conn:
        return await conn.fetchval(
            "SELECT count(*) FROM area WHERE current AND NOT (ars = ANY($1::varchar[]))", listed)


async def _seed_demo(actor: Actor, summary: ImportSummary, sources: dict[str, bytes]) -> None:
    # Imported here: only the demo needs the importers.
    from efa_registry.areas.gv100ad import import_gv100ad
    from efa_registry.ozg.catalogue_import import import_leika, import_ozg_leistungen

    importers = {"gv100ad": import_gv100ad, "ozg-leistungen": import_ozg_leistungen, "leika": import_leika}
    for kind in DEMO_ORDER:
        data = sources[kind]
        # A GV100AD import retires every area its file does not list: the demo extract must
        # never do that to a real edition already loaded.
        if kind == "gv100ad" and (foreign := await _foreign_areas(data)):
            log.warning("seed.demo_areas_skipped", reason="real areas loaded", areas=foreign)
            summary.skipped.append((0, f"demo areas not loaded: {foreign} current areas in the "
                                       "database are not in the demo extract"))
            continue
        _merge(summary, await importers[kind](data, actor=actor))


async def seed(
    *, demo: bool = False, actor: Actor | None = None, reference_dir: str | Path | None = None
) -> ImportSummary:
    """Load the reference facts and, with ``demo``, the demo areas and catalogue (real
    Destatis and OZG records, no organisations or solutions). Idempotent."""
    started = time.perf_counter()
    actor = actor or Actor.system("seed")
    summary = ImportSummary(source="seed with demo" if demo else "seed")
    await _seed_reference(actor, summary)
    if demo:
        from efa_registry.seeding.demo import demo_sources, seed_demo_catalogue

        reference_dir = Path(reference_dir or default_reference_dir())
        sources = demo_sources(SEED_DIR, reference_dir)
        if sources is None:
            log.warning("seed.demo_skipped", reason="reference data absent", directory=str(reference_dir))
            summary.skipped.append((0, f"demo not loaded: the official files are not in {reference_dir} "
                                       "(set EFA_REFERENCE_DATA_DIR)"))
        else:
            await _seed_demo(actor, summary, sources)
            await seed_demo_catalogue(SEED_DIR, actor=actor, summary=summary)
    summary.seconds = time.perf_counter() - started
    log.info("seed.loaded", demo=demo, created=summary.created, updated=summary.updated,
             unchanged=summary.unchanged, seconds=round(summary.seconds, 3))
    return summary
