"""The seed: reference facts (Länder with ISO codes, Themenfelder) and the demo set."""

from __future__ import annotations

import pytest

from efa_registry import db
from efa_registry.areas import repository as areas
from efa_registry.ozg import repository as ozg
from efa_registry.seeding import seed
from tests.conftest import require_demo_data

ISO_CODES = {
    "01": "DE-SH", "02": "DE-HH", "03": "DE-NI", "04": "DE-HB", "05": "DE-NW", "06": "DE-HE",
    "07": "DE-RP", "08": "DE-BW", "09": "DE-BY", "10": "DE-SL", "11": "DE-BE", "12": "DE-BB",
    "13": "DE-MV", "14": "DE-SN", "15": "DE-ST", "16": "DE-TH",
}

SNAPSHOT_SQL = {
    "area": "SELECT ars, name, iso_code, population, current, updated_at FROM area ORDER BY ars",
    "themenfeld": "SELECT * FROM themenfeld ORDER BY key",
    "ozg_leistung": "SELECT ozg_id, name, updated_at FROM ozg_leistung ORDER BY ozg_id",
    "leika_entry": "SELECT * FROM leika_entry ORDER BY leika_key",
    "event": "SELECT seq FROM event ORDER BY seq",
}


async def snapshot() -> dict[str, list[tuple[object, ...]]]:
    async with db.connection() as conn:
        return {t: [tuple(r) for r in await conn.fetch(sql)] for t, sql in SNAPSHOT_SQL.items()}


class TestSeedReference:
    async def test_loads_16_laender_with_iso_codes_and_14_themenfelder(self, clean_db: str) -> None:
        summary = await seed()
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
        await seed()
        before = await snapshot()
        summary = await seed()
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 30)
        assert await snapshot() == before

    async def test_keeps_an_official_name_and_sets_the_iso_code(self, clean_db: str) -> None:
        async with db.connection() as conn:
            await conn.execute("INSERT INTO area (ars, name, level, land) VALUES"
                               " ('05', 'Land Nordrhein-Westfalen', 'land', '05')")
        summary = await seed()
        assert (summary.created, summary.updated) == (29, 1)
        async with db.connection() as conn:
            row = await conn.fetchrow("SELECT name, iso_code FROM area WHERE ars = '05'")
        assert tuple(row) == ("Land Nordrhein-Westfalen", "DE-NW")

    async def test_records_an_event_only_when_something_changed(self, clean_db: str) -> None:
        await seed()
        await seed()
        async with db.connection() as conn:
            events = await conn.fetch("SELECT entity_type, entity_id, action FROM event ORDER BY seq")
        assert [tuple(e) for e in events] == [("area", "seed:land", "seeded"),
                                              ("ozg_leistung", "seed:themenfeld", "seeded")]


class TestSeedDemo:
    @pytest.fixture(autouse=True)
    def _reference_data(self) -> None:
        require_demo_data()

    async def test_saarland_is_complete(self, clean_db: str) -> None:
        await seed(demo=True)
        async with db.connection() as conn:
            [saarland] = await areas.land_summaries(conn, "10")
        assert (saarland.gemeinden, saarland.gemeindefreie_gebiete, saarland.kreise) == (52, 1, 6)
        assert saarland.population == 1_012_141
        assert saarland.iso_code == "DE-SL"

    async def test_loads_demo_areas_and_catalogue(self, clean_db: str) -> None:
        summary = await seed(demo=True)
        assert summary.counts["land"] == 16
        assert summary.counts["ozg_leistung"] == 27
        assert summary.counts["leika_entry"] == 58
        assert summary.skipped == []
        async with db.connection() as conn:
            laender = await areas.land_summaries(conn)
            found = await conn.fetchval("SELECT name FROM area WHERE ars = '010540056056'")
            elterngeld = await ozg.get(conn, "10000")
            solutions = await conn.fetchval("SELECT count(*) FROM solution WHERE is_demo")
            live_saarland = await conn.fetchval(
                "SELECT covered_units FROM rollout_solution_land r JOIN solution s ON s.id = r.solution"
                " WHERE s.slug = 'demo-gewerbeanmeldung' AND r.land = '10'")
        assert {land.ars: land.iso_code for land in laender} == ISO_CODES
        assert {land.ars: land.gemeinden for land in laender if land.gemeinden} == {
            "01": 27, "02": 1, "05": 4, "10": 52, "11": 1}
        assert found == "Husum, Stadt"
        assert elterngeld is not None and elterngeld.themenfeld == "familie-kind"
        assert solutions == 13
        assert live_saarland == 52  # the demo's flächendeckend Land

    async def test_second_demo_run_changes_nothing(self, clean_db: str) -> None:
        await seed(demo=True)
        before = await snapshot()
        summary = await seed(demo=True)
        assert (summary.created, summary.updated) == (0, 0)
        assert await snapshot() == before

    async def test_never_retires_areas_of_a_real_edition(self, clean_db: str) -> None:
        await seed()
        async with db.connection() as conn:
            await conn.execute("INSERT INTO area (ars, name, level, land, parent) VALUES"
                               " ('03241', 'Region Hannover', 'kreis', '03', '03')")
        summary = await seed(demo=True)
        assert summary.skipped == [(0, "demo areas not loaded: 1 current areas in the database"
                                       " are not in the demo extract")]
        assert summary.counts["ozg_leistung"] == 27
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT current FROM area WHERE ars = '03241'") is True
            assert await conn.fetchval("SELECT count(*) FROM area") == 17
