"""Areas whose name begins with what is typed so far: the search box's place entries.

The prefix is taken apart like the names it is compared with (``placenames.parse``): "St. Ingb"
is sankt ingb, "Garmisch-Part" garmisch part, "Mülheim a.d." Mülheim; the kind typed chooses the
levels ("Landkreis Mün": the Landkreise beginning with Mün, not the Gemeinde Münk, nor the
kreisfreie Stadt München).
"""

from __future__ import annotations

import bisect
import itertools

from efa_registry.search import text as t
from efa_registry.search.placeindex import PlaceIndex
from efa_registry.search.placenames import CONNECTORS, Kind, parse

_LEVELS: dict[Kind, frozenset[str]] = {
    "kreis": frozenset({"kreis"}), "landkreis": frozenset({"kreis"}), "land": frozenset({"land"}),
    "stadt": frozenset({"gemeinde", "gemeindeverband"}), "gemeinde": frozenset({"gemeinde", "gemeindeverband"}),
    "verband": frozenset({"gemeindeverband", "gemeinde"}),
}
SCAN = 5000  # names looked at past the first that begins with the prefix


def completions(prefix: str, index: PlaceIndex, limit: int = 10) -> list[int]:
    """The places (by index position) whose name, folded and taken apart, begins with ``prefix``,
    the most populous first; one area listed at several levels: the Gemeinde before its Kreis."""
    key, kind = _prefix_key(prefix)
    levels = _LEVELS.get(kind) if kind else None
    if len(key) < (1 if levels else 2):
        return []
    names: list[tuple[str, int]] | None = index.__dict__.get("_completion")
    if names is None:  # built on first use and kept with the index
        names = index.__dict__["_completion"] = sorted(
            {("".join(f.full), i) for i, name_forms in enumerate(index.forms) for f in name_forms})
    start = bisect.bisect_left(names, (key, -1))
    hits = {i for name, i in itertools.takewhile(lambda e: e[0].startswith(key), names[start:start + SCAN])
            if levels is None or (index.places[i].level in levels and not (kind == "landkreis" and index.town[i]))}
    return sorted(hits, key=lambda i: (-(index.places[i].population or 0), index.places[i].level != "gemeinde",
                                       index.places[i].ars))[:limit]


def _prefix_key(prefix: str) -> tuple[str, Kind | None]:
    """The completion key of a name typed so far (its words as ``placenames.parse`` reads them,
    joining words not yet followed by anything dropped: "Mülheim a.d." is Mülheim) and its kind."""
    if not any(ch.isalnum() for ch in prefix):
        return "", None
    form = parse(prefix)
    words = list(form.full)
    while len(words) > 1 and words[-1] in CONNECTORS:
        words.pop()
    return "".join(words) or t.fold(prefix).strip(), form.kind
