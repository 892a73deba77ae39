"""Structured logging: console renderer in development, JSON lines in production.

Context (request id, actor) is bound with ``structlog.contextvars`` by the HTTP middleware, so
every line of a request carries it.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

from efa_registry.settings import Settings

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def escape_controls(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    """Control characters from a request (a path with ESC, a token name with an ANSI colour) are
    written as \\xNN on the console, where a terminal would obey them; a traceback keeps its lines."""
    for key, value in event.items():
        if isinstance(value, str) and key != "exception" and _CONTROL.search(value):
            event[key] = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return event


def configure_logging(settings: Settings) -> None:
    level = getattr(logging, settings.log_level.upper())
    console = settings.log_format != "json"
    renderer: structlog.typing.Processor = (
        structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()) if console else structlog.processors.JSONRenderer())
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        *([escape_controls] if console else []),  # JSON escapes them itself
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    # Route stdlib logging (uvicorn, asyncpg, pgserver) through the same renderer.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer])
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("pgserver", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
