"""Authorisation by property (the FIELD_PERMISSIONS table in efa_registry/access/policy.py), for
every role and field; 401 before existence or state; tokens that would be expired at birth;
Idempotency-Key on the creating POSTs that ignored it."""

from __future__ import annotations

import asyncio

import pytest

from efa_registry import db
from tests.api.contract import assert_problem

ROLES = ["anonymous", "curator", "provider_nrw", "provider_saar", "adopter", "integrator"]
# organisation field → a new value for land-nrw, and whether a provider may set it on its own organisation
ORGANISATION_FIELDS = {
    "name": ("Land NRW", True), "website": ("https://www.land.nrw", True),
    "contactName": ("Erika Muster", True), "contactEmail": ("ozg@land.nrw", True),
    "contactPhone": ("+49 211 837-01", True),
    "kind": ("kommune", False), "area": ("10", False), "slug": ("nrw", False),
}


def expected(who: str, provider_may: bool) -> int:
    if who == "anonymous":
        return 401
    if who == "curator" or (who == "provider_nrw" and provider_may):
        return 200
    return 403


async def organisation_row() -> dict:
    async with db.connection() as conn:
        return dict(await conn.fetchrow("SELECT * FROM organisation WHERE name LIKE '%Nordrhein%' OR slug = 'nrw'"))


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("field", list(ORGANISATION_FIELDS))
async def test_who_may_set_which_field_of_an_organisation(client, catalogue, who, field):
    value, provider_may = ORGANISATION_FIELDS[field]
    headers = {"If-Match": '"v1"'} | (catalogue["tokens"].auth(who) if who != "anonymous" else {})
    before = await organisation_row()
    response = await client.patch("/v1/organisations/land-nrw", json={field: value}, headers=headers)
    status = expected(who, provider_may)
    if status == 200:
        assert response.status_code == 200, response.text
        body = response.json()
        shown = body["contact"][field.removeprefix("contact").lower()] if field.startswith("contact") else body[field]
        assert shown == value
        return
    problem = assert_problem(response, status)
    if who == "provider_nrw":  # its own organisation, a field it may not set: the problem names the field
        assert problem["field"] == field
    assert await organisation_row() == before


async def test_a_provider_cannot_hand_its_solution_to_another_provider(client, catalogue):
    tokens = catalogue["tokens"]
    created = await client.post("/v1/solutions", json={"name": "Digitaler Bauantrag", "provider": "land-nrw"},
                                headers=tokens.auth("provider_nrw"))
    assert created.status_code == 201
    handover = await client.patch("/v1/solutions/digitaler-bauantrag", json={"provider": "saarland"},
                                  headers={**tokens.auth("provider_nrw"), "If-Match": '"v1"'})
    assert_problem(handover, 403, "provider")
    by_curator = await client.patch("/v1/solutions/digitaler-bauantrag", json={"provider": "saarland"},
                                    headers={**tokens.auth("curator"), "If-Match": '"v1"'})
    assert by_curator.status_code == 200 and by_curator.json()["provider"]["slug"] == "saarland"


@pytest.mark.parametrize(("method", "url", "body", "headers"), [
    ("PATCH", "/v1/organisations/gibt-es-nicht", {"name": "X"}, {"If-Match": '"v1"'}),
    ("PATCH", "/v1/organisations/land-nrw", {"name": "X"}, {"If-Match": '"v99"'}),
    ("PATCH", "/v1/organisations/land-nrw", {"name": "X"}, {}),
    ("DELETE", "/v1/solutions/gibt-es-nicht", None, {"If-Match": '"v1"'}),
    ("POST", "/v1/solutions/gibt-es-nicht/adoptions", {"ars": "05112"}, {}),
    ("POST", "/v1/solutions/gibt-es-nicht/interfaces", {"kind": "rest"}, {}),
    ("DELETE", "/v1/tokens/00000000-0000-0000-0000-000000000000", None, {}),
    ("PATCH", "/v1/webhooks/00000000-0000-0000-0000-000000000000", {"enabled": False}, {"If-Match": '"v1"'}),
])
async def test_anonymous_writes_are_401_before_existence_or_state(client, catalogue, method, url, body, headers):
    response = await client.request(method, url, json=body, headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("expires_at", ["2020-01-01T00:00:00Z", "2020-01-01T01:00:00+01:00"])
async def test_a_token_expired_at_birth_is_422(client, catalogue, expires_at):
    response = await client.post("/v1/tokens", json={"role": "integrator", "name": "Portal", "expiresAt": expires_at},
                                 headers=catalogue["tokens"].auth("curator"))
    assert_problem(response, 422, "expiresAt")
    listed = await client.get("/v1/tokens", headers=catalogue["tokens"].auth("curator"))
    assert [t for t in listed.json() if t["name"] == "Portal"] == []


async def test_a_retried_token_mint_creates_one_credential(client, catalogue):
    headers = {**catalogue["tokens"].auth("curator"), "Idempotency-Key": "mint-portal-1"}
    body = {"role": "integrator", "name": "Portal"}
    first, second = await asyncio.gather(client.post("/v1/tokens", json=body, headers=headers),
                                         client.post("/v1/tokens", json=body, headers=headers))
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    refused = first if first.status_code == 409 else second
    minted = second if refused is first else first
    assert minted.json()["id"] in refused.json()["detail"] and refused.json()["field"] == "Idempotency-Key"
    listed = await client.get("/v1/tokens", headers=catalogue["tokens"].auth("curator"))
    assert len([t for t in listed.json() if t["name"] == "Portal"]) == 1


async def test_a_retried_organisation_create_returns_the_first(client, catalogue):
    headers = {**catalogue["tokens"].auth("curator"), "Idempotency-Key": "org-essen-1"}
    body = {"kind": "kommune", "name": "Stadt Essen"}
    first = await client.post("/v1/organisations", json=body, headers=headers)
    again = await client.post("/v1/organisations", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200) and again.json()["id"] == first.json()["id"]
    other = await client.post("/v1/organisations", json={**body, "name": "Stadt Duisburg"}, headers=headers)
    assert_problem(other, 422, "Idempotency-Key")  # the same key for a different request
    listed = (await client.get("/v1/organisations", params={"kind": "kommune"})).json()["items"]
    assert [o["name"] for o in listed] == ["Stadt Essen"]
