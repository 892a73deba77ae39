"""Derive the shipped map geometry of the 16 Länder and 400 Kreise from BKG VG250.

    python -m seed.geo.build --source ../shared/data/geo          # rewrite seed/geo/*.json.gz
    python -m seed.geo.build --source ../shared/data/geo --check  # exit 1 if they are stale

Reads ``bundeslaender_sim200.geojson`` and ``landkreise_sim200.geojson`` (WGS84), keeps the
features with ``GF == 4`` (land area; the others repeat a key for water), projects them to
EPSG:3035 in integer steps of ``UNIT_M`` metres and writes two levels of detail, each a
gzip-compressed JSON file: ``overview`` for maps of all Germany, ``detail`` for one Land's Kreise.
Same input, same bytes: keys sorted, no timestamps in the gzip header.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from seed.geo import shapes

HERE = Path(__file__).resolve().parent
UNIT_M = 20
LAENDER_FILE, KREISE_FILE = "bundeslaender_sim200.geojson", "landkreise_sim200.geojson"
EXPECTED = {"laender": 16, "kreise": 400}
ATTRIBUTION = "© GeoBasis-DE / BKG 2023 (Daten verändert)"
LICENCE = "Datenlizenz Deutschland – Namensnennung – 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"


class Level(msgspec.Struct, frozen=True):
    name: str
    tolerance_m: float  # Douglas–Peucker tolerance
    min_ring_m2: float  # smaller islands and holes are dropped


# The overview is drawn about 600 px wide (1 px ≈ 1.06 km): 700 m is two thirds of a pixel and keeps
# Germany by Kreis well under 300 KB of SVG; islands under 0.5 km² would be specks (Helgoland,
# 1 km², stays). The source is already simplified at 200 m, so the detail level only merges what
# the 20 m grid makes collinear.
LEVELS = (Level("overview", 700, 500_000), Level("detail", 50, 50_000))


def read_features(path: Path, key_length: int) -> list[dict[str, Any]]:
    """The GF-4 features of a VG250 GeoJSON file, by ARS; refuses duplicate or malformed keys."""
    features = [f for f in json.loads(path.read_bytes())["features"] if f["properties"]["GF"] == 4]
    keys = [f["properties"]["ARS"] for f in features]
    bad = sorted(k for k in keys if len(k) != key_length or not k.isdigit())
    if bad or len(set(keys)) != len(keys):
        raise SystemExit(f"{path.name}: malformed or repeated ARS keys {bad or sorted(keys)}")
    return sorted(features, key=lambda f: f["properties"]["ARS"])


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise SystemExit(f"unexpected geometry type {geometry['type']}")


def feature_rings(geometry: dict[str, Any], level: Level) -> list[list[int]]:
    """Encoded rings of one feature: each polygon's outer ring, then its holes. A polygon whose
    outer ring is too small goes with its holes; a feature keeps at least its largest polygon."""
    tolerance, min_area = level.tolerance_m / UNIT_M, level.min_ring_m2 / UNIT_M**2
    kept: list[list[shapes.Point]] = []
    largest: tuple[float, list[list[shapes.Point]]] = (-1.0, [])
    for polygon in _polygons(geometry):
        rings = [shapes.simplify_ring(shapes.quantise(ring, UNIT_M), tolerance) for ring in polygon]
        outer_area = shapes.area(rings[0]) if len(rings[0]) >= 3 else 0.0
        holes = [r for r in rings[1:] if len(r) >= 3 and shapes.area(r) >= min_area]
        if outer_area > largest[0]:
            largest = (outer_area, [rings[0], *holes])
        if outer_area >= min_area:
            kept += [rings[0], *holes]
    return [shapes.encode(r) for r in (kept or largest[1])]


def layer(features: list[dict[str, Any]], level: Level, with_bez: bool) -> dict[str, dict[str, Any]]:
    result = {}
    for feature in features:
        props = feature["properties"]
        entry: dict[str, Any] = {"name": props["GEN"], "rings": feature_rings(feature["geometry"], level)}
        if with_bez:
            entry["bez"] = props["BEZ"]
        result[props["ARS"]] = entry
    return result


def check_keys(laender: list[dict[str, Any]], kreise: list[dict[str, Any]]) -> None:
    """16 Länder, 400 Kreise, and every Kreis inside a known Land: else the edition is not ours."""
    land_keys = {f["properties"]["ARS"] for f in laender}
    orphans = sorted(k for f in kreise if (k := f["properties"]["ARS"])[:2] not in land_keys)
    if len(laender) != EXPECTED["laender"] or len(kreise) != EXPECTED["kreise"] or orphans:
        raise SystemExit(f"expected 16 Länder and 400 Kreise, got {len(laender)} and {len(kreise)}; "
                         f"Kreise without a Land: {orphans}")


def document(level: Level, laender: list[dict[str, Any]], kreise: list[dict[str, Any]],
             digests: dict[str, str]) -> bytes:
    meta = {"attribution": ATTRIBUTION, "licence": LICENCE, "licence_url": LICENCE_URL,
            "source": "BKG VG250 Stand 31.12.2023, simplified (ogr2ogr -simplify 200) by "
                      "opendatalab-de/simple-geodata-selector, commit f9a1de3a",
            "source_sha256": digests, "crs": "EPSG:3035", "unit_m": UNIT_M,
            "axes": "x = easting / unit_m, y = northing / unit_m (north up)",
            "encoding": "ring = [x0, y0, dx1, dy1, …], closed implicitly; fill-rule evenodd",
            "level": level.name, "tolerance_m": level.tolerance_m, "min_ring_m2": level.min_ring_m2}
    body = {"meta": meta, "laender": layer(laender, level, with_bez=False),
            "kreise": layer(kreise, level, with_bez=True)}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # mtime=0 keeps the gzip header free of the build time: same input, same bytes.
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def build(source: Path) -> dict[str, bytes]:
    """File name → bytes of every shipped geometry file."""
    paths = {"laender": source / LAENDER_FILE, "kreise": source / KREISE_FILE}
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths.values()}
    laender, kreise = read_features(paths["laender"], 2), read_features(paths["kreise"], 5)
    check_keys(laender, kreise)
    return {f"vg250_{level.name}.json.gz": document(level, laender, kreise, digests) for level in LEVELS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed.geo.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True,
                        help=f"folder holding {LAENDER_FILE} and {KREISE_FILE} (e.g. ../shared/data/geo)")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the files (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the files differ")
    args = parser.parse_args(argv)
    stale = []
    for name, data in build(args.source).items():
        target = args.out / name
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(name)
            continue
        target.write_bytes(data)
        print(f"{target}: {len(data):,} bytes")
    if stale:
        print(f"stale: {', '.join(stale)} (run without --check to rewrite)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
