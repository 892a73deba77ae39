"""A person in a real browser: finds a solution by searching and clicking facets, reads its rollout
on the maps (Länder and Kreise) and in the tables, and a curator changes it through the forms. Screenshots of every
page land in test-artifacts/screenshots/."""

from __future__ import annotations

import re

from api.web import choropleth, maps
from tests.browser.conftest import screenshot

PUBLIC_PAGES = {
    "katalog": "/",
    "katalog-gefiltert": "/?themenfeld=bauen-wohnen&status=available",
    "loesung": "/loesungen/demo-gewerbeanmeldung",
    "rollout-loesung": "/rollout?loesung=demo-wohngeld-online",
    "rollout-ozg": "/rollout?ozg=10294",
    "rollout-themenfeld": "/rollout?themenfeld=bauen-wohnen",
    "rollout-kreise": "/rollout?loesung=demo-wohngeld-online&ebene=kreis",
    "land": "/laender/10",
    "land-nrw-ozg": "/laender/05?ozg=10092",
    "land-mv-bauantrag": "/laender/13?loesung=demo-digitaler-bauantrag",
    "gebiet": "/gebiete/100410100100",
    "gebiet-kreis-steckbrief": "/gebiete/10041",
    "vergleich": "/vergleich?ars=05112000,05915000",
    "vergleich-auswahl": "/vergleich?gebiet=Duisburg&gebiet=Hamm",
    "loesung-nicht-angedockt-nrw": "/loesungen/demo-wohngeld-online?nicht-angedockt=05",
    "land-nrw": "/laender/05",
    "barrierefreiheit": "/barrierefreiheit",
    "impressum": "/impressum",
    "kuratierung-anmeldung": "/kuratierung",
    "fehler-404": "/loesungen/gibt-es-nicht",
}


async def result_names(page) -> list[str]:
    return await page.locator("li.result h3 a").all_inner_texts()


async def api_names(page, **params: str) -> list[str]:
    response = await page.request.get("/v1/solutions", params={"limit": "100", **params})
    return [s["name"] for s in (await response.json())["items"]]


async def sign_in(page, token: str) -> None:
    await page.goto("/kuratierung")
    await page.get_by_label("Zugangstoken").fill(token)
    await page.get_by_role("button", name="Anmelden").click()


async def test_search_and_facet_clicks_narrow_the_results(page):
    await page.goto("/")
    everything = await result_names(page)
    assert len(everything) == 13 and everything == await api_names(page)
    await screenshot(page, "katalog")

    await page.locator('[data-facet="themenfeld"] a[data-value="bauen-wohnen"]').click()
    await page.wait_for_url(re.compile(r"themenfeld=bauen-wohnen"))
    bauen = await result_names(page)
    assert bauen == await api_names(page, themenfeld="bauen-wohnen")
    assert "Digitaler Bauantrag (Demo)" in bauen and len(bauen) < len(everything)

    await page.locator('[data-facet="standard"] a[data-value="XBau"]').click()
    await page.wait_for_url(re.compile(r"standard=XBau"))
    assert await result_names(page) == ["Digitaler Bauantrag (Demo)"]
    assert await page.locator("#treffer-titel").inner_text() == "1 Lösung gefunden"
    await screenshot(page, "katalog-facetten")

    await page.locator('[data-facet="standard"] a[data-value="XBau"]').click()  # unselect again
    await page.wait_for_url(lambda url: "standard=" not in url)
    assert await result_names(page) == bauen


async def test_the_search_works_with_the_keyboard_alone(page):
    await page.goto("/")
    for _ in range(12):  # skip link, brand, four navigation links, then the search box
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.id") == "suche":
            break
    assert await page.evaluate("document.activeElement.id") == "suche"
    await page.keyboard.type("Bauantrag")
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"q=Bauantrag"))
    assert await result_names(page) == ["Digitaler Bauantrag (Demo)"]
    link = page.get_by_role("link", name="Digitaler Bauantrag (Demo)")
    await link.focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/loesungen/demo-digitaler-bauantrag$"))
    assert await page.locator("h1").inner_text() == "Digitaler Bauantrag (Demo)"


async def _api_shares(page, slug: str) -> dict[str, float | None]:
    response = await page.request.get(f"/v1/solutions/{slug}/rollout")
    if response.status == 200:
        return {item["land"]: item.get("shareByCount") for item in (await response.json())["lands"]}
    # Until api/routes.py registers the rollout API: the same core function that API serves.
    from efa_registry.rollout.service import solution_rollout

    figures = await solution_rollout(slug)
    return {lf.land.code: lf.figures.share_by_count for lf in figures.lands}


def _fill(prefix: str, cls: str) -> str:
    """The fill a colour class has on a map: its texture pattern, or its plain colour."""
    colour = next(c for c in maps.LEGEND if c.key == cls)
    return f"url(#{prefix}-{cls})" if cls in choropleth.MARKS else colour.fill


async def _areas(page) -> list[dict[str, str]]:
    return await page.locator("svg.choropleth g.areas a").evaluate_all(
        "as => as.map(a => ({ars: a.querySelector('path').dataset.ars, cls: a.querySelector('path').dataset.class,"
        " fill: a.querySelector('path').getAttribute('fill'), label: a.getAttribute('aria-label'),"
        " title: a.querySelector('title').textContent, href: a.getAttribute('href')}))")


async def test_rollout_map_colours_match_the_api_and_drill_down_to_the_kreise(page):
    for slug in ("demo-gewerbeanmeldung", "demo-wohngeld-online", "demo-digitaler-bauantrag"):
        await page.goto(f"/rollout?loesung={slug}")
        shares = await _api_shares(page, slug)
        areas = await _areas(page)
        assert len(shares) == len(areas) == 16
        for area in areas:
            cls = maps.colour_class(shares[area["ars"]]).key
            assert (area["cls"], area["fill"]) == (cls, _fill("karte-laender", cls)), (slug, area)
            assert area["label"] == area["title"] and area["label"].startswith(maps.land_names()[area["ars"]].name)
            assert area["href"] == f"/laender/{area['ars']}?loesung={slug}#karte"
            share = await page.locator(f'table.figures tr[data-land="{area["ars"]}"] td.share').text_content()
            single = {"0\u00a0%": ": noch nicht live", "100\u00a0%": ": live"}  # a Stadtstaat is one Gemeinde
            assert share in area["label"] or area["label"].endswith(single[share]), (share, area)
        await screenshot(page, f"rollout-{slug}")
    await page.goto("/rollout?loesung=demo-gewerbeanmeldung")
    await page.locator('svg.choropleth a[href^="/laender/10?"]').click()
    await page.wait_for_url(re.compile(r"/laender/10\?loesung=demo-gewerbeanmeldung#karte$"))
    kreise = await _areas(page)
    assert [k["ars"] for k in kreise] == ["10041", "10042", "10043", "10044", "10045", "10046"]
    assert {k["cls"] for k in kreise} == {"k5"}  # every Gemeinde of the Saarland is live
    await screenshot(page, "land-saarland-kreise")
    await page.locator('svg.choropleth a[href="/gebiete/10042"]').click()
    await page.wait_for_url(re.compile(r"/gebiete/10042$"))
    assert "Merzig-Wadern" in await page.locator("h1").inner_text()


async def test_germany_by_kreis_and_the_downloads_next_to_the_map(page):
    await page.goto("/rollout?loesung=demo-digitaler-bauantrag")
    await page.get_by_role("link", name="nach Kreisen").click()
    await page.wait_for_url(re.compile(r"ebene=kreis"))
    kreise = await _areas(page)
    assert len(kreise) == 400
    mv = [k for k in kreise if k["ars"].startswith("13")]
    assert len(mv) == 8 and {k["cls"] for k in mv} == {"k5"}  # the Land-wide adoption covers every Kreis
    await screenshot(page, "rollout-kreise-bauantrag")
    async with page.expect_download() as svg:
        await page.get_by_role("link", name="Karte als SVG herunterladen").click()
    assert (await svg.value).suggested_filename == "rollout-demo-digitaler-bauantrag-kreise.svg"
    async with page.expect_download() as csv:
        await page.get_by_role("link", name="Zahlen als CSV herunterladen").click()
    rows = (await (await csv.value).path()).read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 401 and rows[0].startswith("Regionalschlüssel (ARS);Gebiet")


async def test_curator_signs_in_edits_a_solution_and_sees_the_new_version(page, demo_data):
    before = await (await page.request.get("/v1/solutions/demo-gewerbeanmeldung")).json()
    await sign_in(page, demo_data["curator"])
    await page.wait_for_url(re.compile(r"/kuratierung$"))
    await screenshot(page, "kuratierung-uebersicht")
    await page.get_by_role("link", name="Bearbeiten: Gewerbeanmeldung digital (Demo)").click()
    await page.get_by_label("Kurzbeschreibung").fill("Gewerbe an-, um- und abmelden – jetzt mit eID.")
    await page.get_by_label("Reifegrad", exact=True).fill("4")
    await screenshot(page, "kuratierung-bearbeiten")
    await page.get_by_role("button", name="Änderungen speichern").click()
    notice = page.locator(".notice-success")
    assert f"Version {before['version'] + 1}" in await notice.inner_text()
    await screenshot(page, "kuratierung-gespeichert")

    after = await (await page.request.get("/v1/solutions/demo-gewerbeanmeldung")).json()
    assert after["version"] == before["version"] + 1
    assert after["summary"] == "Gewerbe an-, um- und abmelden – jetzt mit eID." and after["reifegrad"] == 4
    await page.get_by_role("link", name="Öffentliche Seite ansehen").click()
    assert "jetzt mit eID" in await page.locator(".lead").first.inner_text()
    assert f"Version {after['version']}" in await page.locator("p.meta").first.inner_text()


async def test_a_stale_edit_shows_the_conflict_and_keeps_the_input(page, demo_data):
    await sign_in(page, demo_data["curator"])
    other = await page.context.new_page()
    await page.goto("/kuratierung/loesungen/demo-kita-platz")
    await other.goto("/kuratierung/loesungen/demo-kita-platz")
    await other.get_by_label("Kurzbeschreibung").fill("Kita-Plätze suchen (Fassung B).")
    await other.get_by_role("button", name="Änderungen speichern").click()
    await other.locator(".notice-success").wait_for()

    mine = "Betreuungsplätze finden, vormerken und zusagen (Fassung A)."
    await page.get_by_label("Kurzbeschreibung").fill(mine)
    await page.get_by_role("button", name="Änderungen speichern").click()
    conflict = page.locator(".notice-conflict")
    assert "Die Lösung wurde inzwischen von jemand anderem geändert" in await conflict.inner_text()
    assert await page.get_by_label("Kurzbeschreibung").input_value() == mine
    assert "Fassung B" in await page.locator("#feld-summary-gespeichert").inner_text()
    await screenshot(page, "kuratierung-konflikt")
    stored = await (await page.request.get("/v1/solutions/demo-kita-platz")).json()
    assert stored["summary"] == "Kita-Plätze suchen (Fassung B)."

    await page.get_by_role("button", name="Änderungen speichern").click()  # a deliberate second send wins
    await page.locator(".notice-success").wait_for()
    stored = await (await page.request.get("/v1/solutions/demo-kita-platz")).json()
    assert stored["summary"] == mine


async def test_a_refused_new_solution_says_why_in_german_and_keeps_the_input(page, demo_data):
    await sign_in(page, demo_data["curator"])
    await page.goto("/kuratierung/loesungen/neu")
    await page.locator("#feld-name").fill("Gewerbe-Service Saar")
    await page.locator("#feld-provider").select_option(index=1)
    await page.get_by_label("Kurzname (URL)").fill("demo-gewerbeanmeldung")  # taken
    await page.get_by_label("OZG-Leistungen (OZG-IDs)").fill("10294")
    await page.get_by_role("button", name=re.compile("anlegen|speichern", re.I)).click()
    said = "Kurzname (URL): Nicht übernommen. Diesen Kurznamen trägt schon ein anderer Eintrag."
    assert said in await page.locator("#feld-slug-fehler").inner_text()  # beside the field
    assert await page.get_by_label("Kurzname (URL)").get_attribute("aria-invalid") == "true"
    assert await page.locator("#feld-name").input_value() == "Gewerbe-Service Saar"
    await screenshot(page, "kuratierung-fehler")


async def test_an_adopter_cannot_reach_the_curation_forms(page, demo_data):
    await sign_in(page, demo_data["adopter"])
    assert await page.locator("h1").inner_text() == "Keine Berechtigung"
    assert "Nachnutzer" in await page.locator("main").inner_text()
    await screenshot(page, "kuratierung-adopter-403")
    await page.goto("/kuratierung/loesungen/demo-gewerbeanmeldung")
    assert await page.locator("#feld-summary").count() == 0
    assert await page.get_by_label("Zugangstoken").count() == 1
    assert not [c for c in await page.context.cookies() if c["name"] == "efa_sitzung"]


async def test_a_provider_is_offered_only_the_steps_it_may_take(page, demo_data):
    await sign_in(page, demo_data["provider"])
    await page.goto("/kuratierung/loesungen/demo-gewerbeanmeldung/nachnutzungen")
    first = page.locator("tbody tr").filter(has=page.locator(".adoption-live")).first
    # A live adoption: a provider may neither pause nor withdraw it (that is the adopter's or the office's call).
    assert await first.locator("button").count() == 0
    await screenshot(page, "kuratierung-nachnutzungen")


async def test_every_page_fits_a_375_px_phone_without_horizontal_scrolling(browser, server, demo_data):
    context = await browser.new_context(base_url=server, viewport={"width": 375, "height": 800}, locale="de-DE")
    page = await context.new_page()
    try:
        for name, url in PUBLIC_PAGES.items():
            await page.goto(url)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (url, width)
            await screenshot(page, f"{name}-375px")
        await sign_in(page, demo_data["curator"])
        for name, url in {"kuratierung-uebersicht": "/kuratierung",
                          "kuratierung-bearbeiten": "/kuratierung/loesungen/demo-wohngeld-online",
                          "kuratierung-nachnutzungen": "/kuratierung/loesungen/demo-wohngeld-online/nachnutzungen"
                          }.items():
            await page.goto(url)
            assert await page.evaluate("document.documentElement.scrollWidth") <= 375, url
            await screenshot(page, f"{name}-375px")
    finally:
        await context.close()


async def test_screenshots_of_every_public_page(page):
    for name, url in PUBLIC_PAGES.items():
        response = await page.goto(url)
        assert response.status == (404 if name == "fehler-404" else 200), url
        assert await page.locator("h1").count() == 1
        await screenshot(page, name)

