"""How far is my Kommune, on the pages (read-only, on the demo loaded once): /vergleich shows each
area's breadth, depth and peers with the comparison API's numbers; names typed into the form lead
to the shareable address or to choices, never to a guess; every refusal names its field in German
with the API's status; the Gebiet page carries the scorecard; a solution's not-yet-docked list plus
its live units is its eligible units, as the rollout API counts them, page after page."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from api.web import kommune_views as kv
from efa_registry.scorecard import rules

DUISBURG_HAMM = "/vergleich?ars=05112000,05915000"


def rows(page: str, attrs: str, tag: str = "tr") -> list[dict[str, str]]:
    """The data attributes of every ``tag`` (table rows) that carries all of ``attrs`` (space separated)."""
    found = []
    for opening in re.findall(rf"<{tag} ([^>]*)>", page):
        values = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', opening))
        if all(a in values for a in attrs.split()):
            found.append(values)
    return found


def section(page: str, heading_id: str) -> str:
    """The HTML of the section labelled by ``heading_id``, up to the next section of its level."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    end = page.find('<section aria-labelledby="', start + 1)
    return page[start:end if end > 0 else None]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def field_values(page: str) -> list[str]:
    return [unescape(v) for v in re.findall(r'<input id="feld-gebiet-\d+" name="gebiet" type="text" value="([^"]*)"',
                                            page)]


# --------------------------------------------------------------------------- /vergleich


async def test_duisburg_and_hamm_show_breadth_depth_and_peers_as_the_api_counts_them(reader, demo_once):
    page = await reader.get(DUISBURG_HAMM)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    api = (await reader.get("/v1/areas/compare", params={"ars": "05112000,05915000"})).json()["areas"]
    assert "<h1>Duisburg, Stadt und Hamm, Stadt im Vergleich</h1>" in page.text
    overview = rows(page.text, "ars online partial preparation", tag="th")  # one column per area
    assert [r["ars"] for r in overview] == [a["area"]["ars"] for a in api] == ["051120000000", "059150000000"]
    for row, area in zip(overview, api, strict=True):
        s = area["summary"]
        assert (int(row["online"]), int(row["partial"]), int(row["preparation"])) == (
            s["online"], s["partial"], s["inPreparation"])
    assert "Duisburg, Stadt: 2 OZG-Leistungen vollständig online, 1 in Vorbereitung." in text(page.text)
    assert "Hamm, Stadt: keine OZG-Leistung vollständig online, 3 in Vorbereitung." in text(page.text)

    # Depth: one table per Reifegrad model, never one number across both.
    depth = section(page.text, "tiefe")
    table = depth[depth.index('data-model="2.0"'):]
    levels = {int(n): [int(c) for c in re.findall(r'<td class="num">(\d+)</td>', cells)]
              for n, cells in re.findall(r'<tr><th scope="row">Stufe (\d)</th>(.*?)</tr>', table)}
    assert sorted(levels) == list(range(8))
    for column, area in enumerate(api):
        model = next(m for m in area["depth"]["models"] if m["model"] == "2.0")
        shown = [levels[lc["reifegrad"]][column] for lc in model["levels"]]
        assert shown == [lc["leistungen"] for lc in model["levels"]], area["area"]["name"]
    assert "Keine der hier online nutzbaren Leistungen hat einen Reifegrad nach Modell 1.1." in depth

    # Peers: the rule verbatim, the rank, the nearest peers in the API's order with the area itself among them.
    for area in api:
        group = area["peerGroup"]
        block = page.text[page.text.index(f'class="peer-group" data-ars="{area["area"]["ars"]}"'):]
        block = block[:block.find('class="peer-group"', 1) if block.find('class="peer-group"', 1) > 0 else None]
        assert group["rule"]["text"] in unescape(block)
        peers = [r["ars"] for r in rows(block, "ars") if r["ars"] != area["area"]["ars"]]
        assert peers == [p["ars"] for p in group["nearest"]]
    assert "Rang 2 von 11</strong>" in page.text
    assert "Rang 4 von 17 (geteilt mit 13 weiteren Gebieten)</strong>" in page.text
    assert "(dieses Gebiet)" in page.text and 'href="/vergleich?ars=05112000%2C05915000%2C05113000"' in page.text
    assert "halb bis doppelt so viele wie in diesem Gebiet" in page.text  # no article-less official name
    assert '<a href="/vergleich" aria-current="page">Vergleich</a>' in page.text  # in the main menu


async def test_every_page_links_the_comparison_in_the_main_menu(reader, demo_once):
    page = (await reader.get("/rollout")).text
    assert '<a href="/vergleich">Vergleich</a>' in page and '<a href="/rollout" aria-current="page">' in page


async def test_typed_names_lead_to_the_shareable_address(reader, demo_once):
    response = await reader.get("/vergleich", params=[("gebiet", "Duisburg"), ("gebiet", "Hamm, Stadt"),
                                                      ("gebiet", "  ")])
    assert response.status_code == 303
    assert response.headers["location"] == "/vergleich?ars=05112000%2C05915000"
    # The form shows each chosen area with the key that makes it unambiguous, and sends it back as is.
    page = await reader.get(response.headers["location"])
    assert field_values(page.text) == ["Duisburg, Stadt (05112000)", "Hamm, Stadt (05915000)", ""]
    again = await reader.get("/vergleich", params=[("gebiet", v) for v in field_values(page.text)])
    assert again.headers["location"] == response.headers["location"]


async def test_an_ambiguous_name_offers_the_areas_it_may_mean_and_guesses_none(reader, demo_once):
    page = await reader.get("/vergleich", params=[("gebiet", "Duisburg"), ("gebiet", "Hamm")])
    assert page.status_code == 200 and "„Hamm“ passt auf mehrere Gebiete" in page.text
    assert 'aria-invalid="true"' in page.text and 'href="#feld-gebiet-2"' in page.text
    choices = dict((unescape(name), unescape(href)) for href, name in re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a> <span class="muted">', page.text))
    assert set(choices) >= {"Hamm, Stadt", "Hamm"}
    assert "– kreisfreie Stadt in Nordrhein-Westfalen" in page.text
    assert "– Gemeinde in Eifelkreis Bitburg-Prüm, Rheinland-Pfalz" in page.text
    chosen = await reader.get(choices["Hamm, Stadt"])
    assert chosen.status_code == 303 and chosen.headers["location"] == "/vergleich?ars=05112000%2C05915000"


@pytest.mark.parametrize(("typed", "offered", "where"), [
    ("Altona", "Altena, Stadt", "Gemeinde in Märkischer Kreis, Nordrhein-Westfalen"),  # a near miss, not taken
    ("14612", "Dresden, Stadt", "kreisfreie Stadt in Sachsen"),  # a Kreis key, or the Postleitzahl of Falkensee
    ("07318", "Speyer, kreisfreie Stadt", "kreisfreie Stadt in Rheinland-Pfalz"),
    ("Kreis Neustadt", "Neustadt a.d.Aisch-Bad Windsheim", "Kreis in Bayern"),  # not "kreisfreie Stadt"
])
async def test_a_near_miss_or_five_digits_are_offered_never_taken(reader, demo_once, typed, offered, where):
    page = await reader.get("/vergleich", params=[("gebiet", "Duisburg"), ("gebiet", typed)])
    assert page.status_code != 303, "taken without asking"
    text = unescape(page.text)
    assert f">{offered}</a> <span class=\"muted\">– {where}</span>" in text
    if typed.isdigit():
        assert f"„{typed}“ ist der Schlüssel von {offered} – oder eine Postleitzahl?" in text


@pytest.mark.parametrize(("query", "status", "field", "message"), [
    ("ars=05112000,05", 422, 2, "Nordrhein-Westfalen ist ein Land."),
    ("ars=05112000,05999000", 404, 2, "Zum Schlüssel 05999000 gibt es kein Gebiet."),
    ("ars=05112000,bochum", 400, 2, "„bochum“ ist weder ein Regionalschlüssel (ARS) noch ein Gemeindeschlüssel"),
    ("ars=05112000,05112", 400, 2, "Duisburg, Stadt ist bereits ausgewählt."),
    ("ars=051", 422, 1, "ist ein Regierungsbezirk. Verglichen werden Gemeinden"),
    ("gebiet=Duisburg&gebiet=Gibtesnichtstadt", 404, 2, "Kein Gebiet gefunden, das „Gibtesnichtstadt“ heißt."),
    ("gebiet=Duisburg&gebiet=D", 400, 2, "Bitte geben Sie einen Namen mit 2 bis 100 Zeichen ein."),
])
async def test_refusals_name_the_field_in_german_with_the_apis_status(reader, demo_once, query, status, field,
                                                                       message):
    page = await reader.get(f"/vergleich?{query}")
    assert page.status_code == status
    assert f'href="#feld-gebiet-{field}">{field}. Gebiet: ' in page.text
    error = re.search(rf'<p class="error-text" id="feld-gebiet-{field}-fehler">([^<]+)</p>', page.text)
    assert error and message in unescape(error.group(1))
    assert re.search(rf'id="feld-gebiet-{field}"[^>]*aria-invalid="true"', page.text)
    assert "Eingaben prüfen – Kommunen vergleichen" in page.text  # the title says it too
    if "ein Land" in message:
        assert 'href="/laender/05">Zur Rollout-Übersicht des Landes</a>' in page.text


async def test_more_than_ten_areas_are_refused_before_anything_is_looked_up(reader, demo_once):
    eleven = ["05111000", "05112000", "05113000", "05114000", "05116000", "05117000", "05119000", "05120000",
              "05122000", "05124000", "05314000"]
    page = await reader.get("/vergleich?ars=" + ",".join(eleven))
    assert page.status_code == 400
    assert "Es lassen sich höchstens 10 Gebiete vergleichen; angegeben waren 11." in page.text
    assert len(field_values(page.text)) == 10  # the fields keep what was asked for, as far as they reach


async def test_one_area_is_a_start_that_asks_for_a_second(reader, demo_once):
    page = await reader.get("/vergleich?ars=05112000")
    assert page.status_code == 200
    assert field_values(page.text) == ["Duisburg, Stadt (05112000)", ""]
    assert "Für den Vergleich fehlt mindestens ein weiteres Gebiet" in page.text
    empty = await reader.get("/vergleich")
    assert empty.status_code == 200 and field_values(empty.text) == ["", ""]
    assert f'href="{DUISBURG_HAMM}"' in empty.text


def test_sentences_count_in_german():
    assert kv.anzahl(1, "Gemeinde", "Gemeinden") == "1 Gemeinde"
    assert kv.anzahl(10751, "Gemeinde", "Gemeinden") == "10.751 Gemeinden"
    assert kv.einheiten_zahl(1, "kreis") == "1 Kreis oder kreisfreie Stadt"
    assert kv.leistungen(0) == "keine OZG-Leistung" and kv.leistungen(1) == "1 OZG-Leistung"
    assert kv.names(["A", "B", "C"]) == "A, B und C" and kv.names(["A"]) == "A"
    assert rules.in_land("Saarland") == "im Saarland" and rules.in_land("Hessen") == "in Hessen"
    assert "kreisfreien Städten im Saarland mit" in rules.peer_rule_text("kreisfreie_stadt", "Saarland", (1, 2))


# --------------------------------------------------------------------------- Gebiet page


async def test_gebiet_page_shows_the_scorecard_own_and_inherited(reader, demo_once):
    page = (await reader.get("/gebiete/100410100100")).text
    api = (await reader.get("/v1/areas/100410100100/scorecard")).json()
    listed = {r["ozg"]: r for r in rows(section(page, "steckbrief"), "ozg origin coverage")}
    assert set(listed) == {x["ozgId"] for x in api["leistungen"]}
    for leistung in api["leistungen"]:
        assert (listed[leistung["ozgId"]]["origin"], listed[leistung["ozgId"]]["coverage"]) == (
            leistung["origin"], leistung["coverage"])
    assert "geerbt, Nachnutzung durch" in page and ">Regionalverband Saarbrücken</a> (Kreis)" in page
    assert 'href="/vergleich?ars=10041100">Mit anderen Kommunen vergleichen</a>' in page
    assert 'data-model="1.1"' in page and 'data-model="2.0"' in page  # one table per model
    kreis = text(section((await reader.get("/gebiete/10041")).text, "steckbrief"))
    assert "teilweise: 1 von 10 Gemeinden" in kreis


async def test_a_lands_gebiet_page_points_to_its_rollout_overview(reader, demo_once):
    page = await reader.get("/gebiete/05")
    assert page.status_code == 200
    assert 'zeigt seine <a href="/laender/05">Rollout-Übersicht</a>' in section(page.text, "steckbrief")


@pytest.mark.parametrize(("ars", "says"), [
    ("051", "nicht für einen Regierungsbezirk."),
    ("100429999999", "nicht für ein gemeindefreies Gebiet."),
    ("010010000", "Flensburg, Stadt: 2 OZG-Leistungen vollständig online"),  # a Gemeindeverband of one Gemeinde
])
async def test_every_kind_of_area_gets_a_scorecard_or_the_reason_why_not(reader, demo_once, ars, says):
    page = await reader.get(f"/gebiete/{ars}")
    assert page.status_code == 200 and says in text(section(page.text, "steckbrief"))


async def test_preparation_names_who_prepares_and_when(reader, demo_once):
    part = text(section((await reader.get("/gebiete/059150000000")).text, "steckbrief"))
    assert ("Elterngeld (10000) Elterngeld digital (Demo) vereinbart 01.02.2027 Nordrhein-Westfalen"
            " (Land, übergeordnet)") in part
    assert "Wohngeld (10092) Wohngeld-Antrag online (Demo) interessiert noch kein Termin Hamm, Stadt (selbst)" in part


# --------------------------------------------------------------------------- who has not docked yet


async def _missing_pages(reader, url: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The totals of the first page and the rows of every page, following the "Weitere" links."""
    totals, units = None, []
    while url:
        page = await reader.get(url)
        assert page.status_code == 200, url
        part = section(page.text, "nicht-angedockt")
        found = re.search(r'data-eligible="(\d+)" data-covered="(\d+)" data-missing="(\d+)"', part)
        totals = totals or dict(zip(("eligible", "covered", "missing"), map(int, found.groups()), strict=True))
        units += rows(part, "ars status")
        more = re.search(r'<a class="button-link" href="([^"]+)#nicht-angedockt" rel="next">', part)
        url = unescape(more.group(1)) if more else None
    return totals, units


async def test_not_yet_docked_in_nrw_plus_live_is_eligible_as_the_rollout_api_counts(reader, demo_once):
    totals, units = await _missing_pages(reader, "/loesungen/demo-wohngeld-online?nicht-angedockt=05")
    rollout = (await reader.get("/v1/solutions/demo-wohngeld-online/rollout")).json()
    nrw = next(land for land in rollout["lands"] if land["land"] == "05")
    assert (totals["eligible"], totals["covered"]) == (nrw["eligibleUnits"], nrw["coveredUnits"]) == (396, 98)
    assert totals["missing"] + totals["covered"] == totals["eligible"]
    assert len(units) == totals["missing"] == len({u["ars"] for u in units})
    csv = (await reader.get("/v1/solutions/demo-wohngeld-online/rollout/missing.csv?land=05")).text.splitlines()
    assert [u["ars"] for u in units] == [line.split(",")[0] for line in csv[1:]]
    essen = next(u for u in units if u["ars"] == "051130000000")
    assert essen["status"] == "onboarding"
    page = (await reader.get("/loesungen/demo-wohngeld-online?nicht-angedockt=05")).text
    assert "im Onboarding" in page and "keine Nachnutzung erfasst" in page and ">kreisfreie Stadt<" in page
    assert 'href="/v1/solutions/demo-wohngeld-online/rollout/missing.csv?land=05"' in page
    assert '<option value="05" selected>Nordrhein-Westfalen</option>' in page


async def test_a_kreis_covers_its_gemeinden_and_a_land_level_solution_lists_laender(reader, demo_once):
    totals, units = await _missing_pages(reader, "/loesungen/demo-elterngeld-digital")
    assert (totals["eligible"], totals["covered"], totals["missing"]) == (16, 6, 10)
    assert {u["ars"]: u["status"] for u in units}["12"] == "withdrawn"
    page = (await reader.get("/loesungen/demo-elterngeld-digital")).text
    assert "zurückgezogen" in page and "Noch nicht angedockte Länder (Deutschland)" in page
    kreis, listed = await _missing_pages(reader, "/loesungen/demo-wohngeld-online?nicht-angedockt=05162")
    api = (await reader.get("/v1/solutions/demo-wohngeld-online/rollout/missing?kreis=05162")).json()
    assert kreis["missing"] == api["missingUnits"] == len(listed)


async def test_before_a_land_is_chosen_the_page_gives_germanys_totals_and_asks_for_a_land(reader, demo_once):
    page = (await reader.get("/loesungen/demo-wohngeld-online")).text
    part = section(page, "nicht-angedockt")
    national = (await reader.get("/v1/solutions/demo-wohngeld-online/rollout")).json()["national"]
    found = re.search(r'data-eligible="(\d+)" data-covered="(\d+)" data-missing="(\d+)"', part)
    assert tuple(map(int, found.groups())) == (national["eligibleUnits"], national["coveredUnits"],
                                               national["eligibleUnits"] - national["coveredUnits"])
    assert "Wählen Sie ein Land, um zu sehen, welche Gemeinden noch nicht angedockt haben" in part
    assert 'id="nicht-angedockt-tabelle"' not in part and '<option value="" disabled selected>' in part
    # All of Germany on request: the totals of the list are the national rollout figures.
    totals, units = await _missing_pages(reader, "/loesungen/demo-kfz-zulassung?nicht-angedockt=DE")
    kfz = (await reader.get("/v1/solutions/demo-kfz-zulassung/rollout")).json()["national"]
    assert (totals["eligible"], totals["covered"]) == (kfz["eligibleUnits"], kfz["coveredUnits"])
    assert len(units) == totals["missing"] == kfz["eligibleUnits"] - kfz["coveredUnits"]


@pytest.mark.parametrize("query", ["nicht-angedockt=xx", "nicht-angedockt=99",
                                   "nicht-angedockt=05&nicht-angedockt-nach=kaputt"])
async def test_a_bad_list_parameter_is_a_german_error_page(reader, demo_once, query):
    page = await reader.get(f"/loesungen/demo-wohngeld-online?{query}")
    assert page.status_code in (400, 404) and page.headers["content-type"].startswith("text/html")
    assert "Betroffene Angabe: nicht-angedockt" in page.text


async def test_land_page_gaps_are_eligible_minus_live_and_link_to_the_lists(reader, demo_once):
    page = (await reader.get("/laender/05")).text
    overview = (await reader.get("/v1/lands/05/rollout")).json()
    gaps = {r["solution"]: r for r in rows(section(page, "nicht-angedockt-land"), "solution missing")}
    assert len(gaps) == len(overview["solutions"])
    for entry in overview["solutions"]:
        gap = gaps[entry["solution"]["slug"]]
        assert (int(gap["eligible"]), int(gap["covered"])) == (entry["eligibleUnits"], entry["coveredUnits"])
        assert int(gap["missing"]) == entry["eligibleUnits"] - entry["coveredUnits"]
    link = re.search(r'<a href="(/loesungen/demo-kfz-zulassung\?[^"]+)">51<', page)
    assert link and unescape(link.group(1)) == "/loesungen/demo-kfz-zulassung?nicht-angedockt=05#nicht-angedockt"
    target = urlsplit(unescape(link.group(1)))
    totals, _ = await _missing_pages(reader, f"{target.path}?{target.query}")
    assert parse_qs(target.query) == {"nicht-angedockt": ["05"]} and totals["missing"] == 51
