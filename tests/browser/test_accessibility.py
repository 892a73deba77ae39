"""BITV 2.0 by machine and by keyboard: axe-core on every page type, signed out and signed in,
with no serious or critical violation; titles that tell the pages apart; a keyboard-only walk
from the search to a saved edit; maps that read without colour. The report of every finding
(minor ones too) lands in test-artifacts/axe-report.json."""

from __future__ import annotations

import re

import pytest

from tests.browser import axe
from tests.browser.conftest import ARTIFACTS, screenshot

PUBLIC = {
    "katalog": "/",
    "katalog-suche": "/?q=Bauantrag",
    "katalog-gefiltert": "/?themenfeld=bauen-wohnen&status=available",
    "katalog-leer": "/?q=gibtesnichtxyz",
    "loesung": "/loesungen/demo-gewerbeanmeldung",
    "loesung-landesebene": "/loesungen/demo-elterngeld-digital",
    "rollout-loesung": "/rollout?loesung=demo-wohngeld-online",
    "rollout-loesung-kreise": "/rollout?loesung=demo-wohngeld-online&ebene=kreis",
    "rollout-ozg": "/rollout?ozg=10294",
    "rollout-ozg-kreise": "/rollout?ozg=10294&ebene=kreis",
    "rollout-themenfeld": "/rollout?themenfeld=bauen-wohnen",
    "land": "/laender/10",
    "land-ozg": "/laender/05?ozg=10092",
    "land-landesebene": "/laender/11?loesung=demo-elterngeld-digital",
    "gebiet-gemeinde": "/gebiete/100410100100",
    "gebiet-land": "/gebiete/10",
    "barrierefreiheit": "/barrierefreiheit",
    "impressum": "/impressum",
    "datenschutz": "/datenschutz",
    "kuratierung-anmeldung": "/kuratierung",
    "fehler-404": "/loesungen/gibt-es-nicht",
}
CURATION = {
    "kuratierung-uebersicht": "/kuratierung",
    "kuratierung-bearbeiten": "/kuratierung/loesungen/demo-gewerbeanmeldung",
    "kuratierung-neu": "/kuratierung/loesungen/neu",
    "kuratierung-nachnutzungen": "/kuratierung/loesungen/demo-gewerbeanmeldung/nachnutzungen",
    "kuratierung-schnittstelle-neu": "/kuratierung/loesungen/demo-gewerbeanmeldung/schnittstellen/neu",
}
# Signed in, the public pages are the same templates with a session: one of each kind is enough
# (the Kreis maps, the slowest to check, stay signed out).
SIGNED_IN_PUBLIC = ["katalog", "katalog-suche", "loesung", "rollout-loesung", "rollout-themenfeld", "land",
                    "land-ozg", "gebiet-gemeinde", "barrierefreiheit", "fehler-404"]
REPORT: dict[str, list[dict]] = {}


async def sign_in(page, token: str) -> None:
    await page.goto("/kuratierung")
    await page.get_by_label("Zugangstoken").fill(token)
    await page.get_by_role("button", name="Anmelden").click()
    await page.wait_for_url(re.compile(r"/kuratierung$"))


async def _audit(page, pages: dict[str, str], state: str) -> dict[str, str]:
    """axe on each page; returns the page titles. Findings go into REPORT under "<state>:<name>"."""
    titles = {}
    for name, url in pages.items():
        await page.goto(url)
        REPORT[f"{state}:{name}"] = await axe.violations(page)
        titles[name] = await page.title()
    axe.write_report(ARTIFACTS / "axe-report.json", REPORT)
    return titles


def _assert_clean(state: str) -> None:
    found = {name: axe.blocking(v) for name, v in REPORT.items() if name.startswith(state) and axe.blocking(v)}
    assert found == {}, found


def _assert_distinct(titles: dict[str, str]) -> None:
    by_title: dict[str, list[str]] = {}
    for name, title in titles.items():
        by_title.setdefault(title, []).append(name)
    assert {t: names for t, names in by_title.items() if len(names) > 1} == {}


async def test_no_serious_or_critical_violation_signed_out_and_every_title_is_distinct(page):
    titles = await _audit(page, PUBLIC, "abgemeldet")
    _assert_clean("abgemeldet")
    _assert_distinct(titles)
    assert titles["katalog-suche"].startswith("Suche „Bauantrag“")


async def test_no_serious_or_critical_violation_signed_in(page, demo_data):
    await sign_in(page, demo_data["curator"])
    signed_in = {name: PUBLIC[name] for name in SIGNED_IN_PUBLIC} | CURATION
    titles = await _audit(page, signed_in, "angemeldet")
    _assert_clean("angemeldet")
    _assert_distinct(titles)


FOCUS = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), id: e.id,
          text: (e.getAttribute("aria-label") || e.innerText || "").trim().slice(0, 60),
          outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2, seen: r.width > 0 && r.height > 0};
}"""


async def tab_to(page, matches, limit: int = 80) -> dict:
    """Tab until ``matches(focused)``; every stop on the way must show its focus."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(FOCUS)
        assert focused["outline"] and focused["seen"], focused
        if matches(focused):
            return focused
    raise AssertionError("not reached with the Tab key")


async def tab_and_follow(page, matches, lands_on: str) -> None:
    """Tab to the link that ``matches``, follow it with Enter and wait for the URL ``lands_on``."""
    await tab_to(page, matches)
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(lands_on))


async def test_keyboard_walk_from_the_search_to_a_saved_edit(page, demo_data):
    await sign_in(page, demo_data["curator"])
    await page.goto("/")
    await page.keyboard.press("Tab")
    skip = await page.evaluate(FOCUS)
    assert skip["text"] == "Zum Inhalt springen" and skip["outline"] and skip["seen"]
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "inhalt"
    await tab_to(page, lambda f: f["id"] == "suche")
    await page.keyboard.type("Gewerbe")
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"q=Gewerbe"))
    await tab_and_follow(page, lambda f: f["text"] == "Gewerbeanmeldung digital (Demo)",
                         r"/loesungen/demo-gewerbeanmeldung$")
    await tab_and_follow(page, lambda f: f["text"] == "Kuratierung", r"/kuratierung$")
    await tab_and_follow(page, lambda f: f["text"] == "Bearbeiten: Gewerbeanmeldung digital (Demo)",
                         r"/kuratierung/loesungen/demo-gewerbeanmeldung$")
    await tab_to(page, lambda f: f["id"] == "feld-summary")
    await page.keyboard.press("Control+A")
    await page.keyboard.type("Gewerbe an-, um- und abmelden – mit der Tastatur gepflegt.")
    await tab_to(page, lambda f: f["text"] == "Änderungen speichern")
    await screenshot(page, "tastatur-speichern")
    await page.keyboard.press("Enter")
    await page.locator(".notice-success").wait_for()
    stored = await (await page.request.get("/v1/solutions/demo-gewerbeanmeldung")).json()
    assert stored["summary"] == "Gewerbe an-, um- und abmelden – mit der Tastatur gepflegt."


@pytest.mark.parametrize("url", ["/loesungen/demo-gewerbeanmeldung", "/laender/10", "/kuratierung"])
async def test_the_tab_key_reaches_the_last_link_of_the_page(page, url):
    """No keyboard trap: from the top, Tab passes every stop (the maps' areas too) to the footer."""
    await page.goto(url)
    await tab_to(page, lambda f: f["text"] == "Erklärung zur Barrierefreiheit", limit=400)


async def test_maps_read_without_colour(page):
    await page.goto("/rollout?loesung=demo-wohngeld-online")
    areas = await page.locator("svg.choropleth g.areas path").evaluate_all(
        "ps => ps.map(p => ({cls: p.dataset.class, fill: p.getAttribute('fill'), named: p.closest('a') ?"
        " p.closest('a').getAttribute('aria-label') : p.getAttribute('aria-label')}))")
    assert len(areas) == 16
    textured = {a["cls"] for a in areas if a["fill"].startswith("url(#")}
    assert textured == {a["cls"] for a in areas} - {"k5", "na"}  # every partial class carries a pattern
    says = re.compile(r": ([\d.]+ von [\d.]+ Gemeinden live \([\d,]+\u00a0%\)|live|noch nicht live)")
    assert all(says.search(a["named"]) for a in areas), areas  # and says its value in words
    patterns = await page.locator("svg.choropleth pattern").evaluate_all("ps => ps.map(p => p.innerHTML)")
    assert len(set(patterns)) == len(patterns) == 5  # k0 … k4, each its own texture
    await page.add_style_tag(content="html { filter: grayscale(1); }")
    await screenshot(page, "rollout-graustufen")
