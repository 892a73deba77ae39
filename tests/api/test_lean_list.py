"""The catalogue list carries summaries; the entity, or `expand=full`, carries the whole solution."""

from __future__ import annotations

from tests.api.test_catalogue import create
from tests.api.test_discovery import solutions  # noqa: F401  (fixture)

SUMMARY_KEYS = {"id", "slug", "name", "summary", "provider", "operator", "ozgLeistungen", "themenfelder", "status",
                "efaCompliant", "reifegradModel", "reifegrad", "reuseRoute", "rolloutLevel", "tags", "isDemo",
                "interfaceStandards", "version", "updatedAt"}


async def test_list_items_are_summaries_and_the_entity_has_the_rest(client, solutions):  # noqa: F811
    items = (await client.get("/v1/solutions?sort=name")).json()["items"]
    assert [set(i) for i in items] == [SUMMARY_KEYS] * 4
    bau = next(i for i in items if i["name"] == "Digitaler Bauantrag")
    assert bau["interfaceStandards"] == ["XBau"] and bau["themenfelder"] == ["bauen-wohnen"]
    assert bau["provider"]["slug"] == "nrw" and bau["ozgLeistungen"][0]["ozgId"] == "10521"
    entity = (await client.get(f"/v1/solutions/{bau['slug']}")).json()
    assert {"description", "interfaces", "licence", "createdAt"} <= set(entity) and len(entity["interfaces"]) == 2
    assert {k: entity[k] for k in SUMMARY_KEYS - {"interfaceStandards"}} == {
        k: v for k, v in bau.items() if k != "interfaceStandards"}


async def test_expand_full_makes_every_item_the_entity(client, solutions):  # noqa: F811
    items = (await client.get("/v1/solutions?sort=name&expand=full")).json()["items"]
    for item in items:
        assert item == (await client.get(f"/v1/solutions/{item['slug']}")).json()


async def test_a_search_hit_summary_has_its_highlight(client, solutions):  # noqa: F811
    items = (await client.get("/v1/solutions?q=Bauantrag")).json()["items"]
    assert items and all(set(i) == SUMMARY_KEYS | {"highlight"} for i in items)
    assert "<mark>" in items[0]["highlight"]["name"]
    full = (await client.get("/v1/solutions?q=Bauantrag&expand=full")).json()["items"]
    assert [i["highlight"] for i in full] == [i["highlight"] for i in items] and "interfaces" in full[0]


async def test_contact_only_in_the_expanded_list_of_an_authenticated_caller(client, catalogue):
    tokens = catalogue["tokens"]
    await create(client, tokens)
    summary = (await client.get("/v1/solutions", headers=tokens.auth("curator"))).json()["items"][0]
    assert "contact" not in summary, "a summary never carries people's contact details"
    full = (await client.get("/v1/solutions?expand=full", headers=tokens.auth("curator"))).json()["items"][0]
    assert full["contact"] == {"email": "wohngeld@nrw.example"}
    anonymous = (await client.get("/v1/solutions?expand=full")).json()["items"][0]
    assert "contact" not in anonymous


async def test_an_unknown_expand_is_refused_naming_it(client, solutions):  # noqa: F811
    response = await client.get("/v1/solutions?expand=interfaces")
    assert response.status_code == 400 and response.headers["content-type"].startswith("application/problem+json")
    assert "expand" in response.text


async def test_an_empty_page_still_has_the_facet_counts_of_its_own_statement(client, solutions):  # noqa: F811
    body = (await client.get("/v1/solutions?status=planned&facets=status,themenfeld")).json()
    assert body["items"] == [] and body["next"] is None
    assert {c["value"]: c["count"] for c in body["facets"]["status"]} == {"available": 3, "pilot": 1, "retired": 1}
    assert body["facets"]["themenfeld"] == []  # the other facets keep the status filter: nothing planned
