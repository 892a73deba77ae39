"""Piccolo configuration. The engine gets its DSN at start-up (``db.connect``), not at import."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine


class RegistryEngine(PostgresEngine):
    """Piccolo's engine without its import-time probe of a database that is not chosen yet."""

    async def check_version(self) -> None:
        return None

    async def prep_database(self) -> None:
        return None


DB = RegistryEngine(config={}, log_queries=False)

APP_REGISTRY = AppRegistry(apps=["efa_registry.db.piccolo_app"])
