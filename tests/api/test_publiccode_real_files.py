"""publiccode.yml files as German public-sector projects really write them (tests/fixtures/publiccode/real):
versions 0.2 to 0.4, unquoted versions and phone numbers, it:/DE: sections, English-only or de-DE
descriptions, no OZG-Leistung, two repositories under one name. Each imports; what was read
leniently or left for a curator comes back as a warning, apart from the errors that refuse a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.contract import assert_problem

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode" / "real"
YAML = {"Content-Type": "application/yaml"}


async def load(client, tokens, name: str, **headers):
    return await client.post("/v1/solutions/import/publiccode", params={"provider": "land-nrw"},
                             content=(REAL / name).read_bytes(),
                             headers={**YAML, **tokens.auth("curator"), **headers})


def ozg_ids(body: dict) -> list[str]:
    return [o["ozgId"] for o in body["solution"]["ozgLeistungen"]]


@pytest.mark.parametrize(("name", "status", "ozg", "warned"), [
    ("01-abbruch-0.4-unquoted.yml", "available", ["10513"], []),
    ("02-buergerbuero-0.2-it-section.yml", "planned", [], ["de.leika"]),
    ("03-gewerbe-0.3-english-only.yml", "pilot", ["10000"], ["description: no German text"]),
    ("04-dvdv-client-no-ozg.yml", "planned", [], ["de.leika"]),
    ("07-elterngeld-de-DE-short.yml", "available", ["10000"], ["description.de-DE.longDescription"]),
    ("08-baugenehmigung-0.4-de-section.yml", "available", ["10513", "10521"], []),
])
async def test_a_real_file_imports_with_its_warnings_apart(client, catalogue, name, status, ozg, warned):
    response = await load(client, catalogue["tokens"], name)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["solution"]["status"] == status and sorted(ozg_ids(body)) == ozg
    assert len(body["warnings"]) == len(warned), body["warnings"]
    for expected, warning in zip(warned, body["warnings"], strict=True):
        assert warning.startswith(expected), warning


async def test_unquoted_scalars_are_read_by_the_schemas_types(client, catalogue):
    body = (await load(client, catalogue["tokens"], "01-abbruch-0.4-unquoted.yml")).json()
    assert body["solution"]["licence"] == "EUPL-1.2" and body["solution"]["contact"]["email"] == "abbruch@land.example"
    older = (await load(client, catalogue["tokens"], "02-buergerbuero-0.2-it-section.yml")).json()
    assert older["solution"]["licence"] == "AGPL-3.0-or-later"
    assert "it.conforme.lineeGuidaDesign" in older["unmappedFields"]  # kept out, and said so
    assert "description.de.genericName" in older["unmappedFields"]


async def test_two_repositories_with_one_name_are_two_solutions(client, catalogue):
    tokens = catalogue["tokens"]
    first = (await load(client, tokens, "05-buergerservice-stadt-a.yml")).json()
    second_response = await load(client, tokens, "06-buergerservice-stadt-b.yml")
    assert second_response.status_code == 201, second_response.text
    second = second_response.json()
    assert (first["solution"]["slug"], second["solution"]["slug"]) == ("buergerservice-portal",
                                                                       "buergerservice-portal-2")
    assert second["warnings"] and "buergerservice-portal-2" in second["warnings"][0]
    kept = (await client.get("/v1/solutions/buergerservice-portal")).json()
    assert kept["sourceRepository"] == "https://gitlab.opencode.de/stadt-a/buergerservice-portal"


async def test_the_same_repository_again_updates_its_solution(client, catalogue):
    tokens = catalogue["tokens"]
    created = (await load(client, tokens, "08-baugenehmigung-0.4-de-section.yml")).json()
    assert_problem(await load(client, tokens, "08-baugenehmigung-0.4-de-section.yml"), 428, "If-Match")
    again = await load(client, tokens, "08-baugenehmigung-0.4-de-section.yml",
                       **{"If-Match": f'"v{created["solution"]["version"]}"'})
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["solution"]["id"] == created["solution"]["id"]
    listed = (await client.get("/v1/solutions", params={"q": "Baugenehmigung"})).json()["items"]
    assert [s["id"] for s in listed] == [created["solution"]["id"]]


async def test_errors_still_refuse_a_file_and_name_the_key(client, catalogue):
    broken = (REAL / "01-abbruch-0.4-unquoted.yml").read_text().replace("developmentStatus: stable",
                                                                        "developmentStatus: fertig")
    response = await client.post("/v1/solutions/import/publiccode", params={"provider": "land-nrw"},
                                 content=broken.encode(), headers={**YAML, **catalogue["tokens"].auth("curator")})
    assert_problem(response, 422, "developmentStatus")
    assert (await client.get("/v1/solutions")).json()["items"] == []
