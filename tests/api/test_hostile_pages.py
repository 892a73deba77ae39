"""The curation and public pages against hostile or odd input: a forged session cookie, multipart
or JSON bodies, a form's oversized idempotency key, a browser's CRLF line ends; error pages name
what the reader knows, and a text in another language is marked so."""

from __future__ import annotations

from html import unescape

import pytest

from api.web.session import SESSION_COOKIE
from tests.api.test_web_pages import EDIT, csrf_of, curator_form, form_values, sign_in

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("cookie", ["abc\x00def", "x" * 43 + "\x1b", "../../etc", "a" * 5000])
async def test_a_forged_session_cookie_is_no_session_not_a_500(pages, demo, cookie):
    pages.cookies.set(SESSION_COOKIE, cookie)
    page = await pages.get("/kuratierung/loesungen/neu")
    assert page.status_code == 401 and 'name="token"' in page.text
    out = await pages.post("/kuratierung/abmelden", data={"csrf_token": "x"})
    assert out.status_code in (401, 403) and "Interner Fehler" not in out.text


async def test_the_pages_take_urlencoded_forms_only(pages, demo):
    form = await pages.get("/kuratierung")
    multipart = await pages.post("/kuratierung/anmelden", files={"token": ("t", b"\xff\xfe")},
                                 data={"csrf_token": csrf_of(form.text)})
    assert multipart.status_code == 415 and "Diese Seite nimmt nur Formulare an" in unescape(multipart.text)
    as_json = await pages.post("/kuratierung/anmelden", content=b'{"token": "x"}', headers=JSON)
    assert as_json.status_code == 415


async def test_a_forms_idempotency_key_longer_than_the_store_takes_is_refused(pages, demo):
    await sign_in(pages, demo["curator"])
    values = form_values((await pages.get("/kuratierung/loesungen/neu")).text)
    refused = await pages.post("/kuratierung/loesungen/neu", data={
        **values, "name": "Fischereischein online", "provider": "demo-saarland", "idempotency_key": "k" * 201})
    assert 400 <= refused.status_code < 500
    assert (await pages.get("/v1/solutions/fischereischein-online")).status_code == 404


async def test_an_unchanged_form_with_a_browsers_line_ends_keeps_the_version(pages, demo):
    from efa_registry.access.model import Actor
    from efa_registry.kit.patching import ANY_VERSION
    from efa_registry.solutions import service
    from efa_registry.solutions.model import SolutionPatch

    await service.update_solution("demo-gewerbeanmeldung", SolutionPatch(description="Absatz eins\n\nAbsatz zwei"),
                                  expected_version=ANY_VERSION, actor=Actor.system("test"))
    values = await curator_form(pages, demo)
    stored = (await pages.get("/v1/solutions/demo-gewerbeanmeldung")).json()
    browser = {**values, "description": stored["description"].replace("\n", "\r\n")}
    saved = await pages.post(EDIT, data=browser)
    assert saved.status_code == 303
    after = (await pages.get("/v1/solutions/demo-gewerbeanmeldung")).json()
    assert after["version"] == stored["version"] and after["description"] == stored["description"]


@pytest.mark.parametrize(("url", "says"), [
    ("/?weiter=abc", "Verweis „Weiter“"), ("/loesungen/nicht-da", "Eintrag"),
    ("/rollout?loesung=gibt-es-nicht", "Lösung"),
])
async def test_error_pages_name_what_the_reader_knows_not_internal_fields(pages, demo, url, says):
    page = await pages.get(url)
    assert 400 <= page.status_code < 500
    text = unescape(page.text)
    assert f"Angabe: {says}" in text or f"für: {says}" in text, text[text.find("<main"):][:800]
    assert not any(f"Angabe: {raw}<" in text or f"für: {raw}<" in text for raw in ("after", "id", "key", "ozgId"))


async def test_a_solution_in_english_is_marked_so_on_its_page(pages, demo):
    from efa_registry.access.model import Actor
    from efa_registry.kit.patching import ANY_VERSION
    from efa_registry.solutions import service
    from efa_registry.solutions.model import SolutionPatch

    await service.update_solution("demo-gewerbeanmeldung", SolutionPatch(
        language="en", summary="Register a trade online", description="Register a business.\n\nPay the fee."),
        expected_version=ANY_VERSION, actor=Actor.system("test"))
    page = (await pages.get("/loesungen/demo-gewerbeanmeldung")).text
    assert '<p class="lead" lang="en">Register a trade online</p>' in page
    assert '<p lang="en">Pay the fee.</p>' in page
    assert "Die Beschreibung liegt nur auf Englisch vor." in " ".join(page.split())
    document = (await pages.get("/v1/solutions/demo-gewerbeanmeldung/publiccode.yml")).text
    assert "\n  en:\n" in document and "availableLanguages:\n  - en" in document


@pytest.mark.parametrize(("url", "field"), [
    ("/?land=99", "Land"), ("/?themenfeld=gibt-es-nicht", "Themenfeld"), ("/rollout?themenfeld=nope", "Themenfeld"),
])
async def test_a_filter_value_no_filter_offers_is_refused_not_made_a_title(pages, demo, url, field):
    page = await pages.get(url)
    assert page.status_code in (400, 404)
    text = unescape(page.text)
    assert f"Angabe: {field}" in text or f"für: {field}" in text
    assert "99 –" not in text and "Themenfeld nope" not in text
