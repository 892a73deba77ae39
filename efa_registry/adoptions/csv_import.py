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
from efa_registry.areas import repository as areas
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


def parse(text: str) -> tuple[list[tuple[int, str, BulkItem]], list[tuple[int, str]]]:
    """Rows as (line, solution key, item), and every malformed row as (line, reason)."""
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
    return rows, errors


async def _references(conn: object, rows: list[tuple[int, str, BulkItem]]
                      ) -> tuple[dict[str, object], list[tuple[int, str]]]:
    """The solution id of every key, and a (line, reason) for each unknown solution or area."""
    ids = {key: await solutions.resolve_id(conn, key) for key in dict.fromkeys(k for _, k, _ in rows)}
    known = await areas.current_levels(conn, sorted({item.ars for _, _, item in rows}))
    errors = [(line, f"no solution {key!r}") for line, key, _ in rows if ids[key] is None]
    errors += [(line, f"no current area with ARS {item.ars}") for line, _, item in rows if item.ars not in known]
    return ids, errors


async def import_adoptions(path: str | os.PathLike[str] | bytes, *, actor: Actor | None = None,
                           progress: Progress = no_progress) -> ImportSummary:
    """Load the file all or nothing: malformed rows, unknown solutions and unknown areas are all
    reported in one ImportFailed (line numbers sorted), and then nothing is written."""
    started = time.perf_counter()
    data = path if isinstance(path, bytes) else await asyncio.to_thread(Path(path).read_bytes)
    rows, errors = parse(data.decode("utf-8-sig"))
    actor = actor or Actor.cli()
    summary = ImportSummary(source="adoptions")
    async with db.transaction() as conn:
        ids, unknown = await _references(conn, rows)
        if errors or unknown:
            refused = sorted(errors + unknown)
            raise ImportFailed(f"{len(refused)} rows refused; nothing was imported", refused)
        by_solution: dict[str, list[tuple[int, BulkItem]]] = defaultdict(list)
        for line, key, item in rows:
            by_solution[key].append((line, item))
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
