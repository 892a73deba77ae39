"""Recording events — always on the connection of the change's own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Protocol

import asyncpg
import msgspec

from efa_registry.events import repository
from efa_registry.kit.sql import Rider
from efa_registry.types import EntityType


class Author(Protocol):
    """Who made a change, as the log keeps it (``access.model.Actor`` is one). A protocol, so the
    event log does not depend on the access package, which records its own token events here."""

    @property
    def label(self) -> str: ...

    @property
    def request_id(self) -> str | None: ...


def snapshot_of(value: Any) -> Any:
    """A record as the event log keeps it: fields by their Python (snake_case) names.

    Core records encode camelCase for the API; the stored snapshots have always used the Python
    names (the history view, the feed's contact filter and every integrator's parser rely on them).
    """
    if isinstance(value, msgspec.Struct):
        return {name: snapshot_of(getattr(value, name)) for name in value.__struct_fields__}
    if isinstance(value, dict):
        return {key: snapshot_of(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [snapshot_of(item) for item in value]
    return value


def rider(
    conn: asyncpg.Connection,
    *,
    actor: Author,
    entity_type: EntityType,
    entity_id: str | uuid.UUID,
    action: str,
    version: int | None = None,
    snapshot: Any = None,
    solution_id: uuid.UUID | None = None,
    land: str | None = None,
    themenfelder: Sequence[str] = (),
) -> Rider:
    """One event as a statement to ride along the change's next statement (``kit.sql.along``);
    the caller runs it in the change's transaction (``record`` runs it at once)."""
    _check_transaction(conn)
    return Rider(repository.INSERT, _row(actor, entity_type, entity_id, action, version, snapshot, solution_id, land,
                                         themenfelder))


async def record(conn: asyncpg.Connection, **event: Any) -> int:
    """Append one event (the fields of ``rider``) now; call inside the transaction that makes the
    change. Returns its sequence number."""
    return await repository.append(conn, rider(conn, **event).args)


def _row(actor: Author, entity_type: EntityType, entity_id: str | uuid.UUID, action: str, version: int | None,
         snapshot: Any, solution_id: uuid.UUID | None, land: str | None, themenfelder: Sequence[str]) -> tuple:
    return (actor.label, actor.request_id, entity_type, str(entity_id), action, version, _encode(snapshot),
            solution_id, land, list(themenfelder))


async def record_many(conn: asyncpg.Connection, events: Sequence[dict[str, Any]], *, actor: Author) -> None:
    """Append many events in one round trip (bulk loads); same fields as ``record``."""
    _check_transaction(conn)
    await repository.append_many(conn, [
        _row(actor, e["entity_type"], e["entity_id"], e["action"], e.get("version"), e.get("snapshot"),
             e.get("solution_id"), e.get("land"), e.get("themenfelder", ())) for e in events])


def _check_transaction(conn: asyncpg.Connection) -> None:
    if not conn.is_in_transaction():
        raise RuntimeError("events must be recorded inside the change's transaction")


def _encode(snapshot: Any) -> str | None:
    return msgspec.json.encode(snapshot_of(snapshot)).decode() if snapshot is not None else None
