"""Query-string conventions: bounded ``limit``, cursor, and refusal of unknown parameters."""

from __future__ import annotations

import weakref
from typing import Annotated

from litestar import Request
from litestar.enums import ParamType
from litestar.handlers import BaseRouteHandler
from litestar.params import ParameterKwarg, QueryParameter

from efa_registry.errors import InvalidParameter

Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="Page size (1 … EFA_PAGE_SIZE_MAX).")]
After = Annotated[str | None, QueryParameter(description="Cursor from the previous page's `next` link.")]

_RESERVED = {"request", "state", "scope", "headers", "cookies", "query", "body", "socket", "data"}
_wire_names: weakref.WeakKeyDictionary[BaseRouteHandler, dict[str, tuple[str, ParamType]]] = (
    weakref.WeakKeyDictionary()
)


def wire_names(handler: BaseRouteHandler) -> dict[str, tuple[str, ParamType]]:
    """Python parameter name → (name on the wire, where), computed once per handler."""
    cached = _wire_names.get(handler)
    if cached is None:
        dependencies = set(handler.resolve_dependencies())
        cached = {}
        for name, field in handler.parsed_fn_signature.parameters.items():
            if name in _RESERVED or name in dependencies:
                continue
            kwarg = field.kwarg_definition
            kind = kwarg.param_type if isinstance(kwarg, ParameterKwarg) else ParamType.QUERY
            cached[name] = (getattr(kwarg, "name", None) or name, kind)
        _wire_names[handler] = cached
    return cached


async def reject_unknown_query_parameters(request: Request) -> None:
    """``before_request`` hook: a typo in a filter must not silently widen the result."""
    known = {wire for wire, kind in wire_names(request.route_handler).values() if kind is ParamType.QUERY}
    for name in request.query_params:
        if name not in known:
            allowed = ", ".join(sorted(known)) or "none"
            raise InvalidParameter(f"unknown query parameter '{name}' (allowed: {allowed})", field=name)


def bounded_limit(request: Request, limit: int) -> int:
    maximum = request.app.state.settings.page_size_max
    if limit > maximum:
        raise InvalidParameter(f"limit must be at most {maximum}", field="limit")
    return limit


def next_link(request: Request, cursor: str | None) -> str | None:
    """The current URL with ``after`` replaced by ``cursor`` (relative, so proxies keep working)."""
    if cursor is None:
        return None
    # Facet counts describe the whole result, not a page: the first page has them, later pages skip
    # the cost.
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("after", "facets")]
    params.append(("after", cursor))
    from urllib.parse import urlencode

    return f"{request.url.path}?{urlencode(params)}"
