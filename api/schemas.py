"""Wire conventions shared by every resource: camelCase Structs, problems, pages."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")


class Wire(msgspec.Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """Base of every request and response body: camelCase on the wire, unknown fields refused."""


class WireOut(msgspec.Struct, rename="camel", kw_only=True):
    """Base of response bodies (no unknown-field check needed on the way out)."""


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    field: str | None = None
    errors: list[dict] | None = None
    allowed: list[str] | None = None
    request_id: str | None = msgspec.field(default=None, name="requestId")


class Page(WireOut, Generic[T]):
    """A page of a collection. ``next`` is the URL of the following page, null on the last."""

    items: list[T]
    next: str | None
    limit: int
