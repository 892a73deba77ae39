"""Sign-in sessions for the curation pages, and CSRF protection of their forms.

A person signs in with an API token once; the browser then holds only a random session id in
an HttpOnly, SameSite=Strict cookie. The token stays on the server, in the app's store named
``web_sessions``: a table in PostgreSQL (``session_store.PostgresStore``), so every API process
serves every session and sessions survive a restart. Every request re-checks the token with the
core (``tokens.authenticate``), so a revoked or expired token ends the session at once.

CSRF: each session carries a synchronizer token that every form posts back in a hidden field.
The sign-in form, which has no session yet, uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.stores.base import Store

from efa_registry.access import tokens
from efa_registry.access.model import Actor
from efa_registry.errors import Forbidden, Unauthenticated

SESSION_COOKIE = "efa_sitzung"
LOGIN_CSRF_COOKIE = "efa_anmeldung"
STORE_NAME = "web_sessions"
IDLE_SECONDS = 8 * 3600
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


class CsrfFailed(Forbidden):
    """A form came back without the token of the session (or sign-in page) that rendered it."""


class Session(msgspec.Struct, frozen=True):
    id: str
    secret: str
    csrf: str
    actor: Actor


def _store(request: Request) -> Store:
    return request.app.stores.get(STORE_NAME)


def _cookie(request: Request, key: str, value: str, *, max_age: int | None = None) -> Cookie:
    # Secure whenever the browser talks https (behind a proxy uvicorn's proxy_headers sets the scheme);
    # plain http only on a developer's loopback.
    return Cookie(key=key, value=value, path="/", httponly=True, samesite="strict", max_age=max_age,
                  secure=request.url.scheme == "https")


async def check_token(request: Request, secret: str) -> Actor:
    """The actor behind a token (the core refuses unknown, expired and revoked ones alike)."""
    return await tokens.authenticate(secret, request_id=request.scope["state"].get("request_id"))


async def open_session(request: Request, secret: str) -> Cookie:
    """Open a session for a checked token; returns the cookie to set. A fresh id every time, and
    the previous session of this browser ends (no session fixation, nothing left behind)."""
    previous = _session_id(request)
    if previous:
        await _store(request).delete(previous)
    session_id = secrets.token_urlsafe(32)
    record = msgspec.json.encode({"secret": secret, "csrf": secrets.token_urlsafe(32)})
    store = _store(request)
    await store.set(session_id, record, expires_in=IDLE_SECONDS)
    if hasattr(store, "delete_expired"):  # keep abandoned sessions from piling up in memory
        await store.delete_expired()
    return _cookie(request, SESSION_COOKIE, session_id)


def _session_id(request: Request) -> str | None:
    """The cookie's session id if it has the form ``open_session`` gives ids; anything else (a
    forged or damaged cookie) is no session and never reaches the store."""
    session_id = request.cookies.get(SESSION_COOKIE)
    return session_id if session_id and SESSION_ID.fullmatch(session_id) else None


async def current(request: Request) -> Session | None:
    """The signed-in session, re-checked against the token table; None when there is none."""
    session_id = _session_id(request)
    if not session_id:
        return None
    raw = await _store(request).get(session_id, renew_for=IDLE_SECONDS)
    if raw is None:
        return None
    data: dict[str, Any] = msgspec.json.decode(raw)
    try:
        actor = await check_token(request, data["secret"])
    except Unauthenticated:
        await _store(request).delete(session_id)  # revoked or expired: the session ends with it
        return None
    return Session(id=session_id, secret=data["secret"], csrf=data["csrf"], actor=actor)


async def require(request: Request) -> Session:
    session = await current(request)
    if session is None:
        raise Unauthenticated("Bitte melden Sie sich an.")
    return session


async def sign_out(request: Request, response: Response) -> None:
    session_id = _session_id(request)
    if session_id:
        await _store(request).delete(session_id)
    response.delete_cookie(SESSION_COOKIE, path="/")


def check_csrf(expected: str, form: dict[str, Any] | Any) -> None:
    sent = form.get("csrf_token") or ""
    # As bytes: compare_digest refuses str with non-ASCII characters (a forged "gefälscht" was a 500).
    if not expected or not hmac.compare_digest(str(sent).encode(), expected.encode()):
        raise CsrfFailed("Das Formular ist abgelaufen oder stammt nicht von dieser Seite. "
                         "Bitte laden Sie die Seite neu und senden Sie es erneut.")


def login_csrf(request: Request) -> tuple[str, Cookie]:
    """A fresh double-submit token for the sign-in form and the cookie that carries it."""
    token = secrets.token_urlsafe(32)
    return token, _cookie(request, LOGIN_CSRF_COOKIE, token, max_age=3600)


def check_login_csrf(request: Request, form: Any) -> None:
    check_csrf(request.cookies.get(LOGIN_CSRF_COOKIE, ""), form)
