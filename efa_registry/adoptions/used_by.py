"""A publiccode.yml's ``usedBy`` list offered as adoptions of the solution it describes.

``usedBy`` names the administrations that use the software, as people write them ("Stadt
Mülheim a.d. Ruhr", "Landkreis Harburg"): each is resolved to an area by the same resolver as
``POST /v1/areas/resolve`` (``areas.names``), and the answer says per entry what an import would
do — create an adoption, leave an existing one, or nothing because the name is ambiguous or
unknown (never guessed). A dry run writes nothing; the real run is all or nothing like every
import: it refuses while any entry is unresolved, naming it, and creates the rest in one
transaction through the bulk load (transitions and events recorded).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Literal

import asyncpg

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import authorize
from efa_registry.adoptions import repository
from efa_registry.adoptions.bulk import BulkItem, apply
from efa_registry.adoptions.rules import ADOPTING_LEVELS
from efa_registry.adoptions.service import open_solution
from efa_registry.areas import names
from efa_registry.areas.model import MAX_NAMES, AreaMatch, NameToResolve
from efa_registry.errors import InvalidInput
from efa_registry.kit.wire import Record
from efa_registry.search import lexicon
from efa_registry.solutions.publiccode_mapping import parse
from efa_registry.types import AdoptionStatus

# create: a new adoption; exists: the area has an open one; unresolved: ambiguous or unknown name;
# no_administration: an area that adopts nothing itself (a Regierungsbezirk, a gemeindefreies Gebiet).
Action = Literal["create", "exists", "unresolved", "no_administration"]


class UsedByEntry(Record):
    """One ``usedBy`` entry: how it resolved (``names``' verdict and area), and what adopting does."""

    name: str
    verdict: Literal["exact", "probable", "ambiguous", "unknown"]
    ars: str | None
    area_name: str | None
    alternatives: list[AreaMatch]
    action: Action


class UsedByResult(Record):
    dry_run: bool
    status: AdoptionStatus
    entries: list[UsedByEntry]
    created: int


def used_by(data: bytes) -> list[tuple[int, str]]:
    """The ``usedBy`` names of a publiccode.yml (validated as the import validates it), each with
    its index in the document (blank entries are left out, so errors name the entry meant)."""
    raw = parse(data).raw.get("usedBy") or []
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        raise InvalidInput("usedBy: a list of names", field="usedBy")
    if len(raw) > MAX_NAMES:
        raise InvalidInput(f"usedBy: at most {MAX_NAMES} names", field="usedBy")
    return [(i, n.strip()) for i, n in enumerate(raw) if n.strip()]


async def adopt_used_by(solution_key: str, data: bytes, *, actor: Actor, status: AdoptionStatus = "live",
                        dry_run: bool = True) -> UsedByResult:
    """Resolve the document's ``usedBy`` entries; unless ``dry_run``, adopt the resolved ones."""
    listed = await asyncio.to_thread(used_by, data)  # pure-Python YAML: not on the event loop
    async with db.transaction() as conn:
        solution = await open_solution(conn, solution_key)
        authorize(actor, "adoption.bulk", organisation_id=solution.provider_id)
        entries = await _entries(conn, solution.id, [name for _, name in listed])
        created = 0
        if not dry_run:
            _refuse_unresolved(entries, [i for i, _ in listed])
            items = [BulkItem(ars=e.ars, status=status, note="publiccode.yml usedBy")
                     for e in {e.ars: e for e in entries if e.action == "create"}.values()]
            created = (await apply(conn, solution.id, items, actor=actor)).created if items else 0
    return UsedByResult(dry_run=dry_run, status=status, entries=entries, created=created)


async def _entries(conn: asyncpg.Connection, solution_id: uuid.UUID, entries_of: list[str]) -> list[UsedByEntry]:
    index = await lexicon.places(conn)
    resolved = [names.resolve_one(NameToResolve(name=n[:200]), index) for n in entries_of]
    found = [r.ars for r in resolved if r.ars]
    existing = await repository.open_for_update(conn, solution_id, found) if found else {}
    return [UsedByEntry(name=n, verdict=r.verdict, ars=r.ars, area_name=r.name, alternatives=r.alternatives,
                        action=_action(r.ars, r.level, existing)) for n, r in zip(entries_of, resolved, strict=True)]


def _refuse_unresolved(entries: list[UsedByEntry], positions: list[int]) -> None:
    """All or nothing, like every import: the first entry that cannot become an adoption is named
    (``positions``: each entry's index in the document)."""
    for i, entry in zip(positions, entries, strict=True):
        if entry.action in ("unresolved", "no_administration"):
            why = entry.verdict if entry.action == "unresolved" else "an area without an administration of its own"
            raise InvalidInput(f"usedBy[{i}]: {entry.name!r} is {why}; nothing was adopted (the dry run lists the "
                               "candidates)", field=f"usedBy[{i}]")


def _action(ars: str | None, level: str | None, existing: dict) -> Action:
    if not ars:
        return "unresolved"
    if level not in ADOPTING_LEVELS:
        return "no_administration"
    return "exists" if ars in existing else "create"
