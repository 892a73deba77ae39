"""The rollout summaries kept by deltas equal a full recompute after any mix of concurrent writes.

Hypothesis draws sequences of real use-case calls — subscribe, every lifecycle step (legal or
not), go-live dates moved, withdrawals, bulk loads by ARS list, Land and Kreis (which cover the
units inside them by inheritance) — for solutions at Gemeinde, Kreis and Land level that share
OZG-Leistungen, and runs them in three concurrent lanes. Afterwards every stored summary row must
equal what ``rebuild_all`` stores from scratch (rolled back, so the comparison changes nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid

import hypothesis.strategies as st
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.adoptions import bulk, service
from efa_registry.adoptions.model import AdoptionPatch, BulkAdoption, Subscribe
from efa_registry.errors import DomainError
from efa_registry.rollout import deltas, locks, refresh
from efa_registry.rollout import service as rollout
from tests.integration.test_rollout import AREAS, areas, new_solution  # noqa: F401  (fixture)

CURATOR = Actor(label="test:curator", role="curator")
ADOPTERS = [ars for ars, _, level, _, _ in AREAS if level not in ("region", "gemeindefreies_gebiet")]
STATUSES = ["interested", "agreed", "onboarding", "live", "paused", "withdrawn"]
DATES = [dt.date(2023, 1, 1), dt.date(2024, 6, 30), dt.date(2025, 3, 3), None]
# slug, level, OZG-Leistungen: two share 10000 (a union), one is measured at Kreis level (10521).
SOLUTIONS = [("a", "gemeinde", ("10000",)), ("b", "gemeinde", ("10000", "10521")), ("k", "kreis", ("10521",)),
             ("l", "land", ("10000",))]
COLUMNS = ("eligible_units, eligible_population, covered_units, covered_population, interested, agreed, onboarding,"
           " live, paused, withdrawn, first_go_live, latest_go_live, rollout_level")

subscribe = st.tuples(st.just("subscribe"), st.integers(0, 3), st.sampled_from(ADOPTERS))
step = st.tuples(st.just("step"), st.integers(0, 40), st.sampled_from(STATUSES), st.sampled_from(DATES))
move_date = st.tuples(st.just("date"), st.integers(0, 40), st.sampled_from(DATES[:3]))
bulk_status = st.sampled_from(["live", "onboarding", "withdrawn", "paused"])
bulk_load = st.tuples(st.just("bulk"), st.integers(0, 3), bulk_status,
                      st.sampled_from([("ars", ADOPTERS[:4]), ("ars", ADOPTERS[6:]), ("land", "07"), ("land", "05"),
                                       ("kreis", "07131"), ("kreis", "05112")]), st.sampled_from(DATES))
# Forward along the lifecycle (resume when paused; from live: pause or withdraw), so adoptions reach
# live and leave it again in most sequences.
advance = st.tuples(st.just("advance"), st.integers(0, 40), st.booleans(), st.sampled_from(DATES))
operation = st.one_of(subscribe, subscribe, advance, advance, advance, step, move_date, bulk_load)
NEXT = {"interested": "agreed", "agreed": "onboarding", "onboarding": "live"}
lanes = st.lists(st.lists(operation, min_size=1, max_size=12), min_size=3, max_size=3)


async def _run(op: tuple, solutions: list[uuid.UUID], adoptions: list[uuid.UUID]) -> None:
    """One use-case call; refusals (illegal step, duplicate, stale version) are part of the game."""
    with contextlib.suppress(DomainError):
        if op[0] == "subscribe":
            adoption, _ = await service.subscribe(str(solutions[op[1]]), Subscribe(ars=op[2]), actor=CURATOR)
            adoptions.append(adoption.id)
        elif op[0] in ("step", "date", "advance") and adoptions:
            current = await service.get_adoption(adoptions[op[1] % len(adoptions)])
            if op[0] == "advance":
                target = NEXT.get(current.status) or current.paused_from or ("paused" if op[2] else "withdrawn")
                since = op[3] if target == "live" and current.status == "onboarding" and op[3] else msgspec.UNSET
                patch = AdoptionPatch(status=target, live_since=since)
            elif op[0] == "step":
                since = op[3] if op[2] == "live" and op[3] else msgspec.UNSET
                patch = AdoptionPatch(status=op[2], live_since=since)
            else:
                patch = AdoptionPatch(live_since=op[2])
            await service.change(current.id, patch, expected_version=current.version, actor=CURATOR)
        elif op[0] == "bulk":
            kind, where = op[3]
            await bulk.bulk_adopt(str(solutions[op[1]]), BulkAdoption(status=op[2], live_since=op[4] if op[2] == "live"
                                                                      else None, **{kind: where}), actor=CURATOR)


async def _stored() -> tuple[list, list]:
    async with db.connection() as conn:
        return (await conn.fetch(f"SELECT solution, land, {COLUMNS} FROM rollout_solution_land ORDER BY 1, 2"),
                await conn.fetch(f"SELECT ozg_leistung, land, solution_ids, {COLUMNS} FROM rollout_ozg_land"
                                 " ORDER BY 1, 2"))


class _Rollback(Exception):
    pass


async def _rebuilt() -> tuple[list, list]:
    """What ``rebuild_all`` stores from the adoptions as they are; rolled back afterwards."""
    result: tuple[list, list] = ([], [])
    with contextlib.suppress(_Rollback):
        async with db.transaction() as conn:
            await rollout.rebuild_all(conn)
            result = (await conn.fetch(f"SELECT solution, land, {COLUMNS} FROM rollout_solution_land ORDER BY 1, 2"),
                      await conn.fetch(f"SELECT ozg_leistung, land, solution_ids, {COLUMNS} FROM rollout_ozg_land"
                                       " ORDER BY 1, 2"))
            raise _Rollback
    return result


async def _fresh_catalogue() -> list[uuid.UUID]:
    async with db.transaction() as conn:
        await conn.execute("TRUNCATE adoption, rollout_solution_land, rollout_ozg_land, event CASCADE")
        await conn.execute("DELETE FROM solution_ozg_leistung; DELETE FROM solution")
    return [await new_solution(slug, level, ozg=ozg) for slug, level, ozg in SOLUTIONS]


class TestDeltasEqualARecompute:
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
    @given(lanes=lanes)
    async def test_concurrent_random_writes_leave_every_summary_exact(self, areas, lanes):  # noqa: F811
        solutions = await _fresh_catalogue()
        adoptions: list[uuid.UUID] = []

        async def lane(ops):
            for op in ops:
                await _run(op, solutions, adoptions)

        await asyncio.gather(*(lane(ops) for ops in lanes))
        stored, rebuilt = await _stored(), await _rebuilt()
        assert stored[0] == rebuilt[0], "solution × Land summaries drifted from a recompute"
        assert stored[1] == rebuilt[1], "OZG-Leistung × Land summaries drifted from a recompute"


class TestLargeLoads:
    @pytest.mark.parametrize(("status", "where"), [("live", {"land": "07"}), ("onboarding", {"land": "05"}),
                                                    ("withdrawn", {"ars": ADOPTERS[:4]})])
    async def test_a_load_past_the_delta_limit_recomputes_and_stays_exact(
            self, areas, monkeypatch, status, where):  # noqa: F811
        solutions = await _fresh_catalogue()
        await bulk.bulk_adopt(str(solutions[1]), BulkAdoption(status="interested", ars=ADOPTERS[:4]), actor=CURATOR)
        monkeypatch.setattr(refresh, "WHOLE_FROM", 2)  # the few areas of the test stand for thousands
        recomputed, original = [], refresh.refresh_solution

        async def counted(conn, solution_id):
            recomputed.append(solution_id)
            await original(conn, solution_id)

        monkeypatch.setattr(refresh, "refresh_solution", counted)
        await bulk.bulk_adopt(str(solutions[1]), BulkAdoption(status=status, **where), actor=CURATOR)
        assert recomputed == [solutions[1]], "a large load recomputes instead of moving by deltas"
        stored, rebuilt = await _stored(), await _rebuilt()
        assert stored == rebuilt and any(row["live"] or row["onboarding"] or row["withdrawn"] for row in stored[0])


class TestMovesFigures:
    def test_a_note_or_plan_moves_nothing_a_status_or_go_live_date_does(self):
        same = dict(adoption_id=uuid.uuid4(), area="07", before_status="live", before_since=dt.date(2024, 1, 1))
        assert not deltas.AdoptionChange(**same, after_status="live", after_since=dt.date(2024, 1, 1)).moves_figures
        assert deltas.AdoptionChange(**same, after_status="live", after_since=dt.date(2024, 2, 1)).moves_figures
        assert deltas.AdoptionChange(**same, after_status="paused", after_since=dt.date(2024, 1, 1)).moves_figures
        new = deltas.AdoptionChange(adoption_id=uuid.uuid4(), area="07", before_status=None, before_since=None,
                                    after_status="interested", after_since=None)
        assert new.moves_figures

    def test_only_going_live_leaving_live_or_a_moved_go_live_date_moves_coverage(self):
        def change(before, after, since=(None, None)):
            return deltas.AdoptionChange(adoption_id=uuid.uuid4(), area="07", before_status=before,
                                         before_since=since[0], after_status=after, after_since=since[1])

        day, later = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
        assert not change(None, "interested").moves_coverage
        assert not change("interested", "agreed").moves_coverage
        assert not change("paused", "withdrawn").moves_coverage
        assert change("onboarding", "live", (None, day)).moves_coverage
        assert change("live", "paused", (day, day)).moves_coverage
        assert change("live", "live", (day, later)).moves_coverage
        assert not change("live", "live", (day, day)).moves_coverage


async def _lock_free(key: str) -> bool:
    """Whether another session could take the cell lock ``key`` now."""
    async with db.connection() as other:
        return await other.fetchval("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", key)


class TestStateReadLocks:
    async def test_the_state_read_of_a_summarised_solution_holds_its_cells_until_commit(self, areas):  # noqa: F811
        solutions = await _fresh_catalogue()
        ars = ADOPTERS[0]
        await service.subscribe(str(solutions[1]), Subscribe(ars=ars), actor=CURATOR)  # summarised now
        keys = [locks.cell_key("solution", solutions[1], ars[:2]),
                *(locks.cell_key("ozg", o, ars[:2]) for o in ("10000", "10521"))]
        async with db.transaction() as conn:
            rows = await locks.delta_state(conn, solutions[1], [ars[:2]])
            assert rows[0]["locked"]
            assert sorted(r["ozg_id"] for r in rows) == ["10000", "10521"]
            assert [await _lock_free(k) for k in keys] == [False, False, False]
        assert [await _lock_free(k) for k in keys] == [True, True, True]

    async def test_the_state_read_of_a_solution_not_summarised_takes_no_cell_lock(self, areas):  # noqa: F811
        solutions = await _fresh_catalogue()
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM rollout_solution_land WHERE solution = $1", solutions[0])
            rows = await locks.delta_state(conn, solutions[0], ["07"])
            assert not rows[0]["locked"]
            assert await _lock_free(locks.cell_key("solution", solutions[0], "07"))
        async with db.transaction() as conn:
            await conn.execute("UPDATE rollout_solution_land SET rollout_level = 'kreis' WHERE solution = $1",
                               solutions[0])  # summarised at another level
            rows = await locks.delta_state(conn, solutions[0], ["07"])
            assert not rows[0]["locked"]
            assert await _lock_free(locks.cell_key("solution", solutions[0], "07"))

    async def test_a_lock_cycle_fails_one_writer_with_an_answer_to_retry(self, database):
        """The repair path locks out of order; PostgreSQL ends a cycle by failing one transaction,
        which the API answers with 503 and Retry-After (nothing was written)."""
        from api.problems import unavailable

        first, second = await db.pool().acquire(), await db.pool().acquire()
        try:
            for conn, key in ((first, "test:a"), (second, "test:b")):
                await conn.execute("BEGIN")
                await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)
            results = await asyncio.gather(
                first.execute("SELECT pg_advisory_xact_lock(hashtextextended('test:b', 0))"),
                second.execute("SELECT pg_advisory_xact_lock(hashtextextended('test:a', 0))"), return_exceptions=True)
            failed = [r for r in results if isinstance(r, BaseException)]
            assert len(failed) == 1 and type(failed[0]).__name__ == "DeadlockDetectedError"
            assert unavailable(failed[0])
        finally:
            for conn in (first, second):
                await conn.execute("ROLLBACK")
                await db.pool().release(conn)


class TestRepair:
    async def test_an_ozg_union_stored_over_another_set_of_solutions_is_recomputed_in_every_land(self, areas):  # noqa: F811
        solutions = await _fresh_catalogue()
        await service.subscribe(str(solutions[0]), Subscribe(ars=ADOPTERS[0]), actor=CURATOR)
        async with db.transaction() as conn:  # as if a link had changed without a refresh
            await conn.execute("UPDATE rollout_ozg_land SET solution_ids = ARRAY[$1::uuid], interested = 7"
                               " WHERE ozg_leistung = '10000'", solutions[0])
        adoption, _ = await service.subscribe(str(solutions[0]), Subscribe(ars=ADOPTERS[-1]), actor=CURATOR)
        await service.change(adoption.id, AdoptionPatch(status="agreed"), expected_version=frozenset({1}),
                             actor=CURATOR)
        stored, rebuilt = await _stored(), await _rebuilt()
        assert stored[1] == rebuilt[1]
        assert {r[0] for r in stored[1]} >= {"10000"}
