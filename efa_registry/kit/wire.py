"""The core's wire base classes: what comes in (commands, queries) and what goes out (records).

One rule for the whole registry: field names are snake_case in Python and camelCase on the wire
(``rename="camel"``), so the API encodes core records as they are and decodes request bodies and
query strings straight into core Structs. The event log is the one exception: its snapshots keep
the Python names (``events.recorder.snapshot_of``), as every stored event has since the start.
"""

import types
import typing
from collections.abc import Iterable
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType


class _KeywordOnly(msgspec.StructMeta):
    """Makes every subclass keyword-only too (msgspec applies ``kw_only`` to one class's own fields)."""

    def __new__(mcls, name: str, bases: tuple, namespace: dict, **kwargs: Any):
        kwargs.setdefault("kw_only", True)
        return super().__new__(mcls, name, bases, namespace, **kwargs)


class Command(msgspec.Struct, metaclass=_KeywordOnly, frozen=True, rename="camel", forbid_unknown_fields=True):
    """A validated request to change the registry, decoded from the wire (HTTP bodies, publiccode.yml,
    CSV rows): unknown fields refused, single-field limits in the types."""


class Query(msgspec.Struct, metaclass=_KeywordOnly, frozen=True, rename="camel", forbid_unknown_fields=True):
    """Filters of a read, decoded from a query string (``api.params.query_of``); every field is optional."""


class Record(msgspec.Struct, metaclass=_KeywordOnly, frozen=True, rename="camel"):
    """What the core hands out: frozen, and encoded for the API as it is."""


def patch_of(create: type[Command], *, required: Iterable[str]) -> type[Command]:
    """The JSON Merge Patch (RFC 7396) of a create command, named ``<Name>Patch``: every field may be
    left out (UNSET keeps it); a field the create command lets be null may be null (removes it),
    unless it is ``required`` — those keep their value or change it, never lose it."""
    required = set(required)
    annotations = {}
    for field in msgspec.structs.fields(create):
        options = members(field.type)
        kinds = tuple(t for t in options if t is not type(None))
        nullable = len(kinds) < len(options) and field.name not in required
        annotations[field.name] = typing.Union[(*kinds, UnsetType, *((None,) if nullable else ()))]
    name = create.__name__.removesuffix("Create") + "Patch"
    return type(create)(name, (Command,), {"__module__": create.__module__, "__qualname__": name,
                                           "__annotations__": annotations, **dict.fromkeys(annotations, UNSET)})


def members(annotation: Any) -> tuple[Any, ...]:
    """The members of a union type (``A | B`` or ``Optional[A]``), or the type itself alone."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)
