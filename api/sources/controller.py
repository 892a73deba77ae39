"""The official sources the figures rest on: which edition is loaded, and how to credit it."""

from __future__ import annotations

from litestar import Controller, get

from efa_registry.sources import service
from efa_registry.sources.model import LoadedSource


class SourceController(Controller):
    path = "/v1/sources"
    tags = ["Areas"]

    @get("/", operation_id="listSources", summary="The official sources and their loaded editions")
    async def list_sources(self) -> list[LoadedSource]:
        """The Destatis GV100AD area directory and the OZG catalogue with its LeiKa mapping: the
        edition loaded (`shipped` with the package or `import`ed by the operator), when, and the
        attribution their licences require wherever the data is shown."""
        return await service.loaded_sources()
