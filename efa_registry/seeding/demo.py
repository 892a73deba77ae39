"""The demo catalogue for ``serve --demo`` / ``seed --demo``: organisations, solutions,
interfaces and adoptions from ``seed/demo/catalogue.json``, every one flagged ``is_demo``.

Loaded through the same use cases as real entries (so events, search documents and rollout
figures are produced as usual). Idempotent: entries whose slug exists are left alone, and
adoptions are applied as an idempotent bulk load.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.adoptions.bulk import BulkItem, apply, units_in
from efa_registry.kit.importing import ImportSummary
from efa_registry.organisations.model import OrganisationCreate
from efa_registry.organisations.service import create_organisation
from efa_registry.solutions.model import InterfaceCreate, SolutionCreate
from efa_registry.solutions.service import create_interface, create_solution

log = structlog.get_logger(__name__)


def demo_sources(seed_dir: Path, reference_dir: Path) -> dict[str, bytes] | None:
    """The demo's extracts of the official files, cut from the reference data directory by the
    hand-written selection in ``seed/demo/selection.json``; None when those files are absent."""
    from efa_registry.areas.gv100ad import select_records

    selection = json.loads((seed_dir / "demo" / "selection.json").read_text(encoding="utf-8"))
    paths = {kind: reference_dir / name for kind, name in selection["files"].items()}
    if not all(path.is_file() for path in paths.values()):
        return None
    exact, within = set(selection["areas"]), tuple(selection["areas_within"])
    return {
        "gv100ad": select_records(paths["gv100ad"].read_bytes(),
                                  lambda level, ars: level == "land" or ars in exact or ars.startswith(within)),
        "ozg-leistungen": _csv_rows(paths["ozg-leistungen"], "ozg_id", set(selection["ozg_ids"])),
        "leika": _csv_rows(paths["leika"], "leika_schluessel", set(selection["leika_keys"])),
    }


def _csv_rows(path: Path, column: str, selected: set[str]) -> bytes:
    """The header and the rows of an OZG catalogue CSV whose ``column`` holds a selected value."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    index = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0], *(r for r in rows[1:] if r[index] in selected)])
    return out.getvalue().encode()


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
