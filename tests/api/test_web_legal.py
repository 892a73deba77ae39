"""The operator's pages: the Erklärung zur Barrierefreiheit in the BITV 2.0 structure, Impressum and
Datenschutz, filled in from the EFA_OPERATOR_* settings, and saying plainly what is missing."""

from __future__ import annotations

import re

import httpx
import msgspec

from api.app import create_app
from efa_registry.settings import Settings
from tests.api.conftest import wire_pages

SECTIONS = ["Stand der Vereinbarkeit mit den Anforderungen", "Nicht barrierefreie Inhalte",
            "Erstellung dieser Erklärung", "Feedback und Kontakt", "Schlichtungsverfahren"]
OPERATOR = {"operator_name": "Koordinierungsstelle EfA (Beispiel)",
            "operator_address": "Musterstraße 1; 12345 Musterstadt", "operator_email": "barrierefrei@example.de",
            "operator_phone": "+49 30 1234567", "impressum_url": "https://example.de/impressum",
            "datenschutz_url": "https://example.de/datenschutz",
            "schlichtungsstelle": "Landesschlichtungsstelle Musterland, Musterweg 2, 54321 Musterstadt"}


def headings(html: str) -> list[str]:
    return re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", html)


async def test_the_statement_has_the_bitv_sections_and_says_what_is_not_filled_in(reader):
    page = (await reader.get("/barrierefreiheit")).text
    assert headings(page) == SECTIONS
    assert "<title>Erklärung zur Barrierefreiheit – EfA-Nachnutzungsregister</title>" in page
    assert "teilweise vereinbar" in page and "axe-core" in page
    assert "Noch nicht ausgefüllt:" in page and "EFA_OPERATOR_EMAIL" in page
    assert "Schlichtungsstelle nach § 16 BGG" in page and "info@schlichtungsstelle-bgg.de" in page
    for path, setting in (("/impressum", "EFA_IMPRESSUM_URL"), ("/datenschutz", "EFA_DATENSCHUTZ_URL")):
        text = (await reader.get(path)).text
        assert "Noch nicht ausgefüllt:" in text and setting in text, path


async def test_every_page_links_the_legal_pages_in_its_footer(reader):
    for url in ("/", "/rollout", "/laender/10", "/kuratierung", "/loesungen/gibt-es-nicht"):
        footer = (await reader.get(url, headers={"Accept": "text/html"})).text.split('<footer class="site-footer">')[1]
        assert all(f'href="/{p}"' in footer for p in ("impressum", "datenschutz", "barrierefreiheit")), url


async def test_the_operators_settings_fill_the_pages(settings, demo_once):
    app = create_app(msgspec.structs.replace(settings, **OPERATOR))
    wire_pages(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry.test") as client:
        statement = (await client.get("/barrierefreiheit")).text
        impressum = (await client.get("/impressum")).text
        datenschutz = (await client.get("/datenschutz")).text
    for page in (statement, impressum, datenschutz):
        page = re.sub(r"\s*<br>\s*", "<br>", page)
        assert "Noch nicht ausgefüllt" not in page
        assert "<strong>Koordinierungsstelle EfA (Beispiel)</strong><br>Musterstraße 1<br>12345 Musterstadt<br>" in page
        assert 'href="mailto:barrierefrei@example.de"' in page and "Telefon: +49 30 1234567" in page
    assert statement.count("Koordinierungsstelle EfA (Beispiel)") >= 2  # the lead names the operator too
    assert "Landesschlichtungsstelle Musterland" in statement and "schlichtungsstelle-bgg.de" not in statement
    assert 'href="https://example.de/impressum"' in impressum
    assert 'href="https://example.de/datenschutz"' in datenschutz


def test_the_settings_come_from_efa_variables_with_the_address_in_lines():
    settings = Settings.from_env({"EFA_OPERATOR_NAME": "Land Musterland", "EFA_OPERATOR_ADDRESS": " A 1 ;; 12345 B ",
                                  "EFA_IMPRESSUM_URL": "https://example.de/i"})
    assert (settings.operator_name, settings.operator_address_lines) == ("Land Musterland", ["A 1", "12345 B"])
    assert settings.impressum_url == "https://example.de/i" and settings.operator_email == ""
    described = dict(Settings.describe())
    assert all(described[f"EFA_{name.upper()}"] for name in OPERATOR)
