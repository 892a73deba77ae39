"""HTTP contracts of the change feed (`/v1/events`) and the human feeds (JSON Feed, Atom)."""

from __future__ import annotations

import asyncio
import time
import xml.etree.ElementTree as ET

import pytest

from tests.api.contract import assert_problem
from tests.api.test_catalogue import SOLUTION, create

EVENT_KEYS = {"seq", "cursor", "occurredAt", "actor", "requestId", "entityType", "entityId", "action", "version",
              "solutionId", "land", "themenfelder", "snapshot"}
ATOM = "{http://www.w3.org/2005/Atom}"


async def change_summary(client, tokens, summary: str, version: int):
    response = await client.patch("/v1/solutions/wohngeld-digital", json={"summary": summary},
                                  headers={**tokens.auth("curator"), "If-Match": f'"v{version}"'})
    assert response.status_code == 200, response.text


class TestEventFeed:
    async def test_a_page_is_revalidated_by_its_cursors_and_grows_with_new_events(self, client, catalogue):
        tokens = catalogue["tokens"]
        await create(client, tokens)
        first = await client.get("/v1/events", params={"entityType": "solution"})
        etag = first.headers["etag"]
        same = await client.get("/v1/events", params={"entityType": "solution"}, headers={"If-None-Match": etag})
        assert same.status_code == 304
        # Another audience reads other bytes (contact fields): another ETag.
        curator = await client.get("/v1/events", params={"entityType": "solution"}, headers=tokens.auth("curator"))
        assert curator.headers["etag"] != etag and curator.json()["items"][0]["snapshot"] != first.json()[
            "items"][0]["snapshot"]
        # The caught-up page grows when an event commits: a new cursor, so a new ETag and the new event.
        await change_summary(client, tokens, "Neu", 1)
        grown = await client.get("/v1/events", params={"entityType": "solution"}, headers={"If-None-Match": etag})
        assert grown.status_code == 200 and grown.headers["etag"] != etag
        assert [e["action"] for e in grown.json()["items"]] == ["created", "updated"]

    async def test_pages_follow_the_cursor_with_every_field(self, client, catalogue):
        tokens = catalogue["tokens"]
        await create(client, tokens)
        await change_summary(client, tokens, "Neu", 1)
        first = await client.get("/v1/events", params={"entityType": "solution", "limit": 1})
        assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
        page = first.json()
        assert set(page) == {"items", "cursor", "next", "limit"}
        (event,) = page["items"]
        assert set(event) == EVENT_KEYS
        assert (event["entityType"], event["action"], event["version"]) == ("solution", "created", 1)
        assert event["cursor"] == page["cursor"] and event["land"] == "05" and event["themenfelder"] == ["familie-kind"]
        assert event["snapshot"]["name"] == "Wohngeld digital"
        second = (await client.get(page["next"])).json()
        assert [e["action"] for e in second["items"]] == ["updated"] and second["items"][0]["version"] == 2
        assert "entityType=solution" in second["next"]
        assert (await client.get(second["next"])).json()["items"] == []

    async def test_contacts_and_operational_events_only_for_those_allowed(self, client, catalogue):
        tokens = catalogue["tokens"]
        public = (await client.get("/v1/events")).json()["items"]
        integrator = (await client.get("/v1/events", headers=tokens.auth("integrator"))).json()["items"]
        curator = (await client.get("/v1/events", headers=tokens.auth("curator"))).json()["items"]
        nrw = next(e for e in public if e["entityType"] == "organisation" and e["snapshot"]["slug"] == "land-nrw")
        assert "contact_email" not in nrw["snapshot"]
        assert {e["entityType"] for e in public} == {e["entityType"] for e in integrator} == {"organisation"}
        nrw_seen = next(e for e in integrator if e["seq"] == nrw["seq"])
        assert nrw_seen["snapshot"]["contact_email"] == "ozg@nrw.example"
        assert {e["entityType"] for e in curator} == {"organisation", "token"}

    async def test_head_cursor_then_only_new_changes(self, client, catalogue):
        tokens = catalogue["tokens"]
        head = await client.get("/v1/events/cursor")
        assert head.status_code == 200 and head.headers["cache-control"] == "no-store"
        await create(client, tokens)
        items = (await client.get("/v1/events", params={"after": head.json()["cursor"]})).json()["items"]
        assert [(e["entityType"], e["action"]) for e in items] == [("solution", "created")]

    async def test_long_poll_answers_when_a_change_commits(self, client, catalogue):
        tokens = catalogue["tokens"]
        cursor = (await client.get("/v1/events/cursor")).json()["cursor"]
        started = time.monotonic()
        waiting = asyncio.create_task(client.get("/v1/events", params={"after": cursor, "wait": 10}))
        await asyncio.sleep(0.3)
        await create(client, tokens)
        items = (await asyncio.wait_for(waiting, 12)).json()["items"]
        assert [e["action"] for e in items] == ["created"] and time.monotonic() - started < 2

    @pytest.mark.parametrize(("params", "field"), [
        ({"after": "kaputt"}, "after"),
        ({"entityType": "gemeinde"}, "entityType"),
        ({"land": "5"}, "land"),
        ({"solution": "not-a-uuid"}, "solution"),
        ({"wait": "31"}, "wait"),
        ({"limit": "1001"}, "limit"),
        ({"since": "1"}, "since"),
    ])
    async def test_bad_parameters_are_problems_naming_them(self, client, params, field):
        assert_problem(await client.get("/v1/events", params=params), 400, field)


class TestHumanFeeds:
    async def test_json_feed_lists_recent_changes_newest_first_in_german(self, client, catalogue):
        tokens = catalogue["tokens"]
        solution = (await create(client, tokens)).json()
        await change_summary(client, tokens, "Neu", 1)
        response = await client.get("/v1/feed.json", params={"entityType": "solution"})
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/feed+json")
        feed = response.json()
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["feed_url"] == "http://registry.test/v1/feed.json?entityType=solution"
        titles = [i["title"] for i in feed["items"]]
        assert titles == ["Lösung „Wohngeld digital“ geändert (Version 2)",
                          "Lösung „Wohngeld digital“ angelegt (Version 1)"]
        item = feed["items"][0]
        assert set(item) == {"id", "title", "content_text", "date_published", "url", "tags"}
        assert item["url"] == f"http://registry.test/v1/solutions/{solution['id']}"
        assert item["tags"] == ["solution.updated"]
        etag = response.headers["etag"]
        again = await client.get("/v1/feed.json", params={"entityType": "solution"}, headers={"If-None-Match": etag})
        assert again.status_code == 304

    async def test_atom_is_valid_and_escapes_names(self, client, catalogue):
        tokens = catalogue["tokens"]
        await create(client, tokens, body={**SOLUTION, "name": "Bauen & Wohnen <digital>", "slug": "bauen-wohnen"})
        response = await client.get("/v1/feed.atom", params={"entityType": "solution", "limit": 5})
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}updated").text.endswith("Z")
        for required in ("id", "title", "author"):
            assert root.find(f"{ATOM}{required}") is not None
        (entry,) = root.findall(f"{ATOM}entry")
        assert entry.find(f"{ATOM}title").text == "Lösung „Bauen & Wohnen <digital>“ angelegt (Version 1)"
        assert entry.find(f"{ATOM}link").get("href").startswith("http://registry.test/v1/solutions/")
        assert b"&amp;" in response.content and b"&lt;digital&gt;" in response.content
        again = await client.get("/v1/feed.atom", params={"entityType": "solution", "limit": 5},
                              headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304

    async def test_filters_apply_and_bad_ones_are_problems(self, client, catalogue):
        tokens = catalogue["tokens"]
        await create(client, tokens)
        saar = (await client.get("/v1/feed.json", params={"land": "10"})).json()["items"]
        assert [i["title"] for i in saar] == ["Organisation „Saarland“ angelegt (Version 1)"]
        nrw = (await client.get("/v1/feed.json", params={"land": "05", "entityType": "solution"})).json()["items"]
        assert [i["tags"] for i in nrw] == [["solution.created"]]
        assert_problem(await client.get("/v1/feed.atom", params={"limit": "500"}), 400, "limit")


async def test_feed_titles_name_things_in_german_never_by_uuid(pages, demo):
    import re

    import msgspec

    from efa_registry.types import LABELS

    response = await pages.get("/v1/feed.json", params={"limit": 100})
    assert response.status_code == 200, response.text
    titles = [item["title"] for item in msgspec.json.decode(response.content)["items"]]
    german = {f"„{label}“" for label in LABELS["AdoptionStatus"].values()}
    bulk = [t for t in titles if "Sammelmeldung" in t]
    assert bulk and all(any(label in t for label in german) for t in bulk)
    assert all("“ in „" in t for t in bulk)  # „solution“ in „area“: both by name
    assert not [t for t in titles if re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", t)]
    assert not [t for t in titles if re.search(r"„(onboarding|paused|withdrawn|agreed|interested)“", t)]
