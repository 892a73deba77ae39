"""The pages for people, server-side: the same figures as the API, German HTML errors, and the
curation forms' session, CSRF, permission and conflict rules (the browser suite covers the rest)."""

from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest

from api.web import maps, texts
from api.web.texts import prozent

HTML = "text/html"


def names(html: str) -> list[str]:
    return re.findall(r'<li class="result" data-slug="[^"]+">\s*<h3><a href="[^"]+">([^<]+)</a>', html)


def map_areas(html: str) -> dict[str, tuple[str, str]]:
    """ARS → (colour class, the sentence it is named by) of every area of the first map on the page."""
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg"', 1)[1].split("</svg>", 1)[0]
    found = re.findall(r'(?:aria-label="([^"]*)"><title>[^<]*</title>)?<path d="[^"]*" [^>]*?data-ars="(\d+)" '
                       r'data-class="(\w+)"(?: aria-label="([^"]*)")?', svg)
    return {ars: (cls, html_unescape(linked or plain)) for linked, ars, cls, plain in found}


# --------------------------------------------------------------------------- pure presentation rules


@pytest.mark.parametrize(("share", "text", "cls"), [
    (None, "–", "na"), (0.0, "0\u00a0%", "k0"), (0.0004, "unter 0,1\u00a0%", "k1"), (1 / 6, "16,7\u00a0%", "k1"),
    (0.2499, "24,9\u00a0%", "k1"),
    (0.25, "25,0\u00a0%", "k2"), (0.5, "50,0\u00a0%", "k3"), (0.7499, "74,9\u00a0%", "k3"), (0.75, "75,0\u00a0%", "k4"),
    (0.99996, "99,9\u00a0%", "k4"), (1.0, "100\u00a0%", "k5"),
])
def test_percentages_never_cross_a_colour_class_boundary(share, text, cls):
    assert prozent(share) == text
    assert maps.colour_class(share).key == cls


def test_percent_text_knows_the_maps_class_boundaries():
    assert tuple(c.high for c in maps.CLASSES[1:5]) == texts.CLASS_BOUNDARIES


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", maps.LEGEND, ids=lambda c: c.key)
def test_tile_text_contrast_is_at_least_4_5_to_1(colour):
    light, dark = sorted([_luminance(colour.fill), _luminance(colour.text)], reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5


def test_chart_runs_to_the_current_month_with_new_and_cumulative_values():
    import datetime as dt

    chart = maps.go_live_chart([dt.date(2024, 1, 1), dt.date(2024, 2, 1)], [3, 5], today=dt.date(2024, 4, 15))
    assert [(b.month.month, b.new, b.total) for b in chart.bars] == [(1, 3, 3), (2, 2, 5), (3, 0, 5), (4, 0, 5)]
    assert (chart.projection, chart.projection_end) == ("", None)
    assert maps.go_live_chart([], []) is None


def test_the_projection_continues_the_line_dashed_and_stops_five_years_ahead():
    import datetime as dt

    from efa_registry.rollout import forecast as fc

    today = dt.date(2024, 4, 15)
    # 5 live of 10, 5 go-lives in the last 12 months: 5 left at 5/12 a month → 12 months, April 2025
    result = fc.forecast(eligible_units=10, live_units=5, go_lives=[dt.date(2024, m, 1) for m in range(1, 5)]
                         + [dt.date(2023, 12, 1)], today=today)
    chart = maps.go_live_chart([dt.date(2024, 1, 1)], [5], today=today, projection=fc.projection(result))
    assert result.complete_by == dt.date(2025, 4, 1) and chart.projection_end == dt.date(2025, 4, 1)
    assert len(chart.bars) == 4 and len(chart.projection.split()) == 13  # April 2024 … April 2025
    assert chart.line.split()[-1] == chart.projection.split()[0]  # it starts where the actual line ends
    assert chart.max_total == 10 and not chart.projection_clipped
    slow = fc.forecast(eligible_units=400, live_units=5, go_lives=[dt.date(2024, 1, 1)] * 6, today=today)
    clipped = maps.go_live_chart([dt.date(2024, 1, 1)], [5], today=today, projection=fc.projection(slow))
    assert slow.complete_by == dt.date(2090, 2, 1)  # 395 left at 0.5 a month: 790 months from mid-April
    assert clipped.projection_clipped and clipped.projection_end == dt.date(2029, 4, 1)


# --------------------------------------------------------------------------- public pages


# --------------------------------------------------------------------------- curation


EDIT = "/kuratierung/loesungen/demo-gewerbeanmeldung"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


async def sign_in(client, token: str):
    form = await client.get("/kuratierung")
    return await client.post("/kuratierung/anmelden", data={"token": token, "csrf_token": csrf_of(form.text)})


def form_values(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input id="feld-\w+" name="(\w+)" type="[a-z]+" value="([^"]*)"', html))
    fields |= dict(re.findall(r'<textarea id="feld-\w+" name="(\w+)"[^>]*>([^<]*)</textarea>', html))
    for name, body in re.findall(r'<select id="feld-\w+" name="(\w+)".*?>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        fields[name] = chosen.group(1) if chosen else ""
    fields |= dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    return {k: v.replace("&amp;", "&") for k, v in fields.items()}


async def curator_form(client, demo) -> dict[str, str]:
    """Signed in as the curator: what the demo solution's edit form holds."""
    await sign_in(client, demo["curator"])
    return form_values((await client.get(EDIT)).text)


async def test_sign_in_sets_an_httponly_strict_session_cookie_without_the_token(pages, demo):
    response = await sign_in(pages, demo["curator"])
    assert response.status_code == 303 and response.headers["location"] == "/kuratierung"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("efa_sitzung="))
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and demo["curator"] not in cookie
    overview = await pages.get("/kuratierung")
    assert "Alle Lösungen" in overview.text and "Gewerbeanmeldung digital (Demo)" in overview.text
    assert overview.headers["cache-control"] == "no-store"


async def test_sign_in_without_the_forms_csrf_token_is_refused(pages, demo):
    response = await pages.post("/kuratierung/anmelden", data={"token": demo["curator"], "csrf_token": "x"})
    assert response.status_code == 403 and "efa_sitzung" not in response.headers.get("set-cookie", "")


async def test_an_adopter_gets_no_session_and_no_curation_forms(pages, demo):
    response = await sign_in(pages, demo["adopter"])
    assert response.status_code == 403 and "Keine Berechtigung" in response.text
    assert "Nachnutzer" in response.text and "efa_sitzung" not in response.headers.get("set-cookie", "")
    form = await pages.get(EDIT)
    assert form.status_code == 401 and 'name="token"' in form.text  # the sign-in form, not the edit form


async def test_curator_edits_a_solution_and_the_api_shows_the_new_version(pages, demo):
    values = await curator_form(pages, demo)
    version = int(values["version"])
    saved = await pages.post(EDIT, data={**values, "summary": "Gewerbe online anmelden, ummelden, abmelden."})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{EDIT}?gespeichert={version + 1}"
    api = (await pages.get("/v1/solutions/demo-gewerbeanmeldung")).json()
    assert api["version"] == version + 1 and api["summary"] == "Gewerbe online anmelden, ummelden, abmelden."
    # Untouched fields survive the round trip through the form.
    assert api["reifegrad"] == 3 and [o["ozgId"] for o in api["ozgLeistungen"]] == ["10294"]
    history = (await pages.get("/v1/solutions/demo-gewerbeanmeldung/history")).json()
    assert history[-1]["actor"].endswith("(Koordinierungsstelle)")


async def test_a_stale_edit_keeps_the_input_and_shows_the_other_value(pages, demo):
    values = await curator_form(pages, demo)
    first = await pages.post(EDIT, data={**values, "summary": "Erste"})
    assert first.status_code == 303
    stale = await pages.post(EDIT, data={**values, "summary": "Zweite"})
    assert stale.status_code == 409
    assert "Die Lösung wurde inzwischen von jemand anderem geändert" in stale.text
    after = form_values(stale.text)
    assert after["summary"] == "Zweite" and int(after["version"]) == int(values["version"]) + 1
    assert re.search(r"Inzwischen gespeichert:</strong>\s*Erste", stale.text)
    api = (await pages.get("/v1/solutions/demo-gewerbeanmeldung")).json()
    assert api["summary"] == "Erste"  # nothing overwritten until the person sends again


async def test_invalid_input_names_the_field_in_german_and_keeps_the_input(pages, demo):
    values = await curator_form(pages, demo)
    response = await pages.post(EDIT, data={**values, "name": "X", "summary": "bleibt"})
    assert response.status_code == 422
    assert "mindestens 2 Zeichen" in response.text and 'href="#feld-name"' in response.text
    assert form_values(response.text)["summary"] == "bleibt"


async def test_a_post_without_the_sessions_csrf_token_is_refused(pages, demo):
    values = await curator_form(pages, demo)
    response = await pages.post(EDIT, data={**values, "csrf_token": "fremd", "summary": "Angriff"})
    assert response.status_code == 403
    assert (await pages.get("/v1/solutions/demo-gewerbeanmeldung")).json()["summary"] != "Angriff"


async def test_a_provider_may_edit_only_its_own_solutions(pages, demo):
    await sign_in(pages, demo["provider"])
    overview = await pages.get("/kuratierung")
    assert "Gewerbeanmeldung digital (Demo)" in overview.text and "Wohngeld" not in overview.text
    assert (await pages.get("/kuratierung/loesungen/demo-wohngeld-online")).status_code == 403


async def test_revoking_the_token_ends_the_session_at_once(pages, demo):
    from efa_registry.access import tokens
    from efa_registry.access.model import Actor

    await sign_in(pages, demo["curator"])
    assert (await pages.get("/kuratierung")).status_code == 200
    listed = await tokens.list_tokens()
    await tokens.revoke_token(next(t.id for t in listed if t.role == "curator"), actor=Actor.system("test"))
    after = await pages.get(EDIT)
    assert after.status_code == 401 and 'name="token"' in after.text


async def test_sign_out_ends_the_session(pages, demo):
    await sign_in(pages, demo["curator"])
    overview = await pages.get("/kuratierung")
    out = await pages.post("/kuratierung/abmelden", data={"csrf_token": csrf_of(overview.text)})
    assert out.status_code == 303
    assert (await pages.get(EDIT)).status_code == 401


async def test_create_a_solution_and_an_interface_through_the_forms(pages, demo):
    await sign_in(pages, demo["provider"])
    form = await pages.get("/kuratierung/loesungen/neu")
    values = form_values(form.text)
    assert values["provider"] == "demo-saarland"  # a provider creates for its own organisation only
    created = await pages.post("/kuratierung/loesungen/neu", data={**values, "name": "Fischereischein online",
                                                                  "ozgIds": "10294", "status": "pilot"})
    assert created.status_code == 303 and "/kuratierung/loesungen/fischereischein-online" in created.headers["location"]
    again = await pages.post("/kuratierung/loesungen/neu", data={**values, "name": "Fischereischein online",
                                                                "ozgIds": "10294", "status": "pilot"})
    assert again.status_code == 303  # the same form sent twice creates one solution
    new = await pages.get("/kuratierung/loesungen/fischereischein-online/schnittstellen/neu")
    added = await pages.post("/kuratierung/loesungen/fischereischein-online/schnittstellen/neu",
                             data={**form_values(new.text), "kind": "xoev", "standard": "XFisch",
                                   "standardVersion": "1.0"})
    assert added.status_code == 303
    api = (await pages.get("/v1/solutions/fischereischein-online")).json()
    assert api["status"] == "pilot" and [i["standard"] for i in api["interfaces"]] == ["XFisch"]


@pytest.mark.parametrize(("changes", "says"), [
    ({"slug": "demo-gewerbeanmeldung"}, "Diesen Kurznamen trägt schon ein anderer Eintrag."),
    ({"slug": "import"}, "Der Kurzname „import“ ist für eine Adresse der Seiten reserviert."),
    ({"status": "available", "ozgIds": ""}, "Eine verfügbare Lösung muss mindestens eine OZG-Leistung umsetzen."),
    ({"ozgIds": "99999"}, "Diese OZG-IDs gibt es im OZG-Katalog nicht: 99999."),
    ({"reifegrad": "3"}, "Zu einem Reifegrad gehört das Reifegradmodell (1.1 oder 2.0)."),
    ({"provider": ""}, "„Anbieter“ ist ein Pflichtfeld."),
])
async def test_the_cores_refusals_are_said_in_german(pages, demo, changes, says):
    await sign_in(pages, demo["curator"])
    values = form_values((await pages.get("/kuratierung/loesungen/neu")).text)
    refused = await pages.post("/kuratierung/loesungen/neu", data={
        **values, "name": "Fischereischein online", "provider": "demo-saarland", "ozgIds": "10294", "status": "pilot",
        **changes})
    assert refused.status_code in (409, 422) and says in html_unescape(refused.text)
    assert not re.search(r"\b(the|must|with this|unknown|Expected)\b", refused.text), "no English on the page"


async def test_adoption_buttons_follow_the_lifecycle_and_the_role(pages, demo):
    await sign_in(pages, demo["curator"])
    page = await pages.get("/kuratierung/loesungen/demo-hundesteuer/nachnutzungen")
    row = re.search(r'<tr data-adoption="([^"]+)">\s*<th scope="row"><a href="/gebiete/059150000000">.*?</tr>',
                    page.text, re.S)
    assert row, "Hamm (interested) is listed"
    buttons = re.findall(r'name="status" value="(\w+)"', row.group(0))
    assert buttons == ["agreed", "paused", "withdrawn"]
    version = re.search(r'name="version" value="(\d+)"', row.group(0)).group(1)
    moved = await pages.post(f"/kuratierung/nachnutzungen/{row.group(1)}",
                             data={"csrf_token": csrf_of(page.text), "version": version, "status": "agreed"})
    assert moved.status_code == 303
    assert (await pages.get(f"/v1/adoptions/{row.group(1)}")).json()["status"] == "agreed"
    stale = await pages.post(f"/kuratierung/nachnutzungen/{row.group(1)}",
                             data={"csrf_token": csrf_of(page.text), "version": version, "status": "onboarding"})
    assert stale.status_code == 409 and "inzwischen von jemand anderem geändert" in stale.text


def test_labels_cover_every_status_the_core_knows():
    from efa_registry import types
    from efa_registry.types import AdoptionStatus, InterfaceKind, SolutionStatus, values

    assert set(texts.SOLUTION_STATUS) == set(values(SolutionStatus))
    assert set(texts.ADOPTION_STATUS) == set(values(AdoptionStatus))
    assert set(texts.INTERFACE_KIND) == set(values(InterfaceKind))
    for name, labels in types.LABELS.items():  # every value of every labelled Literal has its German label
        assert set(labels) == set(values(getattr(types, name))), name


async def test_unknown_addresses_are_a_german_page_for_browsers_and_problem_json_for_machines(settings, database):
    """The optional app-level wrapper (api.web.errors.for_people) the app factory may install."""
    import httpx
    from litestar.exceptions import HTTPException

    from api.app import create_app
    from api.problems import http_error_handler
    from api.web import WEB_CONTROLLERS, template_config
    from api.web.errors import for_people

    app = create_app(settings)
    if app.template_engine is None:
        app.template_engine = template_config().engine_instance
        for controller in WEB_CONTROLLERS:
            app.register(controller)
    app.exception_handlers[HTTPException] = for_people(http_error_handler)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry.test") as c:
        page = await c.get("/loesungen/a/b/c", headers={"Accept": "text/html"})
        assert page.status_code == 404 and "<h1>Nicht gefunden</h1>" in page.text
        api = await c.get("/v1/nothing-here", headers={"Accept": "text/html"})
        assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")


def test_a_page_during_a_database_outage_says_try_again_not_internal_error():
    import asyncpg
    from litestar import Request

    from api.web.errors import internal_error

    request = Request(scope={"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"",
                             "state": {}, "app": None, "path_params": {}})
    page = internal_error(request, asyncpg.CannotConnectNowError("the database system is starting up"))
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert page.context["title"] == "Vorübergehend nicht verfügbar"
