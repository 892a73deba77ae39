"""The geometry build: projection, simplification, ring selection, key checks, reproducible output."""

from __future__ import annotations

import json

import pytest

from seed.geo import build, shapes

# The reference data beside the checkout; the shipped files must not depend on it.


def test_the_projection_is_epsg_3035():
    assert shapes.laea(10.0, 52.0) == pytest.approx((4321000.0, 3210000.0), abs=1e-6)  # its origin
    # IOGP Guidance Note 7-2, worked example of method 9820 (ETRS89-LAEA)
    assert shapes.laea(5.0, 50.0) == pytest.approx((3962799.45, 2999718.85), abs=0.01)


def test_simplification_drops_what_lies_within_the_tolerance_and_keeps_spikes():
    wobbly_square = [(0, 0), (50, 1), (100, 0), (101, 50), (100, 100), (50, 99), (0, 100), (1, 50)]
    assert shapes.simplify_ring(wobbly_square, 2) == [(0, 0), (100, 0), (100, 100), (0, 100)]
    spike = [(0, 0), (50, 0), (51, 40), (52, 0), (100, 0), (100, 100), (0, 100)]
    assert (51, 40) in shapes.simplify_ring(spike, 5)
    assert shapes.simplify_ring(wobbly_square, 0) == wobbly_square


def test_area_and_encoding():
    square = [(10, 10), (30, 10), (30, 40), (10, 40)]
    assert shapes.area(square) == 600 == shapes.area(square[::-1])
    assert shapes.encode(square) == [10, 10, 20, 0, 0, 30, -20, 0]


def test_quantise_drops_the_closing_point_and_merged_neighbours():
    ring = [[10.0, 52.0], [10.00001, 52.0], [10.1, 52.0], [10.1, 52.1], [10.0, 52.0]]
    points = shapes.quantise(ring, 20)
    assert len(points) == 3 and points[0] == (216050, 160500)


def square(lon: float, lat: float, size: float) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def test_a_feature_keeps_its_holes_and_drops_specks_but_never_everything():
    level = build.Level("test", 50, 50_000)
    geometry = {"type": "MultiPolygon", "coordinates": [
        [square(10.0, 52.0, 0.1), square(10.04, 52.04, 0.02)],  # about 7 × 11 km with a 1.4 × 2.2 km hole
        [square(10.5, 52.0, 0.001)],                           # an islet of under 0.01 km²
    ]}
    assert len(build.feature_rings(geometry, level)) == 2
    islet = {"type": "Polygon", "coordinates": [square(10.5, 52.0, 0.001)]}
    assert len(build.feature_rings(islet, level)) == 1


def feature(ars: str, gf: int = 4) -> dict:
    return {"properties": {"ARS": ars, "GF": gf, "GEN": "x", "BEZ": "Kreis"},
            "geometry": {"type": "Polygon", "coordinates": [square(10, 52, 0.1)]}}


def test_the_build_refuses_repeated_keys_and_wrong_counts(tmp_path):
    path = tmp_path / "k.geojson"
    path.write_text(json.dumps({"features": [feature("01001"), feature("01001"), feature("01001", gf=2)]}))
    with pytest.raises(SystemExit, match="repeated"):
        build.read_features(path, 5)
    path.write_text(json.dumps({"features": [feature("01001"), feature("01002", gf=2)]}))
    assert [f["properties"]["ARS"] for f in build.read_features(path, 5)] == ["01001"]
    with pytest.raises(SystemExit, match="16 Länder and 400 Kreise"):
        build.check_keys([feature("01")], [feature("01001")])


def test_the_command_explains_itself(capsys):
    with pytest.raises(SystemExit) as exit_:
        build.main(["--help"])
    assert exit_.value.code == 0 and "--source" in capsys.readouterr().out
