"""HTTP contracts of the rollout figures: exact key sets, drill-down, matrix, problems, ETags."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from efa_registry import db
from efa_registry.rollout import service
from tests.api.contract import refused_gets

FIGURES = {"eligibleUnits", "coveredUnits", "eligiblePopulation", "coveredPopulation", "shareByCount",
           "shareByPopulation", "flaechendeckend", "availableSomewhere", "adoptions", "firstGoLive", "latestGoLive"}
SOLUTION_REF = {"id", "slug", "name", "status", "rolloutLevel"}


async def _solution(conn, slug: str, level: str, ozg: str) -> uuid.UUID:
    solution_id = uuid.uuid4()
    await conn.execute("INSERT INTO solution (id, slug, name, provider, status, rollout_level)"
                       " SELECT $1, $2, $2, id, 'available', $3 FROM organisation", solution_id, slug, level)
    await conn.execute("INSERT INTO solution_ozg_leistung (solution, ozg_leistung) VALUES ($1, $2)", solution_id, ozg)
    return solution_id


async def _adopt(conn, solution_id: uuid.UUID, ars: str, status: str = "live") -> uuid.UUID:
    adoption_id = uuid.uuid4()
    await conn.execute("INSERT INTO adoption (id, solution, area, status, live_since) VALUES ($1, $2, $3, $4, $5)",
                       adoption_id, solution_id, ars, status, dt.date(2024, 3, 15) if status == "live" else None)
    return adoption_id


@pytest.fixture
async def rollout(client, reference_data):
    """NRW (Duisburg, Essen), the Saarland and Niedersachsen of the reference data; Wohngeld live in
    Duisburg, an interested Essen; a Land-level register live in NRW."""
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, 'nrw', 'land', 'NRW')",
                           uuid.uuid4())
        wohngeld = await _solution(conn, "wohngeld-digital", "gemeinde", "10000")
        register = await _solution(conn, "register", "land", "10521")
        await _adopt(conn, wohngeld, "051120000000")
        essen = await _adopt(conn, wohngeld, "051130000000", status="interested")
        await _adopt(conn, register, "05")
        await service.refresh_solution(conn, wohngeld)
        await service.refresh_solution(conn, register)
    return {"wohngeld": wohngeld, "essen": essen}


async def test_solution_rollout_per_land_and_national(client, rollout):
    response = await client.get("/v1/solutions/wohngeld-digital/rollout")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"solution", "national", "lands"}
    assert set(body["solution"]) == SOLUTION_REF and body["solution"]["rolloutLevel"] == "gemeinde"
    assert set(body["national"]) == FIGURES | {"forecast"}
    assert [land["land"] for land in body["lands"]] == ["03", "05", "10"]
    nrw = body["lands"][1]
    assert set(nrw) == FIGURES | {"land", "isoCode", "name", "forecast"}
    assert (nrw["isoCode"], nrw["eligibleUnits"], nrw["coveredUnits"], nrw["shareByCount"]) == ("DE-NW", 2, 1, 0.5)
    assert nrw["shareByPopulation"] == pytest.approx(503707 / (503707 + 586608))
    assert nrw["adoptions"] == {"interested": 1, "agreed": 0, "onboarding": 0, "live": 1, "paused": 0, "withdrawn": 0}
    assert (nrw["firstGoLive"], nrw["latestGoLive"], nrw["flaechendeckend"]) == ("2024-03-15", "2024-03-15", False)
    # Niedersachsen's only area is a gemeindefreies Gebiet: nothing to cover, so no share.
    assert (body["lands"][0]["eligibleUnits"], body["lands"][0]["shareByCount"]) == (0, None)
    by_id = await client.get(f"/v1/solutions/{rollout['wohngeld']}/rollout")
    assert by_id.json() == body


async def test_drill_down_to_the_kreise_of_one_land(client, rollout):
    body = (await client.get("/v1/solutions/wohngeld-digital/rollout?land=DE-NW&by=kreis")).json()
    assert set(body) == {"solution", "national", "lands", "kreise"}
    assert [land["land"] for land in body["lands"]] == ["05"]
    assert [(k["ars"], k["name"], k["eligibleUnits"], k["coveredUnits"]) for k in body["kreise"]] == [
        ("05112", "Duisburg, Stadt", 1, 1), ("05113", "Essen, Stadt", 1, 0)]
    assert set(body["kreise"][0]) == FIGURES | {"ars", "name"}
    only = (await client.get("/v1/solutions/wohngeld-digital/rollout?land=05")).json()
    assert set(only) == {"solution", "national", "lands"} and len(only["lands"]) == 1


async def test_timeline(client, rollout):
    body = (await client.get("/v1/solutions/wohngeld-digital/rollout/timeline")).json()
    assert set(body) == {"solution", "months", "lands", "national"}
    assert (body["months"], body["national"]) == (["2024-03"], [1])
    assert set(body["lands"][1]) == {"land", "eligibleUnits", "covered"}
    assert (body["lands"][1]["land"]["code"], body["lands"][1]["covered"]) == ("05", [1])


async def test_ozg_leistung_rollout(client, rollout):
    body = (await client.get("/v1/ozg-leistungen/10000/rollout")).json()
    assert set(body) == {"ozgLeistung", "rolloutLevel", "levelSource", "solutions", "national", "lands"}
    assert body["ozgLeistung"] == {"ozgId": "10000", "name": "Elterngeld", "themenfeld": "familie-kind",
                                   "executionLevel": None}
    assert (body["rolloutLevel"], body["levelSource"]) == ("gemeinde", "solutions")
    assert [s["slug"] for s in body["solutions"]] == ["wohngeld-digital"]
    assert body["national"]["coveredUnits"] == 1


async def test_land_overview_by_key_or_iso_code(client, rollout):
    body = (await client.get("/v1/lands/DE-NW/rollout")).json()
    assert body == (await client.get("/v1/lands/05/rollout")).json()
    assert set(body) == {"land", "solutions", "ozgLeistungen"}
    assert body["land"] == {"code": "05", "isoCode": "DE-NW", "name": "Nordrhein-Westfalen"}
    assert [(s["solution"]["slug"], s["coveredUnits"], s["eligibleUnits"]) for s in body["solutions"]] == [
        ("register", 1, 1), ("wohngeld-digital", 1, 2)]
    assert set(body["solutions"][0]) == FIGURES | {"solution"}
    assert [(o["ozgLeistung"]["ozgId"], o["rolloutLevel"], o["flaechendeckend"]) for o in body["ozgLeistungen"]] == [
        ("10000", "gemeinde", False), ("10521", "land", True)]
    assert set(body["ozgLeistungen"][0]) == FIGURES | {"ozgLeistung", "rolloutLevel"}


async def test_matrix_with_ranking_and_filters(client, rollout):
    body = (await client.get("/v1/rollout")).json()
    assert set(body) == {"lands", "rows", "ranking"}
    assert [land["code"] for land in body["lands"]] == ["03", "05", "10"]
    row = next(r for r in body["rows"] if r["solution"]["slug"] == "wohngeld-digital")
    assert set(row) == {"solution", "national", "eligibleUnits", "coveredUnits", "shareByCount",
                        "shareByPopulation", "flaechendeckend"}
    assert (row["eligibleUnits"], row["coveredUnits"], row["flaechendeckend"]) == (
        [0, 2, 0], [0, 1, 0], [False, False, False])
    assert row["shareByCount"] == [None, 0.5, None]
    # NRW covers the Land-level register (10521) and half of Wohngeld (10000); the others nothing.
    assert [(e["rank"], e["land"], e["flaechendeckendOzgLeistungen"], e["meanShareByCount"])
            for e in body["ranking"]] == [(1, "05", 1, 0.75), (2, "03", 0, 0.0), (2, "10", 0, 0.0)]
    assert set(body["ranking"][0]) == {"rank", "land", "isoCode", "name", "flaechendeckendOzgLeistungen",
                                       "ozgLeistungen", "meanShareByCount"}
    filtered = (await client.get("/v1/rollout?themenfeld=bauen-wohnen&status=available")).json()
    assert [r["solution"]["slug"] for r in filtered["rows"]] == ["register"]
    assert [r["solution"]["slug"] for r in (await client.get("/v1/rollout?ozgId=10000")).json()["rows"]] == [
        "wohngeld-digital"]


async def test_a_write_shows_at_once_and_changes_the_etag(client, rollout):
    first = await client.get("/v1/rollout")
    etag = first.headers["etag"]
    assert set(first.headers["cache-control"].split(", ")) == {"public", "no-cache"}
    assert (await client.get("/v1/rollout", headers={"If-None-Match": etag})).status_code == 304
    async with db.transaction() as conn:
        await conn.execute("UPDATE adoption SET status = 'live', live_since = '2025-01-01' WHERE id = $1",
                           rollout["essen"])
        await service.refresh_after_adoption_change(conn, solution_id=rollout["wohngeld"], area_ars="051130000000")
    again = await client.get("/v1/rollout", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["etag"] != etag
    row = next(r for r in again.json()["rows"] if r["solution"]["slug"] == "wohngeld-digital")
    assert row["flaechendeckend"] == [False, True, False]


test_bad_requests_are_problems_naming_the_parameter = refused_gets(
    (404, "key", "/v1/solutions/no-such-solution/rollout", "/v1/solutions/no-such-solution/rollout/timeline"),
    (400, "land", "/v1/solutions/wohngeld-digital/rollout?by=kreis", "/v1/solutions/wohngeld-digital/rollout?land=17",
     "/v1/rollout?land=05"),
    (404, "land", "/v1/solutions/wohngeld-digital/rollout?land=DE-XX"),
    (400, "by", "/v1/solutions/register/rollout?land=05&by=kreis",
     "/v1/solutions/wohngeld-digital/rollout?by=gemeinde"),
    (400, "kreis", "/v1/solutions/wohngeld-digital/rollout?kreis=05112"),
    (404, "ozgId", "/v1/ozg-leistungen/99999/rollout"),
    (400, "ozgId", "/v1/ozg-leistungen/abc/rollout", "/v1/rollout?ozgId=x"),
    (404, "code", "/v1/lands/DE-XX/rollout"),
    (400, "code", "/v1/lands/17/rollout"),
    (400, "status", "/v1/rollout?status=finished"),
    data="rollout")


async def test_the_neighbouring_routes_still_resolve(client, rollout):
    for url in ("/v1/solutions/wohngeld-digital", "/v1/lands/05", "/v1/ozg-leistungen/10000",
                "/v1/solutions/wohngeld-digital/history"):
        assert (await client.get(url)).status_code == 200, url


async def test_rollout_operations_are_documented(client):
    spec = (await client.get("/schema/openapi.json")).json()
    operations = {op["operationId"]: (path, op) for path, item in spec["paths"].items() for op in item.values()}
    for operation_id, path in [
        ("getSolutionRollout", "/v1/solutions/{key}/rollout"),
        ("getSolutionRolloutTimeline", "/v1/solutions/{key}/rollout/timeline"),
        ("getOzgLeistungRollout", "/v1/ozg-leistungen/{ozgId}/rollout"),
        ("getLandRollout", "/v1/lands/{code}/rollout"),
        ("getRolloutMatrix", "/v1/rollout"),
    ]:
        found_path, op = operations[operation_id]
        assert found_path == path and op["tags"] == ["Rollout"] and op["summary"] and op["description"]
