"""Query-string conventions: bounded ``limit``, cursor, refusal of unknown parameters and of ``null``
(and its OpenAPI side, ``without_null``), and the decoding of a query string into the core's query
Struct (``query_of``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import typing
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

import msgspec
from litestar import Request
from litestar.di import Provide
from litestar.enums import ParamType
from litestar.handlers import BaseRouteHandler
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import ParameterKwarg, QueryParameter

from efa_registry.errors import InvalidParameter
from efa_registry.kit.wire import members

Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="Page size (1 … EFA_PAGE_SIZE_MAX).")]
After = Annotated[str | None, QueryParameter(description="Cursor from the previous page's `next` link.")]
S = TypeVar("S", bound=msgspec.Struct)

_RESERVED = {"request", "state", "scope", "headers", "cookies", "query", "body", "socket", "data"}
# A plain dict, not a WeakKeyDictionary: the OPTIONS handlers Litestar generates are plain
# HTTPRouteHandler objects, whose __slots__ leave no room for a weak reference. Handlers live as
# long as their app, so holding them costs nothing.
_wire_names: dict[BaseRouteHandler, dict[str, tuple[str, ParamType]]] = {}
_textless: dict[BaseRouteHandler, tuple[frozenset[str], frozenset[str]]] = {}


def _parameters(handler: BaseRouteHandler) -> dict[str, Any]:
    """The handler's own parameters and those of its dependencies (a ``query_of`` Struct's fields),
    by Python name, without the reserved ones and the dependencies themselves."""
    providers = handler.resolve_dependencies()
    fields = dict(handler.parsed_fn_signature.parameters)
    for provider in providers.values():
        fields.update(provider.parsed_fn_signature.parameters)
    return {name: field for name, field in fields.items() if name not in _RESERVED and name not in providers}


def wire_names(handler: BaseRouteHandler) -> dict[str, tuple[str, ParamType]]:
    """Python parameter name → (name on the wire, where); computed once per handler."""
    cached = _wire_names.get(handler)
    if cached is None:
        cached = {}
        for name, field in _parameters(handler).items():
            kwarg = field.kwarg_definition
            kind = kwarg.param_type if isinstance(kwarg, ParameterKwarg) else ParamType.QUERY
            cached[name] = (getattr(kwarg, "name", None) or name, kind)
        _wire_names[handler] = cached
    return cached


def _takes_text(annotation: Any) -> bool:
    """Does a parameter of this type take free text (``str``, or a list of ``str``)?"""
    for arg in members(annotation):
        if typing.get_origin(arg) is Annotated:
            arg = typing.get_args(arg)[0]
        if arg is str or (typing.get_origin(arg) in (list, tuple) and _takes_text(typing.get_args(arg)[0])):
            return True
    return False


def _takes_list(annotation: Any) -> bool:
    return any(typing.get_origin(typing.get_args(arg)[0] if typing.get_origin(arg) is Annotated else arg)
               in (list, tuple) for arg in members(annotation))


def parameter_kinds(handler: BaseRouteHandler) -> tuple[frozenset[str], frozenset[str]]:
    """The wire names of the handler's query parameters that take no free text (numbers, flags,
    UUIDs, choices), and of those that take one value, not a list; computed once per handler."""
    cached = _textless.get(handler)
    if cached is None:
        names = wire_names(handler)
        query = {names[name][0]: field.annotation for name, field in _parameters(handler).items()
                 if names[name][1] is ParamType.QUERY}
        cached = (frozenset(n for n, a in query.items() if not _takes_text(a)),
                  frozenset(n for n, a in query.items() if not _takes_list(a)))
        _textless[handler] = cached
    return cached


async def check_query_parameters(request: Request) -> None:
    """``before_request`` hook: a typo in a filter must not silently widen the result, and neither
    may ``null``: a URL cannot send null, and the text "null" where a number, a flag, a UUID or a
    choice belongs is a mistake (Litestar would read it as "not given"). A parameter that takes one
    value may be given once (``limit=1&limit=2``: which one was meant?)."""
    if not request.query_params:  # most requests: nothing to look up
        return
    handler = request.route_handler
    known = {wire for wire, kind in wire_names(handler).values() if kind is ParamType.QUERY}
    for name in request.query_params:
        if name not in known:
            allowed = ", ".join(sorted(known)) or "none"
            raise InvalidParameter(f"unknown query parameter '{name}' (allowed: {allowed})", field=name)
    textless, single = parameter_kinds(handler)
    seen: set[str] = set()
    for name, value in request.query_params.multi_items():
        if name in textless and value.strip().lower() == "null":
            raise InvalidParameter(f"{name}: 'null' is not a value; leave the parameter out instead", field=name)
        if name in single and name in seen:  # Litestar would silently take one of them
            raise InvalidParameter(f"{name}: given more than once; it takes one value", field=name)
        seen.add(name)


def without_null(parameter: Any) -> None:
    """The OpenAPI side of refusing ``null`` (``check_query_parameters``): an optional parameter is
    left out, never sent as null (a URL cannot say null), so its schema is the value's alone.
    Litestar writes ``X | None`` as ``oneOf [X, null]`` (a choice as the types ``[null, string]``
    with null among its values), which made fuzzers take text that is a valid X for one that
    matches neither or both."""
    schema = parameter.schema
    if not isinstance(schema, Schema):
        return
    if isinstance(schema.type, list) and OpenAPIType.NULL in schema.type:
        rest = [t for t in schema.type if t != OpenAPIType.NULL]
        schema.type = rest[0] if len(rest) == 1 else rest
        if schema.enum:
            schema.enum = [v for v in schema.enum if v is not None]
    kept = [s for s in schema.one_of or () if not (isinstance(s, Schema) and s.type == OpenAPIType.NULL)]
    if len(kept) == 1 and len(kept) < len(schema.one_of or ()) and isinstance(kept[0], Schema):
        value = kept[0]
        for field in dataclasses.fields(Schema):  # the constraints Litestar put beside the oneOf
            if field.name != "one_of" and getattr(value, field.name) is None:
                setattr(value, field.name, getattr(schema, field.name))
        parameter.schema = value


def query_of(struct: type[S]) -> Provide:
    """A dependency that decodes the query string into the core's query Struct ``struct``.

    Its parameters are the Struct's fields under their wire names, typed and constrained by the
    Struct's own annotations, so Litestar documents each one in the OpenAPI and the unknown-parameter
    check knows them. List fields take repeated and comma-separated values (``status=a,b&status=c``);
    msgspec then checks every value against the Struct, and a refusal names the parameter.
    """
    fields = msgspec.structs.fields(struct)
    annotations = {f.name: _parameter(f) for f in fields}
    lists = {f.name for f in fields if _is_list(f.type)}
    times = [f for f in fields if _unwrap(f.type)[0] is dt.datetime]

    async def provide(**raw: Any) -> S:
        values = {f.encode_name: _split(raw[f.name]) if f.name in lists else raw[f.name]
                  for f in fields if raw[f.name] is not None}
        try:
            query = msgspec.convert(values, struct)
        except msgspec.ValidationError as exc:
            message, _, where = str(exc).partition(" - at `$.")
            name = where.split("[")[0].rstrip("`") or None
            raise InvalidParameter(f"{name}: {message}" if name else message, field=name) from exc
        for f in times:  # 0001-01-01T00:00:00+01:00 lies before the year 1 in UTC: nothing can compare it
            try:
                getattr(query, f.name) and getattr(query, f.name).astimezone(dt.UTC)
            except OverflowError:
                raise InvalidParameter(f"{f.encode_name}: lies outside the years 1 to 9999 in UTC",
                                       field=f.encode_name) from None
        return query

    provide.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
         for name, annotation in annotations.items()], return_annotation=struct)
    provide.__annotations__ = {**annotations, "return": struct}
    return Provide(provide)


_TIMES = {dt.datetime: r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:?\d{2})?$",
          dt.date: r"^\d{4}-\d{2}-\d{2}$"}
_CONSTRAINTS = ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern", "description")
# Litestar documents a bound only when it is truthy: a 0 is given to the schema directly.
_ZERO_BOUNDS = {"ge": "minimum", "gt": "exclusive_minimum", "le": "maximum", "lt": "exclusive_maximum",
                "min_length": "min_length"}


def _parameter(field: msgspec.structs.FieldInfo) -> Any:
    """The dependency's annotation of one Struct field: lists arrive as strings (split, then checked
    by msgspec); a scalar keeps its type, with its msgspec constraints as Litestar's."""
    base, constraints = _unwrap(field.type)
    if _is_list(field.type):
        item = _unwrap(typing.get_args(base)[0])[0]
        choices = typing.get_args(item) if typing.get_origin(item) is typing.Literal else ()
        described = f"One or more of {', '.join(choices)}" if choices else "One or more values"
        constraints = {"description": constraints.get("description") or f"{described} (repeat or comma-separate)"}
        base = list[str]
    elif base in _TIMES:  # as text, converted by msgspec below: Litestar would take "0.5" for a timestamp
        base, constraints = str, {**constraints, "pattern": _TIMES[base]}
    zeros = {_ZERO_BOUNDS[k]: 0 for k, v in constraints.items() if k in _ZERO_BOUNDS and v == 0}
    return Annotated[base | None, QueryParameter(name=field.encode_name, schema_extra=zeros or None, **constraints)]


def _unwrap(annotation: Any) -> tuple[Any, dict[str, Any]]:
    """(the type without ``Annotated`` and ``None``, the constraints of its ``msgspec.Meta``)."""
    kinds, constraints = [], {}
    for arg in members(annotation):
        if arg is type(None):
            continue
        if typing.get_origin(arg) is Annotated:
            arg, *metadata = typing.get_args(arg)
            for meta in metadata:
                if isinstance(meta, msgspec.Meta):
                    constraints |= {k: getattr(meta, k) for k in _CONSTRAINTS if getattr(meta, k) is not None}
        kinds.append(arg)
    return typing.Union[tuple(kinds)], constraints  # noqa: UP007  (built at run time)


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(_unwrap(annotation)[0]) in (list, tuple)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


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
    return f"{request.url.path}?{urlencode(params)}"


def public_base(request: Request) -> str:
    """The registry's address for links in what it sends (``EFA_PUBLIC_URL``, else the request's),
    without the final slash."""
    return (request.app.state.settings.public_url or str(request.base_url)).rstrip("/")
