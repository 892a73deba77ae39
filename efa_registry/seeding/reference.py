"""Reference facts every registry needs: the 16 Länder with their ISO 3166-2 codes and the 14
Themenfelder, read from the seed directory's CSV files. Idempotent upserts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import asyncpg

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


def read_seed_csv(seed_dir: Path, name: str) -> list[dict[str, str]]:
    """The rows of a reference file in the seed directory."""
    text = (seed_dir / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


async def _upsert(conn: asyncpg.Connection, sql: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        await conn.execute(sql, *(list(column) for column in zip(*rows, strict=True)))


async def seed_laender(conn: asyncpg.Connection, seed_dir: Path) -> tuple[int, int, int]:
    """Insert missing Länder, set ISO codes; returns (listed, created, updated)."""
    laender = [(r["ars"], r["name"], r["iso_code"]) for r in read_seed_csv(seed_dir, "laender.csv")]
    stored = dict(await conn.fetch("SELECT ars, iso_code FROM area WHERE level = 'land'"))
    changed = [row for row in laender if row[0] not in stored or stored[row[0]] != row[2]]
    await _upsert(conn, UPSERT_LAENDER_SQL, changed)
    created = sum(1 for row in changed if row[0] not in stored)
    return len(laender), created, len(changed) - created


async def seed_themenfelder(conn: asyncpg.Connection, seed_dir: Path) -> tuple[int, int, int]:
    """Insert or correct the 14 Themenfelder; returns (listed, created, updated)."""
    themen = [(r["key"], r["name"], int(r["position"])) for r in read_seed_csv(seed_dir, "themenfelder.csv")]
    rows = await conn.fetch("SELECT key, name, position FROM themenfeld")
    stored = {r["key"]: tuple(r) for r in rows}
    changed = [row for row in themen if stored.get(row[0]) != row]
    await _upsert(conn, UPSERT_THEMENFELDER_SQL, changed)
    created = sum(1 for row in changed if row[0] not in stored)
    return len(themen), created, len(changed) - created
