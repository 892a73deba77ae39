"""Query strings decode into the core's query Structs (api.params.query_of): every parameter is
documented, unknown ones are refused naming them, list values repeat or comma-separate, and
OPTIONS on a route answers instead of failing."""

from __future__ import annotations

import pytest

from tests.api.contract import assert_problem

SEARCH_PARAMETERS = {
    "q", "themenfeld", "ozgId", "leikaKey", "provider", "providerLand", "status", "efaCompliant", "minReifegrad",
    "interfaceStandard", "interfaceKind", "reuseRoute", "updatedSince", "sort", "facets", "limit", "after", "expand",
}


def parameters(spec: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in spec["paths"][path]["get"]["parameters"] if p["in"] == "query"}


async def test_every_filter_of_the_core_query_is_documented(client):
    spec = (await client.get("/schema/openapi.json")).json()
    search = parameters(spec, "/v1/solutions")
    assert set(search) == SEARCH_PARAMETERS
    assert search["minReifegrad"]["schema"]["maximum"] == 7  # the Struct's constraints, documented
    assert (search["q"]["schema"]["minLength"], search["ozgId"]["schema"]["pattern"]) == (2, "^[0-9]{1,6}$")
    assert "available" in search["status"]["description"] and "comma" in search["status"]["description"]
    assert set(parameters(spec, "/v1/areas")) == {"level", "land", "parent", "q", "limit", "after"}
    assert set(parameters(spec, "/v1/events")) == {"after", "limit", "entityType", "solution", "land", "themenfeld",
                                                    "wait"}
    assert set(parameters(spec, "/v1/rollout")) == {"themenfeld", "ozgId", "status"}


UNKNOWN, NULL, TWICE = "allowed:", "leave the parameter out", "more than once"


# A typo in a filter, or null where no text belongs (Litestar would read it as "not given"), must
# not silently widen the result.
@pytest.mark.parametrize(("url", "field", "says"), [
    ("/v1/solutions?stauts=available", "stauts", UNKNOWN),
    ("/v1/organisations?kind=land&lnad=05", "lnad", UNKNOWN),
    ("/v1/ozg-leistungen?themenfeld_key=x", "themenfeld_key", UNKNOWN),
    ("/v1/events?entity_type=solution", "entity_type", UNKNOWN),
    ("/v1/solutions?minReifegrad=null", "minReifegrad", NULL),
    ("/v1/solutions?efaCompliant=NULL", "efaCompliant", NULL),
    ("/v1/solutions?sort=null", "sort", NULL),
    ("/v1/events?solution=null&solution=null", "solution", NULL),
    ("/v1/feed.atom?solution=null", "solution", NULL),
    ("/v1/solutions?limit=1&limit=2", "limit", TWICE),     # which one was meant?
    ("/v1/solutions?q=Hund&q=Katze", "q", TWICE),
    ("/v1/areas?land=05&land=09", "land", TWICE),
])
async def test_unknown_parameters_and_null_values_are_refused_naming_them(client, url, field, says):
    body = assert_problem(await client.get(url), 400, field)
    assert says in body["detail"]


async def test_null_is_a_word_where_text_belongs(client):
    assert (await client.get("/v1/solutions?q=null")).status_code == 200
    themenfeld = await client.get("/v1/solutions?themenfeld=null")  # a key no Themenfeld has: refused as such
    assert themenfeld.status_code == 400 and "no themenfeld null" in themenfeld.json()["detail"]


def test_every_parameter_document_has_no_null_branch(app):
    spec = app.openapi_schema.to_schema()
    schemas = {(path, p["name"]): p["schema"] for path, item in spec["paths"].items() for op in item.values()
               for p in op.get("parameters", [])}
    assert [k for k, s in schemas.items() if "oneOf" in s or "null" in str(s.get("type")) or None in s.get("enum", ())
            ] == []
    assert schemas["/v1/solutions", "sort"] == {"type": "string", "enum": ["relevance", "name", "updated"],
                                                 "description": "relevance (default with q), name, updated"}
    assert (schemas["/v1/solutions", "minReifegrad"]["minimum"], schemas["/v1/solutions", "minReifegrad"]["maximum"]
            ) == (0, 7)


async def test_list_values_repeat_or_comma_separate(client, catalogue):
    tokens = catalogue["tokens"]
    for name, status in (("Abbruchanzeige online", "available"), ("Digitaler Bauantrag", "pilot"),
                         ("Vaterschaft online", "planned")):
        response = await client.post("/v1/solutions", json={"name": name, "provider": "land-nrw", "status": status,
                                                             "ozgIds": ["10521"]}, headers=tokens.auth("curator"))
        assert response.status_code == 201, response.text

    async def names(query: str) -> list[str]:
        response = await client.get(f"/v1/solutions?{query}")
        assert response.status_code == 200, response.text
        return [s["name"] for s in response.json()["items"]]

    assert await names("status=available,pilot") == ["Abbruchanzeige online", "Digitaler Bauantrag"]
    assert await names("status=available&status=planned") == ["Abbruchanzeige online", "Vaterschaft online"]
    assert await names("status=%20pilot%20,") == ["Digitaler Bauantrag"]
    assert_problem(await client.get("/v1/solutions?status=available,done"), 400, "status")


@pytest.mark.parametrize("url", ["/v1/areas", "/v1/solutions/wohngeld", "/health", "/v1/events"])
async def test_options_on_a_route_answers_with_the_allowed_methods(client, url):
    response = await client.options(url)
    assert response.status_code == 204, response.text
    assert "GET" in response.headers["allow"]
