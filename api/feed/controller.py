"""The change feed for integrators (`/v1/events`) and its human-readable views (JSON Feed, Atom)."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter

from api.auth import Caller
from api.feed import schemas
from api.feed.schemas import ATOM_MEDIA_TYPE, JSON_FEED_MEDIA_TYPE, EventPage, FeedCursor, FeedEvent
from api.params import After, Limit, bounded_limit
from efa_registry.errors import InvalidParameter
from efa_registry.events import feed
from efa_registry.events.model import FeedFilters, audience_of
from efa_registry.types import LAND_PATTERN, EntityType, values

EntityTypes = Annotated[list[str] | None, QueryParameter(
    name="entityType",
    description=f"Only these entity types (repeat or comma-separate): {', '.join(values(EntityType))}")]
SolutionFilter = Annotated[uuid.UUID | None, QueryParameter(description="Only events about this solution (UUID)")]
LandFilter = Annotated[str | None, QueryParameter(pattern=LAND_PATTERN, description="Only events of this Land (01–16)")]
ThemenfeldFilter = Annotated[str | None, QueryParameter(max_length=60, description="Only events of this Themenfeld")]
Recent = Annotated[int, QueryParameter(ge=1, le=100, description="How many recent changes (1–100)")]


def _filters(entity_type: list[str] | None, solution: uuid.UUID | None, land: str | None,
             themenfeld: str | None) -> FeedFilters:
    types = [v.strip() for item in entity_type or [] for v in item.split(",") if v.strip()]
    allowed = values(EntityType)
    for t in types:
        if t not in allowed:
            raise InvalidParameter(f"entityType must be one of {', '.join(allowed)}", field="entityType")
    return FeedFilters(entity_types=tuple(types), solution_id=solution, land=land, themenfeld=themenfeld)


class EventController(Controller):
    path = "/v1/events"
    tags = ["Feeds"]

    @get("/", operation_id="readEvents", summary="Read the change feed")
    async def read_events(
        self, request: Request, actor: Caller, after: After = None, limit: Limit = 100,
        entity_type: EntityTypes = None, solution: SolutionFilter = None, land: LandFilter = None,
        themenfeld: ThemenfeldFilter = None,
        wait: Annotated[int, QueryParameter(ge=0, le=feed.MAX_WAIT_SECONDS, description=(
            "Long poll: when nothing new is there, wait up to this many seconds for it"))] = 0,
    ) -> Response[EventPage]:
        """Every change in commit-safe order: a reader following `cursor` never misses and never repeats an
        event, even when transactions commit out of order. Without `after` it starts at the beginning."""
        events, cursor = await feed.poll_events(
            after=after, limit=bounded_limit(request, limit), filters=_filters(entity_type, solution, land, themenfeld),
            audience=audience_of(actor), wait=wait)
        page = EventPage(items=[FeedEvent.of(e) for e in events], cursor=cursor, next=_next(request, cursor),
                         limit=limit)
        # A page that is not full grows as transactions commit: caches must revalidate (and keep
        # an authenticated caller's page, which has contact details, to themselves).
        return Response(page, headers={"Cache-Control": "no-cache" if actor is None else "private, no-cache"})

    @get("/cursor", operation_id="getFeedHead", summary="The feed's current position")
    async def head(self) -> Response[FeedCursor]:
        """A cursor at the head of the feed: reading from it returns only events committed from now on."""
        return Response(FeedCursor(cursor=await feed.head_cursor()), headers={"Cache-Control": "no-store"})


def _next(request: Request, cursor: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("after", "wait")]
    return f"{request.url.path}?{urlencode([*params, ('after', cursor)])}"


class HumanFeedController(Controller):
    path = "/v1"
    tags = ["Feeds"]

    @get("/feed.json", operation_id="getJsonFeed", summary="Recent changes as JSON Feed 1.1",
         media_type=JSON_FEED_MEDIA_TYPE)
    async def json_feed(
        self, request: Request, actor: Caller, limit: Recent = 50, entity_type: EntityTypes = None,
        solution: SolutionFilter = None, land: LandFilter = None, themenfeld: ThemenfeldFilter = None,
    ) -> Response[bytes]:
        """The latest changes, newest first, with German titles — for feed readers and dashboards."""
        events = await _recent(actor, limit, _filters(entity_type, solution, land, themenfeld))
        base = _base(request)
        body = schemas.json_feed(events, base_url=base, feed_url=base + str(request.url.path) + _query(request))
        return Response(body, media_type=JSON_FEED_MEDIA_TYPE)

    @get("/feed.atom", operation_id="getAtomFeed", summary="Recent changes as Atom",
         media_type=ATOM_MEDIA_TYPE)
    async def atom_feed(
        self, request: Request, actor: Caller, limit: Recent = 50, entity_type: EntityTypes = None,
        solution: SolutionFilter = None, land: LandFilter = None, themenfeld: ThemenfeldFilter = None,
    ) -> Response[bytes]:
        """The latest changes, newest first, as an Atom 1.0 feed with German titles."""
        events = await _recent(actor, limit, _filters(entity_type, solution, land, themenfeld))
        base = _base(request)
        body = schemas.atom_feed(events, base_url=base, feed_url=base + str(request.url.path) + _query(request))
        return Response(body, media_type=ATOM_MEDIA_TYPE)


async def _recent(actor: Caller, limit: int, filters: FeedFilters):
    return await feed.recent_events(limit=limit, filters=filters, audience=audience_of(actor))


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _query(request: Request) -> str:
    query = request.url.query
    return f"?{query}" if query else ""
