"""The official sources the registry ships and imports, with the attribution each licence asks
for, and which edition of each is loaded (``reference_source``, written in the import's own
transaction). Shown by ``GET /v1/sources``, the page footer and the README."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from efa_registry.kit.wire import Record

SourceKind = Literal["gv100ad", "ozg-leistungen", "leika"]
Origin = Literal["shipped", "import"]


class SourceInfo(Record):
    """What a source is and how it must be credited (fixed by its licence)."""

    kind: SourceKind
    title: str
    publisher: str
    licence: str
    attribution: str
    url: str


class LoadedSource(SourceInfo):
    """A source with the edition now in the database (None: not loaded)."""

    edition: str | None
    origin: Origin | None
    loaded_at: dt.datetime | None


class RegistryFacts(Record):
    sources: list[LoadedSource]
    demo: bool


GV100AD = SourceInfo(
    kind="gv100ad", title="Gemeindeverzeichnis GV100AD", publisher="Statistisches Bundesamt (Destatis)",
    licence="Vervielfältigung und Verbreitung, auch auszugsweise, mit Quellenangabe gestattet",
    attribution="© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys",
    url="https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html")
OZG_LEISTUNGEN = SourceInfo(
    kind="ozg-leistungen", title="OZG-Umsetzungskatalog (OZG-Leistungen, Lagen, Themenfelder)",
    publisher="KDN OZG-Datenbank NRW", licence="MIT-Lizenz",
    attribution="OZG-Datenbank NRW, Copyright (c) 2020 Gert Hammes (MIT-Lizenz)",
    url="https://github.com/KDN-OZG/OZG-Datenbank-NRW")
LEIKA = SourceInfo(
    kind="leika", title="LeiKa-Zuordnung der OZG-Leistungen", publisher="KDN OZG-Datenbank NRW",
    licence="MIT-Lizenz", attribution="OZG-Datenbank NRW, Copyright (c) 2020 Gert Hammes (MIT-Lizenz)",
    url="https://github.com/KDN-OZG/OZG-Datenbank-NRW")
SOURCES: dict[str, SourceInfo] = {s.kind: s for s in (GV100AD, OZG_LEISTUNGEN, LEIKA)}

# The map geometry is shipped as a file, not loaded into the database: credited next to every map.
GEO_ATTRIBUTION = "© GeoBasis-DE / BKG 2023 (Daten verändert)"
GEO_LICENCE = "Datenlizenz Deutschland – Namensnennung – 2.0"


def loaded(info: SourceInfo, row: dict[str, object] | None) -> LoadedSource:
    edition = {name: row[name] if row else None for name in ("edition", "origin", "loaded_at")}
    return LoadedSource(**msgspec.structs.asdict(info), **edition)  # type: ignore[arg-type]
