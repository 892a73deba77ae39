"""Server-side SVG choropleths of Germany by Land, Germany by Kreis, and one Land by its Kreise.

No script and nothing fetched: the shipped BKG outlines (``api.web.geodata``) become one ``<path>``
per area, filled by the colour classes of ``api.web.maps``. Colour is never the only cue
(WCAG 1.4.1): every class also has its own texture, shown in the legend, and areas without
eligible units a dashed edge. The caller passes the words: each area's sentence becomes its
tooltip (``<title>``) and accessible name. BKG's licence asks for the attribution next to every
map; ``render_map`` puts it under the map as a link, ``svg_document`` into the file itself. On a
page the legend is HTML beside the map (it wraps and stays legible on a phone); in the file it is
drawn inside.
"""

from __future__ import annotations

import csv
import io
import math
import textwrap
from collections.abc import Callable, Mapping
from typing import Literal

import msgspec
from markupsafe import Markup, escape

from api.web import geodata
from api.web.geodata import SUB, Frame, Shape
from api.web.maps import LEGEND, NO_UNITS, ColourClass, colour_class

MapKind = Literal["germany_by_land", "germany_by_kreis", "land_by_kreis"]
Link = Callable[[str], str | None]

ATTRIBUTION_URL = "https://www.bkg.bund.de"
LICENCE = "Datenlizenz Deutschland – Namensnennung – 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
LEGEND_TITLE = "Anteil der berechtigten Einheiten, die live sind"
GREY, INK = "#767676", "#1a1a1a"  # edges: 4.5:1 on white, so areas without units keep a visible border


class Shade(msgspec.Struct, frozen=True, kw_only=True):
    """What one area shows: ``share`` picks the colour class (None: keine berechtigten Einheiten),
    ``label`` is the sentence people read, "Kreis Nordfriesland: 12 % live (3 von 25 Gemeinden)".
    ``live``, ``eligible`` and ``name`` only feed the CSV."""

    share: float | None
    label: str
    live: int | None = None
    eligible: int | None = None
    name: str | None = None


class Style(msgspec.Struct, frozen=True):
    level: geodata.Level
    max_height: int  # px; all maps are WIDTH px wide
    edge: float  # px, between the areas
    outline: float  # px, of the Länder drawn on top (0: the areas are Länder)


STYLES: dict[str, Style] = {
    "germany_by_land": Style("overview", 820, 1.2, 0),
    "germany_by_kreis": Style("overview", 820, 0.4, 1.2),
    "land_by_kreis": Style("detail", 640, 0.8, 2.0),
}
DEFAULT_IDS = {"germany_by_land": "karte-laender", "germany_by_kreis": "karte-kreise"}  # else karte-<Land>
WIDTH, MARGIN = 620, 10
ROW = 24  # px per legend row

# Texture per colour class, on a 6 px tile (60 path units), drawn in the class's text colour.
# Full-coverage areas stay solid and areas without units plain white with a dashed edge.
_LINES = "M0 60L60 0M-15 15L15-15M45 75L75 45"
MARKS: dict[str, str] = {
    "k0": '<circle cx="30" cy="30" r="6"/>',
    "k1": '<path d="M0 30h60"/>',
    "k2": f'<path d="{_LINES}"/>',
    "k3": f'<path d="{_LINES}M0 0L60 60M-15 45L15 75M45-15L75 15"/>',
    "k4": '<path d="M0 30h60M30 0v60"/>',
}


def _areas(kind: MapKind, land: str | None) -> tuple[list[Shape], list[Shape]]:
    """(areas to fill, Länder to outline on top) of a map kind."""
    if kind not in STYLES:
        raise ValueError(f"unknown map kind {kind!r}")
    if (kind == "land_by_kreis") != (land is not None):
        raise ValueError("a Land key is needed for land_by_kreis, and only there")
    level = STYLES[kind].level
    laender = geodata.shapes(level, "laender")
    if kind == "germany_by_land":
        return list(laender.values()), []
    kreise = geodata.shapes(level, "kreise")
    if kind == "germany_by_kreis":
        return list(kreise.values()), list(laender.values())
    if land not in laender:
        raise ValueError(f"unknown Land key {land!r}")
    return [k for ars, k in kreise.items() if ars[:2] == land], [laender[land]]


def _u(px: float) -> str:
    """Pixels as path units (the viewBox is in tenths of a pixel)."""
    return f"{round(px * SUB)}"


def _patterns(prefix: str) -> str:
    parts = []
    for c in LEGEND:
        if c.key in MARKS:
            parts.append(f'<pattern id="{prefix}-{c.key}" width="60" height="60" patternUnits="userSpaceOnUse">'
                         f'<rect width="60" height="60" fill="{c.fill}"/><g fill="{c.text}" stroke="{c.text}" '
                         f'stroke-width="8" opacity=".5">{MARKS[c.key]}</g></pattern>')
    return f"<defs>{''.join(parts)}</defs>"


def _fill(c: ColourClass, prefix: str, dashed: bool = True) -> str:
    """The fill of a class; areas without units also get a dashed edge, except where the edge is a
    Land border, which stays solid."""
    dash = ' stroke-dasharray="30 20"' if c is NO_UNITS and dashed else ""
    return f'fill="url(#{prefix}-{c.key})"' if c.key in MARKS else f'fill="{c.fill}"{dash}'


def _area(shape: Shape, frame: Frame, shade: Shade | None, href: str | None, prefix: str, dashed: bool) -> str:
    label = escape(shade.label if shade else f"{shape.name}: keine Angaben")
    colour = colour_class(shade.share if shade else None)
    path = (f'<path d="{geodata.path_data(shape, frame)}" {_fill(colour, prefix, dashed)} data-ars="{shape.ars}" '
            f'data-class="{colour.key}"')
    if href is None:
        return f'{path} aria-label="{label}"><title>{label}</title></path>'
    return f'<a href="{escape(href)}" aria-label="{label}"><title>{label}</title>{path}/></a>'


def _lines(text: str, top: float, size: int) -> tuple[str, float]:
    """Bold text wrapped to the width (SVG does not wrap by itself), and the height it takes."""
    lines = textwrap.wrap(text, width=int((WIDTH - 2 * MARGIN) / (size * 0.6))) or [""]
    svg = "".join(f'<text x="{_u(MARGIN)}" y="{_u(top + size + i * size * 1.3)}" font-size="{_u(size)}" '
                  f'font-weight="bold">{escape(line)}</text>' for i, line in enumerate(lines))
    return svg, len(lines) * size * 1.3


def _legend(prefix: str, top: float, title: str) -> tuple[str, float]:
    """The classes in two columns under the map, each swatch with the texture the map uses; and
    the height it takes."""
    rows = math.ceil(len(LEGEND) / 2)
    heading, height = _lines(f"Legende: {title}", top, 14)
    parts = [heading]
    for i, c in enumerate(LEGEND):
        x, y = MARGIN + (i // rows) * (WIDTH - 2 * MARGIN) / 2, top + height + 8 + ROW * (i % rows)
        parts.append(f'<rect x="{_u(x)}" y="{_u(y)}" width="{_u(18)}" height="{_u(18)}" stroke="{GREY}" '
                     f'stroke-width="{_u(1)}" {_fill(c, prefix)}/><text x="{_u(x + 26)}" y="{_u(y + 14)}" '
                     f'font-size="{_u(13)}">{escape(c.label)}</text>')
    return f'<g class="legend">{"".join(parts)}</g>', height + 8 + ROW * rows


def _attribution(top: float) -> str:
    return (f'<a href="{ATTRIBUTION_URL}"><text x="{_u(MARGIN)}" y="{_u(top + 14)}" font-size="{_u(12)}">'
            f'Kartengrundlage: {escape(geodata.attribution())}</text></a>'
            f'<text x="{_u(MARGIN)}" y="{_u(top + 32)}" font-size="{_u(12)}">Lizenz: {LICENCE}, {LICENCE_URL}</text>')


def _map_layers(kind: MapKind, land: str | None, values: Mapping[str, Shade], link: Link | None,
                prefix: str, top: float) -> tuple[str, float]:
    """(SVG of the areas and the Länder outline, height in px)."""
    areas, outline = _areas(kind, land)  # first: it refuses unknown kinds
    style = STYLES[kind]
    frame = geodata.fit(geodata.bbox(r for s in (outline or areas) for r in s.rings),
                        WIDTH - 2 * MARGIN, style.max_height, MARGIN, top)
    edge = GREY if outline else INK
    body = "".join(_area(s, frame, values.get(s.ars), link(s.ars) if link else None, prefix, bool(outline))
                   for s in areas)
    svg = (f'<g class="areas" fill-rule="evenodd" stroke="{edge}" stroke-width="{_u(style.edge)}" '
           f'stroke-linejoin="round">{body}</g>')
    if outline:
        paths = "".join(f'<path d="{geodata.path_data(s, frame)}"/>' for s in outline)
        svg += (f'<g class="outline" fill="none" fill-rule="evenodd" stroke="{INK}" stroke-width="{_u(style.outline)}" '
                f'stroke-linejoin="round" pointer-events="none" aria-hidden="true">{paths}</g>')
    return svg, frame.height


def _svg(kind: MapKind, values: Mapping[str, Shade], *, title: str, link: Link | None, land: str | None,
         dom_id: str | None, standalone: bool, legend_title: str) -> str:
    """The ``<svg>``; a standalone file carries its title, legend and attribution inside, a page's
    map only the areas (the page sets its legend in HTML, readable at any width)."""
    prefix = dom_id or DEFAULT_IDS.get(kind, f"karte-{land}")
    heading, top = _lines(title, MARGIN, 18) if standalone else ("", 0.0)
    layers, height = _map_layers(kind, land, values, link, prefix, MARGIN + top + (12 if standalone else 0))
    legend_top = MARGIN + top + height + (12 if standalone else 0) + 16
    legend, legend_height = _legend(prefix, legend_top, legend_title) if standalone else ("", -12.0)
    tail = _attribution(legend_top + legend_height + 4) if standalone else ""
    total = legend_top + legend_height + (44 if standalone else 4)
    focus = (f"<style>#{prefix} a:focus>path,#{prefix} a:hover>path"
             f"{{stroke:{INK};stroke-width:{_u(3)}}}</style>") if link else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="{prefix}" class="choropleth" '
            f'viewBox="0 0 {_u(WIDTH)} {_u(total)}" width="{WIDTH}" height="{round(total)}" '
            f'style="max-width:100%;height:auto" '
            f'role="{"group" if link else "img"}" aria-labelledby="{prefix}-titel" font-family="sans-serif" '
            f'fill="{INK}"><title id="{prefix}-titel">{escape(title)}</title>{focus}{_patterns(prefix)}'
            f'{heading}{layers}{legend}{tail}</svg>')


def _html_legend(prefix: str, title: str) -> str:
    """The legend beside a page's map: text that wraps and zooms, each swatch with the map's
    texture (the swatches are tenths of a pixel like the map, so the patterns match)."""
    items = "".join(
        f'<li data-class="{c.key}" data-fill="{c.fill}" data-low="{"" if c.low is None else c.low}" '
        f'data-high="{"" if c.high is None else c.high}"><svg width="22" height="22" viewBox="0 0 220 220" '
        f'aria-hidden="true" focusable="false"><rect x="10" y="10" width="200" height="200" stroke="{GREY}" '
        f'stroke-width="15" {_fill(c, prefix)}/></svg><span>{escape(c.label)}</span></li>' for c in LEGEND)
    return (f'<div class="legend map-legend"><p class="legend-title" id="{prefix}-legende">Legende: '
            f'{escape(title)}</p><ul aria-labelledby="{prefix}-legende">{items}</ul></div>')


def render_map(kind: MapKind, values: Mapping[str, Shade], *, title: str, link: Link | None = None,
               land: str | None = None, dom_id: str | None = None, legend_title: str = LEGEND_TITLE) -> Markup:
    """The map for a page: an inline ``<svg>`` in a ``<figure>`` with the legend (HTML) and a
    caption that links the source.

    ``values`` maps an ARS (2 digits for a Land, 5 for a Kreis) to its Shade; areas without one
    read "keine Angaben", keys outside the map are ignored. ``link(ars)`` gives an area's href
    (None: no link). With links the ``<svg>`` is a ``group`` so that each link keeps its name
    (``img`` would hide them from assistive technology); without, it is one ``img``.
    """
    svg = _svg(kind, values, title=title, link=link, land=land, dom_id=dom_id, standalone=False,
               legend_title=legend_title)
    prefix = dom_id or DEFAULT_IDS.get(kind, f"karte-{land}")
    caption = (f'<figcaption class="map-source">Kartengrundlage: <a href="{ATTRIBUTION_URL}">'
               f'{escape(geodata.attribution())}</a>, <a href="{LICENCE_URL}">{LICENCE}</a></figcaption>')
    return Markup(f'<figure class="choropleth-map">{svg}{_html_legend(prefix, legend_title)}{caption}</figure>')


def svg_document(kind: MapKind, values: Mapping[str, Shade], *, title: str, land: str | None = None,
                 link: Link | None = None, legend_title: str = LEGEND_TITLE) -> str:
    """A standalone SVG file (serve as ``image/svg+xml``): the title on top, the attribution and
    licence inside, so the map keeps them wherever it is copied to. Links only if absolute."""
    body = _svg(kind, values, title=title, link=link, land=land, dom_id=None, standalone=True,
                legend_title=legend_title)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


CSV_HEADER = ("Regionalschlüssel (ARS)", "Gebiet", "Einheiten live", "berechtigte Einheiten",
              "Anteil live (%)", "Farbklasse")


def _percent(shade: Shade) -> str:
    """Percent with two decimals, cut rather than rounded (99.996 % is not 100 %), decimal comma."""
    if shade.live is not None and shade.eligible:
        hundredths = shade.live * 10000 // shade.eligible
    elif shade.share is not None:
        hundredths = math.floor(shade.share * 10000 + 1e-9)  # 0.29 * 10000 is 2899.999…
    else:
        return ""
    return f"{hundredths // 100},{hundredths % 100:02d}"


def figures_csv(kind: MapKind, values: Mapping[str, Shade], *, land: str | None = None) -> str:
    """The map's figures as CSV for spreadsheets in German offices: ``;`` between fields, decimal
    comma, CRLF line ends, UTF-8 with BOM (without it Excel garbles umlauts). One row per area
    of the map, by ARS, plus values for areas of the same level the map does not know."""
    areas, _ = _areas(kind, land)
    names = {s.ars: s.name for s in areas}
    size = len(areas[0].ars)
    extra = {k for k in values if len(k) == size and (land is None or k[:2] == land)}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for ars in sorted(names.keys() | extra):
        shade = values.get(ars)
        if shade is None:
            writer.writerow((ars, names[ars], "", "", "", "keine Angaben"))
            continue
        writer.writerow((ars, shade.name or names.get(ars, ""), "" if shade.live is None else shade.live,
                         "" if shade.eligible is None else shade.eligible, _percent(shade),
                         colour_class(shade.share).label))
    return "\ufeff" + out.getvalue()
