"""The words and values of each map, from the core's figures: one Shade per area, the map's title,
and what its SVG and CSV downloads are called. Pure functions; ``auswahl`` fetches the figures,
``choropleth`` draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlencode

import msgspec
from markupsafe import Markup

from api.web import choropleth
from api.web.choropleth import LEGEND_TITLE, MapKind, Shade
from api.web.texts import einheiten, prozent, zahl
from efa_registry.rollout.model import Figures, KreisFigures, LandFigures, RankingEntry

THEMENFELD_LEGEND = "mittlerer Anteil der berechtigten Einheiten, die live sind"


class MapView(msgspec.Struct, frozen=True, kw_only=True):
    """One map as a page shows it and as its downloads deliver it."""

    kind: MapKind
    values: dict[str, Shade]
    title: str
    file: str  # download name without extension, e.g. "rollout-demo-wohngeld-online-kreise"
    params: dict[str, str]  # the query that reproduces the map (for the download links)
    base: str  # the page path the downloads hang below ("/rollout", "/laender/10")
    land: str | None = None
    link: str | None = None  # area links: "laender" (Land pages, with ``params``) or "gebiete"
    legend_title: str = LEGEND_TITLE
    dom_id: str | None = None
    kreise: list[KreisFigures] = []  # the rows of a Kreis map's table

    def href(self, ars: str) -> str:
        if self.link == "gebiete":
            return f"/gebiete/{ars}"
        query = {k: v for k, v in self.params.items() if k in ("loesung", "ozg")}
        return f"/laender/{ars}" + (f"?{urlencode(query)}" if query else "") + "#karte"

    def download(self, extension: str) -> str:
        return f"{self.base}/karte.{extension}" + (f"?{urlencode(self.params)}" if self.params else "")

    def render(self) -> Markup:
        link: Callable[[str], str | None] | None = self.href if self.link else None
        return choropleth.render_map(self.kind, self.values, title=self.title, link=link, land=self.land,
                                     dom_id=self.dom_id, legend_title=self.legend_title)

    def svg(self) -> str:
        return choropleth.svg_document(self.kind, self.values, title=self.title, land=self.land,
                                       legend_title=self.legend_title)

    def csv(self) -> str:
        return choropleth.figures_csv(self.kind, self.values, land=self.land)


def figures_text(name: str, figures: Figures, level: str) -> str:
    """What one area says: "Saarland: 52 von 52 Gemeinden live (100 %), flächendeckend". Where the
    area holds one eligible unit, live or not ("0 von 1 Gemeinden" reads badly)."""
    if not figures.eligible_units:
        return f"{name}: keine berechtigten {einheiten(level, 'nom')}"
    if figures.eligible_units == 1:  # a kreisfreie Stadt, a Stadtstaat, a Kreis of a Kreis-level rollout
        return f"{name}: {'live' if figures.covered_units else 'noch nicht live'}"
    text = (f"{name}: {zahl(figures.covered_units)} von {zahl(figures.eligible_units)} "
            f"{einheiten(level, 'dat')} live ({prozent(figures.share_by_count)})")
    return text + (", flächendeckend" if figures.flaechendeckend else "")


def _shade(name: str, figures: Figures, level: str) -> Shade:
    return Shade(share=figures.share_by_count, label=figures_text(name, figures, level), name=name,
                 live=figures.covered_units, eligible=figures.eligible_units)


def land_shades(lands: Iterable[LandFigures], level: str) -> dict[str, Shade]:
    return {lf.land.code: _shade(lf.land.name, lf.figures, level) for lf in lands}


def kreis_shades(kreise: Iterable[KreisFigures], level: str, land_names: Mapping[str, str] | None = None
                 ) -> dict[str, Shade]:
    """Kreise by ARS; with ``land_names`` (maps of all Germany) each name says its Land, since
    names repeat across Länder (Landkreis Rostock, Stadt Rostock; several "Neustadt")."""
    def name(k: KreisFigures) -> str:
        return f"{k.name} ({land_names[k.ars[:2]]})" if land_names and k.ars[:2] in land_names else k.name

    return {k.ars: _shade(name(k), k.figures, level) for k in kreise}


def ranking_shades(ranking: Iterable[RankingEntry]) -> dict[str, Shade]:
    """A Themenfeld per Land: the mean coverage over its OZG-Leistungen that have a solution."""
    return {e.land: Shade(
        share=e.mean_share_by_count if e.ozg_leistungen else None, name=e.name,
        label=(f"{e.name}: {e.flaechendeckend_ozg_leistungen} von {e.ozg_leistungen} OZG-Leistungen "
               f"flächendeckend, im Mittel {prozent(e.mean_share_by_count)} der berechtigten Einheiten live")
        if e.ozg_leistungen else f"{e.name}: keine OZG-Leistung mit Lösung") for e in ranking}


def title(level: str | None, name: str, per: str, *, land: str | None = None, what: str = "live nutzen") -> str:
    """The map's accessible name: "Karte: Anteil der Gemeinden je Kreis, die X live nutzen". A
    Kreis of a Kreis-level rollout is one unit: its map says which Kreise, not a share."""
    where = f" {land}" if land else ""  # "Karte Saarland: …" needs no article ("im Saarland", "in Bayern")
    if level == "land" or (level == "kreis" and per == "Kreis"):
        units = "Länder" if level == "land" else "Kreise und kreisfreie Städte"
        return f"Karte{where}: {units}, die {name} {what}"
    return f"Karte{where}: Anteil der {einheiten(level, 'gen')} je {per}, die {name} {what}"
