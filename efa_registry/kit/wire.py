"""The core's wire base classes: what comes in (commands, queries) and what goes out (records).

One rule for the whole registry: field names are snake_case in Python and camelCase on the wire
(``rename="camel"``), so the API encodes core records as they are and decodes request bodies and
query strings straight into core Structs. The event log is the one exception: its snapshots keep
the Python names (``events.recorder.snapshot_of``), as every stored event has since the start.
"""

from typing import Any

import msgspec


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
