"""What a JSON body must be before any decoder sees it: valid UTF-8, keys unique, nesting bounded,
no NUL and no lone surrogate in any string, and every value of the JSON type its field declares.
One check for every operation (``api/limits.py``).

msgspec, which decodes the bodies into Structs, lets the last of two equal keys win, accepts
``\\u0000`` (PostgreSQL cannot store it) and raises ``RecursionError`` on deep nesting; each of
these becomes a 400 here that names the field, before the body reaches it. Litestar converts
bodies leniently (the text ``"true"`` to a boolean, ``"3"`` or ``3.0`` to an integer) because it
shares the conversion with query parameters, which are all text; a body is JSON and has types,
so it is decoded once more here, strictly.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any

import msgspec
from litestar.exceptions import ValidationException

from efa_registry.types import UNSTORABLE, UNSTORABLE_TEXT

MAX_JSON_DEPTH = 64


class _Refused(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Refused(key, f"duplicate key '{key}'")
        seen[key] = value
    return seen


def check(body: bytes, type_: Any = None) -> None:
    """Refuse (400, naming the field) what no operation may receive, and a value whose JSON type
    is not its field's (``type_``: the operation's body type); pass syntax errors on to the
    decoder, whose message is more precise."""
    if body.startswith(b"\xef\xbb\xbf"):
        _refuse(None, "the body starts with a byte order mark; send UTF-8 without one")
    text = body.decode("utf-8", errors="surrogateescape")  # invalid bytes stay visible as surrogates
    try:
        document = json.loads(text, object_pairs_hook=_pairs)
    except _Refused as refused:
        _refuse(refused.field, refused.message)
    except RecursionError:
        _refuse(None, f"the body is nested deeper than {MAX_JSON_DEPTH} levels")
    except ValueError:
        return  # not JSON at all: the decoder's 400 says where
    problem = _first_problem(document)
    if problem:
        _refuse(*problem)
    if type_ is not None:
        _check_types(body, type_)


def _check_types(body: bytes, type_: Any) -> None:
    """A value Litestar would convert from another JSON type is a 400 here; any other refusal of
    the body is left to Litestar, which reports it after authentication (401 first)."""
    decoders = _decoders(type_)
    if decoders is None:
        return
    strict, lax = decoders
    try:
        strict.decode(body)
    except msgspec.ValidationError as exc:
        try:
            lax.decode(body)
        except (msgspec.ValidationError, msgspec.DecodeError):
            return
        message, _, where = str(exc).partition(" - at `$.")
        _refuse(where.rstrip("`") or None, message)
    except msgspec.DecodeError:
        return  # JSON that Python reads and msgspec does not (NaN): the decoder's 400 says why


@functools.cache
def _decoders(type_: Any) -> tuple[msgspec.json.Decoder, msgspec.json.Decoder] | None:
    try:
        return msgspec.json.Decoder(type_, strict=True), msgspec.json.Decoder(type_, strict=False)
    except TypeError:  # a type msgspec does not decode by itself: Litestar's conversion alone
        return None


def _first_problem(document: Any) -> tuple[str | None, str] | None:
    """(field, message) of the first string that cannot be stored, or of excessive nesting."""
    stack: list[tuple[Any, str | None, int]] = [(document, None, 1)]
    while stack:
        value, field, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return field, f"the body is nested deeper than {MAX_JSON_DEPTH} levels"
        if isinstance(value, str):
            if UNSTORABLE.search(value):
                return field, UNSTORABLE_TEXT
        elif isinstance(value, float) and not math.isfinite(value):  # 1e400: Python reads infinity
            return field, "number out of range"
        elif isinstance(value, int) and abs(value) >= 2**63:
            return field, "number out of range (at most 2^63 - 1)"
        elif isinstance(value, dict):
            for key, item in value.items():
                name = key if field is None else f"{field}.{key}"
                if UNSTORABLE.search(key):
                    return field, "a key is not valid UTF-8 text or contains NUL"
                stack.append((item, name, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, field, depth + 1) for item in value)
    return None


def _refuse(field: str | None, message: str) -> None:
    detail = f"{field}: {message}" if field else message
    raise ValidationException(detail, extra=[{"key": field, "source": "body", "message": message}])
