"""Read use cases over the OZG catalogue."""

from __future__ import annotations

import msgspec

from efa_registry import db
from efa_registry.errors import found
from efa_registry.kit.paging import Page
from efa_registry.ozg import repository
from efa_registry.ozg.model import OzgFilter, OzgLeistung, OzgLeistungDetail, Themenfeld


async def list_themenfelder() -> list[Themenfeld]:
    async with db.connection() as conn:
        return await repository.themenfelder(conn)


async def list_leistungen(flt: OzgFilter, *, limit: int, after: str | None) -> Page[OzgLeistung]:
    async with db.connection() as conn:
        return await repository.list_leistungen(conn, flt, limit=limit, after=after)


async def get_leistung(ozg_id: str) -> OzgLeistungDetail:
    async with db.connection() as conn:
        leistung = found(await repository.get(conn, ozg_id), f"no OZG-Leistung with OZG-ID {ozg_id}", field="ozgId")
        entries = await repository.leika_entries(conn, ozg_id)
    return OzgLeistungDetail(**msgspec.structs.asdict(leistung), leika_entries=entries)
