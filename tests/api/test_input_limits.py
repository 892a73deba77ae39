"""What a client sends is checked at the door (api/limits.py, api/jsonguard.py), for every route at
once: text the database cannot store, bodies of the wrong type, size, shape or speed, HEAD and
OPTIONS, CORS, cursors and If-Match. Every refusal is problem+json naming the field, and changes
nothing."""

from __future__ import annotations

import asyncio
import base64
import json

import httpx
import pytest

from api.app import create_app
from tests.api.contract import assert_problem
from tests.api.test_catalogue import SOLUTION, create

ORG = {"kind": "kommune", "name": "Stadt Musterhausen", "slug": "musterhausen"}
JSON = {"Content-Type": "application/json"}


def cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(("url", "field"), [
    ("/v1/solutions?q=a%00b", "q"),
    ("/v1/solutions?q=a%ffb", "q"),
    ("/v1/organisations?q=%ed%a0%80", "q"),  # an encoded surrogate is not UTF-8
    ("/v1/organisations/a%00b", "key"),
    ("/v1/solutions/%c3%28/adoptions", "key"),
])
async def test_nul_and_invalid_utf8_in_query_or_path_are_400_naming_it(client, url, field):
    assert_problem(await client.get(url), 400, field)


@pytest.mark.parametrize(("body", "field"), [
    ('{"kind": "kommune", "name": "a\\u0000b", "slug": "x-y"}', "name"),
    ('{"kind": "kommune", "name": "a\\ud800", "slug": "x-y"}', "name"),
    ('{"kind": "kommune", "name": "Stadt", "name": "Dorf", "slug": "x-y"}', "name"),
])
async def test_unstorable_text_and_duplicate_keys_in_a_body_are_400_naming_the_field(client, catalogue, body, field):
    auth = catalogue["tokens"].auth("curator")
    assert_problem(await client.post("/v1/organisations", content=body.encode(), headers={**auth, **JSON}), 400, field)
    invalid_utf8 = b'{"kind": "kommune", "name": "a\xffb", "slug": "x-y"}'
    assert_problem(await client.post("/v1/organisations", content=invalid_utf8, headers={**auth, **JSON}), 400, "name")
    assert (await client.get("/v1/organisations/x-y")).status_code == 404


@pytest.mark.parametrize(("change", "field"), [
    ({"efaCompliant": "true"}, "efaCompliant"),
    ({"efaCompliant": 1}, "efaCompliant"),
    ({"reifegrad": "3"}, "reifegrad"),
    ({"reifegrad": 3.0}, "reifegrad"),
    ({"ozgIds": [10000]}, "ozgIds[0]"),
])
async def test_a_body_value_of_another_json_type_is_400_not_converted(client, catalogue, change, field):
    """A body is JSON and has types: no text read as a boolean or number, no float as an integer."""
    auth = catalogue["tokens"].auth("curator")
    problem = assert_problem(await client.post("/v1/solutions", json={**SOLUTION, **change}, headers=auth), 400, field)
    assert "Expected" in problem["detail"]
    assert (await client.get("/v1/solutions/wohngeld-digital")).status_code == 404
    response = await create(client, catalogue["tokens"])
    created, created_etag = response.json(), response.headers["etag"]
    patched = await client.patch("/v1/solutions/wohngeld-digital", json=change,
                                 headers={**auth, "If-Match": created_etag})
    assert_problem(patched, 400, field)
    assert (await client.get("/v1/solutions/wohngeld-digital")).json()["version"] == created["version"]


async def test_deep_nesting_is_400_not_a_recursion_error(client, catalogue):
    auth = catalogue["tokens"].auth("curator")
    for depth in (65, 100_000):
        body = b"[" * depth + b"]" * depth
        problem = assert_problem(await client.post("/v1/organisations", content=body, headers={**auth, **JSON}), 400)
        assert "nested deeper than 64" in problem["detail"]


@pytest.mark.parametrize("media_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_a_json_operation_refuses_other_media_types_with_415(client, catalogue, media_type):
    headers = catalogue["tokens"].auth("curator") | ({"Content-Type": media_type} if media_type else {})
    problem = assert_problem(await client.post("/v1/organisations", content=json.dumps(ORG), headers=headers), 415)
    assert "application/json" in problem["detail"]
    assert (await client.get("/v1/organisations/musterhausen")).status_code == 404


async def test_merge_patches_take_their_own_media_type(client, catalogue):
    auth = catalogue["tokens"].auth("curator")
    patch = {"name": "Land NRW"}
    for media_type, version in (("application/merge-patch+json", 1), ("application/json", 2)):
        done = await client.patch("/v1/organisations/land-nrw", content=json.dumps(patch),
                                  headers={**auth, "Content-Type": media_type, "If-Match": f'"v{version}"'})
        assert done.status_code == 200, done.text
    assert_problem(await client.patch("/v1/organisations/land-nrw", content=json.dumps(patch),
                                      headers={**auth, "Content-Type": "text/plain", "If-Match": '"v3"'}), 415)


async def test_a_body_over_the_limit_is_413_before_it_is_read(client, catalogue, settings):
    auth = catalogue["tokens"].auth("curator")
    big = b'{"name": "' + b"x" * settings.max_body_bytes + b'"}'
    assert_problem(await client.post("/v1/organisations", content=big, headers={**auth, **JSON}), 413)


async def test_a_body_that_does_not_arrive_is_408_within_the_timeout(app, settings, clean_db):
    slow = create_app(settings.__class__(**{**{f: getattr(settings, f) for f in settings.__struct_fields__},
                                            "body_timeout_seconds": 0.3}))
    sent: list[dict] = []

    async def receive():
        await asyncio.sleep(3600)  # the client sent its headers, and then nothing

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/v1/organisations", "raw_path": b"/v1/organisations", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"registry.test"), (b"content-type", b"application/json"),
                         (b"content-length", b"100")], "client": ("127.0.0.1", 1), "server": ("registry.test", 80)}
    await asyncio.wait_for(slow(scope, receive, send), timeout=5)
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["type"].endswith("/request-timeout")


async def test_oversized_urls_and_headers_are_refused(client):
    assert_problem(await client.get("/v1/solutions", params={"q": "x" * 9000}), 414)
    assert_problem(await client.get("/health", headers={"X-Padding": "x" * 17000}), 431)
    assert_problem(await client.options("/v1/gibt-es-nicht"), 404)  # refused before routing: problem+json too


async def test_head_answers_every_get_with_its_headers_and_no_body(client, catalogue):
    for url in ("/v1/organisations", "/v1/organisations/land-nrw", "/health"):
        got, head = await client.get(url), await client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b"" and head.headers["etag"] == got.headers["etag"]
        assert head.headers["content-type"] == got.headers["content-type"]


async def test_options_lists_every_method_of_the_path(client):
    answer = await client.options("/v1/solutions/wohngeld")
    assert answer.status_code == 204
    assert answer.headers["allow"] == "DELETE, GET, HEAD, OPTIONS, PATCH"
    assert (await client.options("/v1/no-such-thing")).status_code == 404


async def test_cors_answers_preflight_for_allowed_origins_only(settings, clean_db):
    fields = {f: getattr(settings, f) for f in settings.__struct_fields__}
    app = create_app(settings.__class__(**{**fields, "cors_origins": "https://portal.example.de"}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry.test") as c:
        preflight = {"Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "If-Match"}
        allowed = await c.options("/v1/solutions/x", headers={"Origin": "https://portal.example.de", **preflight})
        assert allowed.status_code == 204
        assert allowed.headers["access-control-allow-origin"] == "https://portal.example.de"
        assert "PATCH" in allowed.headers["access-control-allow-methods"]
        foreign = await c.options("/v1/solutions/x", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in foreign.headers
        simple = await c.get("/health", headers={"Origin": "https://portal.example.de"})
        assert simple.headers["access-control-allow-origin"] == "https://portal.example.de"
    # Without the setting no origin is allowed.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings)),
                                 base_url="http://registry.test") as c:
        closed = await c.options("/v1/solutions/x", headers={"Origin": "https://portal.example.de", **preflight})
        assert "access-control-allow-origin" not in closed.headers


@pytest.mark.parametrize(("url", "forged"), [
    ("/v1/organisations", [None, None]),
    ("/v1/organisations", ["stadt", "not-a-uuid"]),
    ("/v1/areas", [10**30]),
    ("/v1/areas", [5]),
    ("/v1/ozg-leistungen", ["10000x"]),
    ("/v1/solutions", ["wohngeld", "e3e70682-c209"]),
    ("/v1/solutions/wohngeld-digital/adoptions", ["05", "zzz"]),
    ("/v1/areas", "not base64 at all!"),
])
async def test_forged_or_foreign_cursors_are_400_naming_after(client, catalogue, url, forged):
    await create(client, catalogue["tokens"])
    value = forged if isinstance(forged, str) else cursor(forged)
    assert_problem(await client.get(url, params={"after": value}), 400, "after")


async def test_if_match_compares_strongly_and_takes_lists_and_star(client, catalogue):
    auth = catalogue["tokens"].auth("curator")
    url = "/v1/organisations/land-nrw"

    async def patch(if_match: str, name: str) -> httpx.Response:
        return await client.patch(url, json={"name": name}, headers={**auth, "If-Match": if_match})

    for tag in ('W/"v1"', '"stale"', '"v' + "9" * 5000 + '"', '"v2", "v3"'):
        assert_problem(await patch(tag, "Nie"), 412)
    assert_problem(await patch("v1", "Nie"), 400, "If-Match")  # not an entity-tag at all
    assert (await patch('"v7", "v1"', "Land NRW")).status_code == 200
    assert (await patch('"v2-auth"', "NRW")).status_code == 200
    assert (await patch("*", "Nordrhein-Westfalen")).status_code == 200
    current = await client.get(url)
    assert current.json()["name"] == "Nordrhein-Westfalen" and current.headers["etag"] == '"v4"'
    assert (await client.get(url, headers={"If-None-Match": '"v1", "v4"'})).status_code == 304
