"""Geometry and colours of the SVG Länder tile map and the monthly go-live chart.

Drawn by the app from the core's figures: no geodata, no script. Each Land is a square tile laid
out roughly where it lies, labelled with its abbreviation and its percentage, so the colour is
never the only carrier of the value.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math

import msgspec

from api.web.texts import prozent, zahl
from efa_registry.seeding import read_seed_csv
from seed import SEED_DIR

# Land key → (column, row) on a 5 × 5 grid, north at the top.
GRID: dict[str, tuple[int, int]] = {
    "01": (2, 0),
    "04": (1, 1), "02": (2, 1), "13": (3, 1),
    "05": (0, 2), "03": (1, 2), "15": (2, 2), "12": (3, 2), "11": (4, 2),
    "07": (0, 3), "06": (1, 3), "16": (2, 3), "14": (3, 3),
    "10": (0, 4), "08": (1, 4), "09": (2, 4),
}
TILE, GAP = 72, 6
MAP_SIZE = 5 * (TILE + GAP) - GAP

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


class Tile(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    abbr: str
    name: str
    x: int
    y: int
    colour: ColourClass
    share: float | None
    text: str
    detail: str  # what a screen reader and the tooltip say
    href: str


def tiles(shares: dict[str, tuple[float | None, str]]) -> list[Tile]:
    """One tile per Land; ``shares`` maps the Land key to (share, sentence describing it)."""
    names = land_names()
    result = []
    for code, (col, row) in sorted(GRID.items()):
        share, detail = shares.get(code, (None, "keine Angaben"))
        land = names[code]
        result.append(Tile(code=code, abbr=land.abbr, name=land.name, x=col * (TILE + GAP), y=row * (TILE + GAP),
                           colour=colour_class(share), share=share, text=prozent(share),
                           detail=f"{land.name}: {prozent(share)}, {detail}", href=f"/laender/{code}"))
    return result


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
    left_ticks: list[Tick]
    right_ticks: list[Tick]
    x_ticks: list[Tick]
    max_new: int
    max_total: int


def _nice_max(value: int) -> int:
    """The next 1-2-5 step at or above ``value`` (at least 1), for readable axis ticks."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value)


def go_live_chart(months: list[dt.date], cumulative: list[int], today: dt.date | None = None) -> Chart | None:
    """Bars: units newly live per month; line: units live at the end of each month. The axis runs
    on to the current month, so a rollout that stalled shows as a flat line, not as a fresh one."""
    if not months:
        return None
    months, cumulative = list(months), list(cumulative)
    current = (today or dt.date.today()).replace(day=1)
    while months[-1] < current:
        last = months[-1]
        months.append(dt.date(last.year + last.month // 12, last.month % 12 + 1, 1))
        cumulative.append(cumulative[-1])
    new = [cumulative[0], *(b - a for a, b in itertools.pairwise(cumulative))]
    max_new, max_total = _nice_max(max(new)), _nice_max(max(cumulative))
    width = (PLOT_RIGHT - PLOT_LEFT) / len(months)
    height = PLOT_BOTTOM - PLOT_TOP

    def y_of(value: int, top: int) -> float:
        return PLOT_BOTTOM - height * value / top

    bar = min(max(width * 0.8, 0.5), 28)
    bars = [Bar(PLOT_LEFT + (i + 0.5) * width - bar / 2, y_of(n, max_new), bar,
                height * n / max_new, month, n, total)
            for i, (month, n, total) in enumerate(zip(months, new, cumulative, strict=True))]
    line = " ".join(f"{PLOT_LEFT + (i + 0.5) * width:.1f},{y_of(t, max_total):.1f}" for i, t in enumerate(cumulative))
    left = [Tick(y_of(v, max_new), zahl(v)) for v in dict.fromkeys((0, max_new // 2, max_new))]
    right = [Tick(y_of(v, max_total), zahl(v)) for v in dict.fromkeys((0, max_total // 2, max_total))]
    every = max(1, math.ceil(len(months) / 8))
    x_ticks = [Tick(PLOT_LEFT + (i + 0.5) * width, f"{m.month:02d}/{m.year}")
               for i, m in enumerate(months) if i % every == 0]
    return Chart(bars=bars, line=line, left_ticks=left, right_ticks=right, x_ticks=x_ticks, max_new=max_new,
                 max_total=max_total)
