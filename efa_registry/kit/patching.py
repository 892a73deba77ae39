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


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-by-field changes between two snapshots, for the history view."""
    before = before or {}
    skip = {"version", "updated_at", "created_at"}
    return {
        key: {"from": before.get(key), "to": value}
        for key, value in after.items()
        if key not in skip and before.get(key) != value
    }


def check_version(current: int, expected: int | None) -> None:
    """Optimistic concurrency: a write names the version it is based on (If-Match)."""
    if expected is None:
        raise PreconditionRequired("send If-Match with the ETag of the version you edited", field="If-Match")
    if current != expected:
        raise VersionConflict(f"the entity is at version {current}, not {expected}", current_version=current)
