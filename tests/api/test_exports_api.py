"""HTTP contract of the bulk exports: media types, the feed cursor header, real streaming through
the middleware stack, contact details by authentication, and the connection returned on disconnect."""

from __future__ import annotations

import asyncio
import csv
import io
import json

import pytest

from efa_registry import db
from efa_registry.events.feed import read_events
from efa_registry.transfer import exports
from tests.api.contract import assert_problem, post_created

SOLUTION = {"name": "Elterngeld digital", "provider": "land-nrw", "ozgIds": ["10000"], "status": "available",
            "tags": ["familie"], "contactName": "Erika Muster", "contactEmail": "erika@nrw.example"}


@pytest.fixture
async def tokens(client, catalogue):
    tokens = catalogue["tokens"]
    await post_created(client, tokens, "/v1/solutions", SOLUTION)
    for ars in ("051120000000", "051130000000"):
        await post_created(client, tokens, "/v1/solutions/elterngeld-digital/adoptions", {"ars": ars})
    return tokens


@pytest.mark.parametrize(("file", "media_type"), [
    ("solutions.ndjson", "application/x-ndjson; charset=utf-8"),
    ("adoptions.csv", "text/csv; header=present; charset=utf-8"),
    ("areas.csv", "text/csv; header=present; charset=utf-8"),
    ("organisations.ndjson", "application/x-ndjson; charset=utf-8"),
    ("interfaces.ndjson", "application/x-ndjson; charset=utf-8"),
])
async def test_media_type_cursor_and_download_name(client, tokens, file, media_type):
    response = await client.get(f"/v1/export/{file}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert response.headers["x-feed-cursor"]
    assert response.headers["content-disposition"] == f'attachment; filename="{file}"'
    assert response.headers["cache-control"] == "public, max-age=60"


async def test_solution_records_carry_exactly_the_documented_keys(client, tokens):
    public = [json.loads(line) for line in (await client.get("/v1/export/solutions.ndjson")).text.splitlines()]
    keys = {"id", "slug", "name", "summary", "description", "providerId", "operatorId", "ozgIds", "themenfelder",
            "status", "efaCompliant", "reifegradModel", "reifegrad", "reuseRoute", "rolloutLevel", "licence",
            "sourceRepository", "documentationUrl", "costsNote", "language", "tags", "isDemo", "version", "createdAt",
            "updatedAt"}
    assert len(public) == 1 and set(public[0]) == keys
    private = await client.get("/v1/export/solutions.ndjson", headers=tokens.auth("integrator"))
    record = json.loads(private.text)
    assert set(record) == keys | {"contactName", "contactEmail"} and record["contactName"] == "Erika Muster"
    assert private.headers["cache-control"] == "private, no-store"


async def test_csv_header_and_rows(client, tokens):
    rows = list(csv.reader(io.StringIO((await client.get("/v1/export/adoptions.csv")).text, newline="")))
    assert rows[0][:5] == ["id", "solutionId", "ars", "land", "status"]
    assert sorted(r[2] for r in rows[1:]) == ["051120000000", "051130000000"]


async def test_csv_text_a_spreadsheet_would_run_as_a_formula_begins_with_an_apostrophe(client, tokens):
    formula = '=HYPERLINK("https://evil.example","Klick")'
    await client.patch("/v1/solutions/elterngeld-digital", json={"name": formula, "summary": "+SUM(1,2)",
                                                                 "tags": ["@cmd", "ok"]},
                       headers={**tokens.auth("curator"), "If-Match": '"v1"'})
    rows = list(csv.DictReader(io.StringIO((await client.get("/v1/export/solutions.csv")).text, newline="")))
    assert (rows[0]["name"], rows[0]["summary"], rows[0]["tags"]) == ("'" + formula, "'+SUM(1,2)", "'@cmd|ok")
    exact = json.loads((await client.get("/v1/export/solutions.ndjson")).text.splitlines()[0])
    assert (exact["name"], exact["tags"]) == (formula, ["@cmd", "ok"]), "NDJSON carries the text as stored"


async def test_feed_continues_from_the_cursor_header(client, tokens):
    response = await client.get("/v1/export/adoptions.ndjson")
    exported = {json.loads(line)["id"] for line in response.text.splitlines()}
    added = await client.post("/v1/solutions/elterngeld-digital/adoptions", json={"ars": "05"},
                              headers=tokens.auth("curator"))
    async with db.connection() as conn:
        events, _ = await read_events(conn, after=response.headers["x-feed-cursor"], limit=100)
    assert [e.entity_id for e in events] == [added.json()["id"]] and added.json()["id"] not in exported


@pytest.mark.parametrize("file", ["adoptions.xml", "events.ndjson", "adoptions"])
async def test_unknown_export_is_a_problem(client, clean_db, file):
    assert_problem(await client.get(f"/v1/export/{file}"), 404, "file")


# --------------------------------------------------------------------------- raw ASGI: streaming


async def asgi_get(app, path: str, *, disconnect_after: int | None = None) -> list[dict]:
    """GET through the whole app (middleware included); the client goes away after
    ``disconnect_after`` body messages. Returns the messages the app sent."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"registry.test")], "client": ("127.0.0.1", 50000),
             "server": ("registry.test", 80)}
    messages: list[dict] = []
    gone, requested = asyncio.Event(), False

    async def receive() -> dict:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            gone.set()  # as servers do: once the response is complete, receive() reports the disconnect
        bodies = sum(1 for m in messages if m["type"] == "http.response.body")
        if disconnect_after is not None and bodies >= disconnect_after:
            gone.set()
            await asyncio.sleep(0.05)  # the client is slow; meanwhile the server notices it left

    await asyncio.wait_for(app(scope, receive, send), timeout=10)
    return messages


@pytest.mark.parametrize(("file", "at_least"), [("areas.ndjson", 8), ("areas.csv", 2)])
async def test_export_streams_in_many_messages_past_the_etag_middleware(app, tokens, monkeypatch, file,
                                                                        at_least):
    monkeypatch.setattr(exports, "BATCH_ROWS", 2)
    messages = await asgi_get(app, f"/v1/export/{file}")
    start, bodies = messages[0], [m for m in messages if m["type"] == "http.response.body"]
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    assert start["status"] == 200 and "etag" not in headers and "x-feed-cursor" in headers
    assert len(bodies) >= at_least and all(m.get("more_body") for m in bodies[:-1])
    assert not bodies[-1].get("more_body") and b"".join(m["body"] for m in bodies).count(b"\n") >= 13


async def test_connection_is_returned_when_the_client_disconnects(app, tokens, monkeypatch):
    monkeypatch.setattr(exports, "BATCH_ROWS", 1)
    pool = db.pool()
    idle = pool.get_idle_size()
    messages = await asgi_get(app, "/v1/export/areas.ndjson", disconnect_after=2)
    received = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    assert 0 < len(received.splitlines()) < 13, "the stream stopped early"
    for _ in range(50):
        if pool.get_idle_size() == idle:
            break
        await asyncio.sleep(0.02)
    assert pool.get_idle_size() == idle
    assert (await asgi_get(app, "/v1/export/areas.ndjson"))[0]["status"] == 200
