"""Peers of an area within its Land's directory: kinds, eligible units and the ranked group.
Pure: the directory rows and the bulk breadth counts come from ``repository``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from efa_registry.scorecard import rules
from efa_registry.scorecard.model import AreaKind, PeerEntry, PeerGroup, PeerRule, ScoredArea


class Directory:
    """The current Kreise, Gemeindeverbände and Gemeinden of one Land (``repository.directory``)."""

    def __init__(self, land: str, land_name: str, rows: Sequence[Mapping]) -> None:
        self.land, self.land_name = land, land_name
        self.rows = {r["ars"]: r for r in rows}
        gemeinden = sorted(r["ars"] for r in rows if r["level"] == "gemeinde")
        self._count = Counter(g[:n] for g in gemeinden for n in (5, 9))
        self._first = {}
        for g in reversed(gemeinden):
            self._first[g[:5]] = self._first[g[:9]] = g

    def gemeinden(self, ars: str) -> int:
        """Current Gemeinden the area is or contains."""
        return 1 if len(ars) == 12 else self._count.get(ars, 0)

    def kind(self, ars: str) -> AreaKind:
        """``rules.kind`` with the inputs read from the directory (as ``repository.area`` reads them)."""
        row, kreis = self.rows[ars], self.rows.get(ars[:5])
        count = self.gemeinden(ars)
        first = self.rows.get(ars) if len(ars) == 12 else self.rows.get(self._first.get(ars, ""))
        return rules.kind(row["level"], count, kreis_textkennzeichen=kreis["textkennzeichen"] if kreis else None,
                          kreis_gemeinden=self._count.get(ars[:5], 0),
                          gemeinde_textkennzeichen=first["textkennzeichen"] if first and count == 1 else None)

    def canonical(self, ars: str, kind: AreaKind) -> str:
        """The key peers of this kind are compared under: a kreisfreie Stadt asked by its Kreis key
        (or a verbandsfreie Gemeinde by its Verband key) is its single Gemeinde."""
        return ars if len(ars) == rules.PEER_LENGTH[kind] else self._first.get(ars, ars)

    def eligible(self, ars: str) -> dict[str, int]:
        """Eligible units per rollout level: inside the area, or the one containing it."""
        kreis = 1 if ars[:5] in self.rows and self.rows[ars[:5]]["level"] == "kreis" else 0
        return {"gemeinde": self.gemeinden(ars), "kreis": kreis, "land": 1}

    def candidates(self, kind: AreaKind, band: tuple[int, int] | None, exclude: str) -> list[str]:
        """Areas of ``kind`` with a population inside ``band``, ``exclude`` left out."""
        if band is None:
            return []
        length = rules.PEER_LENGTH[kind]
        # The population test first: the kind takes a few lookups, and a Land has thousands of Gemeinden.
        return [ars for ars, r in self.rows.items()
                if len(ars) == length and r["population"] is not None and band[0] <= r["population"] <= band[1]
                and ars != exclude and self.kind(ars) == kind]


def group(area: ScoredArea, directory: Directory, canonical: str, peers: Sequence[str],
          breadth: Mapping[str, tuple[int, int]]) -> PeerGroup:
    """The area ranked among its peers by breadth (Leistungen online everywhere in the area)."""
    band = rules.population_band(area.population)
    ranks = rules.shared_ranks({key: breadth[key][0] for key in (canonical, *peers)})
    rank = ranks[canonical]
    rows = directory.rows
    nearest = [PeerEntry(ars=key, ags=rows[key]["ags"], name=rows[key]["name"], population=rows[key]["population"],
                         online=breadth[key][0], partial=breadth[key][1], rank=ranks[key])
               for key in rules.nearest([(key, rows[key]["population"]) for key in peers], area.population or 1)]
    nearest.sort(key=lambda e: (e.rank, -(e.population or 0), e.ars))
    rule = PeerRule(
        text=rules.peer_rule_text(area.kind, directory.land_name, band), land=directory.land,
        land_name=directory.land_name, kind=area.kind, population_min=band[0] if band else None,
        population_max=band[1] if band else None, factor_min=rules.PEER_FACTORS[0],
        factor_max=rules.PEER_FACTORS[1], ranked_by="online", ties="shared_rank")
    return PeerGroup(rule=rule, peers=len(peers), rank=rank, of=len(peers) + 1,
                     sharing_rank=sum(1 for r in ranks.values() if r == rank), nearest=nearest)
