"""Operations: liveness and readiness."""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, get

from efa_registry import db
from efa_registry.db import migrate


class Health(msgspec.Struct):
    status: str


class Readiness(msgspec.Struct, omit_defaults=True):
    status: str
    database: str
    pending_migrations: list[str] = msgspec.field(default_factory=list, name="pendingMigrations")
    detail: str | None = None


class HealthController(Controller):
    tags = ["Operations"]

    @get("/health", operation_id="health", summary="Process is up", cache=False)
    async def health(self) -> Health:
        """Liveness: answers as long as the process serves requests; touches no database."""
        return Health(status="ok")

    @get("/ready", operation_id="ready", summary="Database reachable and migrated", cache=False)
    async def ready(self) -> Response[Readiness]:
        """Readiness: 200 when the database answers and every migration is applied, else 503."""
        try:
            await db.ping()
            pending = await migrate.pending()
        except Exception as exc:  # any failure to reach the database means "not ready"
            return Response(Readiness(status="unavailable", database="unreachable",
                                      detail=type(exc).__name__), status_code=503)
        if pending:
            return Response(Readiness(status="unavailable", database="behind",
                                      pending_migrations=pending), status_code=503)
        return Response(Readiness(status="ok", database="ok"))
