"""HTTP contracts of search: the search pages' notes and highlights, suggestions, name resolution;
exact key sets, and problem+json naming the field on every bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.solutions.model import SolutionCreate
from efa_registry.solutions.service import create_solution
from tests.api.contract import assert_problem
from tests.area_rows import insert_areas

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"
OZG_ITEM = {"ozgId", "name", "themenfeld", "themenfeldName", "lagen", "executionLevel", "leikaKeys"}
NOTES = {"didYouMean", "correctedFrom", "relaxed", "unknownWords"}
RESOLUTION = {"query", "verdict", "ars", "name", "level", "score", "alternatives"}
# Two Gemeinden of one name in two Länder (real keys and names of the GV100AD).
NEUSTADT = [("065340016016", "06534016", "Neustadt (Hessen), Stadt", "gemeinde", "63", None, 9316),
            ("071385001044", "07138044", "Neustadt (Wied)", "gemeinde", "64", None, 6526)]


@pytest.fixture
async def solutions(catalogue):
    actor = Actor.system("test")
    for name, summary, ozg_id in [("Digitaler Bauantrag", "Bauanträge online stellen <schnell & sicher>", "10521"),
                                  ("Elterngeld digital", "Elterngeld beantragen", "10000")]:
        await create_solution(SolutionCreate(name=name, provider="land-nrw", ozg_ids=[ozg_id], summary=summary),
                              actor=actor)
    return catalogue


@pytest.fixture
async def neustadt(reference_data):
    async with db.transaction() as conn:
        await insert_areas(conn, NEUSTADT)


class TestOzgSearchPage:
    async def test_a_listing_has_the_notes_and_no_highlight(self, client, reference_data):
        body = (await client.get("/v1/ozg-leistungen")).json()
        assert set(body) == {"items", "next", "limit", *NOTES}
        assert (body["didYouMean"], body["correctedFrom"], body["relaxed"], body["unknownWords"]) == (
            None, None, False, [])
        assert all(set(item) == OZG_ITEM for item in body["items"])

    async def test_the_words_the_catalogue_does_not_know_are_named(self, client, reference_data):
        body = (await client.get("/v1/ozg-leistungen", params={"q": "Abbruch Qwxzvb"})).json()
        assert [o["name"] for o in body["items"]] == ["Abbruchgenehmigung"] and body["unknownWords"] == ["qwxzvb"]

    async def test_a_search_hit_carries_its_highlight(self, client, reference_data):
        body = (await client.get("/v1/ozg-leistungen", params={"q": "Abbruch"})).json()
        [item] = body["items"]
        assert set(item) == OZG_ITEM | {"highlight"} and set(item["highlight"]) == {"name", "snippet"}
        assert item["highlight"]["name"] == "<mark>Abbruchgenehmigung</mark>"

    async def test_a_typo_is_searched_corrected_and_the_page_says_so(self, client, reference_data):
        body = (await client.get("/v1/ozg-leistungen", params={"q": "Baugenehmigng"})).json()
        assert [o["ozgId"] for o in body["items"]] == ["10521"]
        assert (body["didYouMean"], body["correctedFrom"]) == ("baugenehmigung", "Baugenehmigng")

    @pytest.mark.parametrize(("params", "field"), [
        ({"q": "x"}, "q"), ({"q": "x" * 201}, "q"), ({"q": "Bau", "after": "bm90LWEtY3Vyc29y"}, "after"),
        ({"q": "Bau", "sort": "name"}, "sort"),
    ])
    async def test_bad_search_parameters_are_problems(self, client, reference_data, params, field):
        assert_problem(await client.get("/v1/ozg-leistungen", params=params), 400, field)

    async def test_a_listing_cursor_is_no_search_cursor(self, client, reference_data):
        listing = (await client.get("/v1/ozg-leistungen", params={"limit": 1})).json()
        after = listing["next"].split("after=")[1]
        assert_problem(await client.get("/v1/ozg-leistungen", params={"q": "Bau", "after": after}), 400, "after")


class TestSolutionSearchPage:
    async def test_the_page_and_its_hits_have_exactly_these_keys(self, client, solutions):
        plain = (await client.get("/v1/solutions")).json()
        assert set(plain) == {"items", "next", "limit", "facets", *NOTES}
        assert all("highlight" not in item for item in plain["items"])
        found = (await client.get("/v1/solutions", params={"q": "Bauantrag"})).json()
        assert [s["name"] for s in found["items"]] == ["Digitaler Bauantrag"]
        assert set(found["items"][0]) == set(plain["items"][0]) | {"highlight"}

    async def test_highlights_escape_everything_but_the_marks(self, client, solutions):
        found = (await client.get("/v1/solutions", params={"q": "Bauanträge schnell"})).json()
        mark = found["items"][0]["highlight"]
        assert mark["name"] == "Digitaler <mark>Bauantrag</mark>"
        assert mark["snippet"] == "<mark>Bauanträge</mark> online stellen &lt;<mark>schnell</mark> &amp; sicher&gt;"

    async def test_a_query_without_searchable_words_finds_nothing(self, client, solutions):
        body = (await client.get("/v1/solutions", params={"q": "und die", "facets": "status"})).json()
        assert (body["items"], body["next"], body["facets"]) == ([], None, {"status": []})


class TestSuggest:
    async def test_the_answer_has_three_groups_of_small_entries(self, client, solutions):
        body = (await client.get("/v1/suggest", params={"q": "Bau"})).json()
        assert set(body) == {"ozgLeistungen", "solutions", "areas"}
        assert [s["key"] for s in body["ozgLeistungen"]] == ["10521"]
        assert body["solutions"] == [{"key": "digitaler-bauantrag", "label": "Digitaler Bauantrag",
                                      "detail": "Land Nordrhein-Westfalen"}]
        places = (await client.get("/v1/suggest", params={"q": "Duis"})).json()["areas"]
        assert places == [{"key": "051120000000", "label": "Duisburg, Stadt", "detail": "Gemeinde, NW"}]

    @pytest.mark.parametrize(("params", "field"), [
        ({}, "q"), ({"q": ""}, "q"), ({"q": "x" * 101}, "q"), ({"q": "Bau", "limit": "0"}, "limit"),
        ({"q": "Bau", "limit": "21"}, "limit"), ({"q": "Bau", "typ": "ozg"}, "typ"),
    ])
    async def test_bad_parameters_are_problems(self, client, reference_data, params, field):
        assert_problem(await client.get("/v1/suggest", params=params), 400, field)


class TestResolve:
    async def test_each_name_gets_a_verdict_and_ambiguity_is_flagged(self, client, neustadt):
        response = await client.post("/v1/areas/resolve", json={"names": [
            {"name": "Stadt Duisburg"}, {"name": "Neustadt"}, {"name": "Neustadt", "land": "HE"},
            {"name": "Xyzzyhausen"}]})
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"results"} and all(set(r) == RESOLUTION for r in body["results"])
        verdicts = [(r["verdict"], r["ars"]) for r in body["results"]]
        assert verdicts[0] in (("exact", "051120000000"), ("probable", "051120000000"))
        assert verdicts[1] == ("ambiguous", None)
        assert {a["ars"] for a in body["results"][1]["alternatives"]} == {"065340016016", "071385001044"}
        assert verdicts[2][1] == "065340016016" and verdicts[3] == ("unknown", None)
        assert set(body["results"][1]["alternatives"][0]) == {"ars", "name", "level", "score"}

    @pytest.mark.parametrize(("body", "status", "field"), [
        ({"names": []}, 400, "names"),
        ({"names": [{"name": "Essen"}] * 501}, 400, "names"),
        ({"names": [{"name": ""}]}, 400, "names[0].name"),
        ({"names": [{"name": "Essen", "ort": "x"}]}, 400, None),
        ({"names": ["Essen"]}, 400, None),
        ({}, 400, "names"),
        ({"names": [{"name": "Essen"}, {"name": "Duisburg", "land": "Atlantis"}]}, 422, "names[1].land"),
        ({"names": [{"name": "Essen", "kreis": "Nirgendwokreis"}]}, 422, "names[0].kreis"),
    ])
    async def test_bad_bodies_are_problems_naming_the_field(self, client, reference_data, body, status, field):
        problem = assert_problem(await client.post("/v1/areas/resolve", json=body), status, field)
        assert problem["detail"]

    async def test_a_body_that_is_no_json_is_refused(self, client, reference_data):
        response = await client.post("/v1/areas/resolve", content=b"names=Essen",
                                     headers={"content-type": "application/x-www-form-urlencoded"})
        assert_problem(response, 415)


class TestAreaSearch:
    async def test_names_as_people_write_them_with_the_filters(self, client, neustadt):
        def ars(response):
            return [a["ars"] for a in response.json()["items"]]

        assert ars(await client.get("/v1/areas", params={"q": "Stadt Essen", "level": "gemeinde"})) == [
            "051130000000"]
        assert ars(await client.get("/v1/areas", params={"q": "neustadt", "land": "07"})) == ["071385001044"]
        assert ars(await client.get("/v1/areas", params={"q": "Duisbrug", "parent": "051120000"})) == [
            "051120000000"]
        paged = (await client.get("/v1/areas", params={"q": "Neustadt", "limit": 1})).json()
        second = (await client.get(paged["next"])).json()
        assert len(paged["items"]) == len(second["items"]) == 1
        assert paged["items"][0]["ars"] != second["items"][0]["ars"]


def publiccode(used_by: object) -> str:
    doc = yaml.safe_load((FIXTURES / "minimal.yml").read_text())
    return yaml.safe_dump({**doc, "usedBy": used_by}, allow_unicode=True)


class TestUsedBy:
    URL = "/v1/solutions/digitaler-bauantrag/adoptions/used-by"

    async def post(self, client, tokens, body: str, who: str | None = "curator", **params):
        return await client.post(self.URL, params=params, content=body.encode(),
                                 headers={"content-type": "application/yaml", **(tokens.auth(who) if who else {})})

    async def test_a_dry_run_shows_what_would_be_created_and_writes_nothing(self, client, solutions):
        response = await self.post(client, solutions["tokens"], publiccode(["Stadt Duisburg", "Essen", "Xyzzyhausen"]))
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"dryRun", "status", "entries", "created"}
        assert (body["dryRun"], body["created"]) == (True, 0)
        assert set(body["entries"][0]) == {"name", "verdict", "ars", "areaName", "alternatives", "action"}
        assert [(e["ars"], e["action"]) for e in body["entries"]] == [
            ("051120000000", "create"), ("051130000000", "create"), (None, "unresolved")]
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT count(*) FROM adoption") == 0

    async def test_the_real_run_is_all_or_nothing(self, client, solutions):
        tokens = solutions["tokens"]
        refused = await self.post(client, tokens, publiccode(["Duisburg", "Xyzzyhausen"]), dryRun="false")
        assert_problem(refused, 422, "usedBy[1]")
        blank_first = await self.post(client, tokens, publiccode(["  ", "Duisburg", "Xyzzyhausen"]), dryRun="false")
        assert_problem(blank_first, 422, "usedBy[2]")  # the document's index, though the blank entry is skipped
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT count(*) FROM adoption") == 0
        done = (await self.post(client, tokens, publiccode(["Duisburg", "Stadt Essen"]), dryRun="false",
                                status="interested")).json()
        assert (done["dryRun"], done["status"], done["created"]) == (False, "interested", 2)
        again = (await self.post(client, tokens, publiccode(["Duisburg"]))).json()
        assert [e["action"] for e in again["entries"]] == ["exists"]

    @pytest.mark.parametrize(("body", "who", "status", "field"), [
        (publiccode(["Essen"]), None, 401, None),
        (publiccode(["Essen"]), "adopter", 403, None),
        (publiccode("Essen"), "curator", 422, "usedBy"),
        (publiccode([{"name": "Essen"}]), "curator", 422, "usedBy"),
        ("publiccodeYmlVersion: [", "curator", 422, None),
    ])
    async def test_refusals_are_problems(self, client, solutions, body, who, status, field):
        assert_problem(await self.post(client, solutions["tokens"], body, who=who), status, field)

    async def test_the_document_must_come_as_yaml(self, client, solutions):
        response = await client.post(self.URL, json={"usedBy": ["Essen"]}, headers=solutions["tokens"].auth("curator"))
        assert_problem(response, 415)


class TestCataloguePage:
    async def test_matches_are_marked_and_everything_else_escaped(self, client, solutions):
        page = (await client.get("/", params={"q": "Bauanträge schnell"})).text
        assert 'Digitaler <mark>Bauantrag</mark></a></h3>' in page
        assert "<mark>Bauanträge</mark> online stellen &lt;<mark>schnell</mark> &amp; sicher&gt;" in page
        assert 'data-suggest="/v1/suggest"' in page and '<datalist id="vorschlaege"></datalist>' in page

    async def test_a_corrected_search_says_so_in_german(self, client, solutions):
        page = (await client.get("/", params={"q": "Bauantarg"})).text
        assert "Keine Treffer für „Bauantarg“, gezeigt werden die Treffer für" in page
        assert "<strong>bauantrag</strong>" in page and "Digitaler <mark>Bauantrag</mark>" in page
