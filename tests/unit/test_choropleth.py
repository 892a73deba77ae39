"""SVG choropleths from the shipped BKG outlines: keys, shapes, words, accessibility, size, CSV."""

from __future__ import annotations

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import seed
from api.web import choropleth, geodata
from api.web.choropleth import Shade
from api.web.maps import LEGEND, colour_class

SEED_DIR = Path(next(iter(seed.__path__)))

SVG = "{http://www.w3.org/2000/svg}"
# Kreise and kreisfreie Städte per Land, GV100AD 30.11.2025 (the shipped edition).
KREISE_PER_LAND = {"01": 15, "02": 1, "03": 45, "04": 2, "05": 53, "06": 26, "07": 36, "08": 44, "09": 96,
                   "10": 6, "11": 1, "12": 18, "13": 8, "14": 13, "15": 14, "16": 22}
LEVELS = ("overview", "detail")


def satzart_keys(text: str, satzart: str, length: int) -> set[str]:
    return {line[10:10 + length] for line in text.splitlines() if line[:2] == satzart}


def shades(layer: str, level: str = "overview") -> dict[str, Shade]:
    """A realistic sentence and a spread of shares for every area of a layer."""
    result = {}
    for i, (ars, shape) in enumerate(geodata.shapes(level, layer).items()):
        live, eligible = i % 26, 25
        share = None if i % 17 == 0 else min(live, eligible) / eligible
        result[ars] = Shade(share=share, live=min(live, eligible), eligible=eligible,
                            label=f"{shape.name}: {i % 100} % live ({min(live, eligible)} von 25 Gemeinden)")
    return result


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.removeprefix('<?xml version="1.0" encoding="UTF-8"?>\n'))


def areas(root: ET.Element) -> list[ET.Element]:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "areas")
    return list(group)


def area_path(element: ET.Element) -> ET.Element:
    return element if element.tag == f"{SVG}path" else element.find(f"{SVG}path")


def rings(d: str) -> list[list[tuple[int, int]]]:
    """Absolute points of ``M x y l dx dy … z`` path data."""
    result = []
    for ring in re.findall(r"M([^z]*)z", d):
        start, steps = ring.split("l")
        x, y = map(int, start.split())
        numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
        points = [(x, y)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        result.append(points)
    return result


def centre(d: str) -> tuple[float, float]:
    points = [p for ring in rings(d) for p in ring]
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


# --------------------------------------------------------------------------- the shipped geometry

@pytest.mark.parametrize("level", LEVELS)
def test_the_shipped_geometry_has_the_16_laender_and_400_kreise(level):
    laender, kreise = geodata.shapes(level, "laender"), geodata.shapes(level, "kreise")
    shipped = csv.DictReader(io.StringIO((SEED_DIR / "laender.csv").read_text(encoding="utf-8")))
    assert set(laender) == {row["ars"] for row in shipped}
    assert len(kreise) == 400 and all(re.fullmatch(r"\d{5}", k) for k in kreise)
    assert {land: sum(k[:2] == land for k in kreise) for land in laender} == KREISE_PER_LAND
    assert all(shape.rings and all(len(r) >= 3 for r in shape.rings) for shape in [*laender.values(), *kreise.values()])


@pytest.mark.parametrize("level", LEVELS)
def test_the_shipped_geometry_carries_its_attribution(level):
    meta = geodata.document(level)["meta"]
    assert meta["attribution"] == "© GeoBasis-DE / BKG 2023 (Daten verändert)"
    assert meta["licence_url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert (meta["crs"], meta["level"]) == ("EPSG:3035", level)


def test_the_kreis_keys_are_the_satzart_40_keys_of_the_shipped_gv100ad():
    shipped = sorted((SEED_DIR / "reference").glob("GV100AD_*.txt.gz"))
    assert shipped, "the package ships a GV100AD edition"
    text = gzip.decompress(shipped[-1].read_bytes()).decode("utf-8-sig", errors="replace")
    assert set(geodata.shapes("detail", "kreise")) == satzart_keys(text, "40", 5)
    assert set(geodata.shapes("detail", "laender")) == satzart_keys(text, "10", 2)



# --------------------------------------------------------------------------- the maps

KINDS = [("germany_by_land", None, "laender", "overview"), ("germany_by_kreis", None, "kreise", "overview"),
         ("land_by_kreis", "05", "kreise", "detail"), ("land_by_kreis", "11", "kreise", "detail")]


@pytest.mark.parametrize(("kind", "land", "layer", "level"), KINDS)
def test_every_area_is_a_path_with_its_words(kind, land, layer, level):
    values = shades(layer, level)
    root = parse(choropleth.svg_document(kind, values, title="Wohngeld: Anteil live", land=land))
    expected = {k for k in values if land is None or k[:2] == land}
    seen = {}
    for element in areas(root):
        path = area_path(element)
        assert re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", path.get("d")), path.get("d")[:80]
        assert element.get("aria-label") == element.find(f"{SVG}title").text == values[path.get("data-ars")].label
        seen[path.get("data-ars")] = path
    assert set(seen) == expected
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Wohngeld: Anteil live"
    assert root.get("aria-labelledby") == root.find(f"{SVG}title").get("id")


@pytest.mark.parametrize("land", sorted(KREISE_PER_LAND))
def test_a_land_map_shows_only_that_lands_kreise_and_its_outline(land):
    root = parse(choropleth.svg_document("land_by_kreis", {}, title="Karte", land=land))
    keys = [area_path(e).get("data-ars") for e in areas(root)]
    assert len(keys) == KREISE_PER_LAND[land] and all(k[:2] == land for k in keys)
    outline = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "outline")
    assert len(outline) == 1 and outline.get("fill") == "none"


def test_missing_values_read_keine_angaben_and_show_as_without_units():
    root = parse(choropleth.svg_document("land_by_kreis", {}, title="Karte", land="01"))
    first = areas(root)[0]
    assert first.get("aria-label") == "Flensburg (Kreisfreie Stadt): keine Angaben"
    assert first.get("fill") == colour_class(None).fill and first.get("stroke-dasharray")


def test_colour_classes_come_with_a_texture_and_the_legend_shows_them():
    values = {"01001": Shade(share=0.3, label="a"), "01002": Shade(share=1.0, label="b"),
              "01003": Shade(share=0.0, label="c")}
    root = parse(choropleth.svg_document("land_by_kreis", values, title="Karte", land="01"))
    fills = {area_path(e).get("data-ars"): area_path(e).get("fill") for e in areas(root)}
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert fills["01001"] == "url(#karte-01-k2)" and "karte-01-k2" in patterns
    assert fills["01003"] == "url(#karte-01-k0)" and "karte-01-k0" in patterns
    assert fills["01002"] == colour_class(1.0).fill  # flächendeckend is solid, the darkest
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")][1:] == [c.label for c in LEGEND]
    assert {r.get("fill") for r in legend.iter(f"{SVG}rect")} >= {f"url(#karte-01-{k})" for k in choropleth.MARKS}


def test_germany_is_drawn_north_up_unmirrored_and_unsquashed():
    root = parse(choropleth.svg_document("germany_by_land", {}, title="Karte"))
    centres = {area_path(e).get("data-ars"): centre(area_path(e).get("d")) for e in areas(root)}
    assert centres["01"][1] < centres["09"][1]  # Schleswig-Holstein above Bayern
    assert centres["05"][0] < centres["14"][0]  # Nordrhein-Westfalen west of Sachsen
    points = [p for e in areas(root) for ring in rings(area_path(e).get("d")) for p in ring]
    width = max(x for x, _ in points) - min(x for x, _ in points)
    height = max(y for _, y in points) - min(y for _, y in points)
    assert 1.30 < height / width < 1.40  # 867 km north–south, 641 km west–east


def test_holes_stay_open():
    root = parse(choropleth.svg_document("land_by_kreis", {}, title="Karte", land="12"))
    outline = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "outline")
    assert len(rings(outline[0].get("d"))) >= 2  # Brandenburg around Berlin
    assert {g.get("fill-rule") for g in root.iter(f"{SVG}g") if g.get("class") in ("areas", "outline")} == {"evenodd"}
    root = parse(choropleth.svg_document("land_by_kreis", {}, title="Karte", land="09"))
    d = {area_path(e).get("data-ars"): area_path(e).get("d") for e in areas(root)}
    city = centre(d["09163"])  # kreisfreie Stadt Rosenheim inside the Landkreis Rosenheim
    hole = min(rings(d["09187"])[1:], key=lambda r: abs(sum(x for x, _ in r) / len(r) - city[0]))
    xs, ys = [x for x, _ in hole], [y for _, y in hole]
    assert min(xs) < city[0] < max(xs) and min(ys) < city[1] < max(ys)


def test_links_make_each_area_a_named_link_and_the_map_a_group():
    markup = choropleth.render_map("germany_by_land", shades("laender"), title="Karte",
                                   link=lambda ars: None if ars == "02" else f"/laender/{ars}?a=1&b=2")
    root = ET.fromstring(markup)
    svg = root.find(f"{SVG}svg")
    assert root.tag == "figure" and svg.get("role") == "group"
    elements = areas(svg)
    links = [e for e in elements if e.tag == f"{SVG}a"]
    assert len(links) == 15 and links[0].get("href") == "/laender/01?a=1&b=2"
    assert [e.tag for e in elements if area_path(e).get("data-ars") == "02"] == [f"{SVG}path"]
    assert all(e.get("aria-label") == e.find(f"{SVG}title").text for e in links)


def test_the_attribution_links_the_bkg_under_the_map_and_inside_the_file():
    caption = ET.fromstring(choropleth.render_map("germany_by_kreis", {}, title="Karte")).find("figcaption")
    link = caption.find("a")
    assert (link.get("href"), link.text) == ("https://www.bkg.bund.de", "© GeoBasis-DE / BKG 2023 (Daten verändert)")
    assert "Datenlizenz Deutschland – Namensnennung – 2.0" in ET.tostring(caption, encoding="unicode")
    document = choropleth.svg_document("germany_by_kreis", {}, title="Karte")
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    inside = [a for a in parse(document).iter(f"{SVG}a") if a.get("href") == "https://www.bkg.bund.de"]
    assert inside and "© GeoBasis-DE / BKG 2023 (Daten verändert)" in inside[0].find(f"{SVG}text").text


def test_words_are_escaped():
    values = {"05": Shade(share=0.5, label='NRW: "50 %" <live> & mehr')}
    root = parse(choropleth.svg_document("germany_by_land", values, title="A & B <c>"))
    assert root.find(f"{SVG}title").text == "A & B <c>"
    assert next(e for e in areas(root) if area_path(e).get("data-ars") == "05").get("aria-label") == values["05"].label


@pytest.mark.parametrize(("kind", "land", "budget"), [
    ("germany_by_kreis", None, 280_000), ("germany_by_land", None, 60_000), ("land_by_kreis", "09", 160_000),
    ("land_by_kreis", "05", 80_000),
])
def test_maps_stay_within_their_size_budget(kind, land, budget):
    layer, level = ("laender", "overview") if kind == "germany_by_land" else ("kreise", STYLE_LEVEL[kind])
    values = shades(layer, level)
    inline = choropleth.render_map(kind, values, title="Karte", land=land, link=lambda ars: f"/gebiete/{ars}")
    document = choropleth.svg_document(kind, values, title="Karte", land=land)
    assert len(inline.encode()) < budget and len(document.encode()) < budget


STYLE_LEVEL = {kind: style.level for kind, style in choropleth.STYLES.items()}


def test_rendering_is_deterministic():
    first = choropleth.svg_document("germany_by_kreis", shades("kreise"), title="Karte")
    geodata.document.cache_clear()
    geodata.shapes.cache_clear()
    assert choropleth.svg_document("germany_by_kreis", shades("kreise"), title="Karte") == first


@pytest.mark.parametrize(("kind", "land"), [("germany_by_kreis", "05"), ("land_by_kreis", None),
                                            ("land_by_kreis", "17"), ("germany_by_gemeinde", None)])
def test_a_map_needs_a_known_kind_and_a_land_exactly_for_land_maps(kind, land):
    with pytest.raises(ValueError):
        choropleth.render_map(kind, {}, title="Karte", land=land)


# --------------------------------------------------------------------------- CSV

def test_the_csv_has_german_headers_one_row_per_area_and_spreadsheet_numbers():
    values = {"05111": Shade(share=3 / 25, live=3, eligible=25, label="x", name="Düsseldorf, Stadt"),
              "05112": Shade(share=0.29, label="y"), "05113": Shade(share=0.99996, label="z"),
              "05999": Shade(share=0.5, live=1, eligible=2, label="neu", name="Neuer Kreis"),
              "06411": Shade(share=1.0, label="anderes Land")}
    text = choropleth.figures_csv("land_by_kreis", values, land="05")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows[0] == ["Regionalschlüssel (ARS)", "Gebiet", "Einheiten live", "berechtigte Einheiten",
                       "Anteil live (%)", "Farbklasse"]
    by_key = {r[0]: r for r in rows[1:]}
    assert len(rows) == 1 + 53 + 1 and "06411" not in by_key  # NRW's Kreise, plus one the map lacks
    assert by_key["05111"] == ["05111", "Düsseldorf, Stadt", "3", "25", "12,00", colour_class(0.12).label]
    assert by_key["05112"][4] == "29,00"  # not 28,99 from 0.29 · 10000
    assert by_key["05113"][4] == "99,99"  # cut, not rounded up to a complete rollout
    assert by_key["05999"][1:5] == ["Neuer Kreis", "1", "2", "50,00"]
    assert by_key["05334"][1:] == ["Städteregion Aachen (Kreis)", "", "", "", "keine Angaben"]
    assert [r[0] for r in rows[1:]] == sorted(by_key)


def test_the_csv_of_germany_by_land_has_16_rows():
    text = choropleth.figures_csv("germany_by_land", {"09": Shade(share=None, label="Bayern")})
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == 17
    assert rows[9] == ["09", "Bayern", "", "", "", "keine berechtigten Einheiten"]


def test_the_shipped_files_are_package_data_of_seed_geo():
    assert Path(geodata.GEO_DIR).resolve() == (SEED_DIR / "geo").resolve()
    assert sorted(p.name for p in Path(geodata.GEO_DIR).glob("*.json.gz")) == [
        "vg250_detail.json.gz", "vg250_overview.json.gz"]
