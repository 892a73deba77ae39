"""Every error leaves as RFC 9457 ``application/problem+json``; domain errors map in one table."""

from __future__ import annotations

import re
import traceback

import asyncpg
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from api.params import wire_names
from api.schemas import Problem
from efa_registry import errors

log = structlog.get_logger(__name__)

PROBLEM_BASE = "https://efa-registry.de/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# Domain error → (HTTP status, stable problem type, title). Most specific class first.
DOMAIN_PROBLEMS: list[tuple[type[errors.DomainError], int, str, str]] = [
    (errors.NotFound, 404, "not-found", "Not found"),
    (errors.AlreadyExists, 409, "already-exists", "Already exists"),
    (errors.InvalidParameter, 400, "invalid-parameter", "Invalid query parameter"),
    (errors.InvalidReference, 422, "invalid-reference", "Unknown reference"),
    (errors.InvalidInput, 422, "invalid-input", "Invalid input"),
    (errors.InvalidTransition, 409, "invalid-transition", "Transition not allowed"),
    (errors.Unauthenticated, 401, "unauthenticated", "Authentication required"),
    (errors.Forbidden, 403, "forbidden", "Forbidden"),
    (errors.PreconditionRequired, 428, "precondition-required", "If-Match required"),
    (errors.VersionConflict, 412, "version-conflict", "Version conflict"),
    (errors.Conflict, 409, "conflict", "Conflict"),
    (errors.ImportFailed, 422, "import-failed", "Import failed"),
    (errors.DatabaseNotReady, 503, "not-ready", "Service not ready"),
]

# Errors raised by Litestar itself, by status.
HTTP_PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    408: ("request-timeout", "Request body too slow"),
    414: ("uri-too-long", "URI too long"),
    429: ("too-many-requests", "Too many requests"),
    431: ("headers-too-large", "Request header fields too large"),
    503: ("unavailable", "Service unavailable"),
}

# Seconds a client should wait after a 503: the embedded database's supervisor looks every second
# and a restart takes a few.
RETRY_AFTER_SECONDS = 5

# Failures of the infrastructure, not of the request: the database is down, restarting or cut the
# connection. The client may retry the same request (nothing was committed: a transaction that
# loses its connection is rolled back). OS errors count only when raised inside the driver.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,  # 08xxx: connection lost, refused, never made
    asyncpg.CannotConnectNowError,  # 57P03: starting up, shutting down
    asyncpg.AdminShutdownError,  # 57P01
    asyncpg.CrashShutdownError,  # 57P02: another backend crashed, all connections reset
    asyncpg.TooManyConnectionsError,  # 53300
    asyncpg.InterfaceError,  # the pool or connection was closed under the request
    # "cannot switch to state …; another operation is in progress": a pooled connection whose
    # server died between two statements (seen in the kill tests), not a request's fault.
    asyncpg.InternalClientError,
    # 40P01/40001: PostgreSQL ended a lock cycle (or a serialization conflict) by failing this
    # transaction; nothing was committed and the same request succeeds when retried.
    asyncpg.TransactionRollbackError,
)
DRIVER_MODULES = ("asyncpg", "piccolo")


def problem_response(request: Request, problem: Problem, headers: dict[str, str] | None = None) -> Response:
    problem.instance = problem.instance or request.url.path
    problem.request_id = request.scope.get("state", {}).get("request_id")
    return Response(problem, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def domain_error_handler(request: Request, exc: errors.DomainError) -> Response:
    status, kind, title = next(
        ((s, k, t) for cls, s, k, t in DOMAIN_PROBLEMS if isinstance(exc, cls)),
        (400, "domain-error", "Request failed"),
    )
    problem = Problem(type=PROBLEM_BASE + kind, title=title, status=status, detail=exc.detail,
                      field=exc.field)
    if isinstance(exc, errors.InvalidTransition):
        problem.allowed = exc.allowed
    if isinstance(exc, errors.ImportFailed):
        problem.errors = [{"line": n, "message": m} for n, m in exc.errors]
    headers = {"WWW-Authenticate": 'Bearer realm="efa-registry"'} if status == 401 else None
    if status == 503:
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return problem_response(request, problem, headers)


_FIELD_IN_MESSAGE = re.compile(r"(?:unknown field|missing required field|at) `\$?\.?([^`]*)`")


def validation_error_handler(request: Request, exc: ValidationException) -> Response:
    """Litestar's parameter/body validation: 400 naming the parameter or field."""
    items = exc.extra if isinstance(exc.extra, list) else []
    details = []
    for item in items:
        if not isinstance(item, dict):
            continue
        key = item.get("key")
        if key in (None, "data") or item.get("source") == "body":  # body errors: the field is in the message
            key = _field_from_message(item.get("message", "")) or key
        key = _wire_name(request, key)
        details.append({"field": key, "source": item.get("source", "body"), "message": item.get("message")})
    first = details[0] if details else {}
    detail = first.get("message") or exc.detail
    if first.get("field"):
        detail = f"{first['field']}: {detail}"
    problem = Problem(type=PROBLEM_BASE + "invalid-request", title="Invalid request", status=400,
                      detail=detail, field=first.get("field"), errors=details or None)
    return problem_response(request, problem)


def _wire_name(request: Request, key: str | None) -> str | None:
    """Litestar reports the Python parameter name; the client knows the wire name."""
    try:
        names = wire_names(request.route_handler)
    except Exception:  # no route matched: nothing to translate
        return key
    return names.get(key, (key,))[0] if key else key


def _field_from_message(message: str) -> str | None:
    match = _FIELD_IN_MESSAGE.search(message)
    if not match:
        return None
    return re.sub(r"\[\d+\]", "", match.group(1)).split(".")[-1] or None


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    kind, title = HTTP_PROBLEMS.get(exc.status_code, ("http-error", "HTTP error"))
    headers = dict(exc.headers or {})
    allowed = [m.strip() for m in headers.get("allow", headers.get("Allow", "")).split(",") if m.strip()]
    if "GET" in allowed and "HEAD" not in allowed:  # front_door answers HEAD for every GET (api/limits.py)
        headers.pop("allow", None)
        headers["Allow"] = ", ".join(sorted([*allowed, "HEAD"]))
    if isinstance(exc, NotAuthorizedException):
        headers.setdefault("WWW-Authenticate", 'Bearer realm="efa-registry"')
    detail = exc.detail
    if exc.status_code == 404 and detail == "Not Found":  # Litestar's: no route takes this path
        detail = ("no resource at this address; ids in paths are UUIDs (123e4567-e89b-12d3-a456-426614174000), "
                  "solutions and organisations also take their slug")
    problem = Problem(type=PROBLEM_BASE + kind, title=title, status=exc.status_code, detail=detail)
    return problem_response(request, problem, headers or None)


def unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached (rather than that the request is wrong)."""
    if isinstance(exc, UNAVAILABLE_ERRORS):
        return True
    if isinstance(exc, OSError):  # refused, reset, timed out, socket gone: only the driver's own
        return any(frame.f_globals.get("__name__", "").startswith(DRIVER_MODULES)
                   for frame, _ in traceback.walk_tb(exc.__traceback__))
    return False


def internal_error_handler(request: Request, exc: Exception) -> Response:
    if unavailable(exc):
        log.warning("request.database_unavailable", error=type(exc).__name__, detail=str(exc)[:200])
        detail = ("A concurrent change to the same records ended this one; nothing was written, retry the request."
                  if isinstance(exc, asyncpg.TransactionRollbackError)
                  else "The database cannot be reached at the moment; retry after a few seconds.")
        problem = Problem(type=PROBLEM_BASE + "unavailable", title="Service unavailable", status=503, detail=detail)
        return problem_response(request, problem, {"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, asyncpg.DataError):
        # A value the database cannot take (NUL, out of range, bad UUID) that no check caught first:
        # the request is at fault, not the server. Logged, because a check should have named the field.
        log.warning("request.value_refused_by_database", error=type(exc).__name__, detail=str(exc)[:200])
        problem = Problem(type=PROBLEM_BASE + "invalid-input", title="Invalid input", status=400,
                          detail="a value in the request cannot be stored or compared")
        return problem_response(request, problem)
    log.exception("request.failed", error=type(exc).__name__)
    problem = Problem(type=PROBLEM_BASE + "internal-error", title="Internal error",
                      status=HTTP_500_INTERNAL_SERVER_ERROR,
                      detail="An unexpected error occurred; quote the request id when reporting it.")
    return problem_response(request, problem)


EXCEPTION_HANDLERS = {
    errors.DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM_MEDIA_TYPE", "MediaType"]
