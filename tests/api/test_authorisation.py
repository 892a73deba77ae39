"""The authorisation table, exercised for every role on every catalogue write endpoint.

A refused write must leave the database exactly as it was.
"""

from __future__ import annotations

import pytest

from efa_registry import db
from tests.api.contract import assert_problem

ROLES = ["anonymous", "curator", "provider_nrw", "provider_saar", "adopter", "integrator"]

# endpoint → roles that may use it on an NRW-owned object
ALLOWED = {
    "create_organisation": {"curator"},
    "update_own_organisation": {"curator", "provider_nrw"},
    "create_solution": {"curator", "provider_nrw"},
    "update_solution": {"curator", "provider_nrw"},
    "retire_solution": {"curator", "provider_nrw"},
    "create_interface": {"curator", "provider_nrw"},
    "update_interface": {"curator", "provider_nrw"},
    "retire_interface": {"curator", "provider_nrw"},
    "mint_token": {"curator"},
}


async def fixture_objects(client, tokens):
    solution = await client.post("/v1/solutions", json={"name": "Digitaler Bauantrag", "provider": "land-nrw",
                                                        "ozgIds": ["10521"]}, headers=tokens.auth("curator"))
    interface = await client.post("/v1/solutions/digitaler-bauantrag/interfaces",
                                  json={"kind": "xoev", "standard": "XBau"}, headers=tokens.auth("curator"))
    return solution.json()["id"], interface.json()["id"]


def request_for(endpoint: str, interface_id: str):
    v1 = {"If-Match": '"v1"'}
    v2 = {"If-Match": '"v2"'}  # the solution is at v2 after its interface was added
    return {
        "create_organisation": ("POST", "/v1/organisations", {"kind": "kommune", "name": "Stadt Essen"}, {}),
        "update_own_organisation": ("PATCH", "/v1/organisations/land-nrw", {"website": "https://www.nrw.de"}, v1),
        "create_solution": ("POST", "/v1/solutions", {"name": "Neu", "provider": "land-nrw"}, {}),
        "update_solution": ("PATCH", "/v1/solutions/digitaler-bauantrag", {"summary": "x"}, v2),
        "retire_solution": ("DELETE", "/v1/solutions/digitaler-bauantrag", None, v2),
        "create_interface": ("POST", "/v1/solutions/digitaler-bauantrag/interfaces", {"kind": "rest"}, {}),
        "update_interface": ("PATCH", f"/v1/interfaces/{interface_id}", {"standardVersion": "2.3"}, v1),
        "retire_interface": ("DELETE", f"/v1/interfaces/{interface_id}", None, v1),
        "mint_token": ("POST", "/v1/tokens", {"role": "integrator", "name": "Portal"}, {}),
    }[endpoint]


async def database_state() -> list:
    async with db.connection() as conn:
        state = [await conn.fetch(f"SELECT * FROM {t} ORDER BY 1") for t in
                 ("organisation", "solution", "interface", "solution_ozg_leistung", "event")]
        # last_used_at moves on every authenticated request by design; everything else must not.
        state.append(await conn.fetch("SELECT id, name, role, revoked_at FROM api_token ORDER BY 1"))
        return state


@pytest.mark.parametrize("endpoint", sorted(ALLOWED))
async def test_every_role_on_every_write_endpoint(client, catalogue, endpoint):
    tokens = catalogue["tokens"]
    _, interface_id = await fixture_objects(client, tokens)
    method, url, body, headers = request_for(endpoint, interface_id)
    for role in ROLES:
        if role in ALLOWED[endpoint]:
            continue
        before = await database_state()
        auth = {} if role == "anonymous" else tokens.auth(role)
        response = await client.request(method, url, json=body, headers={**auth, **headers})
        assert_problem(response, 401 if role == "anonymous" else 403)
        assert await database_state() == before, f"{role} changed something via {endpoint}"
    allowed_role = sorted(ALLOWED[endpoint])[-1]
    response = await client.request(method, url, json=body, headers={**tokens.auth(allowed_role), **headers})
    assert response.status_code in (200, 201), (allowed_role, response.text)


async def test_provider_cannot_create_a_solution_for_another_provider(client, catalogue):
    tokens = catalogue["tokens"]
    response = await client.post("/v1/solutions", json={"name": "Fremd", "provider": "land-nrw"},
                                 headers=tokens.auth("provider_saar"))
    assert_problem(response, 403)
    assert (await client.get("/v1/solutions")).json()["items"] == []


async def test_provider_cannot_hand_its_solution_to_another_provider(client, catalogue):
    tokens = catalogue["tokens"]
    await fixture_objects(client, tokens)
    response = await client.patch("/v1/solutions/digitaler-bauantrag", json={"provider": "saarland"},
                                  headers={**tokens.auth("provider_nrw"), "If-Match": '"v2"'})
    assert_problem(response, 403)
    assert (await client.get("/v1/solutions/digitaler-bauantrag")).json()["provider"]["slug"] == "land-nrw"


def test_policy_table_covers_every_role_for_every_action():
    from efa_registry.access.policy import PERMISSIONS
    from efa_registry.access.policy import ROLES as POLICY_ROLES

    assert POLICY_ROLES == ("curator", "provider", "adopter", "integrator")
    assert all(len(scopes) == len(POLICY_ROLES) for scopes in PERMISSIONS.values())
