"""Reuse: subscribe, the lifecycle with its ownership rules, area view, bulk, concurrency."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from efa_registry import db
from tests.api.contract import assert_problem, check_resource_contract


@pytest.fixture
async def adoption_setup(client, catalogue):
    tokens = catalogue["tokens"]
    response = await client.post("/v1/solutions", json={
        "name": "Wohngeld digital", "provider": "land-nrw", "ozgIds": ["10000"], "status": "available"},
        headers=tokens.auth("curator"))
    assert response.status_code == 201
    return tokens


async def subscribe(client, tokens, who="adopter", ars="051120000000"):
    return await client.post("/v1/solutions/wohngeld-digital/adoptions", json={"ars": ars},
                             headers=tokens.auth(who))


async def step(client, tokens, who, adoption, status, **extra):
    return await client.patch(f"/v1/adoptions/{adoption['id']}", json={"status": status, **extra},
                              headers={**tokens.auth(who), "If-Match": f'"v{adoption["version"]}"'})


async def adoption_rows() -> list:
    async with db.connection() as conn:
        return [await conn.fetch("SELECT * FROM adoption ORDER BY id"),
                await conn.fetch("SELECT adoption, from_status, to_status FROM adoption_transition ORDER BY id")]


async def test_municipality_subscribes_and_the_provider_takes_it_live(client, adoption_setup):
    tokens = adoption_setup
    created = await subscribe(client, tokens)
    assert created.status_code == 201, created.text
    adoption = created.json()
    assert (adoption["status"], adoption["area"]["ars"], adoption["allowedStatuses"]) == (
        "interested", "051120000000", ["agreed", "paused", "withdrawn"])
    for status in ("agreed", "onboarding", "live"):
        response = await step(client, tokens, "provider_nrw", adoption, status)
        assert response.status_code == 200, response.text
        adoption = response.json()
    assert adoption["status"] == "live" and adoption["liveSince"] is not None
    assert [t["toStatus"] for t in adoption["transitions"]] == ["interested", "agreed", "onboarding", "live"]
    assert adoption["transitions"][-1]["actor"].endswith("(NRW)")
    rollout = (await client.get("/v1/solutions/wohngeld-digital/rollout")).json()
    nrw = next(land for land in rollout["lands"] if land["land"] == "05")
    assert nrw["coveredUnits"] == 1 and nrw["eligibleUnits"] == 2


async def test_adoptions_keep_the_resource_contract(client, adoption_setup):
    tokens = adoption_setup
    adoption = (await subscribe(client, tokens)).json()
    await check_resource_contract(
        client, url=f"/v1/adoptions/{adoption['id']}", missing_url=f"/v1/adoptions/{uuid.uuid4()}",
        patch_body={"note": "Start im März"}, auth=tokens.auth("adopter"), forbidden_auth=tokens.auth("provider_saar"))


async def test_illegal_transition_lists_the_allowed_ones(client, adoption_setup):
    tokens = adoption_setup
    adoption = (await subscribe(client, tokens)).json()
    body = assert_problem(await step(client, tokens, "curator", adoption, "live"), 409, "status")
    assert body["allowed"] == ["agreed", "paused", "withdrawn"]


@pytest.mark.parametrize(("who", "status", "expected"), [
    ("adopter", "agreed", 403),          # only the provider (or office) agrees
    ("provider_saar", "agreed", 403),    # not its solution
    ("integrator", "agreed", 403),
    ("provider_nrw", "withdrawn", 403),  # withdrawing is the adopter's decision
    ("provider_nrw", "paused", 403),
    ("adopter", "paused", 200),
    ("adopter", "withdrawn", 200),
    ("curator", "agreed", 200),
    ("provider_nrw", "agreed", 200),
])
async def test_transition_ownership(client, adoption_setup, who, status, expected):
    tokens = adoption_setup
    adoption = (await subscribe(client, tokens)).json()
    before = await adoption_rows()
    response = await step(client, tokens, who, adoption, status)
    if expected == 200:
        assert response.status_code == 200, response.text
    else:
        assert_problem(response, expected)
        assert await adoption_rows() == before


async def test_adopter_cannot_touch_another_areas_adoption(client, adoption_setup):
    tokens = adoption_setup
    assert_problem(await subscribe(client, tokens, ars="051130000000"), 403)  # Essen is not Duisburg
    essen = (await subscribe(client, tokens, who="curator", ars="051130000000")).json()
    before = await adoption_rows()
    assert_problem(await step(client, tokens, "adopter", essen, "withdrawn"), 403)
    assert await adoption_rows() == before


async def test_one_open_subscription_per_area_and_pause_resume(client, adoption_setup):
    tokens = adoption_setup
    adoption = (await subscribe(client, tokens)).json()
    assert_problem(await subscribe(client, tokens), 409, "ars")
    paused = (await step(client, tokens, "adopter", adoption, "paused")).json()
    assert paused["pausedFrom"] == "interested" and paused["allowedStatuses"] == ["interested", "withdrawn"]
    resumed = (await step(client, tokens, "adopter", paused, "interested")).json()
    assert resumed["status"] == "interested" and resumed["pausedFrom"] is None
    withdrawn = (await step(client, tokens, "adopter", resumed, "withdrawn")).json()
    assert withdrawn["allowedStatuses"] == []
    assert (await subscribe(client, tokens)).status_code == 201  # a withdrawn one no longer blocks


async def test_backdating_live_since_is_for_the_office(client, adoption_setup):
    tokens = adoption_setup
    adoption = (await subscribe(client, tokens)).json()
    for status in ("agreed", "onboarding"):
        adoption = (await step(client, tokens, "curator", adoption, status)).json()
    assert_problem(await step(client, tokens, "provider_nrw", adoption, "live", liveSince="2023-01-01"), 422,
                   "liveSince")
    live = (await step(client, tokens, "curator", adoption, "live", liveSince="2023-01-01")).json()
    assert live["liveSince"] == "2023-01-01"


async def test_concurrent_transitions_one_wins(client, adoption_setup):
    tokens = adoption_setup
    adoption = (await subscribe(client, tokens)).json()
    first, second = await asyncio.gather(step(client, tokens, "curator", adoption, "agreed"),
                                         step(client, tokens, "adopter", adoption, "withdrawn"))
    # The loser sees either the newer version (412) or, if it re-checks after the winner's commit,
    # a step no longer legal from the new state (409); never a second success.
    assert sorted([first.status_code, second.status_code]) in ([200, 409], [200, 412])
    current = (await client.get(f"/v1/adoptions/{adoption['id']}")).json()
    assert len(current["transitions"]) == 2 and current["version"] == 2


async def test_area_view_marks_inherited_coverage(client, adoption_setup):
    tokens = adoption_setup
    await client.post("/v1/solutions/wohngeld-digital/adoptions/bulk", json={"ars": ["05"], "status": "live"},
                      headers=tokens.auth("curator"))
    own = (await subscribe(client, tokens)).json()
    view = (await client.get("/v1/areas/051120000000/adoptions")).json()
    assert [(v["inheritedFrom"], v["adoption"]["id"] == own["id"]) for v in view] == [(None, True), ("05", False)]
    assert (await client.get("/v1/areas/05112000/adoptions")).json() == view  # the AGS names it too


async def test_bulk_is_idempotent_and_covers_a_land(client, adoption_setup):
    tokens = adoption_setup
    body = {"land": "05", "status": "live", "liveSince": "2024-01-01"}
    first = await client.post("/v1/solutions/wohngeld-digital/adoptions/bulk", json=body,
                              headers=tokens.auth("provider_nrw"))
    assert_problem(first, 422, "liveSince")  # a provider may not backdate
    first = await client.post("/v1/solutions/wohngeld-digital/adoptions/bulk", json=body,
                              headers=tokens.auth("curator"))
    assert first.json() == {"created": 2, "changed": 0, "unchanged": 0, "skipped": 0}
    again = await client.post("/v1/solutions/wohngeld-digital/adoptions/bulk", json=body,
                              headers=tokens.auth("curator"))
    assert again.json() == {"created": 0, "changed": 0, "unchanged": 2, "skipped": 0}
    assert_problem(await client.post("/v1/solutions/wohngeld-digital/adoptions/bulk", json=body,
                                     headers=tokens.auth("provider_saar")), 403)
    listed = (await client.get("/v1/solutions/wohngeld-digital/adoptions")).json()["items"]
    assert sorted(a["area"]["ars"] for a in listed) == ["051120000000", "051130000000"]


async def test_subscribing_needs_an_area_with_an_administration(client, adoption_setup):
    tokens = adoption_setup
    assert_problem(await subscribe(client, tokens, who="curator", ars="033585000000"), 422, "ars")
    assert_problem(await subscribe(client, tokens, who="curator", ars="059999999999"), 422, "ars")
