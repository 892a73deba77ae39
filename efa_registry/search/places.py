"""Hand-typed place and authority names resolved to ARS keys, flagging what is ambiguous.

A publiccode.yml ``usedBy`` entry or a CSV of adopters says "Stadt Muelheim", "Lkr. München" or
"Frankfurt/Main". ``rank`` compares such a name with the GV100AD's names (``placenames`` takes
both apart alike) and answers with a verdict: ``exact`` (the name as the directory writes it,
and no other), ``probable`` (a near miss or an abbreviated qualifier, still one clear winner),
``ambiguous`` (two or more equally good areas: "Mülheim", "Neustadt" — the caller must ask, we
never guess) or ``unknown``. A Land or Kreis hint, or the kind asked for ("Landkreis X" means the
Kreis, "Stadt X" the town), may separate candidates that the name alone cannot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from efa_registry.search import text as t
from efa_registry.search.placecompletion import completions
from efa_registry.search.placeindex import Place, PlaceIndex, compare, to_place
from efa_registry.search.placenames import Kind, NameForm, forms

__all__ = ["LAENDER", "Match", "Place", "PlaceIndex", "Resolution", "build_index", "complete", "matches", "rank",
           "score", "search"]

Verdict = Literal["exact", "probable", "ambiguous", "unknown"]
MARGIN = 0.04  # candidates closer than this are equally good: ambiguous
UNKNOWN_BELOW = 0.72  # a best text score under this resolves nothing
EXACT_FROM = 0.99
HINT_PENALTY = 0.2  # outside the hinted Land or Kreis: still listed, never the answer over one inside
FUZZY_NEEDED = 0.92  # below this best score the typo candidates are scored too
EXACT_PENALTY = 0.1  # a winner penalised this much (another kind, outside the hint) is not exact
STRONG = 0.85  # a match this good comes before the names the query merely begins; below: near misses
QUALIFIED = 0.9  # ``compare``: the name typed, the official name adds a qualifier ("Halle (Saale)")
NAMESAKE_POPULATION = 5  # a town this many times as populous as an exact namesake is meant as much

# Levels preferred for each kind asked for; None: a bare name means the municipality first.
_PREFERENCE: dict[Kind | None, dict[str, float]] = {
    None: {"gemeinde": 0, "gemeindefreies_gebiet": -0.05, "gemeindeverband": -0.05, "kreis": -0.08, "land": -0.05},
    "kreis": {"kreis": 0},
    "landkreis": {"kreis": 0},
    "stadt": {"gemeinde": 0, "gemeindeverband": -0.1},
    "gemeinde": {"gemeinde": 0, "gemeindeverband": -0.05},
    "verband": {"gemeindeverband": 0, "gemeinde": -0.05},
    "land": {"land": 0},
}
_OTHER_LEVEL = {None: -0.1}
_ELSEWHERE = -0.25  # another kind than asked for: "Kreis Neuss" is the Rhein-Kreis Neuss, not the Stadt

LAENDER = {
    "01": ("Schleswig-Holstein", "SH"), "02": ("Hamburg", "HH"), "03": ("Niedersachsen", "NI"),
    "04": ("Bremen", "HB"), "05": ("Nordrhein-Westfalen", "NW"), "06": ("Hessen", "HE"),
    "07": ("Rheinland-Pfalz", "RP"), "08": ("Baden-Württemberg", "BW"), "09": ("Bayern", "BY"),
    "10": ("Saarland", "SL"), "11": ("Berlin", "BE"), "12": ("Brandenburg", "BB"),
    "13": ("Mecklenburg-Vorpommern", "MV"), "14": ("Sachsen", "SN"), "15": ("Sachsen-Anhalt", "ST"),
    "16": ("Thüringen", "TH"),
}
_LAND_KEYS = {**{t.fold(name).replace("-", " "): key for key, (name, _) in LAENDER.items()},
              **{code.casefold(): key for key, (_, code) in LAENDER.items()},
              **{f"de {code.casefold()}": key for key, (_, code) in LAENDER.items()}, "nrw": "05", "rlp": "07"}


# Places by their English (and French) names, as visitors and foreign systems write them, and a
# colloquial one.
EXONYMS = {t.fold(foreign): german for foreign, german in (
    ("Munich", "München"), ("Cologne", "Köln"), ("Nuremberg", "Nürnberg"), ("Hanover", "Hannover"),
    ("Brunswick", "Braunschweig"), ("Aix-la-Chapelle", "Aachen"), ("Mayence", "Mainz"), ("Treves", "Trier"),
    ("Frankfort", "Frankfurt am Main"), ("Coblenz", "Koblenz"), ("Meck-Pomm", "Mecklenburg-Vorpommern"),
)}


class Match(NamedTuple):
    ars: str
    name: str
    level: str
    score: float


class Resolution(NamedTuple):
    """``ars``/``name`` only for ``exact`` and ``probable``; ``alternatives`` are the other
    plausible areas, best first (for ``ambiguous`` the ones to choose from)."""

    query: str
    verdict: Verdict
    ars: str | None
    name: str | None
    score: float
    alternatives: tuple[Match, ...]
    level: str | None = None  # of the area resolved to


def score(query: str, candidate_name: str) -> float:
    """How well a typed name matches an official GV100AD name, 0…1 (1: the same name)."""
    typed, official = forms(query), forms(candidate_name, official=True)
    return max((compare(q, c) for q in typed for c in official), default=0.0)


def land_key(hint: str | None) -> str | None:
    """A Land given as key ("06"), ISO code ("DE-HE", "HE") or name ("Hessen")."""
    if not hint:
        return None
    hint = hint.strip()
    if hint.isdigit():
        return hint.zfill(2)[:2]
    return _LAND_KEYS.get(t.fold(hint).replace("-", " "))


# Regions written as a town's qualifier ("Münster (Westf.)", "Oldenburg (Oldb)", "Neumarkt i.d.OPf."),
# each in the one Land it lies in: a hint like the Land's own name.
_REGIONS = {t.fold(word): land for land, words in (
    ("05", "westf westfalen rhld rheinland"), ("03", "oldb"), ("01", "holst"),  # Oldenburg, Holstein: towns too
    ("09", "opf oberpfalz obb oberbayern ndb niederbayern ufr unterfranken ofr oberfranken mfr mittelfranken "
           "schwaben allgäu allgaeu"),
    ("07", "pfalz"), ("14", "vogtl vogtland erzgeb erzgebirge"),
) for word in words.split()}


def _qualifier_land(typed: list[NameForm]) -> tuple[list[NameForm], str | None]:
    """"Neustadt, Hessen", "Halle (Sachsen-Anhalt)", "Münster (Westf.)": a qualifier naming a Land,
    or a region within one, is a hint."""
    for form in typed:
        land = (land_key(" ".join(form.qualifier)) or _REGIONS.get(form.qualifier[-1])) if form.qualifier else None
        if land:
            return [f._replace(qualifier=()) for f in typed], land
    return typed, None


def kreis_keys(hint: str | None, index: PlaceIndex) -> set[str]:
    """The Kreise a hint names: a 5-digit key, or a Kreis by name ("Rhein-Sieg-Kreis", "Kreis Euskirchen")."""
    if not hint:
        return set()
    if hint.strip().isdigit():
        return {hint.strip()[:5]}
    return {index.places[i].ars[:5] for i in index.candidates(forms(hint))
            if index.places[i].level == "kreis" and score("Kreis " + hint, index.places[i].name) >= EXACT_FROM}


def postcode_like(query: str) -> bool:
    """Five digits: the form of a Kreis key and of a Postleitzahl."""
    return len(key := "".join(query.split())) == 5 and key.isascii() and key.isdigit()


def _adjust(place: Place, kind: Kind | None, city: bool, land: str | None, kreise: set[str]) -> float:
    table = _PREFERENCE[kind]
    value = table.get(place.level, _OTHER_LEVEL.get(kind, _ELSEWHERE))
    if kind == "stadt" and place.level == "gemeinde" and not city:
        value -= 0.05  # "Stadt Offenbach" is Offenbach am Main, not the Ortsgemeinde Offenbach an der Queich
    if kind == "landkreis" and place.level == "kreis" and city:
        value -= 0.1  # "Landkreis München" is not the kreisfreie Stadt München
    if (land and place.land != land) or (kreise and place.ars[:5] not in kreise):
        value -= HINT_PENALTY
    return value


def _scored(query: str, index: PlaceIndex, hint_land: str | None, hint_kreis: str | None):
    if (key := "".join(query.split())).isascii() and key.isdigit():  # an ARS or AGS
        land, kreise = land_key(hint_land), kreis_keys(hint_kreis, index)

        def hinted(place: Place) -> bool:
            return bool(land or kreise) and not (land and place.land != land) and not (
                kreise and place.ars[:5] not in kreise)

        return [(1.0 if not postcode_like(key) or hinted(index.places[i]) else 0.99, 1.0,
                 index.places[i].population or 0, i) for i in index.by_key.get(key, ())]
    typed = forms(EXONYMS.get(t.fold(query.strip()), query))
    if not typed:
        return []
    stripped, qualifier_land = _qualifier_land(typed)
    land, kreise = land_key(hint_land) or qualifier_land, kreis_keys(hint_kreis, index)
    kind = next((f.kind for f in typed if f.kind), None)
    all_typed = typed + (stripped if qualifier_land else [])
    # A Land by its usual short name or code: "NRW", "DE-BY".
    named = index.laender.get(land_key(query) or "") if not query.strip().isdigit() else None

    def scored(candidates: set[int]) -> list[tuple[float, float, int, int]]:
        found = []
        for i in candidates:
            place, official = index.places[i], index.forms[i]
            text = 1.0 if i == named else max(compare(q, c) for q in typed for c in official)
            if qualifier_land and place.land == qualifier_land:
                text = max(text, *(compare(q, c) for q in stripped for c in official))
            if text >= 0.5:
                adjusted = text + _adjust(place, kind, index.town[i], land, kreise)
                found.append((round(adjusted, 6), text, place.population or 0, i))
        return found

    structural = index.candidates(all_typed) | ({named} if named is not None else set())
    found = scored(structural)
    # Near misses score at most ~0.86: they can only matter when no name matched well.
    if not found or max(found)[0] < FUZZY_NEEDED:
        found += scored(index.near(typed) - structural)
    if not kind and not any(f.qualifier for f in typed):
        found = _namesakes(found, index)
    return sorted(found, reverse=True)


def _namesakes(found: list[tuple[float, float, int, int]], index: PlaceIndex) -> list[tuple[float, float, int, int]]:
    """A bare name means the town people know by it as much as what bears exactly that name:
    "Halle" is Halle (Saale) before two villages called Halle, "Oldenburg" the Stadt Oldenburg
    (Oldb) before the Landkreis Oldenburg. A town whose official name adds a qualifier to the name
    typed joins the best exact match, just ahead of it, when it has five times its population or
    the exact match is a Landkreis: ``rank`` then lists both as ambiguous instead of guessing."""
    exact = [e for e in found if e[1] >= EXACT_FROM]
    if not exact:
        return found
    top = max(exact)
    top_place = index.places[top[3]]
    landkreis = top_place.level == "kreis" and not index.town[top[3]]
    least = NAMESAKE_POPULATION * (top_place.population or 0)
    # Only a town no hint counts against: "Halle" in the Kreis Göttingen stays the village there.
    return [(max(e[0], round(top[0] + 0.001, 6)), *e[1:])  # never lower: a hint may have raised it
            if QUALIFIED - 0.001 <= e[1] < EXACT_FROM and e[0] - e[1] >= top[0] - top[1] - 0.001
            and index.places[e[3]].level == "gemeinde" and index.town[e[3]] and (landkreis or e[2] >= max(least, 1))
            else e for e in found]


def rank(query: str, candidates: PlaceIndex | Iterable[object], hint_land: str | None = None,
         hint_kreis: str | None = None) -> Resolution:
    """Resolve one hand-typed name against ``candidates`` (a ``PlaceIndex``, or records with
    ars, name, level, land and optionally kreis and population: then an index is built and
    kept for repeated calls with the same sequence)."""
    index = candidates if isinstance(candidates, PlaceIndex) else build_index(candidates)
    kept: list[tuple[float, float, int, int]] = []
    for entry in _scored(query, index, hint_land, hint_kreis):
        if not any(index.same_area(entry[3], other[3]) for other in kept):
            kept.append(entry)
    if not kept or round(kept[0][1], 6) <= UNKNOWN_BELOW or (postcode_like(query) and kept[0][0] < 1.0):
        # Five digits are a Kreis key and a Postleitzahl alike (12053: Frankfurt (Oder), or Berlin-
        # Neukölln): the Kreis is offered, and taken only where a hint puts it.
        return Resolution(query, "unknown", None, None, kept[0][1] if kept else 0.0, _matches(index, kept[:5]))
    best, rivals = kept[0], [e for e in kept[1:] if e[0] > kept[0][0] - MARGIN]
    if rivals:
        return Resolution(query, "ambiguous", None, None, best[1], _matches(index, [best, *rivals][:10]))
    place = index.places[best[3]]
    # The name as written, of the kind asked for, where the hints say: else only probable.
    verdict: Verdict = "exact" if best[1] >= EXACT_FROM and best[0] > best[1] - EXACT_PENALTY else "probable"
    return Resolution(query, verdict, place.ars, place.name, best[1], _matches(index, kept[1:5]), place.level)


def matches(query: str, index: PlaceIndex) -> list[Match]:
    """Every area the name may mean (scored as ``rank`` would resolve it), best first: the kind
    asked for, then the text score, then the population; each area at every level it is listed at."""
    return [Match(index.places[i].ars, index.places[i].name, index.places[i].level, round(text, 3))
            for _, text, _, i in _scored(query, index, None, None) if text >= UNKNOWN_BELOW]


def search(query: str, index: PlaceIndex, limit: int = 500) -> list[Match]:
    """``matches`` of at least ``STRONG``, then, for a name typed half-way, the areas whose name
    begins with it ("Mün" → München …), then the near misses ("Münk"); at most ``limit`` in all."""
    found = matches(query, index)
    strong = [m for m in found if m.score >= STRONG]
    seen = {m.ars for m in strong}
    begun = [m for m in complete(query, index, limit) if m.ars not in seen]
    seen |= {m.ars for m in begun}
    return [*strong, *begun, *(m for m in found if m.ars not in seen)][:limit]


def complete(prefix: str, index: PlaceIndex, limit: int = 10) -> list[Match]:
    """Areas whose name (folded, without "Stadt", brackets and the like) begins with ``prefix``,
    the most populous first: the entries of a search box as someone types (``placecompletion``)."""
    return [Match(index.places[i].ars, index.places[i].name, index.places[i].level, 0.5)
            for i in completions(prefix, index, limit)]


def _matches(index: PlaceIndex, entries: Sequence[tuple[float, float, int, int]]) -> tuple[Match, ...]:
    return tuple(Match(index.places[i].ars, index.places[i].name, index.places[i].level, round(text, 3))
                 for _, text, _, i in entries)


_LAST: list[tuple[object, int, PlaceIndex]] = []


def build_index(candidates: Iterable[object]) -> PlaceIndex:
    """A ``PlaceIndex`` over candidate records; the last one built for a given list is reused."""
    if isinstance(candidates, Sequence) and _LAST and _LAST[0][0] is candidates and _LAST[0][1] == len(candidates):
        return _LAST[0][2]
    index = PlaceIndex([to_place(c) for c in candidates])
    if isinstance(candidates, Sequence):
        _LAST[:] = [(candidates, len(candidates), index)]
    return index
