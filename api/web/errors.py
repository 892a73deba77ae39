"""Errors on the web pages as readable German HTML (the API keeps problem+json).

Registered on the page controllers only, so they take precedence there and nowhere else.
The status codes are the API's (``api/problems.py``): one table decides them.
"""

from __future__ import annotations

from collections.abc import Callable

import asyncpg
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template

from api.problems import DOMAIN_PROBLEMS, unavailable
from api.web.forms import LABELS
from efa_registry import errors

log = structlog.get_logger(__name__)

TITLES = {
    400: ("Ungültige Anfrage", "Die Adresse oder das Formular enthält einen Wert, den wir nicht verstehen."),
    401: ("Anmeldung erforderlich", "Diese Seite ist nur nach der Anmeldung erreichbar."),
    403: ("Keine Berechtigung", "Ihr Zugang erlaubt diese Aktion nicht."),
    404: ("Nicht gefunden", "Die gesuchte Seite oder der gesuchte Eintrag existiert nicht."),
    405: ("Nicht erlaubt", "Diese Aktion ist auf dieser Seite nicht möglich."),
    409: ("Konflikt", "Die Änderung passt nicht zum aktuellen Stand."),
    408: ("Zeitüberschreitung", "Die Übertragung hat zu lange gedauert. Bitte senden Sie das Formular erneut."),
    412: ("Inzwischen geändert", "Der Eintrag wurde inzwischen von jemand anderem geändert."),
    413: ("Eingabe zu groß", "Das Formular ist zu groß, um es anzunehmen. Bitte kürzen Sie die Eingaben."),
    414: ("Adresse zu lang", "Die Adresse ist zu lang, um sie zu bearbeiten."),
    415: ("Falsches Format", "Diese Seite nimmt nur Formulare an, wie der Browser sie sendet."),
    428: ("Formular unvollständig", "Dem Formular fehlt die Version des Eintrags. Bitte laden Sie die Seite neu."),
    431: ("Anfrage zu groß", "Die Anfrage enthält zu viele oder zu große Kopfzeilen (etwa Cookies)."),
    422: ("Eingabe unvollständig oder ungültig", "Bitte prüfen Sie Ihre Eingaben."),
    503: ("Vorübergehend nicht verfügbar", "Bitte versuchen Sie es in einigen Minuten erneut."),
    500: ("Interner Fehler", "Bei der Bearbeitung ist ein unerwarteter Fehler aufgetreten."),
}


# What the core and Litestar call a field, as the page's reader knows it (form fields by their labels).
FIELD_LABELS = {**LABELS, "after": "Verweis „Weiter“", "id": "Eintrag", "key": "Lösung", "slug": "Kurzname",
                "ozgId": "OZG-Leistung", "ozg_id": "OZG-Leistung", "If-Match": "Version des Formulars",
                "ars": "Gebiet", "land": "Land", "kreis": "Kreis", "q": "Suchbegriff", "themenfeld": "Themenfeld",
                "limit": "Anzahl", "sort": "Sortierung", "by": "Gliederung", "gebiet": "Gebiet",
                "Idempotency-Key": "Formular", "liveSince": "Live seit", "plannedLiveOn": "Geplanter Start",
                "note": "Notiz", "csrf_token": "Formular"}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, FIELD_LABELS.get(field.split("[")[0].split(".")[0], field))


def status_of(exc: errors.DomainError) -> int:
    return next((status for cls, status, _, _ in DOMAIN_PROBLEMS if isinstance(exc, cls)), 400)


def error_page(request: Request, status: int, detail: str | None = None) -> Template:
    title, explanation = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    return Template("fehler.html", status_code=status, headers={"Cache-Control": "no-store"},
                    context={"status": status, "title": title, "explanation": explanation, "detail": detail,
                             "request_id": request.scope.get("state", {}).get("request_id")})


def domain_error(request: Request, exc: errors.DomainError) -> Response:
    # The core's details are written for API clients (English); a page names only the field.
    field = getattr(exc, "field", None)
    return error_page(request, status_of(exc), f"Betroffene Angabe: {field_label(field)}" if field else None)


def validation_error(request: Request, exc: ValidationException) -> Response:
    items = exc.extra if isinstance(exc.extra, list) else []
    keys = [str(i.get("key")) for i in items if isinstance(i, dict) and i.get("key")]
    detail = f"Ungültiger Wert für: {', '.join(dict.fromkeys(map(field_label, keys)))}" if keys else None
    return error_page(request, 400, detail)


def http_error(request: Request, exc: HTTPException) -> Response:
    page = error_page(request, exc.status_code)
    page.headers.update(exc.headers or {})  # Connection: close after a body that did not arrive, Allow …
    return page


def internal_error(request: Request, exc: Exception) -> Response:
    if unavailable(exc):  # the database is away: say "try again soon", as the API's 503 does
        log.warning("web.database_unavailable", error=type(exc).__name__)
        page = error_page(request, 503)
        page.headers["Retry-After"] = "5"
        return page
    if isinstance(exc, asyncpg.DataError):  # a value the database cannot take that no check caught first
        log.warning("web.value_refused_by_database", error=type(exc).__name__, detail=str(exc)[:200])
        return error_page(request, 400)
    log.exception("web.request_failed", error=type(exc).__name__)
    return error_page(request, 500)


API_PREFIXES = ("/v1", "/schema", "/static", "/health", "/ready", "/metrics")


HttpErrorHandler = Callable[[Request, HTTPException], Response]


def for_people(api_handler: HttpErrorHandler) -> HttpErrorHandler:
    """Wrap the app's HTTPException handler: a browser asking for an address that matches no route
    (outside the API) gets the German page; machines keep problem+json. Optional, for app.py."""

    def handler(request: Request, exc: HTTPException) -> Response:
        wants_page = "text/html" in request.headers.get("accept", "") and not request.url.path.startswith(API_PREFIXES)
        return http_error(request, exc) if wants_page else api_handler(request, exc)

    return handler


HTML_EXCEPTION_HANDLERS = {
    errors.DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: internal_error,
}
