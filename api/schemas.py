"""Wire conventions the HTTP layer adds to the core's (``efa_registry.kit.wire``): the base of the
few bodies only the API has, collection pages, problems, and the people contact that goes out
grouped, to authenticated callers only."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

T = TypeVar("T")


class WireOut(msgspec.Struct, rename="camel", kw_only=True):
    """Base of response bodies the core has no record for (camelCase, like the core's)."""


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


def with_grouped_contact(record: type[msgspec.Struct], *, module: str, doc: str, **extra: Any) -> type[WireOut]:
    """The wire shape of a core record whose ``contact_*`` fields go out grouped as ``contact``
    (details not known are left out), and only to authenticated callers (``contact_out``);
    ``extra`` adds fields (name → type)."""
    fields = msgspec.structs.fields(record)
    contact = wire_struct(f"{record.__name__}Contact", module, "A person to contact.", {
        f.name.removeprefix("contact_"): (f.type, None) for f in fields if f.name.startswith("contact_")})
    own = {f.name: (f.type, msgspec.NODEFAULT) for f in fields if not f.name.startswith("contact_")}
    wire = wire_struct(record.__name__, module, doc, {**own, **{k: (t, msgspec.NODEFAULT) for k, t in extra.items()},
                                                  "contact": (contact | UnsetType, UNSET)})
    wire.Contact = contact
    return wire


def wire_struct(name: str, module: str, doc: str, fields: dict[str, tuple[Any, Any]]) -> type[WireOut]:
    """A response body built from a core record's fields: name → (type, default or ``NODEFAULT``)."""
    namespace = {"__module__": module, "__qualname__": name, "__doc__": doc,
                 "__annotations__": {k: t for k, (t, _) in fields.items()},
                 **{k: default for k, (_, default) in fields.items() if default is not msgspec.NODEFAULT}}
    return type(WireOut)(name, (WireOut,), namespace, omit_defaults=True)


def contact_out(wire: type[T], record: msgspec.Struct, *, with_contact: bool) -> T:
    """``record`` in its ``with_grouped_contact`` shape, with the contact for authenticated callers."""
    out = msgspec.convert(record, wire, from_attributes=True)
    if with_contact:
        out.contact = wire.Contact(**{name.removeprefix("contact_"): getattr(record, name)  # type: ignore[attr-defined]
                                      for name in record.__struct_fields__ if name.startswith("contact_")})
    return out
