"""Scorecards, comparisons and not-yet-docked lists on the real directory: the seed loads the shipped
GV100AD (all 10,751 Gemeinden) and OZG catalogue, a few demo-like NRW adoptions go on top, and every
number must agree with the rollout figures of the same solution, Land and Kreis."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from efa_registry import db
from efa_registry.rollout import service as rollout
from efa_registry.scorecard import missing, service
from efa_registry.seeding import seed
from seed import SEED_DIR

pytestmark = pytest.mark.realdata

GEMEINDEN_NRW, KREISE_NRW = 396, 53
SOLUTIONS = [  # slug, OZG-ID, rollout level, Reifegrad model, Reifegrad
    ("elterngeld-nrw", "10000", "land", "2.0", 5),
    ("wohnsitz-nrw", "10124", "gemeinde", "2.0", 6),
    ("meldebescheinigung-nrw", "10124", "gemeinde", "1.1", 3),
    ("kfz-nrw", "10439", "kreis", "2.0", 4),
    ("bauantrag-nrw", "10519", "kreis", "1.1", 3),
]


async def _adoptions(conn) -> list[tuple[str, str, str]]:
    """(slug, ARS, status): the Land, a Regierungsbezirk, a Kreis, single cities, every n-th Gemeinde
    and Kreis, some stopped on the way."""
    gemeinden = [r[0] for r in await conn.fetch(
        "SELECT ars FROM area WHERE land = '05' AND level = 'gemeinde' AND current ORDER BY ars")]
    kreise = [r[0] for r in await conn.fetch(
        "SELECT ars FROM area WHERE land = '05' AND level = 'kreis' AND current ORDER BY ars")]
    rows = [("elterngeld-nrw", "05", "live"), ("wohnsitz-nrw", "05158", "live"), ("wohnsitz-nrw", "057", "live"),
            ("wohnsitz-nrw", "059110000000", "withdrawn"), ("kfz-nrw", "05112", "live"), ("kfz-nrw", "05554", "live"),
            ("kfz-nrw", "05915", "onboarding"), ("wohnsitz-nrw", "051120000000", "live")]
    rows += [("wohnsitz-nrw", ars, "live" if i % 3 else "interested") for i, ars in enumerate(gemeinden[::7])]
    rows += [("meldebescheinigung-nrw", ars, "live") for ars in gemeinden[3::11]]
    rows += [("bauantrag-nrw", ars, "live" if i % 2 else "agreed") for i, ars in enumerate(kreise[::5])]
    return rows


@pytest.fixture
async def nrw(clean_db):
    await seed(SEED_DIR)
    async with db.transaction() as conn:
        org = uuid.uuid4()
        await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, 'land-nrw', 'land',"
                           " 'Land Nordrhein-Westfalen')", org)
        ids = {slug: uuid.uuid4() for slug, *_ in SOLUTIONS}
        await conn.executemany(
            "INSERT INTO solution (id, slug, name, provider, status, rollout_level, reifegrad_model, reifegrad)"
            " VALUES ($1, $2, $2, $3, 'available', $4, $5, $6)",
            [(ids[slug], slug, org, level, model, grad) for slug, _, level, model, grad in SOLUTIONS])
        await conn.executemany("INSERT INTO solution_ozg_leistung (solution, ozg_leistung) VALUES ($1, $2)",
                               [(ids[slug], ozg) for slug, ozg, *_ in SOLUTIONS])
        await conn.executemany(
            "INSERT INTO adoption (id, solution, area, status, live_since) VALUES ($1, $2, $3, $4, $5)",
            [(uuid.uuid4(), ids[slug], ars, status, dt.date(2025, 2, 1) if status == "live" else None)
             for slug, ars, status in await _adoptions(conn)])
    return ids


async def test_missing_plus_live_is_eligible_as_the_rollout_counts_it(nrw):
    for slug, _, level, *_ in SOLUTIONS:
        figures = (await rollout.solution_rollout(slug, land="05")).lands[0].figures
        listed = await missing.missing(slug, land="05", limit=1000)
        eligible = {"gemeinde": GEMEINDEN_NRW, "kreis": KREISE_NRW, "land": 1}[level]
        assert listed.eligible_units == listed.missing_units + listed.covered_units == eligible, slug
        assert (listed.covered_units, listed.covered_population) == (figures.covered_units,
                                                                     figures.covered_population), slug
        assert len(listed.items) == listed.missing_units
        if level == "land":
            continue
        for kreis in (await rollout.solution_rollout(slug, land="05", by="kreis")).kreise:
            scoped = await missing.missing(slug, kreis=kreis.ars, limit=1000)
            assert (scoped.eligible_units, scoped.covered_units) == (
                kreis.figures.eligible_units, kreis.figures.covered_units), (slug, kreis.ars)


async def test_kreis_scorecards_add_up_to_the_ozg_rollout_of_nrw(nrw):
    kreise = [await service.scorecard(k.ars) for k in
              (await rollout.solution_rollout("wohnsitz-nrw", land="05", by="kreis")).kreise]
    assert len(kreise) == KREISE_NRW
    for ozg_id in ("10124", "10439", "10519"):
        result = await rollout.ozg_rollout(ozg_id)
        nrw_figures = next(x.figures for x in result.lands if x.land.code == "05")
        items = [next((x for x in card.leistungen if x.ozg_id == ozg_id), None) for card in kreise]
        assert sum(x.covered_units for x in items if x) == nrw_figures.covered_units, ozg_id
        assert sum(card.area.gemeinden for card in kreise) == GEMEINDEN_NRW


async def test_duisburg_and_hamm_among_the_kreisfreien_staedte_of_nrw(nrw):
    duisburg, hamm = (await service.compare(["05112000", "05915000"])).areas
    async with db.connection() as conn:
        expected = {r[0] for r in await conn.fetch(
            "SELECT g.ars FROM area g JOIN area k ON k.ars = left(g.ars, 5)"
            " WHERE g.level = 'gemeinde' AND k.textkennzeichen = '41' AND g.land = '05'"
            " AND g.population BETWEEN $1 AND $2 AND g.ars <> $3", 251_135, 1_004_540, "051120000000")}
    assert duisburg.peer_group.peers == len(expected) >= 8
    assert {p.ars for p in duisburg.peer_group.nearest} <= expected
    assert "053150000000" not in expected  # Köln has more than twice Duisburg's population
    for group in (duisburg.peer_group, hamm.peer_group):
        assert group.rank <= group.of and group.of == group.peers + 1
        for peer in group.nearest:
            card = await service.scorecard(peer.ars)
            assert (peer.online, peer.partial) == (card.summary.online, card.summary.partial), peer.ars
    assert (duisburg.summary.online, duisburg.area.kind) == (3, "kreisfreie_stadt")  # Elterngeld, Kfz, Wohnsitz
