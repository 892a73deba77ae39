"""The colour classes of the maps (``choropleth`` draws them), the Länder's names, and the monthly
go-live chart with its dashed projection.

Drawn by the app from the core's figures, no script. The classes' text colours keep 4.5:1 on
their fill; ``choropleth`` adds a texture per class so that colour never carries a value alone.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math

import msgspec

from api.web.texts import zahl
from efa_registry.seeding import read_seed_csv
from seed import SEED_DIR

DARK, LIGHT = "#1a1a1a", "#ffffff"


class ColourClass(msgspec.Struct, frozen=True):
    key: str
    label: str
    fill: str
    text: str  # chosen for a contrast of at least 4.5:1 on ``fill``
    low: float | None  # share range [low, high); None for "no eligible units"
    high: float | None


# Sequential blues, light to dark: readable in greyscale and for the common colour-vision deficiencies.
CLASSES: tuple[ColourClass, ...] = (
    ColourClass("k0", "0\u00a0% – noch keine Einheit live", "#f2f2f2", DARK, 0.0, 0.0),
    ColourClass("k1", "über 0 bis unter 25\u00a0%", "#deebf7", DARK, 0.0, 0.25),
    ColourClass("k2", "25 bis unter 50\u00a0%", "#9ecae1", DARK, 0.25, 0.5),
    ColourClass("k3", "50 bis unter 75\u00a0%", "#4a90c2", DARK, 0.5, 0.75),
    ColourClass("k4", "75 bis unter 100\u00a0%", "#1d5a96", LIGHT, 0.75, 1.0),
    ColourClass("k5", "100\u00a0% – flächendeckend", "#08306b", LIGHT, 1.0, 1.0),
)
NO_UNITS = ColourClass("na", "keine berechtigten Einheiten", "#ffffff", DARK, None, None)
LEGEND: tuple[ColourClass, ...] = (*CLASSES, NO_UNITS)


def colour_class(share: float | None) -> ColourClass:
    if share is None:
        return NO_UNITS
    if share <= 0:
        return CLASSES[0]
    if share >= 1:
        return CLASSES[5]
    return next(c for c in CLASSES[1:5] if share < c.high)


class LandName(msgspec.Struct, frozen=True):
    code: str
    abbr: str
    name: str


@functools.cache
def land_names() -> dict[str, LandName]:
    """The 16 Länder as the seed knows them (the reference facts the database is loaded from)."""
    return {r["ars"]: LandName(r["ars"], r["iso_code"].removeprefix("DE-"), r["name"])
            for r in read_seed_csv(SEED_DIR, "laender.csv")}


# --------------------------------------------------------------------------- go-live chart

CHART_W, CHART_H = 640, 260
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 52, 588, 20, 210


class Bar(msgspec.Struct, frozen=True):
    x: float
    y: float
    width: float
    height: float
    month: dt.date
    new: int
    total: int


class Tick(msgspec.Struct, frozen=True):
    position: float
    text: str


class Chart(msgspec.Struct, frozen=True, kw_only=True):
    bars: list[Bar]
    line: str  # polyline points of the cumulative series
    projection: str  # polyline points of the dashed projection ("" without one)
    projection_end: dt.date | None  # the last month the projection reaches on the axis
    projection_clipped: bool  # the projection runs on past the axis
    left_ticks: list[Tick]
    right_ticks: list[Tick]
    x_ticks: list[Tick]
    max_new: int
    max_total: int


# The projection runs at most this far past the current month: a date decades away would squeeze
# the months that happened into a sliver (the sentence above the chart names the month).
AHEAD_MONTHS = 60


def _nice_max(value: float) -> int:
    """The next 1-2-5 step at or above ``value`` (at least 1), for readable axis ticks."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _axis(months: list[dt.date], cumulative: list[int], today: dt.date | None,
          projection: list[tuple[dt.date, float]]) -> tuple[list[dt.date], list[int], list[tuple[dt.date, float]]]:
    """The months of the axis (on to the current month, and on along the projection), the actual
    series up to the current month, and the projection points within the axis."""
    months, cumulative = list(months), list(cumulative)
    current = (today or dt.date.today()).replace(day=1)
    while months[-1] < current:
        months.append(_next_month(months[-1]))
        cumulative.append(cumulative[-1])
    limit = current
    for _ in range(AHEAD_MONTHS):
        limit = _next_month(limit)
    ahead = [(m, v) for m, v in projection if m <= limit]
    axis = list(months)
    while ahead and axis[-1] < ahead[-1][0]:
        axis.append(_next_month(axis[-1]))
    return axis, cumulative, ahead


def go_live_chart(months: list[dt.date], cumulative: list[int], today: dt.date | None = None,
                  projection: list[tuple[dt.date, float]] | None = None) -> Chart | None:
    """Bars: units newly live per month; line: units live at the end of each month. The axis runs
    on to the current month, so a rollout that stalled shows as a flat line, not as a fresh one;
    ``projection`` (``forecast.projection``) adds a dashed line from there on, at most
    ``AHEAD_MONTHS`` ahead."""
    if not months:
        return None
    axis, cumulative, ahead = _axis(months, cumulative, today, projection or [])
    new = [cumulative[0], *(b - a for a, b in itertools.pairwise(cumulative))]
    max_new = _nice_max(max(new))
    max_total = _nice_max(max([*cumulative, *(v for _, v in ahead)]))
    width = (PLOT_RIGHT - PLOT_LEFT) / len(axis)
    height = PLOT_BOTTOM - PLOT_TOP
    index = {month: i for i, month in enumerate(axis)}

    def x_of(month: dt.date) -> float:
        return PLOT_LEFT + (index[month] + 0.5) * width

    def y_of(value: float, top: int) -> float:
        return PLOT_BOTTOM - height * value / top

    bar = min(max(width * 0.8, 0.5), 28)
    bars = [Bar(x_of(month) - bar / 2, y_of(n, max_new), bar, height * n / max_new, month, n, total)
            for month, n, total in zip(axis, new, cumulative, strict=False)]
    line = " ".join(f"{x_of(m):.1f},{y_of(t, max_total):.1f}" for m, t in zip(axis, cumulative, strict=False))
    dashed = " ".join(f"{x_of(m):.1f},{y_of(v, max_total):.1f}" for m, v in ahead)
    every = max(1, math.ceil(len(axis) / 8))
    return Chart(bars=bars, line=line, projection=dashed if len(ahead) > 1 else "",
                 projection_end=ahead[-1][0] if len(ahead) > 1 else None,
                 projection_clipped=bool(projection) and len(ahead) < len(projection),
                 left_ticks=[Tick(y_of(v, max_new), zahl(v)) for v in dict.fromkeys((0, max_new // 2, max_new))],
                 right_ticks=[Tick(y_of(v, max_total), zahl(v)) for v in dict.fromkeys((0, max_total // 2, max_total))],
                 x_ticks=[Tick(x_of(m), f"{m.month:02d}/{m.year}") for i, m in enumerate(axis) if i % every == 0],
                 max_new=max_new, max_total=max_total)
