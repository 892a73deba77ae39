"""Parser of the Destatis GV100AD (Gemeindeverzeichnis): fixed-width records → area rows (pure;
the import use case is ``gv100ad_import``, its SQL ``edition_repository``).

Record layout as in the Datensatzbeschreibung GV100AD (220 characters, 1-based positions):
1-2 Satzart, 3-10 Gebietsstand, 11-18 Regionalschlüssel (Land 11-12, Regierungsbezirk 13,
Kreis 14-15, Gemeinde 16-18; a Region uses only 14), 19-22 Gemeindeverband, 23-72 name,
73-122 Sitz der Verwaltung, 123-124 Textkennzeichen, and on Satzart 60 also 129-139 Fläche
in ha and 140-150 Bevölkerung. The ARS orders the same parts as Land, RB, Kreis,
Gemeindeverband, Gemeinde; the AGS leaves out the Gemeindeverband.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable

import msgspec
import structlog

from efa_registry.areas.model import AreaFacts
from efa_registry.errors import ImportFailed
from efa_registry.kit import textfiles
from efa_registry.types import AreaLevel

log = structlog.get_logger(__name__)

SATZART_LEVELS: dict[str, AreaLevel] = {
    "10": "land", "20": "regierungsbezirk", "30": "region",
    "40": "kreis", "50": "gemeindeverband", "60": "gemeinde",
}
# Textkennzeichen 65 (inhabited) and 66 (uninhabited): an AGS but no municipal administration.
GEMEINDEFREI = frozenset({"65", "66"})
# Satzart 60 must reach the end of Bevölkerung; the rest only needs a name.
MIN_LENGTH = {"60": 150}
MIN_LENGTH_OTHER = 23
RECORD_LENGTH = 220
LAND_KEY = re.compile(r"^(0[1-9]|1[0-6])$")
# CR before LF any number of times: a CRLF file converted twice (an FTP ASCII transfer) has CR CR LF.
LINE_BREAK = re.compile("\r*\n|\r")
# Tabs, NUL, other C0 and C1 controls: a record is spaces and text only (a tab would shift columns).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
MAX_FIGURE = 2**31 - 1  # Fläche and Bevölkerung, and their sums per Land, are stored as integers
DIGITS = re.compile(r"^[0-9]+$")
NAME = slice(22, 72)  # the name field of every record (columns 23–72)


class AreaRow(AreaFacts):
    """One area as the GV100AD states it; field order is the staging table's column order."""

    seat: str | None
    population: int | None
    area_ha: int | None
    gebietsstand: dt.date


class Gv100ad(msgspec.Struct, frozen=True, kw_only=True):
    """A parsed edition: its Gebietsstand and every area with parent and figures resolved."""

    gebietsstand: dt.date
    rows: list[AreaRow]


class _Parsed(msgspec.Struct, frozen=True):
    line: int
    row: AreaRow
    parents: tuple[str, ...]  # candidate parent keys, nearest first


# --------------------------------------------------------------------------- parsing


def decode(data: bytes) -> str:
    """The edition's text (``kit.textfiles.decode``: UTF-8, else Windows-1252; damaged UTF-8 refused)."""
    return textfiles.decode(data, "GV100AD")


def _lines(text: str) -> list[str]:
    # Line breaks of any system (CR alone: old Macs), but not splitlines(): the NEL a byte 0x85
    # would decode to (ISO-8859-1) or U+2028 would break a name.
    lines = LINE_BREAK.split(text)
    while lines and not lines[-1].strip(" \x1a"):
        lines.pop()
    return lines


def _keys(satzart: str, rec: str) -> tuple[str, str | None, tuple[str, ...]]:
    """(ARS, AGS, candidate parents nearest first).

    The nearest listed ancestor is the parent: Kreise of Länder without Regierungsbezirke hang
    under the Land, and the few Gemeindeverbände outside any Kreis (coastal waters, the
    German-Luxembourg condominium: Kreis key 000) hang under their Land.
    """
    land, rb, kreis, gem, vb = rec[10:12], rec[12:13], rec[13:15], rec[15:18], rec[18:22]
    if satzart == "10":
        return land, None, ()
    if satzart == "20":
        return land + rb, None, (land,)
    if satzart == "30":
        return land + rb + rec[13], None, (land + rb, land)
    if satzart == "40":
        return land + rb + kreis, None, (land + rb, land)
    if satzart == "50":
        return land + rb + kreis + vb, None, (land + rb + kreis, land + rb, land)
    ars = land + rb + kreis + vb + gem
    return ars, land + rb + kreis + gem, (ars[:9], ars[:5], ars[:3], ars[:2])


def select_records(data: bytes, keep: Callable[[AreaLevel, str], bool]) -> bytes:
    """The records for which ``keep(level, ars)`` holds, as a smaller file of the same format
    (UTF-8); e.g. the demo's extract of the real edition."""
    kept = [rec for rec in _lines(decode(data))
            if rec[:2] in SATZART_LEVELS and keep(SATZART_LEVELS[rec[:2]], _keys(rec[:2], rec.ljust(RECORD_LENGTH))[0])]
    return ("\n".join(kept) + "\n").encode()


def _number(rec: str, start: int, end: int, what: str) -> int:
    raw = rec[start:end].strip()
    if not DIGITS.match(raw):
        raise ValueError(f"{what} is not a number: {raw!r}")
    if int(raw) > MAX_FIGURE:
        raise ValueError(f"{what} {raw} is out of range")
    return int(raw)


@functools.lru_cache(maxsize=8)
def _gebietsstand(raw: str) -> dt.date:
    # Cached: every record of an edition carries the same date, and strptime is slow.
    try:
        if len(raw) == 8 and DIGITS.match(raw):
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        pass
    raise ValueError(f"malformed Gebietsstand {raw!r}")


def _parse_record(rec: str, line: int) -> _Parsed:
    """One record; ValueError names what is wrong with it."""
    satzart = rec[:2]
    if satzart not in SATZART_LEVELS:
        raise ValueError(f"unknown Satzart {satzart!r}")
    if control := CONTROL.search(rec):
        raise ValueError(f"control character {control.group()!r} at position {control.start() + 1}"
                         + (" (a tab shifts the columns)" if control.group() == "\t" else ""))
    needed = MIN_LENGTH.get(satzart, MIN_LENGTH_OTHER)
    if len(rec) < needed:
        raise ValueError(f"record too short: {len(rec)} characters, Satzart {satzart} needs {needed}")
    if rec[RECORD_LENGTH:].strip():
        raise ValueError(f"record longer than {RECORD_LENGTH} characters: line breaks missing?")
    rec = rec.ljust(RECORD_LENGTH)
    ars, ags, parents = _keys(satzart, rec)
    if not DIGITS.match(ars) or not LAND_KEY.match(ars[:2]):
        raise ValueError(f"malformed Regionalschlüssel {rec[10:22]!r}")
    gebietsstand = _gebietsstand(rec[2:10])
    name, seat, kennzeichen = rec[NAME].strip(), rec[72:122].strip(), rec[122:124].strip()
    if not name:
        raise ValueError("name is blank")
    if kennzeichen and not DIGITS.match(kennzeichen):
        raise ValueError(f"malformed Textkennzeichen {kennzeichen!r}")
    level = SATZART_LEVELS[satzart]
    population = area_ha = None
    if satzart == "60":
        area_ha = _number(rec, 128, 139, "Fläche in ha")
        population = _number(rec, 139, 150, "Bevölkerung")
        level = "gemeindefreies_gebiet" if kennzeichen in GEMEINDEFREI else level
    row = AreaRow(
        ars=ars, ags=ags, name=name, level=level, textkennzeichen=kennzeichen or None,
        parent=None, land=ars[:2], seat=seat if satzart != "60" and seat else None,
        population=population, area_ha=area_ha, gebietsstand=gebietsstand,
    )
    return _Parsed(line, row, parents)


def _duplicates(parsed: list[_Parsed]) -> list[tuple[int, str]]:
    errors: list[tuple[int, str]] = []
    for field in ("ars", "ags"):
        first: dict[str, int] = {}
        for p in parsed:
            key = getattr(p.row, field)
            if key is None:
                continue
            if key in first:
                errors.append((p.line, f"{field.upper()} {key} already on line {first[key]}"))
            else:
                first[key] = p.line
    return errors


def _mixed_editions(parsed: list[_Parsed]) -> list[tuple[int, str]]:
    """Every record of an edition carries its Gebietsstand: the records of another one are reported."""
    dates = Counter(p.row.gebietsstand for p in parsed)
    if len(dates) < 2:
        return []
    edition = max(dates, key=lambda d: (dates[d], d))
    return [(p.line, f"Gebietsstand {p.row.gebietsstand:%d.%m.%Y}, the other records {edition:%d.%m.%Y}")
            for p in parsed if p.row.gebietsstand != edition][:textfiles.MAX_REPORTED]


def _totals(rows: list[AreaRow]) -> tuple[dict[str, int], dict[str, int]]:
    """Population and area of every ARS prefix (Land, RB, Kreis, Gemeindeverband), summed over
    the Satzart-60 records: only they carry figures, gemeindefreie Gebiete included."""
    population: dict[str, int] = defaultdict(int)
    area: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.population is None or row.area_ha is None:
            continue
        for prefix in (row.ars[:2], row.ars[:3], row.ars[:5], row.ars[:9]):
            population[prefix] += row.population
            area[prefix] += row.area_ha
    return population, area


def _resolve(parsed: list[_Parsed]) -> tuple[list[AreaRow], list[tuple[int, str]]]:
    """Attach each row to its nearest listed ancestor and give the upper levels their sums."""
    listed = {p.row.ars for p in parsed}
    population, area = _totals([p.row for p in parsed])
    if max((*population.values(), *area.values()), default=0) > MAX_FIGURE:
        return [], [(0, "the figures of a Land add up beyond what can be stored")]
    rows, errors = [], []
    for p in parsed:
        parent = next((key for key in p.parents if key in listed), None)
        if p.parents and parent is None:
            errors.append((p.line, f"no parent area {' or '.join(p.parents)} in the file"))
            continue
        changes: dict[str, object] = {"parent": parent}
        if p.row.population is None and p.row.level != "region":
            # A Region (BW only) is no ARS prefix of its Gemeinden, so it gets no sum.
            changes |= {"population": population[p.row.ars], "area_ha": area[p.row.ars]}
        rows.append(msgspec.structs.replace(p.row, **changes))
    return rows, errors


def parse_gebietsstand(data: bytes) -> dt.date:
    """The edition's Gebietsstand, read without parsing the records (the newest date they carry)."""
    dates = set()
    for line in _lines(decode(data)):
        with contextlib.suppress(ValueError):
            dates.add(_gebietsstand(line[2:10]))
    if not dates:
        raise ImportFailed("no GV100AD record with a Gebietsstand", errors=[(0, "no record")])
    return max(dates)


def parse_gv100ad(data: bytes) -> Gv100ad:
    """Parse a whole GV100AD file; every malformed line is reported in one ImportFailed."""
    parsed: list[_Parsed] = []
    errors: list[tuple[int, str]] = []
    for number, rec in enumerate(_lines(decode(data)), start=1):
        try:
            parsed.append(_parse_record(rec, number))
        except ValueError as exc:
            errors.append((number, str(exc)))
    if not parsed and not errors:
        raise ImportFailed("GV100AD: the file holds no records", errors=[])
    errors += _duplicates(parsed) + _mixed_editions(parsed)
    if not errors:
        rows, errors = _resolve(parsed)
    if errors:
        errors.sort()
        raise ImportFailed(f"GV100AD: {len(errors)} malformed records", errors=errors)
    return Gv100ad(gebietsstand=max(r.gebietsstand for r in rows), rows=rows)


# --------------------------------------------------------------------------- writing
