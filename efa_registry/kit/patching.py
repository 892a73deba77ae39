"""JSON Merge Patch (RFC 7396) over flat commands: UNSET keeps, None removes, a value replaces."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

from efa_registry.errors import InvalidInput, PreconditionRequired, VersionConflict


def changes(patch: msgspec.Struct, *, required: Iterable[str] = ()) -> dict[str, Any]:
    """The fields a patch sets (None included); a required field set to None is refused."""
    out = {f: getattr(patch, f) for f in patch.__struct_fields__ if getattr(patch, f) is not msgspec.UNSET}
    for name in required:
        if name in out and out[name] is None:
            raise InvalidInput(f"{name} cannot be removed", field=name)
    return out


def changed(current: dict[str, Any], values: dict[str, Any], *, unordered: Iterable[str] = ()) -> dict[str, Any]:
    """The values that differ from the entity's ``current`` ones (lists named in ``unordered`` as
    sets): a PATCH or a form repeating what is stored writes nothing, bumps no version and sends
    no event, so other editors' ETags stay valid."""
    def same(key: str) -> bool:
        if key not in current:
            return False
        if key in unordered and values[key] is not None and current[key] is not None:
            return set(values[key]) == set(current[key])
        return current[key] == values[key]
    return {key: value for key, value in values.items() if not same(key)}


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-by-field changes between two snapshots, for the history view."""
    before = before or {}
    skip = {"version", "updated_at", "created_at"}
    return {
        key: {"from": before.get(key), "to": value}
        for key, value in after.items()
        if key not in skip and before.get(key) != value
    }


class AnyVersion:
    """``If-Match: *``: any current version will do (the entity must exist)."""

    def __repr__(self) -> str:
        return "*"


ANY_VERSION = AnyVersion()
# What a write is based on: one version, the versions an If-Match list names (empty when none of its
# tags is a strong tag of ours, RFC 9110 13.1.1), any version, or nothing (no If-Match sent).
Expected = int | frozenset[int] | AnyVersion | None


def check_version(current: int, expected: Expected) -> None:
    """Optimistic concurrency: a write names the version it is based on (If-Match)."""
    if expected is None:
        raise PreconditionRequired("send If-Match with the ETag of the version you edited", field="If-Match")
    if expected is ANY_VERSION:
        return
    if current not in (expected if isinstance(expected, frozenset) else {expected}):
        named = ", ".join(f"v{v}" for v in sorted(expected)) if isinstance(expected, frozenset) else f"v{expected}"
        raise VersionConflict(f"the entity is at version {current}, not {named or 'one of the tags sent'}",
                              current_version=current)
