"""HTTP contracts of the catalogue: organisations, solutions, interfaces, history, search."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from efa_registry import db
from tests.api.contract import assert_problem, check_resource_contract

SOLUTION = {
    "name": "Wohngeld digital",
    "provider": "land-nrw",
    "summary": "Antrag auf Wohngeld online stellen",
    "description": "Der Onlinedienst nimmt Anträge auf Wohngeld entgegen und übermittelt sie per FIT-Connect.",
    "ozgIds": ["10000"],
    "status": "available",
    "efaCompliant": True,
    "reifegradModel": "2.0",
    "reifegrad": 4,
    "reuseRoute": "fit_store",
    "sourceRepository": "https://gitlab.opencode.de/example/wohngeld",
    "tags": ["Sozialleistung"],
    "contactEmail": "wohngeld@nrw.example",
}


async def create(client, tokens, who="curator", body=None, **headers):
    response = await client.post("/v1/solutions", json=body or SOLUTION, headers={**tokens.auth(who), **headers})
    assert response.status_code in (200, 201), response.text
    return response


async def test_curator_creates_a_solution_with_embedded_references(client, catalogue):
    tokens = catalogue["tokens"]
    response = await create(client, tokens)
    assert response.status_code == 201 and response.headers["etag"] == '"v1-auth"'
    body = response.json()
    assert body["slug"] == "wohngeld-digital" and body["version"] == 1
    assert body["provider"] == {"id": str(catalogue["nrw"].id), "slug": "land-nrw",
                                "name": "Land Nordrhein-Westfalen", "land": "05"}
    assert body["ozgLeistungen"] == [{"ozgId": "10000", "name": "Elterngeld", "themenfeld": "familie-kind"}]
    assert body["themenfelder"] == ["familie-kind"] and body["contact"] == {"email": "wohngeld@nrw.example"}
    public = (await client.get("/v1/solutions/wohngeld-digital")).json()
    assert "contact" not in public, "contact details are for authenticated callers only"
    assert (await client.get(f"/v1/solutions/{body['id']}")).json() == public


async def test_solution_contract(client, catalogue):
    tokens = catalogue["tokens"]
    await create(client, tokens)
    await check_resource_contract(
        client, url="/v1/solutions/wohngeld-digital", missing_url="/v1/solutions/gibt-es-nicht",
        patch_body={"summary": "Neu"}, auth=tokens.auth("provider_nrw"),
        forbidden_auth=tokens.auth("provider_saar"))


async def test_organisation_contract(client, catalogue):
    tokens = catalogue["tokens"]
    await check_resource_contract(
        client, url="/v1/organisations/land-nrw", missing_url="/v1/organisations/nirgendwo",
        patch_body={"website": "https://www.land.nrw"}, auth=tokens.auth("curator"),
        forbidden_auth=tokens.auth("provider_saar"))
    public = (await client.get("/v1/organisations/land-nrw")).json()
    assert "contact" not in public and public["website"] == "https://www.land.nrw"
    private = (await client.get("/v1/organisations/land-nrw", headers=tokens.auth("adopter"))).json()
    assert private["contact"]["email"] == "ozg@nrw.example"


async def test_merge_patch_null_removes_absent_keeps(client, catalogue):
    tokens = catalogue["tokens"]
    created = (await create(client, tokens)).json()
    response = await client.patch("/v1/solutions/wohngeld-digital", json={"summary": None, "tags": ["a", "b"]},
                                  headers={**tokens.auth("curator"), "If-Match": '"v1"'})
    body = response.json()
    assert body["summary"] is None and body["tags"] == ["a", "b"] and body["version"] == 2
    assert body["description"] == created["description"] and body["reifegrad"] == 4
    assert_problem(await client.patch("/v1/solutions/wohngeld-digital", json={"name": None},
                                      headers={**tokens.auth("curator"), "If-Match": '"v2"'}), 400, "name")


async def events_of(entity_id: str) -> int:
    async with db.connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM event WHERE entity_id = $1", entity_id)


@pytest.mark.parametrize("patch", [{}, {"name": "Wohngeld digital", "reifegrad": 4},
                                   {"ozgIds": ["10000"], "tags": ["Sozialleistung"], "provider": "land-nrw"}])
async def test_a_patch_that_changes_nothing_writes_nothing(client, catalogue, patch):
    tokens = catalogue["tokens"]
    created = (await create(client, tokens)).json()
    headers = {**tokens.auth("curator"), "If-Match": '"v1"'}
    response = await client.patch("/v1/solutions/wohngeld-digital", json=patch, headers=headers)
    assert response.status_code == 200 and response.json()["version"] == 1 and response.headers["etag"] == '"v1-auth"'
    assert await events_of(created["id"]) == 1, "no event for integrators, no webhook"
    assert (await client.delete("/v1/solutions/wohngeld-digital", headers=headers)).json()["version"] == 2
    again = await client.delete("/v1/solutions/wohngeld-digital", headers={**headers, "If-Match": '"v2"'})
    assert again.status_code == 200 and again.json()["version"] == 2 and await events_of(created["id"]) == 2


async def test_an_organisation_or_interface_patched_to_what_it_is_keeps_its_version(client, catalogue):
    tokens = catalogue["tokens"]
    headers = {**tokens.auth("curator"), "If-Match": '"v1"'}
    org = (await client.get("/v1/organisations/land-nrw")).json()
    same = await client.patch("/v1/organisations/land-nrw", json={"name": org["name"]}, headers={
        **headers, "If-Match": f'"v{org["version"]}"'})
    assert same.status_code == 200 and same.json()["version"] == org["version"]
    await create(client, tokens)
    interface = await client.post("/v1/solutions/wohngeld-digital/interfaces",
                                  json={"kind": "xoev", "standard": "XWohngeld"}, headers=tokens.auth("curator"))
    path = f"/v1/interfaces/{interface.json()['id']}"
    assert (await client.patch(path, json={"standard": "XWohngeld"}, headers=headers)).json()["version"] == 1


@pytest.mark.parametrize(("patch", "status", "field"), [
    ({"reifegrad": 6, "reifegradModel": "1.1"}, 422, "reifegrad"),
    ({"reifegradModel": None}, 422, "reifegradModel"),
    ({"reifegrad": 9}, 400, "reifegrad"),
    ({"ozgIds": ["99999"]}, 422, "ozgIds"),
    ({"provider": "niemand"}, 422, "provider"),
    ({"sourceRepository": "http://insecure.example"}, 400, "sourceRepository"),
    ({"status": "fertig"}, 400, "status"),
    ({"slug": "Nicht OK"}, 400, "slug"),
])
async def test_invalid_values_are_refused_and_change_nothing(client, catalogue, patch, status, field):
    tokens = catalogue["tokens"]
    before = (await create(client, tokens)).json()
    response = await client.patch("/v1/solutions/wohngeld-digital", json=patch,
                                  headers={**tokens.auth("curator"), "If-Match": '"v1"'})
    assert_problem(response, status, field)
    after = (await client.get("/v1/solutions/wohngeld-digital", headers=tokens.auth("curator"))).json()
    assert after == before


async def test_create_validation_names_the_field(client, catalogue):
    tokens = catalogue["tokens"]
    assert_problem(await client.post("/v1/solutions", json={"provider": "land-nrw"}, headers=tokens.auth("curator")),
                   400, "name")
    assert_problem(await client.post("/v1/solutions", json={**SOLUTION, "bogus": 1}, headers=tokens.auth("curator")),
                   400, "bogus")
    assert_problem(await client.post("/v1/solutions", content=b"{not json",
                                     headers={**tokens.auth("curator"), "Content-Type": "application/json"}), 400)
    # Without its media type the same body is refused: it is the shape of a cross-site "simple request".
    assert_problem(await client.post("/v1/solutions", content=b"{not json", headers=tokens.auth("curator")), 415)
    assert (await client.get("/v1/solutions")).json()["items"] == []


async def test_duplicate_slug_is_409(client, catalogue):
    tokens = catalogue["tokens"]
    await create(client, tokens)
    assert_problem(await client.post("/v1/solutions", json=SOLUTION, headers=tokens.auth("curator")), 409, "slug")


@pytest.mark.parametrize("url", ["/v1/solutions", "/v1/organisations"])
async def test_a_slug_in_the_form_of_a_uuid_is_refused(client, catalogue, url):
    tokens = catalogue["tokens"]
    body = SOLUTION if url == "/v1/solutions" else {"name": "Zweckverband Test", "kind": "verbund"}
    uuid_like = "11111111-2222-3333-4444-555555555555"
    assert_problem(await client.post(url, json={**body, "slug": uuid_like}, headers=tokens.auth("curator")),
                   422, "slug")
    assert_problem(await client.post(url, json={**body, "name": uuid_like}, headers=tokens.auth("curator")),
                   422, "slug")  # the slug made of the name
    assert_problem(await client.post(url, json={**body, "slug": "zweckverband-test\n"}, headers=tokens.auth("curator")),
                   422, "slug")  # a pattern's "$" lets a final newline pass; the slug's rule does not


async def test_a_solution_has_one_key_of_each_kind(client, catalogue):
    tokens = catalogue["tokens"]
    solution_id = (await create(client, tokens)).json()["id"]
    assert (await client.get(f"/v1/solutions/{solution_id.upper()}")).status_code == 200
    for alias in (solution_id.replace("-", ""), "{" + solution_id + "}", f"urn:uuid:{solution_id}",
                  solution_id + "%0A",
                  solution_id.translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        assert_problem(await client.get(f"/v1/solutions/{alias}"), 404)


async def test_more_tags_than_a_list_should_carry_are_refused(client, catalogue):
    tokens = catalogue["tokens"]
    body = {**SOLUTION, "tags": [f"Schlagwort {n}" for n in range(31)]}
    assert_problem(await client.post("/v1/solutions", json=body, headers=tokens.auth("curator")), 400, "tags")


async def test_an_unknown_area_of_an_organisation_is_named_without_database_internals(client, catalogue):
    tokens = catalogue["tokens"]
    response = await client.post("/v1/organisations", json={"name": "Amt Irgendwo", "kind": "kommune",
                                                             "area": "99999"}, headers=tokens.auth("curator"))
    body = assert_problem(response, 422, "area")
    assert "table" not in body["detail"] and "fkey" not in response.text


async def test_idempotent_post_under_concurrent_identical_requests(client, catalogue):
    tokens = catalogue["tokens"]
    headers = {**tokens.auth("curator"), "Idempotency-Key": "abc-123"}
    first, second = await asyncio.gather(
        client.post("/v1/solutions", json=SOLUTION, headers=headers),
        client.post("/v1/solutions", json=SOLUTION, headers=headers))
    assert sorted([first.status_code, second.status_code]) == [200, 201]
    assert first.json()["id"] == second.json()["id"]
    assert len((await client.get("/v1/solutions")).json()["items"]) == 1
    replay = await client.post("/v1/solutions", json=SOLUTION, headers=headers)
    assert replay.status_code == 200 and replay.json()["id"] == first.json()["id"]
    other = await client.post("/v1/solutions", json={**SOLUTION, "name": "Anders"}, headers=headers)
    assert_problem(other, 422, "Idempotency-Key")


async def test_retire_keeps_it_readable_but_out_of_default_search(client, catalogue):
    tokens = catalogue["tokens"]
    await create(client, tokens)
    retired = await client.delete("/v1/solutions/wohngeld-digital",
                                  headers={**tokens.auth("provider_nrw"), "If-Match": '"v1"'})
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    assert (await client.get("/v1/solutions/wohngeld-digital")).json()["status"] == "retired"
    assert (await client.get("/v1/solutions")).json()["items"] == []
    assert len((await client.get("/v1/solutions?status=retired")).json()["items"]) == 1


async def test_history_lists_each_change_with_its_author(client, catalogue):
    tokens = catalogue["tokens"]
    await create(client, tokens)
    await client.patch("/v1/solutions/wohngeld-digital", json={"reifegrad": 5},
                       headers={**tokens.auth("provider_nrw"), "If-Match": '"v1"', "X-Request-ID": "edit-1"})
    history = (await client.get("/v1/solutions/wohngeld-digital/history")).json()
    assert [(h["version"], h["action"]) for h in history] == [(1, "created"), (2, "updated")]
    assert history[0]["actor"].endswith("(Koordinierungsstelle)")
    assert history[1]["actor"].endswith("(NRW)") and history[1]["requestId"] == "edit-1"
    assert history[1]["changes"] == {"reifegrad": {"from": 4, "to": 5}}
    assert "contact_email" not in history[0]["changes"]  # anonymous readers see no contact details
    private = (await client.get("/v1/solutions/wohngeld-digital/history", headers=tokens.auth("adopter"))).json()
    assert private[0]["changes"]["contact_email"]["to"] == "wohngeld@nrw.example"


async def test_interfaces(client, catalogue):
    tokens = catalogue["tokens"]
    await create(client, tokens)
    url = "/v1/solutions/wohngeld-digital/interfaces"
    body = {"kind": "xoev", "standard": "XBau", "standardVersion": "2.3", "specUrl": "https://www.xrepository.de/x"}
    created = await client.post(url, json=body, headers=tokens.auth("provider_nrw"))
    assert created.status_code == 201, created.text
    interface = created.json()
    assert_problem(await client.post(url, json=body, headers=tokens.auth("provider_saar")), 403)
    assert_problem(await client.post(url, json={**body, "status": "deprecated"}, headers=tokens.auth("curator")),
                   422, "sunsetOn")
    await check_resource_contract(
        client, url=f"/v1/interfaces/{interface['id']}",
        missing_url="/v1/interfaces/00000000-0000-0000-0000-000000000000",
        patch_body={"standardVersion": "2.4"}, auth=tokens.auth("provider_nrw"),
        forbidden_auth=tokens.auth("provider_saar"))
    listed = (await client.get(url)).json()
    assert [(i["standard"], i["standardVersion"]) for i in listed] == [("XBau", "2.4")]
    solution = (await client.get("/v1/solutions/wohngeld-digital")).json()
    assert solution["interfaces"][0]["id"] == interface["id"]


async def test_tokens_expired_revoked_unknown_get_401(client, catalogue):
    tokens = catalogue["tokens"]
    minted = await client.post("/v1/tokens", json={"role": "integrator", "name": "Dashboard"},
                               headers=tokens.auth("curator"))
    assert minted.status_code == 201 and minted.json()["token"].startswith("efa_")
    secret, token_id = minted.json()["token"], minted.json()["id"]
    assert (await client.get("/v1/solutions", headers={"Authorization": f"Bearer {secret}"})).status_code == 200
    assert (await client.delete(f"/v1/tokens/{token_id}", headers=tokens.auth("curator"))).status_code == 200
    assert_problem(await client.get("/v1/solutions", headers={"Authorization": f"Bearer {secret}"}), 401)
    assert_problem(await client.get("/v1/solutions", headers={"Authorization": "Bearer efa_nope"}), 401)
    assert_problem(await client.get("/v1/solutions", headers={"Authorization": "Basic abc"}), 401)
    # A token cannot be minted expired (422): this one expires after it was minted.
    expired = await client.post("/v1/tokens", json={"role": "integrator", "name": "Alt",
                                                   "expiresAt": "2099-01-01T00:00:00Z"}, headers=tokens.auth("curator"))
    async with db.connection() as conn:
        await conn.execute("UPDATE api_token SET expires_at = now() - interval '1 day' WHERE id = $1",
                           uuid.UUID(expired.json()["id"]))
    assert_problem(await client.get("/v1/solutions", headers={"Authorization": f"Bearer {expired.json()['token']}"}),
                   401)
    listed = (await client.get("/v1/tokens", headers=tokens.auth("curator"))).json()
    assert all("token" not in t for t in listed) and len(listed) == 7
    assert_problem(await client.get("/v1/tokens", headers=tokens.auth("integrator")), 403)
