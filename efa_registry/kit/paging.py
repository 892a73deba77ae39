"""Keyset pagination: opaque cursors that carry the last row's sort key.

A cursor is only ever made by ``encode_cursor``, but a client can send anything: a hand-made
one, one of another listing, or garbage. ``decode_cursor`` checks every value against the kinds
the listing's sort key has (``kinds``), so whatever reaches SQL has the type and range its column
takes; anything else is an error naming ``after``, never a failure inside the query.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import msgspec

from efa_registry.errors import InvalidParameter
from efa_registry.types import UNSTORABLE

T = TypeVar("T")
# A kind is a type (str, int, float, uuid.UUID, datetime.datetime: the last two carried as text) or a
# pattern a string value must match in full (e.g. the digits of an OZG-ID).
Kind = type | re.Pattern[str]
MAX_TEXT = 500
INT_RANGE = 2**63


def encode_cursor(key: list[Any], listing: str) -> str:
    """The cursor after ``key`` in ``listing`` (its name: a cursor is only good for the listing, and
    the order, it was made for)."""
    return base64.urlsafe_b64encode(msgspec.json.encode([listing, *key])).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, listing: str, arity: int | None = None,
                  kinds: Sequence[Kind] | None = None, field: str = "after") -> list[Any] | None:
    """The values of a cursor made by ``encode_cursor`` for ``listing`` (as encoded: UUIDs and
    times stay text).

    With ``kinds`` each value must be of its kind; with only ``arity`` each must at least be a
    bounded string or number. A malformed, foreign or tampered cursor is an error naming ``field``.
    """
    if cursor is None:
        return None
    try:
        key = msgspec.json.decode(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise InvalidParameter("malformed cursor", field=field) from exc
    expected = len(kinds) if kinds is not None else arity
    if not isinstance(key, list) or not key or key[0] != listing:
        raise InvalidParameter("cursor does not belong to this listing", field=field)
    key = key[1:]
    if len(key) != expected or not all(map(_plain, key)):
        raise InvalidParameter("cursor does not belong to this listing", field=field)
    if kinds is not None and not all(_of_kind(value, kind) for value, kind in zip(key, kinds, strict=True)):
        raise InvalidParameter("cursor does not belong to this listing", field=field)
    return key


def _plain(value: Any) -> bool:
    """A value SQL can compare with a column: bounded text, a 64-bit integer or a finite number."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return len(value) <= MAX_TEXT and not UNSTORABLE.search(value)
    if isinstance(value, int):
        return -INT_RANGE <= value < INT_RANGE
    return isinstance(value, float) and math.isfinite(value)


def _of_kind(value: Any, kind: Kind) -> bool:
    if isinstance(kind, re.Pattern):
        return isinstance(value, str) and kind.fullmatch(value) is not None
    if kind is float:
        return isinstance(value, (int, float))
    if kind in (str, int):
        return isinstance(value, kind)
    if not isinstance(value, str):
        return False
    try:  # a time is one PostgreSQL can compare: in UTC within the years 1 to 9999
        uuid.UUID(value) if kind is uuid.UUID else dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return False
    return True


class Page(msgspec.Struct, Generic[T], frozen=True):
    """One page of a keyset-paginated listing; ``next_cursor`` is None on the last page."""

    items: list[T]
    next_cursor: str | None


def page_of(items: list[T], limit: int, key: Callable[[T], list[Any]], listing: str) -> Page[T]:
    """The page of ``listing`` fetched with one row more than ``limit``: that row, if there, says a
    next page exists, whose cursor is ``key`` of this page's last item."""
    more = len(items) > limit
    items = items[:limit]
    return Page(items=items, next_cursor=encode_cursor(key(items[-1]), listing) if more else None)
