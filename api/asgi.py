"""ASGI entry point for production servers: ``uvicorn api.asgi:app --workers N``.

Needs ``EFA_DATABASE_URL`` (run ``efa-registry migrate`` once before starting workers).
For the embedded database use ``efa-registry serve``.
"""

from api.app import create_app
from efa_registry.log import configure_logging
from efa_registry.settings import Settings

settings = Settings.from_env()
if not settings.database_url:
    raise SystemExit("api.asgi needs EFA_DATABASE_URL; use `efa-registry serve` for the embedded database")
configure_logging(settings)
app = create_app(settings, dsn=settings.database_url)
