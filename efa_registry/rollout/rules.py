"""Pure rollout rules: who is eligible, what an adoption covers, how figures are derived. No I/O.

The coverage rule is also compiled into SQL (``repository``) from ``PREFIX_LENGTHS`` below, so
the Python and the database versions cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from statistics import fmean

from efa_registry.rollout.model import Cell, Figures, LandRef, RankingEntry, StatusCounts
from efa_registry.types import AdoptionStatus, RolloutLevel, values

STATUSES: tuple[AdoptionStatus, ...] = values(AdoptionStatus)
# Finest first: an OZG-Leistung without an execution level is measured at its finest solution level.
LEVELS: tuple[RolloutLevel, ...] = ("gemeinde", "kreis", "land")
DEFAULT_LEVEL: RolloutLevel = "gemeinde"

# Lengths of the ARS parts that form the area hierarchy: Land 2, Regierungsbezirk 3, Kreis 5,
# Gemeindeverband 9, Gemeinde 12. A Region (4 digits, BW only) is a planning area and no
# prefix of its Gemeinden' ARS, so a Region adoption covers nothing.
PREFIX_LENGTHS: tuple[int, ...] = (2, 3, 5, 9, 12)


# The ``area.level`` whose current rows are the eligible units of each rollout level. ``gemeinde``
# leaves out gemeindefreie Gebiete (they have their own area level), ``kreis`` includes the
# kreisfreie Städte (GV100AD Satzart 40 holds both), ``land`` is the Land itself.
ELIGIBLE_AREA_LEVEL: dict[str, str] = {"gemeinde": "gemeinde", "kreis": "kreis", "land": "land"}


def covers(adopter_ars: str, unit_ars: str) -> bool:
    """A live adoption by ``adopter_ars`` covers ``unit_ars`` when the adopter is the unit or
    one of its hierarchy ancestors (Land, Regierungsbezirk, Kreis, Gemeindeverband)."""
    return len(adopter_ars) in PREFIX_LENGTHS and unit_ars[: len(adopter_ars)] == adopter_ars


def ozg_level(execution_level: str | None, solution_levels: Iterable[str]) -> tuple[RolloutLevel, str]:
    """(level, source) at which an OZG-Leistung's rollout is measured.

    Its execution level when that is Gemeinde, Kreis or Land; else (unset or ``bund``) the finest
    rollout level among its non-retired solutions; else Gemeinde.
    """
    if execution_level in LEVELS:
        return execution_level, "execution_level"  # type: ignore[return-value]
    present = set(solution_levels)
    for level in LEVELS:
        if level in present:
            return level, "solutions"
    return DEFAULT_LEVEL, "default"


def share(part: int, whole: int) -> float | None:
    """A coverage share; None when there is nothing to cover."""
    return part / whole if whole else None


def is_flaechendeckend(eligible_units: int, covered_units: int) -> bool:
    """Every eligible unit covered: 99 % is not flächendeckend, and neither is a cell without
    eligible units."""
    return eligible_units > 0 and covered_units == eligible_units


def figures(cell: Cell) -> Figures:
    """Shares and flags of one cell."""
    return Figures(
        eligible_units=cell.eligible_units,
        covered_units=cell.covered_units,
        eligible_population=cell.eligible_population,
        covered_population=cell.covered_population,
        share_by_count=share(cell.covered_units, cell.eligible_units),
        share_by_population=share(cell.covered_population, cell.eligible_population),
        flaechendeckend=is_flaechendeckend(cell.eligible_units, cell.covered_units),
        available_somewhere=cell.covered_units > 0,
        adoptions=StatusCounts(**{s: getattr(cell, s) for s in STATUSES}),
        first_go_live=cell.first_go_live,
        latest_go_live=cell.latest_go_live,
    )


def _min_date(dates: Iterable[dt.date | None]) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def _max_date(dates: Iterable[dt.date | None]) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return max(present) if present else None


def total(cells: Sequence[Cell]) -> Cell:
    """National totals: units of different Länder never overlap, so counts simply add up."""
    sums = {
        name: sum(getattr(c, name) for c in cells)
        for name in ("eligible_units", "eligible_population", "covered_units", "covered_population", *STATUSES)
    }
    return Cell(**sums, first_go_live=_min_date(c.first_go_live for c in cells),
                latest_go_live=_max_date(c.latest_go_live for c in cells))


def empty_cell(eligible_units: int = 0, eligible_population: int = 0) -> Cell:
    return Cell(eligible_units=eligible_units, eligible_population=eligible_population)


def rank_lands(lands: Sequence[LandRef], ozg_cells: Iterable[tuple[str, int, int]]) -> list[RankingEntry]:
    """Länder by their number of flächendeckend OZG-Leistungen, most first; ties by the mean
    coverage share by count over the OZG-Leistungen counted, then by Land key. ``ozg_cells`` are
    (Land, eligible units, covered units), one per OZG-Leistung and Land. Equal (count, mean
    share) share a rank (1, 1, 3 …)."""
    complete: dict[str, int] = defaultdict(int)
    shares: dict[str, list[float]] = defaultdict(list)
    for land, eligible, covered in ozg_cells:
        complete[land] += is_flaechendeckend(eligible, covered)
        shares[land].append(share(covered, eligible) or 0.0)
    scored = sorted(((complete[land.code], fmean(shares[land.code]) if shares[land.code] else 0.0, land)
                     for land in lands), key=lambda t: (-t[0], -t[1], t[2].code))
    ranked, previous, rank = [], None, 0
    for position, (count, mean_share, land) in enumerate(scored, start=1):
        if (count, mean_share) != previous:
            rank, previous = position, (count, mean_share)
        ranked.append(RankingEntry(rank=rank, land=land.code, iso_code=land.iso_code, name=land.name,
                                   flaechendeckend_ozg_leistungen=count, ozg_leistungen=len(shares[land.code]),
                                   mean_share_by_count=mean_share))
    return ranked


def month_axis(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every first-of-month from ``first``'s month to ``last``'s month, inclusive."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def cumulative(new_per_month: dict[dt.date, int], axis: Sequence[dt.date]) -> list[int]:
    """Running total of newly covered units over ``axis`` (months without news repeat the total)."""
    running, series = 0, []
    for month in axis:
        running += new_per_month.get(month, 0)
        series.append(running)
    return series
