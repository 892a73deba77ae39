"""The demo catalogue for ``serve --demo`` / ``seed --demo``: organisations, solutions,
interfaces and adoptions from ``seed/demo/catalogue.json`` on top of the real areas, every one
flagged ``is_demo`` and named "… (Demo)".

Loaded through the same use cases as real entries (so events, search documents and rollout
figures are produced as usual). Idempotent: entries whose slug exists are left alone, and
adoptions are applied as an idempotent bulk load.

An adoption entry names its areas in one of three ways: ``ars`` (one area), ``land`` (every
eligible unit of the solution's level in that Land or Kreis prefix), or ``within`` with
``every`` (and ``offset``): every n-th eligible unit inside the prefix, in ARS order — a
deterministic partial rollout. ``then`` names a later status (e.g. withdrawn after interested).
``liveFrom``/``liveTo`` spread the go-live dates evenly over the chosen units, so timelines and
forecasts have a history to show.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.adoptions.bulk import BulkItem, apply
from efa_registry.areas import repository as areas
from efa_registry.kit.importing import ImportSummary
from efa_registry.organisations.model import OrganisationCreate
from efa_registry.organisations.service import create_organisation
from efa_registry.seeding import repository
from efa_registry.solutions import repository as solutions
from efa_registry.solutions.model import InterfaceCreate, SolutionCreate
from efa_registry.solutions.service import create_interface, create_solution

log = structlog.get_logger(__name__)


def load_catalogue(seed_dir: Path) -> dict[str, Any]:
    return json.loads((seed_dir / "demo" / "catalogue.json").read_text(encoding="utf-8"))


async def seed_demo_catalogue(seed_dir: Path, *, actor: Actor, summary: ImportSummary) -> None:
    data = load_catalogue(seed_dir)
    async with db.connection() as conn:
        orgs, solution_slugs = await repository.existing_slugs(conn)
    for org in data["organisations"]:
        if org["slug"] not in orgs:
            await create_organisation(msgspec.convert(org, OrganisationCreate), actor=actor, is_demo=True)
            summary.created += 1
    for spec in data["solutions"]:
        if spec["slug"] in solution_slugs:
            continue
        fields = {k: v for k, v in spec.items() if k != "interfaces"}
        solution, _ = await create_solution(msgspec.convert(fields, SolutionCreate), actor=actor, is_demo=True)
        for interface in spec["interfaces"]:
            await create_interface(solution.id, msgspec.convert(interface, InterfaceCreate, strict=False), actor=actor)
        summary.created += 1
    await _seed_adoptions(data["adoptions"], actor=actor, summary=summary)
    summary.counts.update(demo_organisation=len(data["organisations"]), demo_solution=len(data["solutions"]))


async def _seed_adoptions(specs: list[dict[str, Any]], *, actor: Actor, summary: ImportSummary) -> None:
    by_solution: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for spec in specs:
        by_solution[spec["solution"]].append(spec)
    async with db.transaction() as conn:
        known_areas = await repository.current_areas(conn)
        for slug, entries in by_solution.items():
            solution_id = await solutions.resolve_id(conn, slug)
            # A withdrawn adoption is history: a second run must not subscribe its area again.
            taken = await repository.withdrawn_areas(conn, solution_id)
            items, later = [], []
            for entry in entries:
                chosen = [a for a in await _areas_of(conn, solution_id, entry) if a in known_areas and a not in taken]
                taken.update(chosen)  # an area named twice keeps its first, more specific entry
                items += _items(entry, chosen)
                # ``then``: a later step of the same adoptions (one cannot subscribe as withdrawn).
                later += [BulkItem(ars=a, status=entry["then"]) for a in chosen if "then" in entry]
            for batch in (items, later):
                result = await apply(conn, solution_id, batch, actor=actor)
                summary.created += result.created
                summary.updated += result.changed
                summary.unchanged += result.unchanged
    log.info("seed.demo_adoptions", solutions=len(by_solution))


async def _areas_of(conn: Any, solution_id: Any, entry: dict[str, Any]) -> list[str]:
    if "ars" in entry:
        return [entry["ars"]]
    level = (await solutions.standing(conn, solution_id)).rollout_level
    units = await areas.units_within(conn, level, entry.get("land") or entry["within"])
    return units[entry.get("offset", 0)::entry.get("every", 1)]


def _items(entry: dict[str, Any], areas: list[str]) -> list[BulkItem]:
    """One bulk item per area; go-live dates spread evenly from ``liveFrom`` to ``liveTo``."""
    first, last = _date(entry.get("liveFrom") or entry.get("liveSince")), _date(entry.get("liveTo"))
    step = (last - first) / max(len(areas) - 1, 1) if first and last else None
    return [BulkItem(ars=ars, status=entry["status"], planned_live_on=_date(entry.get("plannedLiveOn")),
                     live_since=first + step * i if step is not None and first else first)
            for i, ars in enumerate(areas)]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
