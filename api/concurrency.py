"""Entity versions on the wire: strong ETags, If-Match for writes, Idempotency-Key for POSTs."""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Response
from litestar.params import HeaderParameter

from efa_registry.errors import InvalidParameter

_ETAG = re.compile(r'^(?:W/)?"v(\d+)(?:-[a-z]+)?"$')

IfMatch = Annotated[str | None, HeaderParameter(
    name="If-Match", description='The ETag of the version this change is based on, e.g. `"v3"`. Required.')]
IdempotencyKey = Annotated[str | None, HeaderParameter(
    name="Idempotency-Key", max_length=200,
    description="Repeat a POST safely: a repeated key returns what the first request created.")]


def entity_etag(version: int, *, authenticated: bool = False) -> str:
    """Entities are versioned, so the version is the validator; authenticated callers see
    contact fields, a different representation, hence a different tag."""
    return f'"v{version}-auth"' if authenticated else f'"v{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version named by If-Match; None when absent (the use case answers 428 after it has
    checked who is asking, so an anonymous caller learns nothing about versions)."""
    if not if_match:
        return None
    match = _ETAG.match(if_match.strip())
    if not match:
        raise InvalidParameter('If-Match must be an ETag of this API, e.g. "v3"', field="If-Match")
    return int(match.group(1))


def entity_response(body: Any, version: int, *, authenticated: bool = False, status_code: int = 200,
                    headers: dict[str, str] | None = None) -> Response:
    """An entity with its strong ETag (201 for a creation, 200 otherwise)."""
    return Response(body, status_code=status_code,
                    headers={"ETag": entity_etag(version, authenticated=authenticated), **(headers or {})})
