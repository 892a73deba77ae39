"""The change feed for integrators (`/v1/events`) and its human-readable views (JSON Feed, Atom)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from api.auth import Caller
from api.feed import schemas
from api.feed.schemas import ATOM_MEDIA_TYPE, JSON_FEED_MEDIA_TYPE, EventPage, FeedCursor
from api.params import After, Limit, bounded_limit, public_base, query_of
from efa_registry.access.policy import audience_of
from efa_registry.events import feed
from efa_registry.events.model import FeedFilters

Recent = Annotated[int, QueryParameter(ge=1, le=100, description="How many recent changes (1–100)")]
FILTERS = {"filters": query_of(FeedFilters)}
ENVELOPE = "2026-12-03"  # the stored envelopes' format (its migration): part of every page's ETag


class EventController(Controller):
    path = "/v1/events"
    tags = ["Feeds"]

    @get("/", operation_id="readEvents", summary="Read the change feed", dependencies=FILTERS)
    async def read_events(
        self, request: Request, actor: Caller, after: After = None, limit: Limit = 100, *,
        filters: NamedDependency[FeedFilters],
        wait: Annotated[int, QueryParameter(ge=0, le=feed.MAX_WAIT_SECONDS, description=(
            "Long poll: when nothing new is there, wait up to this many seconds for it"))] = 0,
    ) -> Response[EventPage]:
        """Every change in commit-safe order: a reader following `cursor` never misses and never repeats an
        event, even when transactions commit out of order. Without `after` it starts at the beginning."""
        audience = audience_of(actor)
        page = await feed.poll_events_json(after=after, limit=bounded_limit(request, limit), filters=filters,
                                           audience=audience, wait=wait)
        body = msgspec.json.encode(schemas.EncodedEventPage(
            items=msgspec.Raw(page.items), cursor=page.cursor, next=_next(request, page.cursor), limit=limit))
        # A page that is not full grows as transactions commit: caches must revalidate (and keep
        # an authenticated caller's page, which has contact details, to themselves). Its events are
        # the ones between the cursors in feed order, so the question, the audience and the
        # cursor reached name its content: the ETag without hashing a megabyte of events.
        etag = hashlib.sha256(f"{ENVELOPE}|{audience}|{request.url.query}|{page.cursor}".encode()).hexdigest()[:32]
        return Response(body, media_type=MediaType.JSON, headers={
            "Cache-Control": "no-cache" if actor is None else "private, no-cache", "ETag": f'"{etag}"'})

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
         media_type=JSON_FEED_MEDIA_TYPE, dependencies=FILTERS)
    async def json_feed(
        self, request: Request, actor: Caller, limit: Recent = 50, *, filters: NamedDependency[FeedFilters]
    ) -> Response[bytes]:
        """The latest changes, newest first, with German titles — for feed readers and dashboards."""
        return await _human_feed(request, actor, filters, limit, schemas.json_feed, JSON_FEED_MEDIA_TYPE)

    @get("/feed.atom", operation_id="getAtomFeed", summary="Recent changes as Atom",
         media_type=ATOM_MEDIA_TYPE, dependencies=FILTERS)
    async def atom_feed(
        self, request: Request, actor: Caller, limit: Recent = 50, *, filters: NamedDependency[FeedFilters]
    ) -> Response[bytes]:
        """The latest changes, newest first, as an Atom 1.0 feed with German titles."""
        return await _human_feed(request, actor, filters, limit, schemas.atom_feed, ATOM_MEDIA_TYPE)


async def _human_feed(request: Request, actor: Caller, filters: FeedFilters, limit: int,
                      render: Callable[..., Any], media_type: str) -> Response[bytes]:
    events = await feed.recent_events(limit=limit, filters=filters, audience=audience_of(actor))
    base = public_base(request)
    query = f"?{request.url.query}" if request.url.query else ""
    body = render(events, base_url=base, feed_url=base + str(request.url.path) + query)
    return Response(body, media_type=media_type)
