"""Entity versions on the wire: strong ETags, If-Match for writes, Idempotency-Key for POSTs."""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Controller, Response
from litestar.datastructures import CacheControlHeader
from litestar.params import HeaderParameter

from efa_registry.errors import InvalidParameter
from efa_registry.kit.idempotency import MAX_KEY_LENGTH
from efa_registry.kit.patching import ANY_VERSION, Expected

# One entity-tag of an If-Match / If-None-Match list (RFC 9110 8.8.3): optional W/, quoted opaque part.
# Empty list elements are allowed (RFC 9110 5.6.1.2); the opaque part may itself hold commas.
_LIST_ITEM = re.compile(r'[\s,]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"[\s,]*')
# Our tags exactly: "v<version>" or "v<version>-auth" ("v04" and "v6-xyz" are other tags: strong
# comparison is octet by octet). Versions are bounded: no int() of 5,000 digits.
_OURS = re.compile(r"^v(0|[1-9][0-9]{0,17})(?:-auth)?$")

# Figures that change the moment an adoption goes live: cacheable, but revalidated (strong ETag) on every use.
REVALIDATE = CacheControlHeader(public=True, no_cache=True)

IfMatch = Annotated[str | None, HeaderParameter(
    name="If-Match", description='The ETag of the version this change is based on, e.g. `"v3"`. Required.')]
IdempotencyKey = Annotated[str | None, HeaderParameter(
    name="Idempotency-Key", max_length=MAX_KEY_LENGTH,
    description="Repeat a POST safely: a repeated key returns what the first request created.")]


def entity_etag(version: int, *, authenticated: bool = False) -> str:
    """Entities are versioned, so the version is the validator; authenticated callers see
    contact fields, a different representation, hence a different tag."""
    return f'"v{version}-auth"' if authenticated else f'"v{version}"'


def expected_version(if_match: str | None) -> Expected:
    """What If-Match names: None when absent (the use case answers 428 after it has checked who is
    asking, so an anonymous caller learns nothing about versions), ``*``, or the versions of its
    strong tags. Weak and foreign tags never match (strong comparison): they lead to 412."""
    if not if_match or not if_match.strip():
        return None
    if if_match.strip() == "*":
        return ANY_VERSION
    return frozenset(int(m.group(1)) for weak, tag in entity_tags(if_match, "If-Match")
                     if not weak and (m := _OURS.match(tag)))


def entity_tags(header: str, field: str) -> list[tuple[bool, str]]:
    """(weak, opaque tag) for each entry of an entity-tag list; a malformed list is a 400."""
    tags, position = [], 0
    while position < len(header):
        match = _LIST_ITEM.match(header, position)
        if not match or (match.end() < len(header) and "," not in header[match.start(2) + len(match.group(2)):
                                                                             match.end()]):
            raise InvalidParameter(f'{field} must be "*" or a list of entity-tags, e.g. "v3"', field=field)
        tags.append((bool(match.group(1)), match.group(2)))
        position = match.end()
    return tags


def entity_response(body: Any, version: int, *, authenticated: bool = False, status_code: int = 200,
                    headers: dict[str, str] | None = None) -> Response:
    """An entity with its strong ETag (201 for a creation, 200 otherwise)."""
    return Response(body, status_code=status_code,
                    headers={"ETag": entity_etag(version, authenticated=authenticated), **(headers or {})})


class RevalidatedController(Controller):
    """Base of the controllers whose responses change the moment an adoption goes live (rollout, scorecard)."""

    cache_control = REVALIDATE
