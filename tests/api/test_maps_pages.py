"""The maps on the pages, server-side, on the demo loaded once: every area's colour class is the one
the API's figures give, Kreise link to their Gebiet pages, and the SVG and CSV downloads are the
map the page shows (content types, row counts, a parseable SVG with its attribution)."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from api.web.maps import colour_class
from tests.api.test_page_language import assert_german
from tests.api.test_web_pages import map_areas

SVG = "{http://www.w3.org/2000/svg}"


def classes(html: str) -> dict[str, str]:
    return {ars: cls for ars, (cls, _) in map_areas(html).items()}


def expected(items: list[dict], key: str) -> dict[str, str]:
    return {item[key]: colour_class(item["shareByCount"]).key for item in items}


@pytest.mark.parametrize("slug", ["demo-gewerbeanmeldung", "demo-wohngeld-online", "demo-digitaler-bauantrag",
                                  "demo-kfz-zulassung", "demo-elterngeld-digital"])
async def test_germany_by_land_has_the_colour_of_the_apis_share_in_every_land(reader, slug):
    api = (await reader.get(f"/v1/solutions/{slug}/rollout")).json()
    for url in (f"/rollout?loesung={slug}", f"/loesungen/{slug}"):
        assert classes((await reader.get(url)).text) == expected(api["lands"], "land"), url


async def test_known_demo_figures_on_the_maps(reader):
    saar = map_areas((await reader.get("/rollout?loesung=demo-gewerbeanmeldung")).text)["10"]
    assert saar == ("k5", "Saarland: 52 von 52 Gemeinden live (100\u00a0%), flächendeckend")
    mv = (await reader.get("/laender/13?loesung=demo-digitaler-bauantrag")).text
    api = (await reader.get("/v1/solutions/demo-digitaler-bauantrag/rollout?land=13&by=kreis")).json()
    assert classes(mv) == expected(api["kreise"], "ars") == {k["ars"]: "k5" for k in api["kreise"]}
    assert len(api["kreise"]) == 8
    assert all(f'href="/gebiete/{k["ars"]}"' in mv for k in api["kreise"])


async def test_a_kreis_of_nrw_has_its_share_of_gemeinden_live(reader):
    page = (await reader.get("/laender/05?loesung=demo-wohngeld-online")).text
    api = (await reader.get("/v1/solutions/demo-wohngeld-online/rollout?land=05&by=kreis")).json()["kreise"]
    assert classes(page) == expected(api, "ars") and len(api) == 53
    partial = next(k for k in api if 0 < k["coveredUnits"] < k["eligibleUnits"] and k["eligibleUnits"] > 1)
    cls, label = map_areas(page)[partial["ars"]]
    assert cls not in ("k0", "k5", "na")
    assert label.startswith(f"{partial['name']}: {partial['coveredUnits']} von {partial['eligibleUnits']} Gemeinden")
    row = re.search(rf'<tr data-ars="{partial["ars"]}">.*?</tr>', page, re.S).group()
    assert f'href="/gebiete/{partial["ars"]}"' in row and f"{partial['coveredUnits']} von" in row


async def test_germany_by_kreis_matches_the_drill_down_of_every_land(reader):
    page = (await reader.get("/rollout?loesung=demo-digitaler-bauantrag&ebene=kreis")).text
    found = classes(page)
    assert len(found) == 400
    for land in ("13", "12", "10", "01"):
        api = (await reader.get(f"/v1/solutions/demo-digitaler-bauantrag/rollout?land={land}&by=kreis")).json()
        assert {k: v for k, v in found.items() if k[:2] == land} == expected(api["kreise"], "ars"), land
    assert 'aria-current="true">nach Kreisen</a>' in page and 'href="#tabelle">Karte überspringen' in page


async def test_an_ozg_leistung_on_the_land_page_counts_its_solutions(reader):
    ozg = (await reader.get("/v1/ozg-leistungen/10092/rollout")).json()
    (only,) = [s["slug"] for s in ozg["solutions"]]  # Wohngeld has one demo solution: its Kreise are the union
    api = (await reader.get(f"/v1/solutions/{only}/rollout?land=05&by=kreis")).json()["kreise"]
    page = (await reader.get("/laender/05?ozg=10092")).text
    assert classes(page) == expected(api, "ars")
    assert '<option value="10092" selected>' in page


async def test_a_land_level_rollout_has_no_kreis_map_and_says_why(reader):
    page = (await reader.get("/laender/11?loesung=demo-elterngeld-digital")).text
    assert "auf Landesebene ausgerollt und hier live" in page and 'class="choropleth"' not in page
    assert (await reader.get("/laender/11/karte.svg?loesung=demo-elterngeld-digital")).status_code == 404
    rollout = (await reader.get("/rollout?loesung=demo-elterngeld-digital&ebene=kreis")).text
    assert len(classes(rollout)) == 16 and "eine Karte nach Kreisen gibt es nicht" in rollout


@pytest.mark.parametrize(("url", "rows", "file"), [
    ("/rollout/karte.csv?loesung=demo-wohngeld-online", 16, "rollout-demo-wohngeld-online-laender.csv"),
    ("/rollout/karte.csv?loesung=demo-wohngeld-online&ebene=kreis", 400, "rollout-demo-wohngeld-online-kreise.csv"),
    ("/rollout/karte.csv?themenfeld=bauen-wohnen", 16, "rollout-bauen-wohnen-laender.csv"),
    ("/laender/13/karte.csv?loesung=demo-digitaler-bauantrag", 8, "13-demo-digitaler-bauantrag-kreise.csv"),
    ("/laender/05/karte.csv?ozg=10092", 53, "05-10092-kreise.csv"),
])
async def test_the_csv_has_a_row_per_area_with_the_apis_figures(reader, url, rows, file):
    response = await reader.get(url)
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="{file}"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:2] == ["Regionalschlüssel (ARS)", "Gebiet"] and len(table) == rows + 1


async def test_the_csv_numbers_are_the_apis(reader):
    api = (await reader.get("/v1/solutions/demo-wohngeld-online/rollout")).json()["lands"]
    table = list(csv.reader(io.StringIO((await reader.get("/rollout/karte.csv?loesung=demo-wohngeld-online"))
                                        .content.decode("utf-8-sig")), delimiter=";"))[1:]
    assert [(r[0], int(r[2]), int(r[3])) for r in table] == [(x["land"], x["coveredUnits"], x["eligibleUnits"])
                                                             for x in api]
    nrw = next(r for r in table if r[0] == "05")
    assert re.fullmatch(r"\d+,\d\d", nrw[4]) and nrw[5] == colour_class(api[4]["shareByCount"]).label


@pytest.mark.parametrize("url", ["/rollout/karte.svg?loesung=demo-gewerbeanmeldung",
                                 "/rollout/karte.svg?ozg=10294&ebene=kreis",
                                 "/laender/10/karte.svg?loesung=demo-gewerbeanmeldung"])
async def test_the_svg_is_a_standalone_file_with_title_legend_and_attribution(reader, url):
    response = await reader.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title").text.startswith("Karte")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any("© GeoBasis-DE / BKG 2023 (Daten verändert)" in (t or "") for t in texts)
    assert any((t or "").startswith("Legende: ") for t in texts)
    assert not [a for a in root.iter(f"{SVG}a") if a.get("href", "").startswith("/")]  # no links that break


async def test_the_downloads_sit_next_to_the_map_with_the_pages_query(reader):
    for url, query in [
        ("/rollout?loesung=demo-kita-platz&ebene=kreis", "/rollout/karte.{}?loesung=demo-kita-platz&amp;ebene=kreis"),
        ("/laender/10", "/laender/10/karte.{}?loesung=demo-gewerbeanmeldung"),
        ("/loesungen/demo-kfz-zulassung", "/rollout/karte.{}?loesung=demo-kfz-zulassung"),
    ]:
        page = (await reader.get(url)).text
        around = page.split('class="choropleth-map"', 1)[1].split("</div>", 3)
        for extension in ("svg", "csv"):
            assert f'href="{query.format(extension)}"' in "".join(around), (url, extension)
        assert ('<figcaption class="map-source">Kartengrundlage: <a href="https://www.bkg.bund.de">'
                "© GeoBasis-DE / BKG 2023 (Daten verändert)</a>") in page  # under the map, linked


async def test_a_bad_map_level_is_a_german_400_page(reader):
    for url in ("/rollout?ebene=gemeinde", "/rollout/karte.svg?ebene=gemeinde"):
        response = await reader.get(url)
        assert response.status_code == 400 and "Ungültige Anfrage" in response.text, url


@pytest.mark.parametrize("url", [
    "/rollout?loesung=demo-wohngeld-online&ebene=kreis", "/rollout?ozg=10294&ebene=kreis",
    "/laender/13?loesung=demo-digitaler-bauantrag", "/laender/11?loesung=demo-elterngeld-digital",
    "/barrierefreiheit", "/impressum", "/datenschutz"])
async def test_the_new_pages_read_german(reader, url):
    response = await reader.get(url)
    assert response.status_code == 200
    assert_german(url, response.text)
