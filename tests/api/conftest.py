"""API tests share the fixtures of tests/reference_fixtures.py (registered in tests/conftest.py),
and the demo catalogue with the pages wired in (web pages, README examples)."""

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from tests.reference_fixtures import Tokens, empty_database, load_demo  # noqa: F401  (Tokens: older imports)


def wire_pages(app) -> None:
    """The pages in the app (inert once api/app.py does it)."""
    if app.template_engine is None:
        from api.web import WEB_CONTROLLERS, template_config

        app.template_engine = template_config().engine_instance
        for controller in WEB_CONTROLLERS:
            app.register(controller)


@pytest.fixture
async def pages(app, client):
    """The client, with the pages wired into the app."""
    wire_pages(app)
    return client


@pytest.fixture
async def demo(clean_db):
    """The demo catalogue and a token per role (the provider is the demo Saarland)."""
    return await load_demo()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo_once(database: str) -> dict[str, str]:
    """The demo catalogue loaded once for a module of read-only tests (a seed costs seconds)."""
    await empty_database()
    return await load_demo()


@pytest.fixture
async def reader(app, demo_once) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the demo of ``demo_once``, pages wired in; for tests that change nothing."""
    wire_pages(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry.test") as c:
        yield c
