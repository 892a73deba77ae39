"""Rollout figures on the real municipality directory (Destatis GV100AD, Gebietsstand 30.11.2025).

Read from the shipped edition (seed/reference). Each test imports the file itself (~1 s):
``clean_db`` empties the database per test.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from efa_registry import db
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.rollout import service
from efa_registry.rollout.model import MatrixFilter
from tests.conftest import GV100AD_REAL

pytestmark = pytest.mark.realdata

# Official counts of this edition (Destatis).
GEMEINDEN = {"05": 396, "09": 2056, "10": 52}
KREISE_NRW = 53
GEMEINDEN_DE = 10_751
GEMEINDE_POPULATION_DE = 83_577_140 - 917  # two inhabited gemeindefreie Bezirke belong to no Gemeinde


@pytest.fixture
async def gv100ad(clean_db):
    await import_gv100ad(GV100AD_REAL)
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, 'bund', 'bund', 'Bund')",
                           uuid.uuid4())


async def new_solution(slug: str, level: str = "gemeinde") -> uuid.UUID:
    solution_id = uuid.uuid4()
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO solution (id, slug, name, provider, status, rollout_level)"
                           " SELECT $1, $2, $2, id, 'available', $3 FROM organisation", solution_id, slug, level)
        await service.refresh_solution(conn, solution_id)
    return solution_id


async def go_live(solution_id: uuid.UUID, areas: list[str], status: str = "live") -> None:
    """Adoptions loaded in bulk, then one refresh (as the bulk load does)."""
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO adoption (id, solution, area, status, paused_from, live_since)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            [(uuid.uuid4(), solution_id, ars, status, "live" if status == "paused" else None,
              dt.date(2024, 4, 1) if status in ("live", "paused") else None) for ars in areas])
        await service.refresh_solution(conn, solution_id)


async def gemeinden(land_or_prefix: str) -> list[tuple[str, int]]:
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT ars, population FROM area WHERE level = 'gemeinde' AND current"
                                " AND left(ars, length($1)) = $1 ORDER BY ars", land_or_prefix)
    return [(r["ars"], r["population"]) for r in rows]


def figures(rollout, code: str):
    return next(x.figures for x in rollout.lands if x.land.code == code)


async def test_all_52_saarland_gemeinden_live_is_flaechendeckend(gv100ad):
    s = await new_solution("wohngeld")
    saarland = await gemeinden("10")
    assert len(saarland) == GEMEINDEN["10"]
    await go_live(s, [ars for ars, _ in saarland])
    rollout = await service.solution_rollout(s)
    sl = figures(rollout, "10")
    assert (sl.eligible_units, sl.covered_units, sl.flaechendeckend) == (52, 52, True)
    assert (sl.share_by_count, sl.share_by_population) == (1.0, 1.0)
    assert sl.covered_population == sl.eligible_population == 1_012_141
    assert not figures(rollout, "05").available_somewhere
    row = (await service.matrix(MatrixFilter())).rows[0]
    assert row.flaechendeckend.count(True) == 1 and row.covered_units[9] == 52


async def test_51_of_52_is_not_flaechendeckend(gv100ad):
    s = await new_solution("wohngeld")
    await go_live(s, [ars for ars, _ in (await gemeinden("10"))[1:]])
    sl = figures(await service.solution_rollout(s), "10")
    assert (sl.covered_units, sl.flaechendeckend, sl.available_somewhere) == (51, False, True)


async def test_one_nrw_gemeinde_is_1_of_396_and_its_population_share(gv100ad):
    s = await new_solution("wohngeld")
    nrw = await gemeinden("05")
    duisburg = dict(nrw)["051120000000"]
    await go_live(s, ["051120000000"])
    rollout = await service.solution_rollout(s)
    nw = figures(rollout, "05")
    assert (nw.eligible_units, nw.covered_units) == (396, 1)
    assert nw.share_by_count == pytest.approx(1 / 396)
    assert nw.eligible_population == sum(p for _, p in nrw)
    assert nw.share_by_population == pytest.approx(duisburg / sum(p for _, p in nrw))
    assert (rollout.national.eligible_units, rollout.national.eligible_population) == (
        GEMEINDEN_DE, GEMEINDE_POPULATION_DE)


async def test_a_land_wide_adoption_covers_every_gemeinde_but_no_gemeindefreies_gebiet(gv100ad):
    s = await new_solution("wohngeld")
    await go_live(s, ["09"])
    by = figures(await service.solution_rollout(s), "09")
    assert (by.eligible_units, by.covered_units, by.flaechendeckend) == (2056, 2056, True)


async def test_kreis_and_verbandsgemeinde_adoptions_cover_their_gemeinden(gv100ad):
    s = await new_solution("wohngeld")
    ahrweiler, altenahr = await gemeinden("07131"), await gemeinden("071315001")
    assert 0 < len(altenahr) < len(ahrweiler)
    await go_live(s, ["071315001"])
    assert figures(await service.solution_rollout(s), "07").covered_units == len(altenahr)
    await go_live(s, ["07131"])
    rollout = await service.solution_rollout(s, land="07", by="kreis")
    assert figures(rollout, "07").covered_units == len(ahrweiler)
    kreis = next(k for k in rollout.kreise if k.ars == "07131")
    assert (kreis.figures.eligible_units, kreis.figures.covered_units, kreis.figures.flaechendeckend) == (
        len(ahrweiler), len(ahrweiler), True)


@pytest.mark.parametrize("status", ["withdrawn", "paused"])
async def test_a_withdrawn_or_paused_land_adoption_covers_nothing(gv100ad, status):
    s = await new_solution("wohngeld")
    await go_live(s, ["05"], status=status)
    nw = figures(await service.solution_rollout(s), "05")
    assert (nw.covered_units, getattr(nw.adoptions, status)) == (0, 1)


async def test_a_kreis_level_solution_counts_kreise_and_kreisfreie_staedte(gv100ad):
    s = await new_solution("kfz", level="kreis")
    await go_live(s, ["05", "10041"])
    rollout = await service.solution_rollout(s)
    assert (figures(rollout, "05").eligible_units, figures(rollout, "05").covered_units) == (KREISE_NRW, KREISE_NRW)
    assert (figures(rollout, "10").eligible_units, figures(rollout, "10").covered_units) == (6, 1)
    assert rollout.national.eligible_units == 400


async def test_a_bw_region_adoption_covers_nothing(gv100ad):
    s = await new_solution("wohngeld")
    async with db.connection() as conn:
        region = await conn.fetchval("SELECT ars FROM area WHERE level = 'region' ORDER BY ars LIMIT 1")
    await go_live(s, [region])
    bw = figures(await service.solution_rollout(s), "08")
    assert (bw.eligible_units, bw.covered_units, bw.adoptions.live) == (1101, 0, 1)
