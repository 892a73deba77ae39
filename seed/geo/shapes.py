"""Plane geometry for the shipped map: ETRS89-LAEA projection, ring simplification and area.

Pure functions on plain lists, used by ``seed.geo.build`` only: the app reads the finished,
pre-projected integers and never projects or simplifies at request time.

The plane is EPSG:3035 (ETRS89 / LAEA Europe), the equal-area projection Eurostat and the BKG use
for statistical maps: a choropleth compares areas by their colour, so the areas themselves must
not be distorted. WGS84 and ETRS89 differ by under a metre, far below the data's 200 m detail.
"""

from __future__ import annotations

import itertools
import math

# GRS80 ellipsoid and the EPSG:3035 parameters (IOGP Guidance Note 7-2, method 9820).
_A = 6378137.0
_F = 1 / 298.257222101
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)
_LAT0, _LON0 = math.radians(52.0), math.radians(10.0)
_FALSE_EASTING, _FALSE_NORTHING = 4321000.0, 3210000.0

Point = tuple[int, int]


def _q(phi: float) -> float:
    s = math.sin(phi)
    return (1 - _E2) * (s / (1 - _E2 * s * s) - math.log((1 - _E * s) / (1 + _E * s)) / (2 * _E))


_QP = _q(math.pi / 2)
_RQ = _A * math.sqrt(_QP / 2)
_BETA0 = math.asin(_q(_LAT0) / _QP)
_D = _A * (math.cos(_LAT0) / math.sqrt(1 - _E2 * math.sin(_LAT0) ** 2)) / (_RQ * math.cos(_BETA0))


def laea(lon: float, lat: float) -> tuple[float, float]:
    """(easting, northing) in metres of EPSG:3035 for a longitude/latitude in degrees."""
    beta = math.asin(_q(math.radians(lat)) / _QP)
    dlon = math.radians(lon) - _LON0
    b = _RQ * math.sqrt(2 / (1 + math.sin(_BETA0) * math.sin(beta)
                             + math.cos(_BETA0) * math.cos(beta) * math.cos(dlon)))
    easting = _FALSE_EASTING + b * _D * math.cos(beta) * math.sin(dlon)
    northing = _FALSE_NORTHING + (b / _D) * (math.cos(_BETA0) * math.sin(beta)
                                             - math.sin(_BETA0) * math.cos(beta) * math.cos(dlon))
    return easting, northing


def quantise(ring: list[list[float]], unit_m: int) -> list[Point]:
    """A GeoJSON ring as integer plane points of ``unit_m`` metres, without the closing repeat
    and without consecutive duplicates (rounding merges points closer than a unit)."""
    points: list[Point] = []
    for lon, lat in ring[:-1] if ring[0] == ring[-1] else ring:
        easting, northing = laea(lon, lat)
        point = (round(easting / unit_m), round(northing / unit_m))
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def _distance2(p: Point, a: Point, b: Point) -> float:
    """Squared distance from ``p`` to the segment a–b (not the line: a spike must not vanish)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    ex, ey = p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy)
    return ex * ex + ey * ey


def _douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """The open chain ``points`` simplified; both ends are kept. Iterative, so long coastlines
    cannot exhaust the recursion limit."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        best, index = -1.0, -1
        for i in range(first + 1, last):
            d = _distance2(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index > 0 and best > limit:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(points: list[Point], tolerance: float) -> list[Point]:
    """A closed ring simplified by Douglas–Peucker. A ring has no natural ends, so it is split at
    its first point and the point farthest from it, and each half is simplified on its own."""
    if len(points) < 4 or tolerance <= 0:
        return list(points)
    start = points[0]
    far = max(range(len(points)), key=lambda i: ((points[i][0] - start[0]) ** 2 + (points[i][1] - start[1]) ** 2, -i))
    first = _douglas_peucker(points[: far + 1], tolerance)
    second = _douglas_peucker([*points[far:], start], tolerance)
    return first[:-1] + second[:-1]


def area(points: list[Point]) -> float:
    """Unsigned area of a closed ring (shoelace), in square units."""
    total = 0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def encode(points: list[Point]) -> list[int]:
    """First point absolute, then the steps to each next point, flattened: small numbers compress."""
    flat = [points[0][0], points[0][1]]
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        flat += (x2 - x1, y2 - y1)
    return flat
