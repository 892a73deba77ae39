"""Released connections: no session reset round trip, but nothing left open for the next user."""

from __future__ import annotations

import asyncpg
import pytest

from efa_registry import db


async def test_a_released_connection_comes_back_without_the_transaction_left_open(clean_db):
    async with db.connection() as conn:
        await conn.execute("BEGIN")
        await conn.execute("CREATE TEMP TABLE left_open (x int) ON COMMIT DROP")
        backend = await conn.fetchval("SELECT pg_backend_pid()")
    for _ in range(db.pool().get_size()):
        async with db.connection() as conn:
            assert not conn.is_in_transaction()
            if await conn.fetchval("SELECT pg_backend_pid()") == backend:
                assert await conn.fetchval("SELECT to_regclass('pg_temp.left_open')") is None
                break
    else:
        raise AssertionError("the connection that was released never came back")


async def test_the_pool_sends_no_reset_query_on_release(clean_db):
    async with db.connection() as conn:
        sent: list[str] = []
        conn.add_query_logger(lambda record: sent.append(record.query))
        await conn.fetchval("SELECT 1")
    assert sent == ["SELECT 1"]


async def _comes_back_with_default_plans(backend: int) -> None:
    for _ in range(db.pool().get_size()):
        async with db.connection() as conn:
            assert not conn.is_in_transaction()
            if await conn.fetchval("SELECT pg_backend_pid()") == backend:
                assert await conn.fetchval("SHOW plan_cache_mode") == "auto"
                return
    raise AssertionError("the connection that was released never came back")


async def test_generic_plans_come_from_their_own_pool_and_never_reach_the_main_one(clean_db):
    async with db.generic_plans() as conn:
        assert await conn.fetchval("SHOW plan_cache_mode") == "force_generic_plan"
        assert not conn.is_in_transaction()  # no round trips to open and end one
        generic_backend = await conn.fetchval("SELECT pg_backend_pid()")
    async with db.connection() as conn:
        assert await conn.fetchval("SHOW plan_cache_mode") == "auto"
        assert await conn.fetchval("SELECT pg_backend_pid()") != generic_backend


async def test_a_failed_read_on_generic_plans_leaves_its_connection_usable(clean_db):
    with pytest.raises(asyncpg.DivisionByZeroError):
        async with db.generic_plans() as conn:
            await conn.fetchval("SELECT 1 / 0")
    async with db.generic_plans() as conn:
        assert await conn.fetchval("SELECT 2") == 2


async def test_a_transaction_on_generic_plans_ends_them_with_it(clean_db):
    async with db.transaction(generic_plans=True) as conn:
        assert await conn.fetchval("SHOW plan_cache_mode") == "force_generic_plan"
        assert conn.is_in_transaction()
        backend = await conn.fetchval("SELECT pg_backend_pid()")
    await _comes_back_with_default_plans(backend)


async def test_a_failed_transaction_on_generic_plans_is_rolled_back(clean_db):
    with pytest.raises(asyncpg.DivisionByZeroError):
        async with db.transaction(generic_plans=True) as conn:
            backend = await conn.fetchval("SELECT pg_backend_pid()")
            await conn.execute("CREATE TABLE rolled_back (x int)")
            await conn.fetchval("SELECT 1 / 0")
    await _comes_back_with_default_plans(backend)
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT to_regclass('rolled_back')") is None
