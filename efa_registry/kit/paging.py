"""Keyset pagination: opaque cursors that carry the last row's sort key."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Generic, TypeVar

import msgspec

from efa_registry.errors import InvalidParameter

T = TypeVar("T")


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, arity: int, field: str = "after") -> list[Any] | None:
    """Decode a cursor made by ``encode_cursor``; a tampered one is an error naming ``field``."""
    if cursor is None:
        return None
    try:
        key = msgspec.json.decode(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, msgspec.DecodeError, ValueError) as exc:
        raise InvalidParameter("malformed cursor", field=field) from exc
    if not isinstance(key, list) or len(key) != arity:
        raise InvalidParameter("cursor does not belong to this listing", field=field)
    return key


class Page(msgspec.Struct, Generic[T], frozen=True):
    """One page of a keyset-paginated listing; ``next_cursor`` is None on the last page."""

    items: list[T]
    next_cursor: str | None
