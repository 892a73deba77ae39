"""OZG catalogue records."""

from __future__ import annotations

import msgspec

from efa_registry.types import ExecutionLevel


class Themenfeld(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name: str
    position: int
    ozg_leistungen: int


class LeikaEntry(msgspec.Struct, frozen=True, kw_only=True):
    leika_key: str
    name: str
    leika_type: str | None
    legal_basis: str | None
    sdg_relevant: bool | None
    ozg_id: str | None


class OzgLeistung(msgspec.Struct, frozen=True, kw_only=True):
    ozg_id: str
    name: str
    themenfeld: str
    themenfeld_name: str
    lagen: list[str]
    execution_level: ExecutionLevel | None
    leika_keys: list[str]


class OzgFilter(msgspec.Struct, frozen=True, kw_only=True):
    themenfeld: str | None = None
    lage: str | None = None
    leika_key: str | None = None
    q: str | None = None
