"""OZG catalogue records, and the filter of the OZG-Leistungen listing."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from efa_registry.kit.wire import Query, Record
from efa_registry.types import LEIKA_KEY_PATTERN, ExecutionLevel


class Themenfeld(Record):
    key: str
    name: str
    position: int
    ozg_leistungen: int


class LeikaEntry(Record):
    leika_key: str
    name: str
    leika_type: str | None
    legal_basis: str | None
    sdg_relevant: bool | None


class OzgLeistung(Record):
    ozg_id: str
    name: str
    themenfeld: str
    themenfeld_name: str
    lagen: list[str]
    execution_level: ExecutionLevel | None
    leika_keys: list[str]


class OzgLeistungDetail(OzgLeistung):
    """An OZG-Leistung with the LeiKa entries mapped to it."""

    leika_entries: list[LeikaEntry]


class OzgFilter(Query):
    themenfeld: Annotated[str, Meta(description="Themenfeld key, e.g. `familie-kind`")] | None = None
    lage: Annotated[str, Meta(description="Lage key, e.g. `geburt`")] | None = None
    leika_key: Annotated[str, Meta(pattern=LEIKA_KEY_PATTERN, description="14-digit LeiKa key")] | None = None
    q: Annotated[str, Meta(min_length=2, max_length=200, description=(
        "German search over the name, the LeiKa entries' wording and the Lagen: inflections (`Anträge` finds "
        "`Antrag`), compounds (`Hund` finds `Hundehaltung`), everyday words (`Kita`) and typos; `oder` (or `OR`) "
        "between words finds either, `-Wort` excludes a word (`Hund -Steuer`)"))] | None = None
