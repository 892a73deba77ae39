"""The public pages, server-side and read-only, on the demo loaded once for the module: the same
figures as the API, German HTML errors, nothing from other hosts, and the page defects fixed."""

from __future__ import annotations

import re

import pytest

from api.web import maps, texts
from tests.api.test_web_pages import map_areas, names

HTML = "text/html"


async def test_catalogue_lists_what_the_api_finds_with_status_and_reifegrad(reader, demo_once):
    page = await reader.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith(HTML)
    api = (await reader.get("/v1/solutions", params={"limit": 100})).json()
    assert names(page.text) == [s["name"] for s in api["items"]]
    assert "13 Lösungen gefunden" in page.text
    assert "Status: <span class=\"badge badge-available\">verfügbar</span>" in page.text
    assert "Reifegrad 3 (Modell 1.1, höchste Stufe 4)" in page.text


async def test_facet_links_narrow_the_results_like_the_api_filters(reader, demo_once):
    page = await reader.get("/", params={"themenfeld": "bauen-wohnen", "status": "available"})
    api = (await reader.get("/v1/solutions", params={"themenfeld": "bauen-wohnen", "status": "available"})).json()
    assert names(page.text) == [s["name"] for s in api["items"]]
    assert "Digitaler Bauantrag (Demo)" in names(page.text) and len(names(page.text)) < 13
    # The selected value links back to the page without it (unselect), counts are the core's facet counts.
    link = re.search(r'<a href="([^"]+)" class="facet-link is-selected"\s+data-value="bauen-wohnen"', page.text)
    assert link and "themenfeld" not in link.group(1).replace("&amp;", "&").split("?", 1)[1]
    response = await reader.get("/v1/solutions", params={"status": "available", "facets": "themenfeld",
                                                         "themenfeld": "bauen-wohnen"})
    assert response.status_code == 200, response.text
    facets = response.json()["facets"]
    for facet in facets["themenfeld"]:
        count = re.search(rf'data-value="{facet["value"]}"[^>]*>.*?<span class="count">\((\d+)\)', page.text, re.S)
        assert count and int(count.group(1)) == facet["count"], facet


async def test_more_results_follow_the_keyset_cursor(reader, demo_once, monkeypatch):
    from api.web import controller

    monkeypatch.setattr(controller, "PAGE_SIZE", 5)
    seen, url = [], "/"
    while url:
        page = await reader.get(url)
        seen += names(page.text)
        more = re.search(r'<a class="button-link" href="([^"]+)" rel="next">Weitere Ergebnisse', page.text)
        url = more.group(1).replace("&amp;", "&") if more else None
    api = (await reader.get("/v1/solutions", params={"limit": 100})).json()
    assert seen == [s["name"] for s in api["items"]] and len(seen) == 13


async def test_solution_page_shows_rollout_map_and_table_with_the_cores_figures(reader, demo_once):
    page = await reader.get("/loesungen/demo-gewerbeanmeldung")
    assert page.status_code == 200
    from efa_registry.rollout.service import solution_rollout

    rollout = await solution_rollout("demo-gewerbeanmeldung")
    found = map_areas(page.text)
    for lf in rollout.lands:
        share = lf.figures.share_by_count
        assert found[lf.land.code][0] == maps.colour_class(share).key, lf.land.code
        assert found[lf.land.code][1].startswith(f"{lf.land.name}: ")
    assert found["10"] == ("k5", "Saarland: 52 von 52 Gemeinden live (100\u00a0%), flächendeckend")
    assert 'href="/v1/solutions/demo-gewerbeanmeldung/publiccode.yml"' in page.text
    assert 'href="/v1/solutions/demo-gewerbeanmeldung"' in page.text
    first = (await reader.get("/v1/solutions/demo-gewerbeanmeldung/adoptions")).json()["items"][0]
    assert f'href="/gebiete/{first["area"]["ars"]}"' in page.text  # the adopters, in the API's order


async def test_rollout_page_for_a_solution_an_ozg_leistung_and_a_themenfeld(reader, demo_once):
    for params, expected in [({}, "Lösung:"), ({"loesung": "demo-wohngeld-online"}, "Inbetriebnahmen pro Monat"),
                             ({"ozg": "10294"}, "OZG-Leistung: "), ({"themenfeld": "familie-kind"}, "Themenfeld: ")]:
        page = await reader.get("/rollout", params=params)
        assert page.status_code == 200, params
        assert expected in page.text
        assert len(map_areas(page.text)) == 16
    saar = map_areas((await reader.get("/rollout", params={"ozg": "10294"})).text)["10"]
    assert saar == ("k5", "Saarland: 52 von 52 Gemeinden live (100\u00a0%), flächendeckend")


async def test_land_and_area_pages_show_use_plans_and_inherited_coverage(reader, demo_once):
    land = await reader.get("/laender/10")
    assert land.status_code == 200 and "Gewerbeanmeldung digital (Demo)" in land.text
    assert (await reader.get("/laender/DE-SL")).text == land.text
    area = await reader.get("/gebiete/100410100100")
    inherited = area.text.split('id="geerbt"', 1)[1]
    assert "Digitaler Bauantrag (Demo)" in inherited and "geerbt" in inherited
    assert "Regionalverband Saarbrücken" in inherited
    own = area.text.split('id="eigene"', 1)[1].split('id="geerbt"', 1)[0]
    assert "Gewerbeanmeldung digital (Demo)" in own


async def test_land_page_shows_the_widest_spread_first_and_everything_on_request(reader, demo_once, monkeypatch):
    from api.web import controller

    monkeypatch.setattr(controller, "LAND_ROWS", 1)
    short = (await reader.get("/laender/10")).text.split('id="im-einsatz"', 1)[1].split("</section>", 1)[0]
    assert "Gewerbeanmeldung digital (Demo)" in short and "Digitaler Bauantrag (Demo)" not in short
    # Live in the Saarland: Gewerbeanmeldung (52 of 52), Bauantrag (1 of 6 Kreise), Wohngeld (Saarbrücken).
    assert 'href="/laender/10?alle=1#im-einsatz">Alle 3 anzeigen' in short
    full = (await reader.get("/laender/10?alle=1")).text.split('id="im-einsatz"', 1)[1].split("</section>", 1)[0]
    assert "Digitaler Bauantrag (Demo)" in full and "?alle=1" not in full


@pytest.mark.parametrize("url", ["/loesungen/gibt-es-nicht", "/laender/99", "/gebiete/999999999999"])
async def test_missing_things_are_german_html_404_pages(reader, demo_once, url):
    page = await reader.get(url)
    assert page.status_code == 404 and page.headers["content-type"].startswith(HTML)
    assert "<h1>Nicht gefunden</h1>" in page.text
    api = await reader.get("/v1/solutions/gibt-es-nicht")
    assert api.headers["content-type"].startswith("application/problem+json")


async def test_bad_query_value_is_a_german_400_page_and_unknown_parameters_are_ignored(reader, demo_once):
    assert (await reader.get("/", params={"status": "verschollen"})).status_code == 400
    assert "Ungültige Anfrage" in (await reader.get("/", params={"status": "verschollen"})).text
    assert (await reader.get("/", params={"utm_source": "newsletter"})).status_code == 200


async def test_pages_load_nothing_from_other_hosts(reader, demo_once):
    for url in ["/", "/loesungen/demo-wohngeld-online", "/rollout", "/laender/05", "/kuratierung"]:
        html = (await reader.get(url)).text
        assets = re.findall(r'<(?:link|script|img)[^>]+(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/") for a in assets), (url, assets)
        for asset in assets:
            assert (await reader.get(asset)).status_code == 200, asset


async def test_land_page_lists_preparation_also_where_the_solution_is_live_elsewhere(reader, demo_once):
    page = (await reader.get("/laender/10")).text
    planned = page.split('id="geplant"')[1].split("</section>")[0]
    live = page.split('id="im-einsatz"')[1].split("</section>")[0]
    assert "Digitaler Bauantrag (Demo)" in live  # Regionalverband Saarbrücken is live …
    assert "Digitaler Bauantrag (Demo)" in planned and "1 im Onboarding" in planned  # … Merzig-Wadern onboarding


async def test_area_pages_name_their_parent_and_a_land_lists_its_kreise(reader, demo_once):
    gemeinde = (await reader.get("/gebiete/051120000000")).text
    assert re.search(r'Gehört zu</dt><dd><a href="/gebiete/051120000">Duisburg, Stadt</a> \(Gemeindeverband\)',
                     gemeinde)
    land = (await reader.get("/gebiete/10")).text
    kreise = land.split('id="untergliederung"')[1]
    assert re.findall(r'<li><a href="/gebiete/(\d{5})">', kreise) == [f"1004{n}" for n in range(1, 7)]
    verband = (await reader.get("/gebiete/10041")).text  # Regionalverband Saarbrücken: no article of its own
    assert '<h2 id="untergliederung">Untergeordnete Gebiete</h2>' in verband


async def test_rollout_opens_on_a_solution_that_is_live_somewhere(reader, demo_once):
    page = (await reader.get("/rollout")).text
    assert 'id="auswahl"' in page and "0 von" not in page.split('id="auswahl"')[1][:600]


async def test_favicon_and_a_way_back_from_the_api_docs(reader, demo_once):
    icon = await reader.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO container
    spec = (await reader.get("/schema/openapi.json")).json()
    assert "](/)" in spec["info"]["description"]


async def test_empty_and_zero_mean_different_things_on_the_map(reader, demo_once):
    # Land-level Elterngeld: Berlin live (100 %), Brandenburg withdrawn (0 %): "–" only where nothing is eligible.
    assert texts.prozent(None) == "–" and texts.prozent(0.0) == "0\u00a0%"
    found = map_areas((await reader.get("/rollout", params={"loesung": "demo-elterngeld-digital"})).text)
    assert found["12"] == ("k0", "Brandenburg: noch nicht live") and found["11"] == ("k5", "Berlin: live")


async def test_the_catalogue_page_names_the_words_the_catalogue_does_not_know(reader, demo_once):
    page = await reader.get("/", params={"q": "Kita Qwxzvb"})
    assert page.status_code == 200
    assert "„qwxzvb“\n      kommt im Katalog nicht vor." in page.text
    assert "Kita-Platz" in page.text or "Kita" in " ".join(names(page.text))
