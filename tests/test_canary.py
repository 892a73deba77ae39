"""Canary: the handler runs on the test's event loop, so pool and fixtures are shared safely."""

import asyncio

from litestar import get

from api.app import create_app


async def test_handler_runs_on_the_test_event_loop(settings, clean_db):
    import httpx

    seen: list[asyncio.AbstractEventLoop] = []

    @get("/canary", include_in_schema=False)
    async def canary() -> dict:
        seen.append(asyncio.get_running_loop())
        return {"ok": True}

    app = create_app(settings)
    app.register(canary)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://registry.test"
    ) as client:
        response = await client.get("/canary")
    assert response.status_code == 200
    assert seen == [asyncio.get_running_loop()]
