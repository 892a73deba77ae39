"""The seed: reference facts (Länder with ISO codes, Themenfelder) and the demo set."""

from __future__ import annotations

from efa_registry import db
from efa_registry.areas import repository as areas
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.ozg import repository as ozg
from efa_registry.seeding import seed
from seed import SEED_DIR
from tests.area_rows import ISO_CODES
from tests.conftest import GV100AD_REAL
from tests.integration.probes import rows_of
from tests.integration.test_gv100ad_realdata import OFFICIAL

SNAPSHOT_SQL = {
    "area": "SELECT ars, name, iso_code, population, current, updated_at FROM area ORDER BY ars",
    "themenfeld": "SELECT * FROM themenfeld ORDER BY key",
    "ozg_leistung": "SELECT ozg_id, name, updated_at FROM ozg_leistung ORDER BY ozg_id",
    "leika_entry": "SELECT * FROM leika_entry ORDER BY leika_key",
    "event": "SELECT seq FROM event ORDER BY seq",
}


class TestSeedReference:
    async def test_loads_16_laender_with_iso_codes_and_14_themenfelder(self, clean_db: str) -> None:
        summary = await seed(SEED_DIR, official=False)
        assert summary.counts == {"land": 16, "themenfeld": 14}
        assert (summary.created, summary.updated) == (30, 0)
        async with db.connection() as conn:
            laender = await areas.land_summaries(conn)
            themenfelder = await ozg.themenfelder(conn)
        assert {land.ars: land.iso_code for land in laender} == ISO_CODES
        assert next(land.name for land in laender if land.ars == "05") == "Nordrhein-Westfalen"
        assert [t.key for t in themenfelder][:2] == ["arbeit-ruhestand", "bauen-wohnen"]
        assert len(themenfelder) == 14

    async def test_second_run_changes_nothing(self, clean_db: str) -> None:
        await seed(SEED_DIR, official=False)
        before = await rows_of(SNAPSHOT_SQL)
        summary = await seed(SEED_DIR, official=False)
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 30)
        assert await rows_of(SNAPSHOT_SQL) == before

    async def test_keeps_an_official_name_and_sets_the_iso_code(self, clean_db: str) -> None:
        async with db.connection() as conn:
            await conn.execute("INSERT INTO area (ars, name, level, land) VALUES"
                               " ('05', 'Land Nordrhein-Westfalen', 'land', '05')")
        summary = await seed(SEED_DIR, official=False)
        assert (summary.created, summary.updated) == (29, 1)
        async with db.connection() as conn:
            row = await conn.fetchrow("SELECT name, iso_code FROM area WHERE ars = '05'")
        assert tuple(row) == ("Land Nordrhein-Westfalen", "DE-NW")

    async def test_records_an_event_only_when_something_changed(self, clean_db: str) -> None:
        await seed(SEED_DIR, official=False)
        await seed(SEED_DIR, official=False)
        async with db.connection() as conn:
            events = await conn.fetch("SELECT entity_type, entity_id, action FROM event ORDER BY seq")
        assert [tuple(e) for e in events] == [("area", "seed:land", "seeded"),
                                              ("ozg_leistung", "seed:themenfeld", "seeded")]


class TestSeedOfficial:
    """A plain install knows all of Germany and the OZG catalogue (the shipped editions)."""

    async def test_loads_every_land_with_its_official_counts(self, clean_db: str) -> None:
        summary = await seed(SEED_DIR)
        async with db.connection() as conn:
            lands = await areas.land_summaries(conn)
            leistungen = await conn.fetchval("SELECT count(*) FROM ozg_leistung")
            leika = await conn.fetchval("SELECT count(*) FROM leika_entry")
            sources = {r["kind"]: tuple(r)[1:] for r in await conn.fetch(
                "SELECT kind, edition, origin FROM reference_source ORDER BY kind")}
        got = {s.ars: (s.gemeinden, s.gemeindefreie_gebiete, s.kreise, s.population) for s in lands}
        assert got == OFFICIAL
        assert (leistungen, summary.counts["gemeinde"]) == (557, 10_751)
        assert leika == 4_813  # 5,251 rows less those without a 14-digit key or OZG-ID, and repeats
        assert sources == {"gv100ad": ("2025-11-30", "shipped"),
                           "leika": ("Stand 2019 (KDN OZG-Datenbank NRW)", "shipped"),
                           "ozg-leistungen": ("Stand 2019 (KDN OZG-Datenbank NRW)", "shipped")}

    async def test_second_run_reads_nothing_again_and_records_no_event(self, clean_db: str) -> None:
        await seed(SEED_DIR)
        before = await rows_of(SNAPSHOT_SQL)
        summary = await seed(SEED_DIR)
        assert (summary.created, summary.updated) == (0, 0)
        assert "gemeinde" not in summary.counts  # skipped by fingerprint, not re-parsed
        assert await rows_of(SNAPSHOT_SQL) == before

    async def test_a_newer_imported_edition_wins_over_the_shipped_one(self, clean_db: str) -> None:
        await seed(SEED_DIR)
        newer = "\n".join(line[:2] + "20260630" + line[10:] if line.strip() else line
                          for line in GV100AD_REAL.read_text(encoding="utf-8").split("\n"))
        await import_gv100ad(newer.encode())
        summary = await seed(SEED_DIR)
        async with db.connection() as conn:
            stand = await conn.fetchval("SELECT max(gebietsstand) FROM area WHERE current")
            source = tuple(await conn.fetchrow("SELECT edition, origin FROM reference_source WHERE kind = 'gv100ad'"))
        assert stand.isoformat() == "2026-06-30" and source == ("2026-06-30", "import")
        assert summary.updated == 0


class TestSeedDemo:
    """The demo: labelled organisations, solutions and adoptions over all 16 Länder."""

    async def test_every_land_has_demo_adoptions_in_believable_states(self, clean_db: str) -> None:
        await seed(SEED_DIR, demo=True)
        async with db.connection() as conn:
            per_land = dict(await conn.fetch(
                "SELECT a.land, count(*) FROM adoption d JOIN area a ON a.ars = d.area GROUP BY a.land"))
            statuses = {r[0] for r in await conn.fetch("SELECT DISTINCT status FROM adoption")}
            names = [tuple(r) for r in await conn.fetch(
                "SELECT name, is_demo FROM solution UNION ALL SELECT name, is_demo FROM organisation")]
        assert sorted(per_land) == sorted(OFFICIAL)
        assert statuses == {"interested", "agreed", "onboarding", "live", "paused", "withdrawn"}
        assert all(name.endswith("(Demo)") and is_demo for name, is_demo in names)

    async def test_one_solution_is_flaechendeckend_in_a_land_others_partial(self, clean_db: str) -> None:
        await seed(SEED_DIR, demo=True)
        async with db.connection() as conn:
            rows = {(r["slug"], r["land"]): (r["covered_units"], r["eligible_units"]) for r in await conn.fetch(
                "SELECT s.slug, r.land, r.covered_units, r.eligible_units FROM rollout_solution_land r"
                " JOIN solution s ON s.id = r.solution")}
        assert rows[("demo-gewerbeanmeldung", "10")] == (52, 52)
        assert rows[("demo-digitaler-bauantrag", "13")] == (8, 8)
        covered, eligible = rows[("demo-wohngeld-online", "05")]
        assert 0 < covered < eligible == 396

    async def test_second_demo_run_changes_nothing(self, clean_db: str) -> None:
        await seed(SEED_DIR, demo=True)
        before = await rows_of(SNAPSHOT_SQL)
        summary = await seed(SEED_DIR, demo=True)
        assert (summary.created, summary.updated) == (0, 0)
        assert await rows_of(SNAPSHOT_SQL) == before
