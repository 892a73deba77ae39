"""Parsing the OZG catalogue files (layout of the KDN OZG-Datenbank NRW): the OZG-Leistungen with
their Lagen, and the LeiKa mapping.

Pure: text in, rows or ``ImportFailed`` out, so its rules are unit-tested without a database.
``catalogue_import`` writes what these parsers return.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping

import msgspec

from efa_registry.errors import ImportFailed
from efa_registry.kit import textfiles

LEISTUNGEN_COLUMNS = ("ozg_id", "ozg_leistung", "lage", "themenfeld")
LEIKA_COLUMNS = ("leika_schluessel", "leika_leistung", "leika_typisierung", "rechtsgrundlage",
                 "ozg_id", "sdg1_relevanz", "sdg2_relevanz")
OZG_ID = re.compile(r"^[0-9]{1,6}$")
LEIKA_KEY = re.compile(r"^[0-9]{14}$")
LEIKA_TYPE = re.compile(r"^[0-9][0-9a-z/, ]{0,19}$")
FLAGS = {"": None, "0": False, "1": True}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(name: str) -> str:
    """The key of a Themenfeld or Lage: ``Unternehmensführung & -entwicklung`` →
    ``unternehmensfuehrung-entwicklung`` (umlauts transliterated, punctuation dropped)."""
    text = name.lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# --------------------------------------------------------------------------- reading CSV


def decode(data: bytes) -> str:
    """A catalogue file's text, unpacked if zipped or gzipped (``kit.textfiles``)."""
    return textfiles.decode(textfiles.unpacked(data, "OZG catalogue", lambda name: name.endswith(".csv")),
                            "OZG catalogue")


def read_rows(text: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, stripped values by column) per record; blank lines are passed over.

    A missing column or a record with the wrong number of fields raises ``ImportFailed``.
    Semicolons are accepted as the separator too, as German spreadsheet exports use them.
    """
    header, records = textfiles.records(text)
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed("not an OZG catalogue file of this kind",
                           errors=[(1, f"missing columns: {', '.join(missing)}")])
    rows, errors = [], []
    for line, fields in records:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            errors.append((line, f"{len(fields)} fields, the header has {len(header)}"))
            continue
        rows.append((line, {h: f.strip() for h, f in zip(header, fields, strict=True)}))
    _fail_if(errors, "wrong number of fields")
    return rows


def _fail_if(errors: list[tuple[int, str]], what: str) -> None:
    if errors:
        errors.sort()
        raise ImportFailed(f"{what}: {len(errors)} malformed rows, nothing imported", errors=errors)


# --------------------------------------------------------------------------- OZG-Leistungen


class Catalogue(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed OZG-Leistungen file: values keyed as the tables key them."""

    leistungen: dict[str, tuple[str, str]]  # ozg_id → (name, Themenfeld key)
    lagen: dict[str, tuple[str, str]]  # Lage key → (name, Themenfeld key)
    lagen_of: dict[str, frozenset[str]]  # ozg_id → Lage keys (n:m)


class _CatalogueBuilder:
    """Collects rows. A Leistung listed on several rows (one per Lage, n:m) must keep its name
    and takes its Themenfeld from its first row: a row's Themenfeld is that of its Lage."""

    def __init__(self) -> None:
        self.leistungen: dict[str, tuple[str, str]] = {}
        self.lagen: dict[str, tuple[str, str]] = {}
        self.lagen_of: dict[str, set[str]] = {}
        self.leistung_line: dict[str, int] = {}
        self.lage_line: dict[str, int] = {}

    def add(self, line: int, ozg_id: str, name: str, lage: str, themenfeld: str) -> None:
        first = self.leistung_line.setdefault(ozg_id, line)
        known = self.leistungen.setdefault(ozg_id, (name, themenfeld))
        if known[0] != name:
            raise ValueError(f"OZG-ID {ozg_id} is named {known[0]!r} on line {first}")
        lagen = self.lagen_of.setdefault(ozg_id, set())
        if lage:
            lagen.add(self._lage(line, lage, themenfeld))

    def _lage(self, line: int, lage: str, themenfeld: str) -> str:
        key = slug(lage)
        if not key or len(lage) > 200:
            raise ValueError(f"Lage {lage!r} is not a usable name")
        first = self.lage_line.setdefault(key, line)
        stored = self.lagen.setdefault(key, (lage, themenfeld))
        if stored[0] != lage:
            raise ValueError(f"Lage {lage!r} has the same key {key!r} as {stored[0]!r} "
                             f"on line {first}")
        if stored[1] != themenfeld:
            raise ValueError(f"Lage {lage!r} is in Themenfeld {stored[1]!r} on line {first}, "
                             f"here in {themenfeld!r} (a Lage has one Themenfeld)")
        return key

    def result(self) -> Catalogue:
        return Catalogue(leistungen=self.leistungen, lagen=self.lagen,
                         lagen_of={k: frozenset(v) for k, v in self.lagen_of.items()})


def parse_ozg_leistungen(text: str, themenfelder: Mapping[str, str]) -> Catalogue:
    """Parse an ``ozg_leistungen.csv``; ``themenfelder`` maps each Themenfeld name to its key.

    Every malformed row is reported, with its line number, in one ``ImportFailed``.
    """
    builder, errors = _CatalogueBuilder(), []
    for line, row in read_rows(text, LEISTUNGEN_COLUMNS):
        ozg_id, name, themenfeld = row["ozg_id"], row["ozg_leistung"], row["themenfeld"]
        if not OZG_ID.match(ozg_id):
            errors.append((line, f"OZG-ID {ozg_id!r} is not numeric (1–6 digits)"))
        elif not name or len(name) > 300:
            errors.append((line, "ozg_leistung is empty or longer than 300 characters"))
        elif themenfeld not in themenfelder:
            errors.append((line, f"unknown Themenfeld {themenfeld!r}"))
        else:
            try:
                builder.add(line, ozg_id, name, row["lage"], themenfelder[themenfeld])
            except ValueError as exc:
                errors.append((line, str(exc)))
    _fail_if(errors, "OZG-Leistungen")
    return builder.result()


# --------------------------------------------------------------------------- LeiKa


class LeikaValues(msgspec.Struct, frozen=True):
    """A LeiKa entry's columns after ``leika_key``, in table order."""

    name: str
    leika_type: str | None
    legal_basis: str | None
    sdg_relevant: bool | None
    ozg_leistung: str | None


class LeikaFile(msgspec.Struct, frozen=True, kw_only=True):
    entries: dict[str, LeikaValues]
    skipped: list[tuple[int, str]]


def _leika_values(row: dict[str, str], known_ozg_ids: Collection[str]) -> LeikaValues:
    """The row's values; ValueError names what is wrong."""
    name, kind, ozg_id = row["leika_leistung"], row["leika_typisierung"], row["ozg_id"]
    if not name or len(name) > 500:
        raise ValueError("leika_leistung is empty or longer than 500 characters")
    if kind and not LEIKA_TYPE.match(kind):
        raise ValueError(f"leika_typisierung {kind!r} is not a LeiKa-Typ such as '2/3'")
    if ozg_id and not OZG_ID.match(ozg_id):
        raise ValueError(f"OZG-ID {ozg_id!r} is not numeric (1–6 digits)")
    if ozg_id and ozg_id not in known_ozg_ids:
        raise ValueError(f"OZG-ID {ozg_id} is not in the catalogue (import the OZG-Leistungen first)")
    flags = (row["sdg1_relevanz"], row["sdg2_relevanz"])
    if any(f not in FLAGS for f in flags):
        raise ValueError(f"sdg1_relevanz/sdg2_relevanz must be 0, 1 or empty, not {flags}")
    sdg = None if flags == ("", "") else any(FLAGS[f] for f in flags)
    return LeikaValues(name=name, leika_type=kind or None, legal_basis=row["rechtsgrundlage"] or None,
                       sdg_relevant=sdg, ozg_leistung=ozg_id or None)


# "9,90120E+13", "9.9012E13": how Excel writes a 14-digit number it has taken for one.
AS_NUMBER = re.compile(r"^\d[,.]\d+E\+?\d+$", re.IGNORECASE)


def parse_leika(text: str, known_ozg_ids: Collection[str]) -> LeikaFile:
    """Parse a ``leika_ozg_zuordnung.csv``. Rows without a 14-digit LeiKa key (``nicht im
    LeiKa``) are reported as skipped, never guessed; malformed rows fail the whole file."""
    entries: dict[str, LeikaValues] = {}
    first_line: dict[str, int] = {}
    skipped, errors = [], []
    for line, row in read_rows(text, LEIKA_COLUMNS):
        key = row["leika_schluessel"]
        if AS_NUMBER.match(key):  # a spreadsheet's number format took the key's digits
            errors.append((line, f"LeiKa key {key} was turned into a number by a spreadsheet; "
                                 "format the column as text"))
            continue
        if not LEIKA_KEY.match(key):
            skipped.append((line, f"no 14-digit LeiKa key ({key or 'empty'!r})"))
            continue
        if key in first_line:
            errors.append((line, f"LeiKa key {key} already on line {first_line[key]}"))
            continue
        first_line[key] = line
        try:
            entries[key] = _leika_values(row, known_ozg_ids)
        except ValueError as exc:
            errors.append((line, str(exc)))
    _fail_if(errors, "LeiKa")
    return LeikaFile(entries=entries, skipped=skipped)
