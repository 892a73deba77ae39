"""Wire shapes of the change feed, and the JSON Feed 1.1 and Atom 1.0 renderings for humans.

``FeedEvent`` is the core ``Event`` with its ``snapshot`` typed for the OpenAPI document: at run
time the handlers send the core events as they are, whose stored JSON passes through undecoded
(``msgspec.Raw``, which has no schema). Pages carry the feed cursor beside ``next``.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import msgspec

from api.schemas import WireOut
from efa_registry.events.model import Event, describe

JSON_FEED_MEDIA_TYPE = "application/feed+json"
ATOM_MEDIA_TYPE = "application/atom+xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_TITLE = "EfA-Nachnutzungsregister: Änderungen"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class FeedEvent(Event):
    """One change. `cursor` continues the feed right after it; `snapshot` is the entity as it was
    stored by this change (contact details only for authenticated callers)."""

    snapshot: dict[str, Any] | None  # type: ignore[assignment]


class EventPage(WireOut):
    """Events in feed order. `cursor` is where to continue (also after an empty page); `next` is the
    URL that does so. Fewer items than `limit` means you have caught up."""

    items: list[FeedEvent]
    cursor: str
    next: str
    limit: int


class EncodedEventPage(msgspec.Struct):
    """``EventPage`` as the handler sends it: the events arrive encoded (``feed.read_events_json``)."""

    items: msgspec.Raw
    cursor: str
    next: str
    limit: int


class FeedCursor(WireOut):
    """A cursor to read the feed from."""

    cursor: str


# --------------------------------------------------------------------------- JSON Feed 1.1


class JsonFeedItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str
    title: str
    content_text: str
    date_published: dt.datetime
    url: str | None = None
    tags: list[str] = msgspec.field(default_factory=list)


class JsonFeed(msgspec.Struct, kw_only=True):
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1); keys as the spec spells them."""

    version: str = "https://jsonfeed.org/version/1.1"
    title: str = FEED_TITLE
    home_page_url: str
    feed_url: str
    description: str = "Neue und geänderte EfA-Lösungen, Schnittstellen und Nachnutzungen"
    language: str = "de-DE"
    items: list[JsonFeedItem]


def entity_path(event: Event) -> str | None:
    """The API resource an event is about, where it has one."""
    paths = {"solution": "/v1/solutions/", "interface": "/v1/interfaces/", "adoption": "/v1/adoptions/",
             "organisation": "/v1/organisations/"}
    prefix = paths.get(event.entity_type)
    return prefix + event.entity_id if prefix else None


def item_text(event: Event) -> str:
    when = event.occurred_at.astimezone(dt.UTC).strftime("%d.%m.%Y %H:%M UTC")
    return f"{describe(event)}. Von {event.actor} am {when}; Ereignis {event.seq} im Änderungs-Feed."


def json_feed(events: list[Event], *, base_url: str, feed_url: str) -> JsonFeed:
    items = []
    for e in events:
        path = entity_path(e)
        items.append(JsonFeedItem(id=f"{base_url}/v1/events#{e.seq}", title=describe(e), content_text=item_text(e),
                                  date_published=e.occurred_at, url=base_url + path if path else None,
                                  tags=[e.type]))
    return JsonFeed(home_page_url=base_url + "/", feed_url=feed_url, items=items)


# --------------------------------------------------------------------------- Atom 1.0


def atom_feed(events: list[Event], *, base_url: str, feed_url: str) -> bytes:
    """An Atom 1.0 document (RFC 4287). ElementTree escapes every text and attribute."""
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "de"})
    updated = max((e.occurred_at for e in events), default=EPOCH)  # stable when nothing changed: ETag holds
    _text(feed, "id", feed_url)
    _text(feed, "title", FEED_TITLE)
    _text(feed, "updated", _rfc3339(updated))
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = "EfA-Nachnutzungsregister"
    ET.SubElement(feed, "link", {"rel": "self", "href": feed_url, "type": ATOM_MEDIA_TYPE})
    for e in events:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", f"{base_url}/v1/events#{e.seq}")
        _text(entry, "title", describe(e))
        _text(entry, "updated", _rfc3339(e.occurred_at))
        _text(entry, "published", _rfc3339(e.occurred_at))
        path = entity_path(e)
        if path:
            ET.SubElement(entry, "link", {"rel": "alternate", "href": base_url + path, "type": "application/json"})
        ET.SubElement(entry, "category", {"term": e.type})
        ET.SubElement(entry, "content", {"type": "text"}).text = item_text(e)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _rfc3339(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
