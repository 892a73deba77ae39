"""Catalogue discovery: German full-text, filters, facets under filters, keyset paging."""

from __future__ import annotations

import pytest

from efa_registry.access.model import Actor
from efa_registry.organisations.model import OrganisationCreate
from efa_registry.organisations.service import create_organisation
from efa_registry.solutions.model import InterfaceCreate, SolutionCreate
from efa_registry.solutions.service import create_interface, create_solution

SYSTEM = Actor.system("test-setup")


@pytest.fixture
async def solutions(reference_data):
    nrw = await create_organisation(OrganisationCreate(kind="land", name="Land NRW", slug="nrw", area="05"),
                                    actor=SYSTEM)
    ni = await create_organisation(OrganisationCreate(kind="land", name="Niedersachsen", slug="ni", area="03"),
                                   actor=SYSTEM)
    specs = [
        ("Digitaler Bauantrag", nrw, ["10521"], "available", 3, True, [("xoev", "XBau"), ("fit_connect", None)],
         "Bauanträge und Baugenehmigungen online einreichen"),
        ("Abbruchanzeige online", nrw, ["10513"], "pilot", 2, True, [("xoev", "XBau")], "Abbruch anzeigen"),
        ("Elterngeld digital", ni, ["10000"], "available", 4, True, [("fit_connect", None)], "Elterngeld beantragen"),
        ("Vaterschaft online", ni, ["10001"], "available", 2, False, [("rest", None)], "Vaterschaft anerkennen"),
        ("Alter Bauantrag", ni, ["10521"], "retired", 1, False, [], "Abgelöst"),
    ]
    made = {}
    for name, org, ozg, status, reifegrad, efa, interfaces, summary in specs:
        solution, _ = await create_solution(SolutionCreate(
            name=name, provider=org.slug, ozg_ids=ozg, status=status, reifegrad_model="2.0", reifegrad=reifegrad,
            efa_compliant=efa, summary=summary), actor=SYSTEM)
        for kind, standard in interfaces:
            await create_interface(solution.id, InterfaceCreate(kind=kind, standard=standard), actor=SYSTEM)
        made[name] = solution
    return made


def names(body):
    return [s["name"] for s in body["items"]]


async def test_inflected_german_forms_find_the_solution(client, solutions):
    for q in ("Bauanträge", "Bauantrag XBau", "Baugenehmigungen"):
        body = (await client.get("/v1/solutions", params={"q": q})).json()
        assert names(body) == ["Digitaler Bauantrag"], q


async def test_interface_standard_is_searchable_and_ranked(client, solutions):
    body = (await client.get("/v1/solutions", params={"q": "XBau"})).json()
    assert set(names(body)) == {"Digitaler Bauantrag", "Abbruchanzeige online"}


@pytest.mark.parametrize(("params", "expected"), [
    ({"themenfeld": "familie-kind"}, ["Elterngeld digital", "Vaterschaft online"]),
    ({"themenfeld": "familie-kind", "minReifegrad": "3", "status": "available"}, ["Elterngeld digital"]),
    ({"providerLand": "05"}, ["Abbruchanzeige online", "Digitaler Bauantrag"]),
    ({"provider": "ni"}, ["Elterngeld digital", "Vaterschaft online"]),
    ({"interfaceKind": "fit_connect"}, ["Digitaler Bauantrag", "Elterngeld digital"]),
    ({"interfaceStandard": "xbau"}, ["Abbruchanzeige online", "Digitaler Bauantrag"]),
    ({"efaCompliant": "false"}, ["Vaterschaft online"]),
    ({"ozgId": "10521"}, ["Digitaler Bauantrag"]),
    ({"ozgId": "10521", "status": "available,retired"}, ["Alter Bauantrag", "Digitaler Bauantrag"]),
    ({"leikaKey": "99012001000000"}, ["Abbruchanzeige online"]),
    ({"status": "pilot"}, ["Abbruchanzeige online"]),
])
async def test_filters(client, solutions, params, expected):
    assert names((await client.get("/v1/solutions", params=params)).json()) == expected


async def test_facets_respect_the_other_filters(client, solutions):
    body = (await client.get("/v1/solutions", params={
        "themenfeld": "bauen-wohnen", "status": "available",
        "facets": "themenfeld,status,providerLand,interfaceStandard"})).json()
    assert names(body) == ["Digitaler Bauantrag"]
    facets = {k: {f["value"]: f["count"] for f in v} for k, v in body["facets"].items()}
    # themenfeld facet ignores the themenfeld filter but keeps status=available
    assert facets["themenfeld"] == {"bauen-wohnen": 1, "familie-kind": 2}
    # status facet ignores the status filter (retired included) but keeps themenfeld
    assert facets["status"] == {"available": 1, "pilot": 1, "retired": 1}
    assert facets["providerLand"] == {"05": 1}
    assert facets["interfaceStandard"] == {"XBau": 1}


async def test_keyset_pages_cover_everything_once_for_every_sort(client, solutions):
    for sort in ("name", "updated", "relevance"):
        params = {"limit": "2", "sort": sort} | ({"q": "online OR digital OR Bauantrag"} if sort == "relevance" else {})
        seen, url = [], "/v1/solutions"
        response = await client.get(url, params=params)
        while True:
            body = response.json()
            seen += names(body)
            if not body["next"]:
                break
            response = await client.get(body["next"])
        assert len(seen) == len(set(seen)), sort
        if sort != "relevance":
            assert len(seen) == 4, sort
    by_name = [s for s in sorted(["Digitaler Bauantrag", "Abbruchanzeige online", "Elterngeld digital",
                                  "Vaterschaft online"], key=str.lower)]
    assert names((await client.get("/v1/solutions", params={"sort": "name"})).json()) == by_name


async def test_bad_search_parameters(client, solutions):
    from tests.api.contract import assert_problem

    assert_problem(await client.get("/v1/solutions?facets=colour"), 400, "facets")
    assert_problem(await client.get("/v1/solutions?status=done"), 400, "status")
    assert_problem(await client.get("/v1/solutions?minReifegrad=9"), 400, "minReifegrad")
    assert_problem(await client.get("/v1/solutions?sort=random"), 400, "sort")
    assert_problem(await client.get("/v1/solutions?updatedSince=yesterday"), 400, "updatedSince")


async def test_a_single_facet_with_its_own_filter_active(client, solutions):
    body = (await client.get("/v1/solutions", params={"themenfeld": "bauen-wohnen", "facets": "themenfeld"})).json()
    assert {f["value"]: f["count"] for f in body["facets"]["themenfeld"]} == {"bauen-wohnen": 2, "familie-kind": 2}
