"""The rollout forecast through the API and on the pages, on constructed histories whose answers
are known: the pace of the last 12 months, the completion month, and the honest "not at this pace".

Dates are relative to today (the API forecasts as of the current date); every case is chosen so
that the answer does not depend on the day of the month: the remaining units take a whole number
of months at the pace.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from efa_registry import db
from efa_registry.rollout import forecast as fc
from efa_registry.rollout import service
from tests.api.conftest import wire_pages

TODAY = dt.date.today()
FORECAST = {"state", "eligibleUnits", "liveUnits", "remainingUnits", "pacePerMonth", "completeBy", "windowStart",
            "windowEnd", "goLivesInWindow"}


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def months_ahead(months: int) -> str:
    index = TODAY.year * 12 + TODAY.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1).isoformat()


def gemeinden(kreis: str, n: int) -> list[str]:
    return [f"{kreis}5001{i:03d}" for i in range(1, n + 1)]


# Rheinland-Pfalz with two Kreise of 12 Gemeinden each, the Saarland with one Kreis of one Gemeinde.
A, B = gemeinden("07131", 12), gemeinden("07132", 12)
SAAR = gemeinden("10041", 1)


@pytest.fixture
async def history(client):
    areas = [("07", "Rheinland-Pfalz", "land", None, "DE-RP"), ("10", "Saarland", "land", None, "DE-SL")]
    for kreis, land, units in (("07131", "07", A), ("07132", "07", B), ("10041", "10", SAAR)):
        areas += [(kreis, f"Kreis {kreis}", "kreis", land, None), (f"{kreis}5001", f"VG {kreis}", "gemeindeverband",
                                                                    kreis, None)]
        areas += [(ars, f"Gemeinde {ars}", "gemeinde", f"{kreis}5001", None) for ars in units]
    async with db.transaction() as conn:
        await conn.executemany("INSERT INTO area (ars, name, level, parent, land, iso_code, population)"
                               " VALUES ($1, $2, $3, $4, $5, $6, 100)", [(*a[:4], a[0][:2], a[4]) for a in areas])
        await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, 'rlp', 'land', 'RLP')",
                           uuid.uuid4())
    return client


async def solution(slug: str, adoptions: list[tuple[str, str, dt.date | None]], level: str = "gemeinde") -> None:
    """A solution with (area, status, live_since) adoptions, its summary rows refreshed as the
    adoption service does."""
    solution_id = uuid.uuid4()
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO solution (id, slug, name, provider, status, rollout_level)"
                           " SELECT $1, $2, $2, id, 'available', $3 FROM organisation", solution_id, slug, level)
        await conn.executemany(
            "INSERT INTO adoption (id, solution, area, status, paused_from, live_since)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            [(uuid.uuid4(), solution_id, ars, status, "live" if status == "paused" else None, since)
             for ars, status, since in adoptions])
        await service.refresh_solution(conn, solution_id)


async def forecasts(client, slug: str) -> tuple[dict[str, dict], dict]:
    body = (await client.get(f"/v1/solutions/{slug}/rollout")).json()
    return {land["land"]: land["forecast"] for land in body["lands"]}, body["national"]["forecast"]


async def test_gemeinde_go_lives_of_the_last_12_months_set_the_pace(history):
    # 12 live in Rheinland-Pfalz: 6 in the last 12 months (one a month), 6 long before; 12 left at 0.5 a month.
    recent = [(ars, "live", ago(30 * k)) for k, ars in enumerate(A[:6], start=1)]
    await solution("gleichmaessig", recent + [(ars, "live", ago(400 + k)) for k, ars in enumerate(A[6:])])
    lands, national = await forecasts(history, "gleichmaessig")
    rlp = lands["07"]
    assert set(rlp) == FORECAST
    assert (rlp["state"], rlp["eligibleUnits"], rlp["liveUnits"], rlp["remainingUnits"]) == ("on_track", 24, 12, 12)
    assert (rlp["goLivesInWindow"], rlp["pacePerMonth"], rlp["completeBy"]) == (6, 0.5, months_ahead(24))
    assert (rlp["windowStart"], rlp["windowEnd"]) == tuple(day.isoformat() for day in fc.window(TODAY))
    assert lands["10"]["state"] == "no_progress" and lands["10"]["remainingUnits"] == 1
    # Germany: 13 left (12 + the Saarland's one) at the same 6 a year: 26 months
    assert (national["state"], national["remainingUnits"], national["completeBy"]) == ("on_track", 13, months_ahead(26))


# Kreis 07131 went live 100 days ago: 12 Gemeinden, one of which was live on its own for years —
# 11 newly covered in the window. With one more old Gemeinde in 07132: 13 live, 11 left at 11 a year;
# the Saarland's one Gemeinde is long live, so Germany too has 11 left.
KREISWEIT = [("07131", "live", ago(100)), (A[0], "live", ago(900)), (B[0], "live", ago(800)),
             (SAAR[0], "live", ago(1000))]


async def test_a_kreis_adoption_counts_once_for_each_unit_it_newly_covers(history):
    await solution("kreisweit", KREISWEIT)
    lands, national = await forecasts(history, "kreisweit")
    rlp = lands["07"]
    assert (rlp["liveUnits"], rlp["goLivesInWindow"], rlp["remainingUnits"]) == (13, 11, 11)
    assert (rlp["state"], rlp["completeBy"]) == ("on_track", months_ahead(12))
    assert rlp["pacePerMonth"] == pytest.approx(11 / 12)
    assert (lands["10"]["state"], national["remainingUnits"], national["completeBy"]) == ("done", 11, months_ahead(12))


async def test_a_land_adoption_makes_it_done_and_withdrawn_or_old_go_lives_are_no_progress(history):
    await solution("landesweit", [("07", "live", ago(10))])
    lands, _ = await forecasts(history, "landesweit")
    assert (lands["07"]["state"], lands["07"]["goLivesInWindow"], lands["07"]["completeBy"]) == ("done", 24, None)
    # Went live 3 months ago and was withdrawn since: no unit is live, so no progress; an old go-live neither.
    await solution("zurueckgezogen", [(A[0], "withdrawn", ago(90)), (A[1], "paused", ago(60)),
                                      (A[2], "live", ago(366))])
    lands, national = await forecasts(history, "zurueckgezogen")
    assert (lands["07"]["state"], lands["07"]["liveUnits"], lands["07"]["goLivesInWindow"]) == ("no_progress", 1, 0)
    assert (lands["07"]["pacePerMonth"], national["state"]) == (0.0, "no_progress")


async def test_a_kreis_level_rollout_counts_kreise(history):
    # Two of three Kreise: one live 2 months ago, one long ago; one left at 1 a year: 12 months.
    await solution("kreise", [("07131", "live", ago(60)), ("07132", "live", ago(700))], level="kreis")
    lands, national = await forecasts(history, "kreise")
    assert (lands["07"]["state"], lands["07"]["eligibleUnits"]) == ("done", 2)
    assert (national["eligibleUnits"], national["remainingUnits"], national["completeBy"]) == (3, 1, months_ahead(12))


async def test_an_ozg_leistung_counts_a_unit_once_over_its_solutions(history):
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO themenfeld (key, name, position) VALUES ('familie-kind', 'Familie & Kind', 1)")
        await conn.execute("INSERT INTO ozg_leistung (ozg_id, name, themenfeld) VALUES ('10000', 'Elterngeld',"
                           " 'familie-kind')")
    await solution("eins", [(A[0], "live", ago(30)), (A[1], "live", ago(60))])
    await solution("zwei", [(A[0], "live", ago(500)), (A[2], "live", ago(90))])
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO solution_ozg_leistung (solution, ozg_leistung)"
                           " SELECT id, '10000' FROM solution")
        for row in await conn.fetch("SELECT id FROM solution"):
            await service.refresh_solution(conn, row["id"])
    body = (await history.get("/v1/ozg-leistungen/10000/rollout")).json()
    rlp = next(land for land in body["lands"] if land["land"] == "07")
    # A[0] counts from its first coverage (500 days ago), A[1] and A[2] in the window: 3 live, 2 recent.
    assert (rlp["forecast"]["liveUnits"], rlp["forecast"]["goLivesInWindow"]) == (3, 2)
    assert set(body["national"]["forecast"]) == FORECAST


async def test_the_pages_say_the_forecast_and_draw_the_projection(history, app):
    wire_pages(app)
    await solution("kreisweit", KREISWEIT)
    ahead = dt.date.fromisoformat(months_ahead(12))
    names = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember")
    sentence = ("Bei gleichem Tempo (≈\u00a00,9 Gemeinden pro Monat in den letzten 12 Monaten) wären im "
                f"{names[ahead.month - 1]} {ahead.year} alle berechtigten Gemeinden live.")
    page = (await history.get("/rollout", params={"loesung": "kreisweit"})).text
    assert sentence in page  # Germany
    assert 'class="projection"' in page and "bei gleichem Tempo" in page
    assert sentence in (await history.get("/laender/07", params={"loesung": "kreisweit"})).text
    await solution("alt", [(A[0], "live", ago(800))])
    stalled = (await history.get("/rollout", params={"loesung": "alt"})).text
    assert "Bei diesem Tempo nicht absehbar: in den letzten 12 Monaten kam keine Gemeinde hinzu." in stalled
    assert 'class="projection"' not in stalled


async def test_a_new_go_live_moves_the_forecast_at_once(history):
    await solution("wachsend", [(A[0], "live", ago(30))])
    before = (await forecasts(history, "wachsend"))[0]["07"]
    assert (before["liveUnits"], before["goLivesInWindow"]) == (1, 1)
    async with db.transaction() as conn:  # what the adoption service does on a go-live
        solution_id = await conn.fetchval("SELECT id FROM solution WHERE slug = 'wachsend'")
        await conn.execute("INSERT INTO adoption (id, solution, area, status, live_since) VALUES ($1, $2, $3,"
                           " 'live', $4)", uuid.uuid4(), solution_id, "07132", ago(5))
        await service.refresh_after_adoption_change(conn, solution_id=solution_id, area_ars="07132")
    after = (await forecasts(history, "wachsend"))[0]["07"]
    assert (after["liveUnits"], after["goLivesInWindow"], after["remainingUnits"]) == (13, 13, 11)
