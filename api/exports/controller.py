"""Bulk exports: whole datasets as NDJSON or CSV, streamed, with the feed cursor they were taken at."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.datastructures import ResponseHeader
from litestar.params import PathParameter
from litestar.response import Stream
from litestar.response.base import ASGIResponse
from litestar.types import Receive, Scope, Send

from api.auth import Caller
from efa_registry.transfer import exports

# Litestar appends "; charset=utf-8" to text/* types itself.
MEDIA_TYPES = {"ndjson": "application/x-ndjson; charset=utf-8", "csv": "text/csv; header=present"}
ExportFile = Annotated[str, PathParameter(
    description=f"The dataset and format: {', '.join(exports.FILES)}", max_length=40)]


class _ClosingResponse:
    """Runs the streaming response, then closes the export however it ended (done, failed, client gone)."""

    def __init__(self, response: ASGIResponse, export: exports.Export) -> None:
        self.response, self.export = response, export

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.response(scope, receive, send)
        finally:
            await self.export.aclose()


class ExportStream(Stream):
    """A Stream over an ``Export`` that gives its database connection back in every case."""

    def __init__(self, export: exports.Export, **kwargs: Any) -> None:
        super().__init__(export, media_type=MEDIA_TYPES[export.format], **kwargs)
        self.export = export

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["media_type"] = MEDIA_TYPES[self.export.format]  # the handler's documented default would win otherwise
        return _ClosingResponse(super().to_asgi_response(*args, **kwargs), self.export)


class ExportController(Controller):
    path = "/v1/export"
    tags = ["Integration"]

    @get("/{file:str}", operation_id="exportDataset", summary="Bulk export of a dataset (NDJSON or CSV)",
         media_type="application/x-ndjson", response_headers=[ResponseHeader(
             name="X-Feed-Cursor", documentation_only=True,
             description="Feed cursor of the export's snapshot: continue with `/v1/events?after=` it.")])
    async def export(self, file: ExportFile, actor: Caller) -> ExportStream:
        """Every solution, interface, organisation, adoption or area in one file, streamed from one consistent
        snapshot: `adoptions.ndjson` (one JSON object per line) or `adoptions.csv` (RFC 4180, header row, lists
        joined with `|`). Continue with the change feed from the `X-Feed-Cursor` header to miss nothing and get
        nothing twice. People's contact details only for authenticated callers."""
        export = await exports.open_export(file, with_contacts=actor is not None)
        headers = {
            "X-Feed-Cursor": export.feed_cursor,
            "Content-Disposition": f'attachment; filename="{export.file}"',
            "Cache-Control": "private, no-store" if actor is not None else "public, max-age=60",
            "Vary": "Authorization",
        }
        return ExportStream(export, headers=headers)
