"""HTTP contracts of the reference-data reads: areas, Länder, Themenfelder, OZG-Leistungen."""

from __future__ import annotations

from tests.api.contract import assert_problem, refused_gets


async def test_lands_count_municipalities_without_gemeindefreie_gebiete(client, reference_data):
    response = await client.get("/v1/lands")
    assert response.status_code == 200
    lands = {land["code"]: land for land in response.json()}
    assert set(lands) == {"03", "05", "10"}
    assert lands["05"] == {"code": "05", "isoCode": "DE-NW", "name": "Nordrhein-Westfalen", "gemeinden": 2,
                           "gemeindefreieGebiete": 0, "kreise": 2, "population": 18034454, "gebietsstand": None}
    assert (lands["03"]["gemeinden"], lands["03"]["gemeindefreieGebiete"]) == (0, 1)


async def test_land_by_iso_code_and_by_key_are_the_same(client, reference_data):
    by_iso = await client.get("/v1/lands/DE-NW")
    by_key = await client.get("/v1/lands/05")
    assert by_iso.json() == by_key.json() and by_key.json()["name"] == "Nordrhein-Westfalen"
    assert_problem(await client.get("/v1/lands/DE-XX"), 404, "code")


async def test_area_by_ars_and_by_ags(client, reference_data):
    by_ars = await client.get("/v1/areas/051120000000")
    by_ags = await client.get("/v1/areas/05112000")
    assert by_ars.status_code == by_ags.status_code == 200
    assert by_ars.json() == by_ags.json()
    body = by_ars.json()
    assert set(body) == {"ars", "ags", "name", "level", "textkennzeichen", "parent", "land", "isoCode", "seat",
                         "population", "areaHa", "gebietsstand", "isMunicipality", "current"}
    assert (body["name"], body["level"], body["parent"], body["isMunicipality"]) == (
        "Duisburg, Stadt", "gemeinde", "051120000", True)
    gemeindefrei = (await client.get("/v1/areas/033585000000")).json()
    assert gemeindefrei["isMunicipality"] is False


async def test_area_listing_is_paged_with_a_cursor_and_filters(client, reference_data):
    seen, url = [], "/v1/areas?land=05&limit=3"
    while url:
        page = (await client.get(url)).json()
        assert len(page["items"]) <= 3 and page["limit"] == 3
        seen += [a["ars"] for a in page["items"]]
        url = page["next"]
    assert seen == sorted(a for a in seen) and len(seen) == 8 and len(set(seen)) == 8
    kreise = (await client.get("/v1/areas", params={"level": "kreis", "land": "05"})).json()["items"]
    assert [a["ars"] for a in kreise] == ["05112", "05113"]
    by_name = (await client.get("/v1/areas", params={"q": "essen", "level": "gemeinde"})).json()["items"]
    assert [a["ars"] for a in by_name] == ["051130000000"]
    children = (await client.get("/v1/areas", params={"parent": "051"})).json()["items"]
    assert [a["ars"] for a in children] == ["05112", "05113"]


test_bad_requests_are_problems_naming_the_parameter = refused_gets(
    # the lists' parameters: a misspelt name, values out of range, a broken cursor
    (400, "levl", "/v1/areas?levl=kreis"), (400, "level", "/v1/areas?level=dorf"),
    (400, "limit", "/v1/areas?limit=0", "/v1/areas?limit=5000"), (400, "after", "/v1/areas?after=%%%"),
    (400, "land", "/v1/areas?land=99"),
    (400, "sort", "/v1/ozg-leistungen?themenfeld=x&sort=name"), (400, "leikaKey", "/v1/ozg-leistungen?leikaKey=123"),
    # keys: malformed (400), well-formed but unknown (404)
    (400, "ars", "/v1/areas/1234567"), (404, "ars", "/v1/areas/059999999999"),
    (400, "ozgId", "/v1/ozg-leistungen/abc"), (404, "ozgId", "/v1/ozg-leistungen/99999"),
    data="reference_data")


async def test_unknown_route_is_a_problem(client, reference_data):
    assert_problem(await client.get("/v1/nothing-here"), 404)


async def test_themenfelder_with_counts(client, reference_data):
    body = (await client.get("/v1/themenfelder")).json()
    assert [(t["key"], t["ozgLeistungen"]) for t in body] == [("bauen-wohnen", 2), ("familie-kind", 2)]


async def test_ozg_search_is_german_stemmed_and_ranked(client, reference_data):
    body = (await client.get("/v1/ozg-leistungen", params={"q": "Baugenehmigungen"})).json()
    assert [o["ozgId"] for o in body["items"]] == ["10521"]
    body = (await client.get("/v1/ozg-leistungen", params={"q": "Elterngeldes"})).json()
    assert [o["ozgId"] for o in body["items"]] == ["10000"]


async def test_ozg_filters(client, reference_data):
    def ids(response):
        return [o["ozgId"] for o in response.json()["items"]]

    assert ids(await client.get("/v1/ozg-leistungen?themenfeld=bauen-wohnen")) == ["10513", "10521"]
    assert ids(await client.get("/v1/ozg-leistungen?lage=geburt")) == ["10000"]
    assert ids(await client.get("/v1/ozg-leistungen?leikaKey=99012001000000")) == ["10513"]


async def test_ozg_detail_embeds_leika_entries(client, reference_data):
    body = (await client.get("/v1/ozg-leistungen/10000")).json()
    assert (body["name"], body["themenfeld"], body["lagen"]) == ("Elterngeld", "familie-kind", ["Geburt"])
    assert body["leikaEntries"] == [{"leikaKey": "99009001001000", "name": "Elterngeld Bewilligung",
                                     "leikaType": "2/3", "legalBasis": None, "sdgRelevant": None}]


async def test_etag_and_conditional_get(client, reference_data):
    first = await client.get("/v1/areas/05112")
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = await client.get("/v1/areas/05112", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = await client.get("/v1/areas/05113", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


async def test_every_response_carries_a_request_id(client, reference_data):
    mine = await client.get("/v1/lands", headers={"X-Request-ID": "trace-123"})
    assert mine.headers["x-request-id"] == "trace-123"
    problem = await client.get("/v1/areas?bogus=1")
    assert problem.headers["x-request-id"] == problem.json()["requestId"]


async def test_health_and_ready(client, reference_data):
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "database": "ok"}
