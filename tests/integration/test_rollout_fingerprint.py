"""The fingerprint of the cached rollout reads: it moves with every committed change of what they
show, and only then — unrelated writes, pruning and uncommitted changes leave it as it is."""

from __future__ import annotations

import uuid

from efa_registry import db
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
