"""ASGI middleware: request id + log context, and strong ETags with conditional GET.

Both are plain ASGI so they run in the handler's own task: context bound here reaches every
log line of the request (Litestar resolves dependencies in other tasks; see STYLE.md).
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid

import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics

log = structlog.get_logger("api.http")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def request_context_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)["X-Request-ID"] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                metrics.observe(scope["method"], scope.get("path_template"), status, seconds)
                log.info("http.request", method=scope["method"], path=scope["path"], status=status,
                         duration_ms=round(seconds * 1000, 2))

    return middleware


def etag_middleware(app: ASGIApp) -> ASGIApp:
    """Strong ETag (content hash unless the handler set one) and ``If-None-Match`` → 304 on GET.

    Streaming responses (more than one body message) pass through untouched.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        start: Message | None = None

        async def buffered_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            held, start = start, None
            if message.get("more_body", False):
                await send(held)
                await send(message)
                return
            headers = MutableScopeHeaders.from_message(held)
            etag = headers.get("etag") or _strong_etag(message.get("body", b""))
            headers["ETag"] = etag
            if "cache-control" not in headers:
                private = _header(scope, b"authorization") or _header(scope, b"cookie")
                headers["Cache-Control"] = "private, no-cache" if private else "public, max-age=60"
            if _matches(_header(scope, b"if-none-match"), etag):
                not_modified = {"type": "http.response.start", "status": 304,
                                "headers": [(k, v) for k, v in held["headers"]
                                            if k.lower() not in (b"content-length", b"content-type")]}
                await send(not_modified)
                await send({"type": "http.response.body", "body": b""})
                return
            await send(held)
            await send(message)

        await app(scope, receive, buffered_send)

    return middleware


def _strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = [c.strip().removeprefix("W/") for c in if_none_match.split(",")]
    return "*" in candidates or etag in candidates


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return value.decode("latin-1")
    return None
