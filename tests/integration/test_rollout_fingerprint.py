"""The fingerprint of the cached rollout reads: it moves with every committed change of what they
show, and only then — unrelated writes, pruning and uncommitted changes leave it as it is."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from efa_registry import db
from efa_registry.errors import NotFound
from efa_registry.rollout import service
from efa_registry.rollout import summary_repository as summary
from tests.integration.test_rollout import adopt, areas, new_solution  # noqa: F401  (fixture)


async def fingerprint() -> str:
    async with db.connection() as conn:
        return await summary.fingerprint(conn)


async def unrelated_write() -> None:
    """A committed transaction that touches none of the five tables (it still takes an xid)."""
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, $2, 'kommune', 'X')",
                           uuid.uuid4(), f"x-{uuid.uuid4().hex[:8]}")


class TestFingerprint:
    async def test_unrelated_writes_and_pruning_leave_it_unchanged(self, areas):  # noqa: F811
        await new_solution("elterngeld-a", ozg=("10000",))
        before = await fingerprint()
        for _ in range(3):
            await unrelated_write()
        assert await fingerprint() == before
        async with db.connection() as conn:
            await summary.prune_changes(conn)
            assert await conn.fetchval("SELECT count(*) FROM rollout_change") == 1
        assert await fingerprint() == before

    async def test_every_table_the_reads_show_moves_it(self, areas):  # noqa: F811
        s = await new_solution("elterngeld-a", ozg=("10000",))
        seen = {await fingerprint()}
        await adopt(s, "071315001001")  # rollout_solution_land, rollout_ozg_land
        seen.add(await fingerprint())
        for statement in ("UPDATE solution SET name = 'Elterngeld A' WHERE id = $1",
                          "DELETE FROM solution_ozg_leistung WHERE solution = $1",
                          "UPDATE ozg_leistung SET name = 'Elterngeld (neu)'"
                          " WHERE ozg_id = '10000' AND $1::uuid IS NOT NULL"):
            async with db.transaction() as conn:
                await conn.execute(statement, s)
            seen.add(await fingerprint())
        assert len(seen) == 5

    async def test_an_uncommitted_change_is_not_in_it_until_it_commits(self, areas):  # noqa: F811
        s = await new_solution("elterngeld-a", ozg=("10000",))
        before = await fingerprint()
        async with db.transaction() as conn:
            await conn.execute("UPDATE solution SET name = 'Neu' WHERE id = $1", s)
            assert await fingerprint() == before
        assert await fingerprint() != before


class TestCachedSolutionRollout:
    async def test_a_cached_rollout_shows_a_write_at_once_by_slug_and_by_id(self, areas):  # noqa: F811
        s = await new_solution("elterngeld-a", ozg=("10000",))
        for key in ("elterngeld-a", s, str(s)):
            assert (await service.solution_rollout(key)).national.covered_units == 0  # warm the cache
        await adopt(s, "071315001001")
        for key in ("elterngeld-a", s, str(s)):
            assert (await service.solution_rollout(key)).national.covered_units == 1

    async def test_each_day_has_its_own_forecast(self, areas):  # noqa: F811
        s = await new_solution("elterngeld-a", ozg=("10000",))
        await adopt(s, "071315001001", live_since=dt.date(2025, 1, 10))
        early = await service.solution_rollout(s, today=dt.date(2025, 6, 1))
        late = await service.solution_rollout(s, today=dt.date(2026, 6, 1))
        assert early.national.forecast.window_end == dt.date(2025, 6, 1)
        assert late.national.forecast.window_end == dt.date(2026, 6, 1)
        assert early.national.forecast.go_lives_in_window == 1 and late.national.forecast.go_lives_in_window == 0

    async def test_an_unknown_solution_is_not_found_every_time(self, areas):  # noqa: F811
        for _ in range(2):
            with pytest.raises(NotFound):
                await service.solution_rollout("gibt-es-nicht")
