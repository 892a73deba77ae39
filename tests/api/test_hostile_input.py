"""API input that broke a feed or was stored otherwise than sent: control characters, padded
text, loose entity-tags, foreign cursors, times without offset, absurd dates and numbers, and
database constraints that named their tables. Each is refused with problem+json naming the field
and changes nothing. (The pages: ``test_hostile_pages.py``.)"""

from __future__ import annotations

import pytest

from efa_registry import db
from tests.api.contract import assert_problem
from tests.api.test_catalogue import SOLUTION, create

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(("change", "field"), [
    ({"name": "Glocke \u0007 Test"}, "name"),
    ({"summary": "Farbe \u001b[31m rot"}, "summary"),
    ({"name": "Wohngeld\u0085digital"}, "name"),
    ({"name": "Wohngeld \u202edigital"}, "name"),  # a right-to-left override: the name would read backwards
    ({"name": "     "}, "name"),
    ({"name": "  Wohngeld digital  "}, "name"),
    ({"name": "Wohngeld\ndigital"}, "name"),
    ({"description": "Text mit Leerzeile am Ende\n"}, "description"),
    ({"tags": ["Bauen, Wohnen"]}, "tags[0]"),
    ({"tags": [" Bauen"]}, "tags[0]"),
])
async def test_control_characters_and_padded_text_are_refused_naming_the_field(client, catalogue, change, field):
    problem = assert_problem(await client.post("/v1/solutions", json={**SOLUTION, **change},
                                               headers=catalogue["tokens"].auth("curator")), 400, field)
    assert "Expected" in problem["detail"] or "control characters" in problem["detail"]
    assert (await client.get("/v1/solutions/wohngeld-digital")).status_code == 404


@pytest.mark.parametrize("tag", ['"v01"', '"v1-xyz"', '"v1-authx"', '"V1"'])
async def test_an_if_match_is_compared_octet_by_octet(client, catalogue, tag):
    await create(client, catalogue["tokens"])
    patched = await client.patch("/v1/solutions/wohngeld-digital", json={"summary": "Neu"},
                                 headers={**catalogue["tokens"].auth("curator"), "If-Match": tag})
    assert_problem(patched, 412)
    assert (await client.get("/v1/solutions/wohngeld-digital")).json()["version"] == 1


async def test_a_reference_the_database_refuses_names_the_field_not_the_table(client, catalogue):
    response = await client.post("/v1/tokens", json={"role": "provider", "name": "Portal",
                                                     "organisation": "00000000-0000-0000-0000-000000000000"},
                                 headers=catalogue["tokens"].auth("curator"))
    problem = assert_problem(response, 422, "organisation")
    assert "table" not in problem["detail"] and "fkey" not in response.text


def test_an_unmapped_constraint_names_its_column_and_no_internals():
    import asyncpg

    unmapped = asyncpg.ForeignKeyViolationError("insert or update on table \"x\" violates foreign key constraint")
    unmapped.constraint_name, unmapped.detail = "x_solution_fkey", 'Key (solution_id)=(1) is not present in table "s".'
    refused = db.constraint_error(unmapped)
    assert (refused.field, str(refused)) == ("solutionId", "refers to an entry that does not exist")
    check = asyncpg.CheckViolationError("new row violates check constraint")
    check.constraint_name, check.table_name = "solution_language_check", "solution"
    assert db.constraint_error(check).field == "language"


@pytest.mark.parametrize(("url", "status"), [
    ("https://93.184.215.14/x\r\nX-Evil: 1", 400), ("https://93.184.215.14/a b", 400),
    ("https://93.184.215.14:0/x", 422), ("https://93.184.215.14:99999/x", 422),
])
async def test_a_webhook_target_with_spaces_line_ends_or_no_port_is_refused(client, catalogue, url, status):
    response = await client.post("/v1/webhooks", json={"url": url, "eventTypes": ["solution.*"]},
                                 headers=catalogue["tokens"].auth("curator"))
    problem = assert_problem(response, status, "url")
    if status == 422:
        assert "port" in problem["detail"]


@pytest.mark.parametrize(("headers", "body"), [
    ({"Content-Encoding": "gzip"}, b"\x1f\x8b\x08\x00"),
    ({"Content-Type": "application/json; charset=utf-16"}, '{"name": "x"}'.encode("utf-16")),
    ({"Content-Type": "application/json; charset=iso-8859-1"}, '{"name": "M\u00fcller"}'.encode("latin-1")),
])
async def test_a_compressed_body_or_another_charset_is_415(client, catalogue, headers, body):
    response = await client.post("/v1/organisations", content=body, headers={
        **JSON, **headers, **catalogue["tokens"].auth("curator")})
    assert_problem(response, 415)


@pytest.mark.parametrize(("body", "says"), [
    (b"\xef\xbb\xbf{}", "byte order mark"), (b"", "needs a JSON body"),
    (b'{"kind": "kommune", "name": "Stadt", "slug": 1e400}', "number out of range"),
    (b'{"kind": "kommune", "name": "Stadt", "slug": 99999999999999999999}', "number out of range"),
])
async def test_a_bom_an_empty_body_or_a_number_out_of_range_say_so(client, catalogue, body, says):
    response = await client.post("/v1/organisations", content=body, headers={
        **JSON, **catalogue["tokens"].auth("curator")})
    problem = assert_problem(response, 400)
    assert says in problem["detail"] and "data" not in problem["detail"]
    if b"slug" in body:
        assert problem["field"] == "slug"


async def test_dates_before_the_web_or_plans_beyond_thirty_years_are_refused(client, catalogue):
    auth = catalogue["tokens"].auth("curator")
    await create(client, catalogue["tokens"])
    for planned in ("0001-01-01", "9999-12-31"):
        refused = await client.post("/v1/solutions/wohngeld-digital/adoptions",
                                    json={"ars": "051120000000", "plannedLiveOn": planned}, headers=auth)
        assert_problem(refused, 422, "plannedLiveOn")
    created = await client.post("/v1/solutions/wohngeld-digital/adoptions", json={"ars": "051120000000"},
                                headers=auth)
    assert created.status_code == 201
    adoption = created.json()
    etag = created.headers["etag"]
    for status in ("agreed", "onboarding"):
        step = await client.patch(f"/v1/adoptions/{adoption['id']}", json={"status": status},
                                  headers={**auth, "If-Match": etag})
        assert step.status_code == 200
        etag = step.headers["etag"]
    live = await client.patch(f"/v1/adoptions/{adoption['id']}", json={"status": "live", "liveSince": "0001-01-01"},
                              headers={**auth, "If-Match": etag})
    assert_problem(live, 422, "liveSince")
    bulk = await client.post("/v1/solutions/wohngeld-digital/adoptions/bulk", json={
        "ars": ["051130000000"], "status": "interested", "liveSince": "2020-01-01"}, headers=auth)
    assert_problem(bulk, 422, "liveSince")


async def test_a_step_from_a_stale_version_is_412_not_an_illegal_step(client, catalogue):
    auth = catalogue["tokens"].auth("curator")
    await create(client, catalogue["tokens"])
    created = await client.post("/v1/solutions/wohngeld-digital/adoptions", json={"ars": "051120000000"},
                                headers=auth)
    first = await client.patch(f"/v1/adoptions/{created.json()['id']}", json={"status": "withdrawn"},
                               headers={**auth, "If-Match": created.headers["etag"]})
    assert first.status_code == 200
    second = await client.patch(f"/v1/adoptions/{created.json()['id']}", json={"status": "agreed"},
                                headers={**auth, "If-Match": created.headers["etag"]})
    assert_problem(second, 412)


@pytest.mark.parametrize(("since", "status"), [
    ("2026-01-01T00:00:00", 400),                  # no offset: a local time, read as UTC it would be an hour off
    ("0001-01-01T00:00:00+01:00", 400), ("9999-12-31T23:59:59-01:00", 400),
    ("2026-01-01T00:00:00+01:00", 200),
])
async def test_updated_since_needs_its_offset_and_a_time_in_range(client, catalogue, since, status):
    response = await client.get("/v1/solutions", params={"updatedSince": since})
    if status == 400:
        assert_problem(response, 400, "updatedSince")
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"role": "integrator", "name": "Portal", "expiresAt": "2030-01-01T00:00:00"}, "expiresAt"),
    ({"role": "integrator", "name": "Portal", "expiresAt": "9999-12-31T23:59:59-01:00"}, "expiresAt"),
    ({"role": "curator", "name": "Portal", "ars": ["05112"]}, "ars"),
    ({"role": "adopter", "name": "Portal", "ars": ["05112", "05112"]}, "ars"),
])
async def test_a_token_names_only_what_its_role_uses(client, catalogue, body, field):
    auth = catalogue["tokens"].auth("curator")
    response = await client.post("/v1/tokens", json=body, headers=auth)
    assert 400 <= response.status_code < 500 and response.json()["field"] == field
    listed = await client.get("/v1/tokens", headers=auth)
    assert [t for t in listed.json() if t["name"] == "Portal"] == []


async def test_a_cursor_of_another_listing_or_order_is_400_naming_after(client, catalogue):
    auth = catalogue["tokens"].auth("curator")
    for slug in ("stadt-a", "stadt-b", "stadt-c"):
        await client.post("/v1/organisations", json={"kind": "kommune", "name": slug.title(), "slug": slug},
                          headers=auth)
    organisations = (await client.get("/v1/organisations", params={"limit": 1})).json()
    after = organisations["next"].split("after=")[1]
    assert_problem(await client.get("/v1/solutions", params={"after": after}), 400, "after")
    await create(client, catalogue["tokens"])
    await create(client, catalogue["tokens"], body={**SOLUTION, "name": "Wohngeld analog"})
    by_name = (await client.get("/v1/solutions", params={"limit": 1, "sort": "name"})).json()
    assert by_name["next"]
    foreign = by_name["next"].split("after=")[1]
    assert_problem(await client.get("/v1/solutions", params={"after": foreign, "sort": "updated"}), 400, "after")
    again = await client.get(by_name["next"].replace("http://testserver", "") if "://" in by_name["next"]
                             else by_name["next"])
    assert again.status_code == 200 and again.json()["items"][0]["name"] == "Wohngeld digital"


async def test_links_in_feeds_follow_efa_public_url_not_the_host_header(settings, clean_db):
    import httpx

    from api.app import create_app

    fields = {f: getattr(settings, f) for f in settings.__struct_fields__}
    for public_url, expected in (("", "http://evil.example/"), ("https://efa.example.de", "https://efa.example.de/")):
        app = create_app(settings.__class__(**{**fields, "public_url": public_url}))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry.test") as c:
            feed = (await c.get("/v1/feed.json", headers={"Host": "evil.example"})).json()
        assert feed["home_page_url"] == expected


async def test_a_keyword_twice_is_refused(client, catalogue):
    response = await client.post("/v1/solutions", json={**SOLUTION, "tags": ["Bauen", "Wohnen", "bauen"]},
                                 headers=catalogue["tokens"].auth("curator"))
    assert_problem(response, 422, "tags[2]")


@pytest.mark.parametrize(("change", "field"), [
    ({"eventTypes": ["solution.*", "solution.*"]}, "eventTypes"),
    ({"filters": {"solution": "00000000-0000-0000-0000-000000000000"}}, "filters.solution"),
    ({"filters": {"themenfeld": "gibt-es-nicht"}}, "filters.themenfeld"),
])
async def test_a_webhook_filter_that_could_never_match_is_refused(client, catalogue, change, field):
    auth = catalogue["tokens"].auth("curator")
    body = {"url": "https://93.184.215.14/hook", "eventTypes": ["solution.*"], **change}
    assert_problem(await client.post("/v1/webhooks", json=body, headers=auth), 422, field)
    assert (await client.get("/v1/webhooks", headers=auth)).json()["items"] == []


async def test_a_land_key_that_names_no_land_is_400_not_an_empty_list(client, catalogue):
    assert_problem(await client.get("/v1/solutions", params={"providerLand": "99"}), 400, "providerLand")
    assert (await client.get("/v1/solutions", params={"providerLand": "05"})).status_code == 200


async def test_two_authorization_headers_authenticate_no_one(client, catalogue):
    valid = catalogue["tokens"].auth("curator")["Authorization"]
    for pair in ([("Authorization", valid), ("Authorization", "Bearer falsch")],
                 [("Authorization", "Bearer falsch"), ("Authorization", valid)]):
        response = await client.get("/v1/tokens", headers=pair)
        assert_problem(response, 401)


async def test_an_id_that_is_no_uuid_is_a_404_that_says_what_an_id_looks_like(client, catalogue):
    for url in ("/v1/interfaces/kein-uuid", "/v1/adoptions/xyz"):
        problem = assert_problem(await client.get(url), 404)
        assert "UUID" in problem["detail"]


@pytest.mark.parametrize(("url", "field"), [
    ("/v1/ozg-leistungen?themenfeld=gibt-es-nicht", "themenfeld"), ("/v1/ozg-leistungen?lage=gibt-es-nicht", "lage"),
    ("/v1/ozg-leistungen?q=Elterngeld&themenfeld=gibt-es-nicht", "themenfeld"),
    ("/v1/solutions?themenfeld=gibt-es-nicht", "themenfeld"), ("/v1/rollout?themenfeld=gibt-es-nicht", "themenfeld"),
])
async def test_a_themenfeld_or_lage_the_catalogue_lacks_is_400_not_an_empty_answer(client, catalogue, url, field):
    assert_problem(await client.get(url), 400, field)
    known = url.replace("gibt-es-nicht", "familie-kind") if "themenfeld" in url else None
    if known:
        assert (await client.get(known)).status_code == 200


async def test_a_method_not_allowed_lists_head_with_get(client, catalogue):
    response = await client.put("/v1/organisations/land-nrw", json={})
    assert_problem(response, 405)
    assert "HEAD" in response.headers["allow"].split(", ") and "GET" in response.headers["allow"]
