"""Names typed by hand resolved to areas: the one resolver behind ``POST /v1/areas/resolve``, the
adoptions CSV import's ``name`` column and publiccode.yml ``usedBy`` entries.

The rules are ``search.places``'s; here they meet the database's current areas and the wire:
hints are checked (a Land hint nobody can read is an error naming its field, not a silent
non-hint), and long lists are resolved off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from efa_registry import db
from efa_registry.areas.model import AreaMatch, NameResolution, NameToResolve
from efa_registry.errors import InvalidInput
from efa_registry.search import lexicon, places
from efa_registry.search.placeindex import PlaceIndex

IN_THREAD = 20  # more names than this are ranked in a worker thread (~1 ms each)


async def index() -> PlaceIndex:
    async with db.connection() as conn:
        return await lexicon.places(conn)


def check_hints(item: NameToResolve, index: PlaceIndex, field: str) -> None:
    """A hint that names no Land or Kreis is refused: ignoring it would resolve against all of Germany."""
    if item.land and places.land_key(item.land) is None:
        raise InvalidInput(f"no Land {item.land!r} (a key like 05, a code like DE-NW or NW, or a name)",
                           field=f"{field}.land")
    if item.kreis and not places.kreis_keys(item.kreis, index):
        raise InvalidInput(f"no Kreis {item.kreis!r} (a 5-digit key or a Kreis's name)", field=f"{field}.kreis")


def resolve_one(item: NameToResolve, index: PlaceIndex) -> NameResolution:
    found = places.rank(item.name, index, hint_land=item.land, hint_kreis=item.kreis)
    return NameResolution(query=found.query, verdict=found.verdict, ars=found.ars, name=found.name, level=found.level,
                          score=round(found.score, 3),
                          alternatives=[AreaMatch(ars=m.ars, name=m.name, level=m.level, score=m.score)
                                        for m in found.alternatives])


async def resolve(items: Sequence[NameToResolve], *, field: str = "names") -> list[NameResolution]:
    """Per name the best area with its score and the alternatives, ambiguous and unknown names
    flagged, never guessed; in the order given."""
    places_index = await index()
    for i, item in enumerate(items):
        check_hints(item, places_index, f"{field}[{i}]")

    def run() -> list[NameResolution]:
        return [resolve_one(item, places_index) for item in items]

    return await asyncio.to_thread(run) if len(items) > IN_THREAD else run()
