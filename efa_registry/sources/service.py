"""Which editions the registry's figures rest on, for the API and the page footer."""

from __future__ import annotations

from efa_registry import db
from efa_registry.sources import repository
from efa_registry.sources.model import SOURCES, LoadedSource, RegistryFacts, loaded


async def loaded_sources() -> list[LoadedSource]:
    async with db.connection() as conn:
        stored = await repository.stored_sources(conn)
    return [loaded(info, stored.get(kind)) for kind, info in SOURCES.items()]


async def registry_facts() -> RegistryFacts:
    """What every page says about the data it shows: the editions and whether demo data is loaded."""
    async with db.connection() as conn:
        stored, demo = await repository.sources_and_demo(conn)
    return RegistryFacts(sources=[loaded(info, stored.get(kind)) for kind, info in SOURCES.items()], demo=demo)
