"""Importing a GV100AD edition into the area table: levels, parents, figures, all-or-nothing,
idempotence and re-imports of newer editions."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile

import pytest

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.areas import repository
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.errors import ImportFailed
from tests.conftest import FIXTURES

SMALL = FIXTURES / "gv100ad" / "small_utf8.txt"
EDITED = FIXTURES / "gv100ad" / "small_edited_utf8.txt"
WOHLTORF = "010535323133"
AUMUEHLE = "010535323003"
DASSENDORF = "010535323023"

AREA_SQL = """
SELECT ars, ags, name, level, textkennzeichen, parent, land, iso_code, seat, population,
       area_ha, gebietsstand, current, updated_at
FROM area ORDER BY ars
"""


async def areas() -> dict[str, dict]:
    async with db.connection() as conn:
        return {r["ars"]: dict(r) for r in await conn.fetch(AREA_SQL)}


async def events() -> list[dict]:
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT actor, entity_type, entity_id, action, snapshot::text"
                                " FROM event ORDER BY seq")
    return [dict(r) for r in rows]


def lines(path=SMALL) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def joined(records: list[str]) -> bytes:
    return "".join(line + "\n" for line in records).encode()


class TestFirstImport:
    async def test_creates_every_level_with_its_parent(self, clean_db):
        summary = await import_gv100ad(SMALL)
        rows = await areas()
        assert summary.counts == {
            "land": 4, "regierungsbezirk": 3, "region": 1, "kreis": 6, "gemeindeverband": 9,
            "gemeinde": 10, "gemeindefreies_gebiet": 1, "no_longer_listed": 0,
        }
        assert (summary.created, summary.updated, summary.unchanged) == (34, 0, 0)
        assert summary.edition == "2024-12-31"
        expected = {
            "05": ("land", None), "051": ("regierungsbezirk", "05"), "05112": ("kreis", "051"),
            "051120000": ("gemeindeverband", "05112"), "051120000000": ("gemeinde", "051120000"),
            "059": ("regierungsbezirk", "05"), "05913": ("kreis", "059"), "05915": ("kreis", "059"),
            "10041": ("kreis", "10"), "100410519519": ("gemeinde", "100410519"),
            "0811": ("region", "081"), "010539105105": ("gemeindefreies_gebiet", "010539105"),
        }
        assert {ars: (rows[ars]["level"], rows[ars]["parent"]) for ars in expected} == expected

    async def test_stores_names_keys_and_figures(self, clean_db):
        await import_gv100ad(SMALL)
        rows = await areas()
        voelklingen = rows["100410519519"]
        assert (voelklingen["name"], voelklingen["ags"], voelklingen["textkennzeichen"]) == (
            "Völklingen, Stadt", "10041519", "63")
        assert (voelklingen["population"], voelklingen["area_ha"]) == (40952, 6710)
        assert voelklingen["gebietsstand"] == dt.date(2024, 12, 31)
        assert voelklingen["current"] is True
        saarbruecken = rows["10041"]
        assert (saarbruecken["seat"], saarbruecken["textkennzeichen"]) == (
            "Saarbrücken, Landeshauptstadt", "45")
        assert rows["05112"]["ags"] is None

    async def test_sums_population_and_area_for_upper_levels(self, clean_db):
        await import_gv100ad(SMALL)
        rows = await areas()
        assert rows["10041"]["population"] == 182971 + 40952
        assert rows["10"]["population"] == 182971 + 40952
        assert rows["059"]["population"] == 603462 + 179968
        assert rows["05"]["population"] == 502270 + 603462 + 179968
        assert rows["010535323"]["population"] == 3254 + 3420 + 2575
        assert rows["01"]["area_ha"] == 3325 + 348 + 794 + 597 + 5849
        assert rows["0811"]["population"] is None

    async def test_gemeindefreies_gebiet_is_no_gemeinde_in_land_summaries(self, clean_db):
        await import_gv100ad(SMALL)
        async with db.connection() as conn:
            summaries = {s.ars: s for s in await repository.land_summaries(conn)}
        sh = summaries["01"]
        assert (sh.gemeinden, sh.gemeindefreie_gebiete, sh.kreise) == (4, 1, 1)
        assert sh.population == 33519 + 3254 + 3420 + 2575
        nrw = summaries["05"]
        assert (nrw.gemeinden, nrw.gemeindefreie_gebiete, nrw.kreise) == (3, 0, 3)

    async def test_records_in_any_order_satisfy_the_parent_reference(self, clean_db):
        # The self-referencing FK is checked at the end of the one INSERT statement.
        summary = await import_gv100ad(joined(list(reversed(lines()))))
        assert summary.created == 34
        assert (await areas())["051120000000"]["parent"] == "051120000"

    async def test_records_one_event_with_the_counts(self, clean_db):
        await import_gv100ad(SMALL, actor=Actor(label="cli:tester", role="curator"))
        [event] = await events()
        assert (event["actor"], event["entity_type"], event["entity_id"], event["action"]) == (
            "cli:tester", "area", "gv100ad:2024-12-31", "imported")
        assert '"gemeinde": 10' in event["snapshot"]
        assert '"created": 34' in event["snapshot"]

    async def test_keeps_the_iso_code_a_land_already_has(self, clean_db):
        async with db.connection() as conn:
            await conn.execute("INSERT INTO area (ars, name, level, land, iso_code)"
                               " VALUES ('05', 'NRW', 'land', '05', 'DE-NW')")
        summary = await import_gv100ad(SMALL)
        assert (summary.created, summary.updated) == (33, 1)
        land = (await areas())["05"]
        assert (land["name"], land["iso_code"]) == ("Nordrhein-Westfalen", "DE-NW")

    async def test_reports_progress(self, clean_db):
        calls: list[tuple[int, int]] = []
        await import_gv100ad(SMALL, progress=lambda done, total: calls.append((done, total)))
        assert calls == [(1, 3), (2, 3), (3, 3)]


class TestEncodings:
    @pytest.mark.parametrize(
        "variant",
        [
            pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="utf8-bom"),
            pytest.param(lambda text: text.encode("iso-8859-1"), id="iso-8859-1"),
            pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
            pytest.param(lambda text: text.replace("\n", "\r").encode("utf-8"), id="cr"),
            pytest.param(lambda text: text.replace("\n", "\r\r\n").encode("utf-8"), id="crlf converted twice"),
            pytest.param(lambda text: text.encode("cp1252"), id="windows-1252"),
            pytest.param(lambda text: gzip.compress(text.encode()), id="gzip, as shipped"),
            pytest.param(lambda text: zipped({"GV100AD_30112025.txt": text.encode(), "Beschreibung.pdf": b"%PDF"}),
                         id="zip, as Destatis publishes it"),
        ],
    )
    async def test_variant_gives_the_same_rows_as_utf8(self, clean_db, variant):
        await import_gv100ad(SMALL)
        expected = {ars: {**row, "updated_at": None} for ars, row in (await areas()).items()}
        async with db.connection() as conn:
            await conn.execute("TRUNCATE area, event RESTART IDENTITY CASCADE")
        await import_gv100ad(variant(SMALL.read_text(encoding="utf-8")))
        got = {ars: {**row, "updated_at": None} for ars, row in (await areas()).items()}
        assert got == expected
        assert got["100410519519"]["name"] == "Völklingen, Stadt"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zipped_damaged() -> bytes:
    """A ZIP whose member's deflate stream is corrupt (the directory is intact)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("GV100AD_30112025.txt", SMALL.read_bytes())
    data = bytearray(buffer.getvalue())
    data[60:90] = b"\xff" * 30
    return bytes(data)


class TestMalformedFile:
    @pytest.mark.parametrize(("data", "message"), [
        (lambda: zipped({"readme.pdf": b"%PDF"}), "exactly one file to import"),
        (lambda: gzip.compress(SMALL.read_bytes())[:40], "gzip file is damaged"),
        (lambda: b"PK\x03\x04" + b"\x00" * 40, "ZIP archive is damaged"),
        (lambda: gzip.compress(SMALL.read_bytes())[:10] + b"\xff" * 30, "gzip file is damaged"),  # a bad stream
        (lambda: zipped_damaged(), "ZIP archive is damaged"),
        (lambda: gzip.compress(b" " * (101 * 2**20)), "unpacks to more than 100 MB"),
    ])
    async def test_an_archive_without_one_edition_is_refused_in_one_sentence(self, clean_db, data, message):
        with pytest.raises(ImportFailed, match=message):
            await import_gv100ad(data())
        assert await areas() == {}

    async def test_names_the_line_and_writes_nothing_into_an_empty_database(self, clean_db):
        records = lines()
        records[14] = records[14][:139] + "00000x02270" + records[14][150:]
        with pytest.raises(ImportFailed) as caught:
            await import_gv100ad(joined(records))
        assert [line for line, _ in caught.value.errors] == [15]
        assert await areas() == {}
        assert await events() == []

    async def test_leaves_a_previous_import_exactly_as_it_was(self, clean_db):
        await import_gv100ad(SMALL)
        before, events_before = await areas(), await events()
        records = lines(EDITED)
        records[3] = "70" + records[3][2:]
        with pytest.raises(ImportFailed) as caught:
            await import_gv100ad(joined(records))
        assert caught.value.errors == [(4, "unknown Satzart '70'")]
        assert await areas() == before
        assert await events() == events_before


class TestReimport:
    async def test_same_file_twice_changes_nothing(self, clean_db):
        await import_gv100ad(SMALL)
        before, events_before = await areas(), await events()
        summary = await import_gv100ad(SMALL)
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 34)
        assert summary.counts["no_longer_listed"] == 0
        assert await areas() == before  # updated_at included
        assert await events() == events_before

    async def test_newer_edition_updates_retires_and_keeps_references(self, clean_db):
        await import_gv100ad(SMALL)
        async with db.connection() as conn:
            await conn.execute("INSERT INTO organisation (slug, kind, name, area)"
                               " VALUES ('gemeinde-wohltorf', 'kommune', 'Gemeinde Wohltorf', $1)",
                               WOHLTORF)
        summary = await import_gv100ad(EDITED)
        rows = await areas()
        # Every listed row changes: the Gebietsstand is new.
        assert (summary.created, summary.updated, summary.unchanged) == (0, 33, 0)
        assert summary.counts["no_longer_listed"] == 1
        assert summary.edition == "2025-11-30"
        assert rows[AUMUEHLE]["name"] == "Aumühle (Sachsenwald)"
        assert rows[AUMUEHLE]["population"] == 3254 + 2575
        assert rows["051120000000"]["population"] == 503117
        assert rows["05"]["population"] == 503117 + 603462 + 179968
        wohltorf = rows[WOHLTORF]
        assert (wohltorf["current"], wohltorf["name"], wohltorf["gebietsstand"]) == (
            False, "Wohltorf", dt.date(2024, 12, 31))
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT area FROM organisation") == WOHLTORF
            [sh] = await repository.land_summaries(conn, "01")
        assert sh.gemeinden == 3
        assert [e["entity_id"] for e in await events()] == [
            "gv100ad:2024-12-31", "gv100ad:2025-11-30"]

    async def test_retired_area_stays_retired_on_repeat(self, clean_db):
        await import_gv100ad(SMALL)
        await import_gv100ad(EDITED)
        before = await areas()
        summary = await import_gv100ad(EDITED)
        assert (summary.updated, summary.counts["no_longer_listed"]) == (0, 0)
        assert await areas() == before

    async def test_gemeinde_that_changes_its_gemeindeverband_hands_over_its_ags(self, clean_db):
        # A new Gemeindeverband means a new ARS but the same AGS; the old row keeps its references.
        await import_gv100ad(SMALL)
        records = [line.replace("20241231", "20251130", 1) for line in lines()]
        moved = next(i for i, line in enumerate(records) if line[10:22] == "010530235323")
        records[moved] = records[moved][:18] + "0032" + records[moved][22:]
        summary = await import_gv100ad(joined(records))
        rows = await areas()
        assert summary.created == 1
        assert summary.counts["no_longer_listed"] == 1
        assert (rows["010530032023"]["ags"], rows["010530032023"]["parent"]) == (
            "01053023", "010530032")
        assert (rows[DASSENDORF]["ags"], rows[DASSENDORF]["current"]) == (None, False)
