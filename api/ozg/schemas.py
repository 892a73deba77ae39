"""Wire shapes of the OZG catalogue."""

from __future__ import annotations

from api.schemas import WireOut
from efa_registry.ozg import model
from efa_registry.types import ExecutionLevel


class Themenfeld(WireOut):
    key: str
    name: str
    position: int
    ozg_leistungen: int

    @classmethod
    def of(cls, t: model.Themenfeld) -> Themenfeld:
        return cls(key=t.key, name=t.name, position=t.position, ozg_leistungen=t.ozg_leistungen)


class LeikaEntry(WireOut):
    leika_key: str
    name: str
    leika_type: str | None
    legal_basis: str | None
    sdg_relevant: bool | None

    @classmethod
    def of(cls, e: model.LeikaEntry) -> LeikaEntry:
        return cls(leika_key=e.leika_key, name=e.name, leika_type=e.leika_type,
                   legal_basis=e.legal_basis, sdg_relevant=e.sdg_relevant)


class OzgLeistung(WireOut):
    ozg_id: str
    name: str
    themenfeld: str
    themenfeld_name: str
    lagen: list[str]
    execution_level: ExecutionLevel | None
    leika_keys: list[str]

    @classmethod
    def of(cls, o: model.OzgLeistung) -> OzgLeistung:
        return cls(ozg_id=o.ozg_id, name=o.name, themenfeld=o.themenfeld,
                   themenfeld_name=o.themenfeld_name, lagen=o.lagen,
                   execution_level=o.execution_level, leika_keys=o.leika_keys)


class OzgLeistungDetail(OzgLeistung):
    leika_entries: list[LeikaEntry]
