"""Rollout figures on small hand-written areas: coverage, OZG-Leistung union, timeline, overview,
matrix and ranking, and exactness (at once after commit, under concurrent refreshes)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid

import pytest

from efa_registry import db
from efa_registry.errors import InvalidParameter, NotFound
from efa_registry.rollout import repository, service
from efa_registry.rollout.model import MatrixFilter
from tests.area_rows import insert_areas, kreisfreie_stadt, without_keys

D = dt.date


def gemeinden(verband: str, *members: tuple[str, str, str, int]):
    """The members of a Gemeindeverband, each as (last three digits, name, level, population)."""
    return [(verband + tail, name, level, verband, pop) for tail, name, level, pop in members]


AREAS = [
    # ars, name, level, parent, population
    ("07", "Rheinland-Pfalz", "land", None, 1000),
    ("07131", "Ahrweiler", "kreis", "07", 600),
    ("071315001", "VG Altenahr", "gemeindeverband", "07131", 600),
    *gemeinden("071315001", ("001", "Ahrbrück", "gemeinde", 100), ("002", "Altenahr", "gemeinde", 200),
               ("003", "Berg", "gemeinde", 300), ("999", "Gemeindefreies Gebiet", "gemeindefreies_gebiet", 0)),
    *without_keys(kreisfreie_stadt("07111", "Koblenz, Stadt", "07", 400, kreis_name="Koblenz, kreisfreie Stadt")),
    ("05", "Nordrhein-Westfalen", "land", None, 1_090_315),
    ("051", "Reg.-Bez. Düsseldorf", "regierungsbezirk", "05", 1_090_315),
    *without_keys(kreisfreie_stadt("05112", "Duisburg, Stadt", "051", 503_707)),
    *without_keys(kreisfreie_stadt("05113", "Essen, Stadt", "051", 586_608)),
    ("08", "Baden-Württemberg", "land", None, 50),
    ("081", "Reg.-Bez. Stuttgart", "regierungsbezirk", "08", 50),
    ("0811", "Region Stuttgart", "region", "081", None),
    *without_keys(kreisfreie_stadt("08111", "Stuttgart, Stadt", "081", 50, kreis_name="Stuttgart, Stadtkreis")),
]
RLP_GEMEINDEN = ["071110000000", "071315001001", "071315001002", "071315001003"]


@pytest.fixture
async def areas(clean_db):
    async with db.transaction() as conn:
        await insert_areas(conn, [(ars, None, name, level, None, parent, pop)
                                  for ars, name, level, parent, pop in AREAS])
        await conn.execute("INSERT INTO themenfeld (key, name, position) VALUES ('familie-kind', 'Familie & Kind', 1),"
                           " ('bauen-wohnen', 'Bauen & Wohnen', 2)")
        await conn.execute("INSERT INTO ozg_leistung (ozg_id, name, themenfeld, execution_level) VALUES"
                           " ('10000', 'Elterngeld', 'familie-kind', NULL),"
                           " ('10521', 'Baugenehmigung', 'bauen-wohnen', 'kreis')")
        await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, 'land-rp', 'land', 'RLP')",
                           uuid.uuid4())


async def new_solution(slug: str, level: str = "gemeinde", status: str = "available", ozg: tuple[str, ...] = ()):
    solution_id = uuid.uuid4()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO solution (id, slug, name, provider, status, rollout_level)"
            " SELECT $1, $2, $2, id, $3, $4 FROM organisation WHERE slug = 'land-rp'", solution_id, slug, status, level)
        await conn.executemany("INSERT INTO solution_ozg_leistung (solution, ozg_leistung) VALUES ($1, $2)",
                               [(solution_id, o) for o in ozg])
        await service.refresh_solution(conn, solution_id)
    return solution_id


async def adopt(solution_id, ars: str, status: str = "live", live_since: dt.date | None = D(2024, 5, 17)):
    """What the adoption service does: write the adoption, refresh, commit."""
    adoption_id = uuid.uuid4()
    paused_from = "live" if status == "paused" else None
    since = live_since if status in ("live", "paused") else None
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO adoption (id, solution, area, status, paused_from, live_since)"
            " VALUES ($1, $2, $3, $4, $5, $6)", adoption_id, solution_id, ars, status, paused_from, since)
        await service.refresh_after_adoption_change(conn, solution_id=solution_id, area_ars=ars)
    return adoption_id


async def set_status(adoption_id, status: str, live_since: dt.date | None = None):
    async with db.transaction() as conn:
        row = await conn.fetchrow(
            "UPDATE adoption SET status = $2::text, live_since = coalesce($3, live_since),"
            " paused_from = CASE WHEN $2::text = 'paused' THEN status END WHERE id = $1 RETURNING solution, area",
            adoption_id, status, live_since)
        await service.refresh_after_adoption_change(conn, solution_id=row["solution"], area_ars=row["area"])


def land(rollout, code: str):
    return next(x.figures for x in rollout.lands if x.land.code == code)


class TestSolutionRollout:
    async def test_a_gemeinde_adoption_covers_itself(self, areas):
        s = await new_solution("wohngeld")
        await adopt(s, "051120000000")
        nrw = land(await service.solution_rollout("wohngeld"), "05")
        assert (nrw.eligible_units, nrw.covered_units) == (2, 1)
        assert nrw.share_by_count == 0.5
        assert nrw.share_by_population == pytest.approx(503_707 / 1_090_315)
        assert (nrw.flaechendeckend, nrw.available_somewhere) == (False, True)
        assert (nrw.first_go_live, nrw.latest_go_live) == (D(2024, 5, 17), D(2024, 5, 17))

    async def test_a_land_wide_adoption_covers_every_gemeinde_and_no_gemeindefreies_gebiet(self, areas):
        s = await new_solution("wohngeld")
        await adopt(s, "07")
        rlp = land(await service.solution_rollout(s), "07")
        assert (rlp.eligible_units, rlp.covered_units, rlp.eligible_population, rlp.covered_population) == (
            4, 4, 1000, 1000)
        assert rlp.flaechendeckend and rlp.share_by_count == 1.0 and rlp.share_by_population == 1.0

    @pytest.mark.parametrize(("adopter", "covered"), [
        ("07131", {"071315001001", "071315001002", "071315001003"}),  # a Kreis covers its Gemeinden
        ("071315001", {"071315001001", "071315001002", "071315001003"}),  # a Verbandsgemeinde its Ortsgemeinden
        ("071315001002", {"071315001002"}),
        ("071110000000", {"071110000000"}),
    ])
    async def test_an_adoption_covers_the_gemeinden_inside_it(self, areas, adopter, covered):
        s = await new_solution("wohngeld")
        await adopt(s, adopter)
        rlp = land(await service.solution_rollout(s), "07")
        population = {"071110000000": 400, "071315001001": 100, "071315001002": 200, "071315001003": 300}
        assert (rlp.covered_units, rlp.covered_population) == (len(covered), sum(population[a] for a in covered))

    @pytest.mark.parametrize("status", ["withdrawn", "paused", "interested", "agreed", "onboarding"])
    async def test_an_adoption_that_is_not_live_covers_nothing(self, areas, status):
        s = await new_solution("wohngeld")
        await adopt(s, "07", status=status)
        rlp = land(await service.solution_rollout(s), "07")
        assert (rlp.covered_units, rlp.available_somewhere, rlp.first_go_live) == (0, False, None)
        assert getattr(rlp.adoptions, status) == 1

    async def test_going_live_and_withdrawing_move_the_figures(self, areas):
        s = await new_solution("wohngeld")
        adoption = await adopt(s, "07131", status="onboarding")
        await set_status(adoption, "live", D(2023, 1, 9))
        assert land(await service.solution_rollout(s), "07").covered_units == 3
        await set_status(adoption, "withdrawn")
        rlp = land(await service.solution_rollout(s), "07")
        assert (rlp.covered_units, rlp.adoptions.withdrawn, rlp.adoptions.live) == (0, 1, 0)

    async def test_overlapping_adoptions_count_a_unit_once(self, areas):
        s = await new_solution("wohngeld")
        await adopt(s, "071315001001", live_since=D(2021, 2, 1))
        await adopt(s, "071315001", live_since=D(2022, 6, 30))
        await adopt(s, "07131", live_since=D(2023, 3, 3))
        rlp = land(await service.solution_rollout(s), "07")
        assert (rlp.covered_units, rlp.covered_population, rlp.adoptions.live) == (3, 600, 3)
        assert (rlp.first_go_live, rlp.latest_go_live) == (D(2021, 2, 1), D(2023, 3, 3))

    async def test_a_region_adoption_covers_nothing(self, areas):
        s = await new_solution("wohngeld")
        await adopt(s, "0811")
        bw = land(await service.solution_rollout(s), "08")
        assert (bw.eligible_units, bw.covered_units, bw.adoptions.live, bw.latest_go_live) == (1, 0, 1, None)

    async def test_a_kreis_level_solution_counts_kreise_and_kreisfreie_staedte(self, areas):
        s = await new_solution("kfz", level="kreis")
        await adopt(s, "071315001001")  # a Gemeinde does not cover its Kreis
        assert land(await service.solution_rollout(s), "07").covered_units == 0
        await adopt(s, "07111")
        rlp = land(await service.solution_rollout(s), "07")
        assert (rlp.eligible_units, rlp.covered_units, rlp.eligible_population, rlp.covered_population) == (
            2, 1, 1000, 400)
        await adopt(s, "05")
        rollout = await service.solution_rollout(s)
        assert land(rollout, "05").flaechendeckend and land(rollout, "05").eligible_units == 2
        assert (rollout.national.eligible_units, rollout.national.covered_units) == (5, 3)

    async def test_a_land_level_solution_counts_each_land_once(self, areas):
        s = await new_solution("register", level="land")
        await adopt(s, "07131")  # a Kreis does not cover its Land
        await adopt(s, "05")
        rollout = await service.solution_rollout(s)
        assert [(x.land.code, x.figures.eligible_units, x.figures.covered_units) for x in rollout.lands] == [
            ("05", 1, 1), ("07", 1, 0), ("08", 1, 0)]
        assert rollout.national.share_by_count == pytest.approx(1 / 3)

    async def test_national_totals_add_the_laender(self, areas):
        s = await new_solution("wohngeld")
        await adopt(s, "07", live_since=D(2020, 1, 2))
        await adopt(s, "051130000000", live_since=D(2025, 5, 5))
        await adopt(s, "081110000000", status="agreed")
        national = (await service.solution_rollout(s)).national
        assert (national.eligible_units, national.covered_units) == (7, 5)
        assert national.eligible_population == 1000 + 1_090_315 + 50
        assert national.covered_population == 1000 + 586_608
        assert (national.adoptions.live, national.adoptions.agreed) == (2, 1)
        assert (national.first_go_live, national.latest_go_live) == (D(2020, 1, 2), D(2025, 5, 5))

    async def test_drill_down_to_kreise(self, areas):
        s = await new_solution("wohngeld")
        await adopt(s, "071315001002")
        await adopt(s, "071110000000", status="paused")
        rollout = await service.solution_rollout("wohngeld", land="DE-RP", by="kreis")
        assert [x.land.code for x in rollout.lands] == ["07"]
        assert [(k.ars, k.figures.eligible_units, k.figures.covered_units, k.figures.adoptions.paused)
                for k in rollout.kreise] == [("07111", 1, 0, 1), ("07131", 3, 1, 0)]

    async def test_drill_down_needs_a_land_and_units_inside_kreise(self, areas):
        await new_solution("wohngeld")
        await new_solution("register", level="land")
        with pytest.raises(InvalidParameter) as missing:
            await service.solution_rollout("wohngeld", by="kreis")
        with pytest.raises(InvalidParameter) as land_level:
            await service.solution_rollout("register", land="07", by="kreis")
        with pytest.raises(NotFound):
            await service.solution_rollout("nope")
        assert (missing.value.field, land_level.value.field) == ("land", "by")

    async def test_a_changed_rollout_level_is_recomputed(self, areas):
        s = await new_solution("wohngeld")
        await adopt(s, "07111")
        assert land(await service.solution_rollout(s), "07").eligible_units == 4
        async with db.transaction() as conn:
            await conn.execute("UPDATE solution SET rollout_level = 'kreis' WHERE id = $1", s)
        # Summary rows of the old level are never shown, even before refresh_solution ran.
        rlp = land(await service.solution_rollout(s), "07")
        assert (rlp.eligible_units, rlp.covered_units) == (2, 1)
        async with db.transaction() as conn:
            await service.refresh_solution(conn, s)
            levels = await conn.fetch("SELECT DISTINCT rollout_level FROM rollout_solution_land WHERE solution = $1", s)
        assert [r[0] for r in levels] == ["kreis"]
        assert land(await service.solution_rollout(s), "07").covered_units == 1

    async def test_a_solution_never_refreshed_is_computed_from_its_adoptions(self, areas):
        s = await new_solution("wohngeld")
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM rollout_solution_land WHERE solution = $1", s)
            await conn.execute("INSERT INTO adoption (id, solution, area, status, live_since)"
                               " VALUES ($1, $2, '07131', 'live', '2022-02-02')", uuid.uuid4(), s)
        assert land(await service.solution_rollout(s), "07").covered_units == 3
        assert (await service.matrix(MatrixFilter())).rows[0].covered_units == [0, 3, 0]


class TestOzgRollout:
    async def test_union_over_the_solutions_counts_a_unit_once(self, areas):
        a = await new_solution("elterngeld-a", ozg=("10000",))
        b = await new_solution("elterngeld-b", ozg=("10000",))
        await adopt(a, "071315001")
        await adopt(b, "071315001003")
        await adopt(b, "071110000000", status="interested")
        rollout = await service.ozg_rollout("10000")
        rlp = land(rollout, "07")
        assert (rollout.rollout_level, rollout.level_source) == ("gemeinde", "solutions")
        assert [x.slug for x in rollout.solutions] == ["elterngeld-a", "elterngeld-b"]
        assert (rlp.eligible_units, rlp.covered_units, rlp.adoptions.live, rlp.adoptions.interested) == (4, 3, 2, 1)
        await adopt(a, "071110000000")
        assert land(await service.ozg_rollout("10000"), "07").flaechendeckend

    async def test_execution_level_decides_the_eligible_units(self, areas):
        a = await new_solution("bau-a", ozg=("10521",))
        await adopt(a, "071315001001")  # a Gemeinde does not cover a Kreis
        await adopt(a, "07111")
        rollout = await service.ozg_rollout("10521")
        rlp = land(rollout, "07")
        assert (rollout.rollout_level, rollout.level_source) == ("kreis", "execution_level")
        assert (rlp.eligible_units, rlp.covered_units) == (2, 1)

    async def test_finest_solution_level_when_no_execution_level(self, areas):
        await new_solution("register", level="land", ozg=("10000",))
        k = await new_solution("kfz", level="kreis", ozg=("10000",))
        await adopt(k, "07")  # covers both Kreise of RLP at the Kreis level
        rollout = await service.ozg_rollout("10000")
        assert (rollout.rollout_level, land(rollout, "07").covered_units, land(rollout, "07").eligible_units) == (
            "kreis", 2, 2)

    async def test_retired_or_unlinked_solutions_leave_the_union(self, areas):
        a = await new_solution("elterngeld-a", ozg=("10000",))
        b = await new_solution("elterngeld-b", ozg=("10000",))
        await adopt(a, "07131")
        await adopt(b, "07111")
        assert land(await service.ozg_rollout("10000"), "07").covered_units == 4
        async with db.transaction() as conn:
            await conn.execute("UPDATE solution SET status = 'retired' WHERE id = $1", b)
            await service.refresh_solution(conn, b)
        assert land(await service.ozg_rollout("10000"), "07").covered_units == 3
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM solution_ozg_leistung WHERE solution = $1", a)
            await service.refresh_solution(conn, a)
        rollout = await service.ozg_rollout("10000")
        assert (rollout.solutions, land(rollout, "07").covered_units) == ([], 0)
        async with db.connection() as conn:
            stored = await conn.fetch("SELECT covered_units, solution_ids FROM rollout_ozg_land"
                                      " WHERE ozg_leistung = '10000' AND land = '07'")
        assert [(r["covered_units"], r["solution_ids"]) for r in stored] == [(0, [])]

    async def test_unknown_ozg_leistung(self, areas):
        with pytest.raises(NotFound):
            await service.ozg_rollout("99999")


class TestTimeline:
    async def test_cumulative_covered_units_per_month_from_the_first_go_live(self, areas):
        s = await new_solution("wohngeld")
        await adopt(s, "071315001002", live_since=D(2023, 11, 20))
        await adopt(s, "07131", live_since=D(2024, 1, 5))       # adds 001 and 003; 002 already counted
        await adopt(s, "051120000000", live_since=D(2024, 1, 31))
        await adopt(s, "051130000000", status="paused")          # paused: never counted
        timeline = await service.solution_timeline("wohngeld")
        assert [m.isoformat() for m in timeline.months] == ["2023-11-01", "2023-12-01", "2024-01-01"]
        series = {x.land.code: (x.eligible_units, x.covered) for x in timeline.lands}
        assert series == {"05": (2, [0, 0, 1]), "07": (4, [1, 1, 3]), "08": (1, [0, 0, 0])}
        assert timeline.national == [1, 1, 4]

    async def test_no_go_live_no_months(self, areas):
        await new_solution("wohngeld")
        timeline = await service.solution_timeline("wohngeld")
        assert (timeline.months, timeline.national) == ([], [])


class TestLandOverview:
    async def test_every_solution_and_ozg_leistung_in_the_land(self, areas):
        a = await new_solution("elterngeld-a", ozg=("10000",))
        await new_solution("ohne-ozg")
        await new_solution("alt", status="retired", ozg=("10521",))
        await adopt(a, "07")
        overview = await service.land_overview("DE-RP")
        assert overview.land.code == "07"
        assert [(x.solution.slug, x.figures.covered_units) for x in overview.solutions] == [
            ("alt", 0), ("elterngeld-a", 4), ("ohne-ozg", 0)]
        # 10521 has only a retired solution: not listed.
        listed = [(x.ozg_leistung.ozg_id, x.rollout_level, x.figures.flaechendeckend) for x in overview.ozg_leistungen]
        assert listed == [("10000", "gemeinde", True)]
        with pytest.raises(NotFound):
            await service.land_overview("DE-XX")


class TestMatrix:
    async def test_matrix_and_ranking(self, areas):
        a = await new_solution("elterngeld-a", ozg=("10000",))
        b = await new_solution("bau", level="kreis", ozg=("10521",))
        await adopt(a, "07")
        await adopt(a, "051120000000")
        await adopt(b, "05")
        await adopt(b, "07111")
        matrix = await service.matrix(MatrixFilter())
        assert [x.code for x in matrix.lands] == ["05", "07", "08"]
        rows = {r.solution.slug: r for r in matrix.rows}
        assert rows["elterngeld-a"].covered_units == [1, 4, 0]
        assert rows["elterngeld-a"].flaechendeckend == [False, True, False]
        assert rows["elterngeld-a"].share_by_count == [0.5, 1.0, 0.0]
        assert rows["bau"].eligible_units == [2, 2, 1] and rows["bau"].national.covered_units == 3
        # NRW: 10521 flächendeckend; RLP: 10000 flächendeckend, 10521 half → same count, NRW's 10000 is 0.5 too.
        assert [(e.rank, e.land, e.flaechendeckend_ozg_leistungen, e.ozg_leistungen) for e in matrix.ranking] == [
            (1, "05", 1, 2), (1, "07", 1, 2), (3, "08", 0, 2)]

    async def test_filters(self, areas):
        await new_solution("elterngeld-a", ozg=("10000",))
        await new_solution("bau", level="kreis", status="pilot", ozg=("10521",))
        await new_solution("ohne-ozg")

        async def slugs(**flt):
            return [r.solution.slug for r in (await service.matrix(MatrixFilter(**flt))).rows]

        assert await slugs() == ["bau", "elterngeld-a", "ohne-ozg"]
        assert await slugs(themenfeld="bauen-wohnen") == ["bau"]
        assert await slugs(ozg_id="10000") == ["elterngeld-a"]
        assert await slugs(status="pilot") == ["bau"]
        ranking = (await service.matrix(MatrixFilter(ozg_id="10000"))).ranking
        assert {e.ozg_leistungen for e in ranking} == {1}


class TestExactness:
    async def test_every_read_shows_a_write_at_once_after_it_commits(self, areas):
        s = await new_solution("elterngeld-a", ozg=("10000",))
        adoption = await adopt(s, "07131", status="onboarding")
        # Warm every cached read first.
        before = [await service.matrix(MatrixFilter()), await service.land_overview("07"),
                  await service.solution_timeline(s), await service.ozg_rollout("10000")]
        assert before[0].rows[0].covered_units == [0, 0, 0] and before[2].national == []
        await set_status(adoption, "live", D(2025, 2, 2))
        assert (await service.matrix(MatrixFilter())).rows[0].covered_units == [0, 3, 0]
        assert (await service.land_overview("07")).solutions[0].figures.covered_units == 3
        assert (await service.solution_timeline(s)).national == [3]
        assert land(await service.ozg_rollout("10000"), "07").covered_units == 3
        assert (await service.matrix(MatrixFilter())).ranking[0].mean_share_by_count == pytest.approx(0.75)

    async def test_uncommitted_changes_are_not_shown(self, areas):
        s = await new_solution("wohngeld")
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO adoption (id, solution, area, status, live_since)"
                               " VALUES ($1, $2, '07', 'live', '2024-01-01')", uuid.uuid4(), s)
            await service.refresh_after_adoption_change(conn, solution_id=s, area_ars="07")
            assert land(await service.solution_rollout(s), "07").covered_units == 0
        assert land(await service.solution_rollout(s), "07").covered_units == 4

    @pytest.mark.parametrize("same_solution", [True, False])
    async def test_concurrent_refreshes_of_one_cell_end_exact(self, areas, same_solution):
        """Two transactions each take a different Gemeinde live; both change their row before either
        refreshes, and each holds its commit until the other has refreshed too (or has waited
        0.3 s for the cell lock). Without the lock both would count only their own Gemeinde."""
        a = await new_solution("elterngeld-a", ozg=("10000",))
        b = a if same_solution else await new_solution("elterngeld-b", ozg=("10000",))
        first = await adopt(a, "071315001001", status="onboarding")
        second = await adopt(b, "071315001002", status="onboarding")
        both_changed, both_refreshed, refreshed = asyncio.Barrier(2), asyncio.Event(), []

        async def go_live(adoption_id, solution_id, ars):
            async with db.transaction() as conn:
                await conn.execute("UPDATE adoption SET status = 'live', live_since = '2025-01-01' WHERE id = $1",
                                   adoption_id)
                await both_changed.wait()
                await service.refresh_after_adoption_change(conn, solution_id=solution_id, area_ars=ars)
                refreshed.append(ars)
                if len(refreshed) == 2:
                    both_refreshed.set()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(both_refreshed.wait(), 0.3)

        await asyncio.gather(go_live(first, a, "071315001001"), go_live(second, b, "071315001002"))
        covered = [land(await service.solution_rollout(x), "07").covered_units for x in {a, b}]
        assert sum(covered) == 2
        assert land(await service.ozg_rollout("10000"), "07").covered_units == 2

    async def test_rebuild_all_reproduces_the_incremental_figures(self, areas):
        a = await new_solution("elterngeld-a", ozg=("10000",))
        b = await new_solution("bau", level="kreis", ozg=("10521", "10000"))
        for solution_id, ars in ((a, "07131"), (a, "051120000000"), (b, "07"), (b, "0811")):
            await adopt(solution_id, ars)
        columns = "solution, land, rollout_level, covered_units, covered_population, live, first_go_live"
        async with db.connection() as conn:
            incremental = await conn.fetch(f"SELECT {columns} FROM rollout_solution_land ORDER BY 1, 2")
            ozg = await conn.fetch("SELECT ozg_leistung, land, covered_units FROM rollout_ozg_land ORDER BY 1, 2")
        async with db.transaction() as conn:
            await service.rebuild_all(conn)
        async with db.connection() as conn:
            assert await conn.fetch(f"SELECT {columns} FROM rollout_solution_land ORDER BY 1, 2") == incremental
            assert await conn.fetch("SELECT ozg_leistung, land, covered_units FROM rollout_ozg_land"
                                    " ORDER BY 1, 2") == ozg
            live = await repository.compute_cells(conn, [a], "gemeinde")
        assert {code: c.covered_units for code, c in live.items()} == {"05": 1, "07": 3, "08": 0}
