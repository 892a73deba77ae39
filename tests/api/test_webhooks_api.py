"""HTTP contracts of webhooks: who may register and see them, the secret shown once, merge patch
with If-Match, re-enabling, the delivery log, and the SSRF guard at registration."""

from __future__ import annotations

import uuid

import httpx
import msgspec
import pytest

from api.app import create_app
from efa_registry.access import tokens as token_service
from efa_registry.access.model import Actor
from efa_registry.webhooks.delivery import DeliveryWorker, WorkerConfig
from tests.api.contract import assert_problem, check_resource_contract
from tests.api.test_catalogue import create
from tests.integration.test_webhook_delivery import Receiver

WEBHOOK_KEYS = {"id", "url", "eventTypes", "filters", "description", "enabled", "disabledReason", "ownerTokenId",
                "version", "createdAt", "updatedAt"}
DELIVERY_KEYS = {"id", "eventSeq", "eventType", "status", "attempts", "lastStatusCode", "lastError", "nextAttemptAt",
                 "deliveredAt", "createdAt"}
BODY = {"url": "http://127.0.0.1:9/hooks", "eventTypes": ["solution.*", "adoption.go_live"],
        "filters": {"land": "05"}, "description": "Landesportal NRW"}


@pytest.fixture(scope="module")
def webhook_app(settings, database):
    return create_app(settings)


@pytest.fixture(scope="module")
def strict_app(settings, database):
    """The app as operators run it: the SSRF guard on."""
    return create_app(msgspec.structs.replace(settings, webhook_allow_private=False))


@pytest.fixture
async def api(webhook_app, clean_db):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=webhook_app), base_url="http://registry.test") as c:
        yield c


async def register(api, tokens, who="integrator", body=None):
    response = await api.post("/v1/webhooks", json=body or BODY, headers=tokens.auth(who))
    assert response.status_code == 201, response.text
    return response.json()


class TestRegistration:
    async def test_the_secret_is_shown_once_and_never_again(self, api, catalogue):
        tokens = catalogue["tokens"]
        created = await register(api, tokens)
        assert set(created) == WEBHOOK_KEYS | {"secret"} and created["secret"].startswith("whsec_")
        assert created["filters"] == {"solution": None, "land": "05", "themenfeld": None} and created["enabled"]
        fetched = await api.get(f"/v1/webhooks/{created['id']}", headers=tokens.auth("integrator"))
        assert fetched.status_code == 200 and set(fetched.json()) == WEBHOOK_KEYS
        assert fetched.headers["etag"] == '"v1"'
        listed = await api.get("/v1/webhooks", headers=tokens.auth("integrator"))
        events = await api.get("/v1/events", params={"entityType": "webhook"}, headers=tokens.auth("curator"))
        assert [e["action"] for e in events.json()["items"]] == ["created"]
        for response in (fetched, listed, events):
            assert created["secret"] not in response.text

    @pytest.mark.parametrize(("who", "status"), [(None, 401), ("provider_nrw", 403), ("adopter", 403)])
    async def test_only_integrators_and_curators_manage_webhooks(self, api, catalogue, who, status):
        headers = catalogue["tokens"].auth(who) if who else {}
        assert_problem(await api.post("/v1/webhooks", json=BODY, headers=headers), status)
        assert_problem(await api.get("/v1/webhooks", headers=headers), status)

    @pytest.mark.parametrize(("body", "status", "field"), [
        ({**BODY, "eventTypes": ["gemeinde.created"]}, 400, "eventTypes"),
        ({**BODY, "eventTypes": []}, 400, "eventTypes"),
        ({**BODY, "eventTypes": ["token.*"]}, 422, "eventTypes"),
        ({**BODY, "filters": {"land": "5"}}, 400, "filters.land"),
        ({**BODY, "url": "ftp://example.org/x"}, 422, "url"),
        ({**BODY, "secret": "whsec_mine"}, 400, "secret"),
    ])
    async def test_invalid_registrations_name_the_field(self, api, catalogue, body, status, field):
        problem = assert_problem(await api.post("/v1/webhooks", json=body,
                                                headers=catalogue["tokens"].auth("integrator")), status)
        assert problem["field"].split("[")[0] == field, problem  # a list item is named with its index

    @pytest.mark.parametrize("url", ["http://127.0.0.1/x", "https://127.0.0.1/x", "https://10.0.0.1/x",
                                     "https://[::1]/x", "https://169.254.169.254/latest", "https://100.64.0.1/"])
    async def test_private_targets_are_refused_unless_allowed(self, strict_app, catalogue, url):
        transport = httpx.ASGITransport(app=strict_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry.test") as c:
            response = await c.post("/v1/webhooks", json={**BODY, "url": url},
                                    headers=catalogue["tokens"].auth("integrator"))
        assert_problem(response, 422, "url")


class TestOwnership:
    async def test_integrators_see_their_own_and_curators_see_all(self, api, catalogue):
        tokens = catalogue["tokens"]
        mine = await register(api, tokens)
        _, other_secret = await token_service.create_token(
            token_service.NewToken(role="integrator", name="Anderes Portal"), actor=Actor.system("test"))
        other = {"Authorization": f"Bearer {other_secret}"}
        theirs = (await api.post("/v1/webhooks", json=BODY, headers=other)).json()
        own_list = (await api.get("/v1/webhooks", headers=tokens.auth("integrator"))).json()
        assert [w["id"] for w in own_list["items"]] == [mine["id"]]
        all_list = (await api.get("/v1/webhooks", params={"limit": 1}, headers=tokens.auth("curator"))).json()
        second = (await api.get(all_list["next"], headers=tokens.auth("curator"))).json()
        assert [w["id"] for w in all_list["items"] + second["items"]] == [mine["id"], theirs["id"]]
        assert second["next"] is None
        url = f"/v1/webhooks/{theirs['id']}"
        assert_problem(await api.get(url, headers=tokens.auth("integrator")), 404)
        assert_problem(await api.patch(url, json={"description": "x"},
                                       headers={**tokens.auth("integrator"), "If-Match": '"v1"'}), 404)
        assert (await api.get(url, headers=tokens.auth("curator"))).status_code == 200


class TestChanges:
    async def test_merge_patch_needs_if_match_and_delete_removes(self, api, catalogue):
        auth = catalogue["tokens"].auth("integrator")
        url = f"/v1/webhooks/{(await register(api, catalogue['tokens']))['id']}"
        assert_problem(await api.patch(url, json={"description": None}, headers=auth), 428, "If-Match")
        changed = await api.patch(url, json={"description": None, "eventTypes": ["*"]},
                                  headers={**auth, "If-Match": '"v1"'})
        assert changed.status_code == 200 and changed.headers["etag"] == '"v2"'
        assert (changed.json()["description"], changed.json()["eventTypes"]) == (None, ["*"])
        assert_problem(await api.patch(url, json={"url": None}, headers={**auth, "If-Match": '"v2"'}), 400, "url")
        assert_problem(await api.patch(url, json={"enabled": False}, headers={**auth, "If-Match": '"v1"'}), 412)
        assert_problem(await api.delete(url, headers=auth), 428)
        assert (await api.delete(url, headers={**auth, "If-Match": '"v2"'})).status_code == 204
        assert_problem(await api.get(url, headers=auth), 404)


    async def test_webhooks_keep_the_resource_contract(self, api, catalogue):
        tokens = catalogue["tokens"]
        webhook = await register(api, tokens)
        await check_resource_contract(
            api, url=f"/v1/webhooks/{webhook['id']}", missing_url=f"/v1/webhooks/{uuid.uuid4()}",
            patch_body={"description": "Landesportal NRW, Pilot"}, auth=tokens.auth("integrator"),
            forbidden_auth=tokens.auth("provider_nrw"), private=True)


class TestDeliveryLog:
    async def test_disabled_after_failures_reenabled_by_patch_with_a_paged_log(self, api, catalogue):
        tokens = catalogue["tokens"]
        auth = tokens.auth("integrator")
        config = WorkerConfig(allow_private=True, timeout=0.5, backoff_base=0.01, backoff_cap=0.02, max_failures=2)
        async with Receiver(default=500) as receiver:
            webhook = await register(api, tokens, body={**BODY, "url": receiver.url, "eventTypes": ["solution.*"]})
            await create(api, tokens)
            for summary, version in (("a", 1), ("b", 2)):
                await api.patch("/v1/solutions/wohngeld-digital", json={"summary": summary},
                                headers={**tokens.auth("curator"), "If-Match": f'"v{version}"'})
            worker = DeliveryWorker(config)
            url = f"/v1/webhooks/{webhook['id']}"
            try:
                while (await api.get(url, headers=auth)).json()["enabled"]:
                    await worker.run_once()
                disabled = (await api.get(url, headers=auth)).json()
                assert disabled["disabledReason"].startswith("2 consecutive failed deliveries")
                receiver.default = 204
                enabled = await api.patch(url, json={"enabled": True},
                                          headers={**auth, "If-Match": f'"v{disabled["version"]}"'})
                assert enabled.json()["enabled"] and enabled.json()["disabledReason"] is None
                while await worker.run_once():
                    pass
            finally:
                await worker.aclose()
        first = (await api.get(f"{url}/deliveries", params={"limit": 2}, headers=auth)).json()
        rest = (await api.get(first["next"], headers=auth)).json()
        log = first["items"] + rest["items"]
        assert set(log[0]) == DELIVERY_KEYS and rest["next"] is None
        assert [d["eventType"] for d in log] == ["solution.updated", "solution.updated", "solution.created"]
        assert [d["eventSeq"] for d in log] == sorted((d["eventSeq"] for d in log), reverse=True)
        assert {d["status"] for d in log} == {"succeeded"} and all(d["nextAttemptAt"] is None for d in log)
        assert sum(d["attempts"] for d in log) == len(receiver.requests) >= 5
        assert_problem(await api.get(f"{url}/deliveries", params={"status": "lost"}, headers=auth), 400, "status")
