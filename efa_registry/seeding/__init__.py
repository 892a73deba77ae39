"""The seed: what a plain install loads to be a real registry at once.

1. Reference facts (the 16 Länder with ISO 3166-2 codes, the 14 Themenfelder).
2. The shipped official data: the whole GV100AD area directory and the OZG catalogue with its
   LeiKa entries (``official``), skipped when already loaded or superseded by an import.
3. With ``demo``: invented, labelled organisations, solutions and adoptions on top of the real
   areas (``demo``).

Idempotent: a second run changes nothing and records no event. The seed directory (the ``seed``
package's files) is passed in: data depends on nothing, and the core does not import it.
"""

from __future__ import annotations

import time
from pathlib import Path

import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.events import recorder
from efa_registry.kit.importing import ImportSummary
from efa_registry.seeding.reference import read_seed_csv, seed_laender, seed_themenfelder

__all__ = ["read_seed_csv", "seed"]

log = structlog.get_logger(__name__)


async def _seed_reference(seed_dir: Path, actor: Actor, summary: ImportSummary) -> None:
    async with db.transaction() as conn:
        for kind, entity_type, write in (("land", "area", seed_laender),
                                         ("themenfeld", "ozg_leistung", seed_themenfelder)):
            listed, created, updated = await write(conn, seed_dir)
            summary.counts[kind] = listed
            summary.created += created
            summary.updated += updated
            summary.unchanged += listed - created - updated
            if created or updated:
                await recorder.record(conn, actor=actor, entity_type=entity_type,
                                      entity_id=f"seed:{kind}", action="seeded",
                                      snapshot={"created": created, "updated": updated})


async def seed(
    seed_dir: Path, *, demo: bool = False, official: bool = True, actor: Actor | None = None
) -> ImportSummary:
    """Load the reference facts, the shipped official data (unless ``official`` is false) and,
    with ``demo``, the demo catalogue. Idempotent."""
    from efa_registry.seeding.demo import seed_demo_catalogue
    from efa_registry.seeding.official import load_official

    started = time.perf_counter()
    actor = actor or Actor.system("seed")
    summary = ImportSummary(source="seed with demo" if demo else "seed")
    await _seed_reference(seed_dir, actor, summary)
    if official or demo:
        await load_official(seed_dir, actor=actor, summary=summary)
    if demo:
        await seed_demo_catalogue(seed_dir, actor=actor, summary=summary)
    summary.seconds = time.perf_counter() - started
    log.info("seed.loaded", demo=demo, created=summary.created, updated=summary.updated,
             unchanged=summary.unchanged, seconds=round(summary.seconds, 3))
    return summary
