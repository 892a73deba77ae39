"""Curation sessions live in PostgreSQL: a session opened through one app instance (one worker
or container) is honoured by another, survives a restart, and signing out ends it everywhere."""

from __future__ import annotations

import httpx

from api.app import create_app
from efa_registry import db
from tests.api.conftest import wire_pages
from tests.api.test_web_pages import sign_in


def other_worker(settings) -> httpx.AsyncClient:
    app = create_app(settings)  # a second process's app: its own memory, the same database
    wire_pages(app)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry.test")


async def test_a_session_opened_on_one_worker_is_served_by_another(pages, demo, settings):
    signed_in = await sign_in(pages, demo["curator"])
    assert signed_in.status_code == 303
    cookie = pages.cookies.get("efa_sitzung")
    async with other_worker(settings) as second:
        second.cookies.set("efa_sitzung", cookie)
        page = await second.get("/kuratierung/loesungen/demo-gewerbeanmeldung")
        assert page.status_code == 200 and 'name="csrf_token"' in page.text
        async with db.connection() as conn:
            stored = await conn.fetchval("SELECT count(*) FROM web_session WHERE expires_at > now()")
        assert stored == 1
        await pages.post("/kuratierung/abmelden", data={"csrf_token": _csrf(page.text)})
        after = await second.get("/kuratierung/loesungen/demo-gewerbeanmeldung")
        assert after.status_code == 401  # signed out on one worker, out on all


async def test_the_session_store_expires_and_renews(clean_db, app):
    from api.web.session_store import PostgresStore

    store = PostgresStore()
    await store.set("a", b"eins", expires_in=60)
    await store.set("b", "zwei", expires_in=1)
    assert await store.get("a", renew_for=3600) == b"eins"
    assert 3500 < (await store.expires_in("a")) <= 3600
    async with db.connection() as conn:
        await conn.execute("UPDATE web_session SET expires_at = now() - interval '1 second' WHERE key = 'b'")
    assert await store.get("b") is None and not await store.exists("b")
    await store.delete_expired()
    async with db.connection() as conn:
        assert [r[0] for r in await conn.fetch("SELECT key FROM web_session")] == ["a"]


def _csrf(html: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
