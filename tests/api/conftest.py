"""API tests share the fixtures of tests/reference_fixtures.py (registered in tests/conftest.py),
and the demo catalogue with the pages wired in (web pages, README examples)."""

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from efa_registry import db
from seed import SEED_DIR
from tests.conftest import TABLES_SQL
from tests.reference_fixtures import Tokens  # noqa: F401  (re-exported for older imports)


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
    return await _demo_tokens()


async def _demo_tokens() -> dict[str, str]:
    from efa_registry.access import tokens
    from efa_registry.access.model import Actor
    from efa_registry.seeding import seed

    await seed(SEED_DIR, demo=True)
    system = Actor.system("test-setup")
    async with db.connection() as conn:
        saarland = await conn.fetchval("SELECT id FROM organisation WHERE slug = 'demo-saarland'")
    issued = {}
    for who, cmd in {"curator": tokens.NewToken(role="curator", name="Koordinierungsstelle"),
                     "provider": tokens.NewToken(role="provider", name="Saarland", organisation_id=saarland),
                     "adopter": tokens.NewToken(role="adopter", name="Duisburg", ars=("05112",))}.items():
        issued[who] = (await tokens.create_token(cmd, actor=system))[1]
    return issued


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo_once(database: str) -> dict[str, str]:
    """The demo catalogue loaded once for a module of read-only tests (a seed costs seconds)."""
    async with db.connection() as conn:
        tables = ", ".join(f'"{r["tablename"]}"' for r in await conn.fetch(TABLES_SQL))
        await conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    return await _demo_tokens()


@pytest.fixture
async def reader(app, demo_once) -> AsyncIterator[httpx.AsyncClient]:
    """A client on the demo of ``demo_once``, pages wired in; for tests that change nothing."""
    wire_pages(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry.test") as c:
        yield c
