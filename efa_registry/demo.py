"""The demo catalogue for ``serve --demo`` / ``seed --demo``: organisations, solutions,
interfaces and adoptions from ``seed/demo/catalogue.json``, every one flagged ``is_demo``.

Loaded through the same use cases as real entries (so events, search documents and rollout
figures are produced as usual). Idempotent: entries whose slug exists are left alone, and
adoptions are applied as an idempotent bulk load.
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
from efa_registry.adoptions.bulk import BulkItem, apply, units_in
from efa_registry.importing import ImportSummary
from efa_registry.organisations.model import OrganisationCreate
from efa_registry.organisations.service import create_organisation
from efa_registry.solutions.model import InterfaceCreate, SolutionCreate
from efa_registry.solutions.service import create_interface, create_solution

log = structlog.get_logger(__name__)


def load_catalogue(seed_dir: Path) -> dict[str, Any]:
    return json.loads((seed_dir / "demo" / "catalogue.json").read_text(encoding="utf-8"))


async def seed_demo_catalogue(seed_dir: Path, *, actor: Actor, summary: ImportSummary) -> None:
    data = load_catalogue(seed_dir)
    async with db.connection() as conn:
        orgs = {r[0] for r in await conn.fetch("SELECT slug FROM organisation")}
        solutions = {r[0] for r in await conn.fetch("SELECT slug FROM solution")}
        areas = {r[0] for r in await conn.fetch("SELECT ars FROM area WHERE current")}
    for org in data["organisations"]:
        if org["slug"] not in orgs:
            # Without the demo areas (a real edition was loaded instead) an area may be missing.
            org = org if org.get("area") in areas else {**org, "area": None}
            await create_organisation(msgspec.convert(org, OrganisationCreate), actor=actor, is_demo=True)
            summary.created += 1
    for spec in data["solutions"]:
        if spec["slug"] in solutions:
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
        known_areas = {r[0] for r in await conn.fetch("SELECT ars FROM area WHERE current")}
        for slug, entries in by_solution.items():
            solution_id = await conn.fetchval("SELECT id FROM solution WHERE slug = $1", slug)
            items = []
            for e in entries:
                ars_list = await units_in(conn, solution_id, e["land"]) if "land" in e else [e["ars"]]
                items += [BulkItem(ars=a, status=e["status"], planned_live_on=_date(e.get("plannedLiveOn")),
                                   live_since=_date(e.get("liveSince"))) for a in ars_list if a in known_areas]
            result = await apply(conn, solution_id, items, actor=actor)
            summary.created += result.created
            summary.updated += result.changed
            summary.unchanged += result.unchanged
    log.info("seed.demo_adoptions", solutions=len(by_solution))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
