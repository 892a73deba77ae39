"""Read use cases over areas."""

from __future__ import annotations

from efa_registry import db
from efa_registry.areas import repository
from efa_registry.areas.model import Area, AreaFilter, LandSummary
from efa_registry.errors import NotFound, found
from efa_registry.kit.paging import Page
from efa_registry.search import lexicon, places


async def get_area(key: str) -> Area:
    async with db.connection() as conn:
        return found(await repository.get(conn, key), f"no area with ARS/AGS {key}", field="ars")


async def list_areas(flt: AreaFilter, *, limit: int, after: str | None) -> Page[Area]:
    """By ARS; with ``q``, by how well the name matches as people write it (``search.places``),
    then the areas whose name begins with it."""
    async with db.connection() as conn:
        if not flt.q:
            return await repository.list_areas(conn, flt, limit=limit, after=after)
        ranked = places.search(flt.q, await lexicon.places(conn))
        return await repository.list_ranked(conn, [m.ars for m in ranked], flt, limit=limit, after=after)


async def list_lands() -> list[LandSummary]:
    async with db.connection() as conn:
        return await repository.land_summaries(conn)


async def get_land(code: str) -> LandSummary:
    async with db.connection() as conn:
        lands = await repository.land_summaries(conn, code)
    if not lands:
        raise NotFound(f"no Land with key {code}", field="code")
    return lands[0]


async def land_key(code: str) -> str:
    """``05`` or ``DE-NW`` (any case) → ``05``."""
    if code.isdigit():
        return code
    async with db.connection() as conn:
        return found(await repository.land_by_iso(conn, code.upper()), f"no Land with code {code}", field="code")
