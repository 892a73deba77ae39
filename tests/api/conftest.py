"""API tests share the fixtures of tests/reference_fixtures.py (registered in tests/conftest.py),
and the demo catalogue with the pages wired in (web pages, README examples)."""

import pytest

from efa_registry import db
from seed import SEED_DIR
from tests.reference_fixtures import Tokens  # noqa: F401  (re-exported for older imports)


@pytest.fixture
async def pages(app, client):
    """The client, with the pages wired into the app (the shim is inert once api/app.py does it)."""
    if app.template_engine is None:
        from api.web import WEB_CONTROLLERS, template_config

        app.template_engine = template_config().engine_instance
        for controller in WEB_CONTROLLERS:
            app.register(controller)
    return client


@pytest.fixture
async def demo(clean_db):
    """The demo catalogue and a token per role (the provider is the demo Saarland)."""
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
