"""Query-string conventions: bounded ``limit``, cursor, and refusal of unknown parameters."""

from __future__ import annotations

from typing import Annotated

from litestar import Request
from litestar.handlers import BaseRouteHandler
from litestar.enums import ParamType
from litestar.params import ParameterKwarg, QueryParameter

from efa_registry.errors import InvalidInput

Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="Page size (1 … EFA_PAGE_SIZE_MAX).")]
After = Annotated[str | None, QueryParameter(description="Cursor from the previous page's `next` link.")]

_RESERVED = {"request", "state", "scope", "headers", "cookies", "query", "body", "socket", "data"}
_known: dict[int, frozenset[str]] = {}


def known_query_parameters(handler: BaseRouteHandler) -> frozenset[str]:
    """The query names a handler declares (aliases included), computed once per handler."""
    cached = _known.get(id(handler))
    if cached is not None:
        return cached
    dependencies = set(handler.resolve_dependencies())
    names = set()
    for name, field in handler.parsed_fn_signature.parameters.items():
        kwarg = field.kwarg_definition
        if name in _RESERVED or name in dependencies:
            continue
        if isinstance(kwarg, ParameterKwarg) and kwarg.param_type is not ParamType.QUERY:
            continue
        names.add(getattr(kwarg, "name", None) or name)
    _known[id(handler)] = frozenset(names)
    return _known[id(handler)]


async def reject_unknown_query_parameters(request: Request) -> None:
    """``before_request`` hook: a typo in a filter must not silently widen the result."""
    known = known_query_parameters(request.route_handler) | set(request.path_params)
    for name in request.query_params:
        if name not in known:
            allowed = ", ".join(sorted(known - set(request.path_params))) or "none"
            raise InvalidInput(f"unknown query parameter '{name}' (allowed: {allowed})", field=name)


def bounded_limit(request: Request, limit: int) -> int:
    maximum = request.app.state.settings.page_size_max
    if limit > maximum:
        raise InvalidInput(f"limit must be at most {maximum}", field="limit")
    return limit


def next_link(request: Request, cursor: str | None) -> str | None:
    """The current URL with ``after`` replaced by ``cursor`` (relative, so proxies keep working)."""
    if cursor is None:
        return None
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "after"]
    params.append(("after", cursor))
    from urllib.parse import urlencode

    return f"{request.url.path}?{urlencode(params)}"
