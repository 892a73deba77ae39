"""The shipped outlines of the Länder and Kreise, and how they become SVG path data.

``seed.geo.build`` writes them pre-projected (EPSG:3035, integer steps, north up) in two levels of
detail; this module reads each file once per process and scales a selection into a pixel frame.
Path numbers are tenths of a pixel (``SUB``) so that the SVG carries integers only.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import msgspec

import seed.geo

# The package's directory, not importlib.resources (see efa_registry.seeding for why).
GEO_DIR = Path(next(iter(seed.geo.__path__)))
Level = Literal["overview", "detail"]
Layer = Literal["laender", "kreise"]
SUB = 10  # path units per pixel
MIN_STEP = 3  # path units: a point within 0.3 px (|dx| + |dy|) of the last one kept adds bytes, not shape
MIN_RING = 50  # square path units (0.5 px²): smaller islands and holes would be specks

Ring = tuple[tuple[int, int], ...]


class Shape(msgspec.Struct, frozen=True, kw_only=True):
    ars: str
    name: str  # BKG's, "Nordfriesland (Kreis)": only a fallback, pages pass their own text
    rings: tuple[Ring, ...]  # absolute plane points, y north-up
    bbox: tuple[int, int, int, int]  # min x, min y, max x, max y


def _decode(flat: list[int]) -> Ring:
    x, y, points = flat[0], flat[1], [(flat[0], flat[1])]
    for i in range(2, len(flat), 2):
        x, y = x + flat[i], y + flat[i + 1]
        points.append((x, y))
    return tuple(points)


def bbox(rings: Iterable[Ring]) -> tuple[int, int, int, int]:
    rings = tuple(rings)
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


@functools.cache
def document(level: Level) -> dict:
    return json.loads(gzip.decompress((GEO_DIR / f"vg250_{level}.json.gz").read_bytes()))


@functools.cache
def shapes(level: Level, layer: Layer) -> dict[str, Shape]:
    """Every shape of a layer by ARS, in key order."""
    result = {}
    for ars, entry in sorted(document(level)[layer].items()):
        rings = tuple(_decode(r) for r in entry["rings"])
        # "Rostock (Landkreis)": BKG's GEN alone is ambiguous, and "Landkreis Wartburgkreis" reads badly.
        name = f"{entry['name']} ({entry['bez']})" if "bez" in entry else entry["name"]
        result[ars] = Shape(ars=ars, name=name, rings=rings, bbox=bbox(rings))
    return result


def attribution() -> str:
    return document("overview")["meta"]["attribution"]


class Frame(msgspec.Struct, frozen=True, kw_only=True):
    """Maps plane points into a box of ``width`` × ``height`` pixels at (``left``, ``top``)."""

    min_x: int
    max_y: int
    scale: float  # path units per plane unit
    left: float
    top: float
    width: float
    height: float

    def point(self, x: int, y: int) -> tuple[int, int]:
        # SVG's y grows downwards, the plane's northwards: flip, or the map is upside down.
        return (round(self.left * SUB + (x - self.min_x) * self.scale),
                round(self.top * SUB + (self.max_y - y) * self.scale))


def fit(box: tuple[int, int, int, int], max_width: float, max_height: float, left: float, top: float) -> Frame:
    """The largest frame showing ``box`` undistorted within max_width × max_height pixels,
    centred across the width."""
    min_x, min_y, max_x, max_y = box
    px_per_unit = min(max_width / (max_x - min_x), max_height / (max_y - min_y))
    width, height = (max_x - min_x) * px_per_unit, (max_y - min_y) * px_per_unit
    return Frame(min_x=min_x, max_y=max_y, scale=px_per_unit * SUB, left=left + (max_width - width) / 2, top=top,
                 width=width, height=height)


def _thin(ring: Ring, frame: Frame) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    for x, y in ring:
        p = frame.point(x, y)
        if not points or abs(p[0] - points[-1][0]) + abs(p[1] - points[-1][1]) >= MIN_STEP:
            points.append(p)
    return points


def _area(points: list[tuple[int, int]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2


def _numbers(values: Iterable[int]) -> str:
    """SVG number list with the fewest separators: a minus sign separates on its own."""
    return "".join(f"{v}" if v < 0 else f" {v}" for v in values).lstrip()


def path_data(shape: Shape, frame: Frame) -> str:
    """``d`` of one shape: ``M x y l dx dy … z`` per ring; a shape keeps at least its largest ring."""
    rings = [(points, _area(points)) for points in (_thin(r, frame) for r in shape.rings) if len(points) >= 3]
    if not rings:
        return ""
    kept = [p for p, a in rings if a >= MIN_RING] or [max(rings, key=lambda t: t[1])[0]]
    parts = []
    for points in kept:
        steps = (v for (x1, y1), (x2, y2) in itertools.pairwise(points) for v in (x2 - x1, y2 - y1))
        parts.append(f"M{_numbers(points[0])}l{_numbers(steps)}z")
    return "".join(parts)
