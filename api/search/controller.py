"""The search box's suggestions: what the catalogue holds by the words typed so far."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from efa_registry import suggestions
from efa_registry.errors import InvalidParameter
from efa_registry.search.model import Suggestions


class SuggestController(Controller):
    path = "/v1/suggest"
    tags = ["Search"]

    @get("/", operation_id="suggest", summary="Suggestions as you type")
    async def suggest(
        self,
        q: Annotated[str | None, QueryParameter(min_length=1, max_length=100, description=(
            "What has been typed so far (required)"))] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=20, description="Entries per group (1–20)")] = 5,
    ) -> Suggestions:
        """OZG-Leistungen, solutions and areas whose names begin with or match what has been typed
        (compounds, everyday words and spellings as in the search), a few of each, best first. Small
        and fast enough to ask on every keystroke."""
        if q is None:  # optional in the signature only so that the refusal names the parameter
            raise InvalidParameter("q is required: what has been typed so far", field="q")
        return await suggestions.suggest(q, limit=limit)
