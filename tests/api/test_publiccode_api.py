"""publiccode.yml over HTTP: a solution travels to publiccode.yml and back unchanged; imports create or
update (with If-Match), report what they could not map, and refuse broken documents naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.solutions.publiccode_import import import_publiccode
from tests.api.contract import assert_problem, post_created

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"
YAML = {"Content-Type": "application/yaml"}
SOLUTION = {
    "name": "Wohngeld digital", "provider": "land-nrw", "summary": "Wohngeld online beantragen",
    "description": "Der Onlinedienst nimmt Anträge auf Wohngeld entgegen, prüft sie auf Vollständigkeit und übermittelt"
                   " sie per FIT-Connect an die zuständige Wohngeldstelle. Bescheide kommen ins Postfach.",
    "ozgIds": ["10000", "10513"], "status": "available", "efaCompliant": True, "reifegradModel": "2.0",
    "reifegrad": 4, "reuseRoute": "open_source", "rolloutLevel": "kreis", "licence": "EUPL-1.2",
    "sourceRepository": "https://gitlab.opencode.de/nrw/wohngeld", "documentationUrl": "https://docs.example.org/wg",
    "costsNote": "Betrieb über Dataport", "tags": ["Sozialleistung", "data-collection"],
    "contactName": "Erika Muster", "contactEmail": "erika@nrw.example",
}
KEPT = ["name", "slug", "summary", "description", "status", "efaCompliant", "reifegradModel", "reifegrad", "reuseRoute",
        "rolloutLevel", "licence", "sourceRepository", "documentationUrl", "costsNote", "tags", "contact", "provider"]


@pytest.fixture
async def tokens(client, catalogue):
    tokens = catalogue["tokens"]
    await post_created(client, tokens, "/v1/solutions", SOLUTION)
    return tokens


async def post(client, data: bytes | str, *, who: str | None, tokens, provider="land-nrw", **headers):
    auth = tokens.auth(who) if who else {}
    return await client.post(f"/v1/solutions/import/publiccode?provider={provider}",
                             content=data, headers={**YAML, **auth, **headers})


async def solution_count() -> int:
    async with db.connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM solution")


async def empty_catalogue() -> None:
    async with db.connection() as conn:
        await conn.execute("TRUNCATE solution, event RESTART IDENTITY CASCADE")


class TestExport:
    async def test_a_valid_yaml_document_with_etag(self, client, tokens):
        response = await client.get("/v1/solutions/wohngeld-digital/publiccode.yml")
        assert response.status_code == 200 and response.headers["content-type"] == "application/yaml; charset=utf-8"
        assert response.headers["etag"] == '"v1"'
        unchanged = await client.get("/v1/solutions/wohngeld-digital/publiccode.yml", headers={"If-None-Match": '"v1"'})
        assert unchanged.status_code == 304
        doc = yaml.safe_load(response.text)
        assert doc["url"] == SOLUTION["sourceRepository"] and doc["developmentStatus"] == "stable"
        assert [i["ozg-id"] for i in doc["de"]["leika"]] == ["10000", "10513"]
        assert doc["de"]["leika"][1] == {"themenfeld": "Bauen & Wohnen", "ozg-id": "10513",
                                         "leika-id": "99012001000000"}
        assert "erika" not in response.text, "no person's details for anonymous callers"
        private = yaml.safe_load((await client.get("/v1/solutions/wohngeld-digital/publiccode.yml",
                                                    headers=tokens.auth("integrator"))).text)
        assert private["maintenance"]["contacts"][0]["email"] == "erika@nrw.example"

    async def test_strict_variant_and_unknown_solution(self, client, tokens):
        response = await client.get("/v1/solutions/wohngeld-digital/publiccode.yml?extensions=false")
        strict = yaml.safe_load(response.text)
        assert "de" not in strict and "x-efa-registry" not in strict
        assert_problem(await client.get("/v1/solutions/gibt-es-nicht/publiccode.yml"), 404)


class TestRoundTrip:
    async def test_a_solution_travels_to_publiccode_yml_and_back_unchanged(self, client, tokens):
        original = (await client.get("/v1/solutions/wohngeld-digital", headers=tokens.auth("curator"))).json()
        document = (await client.get("/v1/solutions/wohngeld-digital/publiccode.yml",
                                     headers=tokens.auth("curator"))).content
        await empty_catalogue()
        response = await post(client, document, who="provider_nrw", tokens=tokens)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["created"] is True and body["unmappedFields"] == []
        imported = body["solution"]
        assert {k: imported.get(k) for k in KEPT} == {k: original.get(k) for k in KEPT}
        assert imported["ozgLeistungen"] == original["ozgLeistungen"]

    async def test_importing_again_updates_with_if_match(self, client, tokens):
        document = (await client.get("/v1/solutions/wohngeld-digital/publiccode.yml")).content
        changed = document.replace(b"Wohngeld digital", b"Wohngeld digital plus")
        assert_problem(await post(client, changed, who="curator", tokens=tokens), 428, "If-Match")
        assert_problem(await post(client, changed, who="curator", tokens=tokens, **{"If-Match": '"v7"'}), 412)
        same = await post(client, document, who="curator", tokens=tokens, **{"If-Match": '"v1"'})
        assert same.status_code == 200 and same.json()["solution"]["version"] == 1, "the same document changes nothing"
        updated = await post(client, changed, who="curator", tokens=tokens, **{"If-Match": '"v1"'})
        assert updated.status_code == 200 and updated.json()["created"] is False
        assert updated.json()["solution"]["version"] == 2 and updated.headers["etag"] == '"v2-auth"'
        assert await solution_count() == 1

    async def test_an_address_that_is_not_https_keeps_the_stored_one(self, client, tokens):
        document = (await client.get("/v1/solutions/wohngeld-digital/publiccode.yml")).content
        assert b"url: https://gitlab.opencode.de/nrw/wohngeld" in document
        plain = document.replace(b"url: https://gitlab", b"url: http://gitlab")
        again = await post(client, plain, who="curator", tokens=tokens, **{"If-Match": '"v1"'})
        assert again.status_code == 200, again.text
        body = again.json()
        assert body["solution"]["sourceRepository"] == "https://gitlab.opencode.de/nrw/wohngeld"
        assert body["solution"]["version"] == 1 and any(w.startswith("url: not an https") for w in body["warnings"])

    async def test_the_cli_path_updates_without_a_version(self, client, tokens):
        document = (await client.get("/v1/solutions/wohngeld-digital/publiccode.yml")).content
        result = await import_publiccode(document.replace(b"Wohngeld digital", b"Wohngeld digital plus"),
                                         provider="land-nrw", actor=Actor.cli())
        assert (result.created, result.solution.version, result.solution.name) == (False, 2, "Wohngeld digital plus")


class TestForeignDocuments:
    async def test_an_opencode_document_is_created_and_its_leftovers_reported(self, client, tokens):
        response = await post(client, (FIXTURES / "opencode-bauantrag.yml").read_bytes(), who="curator",
                              tokens=tokens)
        assert response.status_code == 201, response.text
        body = response.json()
        solution = body["solution"]
        assert (solution["slug"], solution["status"], solution["reuseRoute"], solution["licence"]) == (
            "digitaler-bauantrag", "available", "open_source", "EUPL-1.2")
        assert [o["ozgId"] for o in solution["ozgLeistungen"]] == ["10513", "10521"], "by OZG-ID and by LeiKa key"
        assert solution["contact"] == {"name": "Max Beispiel", "email": "max.beispiel@bauen.example"}
        assert "logo" in body["unmappedFields"] and "description.en.shortDescription" in body["unmappedFields"]

    async def test_minimal_document_without_ozg_ids(self, client, tokens):
        response = await post(client, (FIXTURES / "minimal.yml").read_bytes(), who="provider_nrw", tokens=tokens)
        assert response.status_code == 201, response.text
        assert response.json()["solution"]["status"] == "pilot"
        assert response.json()["unmappedFields"] == ["description.de.features"], "free-text features are not kept"


class TestTheSameRepository:
    @pytest.mark.parametrize("url", ["https://gitlab.opencode.de/nrw/wohngeld.git",
                                     "https://GitLab.opencode.de/nrw/wohngeld/"])
    async def test_written_otherwise_it_is_still_the_same_solution(self, client, tokens, url):
        document = yaml.safe_load((await client.get("/v1/solutions/wohngeld-digital/publiccode.yml")).text)
        document["url"] = url
        updated = await post(client, yaml.safe_dump(document, allow_unicode=True), who="curator", tokens=tokens,
                             **{"If-Match": '"v1"'})
        assert updated.status_code == 200 and updated.json()["created"] is False, updated.text
        assert await solution_count() == 1

    async def test_another_providers_repository_is_refused_and_its_solution_kept(self, client, tokens):
        foreign = minimal(url=SOLUTION["sourceRepository"], name="Wohngeld Saar")
        assert_problem(await post(client, foreign, who="curator", tokens=tokens, provider="saarland",
                                  **{"If-Match": '"v1"'}), 409, "url")
        kept = (await client.get("/v1/solutions/wohngeld-digital")).json()
        assert (kept["name"], kept["provider"]["slug"], kept["version"]) == ("Wohngeld digital", "land-nrw", 1)

    async def test_a_providers_own_solution_is_found_first_though_another_holds_the_repository_too(
            self, client, tokens):
        own = await post_created(client, tokens, "/v1/solutions", {
            "name": "Wohngeld Saar", "provider": "saarland", "sourceRepository": SOLUTION["sourceRepository"] + ".git"})
        document = minimal(url=SOLUTION["sourceRepository"], name="Wohngeld Saar neu")
        updated = await post(client, document, who="provider_saar", tokens=tokens, provider="saarland",
                             **{"If-Match": '"v1"'})
        assert updated.status_code == 200, updated.text
        solution = updated.json()["solution"]
        assert (solution["id"], solution["name"]) == (own["id"], "Wohngeld Saar neu")

    async def test_a_german_section_without_leika_leaves_the_features_to_name_the_leistung(self, client, tokens):
        doc = yaml.safe_load(minimal(de={"countryExtensionVersion": "1.0"}))
        doc["description"]["de"]["features"] = ["OZG-Leistung 10513: Bauantrag"]
        response = await post(client, yaml.safe_dump(doc, allow_unicode=True), who="provider_nrw", tokens=tokens)
        assert response.status_code == 201, response.text
        assert [o["ozgId"] for o in response.json()["solution"]["ozgLeistungen"]] == ["10513"]


class TestNamesWithoutLatinLetters:
    async def test_get_a_key_of_their_own(self, client, tokens):
        response = await post(client, minimal(name="电子政务", url="https://example.org/dianzi.git"), who="curator",
                              tokens=tokens)
        assert response.status_code == 201, response.text
        assert response.json()["solution"]["slug"].startswith("eintrag-")


def minimal(**changes) -> str:
    doc = yaml.safe_load((FIXTURES / "minimal.yml").read_text())
    doc.update(changes)
    return yaml.safe_dump(doc, allow_unicode=True)


class TestRefusals:
    @pytest.mark.parametrize(("who", "provider", "status"), [
        (None, "land-nrw", 401), ("provider_saar", "land-nrw", 403), ("integrator", "land-nrw", 403),
        ("adopter", "land-nrw", 403), ("curator", "gibt-es-nicht", 422)])
    async def test_only_the_curator_or_the_providers_own_token(self, client, tokens, who, provider, status):
        response = await post(client, minimal(), who=who, tokens=tokens, provider=provider)
        assert_problem(response, status)
        assert await solution_count() == 1

    @pytest.mark.parametrize(("data", "field"), [
        (minimal(developmentStatus="fertig"), "developmentStatus"),
        (minimal(description={"de": {"longDescription": "x" * 200, "features": ["a"]}}),
         "description.de.shortDescription"),
        (minimal(de={"leika": [{"ozg-id": "99999"}]}), "de.leika[0].ozg-id"),
        (minimal(**{"x-efa-registry": {"reifegradModel": "1.1", "reifegrad": 6}}), "x-efa-registry.reifegrad"),
        (minimal(categories=["it-services", "k" * 61]), "categories"),   # the tags the categories give
        (minimal(**{"x-efa-registry": {"tags": ["gut", "auch", "k" * 61]}}), "x-efa-registry.tags[2]"),
    ])
    async def test_invalid_documents_name_the_key_and_write_nothing(self, client, tokens, data, field):
        assert_problem(await post(client, data, who="provider_saar", tokens=tokens, provider="saarland"), 422
                       if field != "name" else 409, field)
        assert await solution_count() == 1

    async def test_yaml_syntax_error_names_the_line(self, client, tokens):
        body = assert_problem(await post(client, (FIXTURES / "broken-syntax.yml").read_bytes(), who="curator",
                                         tokens=tokens), 422)
        assert body["type"].endswith("/import-failed") and body["errors"][0]["line"] == 5

    async def test_other_media_types_are_refused(self, client, tokens):
        response = await client.post("/v1/solutions/import/publiccode?provider=land-nrw", json={"name": "x"},
                                     headers=tokens.auth("curator"))
        assert_problem(response, 415)
