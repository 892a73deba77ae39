"""The embedded PostgreSQL 16 from the pgserver wheel: the default when no ``EFA_DATABASE_URL``
is set, kept in ``<data_dir>/pgdata`` across restarts."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import structlog

from efa_registry.settings import Settings

log = structlog.get_logger(__name__)

EMBEDDED_DATABASE = "efa_registry"


class EmbeddedPostgres:
    """PostgreSQL 16 from the pgserver wheel, in ``<data_dir>/pgdata``; kept across restarts."""

    def __init__(self, data_dir: str | Path, database: str = EMBEDDED_DATABASE) -> None:
        self.pgdata = Path(data_dir) / "pgdata"
        self.database = database
        self._server: Any = None

    def start(self) -> str:
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        log.info("db.embedded.starting", pgdata=str(self.pgdata))
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers); pgserver copes.
            warnings.simplefilter("ignore")
            import pgserver  # lazily: production with EFA_DATABASE_URL never needs it

            self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        exists = self._server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';"
        )
        if "(1 row)" not in exists:
            self._server.psql(f'CREATE DATABASE "{self.database}";')
        return self._server.get_uri(self.database)

    def stop(self) -> None:
        if self._server is not None:
            log.info("db.embedded.stopping", pgdata=str(self.pgdata))
            self._server.cleanup()
            self._server = None


@contextlib.contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """The DSN to use: ``EFA_DATABASE_URL`` or a started embedded server (stopped on exit)."""
    if settings.database_url:
        yield settings.database_url
        return
    embedded = EmbeddedPostgres(settings.data_dir)
    try:
        yield embedded.start()
    finally:
        embedded.stop()
