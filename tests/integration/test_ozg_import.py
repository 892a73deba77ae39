"""Importing the OZG catalogue (OZG-Leistungen, Lagen, LeiKa) from small fixtures in the
official column layout: counts, n:m Lagen, skipped rows, idempotency, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.errors import ImportFailed
from efa_registry.ozg.catalogue_import import import_leika, import_ozg_leistungen
from efa_registry.seeding import seed
from seed import SEED_DIR
from tests.conftest import FIXTURES
from tests.integration.probes import rows_of

LEISTUNGEN = FIXTURES / "ozg" / "ozg_leistungen.csv"
LEIKA = FIXTURES / "ozg" / "leika.csv"
FINANZIELLE = "finanzielle-existenzsicherung-unterstuetzung-bei-finanziellen-problemen"

STATE_SQL = {
    "ozg_leistung": "SELECT ozg_id, name, themenfeld, updated_at FROM ozg_leistung ORDER BY 1",
    "lage": "SELECT key, name, themenfeld FROM lage ORDER BY 1",
    "pairs": "SELECT ozg_leistung, lage FROM ozg_leistung_lage ORDER BY 1, 2",
    "leika": "SELECT * FROM leika_entry ORDER BY 1",
    "events": "SELECT seq, entity_id, action FROM event ORDER BY 1",
}


async def state() -> dict[str, list[tuple[object, ...]]]:
    return await rows_of(STATE_SQL)


async def refused(load, path: Path) -> ImportFailed:
    """``load(path)`` must fail and leave every table as it was; the failure, to read its errors."""
    before = await state()
    with pytest.raises(ImportFailed) as exc:
        await load(path)
    assert await state() == before
    return exc.value


async def import_events() -> list[tuple[str, str, str, dict[str, object]]]:
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT actor, entity_type, entity_id, snapshot FROM event"
                                " WHERE action = 'imported' ORDER BY seq")
    return [(r["actor"], r["entity_type"], r["entity_id"], json.loads(r["snapshot"])) for r in rows]


def rewritten(tmp_path: Path, source: Path, lines: dict[int, str | None],
              append: tuple[str, ...] = ()) -> Path:
    """A copy of ``source`` with the given 1-based lines replaced (None: removed)."""
    text = source.read_text(encoding="utf-8").splitlines()
    text = [lines.get(n, line) for n, line in enumerate(text, start=1)]
    path = tmp_path / source.name
    path.write_text("\n".join([t for t in text if t is not None] + list(append)) + "\n",
                    encoding="utf-8")
    return path


async def leika_keys_of(ozg_id: str) -> list[str]:
    async with db.connection() as conn:
        return list(await conn.fetchval("SELECT leika_keys FROM ozg_leistung WHERE ozg_id = $1", ozg_id))


async def leika_copies_that_differ() -> list[str]:
    """OZG-Leistungen whose ``leika_keys``/``leika_names`` are not their entries in key order."""
    async with db.connection() as conn:
        return [r[0] for r in await conn.fetch(
            "SELECT o.ozg_id FROM ozg_leistung o LEFT JOIN LATERAL (SELECT coalesce(array_agg(e.leika_key::text"
            " ORDER BY e.leika_key), '{}') AS keys, coalesce(array_agg(e.name::text ORDER BY e.leika_key), '{}')"
            " AS names FROM leika_entry e WHERE e.ozg_leistung = o.ozg_id) k ON true"
            " WHERE (o.leika_keys, o.leika_names) IS DISTINCT FROM (k.keys, k.names)")]


@pytest.fixture
async def reference(clean_db: str) -> None:
    await seed(SEED_DIR, official=False)


@pytest.fixture
async def catalogue(reference: None) -> None:
    await import_ozg_leistungen(LEISTUNGEN)


class TestImportOzgLeistungen:
    async def test_counts_leistungen_and_lagen(self, reference: None) -> None:
        summary = await import_ozg_leistungen(LEISTUNGEN)
        assert summary.counts == {"ozg_leistung": 8, "lage": 7}
        assert (summary.created, summary.updated, summary.unchanged) == (15, 0, 0)
        assert summary.skipped == []
        assert summary.source == "ozg-leistungen ozg_leistungen.csv"

    async def test_themenfeld_is_matched_by_name_and_lagen_are_nm(self, catalogue: None) -> None:
        async with db.connection() as conn:
            row = await conn.fetchrow("SELECT name, themenfeld FROM ozg_leistung WHERE ozg_id = '10331'")
            lagen = await conn.fetch("SELECT lage FROM ozg_leistung_lage WHERE ozg_leistung = '10000'"
                                     " ORDER BY lage")
            sharing = await conn.fetchval("SELECT count(*) FROM ozg_leistung_lage WHERE lage = $1",
                                          FINANZIELLE)
        assert tuple(row) == ("Zulassung von Aus-, Fort- und Weiterbildungsangeboten",
                              "unternehmensfuehrung-entwicklung")
        assert [r["lage"] for r in lagen] == [FINANZIELLE, "geburt"]
        assert sharing == 2  # Elterngeld and Arbeitslosengeld II

    async def test_second_run_changes_nothing(self, catalogue: None) -> None:
        before = await state()
        summary = await import_ozg_leistungen(LEISTUNGEN)
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 15)
        assert await state() == before

    async def test_records_one_event_with_counts(self, catalogue: None) -> None:
        [(actor, entity_type, entity_id, snapshot)] = await import_events()
        assert actor.startswith("cli:")
        assert (entity_type, entity_id) == ("ozg_leistung", "catalogue:ozg-leistungen")
        assert snapshot["counts"] == {"ozg_leistung": 8, "lage": 7}
        assert snapshot["created"] == 15

    async def test_changed_name_and_lagen_are_updated(self, catalogue: None, tmp_path: Path) -> None:
        # Elterngeld renamed, and no longer under its second Lage (the n:m row on line 10).
        path = rewritten(tmp_path, LEISTUNGEN,
                         {2: "10000,Elterngeld Plus,Geburt,Familie & Kind,4,151", 10: None})
        summary = await import_ozg_leistungen(path, actor=Actor.system("test"))
        assert (summary.created, summary.updated) == (0, 1)
        async with db.connection() as conn:
            name = await conn.fetchval("SELECT name FROM ozg_leistung WHERE ozg_id = '10000'")
            lagen = await conn.fetch("SELECT lage FROM ozg_leistung_lage WHERE ozg_leistung = '10000'")
        assert name == "Elterngeld Plus"
        assert [r["lage"] for r in lagen] == ["geburt"]
        assert [actor for actor, *_ in await import_events()][1:] == ["test"]

    async def test_an_edition_without_a_stored_leistung_keeps_it_and_says_so(self, catalogue: None,
                                                                          tmp_path: Path) -> None:
        path = rewritten(tmp_path, LEISTUNGEN, {2: None, 10: None})  # Elterngeld's rows left out
        summary = await import_ozg_leistungen(path)
        assert summary.counts["no_longer_listed"] == 1 and "  no_longer_listed: 1" in summary.lines()
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT name FROM ozg_leistung WHERE ozg_id = '10000'") == "Elterngeld"

    async def test_malformed_row_writes_nothing(self, reference: None, tmp_path: Path) -> None:
        path = rewritten(tmp_path, LEISTUNGEN, {4: "10O19,Kindertagesbetreuung,Kinderbetreuung,"
                                                  "Familie & Kind,13,295"})
        failure = await refused(import_ozg_leistungen, path)
        assert failure.errors == [(4, "OZG-ID '10O19' is not numeric (1–6 digits)")]

    async def test_malformed_row_leaves_earlier_import_untouched(
        self, catalogue: None, tmp_path: Path
    ) -> None:
        path = rewritten(tmp_path, LEISTUNGEN, {2: "10000,Elterngeld (neu),Geburt,Familie & Kind,4,151"},
                         append=("10999,Neue Leistung,Neue Lage,Familie & Kind,1,1",
                                 "10998,Kaputt,Geburt,Familie & Kind"))
        failure = await refused(import_ozg_leistungen, path)
        assert failure.errors == [(12, "4 fields, the header has 6")]

    async def test_unknown_themenfeld_names_the_line(self, catalogue: None, tmp_path: Path) -> None:
        path = rewritten(tmp_path, LEISTUNGEN, {6: "10124,Wohnsitzmeldungen,Wohnen & Umzug,"
                                                  "Bauen und Wohnen,13,537"})
        failure = await refused(import_ozg_leistungen, path)
        assert failure.errors == [(6, "unknown Themenfeld 'Bauen und Wohnen'")]
        assert "line 6: unknown Themenfeld 'Bauen und Wohnen'" in str(failure)

    async def test_without_reference_facts_asks_for_the_seed(self, clean_db: str) -> None:
        with pytest.raises(ImportFailed, match="efa-registry seed"):
            await import_ozg_leistungen(LEISTUNGEN)

    async def test_accepts_the_file_as_bytes(self, reference: None) -> None:
        summary = await import_ozg_leistungen(LEISTUNGEN.read_bytes())
        assert summary.counts["ozg_leistung"] == 8


class TestImportLeika:
    async def test_counts_and_skipped_lines(self, catalogue: None) -> None:
        summary = await import_leika(LEIKA)
        assert summary.counts == {"leika_entry": 7}
        assert (summary.created, summary.updated, summary.unchanged) == (7, 0, 0)
        assert summary.skipped == [(3, "no 14-digit LeiKa key ('nicht im LeiKa')"),
                                   (9, "no 14-digit LeiKa key ('3233')")]

    async def test_stores_type_legal_basis_sdg_and_leistung(self, catalogue: None) -> None:
        await import_leika(LEIKA)
        async with db.connection() as conn:
            rows = {r["leika_key"]: tuple(r)[1:] for r in await conn.fetch(
                "SELECT leika_key, leika_type, legal_basis IS NOT NULL, sdg_relevant, ozg_leistung"
                " FROM leika_entry")}
        assert rows["99041006000000"] == ("2/3", True, True, "10000")
        assert rows["99107002000000"] == ("1, 2/3", True, True, "10082")
        assert rows["99089024000000"] == ("2/3", True, False, None)  # no OZG-Leistung
        assert rows["99012008000000"] == ("4", False, True, "10519")
        assert rows["99115005000000"] == (None, False, None, "10124")
        assert rows["99023001000000"] == ("2/3", True, True, "10169")  # sdg2 only

    async def test_second_run_changes_nothing(self, catalogue: None) -> None:
        await import_leika(LEIKA)
        before = await state()
        summary = await import_leika(LEIKA)
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 7)
        assert len(summary.skipped) == 2
        assert await state() == before

    async def test_records_one_event(self, catalogue: None) -> None:
        await import_leika(LEIKA)
        events = await import_events()
        assert [(e[1], e[2]) for e in events] == [("ozg_leistung", "catalogue:ozg-leistungen"),
                                                  ("ozg_leistung", "catalogue:leika")]
        assert events[1][3]["counts"] == {"leika_entry": 7}
        assert events[1][3]["skipped"] == 2

    async def test_unknown_ozg_id_names_the_line_and_writes_nothing(
        self, catalogue: None, tmp_path: Path
    ) -> None:
        await import_leika(LEIKA)
        path = rewritten(tmp_path, LEIKA, {6: "99012008000000,Baugenehmigung (neu),4,,,,10520,"
                                             "Abbruchgenehmigung,1,0,908"})
        failure = await refused(import_leika, path)
        assert failure.errors == [(6, "OZG-ID 10520 is not in the catalogue (import the OZG-Leistungen first)")]

    async def test_moved_entry_is_updated(self, catalogue: None, tmp_path: Path) -> None:
        await import_leika(LEIKA)
        async with db.connection() as conn:
            origin = await conn.fetchval("SELECT ozg_leistung FROM leika_entry WHERE leika_key = '99012008000000'")
        assert "99012008000000" in await leika_keys_of(origin)
        path = rewritten(tmp_path, LEIKA, {6: "99012008000000,Baugenehmigung,4,,,,10124,"
                                             "Wohnsitzmeldungen,1,0,908"})
        summary = await import_leika(path)
        assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 6)
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT ozg_leistung FROM leika_entry"
                                       " WHERE leika_key = '99012008000000'") == "10124"
        # The OZG-Leistungen's own copies of their entries (kept by triggers) moved with it.
        assert "99012008000000" in await leika_keys_of("10124")
        assert "99012008000000" not in await leika_keys_of(origin)
        assert await leika_copies_that_differ() == []

    async def test_every_leistung_carries_its_entries_in_key_order(self, catalogue: None) -> None:
        await import_leika(LEIKA)
        assert await leika_copies_that_differ() == []
        async with db.connection() as conn:
            await conn.execute("UPDATE leika_entry SET name = name || ' (neu)' WHERE leika_key = '99012008000000'")
            await conn.execute("DELETE FROM leika_entry WHERE leika_key = (SELECT max(leika_key) FROM leika_entry)")
            assert await conn.fetchval("SELECT count(*) FROM ozg_leistung WHERE leika_names @> ARRAY["
                                       "(SELECT name::text FROM leika_entry WHERE leika_key = '99012008000000')]") == 1
        assert await leika_copies_that_differ() == []
