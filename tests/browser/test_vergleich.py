"""How far is my Kommune, in a real browser: from Duisburg's Gebiet page to the comparison with
Hamm by typing a name and choosing among the areas it may mean; the not-yet-docked list by the
Land selector and its pages; headings in order and no serious axe finding on these pages."""

from __future__ import annotations

import itertools
import re

from tests.browser import axe
from tests.browser.conftest import screenshot

PAGES = {
    "vergleich": "/vergleich?ars=05112000,05915000",
    "vergleich-leer": "/vergleich",
    "vergleich-auswahl": "/vergleich?gebiet=Duisburg&gebiet=Hamm",
    "vergleich-fehler": "/vergleich?ars=05112000,05,abc",
    "gebiet-steckbrief": "/gebiete/051120000000",
    "gebiet-kreis-steckbrief": "/gebiete/10041",
    "gebiet-land": "/gebiete/05",
    "loesung-nicht-angedockt": "/loesungen/demo-wohngeld-online?nicht-angedockt=05",
    "loesung-nicht-angedockt-laender": "/loesungen/demo-elterngeld-digital",
    "land-nrw": "/laender/05",
}


async def test_from_duisburg_to_the_comparison_with_hamm_by_typing_a_name(page):
    await page.goto("/gebiete/051120000000")
    await page.get_by_role("link", name="Mit anderen Kommunen vergleichen").click()
    await page.wait_for_url(re.compile(r"/vergleich\?ars=05112000$"))
    assert await page.get_by_label("1. Gebiet").input_value() == "Duisburg, Stadt (05112000)"
    await page.get_by_label("2. Gebiet").fill("Hamm")
    await page.get_by_role("button", name="Vergleichen").click()
    await page.wait_for_url(re.compile(r"gebiet=Hamm"))
    assert "„Hamm“ passt auf mehrere Gebiete" in await page.locator(".notice-error").inner_text()
    await screenshot(page, "vergleich-mehrdeutig")
    await page.get_by_role("link", name="Hamm, Stadt", exact=True).click()
    await page.wait_for_url(re.compile(r"/vergleich\?ars=05112000%2C05915000$"))
    assert await page.locator("h1").inner_text() == "Duisburg, Stadt und Hamm, Stadt im Vergleich"
    api = await (await page.request.get("/v1/areas/compare?ars=05112000,05915000")).json()
    shown = await page.locator("#ueberblick-tabelle thead th[data-ars]").evaluate_all(
        "hs => hs.map(h => [h.dataset.ars, Number(h.dataset.online), Number(h.dataset.preparation)])")
    assert shown == [[a["area"]["ars"], a["summary"]["online"], a["summary"]["inPreparation"]] for a in api["areas"]]
    await screenshot(page, "vergleich-duisburg-hamm")
    # A peer joins the comparison with one click, and leaves it with another.
    await page.get_by_role("link", name="Essen, Stadt zum Vergleich hinzufügen").click()
    await page.wait_for_url(re.compile(r"ars=05112000%2C05915000%2C05113000$"))
    assert await page.locator("#ueberblick-tabelle thead th[data-ars]").count() == 3
    await page.get_by_role("link", name="Hamm, Stadt aus dem Vergleich entfernen").click()
    await page.wait_for_url(re.compile(r"ars=05112000%2C05113000$"))


async def test_the_land_selector_and_the_pages_of_the_not_yet_docked_list(page):
    await page.goto("/loesungen/demo-wohngeld-online")
    await page.get_by_label("Land", exact=True).select_option(label="Nordrhein-Westfalen")
    await page.get_by_role("button", name="Liste anzeigen").click()
    await page.wait_for_url(re.compile(r"nicht-angedockt=05#nicht-angedockt$"))
    totals = page.locator("dl.missing-totals")
    eligible, covered, missing = [int(await totals.get_attribute(f"data-{k}")) for k in ("eligible", "covered",
                                                                                          "missing")]
    rollout = await (await page.request.get("/v1/solutions/demo-wohngeld-online/rollout")).json()
    nrw = next(land for land in rollout["lands"] if land["land"] == "05")
    assert (eligible, covered) == (nrw["eligibleUnits"], nrw["coveredUnits"]) and missing + covered == eligible
    await screenshot(page, "loesung-nicht-angedockt-nrw-liste")
    seen = 0
    while True:
        seen += await page.locator("#nicht-angedockt-tabelle tbody tr").count()
        more = page.get_by_role("link", name="Weitere noch nicht angedockte Gemeinden")
        if not await more.count():
            break
        await more.click()
        await page.wait_for_url(re.compile(r"nicht-angedockt-nach="))
    assert seen == missing


async def test_kommune_pages_have_ordered_headings_and_no_serious_axe_finding(page):
    found = {}
    for name, url in PAGES.items():
        await page.goto(url)
        levels = await page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
            "hs => hs.map(h => Number(h.tagName[1]))")
        assert levels[0] == 1 and levels.count(1) == 1, (url, levels)
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (url, levels)
        blocking = axe.blocking(await axe.violations(page))
        if blocking:
            found[name] = blocking
    assert found == {}
