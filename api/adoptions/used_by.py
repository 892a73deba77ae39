"""A publiccode.yml's ``usedBy`` list offered as adoptions: a dry run shows what would be created."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, post
from litestar.exceptions import HTTPException
from litestar.params import PathParameter, QueryParameter

from api.auth import Caller
from api.publiccode.controller import YAML_TYPES, _YamlBody
from efa_registry.adoptions import used_by
from efa_registry.adoptions.used_by import UsedByResult
from efa_registry.types import AdoptionStatus

SolutionKey = Annotated[str, PathParameter(description="Solution UUID or slug", max_length=80)]


class UsedByController(Controller):
    path = "/v1/solutions"
    tags = ["Adoptions"]

    @post("/{key:str}/adoptions/used-by", operation_id="adoptUsedBy", operation_class=_YamlBody, status_code=200,
          summary="Adoptions from a publiccode.yml's usedBy list (curator, provider)")
    async def adopt_used_by(
        self, key: SolutionKey, request: Request, actor: Caller,
        dry_run: Annotated[bool, QueryParameter(name="dryRun", description=(
            "`true` (default): only show what would be created; `false`: create it"))] = True,
        status: Annotated[AdoptionStatus, QueryParameter(description="Status of the adoptions created")] = "live",
    ) -> UsedByResult:
        """Send the solution's publiccode.yml as `application/yaml`. Each `usedBy` name is resolved to an area
        as `POST /v1/areas/resolve` does; per entry the answer says whether an adoption would be created, exists
        already, or cannot be because the name is ambiguous or unknown (with the candidates). With
        `dryRun=false` the adoptions are created in one transaction, or none while any entry is unresolved
        (422 naming `usedBy[i]`)."""
        media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type not in YAML_TYPES:
            raise HTTPException(status_code=415, detail=f"send the document as {' or '.join(YAML_TYPES)}")
        return await used_by.adopt_used_by(key, await request.body(), actor=actor, status=status, dry_run=dry_run)
