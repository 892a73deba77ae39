"""``efa-registry import adoptions FILE``: the office's spreadsheets, all-or-nothing.

Columns (header required, ``,`` or ``;``): solution (slug or UUID), ars, status, live_since,
planned_live_on, note. Dates as YYYY-MM-DD or DD.MM.YYYY.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import os
import re
import time
from collections import defaultdict
from pathlib import Path

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.adoptions.bulk import BulkItem, apply
from efa_registry.errors import DomainError, ImportFailed
from efa_registry.kit.importing import ImportSummary, Progress, no_progress
from efa_registry.solutions import repository as solutions
from efa_registry.types import ARS_PATTERN, AdoptionStatus, values

COLUMNS = ("solution", "ars", "status")
STATUSES = values(AdoptionStatus)


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


def parse(text: str) -> list[tuple[int, str, BulkItem]]:
    """Rows as (line, solution key, item); every bad row is reported with its line number."""
    header = text.splitlines()[0] if text.strip() else ""
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if header.count(";") > header.count(",") else ",")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFailed("adoptions file lacks columns", [(1, f"missing column(s): {', '.join(missing)}")])
    rows, errors, today = [], [], dt.date.today()
    for line, raw in enumerate(reader, start=2):
        try:
            ars, status = raw["ars"].strip(), raw["status"].strip()
            if not re.match(ARS_PATTERN, ars):
                raise ValueError(f"not an ARS: {ars!r}")
            if status not in STATUSES:
                raise ValueError(f"status must be one of {', '.join(STATUSES)}")
            live_since = _date(raw.get("live_since") or "")
            if live_since and live_since > today:
                raise ValueError("live_since lies in the future")
            rows.append((line, raw["solution"].strip(), BulkItem(
                ars=ars, status=status, live_since=live_since if status == "live" else None,
                planned_live_on=_date(raw.get("planned_live_on") or ""), note=(raw.get("note") or "").strip() or None)))
        except (ValueError, KeyError) as exc:
            errors.append((line, str(exc)))
    if errors:
        raise ImportFailed(f"{len(errors)} malformed rows; nothing was imported", errors)
    return rows


async def import_adoptions(path: str | os.PathLike[str] | bytes, *, actor: Actor | None = None,
                           progress: Progress = no_progress) -> ImportSummary:
    started = time.perf_counter()
    data = path if isinstance(path, bytes) else await asyncio.to_thread(Path(path).read_bytes)
    rows = parse(data.decode("utf-8-sig"))
    actor = actor or Actor.cli()
    by_solution: dict[str, list[tuple[int, BulkItem]]] = defaultdict(list)
    for line, key, item in rows:
        by_solution[key].append((line, item))
    summary = ImportSummary(source="adoptions")
    async with db.transaction() as conn:
        for done, (key, entries) in enumerate(by_solution.items(), start=1):
            solution_id = await solutions.resolve_id(conn, key)
            if solution_id is None:
                raise ImportFailed("unknown solution", [(line, f"no solution {key!r}") for line, _ in entries])
            try:
                result = await apply(conn, solution_id, [i for _, i in entries], actor=actor)
            except DomainError as exc:
                raise ImportFailed(f"solution {key}: {exc.detail}", [(entries[0][0], exc.detail)]) from exc
            summary.created += result.created
            summary.updated += result.changed
            summary.unchanged += result.unchanged
            progress(done, len(by_solution))
    summary.counts = {"adoption": len(rows), "solution": len(by_solution)}
    summary.seconds = time.perf_counter() - started
    return summary
