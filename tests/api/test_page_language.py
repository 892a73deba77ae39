"""German that reads right: no English message, raw enum value or UUID reaches the text of any
page type, logged in or out, and every page says which data it rests on and that demo data is
loaded. The label tables in api/web/texts.py are the one place the wording lives."""

from __future__ import annotations

import html
import re

import pytest

from api.web import karten, texts
from tests.api.test_web_pages import sign_in

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# Words of English messages and raw identifiers that must never stand where German belongs (case
# matters: "Adoption" is an OZG-Leistung, "adoption" an identifier).
ENGLISH = re.compile(r"\b(the|The|not found|no solution|no such|must be|invalid|error|unknown|allowed|"
                     r"adoption|solution|interested|agreed|paused|withdrawn|in_development|"
                     r"available|retired|planned|fit_connect|osci_xta|open_source|fit_store|gemeindefreies_gebiet|"
                     r"[Gg]o-lives?|share|eligible|coverage)\b")
RAW_ENUMS = {value for table in (texts.SOLUTION_STATUS, texts.ADOPTION_STATUS, texts.INTERFACE_KIND,
                                 texts.REUSE_ROUTE, texts.AREA_LEVEL) for value in table if "_" in value}

PUBLIC = ["/", "/?q=Wohngeld", "/?q=gibtesnichtxyz", "/?status=pilot", "/loesungen/demo-gewerbeanmeldung",
          "/loesungen/demo-digitaler-bauantrag", "/loesungen/demo-elterngeld-digital", "/rollout",
          "/rollout?loesung=demo-kfz-zulassung", "/rollout?ozg=10092", "/rollout?themenfeld=familie-kind",
          "/laender/10", "/laender/05", "/laender/13", "/gebiete/05", "/gebiete/051120000000", "/gebiete/10042",
          "/gebiete/010540056056", "/loesungen/gibt-es-nicht", "/gebiete/99", "/kuratierung",
          # How far is my Kommune: the comparison, its form's refusals, the scorecard and the not-yet-docked lists.
          "/vergleich", "/vergleich?ars=05112000,05915000", "/vergleich?ars=05112000", "/vergleich?gebiet=Hamm",
          "/vergleich?ars=05112000,05", "/vergleich?ars=05112000,05999000,abc", "/gebiete/100410100100",
          "/gebiete/10041", "/gebiete/059150000000", "/loesungen/demo-wohngeld-online?nicht-angedockt=05",
          "/loesungen/demo-kfz-zulassung?nicht-angedockt=05162", "/loesungen/demo-wohngeld-online?nicht-angedockt=xx"]
CURATION = ["/kuratierung", "/kuratierung/loesungen/demo-gewerbeanmeldung", "/kuratierung/loesungen/neu",
            "/kuratierung/loesungen/demo-gewerbeanmeldung/nachnutzungen",
            "/kuratierung/loesungen/demo-gewerbeanmeldung/schnittstellen/neu"]


def visible_text(page: str) -> str:
    """What a person reads: the text outside tags, plus the titles and labels screen readers speak."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    spoken = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + spoken)


def assert_german(path: str, page: str) -> None:
    text = visible_text(page)
    allowed = text.replace("Demo", "").replace("FIT-Connect", "").replace("Open Source", "")
    assert not UUID.search(text), (path, UUID.search(text).group())
    found = ENGLISH.search(allowed)
    assert found is None, (path, found and text[max(0, found.start() - 80):found.end() + 80])
    assert not [raw for raw in RAW_ENUMS if raw in text], path


@pytest.mark.parametrize("path", PUBLIC)
async def test_public_pages_read_german(reader, path):
    response = await reader.get(path, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html"), path
    assert_german(path, response.text)


async def test_curation_pages_read_german(reader, demo_once):
    assert (await sign_in(reader, demo_once["curator"])).status_code == 303
    for path in CURATION:
        response = await reader.get(path)
        assert response.status_code == 200, path
        assert_german(path, response.text)


async def test_every_page_names_its_sources_and_the_demo(reader, demo_once):
    page = (await reader.get("/laender/10")).text
    assert "Demodaten geladen" in page
    assert "Stand 30.11.2025" in page and "Statistisches Bundesamt (Destatis)" in page
    assert "GeoBasis-DE" in page and "Gert Hammes" in page


async def test_without_demo_data_there_is_no_demo_notice_and_an_empty_catalogue_says_what_to_do(pages, clean_db):
    from efa_registry.seeding import seed
    from seed import SEED_DIR

    await seed(SEED_DIR)
    page = (await pages.get("/")).text
    assert "Demodaten geladen" not in page
    assert "Noch ist keine Lösung im Katalog erfasst" in page and "Entfernen Sie einen Filter" not in page
    assert_german("/", page)


@pytest.mark.parametrize(("level", "dative", "genitive"), [
    ("gemeinde", "Gemeinden", "Gemeinden"),
    ("kreis", "Kreisen und kreisfreien Städten", "Kreise und kreisfreien Städte"),
    ("land", "Ländern", "Länder"),
])
def test_units_are_inflected_for_their_case(level, dative, genitive):
    assert texts.einheiten(level, "dat") == dative
    assert texts.einheiten(level, "gen") == genitive
    title = karten.title(level, "Digitaler Bauantrag (Demo)", "Land")
    assert title.endswith("Digitaler Bauantrag (Demo) live nutzen")
    assert "Anteil der Länder" not in title
