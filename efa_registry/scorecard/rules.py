"""Pure scorecard rules: what kind of area it is, who its peers are, how ranks and depth are
counted, and which adoptions reach an area's units. No I/O.

Coverage is the rollout's rule, imported from ``efa_registry.rollout.rules`` and never restated:
a live adoption covers a unit when its ARS is the unit's or one of the unit's ``PREFIX_LENGTHS``
prefixes. That keeps every scorecard number equal to the rollout figures.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from efa_registry.rollout.rules import PREFIX_LENGTHS, covers
from efa_registry.scorecard.model import (
    AreaKind,
    Depth,
    DepthDistribution,
    LevelCount,
    ModelDistribution,
    Origin,
    UnitStatus,
)
from efa_registry.types import RolloutLevel

# Areas with a scorecard: a Gemeinde (also a kreisfreie Stadt by its Gemeinde key), a
# Gemeindeverband, a Kreis (also a kreisfreie Stadt by its Kreis key). A Land has its rollout
# overview; a Regierungsbezirk, a Region or a gemeindefreies Gebiet is no Kommune.
SCORED_LEVELS: tuple[str, ...] = ("gemeinde", "gemeindeverband", "kreis")
# ARS length of the eligible units of each rollout level (Gemeinde 12, Kreis 5, Land 2 digits).
UNIT_LENGTH: dict[RolloutLevel, int] = {"gemeinde": 12, "kreis": 5, "land": 2}

# GV100AD Textkennzeichen. Satzart 40: 41 kreisfreie Stadt, 42 Stadtkreis, 43 Kreis, 44 Landkreis,
# 45 Regionalverband. Satzart 60: 61 kreisfreie Stadt, 62 Stadtkreis.
KREISFREI_KREIS = frozenset({"41", "42"})
KREIS_KREIS = frozenset({"43", "44", "45"})
KREISFREI_GEMEINDE = frozenset({"61", "62"})

KIND_LABELS: dict[AreaKind, tuple[str, str]] = {  # singular, dative plural ("mit allen …")
    "kreisfreie_stadt": ("kreisfreie Stadt", "kreisfreien Städten"),
    "kreisangehoerige_gemeinde": ("kreisangehörige Gemeinde", "kreisangehörigen Gemeinden"),
    "kreis": ("Kreis", "Kreisen"),
    "gemeindeverband": ("Gemeindeverband", "Gemeindeverbänden"),
}
# The ARS length at which peers of each kind are looked up: a kreisfreie Stadt is compared as the
# Gemeinde it is, so its Kreis key and its Gemeinde key find the same peers.
PEER_LENGTH: dict[AreaKind, int] = {"kreisfreie_stadt": 12, "kreisangehoerige_gemeinde": 12, "kreis": 5,
                                    "gemeindeverband": 9}
PEER_FACTORS = (0.5, 2.0)
NEAREST_PEERS = 10

# Levels of each Reifegrad model (as the solution table's CHECK constraint allows them).
MODEL_LEVELS: dict[str, range] = {"1.1": range(0, 5), "2.0": range(0, 8)}
PREPARING: tuple[str, ...] = ("interested", "agreed", "onboarding")
# A unit that is not live shows the furthest status of the adoptions that would cover it.
STATUS_PRECEDENCE: tuple[UnitStatus, ...] = ("onboarding", "agreed", "interested", "paused", "withdrawn")


# --------------------------------------------------------------------------- coverage


def prefix_keys(ars: str) -> list[str]:
    """The ARS an adopter may hold for its live adoption to cover ``ars``, widest first: exactly
    the ``k`` with ``covers(k, ars)`` (a unit test holds the two together)."""
    return [ars[:n] for n in PREFIX_LENGTHS if n <= len(ars)]


def unit_index(units: Iterable[str]) -> dict[str, list[str]]:
    """Adopter ARS → the given units its live adoption covers (the inverse of ``prefix_keys``)."""
    index: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        for key in prefix_keys(unit):
            index[key].append(unit)
    return dict(index)


def origin(adopter: str, area: str, own_keys: frozenset[str]) -> Origin:
    """``own`` for an adoption by the area itself, by the same authority under another key
    (``own_keys``: the Kreis and Gemeindeverband of a kreisfreie Stadt …) or by a unit inside the
    area; ``inherited`` for one by an enclosing area (Land, Regierungsbezirk, Kreis, Verband)."""
    if adopter in own_keys or (adopter != area and covers(area, adopter)):  # the area contains the adopter
        return "own"
    return "inherited"


# --------------------------------------------------------------------------- kinds and peers


def _kreisfrei(kreis_textkennzeichen: str | None, kreis_gemeinden: int) -> bool:
    if kreis_textkennzeichen in KREISFREI_KREIS:
        return True
    if kreis_textkennzeichen in KREIS_KREIS:
        return False
    return kreis_gemeinden == 1  # no Textkennzeichen: a Kreis that is a single Gemeinde


def kind(level: str, gemeinden: int, *, kreis_textkennzeichen: str | None, kreis_gemeinden: int,
         gemeinde_textkennzeichen: str | None = None) -> AreaKind:
    """The kind of a Gemeinde, Gemeindeverband or Kreis.

    A Kreis is a kreisfreie Stadt by its Textkennzeichen (41, 42; 43–45 are Kreise), or without
    one when it holds a single Gemeinde. A Gemeinde, and a Gemeindeverband that is one Gemeinde
    (a verbandsfreie Gemeinde), takes the kind of its Kreis: kreisfreie Stadt or kreisangehörige
    Gemeinde (its own Textkennzeichen 61/62 decides when the Kreis has none).
    """
    if level == "kreis":
        return "kreisfreie_stadt" if _kreisfrei(kreis_textkennzeichen, gemeinden) else "kreis"
    if level == "gemeindeverband" and gemeinden != 1:
        return "gemeindeverband"
    if kreis_textkennzeichen is None and gemeinde_textkennzeichen is not None:
        return "kreisfreie_stadt" if gemeinde_textkennzeichen in KREISFREI_GEMEINDE else "kreisangehoerige_gemeinde"
    return "kreisfreie_stadt" if _kreisfrei(kreis_textkennzeichen, kreis_gemeinden) else "kreisangehoerige_gemeinde"


def population_band(population: int | None) -> tuple[int, int] | None:
    """Peers have at least half and at most twice the area's population (inclusive); an area
    without population has no band."""
    if not population:
        return None
    low, high = PEER_FACTORS
    return math.ceil(population * low), math.floor(population * high)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def in_land(land_name: str) -> str:
    """"in Nordrhein-Westfalen", but "im Saarland": the one Land whose name takes an article."""
    return f"im {land_name}" if land_name == "Saarland" else f"in {land_name}"


def peer_rule_text(kind_: AreaKind, land_name: str, band: tuple[int, int] | None) -> str:
    """The peer rule in German, as the comparison page states it under the area's name (so it says
    "dieses Gebiet": official names such as "Regionalverband Saarbrücken" or "Duisburg, Stadt"
    take no article of their own in running text)."""
    plural = KIND_LABELS[kind_][1]
    ranking = ("Rang nach der Zahl der OZG-Leistungen, die dort vollständig online nutzbar sind; "
               "bei Gleichstand teilen sich Gebiete einen Rang, der nächste wird übersprungen (1, 1, 3).")
    if band is None:
        return f"Für dieses Gebiet ist keine Einwohnerzahl bekannt, daher gibt es keine Vergleichsgruppe. {ranking}"
    return (f"Verglichen wird mit allen {plural} {in_land(land_name)} mit {_number(band[0])} bis {_number(band[1])}"
            f" Einwohnerinnen und Einwohnern (halb bis doppelt so viele wie in diesem Gebiet). {ranking}")


def shared_ranks(values: Mapping[str, int]) -> dict[str, int]:
    """Rank by value, highest first; equal values share the best rank and the next is skipped
    (1, 1, 3): rank = 1 + the number of strictly higher values."""
    ordered = sorted(values.values(), reverse=True)
    first: dict[int, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: first[value] for key, value in values.items()}


def nearest(candidates: Sequence[tuple[str, int | None]], population: int, n: int = NEAREST_PEERS) -> list[str]:
    """The ``n`` candidate keys closest in population (by ratio, then by key)."""
    def distance(item: tuple[str, int | None]) -> tuple[float, str]:
        key, pop = item
        return (abs(math.log((pop or 1) / population)), key)

    return [key for key, _ in sorted(candidates, key=distance)[:n]]


# --------------------------------------------------------------------------- depth


def deepest(solutions: Iterable[tuple[str, str | None, int | None]]) -> list[Depth]:
    """Per Reifegrad model the highest level among (slug, model, level) and the solutions that
    reach it; models are never mixed into one number."""
    best: dict[str, tuple[int, list[str]]] = {}
    for slug, model, level in solutions:
        if model is None or level is None:
            continue
        current = best.get(model)
        if current is None or level > current[0]:
            best[model] = (level, [slug])
        elif level == current[0]:
            current[1].append(slug)
    return [Depth(model=m, reifegrad=best[m][0], solutions=sorted(best[m][1]))  # type: ignore[arg-type]
            for m in MODEL_LEVELS if m in best]


def distribution(depths: Iterable[Sequence[Depth]]) -> DepthDistribution:
    """How many Leistungen reach each level of each model (a Leistung with solutions of both
    models counts once in each), and how many have no Reifegrad at all."""
    counts = {m: dict.fromkeys(levels, 0) for m, levels in MODEL_LEVELS.items()}
    without = 0
    for depth in depths:
        if not depth:
            without += 1
        for d in depth:
            counts[d.model][d.reifegrad] += 1
    models = [ModelDistribution(model=m, leistungen=sum(levels.values()),  # type: ignore[arg-type]
                                levels=[LevelCount(reifegrad=r, leistungen=n) for r, n in levels.items()])
              for m, levels in counts.items()]
    return DepthDistribution(models=models, without_reifegrad=without)
