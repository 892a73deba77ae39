"""Comparing two taken-apart names, and finding the few official names worth comparing.

Scoring all 16,000 GV100AD names for every typed name would cost a second in Python; the
index hands ``places.rank`` the names sharing the typed core or its first word, plus the names
sharing most letter trigrams (for typos), a few hundred at most.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from efa_registry.search.placenames import NameForm, forms
from efa_registry.search.spelling import distance

FUZZY_CANDIDATES = 100
COMMON_TRIGRAM = 1500
LOOSE = 0.95
_SUB_MUNICIPAL = ("gemeinde", "gemeindeverband", "gemeindefreies_gebiet", "kreis")


class Place(NamedTuple):
    """A candidate area as ``rank`` needs it; any record with these attributes will do."""

    ars: str
    name: str
    level: str
    land: str
    kreis: str | None = None
    population: int | None = None
    textkennzeichen: str | None = None  # GV100AD's, when known: 41/42 kreisfrei, 61/62/63/67 a town


def to_place(record: object) -> Place:
    """A Place from any record: an object with the attributes (an ``Area``, an ``AreaRow``), a
    mapping with the keys, or a tuple in Place's field order."""
    if isinstance(record, Place):
        return record
    if isinstance(record, tuple):
        return Place(*record)
    if isinstance(record, Mapping):
        get = record.get
    else:
        def get(key: str) -> object:
            return getattr(record, key, None)
    ars, level = str(get("ars")), str(get("level"))
    kreis = get("kreis") or (ars[:5] if level in _SUB_MUNICIPAL and len(ars) >= 5 else None)
    return Place(ars, str(get("name")), level, str(get("land") or ars[:2]), kreis, get("population"),
                 get("textkennzeichen"))


_TOWN_MARKS = frozenset({"41", "42", "61", "62", "63", "67"})


def _compact(words: tuple[str, ...]) -> str:
    return "".join(words)


def _fuzzy_limit(word: str) -> int:
    n = len(word)
    return 0 if n < 4 else 1 if n < 8 else 2 if n < 13 else 3


def _abbreviates(short: str, long: str) -> bool:
    """``short`` is ``long`` cut short ("Westf", "M") or reduced to some of its letters in order,
    from the first ("OPf" Oberpfalz, "Oldb" Oldenburg, "Brsg" Breisgau, "Hl" Heiligen)."""
    if long.startswith(short):
        return True
    rest = iter(long[1:])
    return len(short) >= 2 and short[0] == long[0] and all(ch in rest for ch in short[1:])


def _compatible(typed: tuple[str, ...], official: tuple[str, ...]) -> bool:
    """Every typed qualifier word abbreviates, spells out or nearly equals an official one:
    "Westf" ~ "Westfalen", "M" ~ "Main", "Oberpfalz" ~ "OPf", "Sale" ~ "Saale"."""
    return all(any(_abbreviates(w, o) or _abbreviates(o, w) or (len(w) >= 5 and distance(w, o, 1) <= 1)
                   for o in official) for w in typed)


def compare(typed: NameForm, official: NameForm) -> float:
    """How well a typed reading matches an official one, 0…1; a match found only with umlauts
    stripped counts less: "Munchen" is probably München, but "Kroppen" is Kroppen, not Kröppen."""
    value = _compare(typed, official)
    return value * LOOSE if typed.loose or official.loose else value


def _compare(typed: NameForm, official: NameForm) -> float:
    """1 for the same name; 0.95 same core, compatible qualifier; 0.9 same core, the official
    name qualified ("Frankfurt" ~ "Frankfurt am Main"); 0.88 the first words of a longer name
    ("Mülheim" ~ "Mülheim-Kärlich"); 0.8 its last words; 0.75 a name with a district added;
    near misses by edit distance below that; else 0."""
    full_t, full_o = _compact(typed.full), _compact(official.full)
    if typed.full == official.full or full_t == full_o:
        return 1.0
    core_t, core_o = _compact(typed.core), _compact(official.core)
    structural = 0.0
    if core_t == core_o:
        if not typed.qualifier:
            return 0.9
        if not official.qualifier:
            return 0.7
        structural = 0.95 if _compatible(typed.qualifier, official.qualifier) else 0.5
    elif not typed.qualifier and official.core[:len(typed.core)] == typed.core:
        return 0.88
    elif not typed.qualifier and official.qualifier and typed.core[:len(official.core)] == official.core:
        # The qualifier typed without brackets or "an der": "Halle Westfalen" ~ "Halle (Westf.)".
        structural = 0.95 if _compatible(typed.core[len(official.core):], official.qualifier) else 0.5
    elif not typed.qualifier and len(official.core) > len(typed.core) == 1 and official.core[-1] == typed.core[0]:
        structural = 0.8  # the last word of a name: "Windsheim" ~ "Bad Windsheim"
    elif not official.qualifier and typed.core[:len(official.core)] == official.core:
        structural = 0.75  # a district added: "Berlin-Mitte", "Hamburg-Harburg"
    if structural > 0.9:
        return structural
    pairs = [(full_t, full_o, 0.9)] + ([(core_t, core_o, 0.85)] if not typed.qualifier else [])
    for a, b, weight in pairs:  # near misses: "Düsseldorff", "Ketzin/Havl"
        limit = _fuzzy_limit(a)
        if limit and (d := distance(a, b, limit)) <= limit:
            structural = max(structural, weight * (1 - d / max(len(a), len(b))))
    return structural


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


class PlaceIndex:
    """Candidate places with their parsed names, looked up by core, first word and trigrams."""

    def __init__(self, places: Iterable[Place]):
        self.places = list(places)
        self.forms = [forms(p.name, official=True) or [NameForm((p.ars,), (), None, False)] for p in self.places]
        self.laender = {p.ars: i for i, p in enumerate(self.places) if p.level == "land"}
        self.by_core: dict[str, list[int]] = defaultdict(list)
        self.by_first: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.by_trigram: dict[str, list[int]] = defaultdict(list)
        # A town by its designation (", Stadt"), its Textkennzeichen, or as a kreisfreie Stadt:
        # a Kreis with a Gemeinde numbered 0000000 is one (Würzburg, Rostock carry no designation).
        gemeinden = {p.ars for p in self.places if p.level == "gemeinde"}
        self.town = [f[0].city or p.textkennzeichen in _TOWN_MARKS or (
            p.level in _SUB_MUNICIPAL and p.ars[:5] + "0000000" in gemeinden and p.ars.ljust(12, "0")[5:] == "0" * 7)
            for p, f in zip(self.places, self.forms, strict=True)]
        for i, name_forms in enumerate(self.forms):
            for key in {_compact(f.core) for f in name_forms} | {_compact(f.full) for f in name_forms}:
                self.by_core[key].append(i)
            for first in {f.core[:n] for f in name_forms for n in (1, 2) if len(f.core) >= n}:
                self.by_first[first].append(i)
            for gram in _trigrams(_compact(name_forms[0].full)):
                self.by_trigram[gram].append(i)

    def __len__(self) -> int:
        return len(self.places)

    @functools.cached_property
    def by_key(self) -> dict[str, list[int]]:
        """Places by ARS (2, 3, 5, 9 or 12 digits) and Gemeinden also by AGS (8 digits: the ARS
        without the Gemeindeverband's four); built on first use."""
        keys: dict[str, list[int]] = defaultdict(list)
        for i, place in enumerate(self.places):
            keys[place.ars].append(i)
            if place.level == "gemeinde" and len(place.ars) == 12:
                keys[place.ars[:5] + place.ars[9:]].append(i)
        return dict(keys)

    def candidates(self, typed: list[NameForm]) -> set[int]:
        """Places sharing a typed form's core, full name or first words (two, when typed)."""
        found: set[int] = set()
        for form in typed:
            # The core, the whole name, and its first words as a name ("Essen" for "Essen-Kettwig").
            keys = {_compact(form.core), _compact(form.full),
                    *(_compact(form.core[:n]) for n in range(1, len(form.core)))}
            for key in keys:
                found.update(self.by_core.get(key, ()))
            found.update(self.by_first.get(form.core[:2], ()))
        return found

    def near(self, typed: list[NameForm]) -> set[int]:
        """Places sharing most letter trigrams with the typed name: the candidates for typos.
        Trigrams shared by thousands of names ("en ", "ber") say nothing and are skipped."""
        grams = [g for g in _trigrams(_compact(typed[0].full)) if len(self.by_trigram.get(g, ())) < COMMON_TRIGRAM]
        counts = Counter(i for gram in grams for i in self.by_trigram.get(gram, ()))
        needed = max(1, len(grams) // 2)
        return {i for i, n in counts.most_common(FUZZY_CANDIDATES) if n >= needed}

    def same_area(self, i: int, j: int) -> bool:
        """One area listed at several levels under one name: a kreisfreie Stadt as Kreis,
        Gemeindeverband and Gemeinde ("Cottbus, Stadt" and "Cottbus/Chóśebuz, Stadt"), an
        Einheitsgemeinde as its own Verband, Berlin as Land. (A Landkreis and its seat of the same
        name fold together too: the kind asked for has already decided which one leads.)"""
        a, b = self.places[i].ars, self.places[j].ars
        if not (a.startswith(b) or b.startswith(a)):
            return False
        # A Land only as the same full name: Land Brandenburg is not Brandenburg an der Havel.
        same = self.forms[i][0].full == self.forms[j][0].full
        return same or (min(len(a), len(b)) >= 5 and self.forms[i][0].core == self.forms[j][0].core)
