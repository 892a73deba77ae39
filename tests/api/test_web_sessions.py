"""Curation sessions against the attacks they exist to stop: forms without or with a forged CSRF
token (403, nothing written), session fixation (a fresh id at every sign-in, the planted one dead),
and the cookie's flags (HttpOnly, SameSite=Strict, Path=/, Secure over https, never the token)."""

from __future__ import annotations

import re

import httpx
import pytest

from api.web.session import LOGIN_CSRF_COOKIE, SESSION_COOKIE


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def session_cookie(response: httpx.Response) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}="))


async def sign_in(client: httpx.AsyncClient, token: str) -> httpx.Response:
    form = await client.get("/kuratierung")
    return await client.post("/kuratierung/anmelden", data={"token": token, "csrf_token": csrf_of(form.text)})


@pytest.fixture
async def curator(catalogue) -> str:
    return catalogue["tokens"]["curator"]


@pytest.mark.parametrize("sent", [None, "", "gefälscht", "x" * 43])
async def test_sign_in_without_the_pages_csrf_token_is_403_and_opens_no_session(client, curator, sent):
    await client.get("/kuratierung")  # the double-submit cookie is set …
    data = {"token": curator} | ({"csrf_token": sent} if sent is not None else {})
    response = await client.post("/kuratierung/anmelden", data=data)  # … but the form does not carry it
    assert response.status_code == 403 and "text/html" in response.headers["content-type"]
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


async def test_a_csrf_cookie_planted_by_another_site_does_not_help(client, curator):
    client.cookies.set(LOGIN_CSRF_COOKIE, "geplant")
    response = await client.post("/kuratierung/anmelden", data={"token": curator, "csrf_token": "anders"})
    assert response.status_code == 403


@pytest.mark.parametrize("sent", [None, "gefälscht"])
async def test_a_signed_in_form_without_its_sessions_token_is_403_and_writes_nothing(client, curator, sent):
    assert (await sign_in(client, curator)).status_code == 303
    form = await client.get("/kuratierung/loesungen/neu")
    assert form.status_code == 200
    data = {"name": "Untergeschoben", "provider": "land-nrw", "status": "planned", "rolloutLevel": "gemeinde"}
    response = await client.post("/kuratierung/loesungen/neu", data=data | ({"csrf_token": sent} if sent else {}))
    assert response.status_code == 403
    listed = (await client.get("/v1/solutions", params={"status": "planned", "limit": 200})).json()["items"]
    assert [s for s in listed if s["name"] == "Untergeschoben"] == []
    signed_out = await client.post("/kuratierung/abmelden", data={"csrf_token": "gefälscht"})
    assert signed_out.status_code == 403 and (await client.get("/kuratierung")).status_code == 200
    assert 'name="token"' not in (await client.get("/kuratierung")).text  # still signed in


def session_id(response: httpx.Response) -> str:
    return session_cookie(response).split(";")[0].partition("=")[2]


async def test_every_sign_in_issues_a_fresh_session_id_and_the_old_one_stays_dead(client, curator):
    first = session_id(await sign_in(client, curator))
    overview = await client.get("/kuratierung")
    await client.post("/kuratierung/abmelden", data={"csrf_token": csrf_of(overview.text)})
    second = session_id(await sign_in(client, curator))
    assert first != second and len(second) >= 40
    async with httpx.AsyncClient(transport=client._transport, base_url="http://registry.test") as other:
        other.cookies.set(SESSION_COOKIE, first)
        assert 'name="token"' in (await other.get("/kuratierung")).text  # the old id signs nobody in
        other.cookies.set(SESSION_COOKIE, second, domain="registry.test")
        assert 'name="token"' not in (await other.get("/kuratierung")).text


async def test_a_session_id_planted_before_sign_in_is_not_adopted(client, curator):
    """Session fixation: an attacker who set the cookie before the victim signs in learns nothing."""
    planted = "angreifer-kennt-diese-id"
    client.cookies.set(SESSION_COOKIE, planted, domain="registry.test")
    issued = session_id(await sign_in(client, curator))
    assert issued != planted
    async with httpx.AsyncClient(transport=client._transport, base_url="http://registry.test") as attacker:
        attacker.cookies.set(SESSION_COOKIE, planted)
        assert 'name="token"' in (await attacker.get("/kuratierung")).text


async def test_the_session_cookie_is_httponly_strict_and_carries_no_token(client, curator):
    cookie = session_cookie(await sign_in(client, curator))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in flags and flags["samesite"].lower() == "samesite=strict" and flags["path"] == "Path=/"
    assert "secure" not in flags  # plain http: only a developer's loopback
    assert curator not in cookie and "max-age" not in flags  # a browser session, ended by the server's expiry


async def test_over_https_the_cookie_is_secure(app, curator):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://registry.test") as c:
        cookie = session_cookie(await sign_in(c, curator))
    assert "Secure" in cookie


async def test_signing_out_ends_the_session_on_the_server(client, curator):
    await sign_in(client, curator)
    old = client.cookies[SESSION_COOKIE]
    overview = await client.get("/kuratierung")
    assert (await client.post("/kuratierung/abmelden", data={"csrf_token": csrf_of(overview.text)})).status_code == 303
    client.cookies.set(SESSION_COOKIE, old)  # replaying the id after sign-out
    assert 'name="token"' in (await client.get("/kuratierung")).text
