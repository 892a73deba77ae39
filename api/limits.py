"""Input limits at the door, for every route at once (pure ASGI, see STYLE.md).

Two layers. ``front_door`` wraps the whole app *before* routing: it answers ``HEAD`` as the
``GET`` it stands for (without the body), ``OPTIONS`` with the methods the path really has
(Litestar's generated answer forgets handlers that other controllers add to the same path),
and refuses oversized URLs and header blocks. ``input_limits`` runs *after* routing, so it knows
the operation: text in the query and path must be valid UTF-8 without control characters
(``types.UNSTORABLE``), a body must have the media type the operation accepts (415), fit
``EFA_MAX_BODY_BYTES`` (413), arrive within ``EFA_BODY_TIMEOUT_SECONDS`` (408), and a JSON body
must be free of control characters, lone surrogates, duplicate keys and nesting deeper than ``MAX_JSON_DEPTH``.
Refusals are raised as the usual errors, so ``api/problems.py`` renders them (problem+json for
the API, the German page on the web pages) and each names the offending field.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

import msgspec
from litestar import Litestar
from litestar._asgi.utils import wrap_in_exception_handler
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import BodyKwarg
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api import jsonguard
from api.problems import HTTP_PROBLEMS, PROBLEM_BASE
from api.schemas import Problem
from efa_registry.errors import InvalidParameter
from efa_registry.types import UNSTORABLE, UNSTORABLE_TEXT

MAX_URL_BYTES = 8 * 1024
MAX_HEADER_BYTES = 16 * 1024
JSON_TYPES = ("application/json",)
MERGE_PATCH = "application/merge-patch+json"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


# ---------------------------------------------------------------- before routing

def front_door(app: Litestar) -> None:
    """Wrap ``app``'s ASGI handler (everything after Litestar's own entry, CORS included)."""
    inner, allowed = app.asgi_handler, _AllowedMethods(app)
    cors = app.cors_config is not None

    async def door(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await inner(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode()
        if len(raw_path) + len(scope.get("query_string", b"")) > MAX_URL_BYTES:
            await _problem(send, 414, f"the URL may have at most {MAX_URL_BYTES} bytes")
            return
        if sum(len(k) + len(v) for k, v in scope["headers"]) > MAX_HEADER_BYTES:
            await _problem(send, 431, f"the headers may have at most {MAX_HEADER_BYTES} bytes")
            return
        method = scope["method"]
        if method == "OPTIONS" and not (cors and _has_header(scope, b"origin")):
            methods = allowed(scope["path"])
            if methods:
                await _plain(send, 204, "", {"allow": ", ".join(methods)})
            else:
                await _problem(send, 404, f"no resource at {scope['path']}")
            return
        if method == "HEAD":
            await inner({**scope, "method": "GET"}, receive, _without_body(send))
            return
        await inner(scope, receive, send)

    app.asgi_handler = door


class _AllowedMethods:
    """Path → the methods its route serves (HEAD with GET), from the app's own route table."""

    def __init__(self, app: Litestar) -> None:
        self.app, self.table = app, None

    def __call__(self, path: str) -> list[str]:
        if self.table is None:
            routes = [r for r in self.app.routes if hasattr(r, "route_handlers")]
            # Static segments win over parameters, as in the router: fewer parameters first.
            self.table = sorted(((_pattern(r.path), r.path.count("{"), sorted(_with_head(r.methods))) for r in routes),
                                key=lambda entry: entry[1])
        return next((methods for pattern, _, methods in self.table if pattern.match(path)), [])


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    regex = "".join(".*" if p.endswith(":path}") else "[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}/?$")


def _with_head(methods: Iterable[str]) -> set[str]:
    methods = set(methods) | {"OPTIONS"}
    return methods | {"HEAD"} if "GET" in methods else methods


def _without_body(send: Send) -> Send:
    async def head_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return head_send


async def _plain(send: Send, status: int, text: str, headers: dict[str, str] | None = None) -> None:
    body = text.encode()
    raw = [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    if body:
        raw += [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def _problem(send: Send, status: int, detail: str) -> None:
    """A refusal before routing, where no exception handler runs: problem+json all the same."""
    kind, title = HTTP_PROBLEMS[status]
    body = msgspec.json.encode(Problem(type=PROBLEM_BASE + kind, title=title, status=status, detail=detail))
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _has_header(scope: Scope, name: bytes) -> bool:
    return any(key.lower() == name for key, _ in scope["headers"])


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k.lower() == name), None)


# ---------------------------------------------------------------- after routing

def input_limits(app: ASGIApp) -> ASGIApp:
    """Route middleware: text, media type, size, time and shape of what the client sends."""

    async def checked(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        _check_query(scope.get("query_string", b""))
        _check_path(scope)
        if scope["method"] not in BODY_METHODS:
            await app(scope, receive, send)
            return
        settings = scope["litestar_app"].state.settings
        media_type = (_header(scope, b"content-type") or "").partition(";")[0].strip().lower()
        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            raise HTTPException(status_code=413, detail=f"the body may have at most {settings.max_body_bytes} bytes")
        body = await _read_body(receive, settings.max_body_bytes, settings.body_timeout_seconds)
        accepted = _accepted_types(scope)
        if body and accepted:
            _check_coding(scope, media_type, accepted)
        body_type = _body_type(scope)
        if not body and body_type is not None:
            raise ValidationException("the request needs a JSON body", extra=[
                {"key": None, "source": "body", "message": "the request needs a JSON body"}])
        if body and (media_type in JSON_TYPES or media_type.endswith("+json")):
            jsonguard.check(body, body_type)
        elif body and media_type == FORM_TYPES[0]:
            _check_form(body)
        await app(scope, _replay(body, receive), send)

    return wrap_in_exception_handler(checked)


def _check_coding(scope: Scope, media_type: str, accepted: tuple[str, ...]) -> None:
    """415 for a body in another media type than the operation takes, compressed (Content-Encoding)
    or in another character set than UTF-8: the server would read it as garbage."""
    content_type = _header(scope, b"content-type") or ""
    charset = next((value.strip().strip('"').lower() for key, _, value in
                    (p.partition("=") for p in content_type.split(";")[1:]) if key.strip().lower() == "charset"), None)
    coding = (_header(scope, b"content-encoding") or "identity").strip().lower()
    problem = (f"send the body as {' or '.join(accepted)}" if media_type not in accepted else
               f"send the body without Content-Encoding (not {coding})" if coding not in ("", "identity") else
               f"send the body as UTF-8 (not charset={charset})" if charset not in (None, "utf-8", "utf8") else None)
    if problem:
        raise HTTPException(status_code=415, detail=problem, headers={
            "Accept-Post" if scope["method"] == "POST" else "Accept-Patch": ", ".join(accepted)})


def _check_query(query: bytes) -> None:
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        key = _text(name, "query parameter")
        _text(value, key)


def _check_form(body: bytes) -> None:
    for pair in body.split(b"&"):
        name, _, value = pair.partition(b"=")
        _text(value, _text(name, "form field"), source="body")


def _text(raw: bytes, field: str, source: str = "query") -> str:
    """The percent-decoded text of ``raw``; invalid UTF-8 or NUL is a 400 naming ``field``."""
    try:
        text = unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or UNSTORABLE.search(text):
        message = f"{field}: {UNSTORABLE_TEXT}"
        if source == "body":
            raise ValidationException(message, extra=[{"key": field, "source": "body", "message": message}])
        raise InvalidParameter(message, field=field)
    return text


def _check_path(scope: Scope) -> None:
    raw = (scope.get("raw_path") or b"").partition(b"?")[0]
    parts = (scope.get("path_template") or "").split("/")
    for index, segment in enumerate(raw.split(b"/")):
        part = parts[index] if index < len(parts) else ""
        _text(segment, part.strip("{}").partition(":")[0] if part.startswith("{") else "path")


def _accepted_types(scope: Scope) -> tuple[str, ...]:
    """The media types the operation takes its body in (empty: it reads no body)."""
    handler = scope.get("route_handler")
    field = handler.parsed_fn_signature.parameters.get("data") if handler else None
    if field is None:
        documented = _documented_body(scope)
        # The pages' forms are urlencoded, as every template sends them; multipart, JSON or no type is a 415.
        return documented if documented is not None else (FORM_TYPES[:1] if handler and _page_handler(handler)
                                                            else ())
    kwarg = field.kwarg_definition
    media = str(kwarg.media_type.value if isinstance(kwarg, BodyKwarg) else "application/json")
    if media == "application/json":
        # Merge patches have their own type (RFC 7396); plain JSON stays accepted for older clients.
        return (MERGE_PATCH, *JSON_TYPES) if scope["method"] == "PATCH" else JSON_TYPES
    return (media,)


def _body_type(scope: Scope) -> Any:
    """The type the operation decodes its body into (``None``: it reads the body itself)."""
    handler = scope.get("route_handler")
    field = handler.parsed_fn_signature.parameters.get("data") if handler else None
    return field.annotation if field is not None else None


def _page_handler(handler: Any) -> bool:
    """A handler of the web pages (not in the OpenAPI), which reads urlencoded forms if anything."""
    return not handler.resolve_include_in_schema()


def _documented_body(scope: Scope) -> tuple[str, ...] | None:
    app: Litestar = scope["litestar_app"]
    item = (app.openapi_schema.paths or {}).get(scope.get("path_template", ""))
    operation = getattr(item, scope["method"].lower(), None) if item else None
    body = getattr(operation, "request_body", None)
    return tuple(body.content) if body is not None and body.content else None


async def _read_body(receive: Receive, limit: int, seconds: float) -> bytes:
    """The whole body, or 413 past ``limit`` bytes, or 408 when it has not arrived in ``seconds``."""
    chunks: list[bytes] = []
    size, more = 0, True
    try:
        async with asyncio.timeout(seconds):
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    break
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise HTTPException(status_code=413, detail=f"the body may have at most {limit} bytes")
                chunks.append(chunk)
                more = message.get("more_body", False)
    except TimeoutError as exc:
        raise HTTPException(status_code=408, detail=f"the request body did not arrive within {seconds:g} s",
                            headers={"Connection": "close"}) from exc
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: only a disconnect can come

    return replay
