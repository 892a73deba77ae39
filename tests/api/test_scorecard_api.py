"""HTTP contracts of scorecards, comparisons and the not-yet-docked lists: exact key sets, routing
of /v1/areas/compare beside /v1/areas/{ars}, paging and CSV, problem+json on every error, and the
numbers derived from the rollout endpoints."""

from __future__ import annotations

import csv
import io

import pytest

from tests import scorecard_fixtures as data
from tests.api.contract import assert_problem, refused_gets

AREA = {"ars", "ags", "name", "level", "kind", "land", "landName", "population", "gemeinden"}
COUNTS = {"withSolution", "online", "partial", "inPreparation"}
LEISTUNG = {"ozgId", "name", "themenfeld", "rolloutLevel", "coverage", "eligibleUnits", "coveredUnits", "origin",
            "inheritedFrom", "depth", "solutions"}
COVERING = {"id", "slug", "name", "status", "reifegradModel", "reifegrad", "origin", "inheritedFrom", "coveredUnits",
            "liveSince"}
PREPARATION = {"ozgId", "name", "themenfeld", "solution", "status", "plannedLiveOn", "leistungOnline", "adopters"}
PEER_GROUP = {"rule", "peers", "rank", "of", "sharingRank", "nearest"}
RULE = {"text", "land", "landName", "kind", "populationMin", "populationMax", "factorMin", "factorMax", "rankedBy",
        "ties"}
MISSING_PAGE = {"solution", "scope", "eligibleUnits", "coveredUnits", "missingUnits", "eligiblePopulation",
                "coveredPopulation", "missingPopulation", "items", "next", "limit"}
MISSING_UNIT = {"ars", "ags", "name", "level", "population", "kreis", "status", "statusFrom", "statusOrigin",
                "plannedLiveOn"}
MISSING = "/v1/solutions/wohnsitzanmeldung/rollout/missing"


@pytest.fixture
async def loaded(client):
    return await data.load()


async def test_scorecard_shape(client, loaded):
    response = await client.get("/v1/areas/05112000/scorecard")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"area", "summary", "depth", "themenfelder", "leistungen", "preparation"}
    assert set(body["area"]) == AREA and body["area"]["kind"] == "kreisfreie_stadt"
    assert set(body["summary"]) == COUNTS and body["summary"]["online"] == 3
    assert set(body["depth"]) == {"models", "withoutReifegrad"}
    assert set(body["depth"]["models"][0]) == {"model", "leistungen", "levels"}
    assert set(body["themenfelder"][0]) == COUNTS | {"key", "name"}
    melde = next(x for x in body["leistungen"] if x["ozgId"] == "10559")
    assert set(melde) == LEISTUNG and set(melde["solutions"][0]) == COVERING
    assert melde["depth"] == [{"model": "1.1", "reifegrad": 3, "solutions": ["meldebescheinigung-klassisch"]},
                              {"model": "2.0", "reifegrad": 7, "solutions": ["meldebescheinigung"]}]
    elterngeld = next(x for x in body["leistungen"] if x["ozgId"] == "10000")
    assert elterngeld["inheritedFrom"] == [{"ars": "05", "name": "Nordrhein-Westfalen", "level": "land"}]
    assert set(body["preparation"][0]) == PREPARATION
    assert body["preparation"][0]["adopters"] == [{"ars": "05112", "name": "Duisburg, Stadt", "level": "kreis",
                                                   "origin": "own", "status": "agreed",
                                                   "plannedLiveOn": "2026-06-30"}]
    assert set(response.headers["cache-control"].split(", ")) == {"public", "no-cache"}
    again = await client.get("/v1/areas/05112000/scorecard", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("query", ["ars=05112000&ars=05915000", "ars=05112000,05915000", "ars=05112000, 05915000"])
async def test_compare_takes_repeated_or_comma_separated_keys(client, loaded, query):
    response = await client.get(f"/v1/areas/compare?{query}")
    assert response.status_code == 200, response.text
    areas = response.json()["areas"]
    assert [a["area"]["name"] for a in areas] == ["Duisburg, Stadt", "Hamm, Stadt"]
    assert set(areas[0]) == {"area", "summary", "depth", "themenfelder", "peerGroup"}
    group = areas[0]["peerGroup"]
    assert set(group) == PEER_GROUP and set(group["rule"]) == RULE
    assert set(group["nearest"][0]) == {"ars", "ags", "name", "population", "online", "partial", "rank"}
    assert (group["rank"], group["of"], group["sharingRank"], group["rule"]["ties"]) == (2, 4, 2, "shared_rank")


async def test_compare_is_not_swallowed_by_the_area_lookup(client, loaded):
    refused = assert_problem(await client.get("/v1/areas/compare"), 400, "ars")
    assert refused["detail"] == "compare 2 to 10 areas, got 0"  # the comparison's refusal, not the lookup's
    assert "areas" in (await client.get("/v1/areas/compare?ars=05112000,05915000")).json()
    assert (await client.get("/v1/areas/05112000")).json()["name"] == "Duisburg, Stadt"
    spec = (await client.get("/schema/openapi.json")).json()["paths"]
    assert spec["/v1/areas/compare"]["get"]["operationId"] == "compareAreas"
    assert spec["/v1/areas/{ars}/scorecard"]["get"]["operationId"] == "getAreaScorecard"
    assert set(spec["/v1/areas/{ars}/scorecard"]["get"]["responses"]) >= {"200", "400", "404", "422"}


test_refusals_are_problems_naming_the_field = refused_gets(
    (404, "ars", "/v1/areas/05999000/scorecard", "/v1/areas/compare?ars=05112000&ars=05999000"),
    (422, "ars", "/v1/areas/05/scorecard", "/v1/areas/059/scorecard", "/v1/areas/compare?ars=05112000&ars=05"),
    (400, "ars", "/v1/areas/0511x/scorecard", "/v1/areas/compare?ars=05112000",
     "/v1/areas/compare?ars=" + ",".join(["05112000"] * 11), "/v1/areas/compare?ars=05112000&ars=bochum",
     "/v1/areas/compare?ars=05112000&ars=05112",  # one kreisfreie Stadt under two keys
     "/v1/areas/compare?ars=05112000&ars=051120000000"),
    (400, "land", "/v1/areas/05112000/scorecard?land=05"),
    (400, "sort", "/v1/areas/compare?ars=05112000&ars=05915000&sort=rank"),
    data="loaded")


async def test_missing_pages_follow_next_links(client, loaded):
    url, names = "/v1/solutions/wohnsitzanmeldung/rollout/missing?land=05&limit=2", []
    while url:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == MISSING_PAGE and body["limit"] == 2
        assert (body["eligibleUnits"], body["coveredUnits"], body["missingUnits"]) == (10, 5, 5)
        names += [u["name"] for u in body["items"]]
        url = body["next"]
    assert names == ["Duisburg, Stadt", "Essen, Stadt", "Neuss, Stadt", "Rommerskirchen", "Bochum, Stadt"]
    first = (await client.get("/v1/solutions/wohnsitzanmeldung/rollout/missing?kreis=05162")).json()
    assert set(first["items"][0]) == MISSING_UNIT
    assert first["scope"] == {"level": "kreis", "ars": "05162", "name": "Rhein-Kreis Neuss"}
    assert first["items"][0]["kreis"] == {"ars": "05162", "name": "Rhein-Kreis Neuss", "level": "kreis"}


async def test_missing_as_csv(client, loaded):
    response = await client.get("/v1/solutions/wohnsitzanmeldung/rollout/missing.csv?land=DE-NW")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="wohnsitzanmeldung-missing-05.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["name"], r["status"]) for r in rows] == [
        ("Duisburg, Stadt", "interested"), ("Essen, Stadt", "paused"), ("Neuss, Stadt", "none"),
        ("Rommerskirchen", "none"), ("Bochum, Stadt", "onboarding")]
    empty = await client.get("/v1/solutions/wohnsitzanmeldung/rollout/missing.csv?kreis=05158")
    assert empty.text.splitlines() == [",".join(("ars", "ags", "name", "level", "population", "kreisArs",
                                                 "kreisName", "status", "statusFromArs", "statusFromName",
                                                 "statusOrigin", "plannedLiveOn"))]


test_missing_refusals_are_problems_naming_the_field = refused_gets(
    (404, "key", "/v1/solutions/no-such-solution/rollout/missing?land=05",
     "/v1/solutions/no-such-solution/rollout/missing.csv"),
    (400, "land", f"{MISSING}?land=17"),
    (404, "land", f"{MISSING}?land=DE-XX"),
    (400, "kreis", f"{MISSING}?land=05&kreis=05158", f"{MISSING}?kreis=0515"),
    (404, "kreis", f"{MISSING}?kreis=05999"),
    (422, "kreis", "/v1/solutions/elterngeld-digital/rollout/missing?kreis=05158",
     "/v1/solutions/elterngeld-digital/rollout/missing.csv?kreis=05158"),
    (400, "limit", f"{MISSING}?limit=0"),
    (400, "after", f"{MISSING}?after=bogus!"),
    (400, "status", f"{MISSING}?status=none"),
    data="loaded")


async def test_the_numbers_derive_from_the_rollout_endpoints(client, loaded):
    for slug, *_ in data.SOLUTIONS:
        rollout = (await client.get(f"/v1/solutions/{slug}/rollout")).json()
        for land in rollout["lands"]:
            listed = (await client.get(f"/v1/solutions/{slug}/rollout/missing?land={land['land']}&limit=100")).json()
            assert (listed["missingUnits"] + listed["coveredUnits"], listed["coveredUnits"]) == (
                land["eligibleUnits"], land["coveredUnits"]), (slug, land["land"])
            assert listed["missingPopulation"] == land["eligiblePopulation"] - land["coveredPopulation"]
    for ozg_id, *_ in data.LEISTUNGEN:
        ozg = (await client.get(f"/v1/ozg-leistungen/{ozg_id}/rollout")).json()
        if ozg["rolloutLevel"] != "kreis":
            continue
        nrw = next(x for x in ozg["lands"] if x["land"] == "05")
        online = 0
        for kreis in data.NRW_KREISE:
            card = (await client.get(f"/v1/areas/{kreis}/scorecard")).json()
            online += any(x["ozgId"] == ozg_id and x["coverage"] == "full" for x in card["leistungen"])
        assert online == nrw["coveredUnits"], ozg_id
