"""Reusable HTTP contract checks for a writable resource: 404, 401/403, unknown field → 400,
stale If-Match → 412, missing If-Match → 428, ETag → 304, every error as problem+json; the
table-driven test of refused reads, and the create step other checks build on."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status"} <= body.keys() and body["status"] == status
    assert body["type"].startswith("https://efa-registry.de/problems/")
    if field is not None:
        assert body.get("field") == field, body
    return body


def refused_gets(*groups: tuple, data: str):
    """The test that every URL is refused: ``groups`` are ``(status, field, url, url, …)``, and each URL
    of a group, read with a GET on the data of fixture ``data``, answers that status naming that field.
    Bind it to a ``test_…`` name of the module."""

    @pytest.mark.usefixtures(data)
    @pytest.mark.parametrize(("url", "status", "field"),
                             [(url, status, field) for status, field, *urls in groups for url in urls])
    async def test(client, url: str, status: int, field: str) -> None:
        assert_problem(await client.get(url), status, field)

    return test


async def post_created(client, tokens, url: str, body: dict, who: str = "curator") -> dict:
    """POST ``body`` to ``url`` as ``who``, which must create it (201); the new entity."""
    response = await client.post(url, json=body, headers=tokens.auth(who))
    assert response.status_code == 201, response.text
    return response.json()


async def check_resource_contract(client, *, url: str, missing_url: str, patch_body: dict, auth: dict,
                                  forbidden_auth: dict, private: bool = False) -> None:
    """``url`` points at an existing entity that ``auth`` may change and ``forbidden_auth`` may not;
    a ``private`` resource is read with ``auth`` too (anonymous callers get 401 instead)."""
    if private:
        assert_problem(await client.get(url), 401)
    assert_problem(await client.get(missing_url, headers=auth if private else {}), 404)
    current = await client.get(url, headers=auth)
    assert current.status_code == 200
    etag = current.headers["etag"]
    assert (await client.get(url, headers={**auth, "If-None-Match": etag})).status_code == 304

    assert_problem(await client.patch(url, json=patch_body), 401)
    assert_problem(await client.patch(url, json=patch_body, headers={**forbidden_auth, "If-Match": etag}), 403)
    assert_problem(await client.patch(url, json=patch_body, headers=auth), 428, "If-Match")
    assert_problem(await client.patch(url, json={"noSuchField": 1}, headers={**auth, "If-Match": etag}), 400,
                   "noSuchField")
    stale = etag.replace('"v', '"v9')
    assert_problem(await client.patch(url, json=patch_body, headers={**auth, "If-Match": stale}), 412)
    unchanged = await client.get(url, headers=auth)
    assert unchanged.json() == current.json(), "refused writes must change nothing"

    changed = await client.patch(url, json=patch_body, headers={**auth, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != etag
    assert_problem(await client.patch(url, json=patch_body, headers={**auth, "If-Match": etag}), 412)
