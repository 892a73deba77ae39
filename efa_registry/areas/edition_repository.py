"""SQL of a GV100AD import: stage the edition, release moved AGS, retire what it no longer lists,
upsert the rest in one statement."""

from __future__ import annotations

import asyncpg
import msgspec

from efa_registry.areas.gv100ad import AreaRow
from efa_registry.errors import ImportFailed
from efa_registry.kit.importing import Progress

COLUMNS = list(AreaRow.__struct_fields__)
COMPARED = [c for c in COLUMNS if c != "ars"]

STAGING_SQL = """
CREATE TEMP TABLE gv100ad_staging (
    ars varchar(12) PRIMARY KEY, ags varchar(8), name varchar(200), level varchar(24),
    textkennzeichen varchar(2), parent varchar(12), land varchar(2), seat varchar(200),
    population integer, area_ha integer, gebietsstand date
) ON COMMIT DROP
"""

# AGS is a function of the ARS, so an AGS moves only when a Gemeinde changes its
# Gemeindeverband (new ARS): the old row, kept for its references, gives the AGS up.
RELEASE_AGS_SQL = """
UPDATE area a SET ags = NULL, updated_at = now()
FROM gv100ad_staging s WHERE s.ags = a.ags AND s.ars <> a.ars
"""

# Every edition lists all 16 Länder: one that leaves out a Land whose Gemeinden the registry lists
# is cut short (a truncated download) and would retire all of that Land's areas.
MISSING_LAENDER_SQL = """
SELECT coalesce(array_agg(a.name ORDER BY a.ars), '{}') FROM area a
WHERE a.level = 'land' AND NOT EXISTS (SELECT FROM gv100ad_staging s WHERE s.land = a.ars)
  AND EXISTS (SELECT FROM area g WHERE g.land = a.ars AND g.level = 'gemeinde' AND g.current)
"""

# Rows are never deleted: adoptions and organisations refer to them.
RETIRE_SQL = """
WITH retired AS (
    UPDATE area a SET current = false, updated_at = now()
    WHERE a.current AND NOT EXISTS (SELECT FROM gv100ad_staging s WHERE s.ars = a.ars)
    RETURNING 1
)
SELECT count(*) FROM retired
"""

# One statement, so the self-referencing FK is checked once all parents are in; the WHERE
# leaves unchanged rows (and their updated_at) alone; xmax = 0 marks freshly inserted rows.
UPSERT_SQL = f"""
WITH written AS (
    INSERT INTO area AS a ({", ".join(COLUMNS)}, current, updated_at)
    SELECT {", ".join(COLUMNS)}, true, now() FROM gv100ad_staging
    ON CONFLICT (ars) DO UPDATE SET
        {", ".join(f"{c} = excluded.{c}" for c in COMPARED)}, current = true, updated_at = now()
    WHERE ({", ".join(f"a.{c}" for c in COMPARED)}, a.current)
        IS DISTINCT FROM ({", ".join(f"excluded.{c}" for c in COMPARED)}, true)
    RETURNING xmax = 0 AS created
)
SELECT count(*) FILTER (WHERE created) AS created, count(*) FILTER (WHERE NOT created) AS updated
FROM written
"""

# Two imports at once would race on the same rows; the second waits for the first.
LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('efa_registry.gv100ad'))"


async def write_edition(conn: asyncpg.Connection, rows: list[AreaRow], progress: Progress) -> dict[str, int]:
    await conn.execute(LOCK_SQL)
    await conn.execute(STAGING_SQL)
    records = [msgspec.structs.astuple(row) for row in rows]
    await conn.copy_records_to_table("gv100ad_staging", records=records, columns=COLUMNS)
    progress(2, 3)
    if missing := await conn.fetchval(MISSING_LAENDER_SQL):
        raise ImportFailed(f"GV100AD: the file leaves out {', '.join(missing)}; every edition lists all Länder"
                           " (is the file cut short?)", errors=[(0, f"no record of {name}") for name in missing])
    await conn.execute(RELEASE_AGS_SQL)
    retired = await conn.fetchval(RETIRE_SQL)
    written = await conn.fetchrow(UPSERT_SQL)
    return {"created": written["created"], "updated": written["updated"], "retired": retired}
