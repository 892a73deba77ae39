"""``efa-registry import adoptions FILE``: the office's spreadsheets, all-or-nothing.

Columns (header required, ``,`` or ``;``): solution (slug or UUID), ars — or ``name`` (the area as
people write it: "Stadt Mülheim a.d. Ruhr", "Lkr. München") with optional ``land`` and ``kreis``
hints, resolved by ``areas.names`` —, status, live_since, planned_live_on, note. Dates as
YYYY-MM-DD or DD.MM.YYYY. A row with an ARS uses it; a name that fits several areas or none is
refused with its line, as is every other bad record, and then nothing is written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import asyncpg
import msgspec

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.adoptions import rules
from efa_registry.adoptions.bulk import BulkItem, apply
from efa_registry.areas import names
from efa_registry.areas import repository as areas
from efa_registry.areas.model import NameToResolve
from efa_registry.errors import DomainError, ImportFailed, InvalidInput
from efa_registry.kit import textfiles
from efa_registry.kit.importing import ImportSummary, Progress, no_progress
from efa_registry.search import lexicon
from efa_registry.search.placeindex import PlaceIndex
from efa_registry.solutions import repository as solutions
from efa_registry.types import ARS_PATTERN, LABELS, AdoptionStatus, values

COLUMNS = ("solution", "status")
AREA_COLUMNS = ("ars", "name")  # at least one of them
STATUSES = values(AdoptionStatus)
# A status as the file writes it: the value or its German label, in any case ("Vereinbart", "im Onboarding").
STATUS_WORDS = {**{s: s for s in STATUSES}, **{label.casefold(): s for s, label in LABELS["AdoptionStatus"].items()}}


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


class Row(NamedTuple):
    line: int
    solution: str
    item: BulkItem  # ``ars`` is empty until ``name`` is resolved
    name: NameToResolve | None


def _area(raw: dict[str, str | None]) -> tuple[str, NameToResolve | None]:
    """The row's ARS, or the name (with hints) to resolve."""
    ars, name = (raw.get("ars") or "").strip(), (raw.get("name") or "").strip()
    if ars:
        if not re.match(ARS_PATTERN, ars):
            raise ValueError(f"not an ARS: {ars!r}")
        return ars, None
    if not name:
        raise ValueError("neither an ARS nor a name")
    try:
        return "", msgspec.convert({"name": name, "land": (raw.get("land") or "").strip() or None,
                                    "kreis": (raw.get("kreis") or "").strip() or None}, NameToResolve)
    except msgspec.ValidationError as exc:
        raise ValueError(str(exc)) from exc


def parse(text: str) -> tuple[list[Row], list[tuple[int, str]]]:
    """Rows, and every malformed row as (line it begins on, reason); empty rows (Excel's ";;;;")
    are passed over, a row with more or fewer fields than the header is refused."""
    fields, records = textfiles.records(text)
    missing = [c for c in COLUMNS if c not in fields] + ([] if set(AREA_COLUMNS) & set(fields) else ["ars or name"])
    if missing:
        raise ImportFailed("adoptions file lacks columns", [(1, f"missing column(s): {', '.join(missing)}")])
    rows, errors, today = [], [], dt.date.today()
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(fields):
            errors.append((line, f"{len(cells)} fields, the header has {len(fields)} (a separator in an unquoted "
                                 "note?)"))
            continue
        raw = dict(zip(fields, cells, strict=True))
        try:
            (ars, name), status = _area(raw), STATUS_WORDS.get((raw["status"] or "").strip().casefold(), "")
            if status not in STATUSES:
                raise ValueError(f"status {raw['status'].strip()!r} is not one of {', '.join(STATUSES)}")
            live_since, planned = _date(raw.get("live_since") or ""), _date(raw.get("planned_live_on") or "")
            if live_since and live_since > today:
                raise ValueError("live_since lies in the future")
            if live_since and live_since < rules.EARLIEST:
                raise ValueError(f"live_since lies before {rules.EARLIEST:%Y-%m-%d}")
            rules.check_plan(planned, today=today)
            rows.append(Row(line, (raw["solution"] or "").strip(), BulkItem(
                ars=ars, status=status, live_since=live_since if status == "live" else None,
                planned_live_on=planned, note=(raw.get("note") or "").strip() or None), name))
        except InvalidInput as exc:
            errors.append((line, str(exc).replace("plannedLiveOn", "planned_live_on")))
        except (ValueError, KeyError) as exc:
            errors.append((line, str(exc)))
    return rows, errors


def _resolved(row: Row, index: PlaceIndex) -> tuple[Row, str | None]:
    """The row with its name resolved to an ARS, or the reason it cannot be."""
    if row.name is None:
        return row, None
    try:
        names.check_hints(row.name, index, "name")
    except InvalidInput as exc:
        return row, exc.detail
    found = names.resolve_one(row.name, index)
    if found.verdict in ("exact", "probable") and found.ars:
        return row._replace(item=msgspec.structs.replace(row.item, ars=found.ars)), None
    if found.verdict == "ambiguous":
        choices = "; ".join(f"{m.name} ({m.ars})" for m in found.alternatives[:5])
        return row, f"{row.name.name!r} fits several areas: {choices} — write the ARS, or add a land or kreis column"
    return row, f"no area named {row.name.name!r}"


async def _references(conn: asyncpg.Connection, rows: list[Row]) -> tuple[list[Row], dict[str, object],
                                                                           list[tuple[int, str]]]:
    """The rows with every name resolved, the solution id of every key, and a (line, reason) for
    each unknown solution, unknown area, and name that fits several areas or none."""
    errors: list[tuple[int, str]] = []
    if any(row.name for row in rows):
        index = await lexicon.places(conn)
        checked = [_resolved(row, index) for row in rows]
        rows = [row for row, _ in checked]
        errors += [(row.line, reason) for row, reason in checked if reason]
    standing = {key: await solutions.standing(conn, key) for key in dict.fromkeys(r.solution for r in rows)}
    ids = {key: s.id if s else None for key, s in standing.items()}
    known = await areas.current_levels(conn, sorted({r.item.ars for r in rows if r.item.ars}))
    errors += [(r.line, f"no solution {r.solution!r}") for r in rows if ids[r.solution] is None]
    errors += [(r.line, f"{r.solution!r} is retired and takes no new adoptions") for r in rows
               if standing[r.solution] and standing[r.solution].status == "retired"]
    errors += _listed_twice(rows)
    errors += [(r.line, f"no current area with ARS {r.item.ars}") for r in rows
               if r.item.ars and r.item.ars not in known]
    return rows, ids, errors


def _listed_twice(rows: list[Row]) -> list[tuple[int, str]]:
    """A solution's area on a second row (by ARS, or by a name that resolves to it), with the first."""
    first: dict[tuple[str, str], int] = {}
    errors = []
    for row in rows:
        if not row.item.ars:
            continue
        line = first.setdefault((row.solution, row.item.ars), row.line)
        if line != row.line:
            errors.append((row.line, f"area {row.item.ars} of {row.solution!r} already on line {line}"))
    return errors


async def import_adoptions(path: str | os.PathLike[str] | bytes, *, actor: Actor | None = None,
                           progress: Progress = no_progress) -> ImportSummary:
    """Load the file all or nothing: malformed rows, unknown solutions and unknown areas are all
    reported in one ImportFailed (line numbers sorted), and then nothing is written."""
    started = time.perf_counter()
    data = path if isinstance(path, bytes) else await asyncio.to_thread(Path(path).read_bytes)
    text = textfiles.decode(textfiles.unpacked(data, "adoptions", lambda name: name.endswith(".csv")), "adoptions")
    rows, errors = parse(text)
    actor = actor or Actor.cli()
    summary = ImportSummary(source="adoptions")
    async with db.transaction() as conn:
        rows, ids, unknown = await _references(conn, rows)
        if errors or unknown:
            refused = sorted(errors + unknown)
            raise ImportFailed(f"{len(refused)} rows refused; nothing was imported", refused)
        by_solution: dict[str, list[tuple[int, BulkItem]]] = defaultdict(list)
        for row in rows:
            by_solution[row.solution].append((row.line, row.item))
        for done, (key, entries) in enumerate(by_solution.items(), start=1):
            try:
                result = await apply(conn, ids[key], [i for _, i in entries], actor=actor)
            except DomainError as exc:
                raise ImportFailed(f"solution {key}: {exc.detail}", [(entries[0][0], exc.detail)]) from exc
            summary.created += result.created
            summary.updated += result.changed
            summary.unchanged += result.unchanged
            progress(done, len(by_solution))
    summary.counts = {"adoption": len(rows), "solution": len(by_solution)}
    summary.seconds = time.perf_counter() - started
    return summary
