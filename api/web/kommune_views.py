"""Shaping scorecards and comparisons for the templates, in German: the form's fields, the tables
of breadth, depth and peers, the sentences. Pure functions over the core's records (no I/O, no
business rule: every number is the core's; this only chooses what a page shows and how it reads)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import msgspec
from jinja2 import Environment

from api.web.texts import ADOPTION_STATUS, AREA_LEVEL
from efa_registry.areas.model import Area
from efa_registry.scorecard import rules
from efa_registry.scorecard.model import ComparedArea, Comparison, Counts, ModelDistribution, PeerGroup
from efa_registry.scorecard.service import COMPARE_MAX as MAX_AREAS

# The eligible units of a rollout level, singular and plural (nominative).
UNIT_NOUNS = {"gemeinde": ("Gemeinde", "Gemeinden"),
              "kreis": ("Kreis oder kreisfreie Stadt", "Kreise und kreisfreie Städte"), "land": ("Land", "Länder")}
# Who is eligible in a Land, per rollout level (a Land-level solution has the Land itself).
GAP_UNITS = {"gemeinde": "die Gemeinden", "kreis": "die Kreise und kreisfreien Städte", "land": "das Land selbst"}
# An enclosing area an adoption is inherited from: its Kreis is never a kreisfreie Stadt (that one is the area).
ENCLOSING_LEVEL = {**AREA_LEVEL, "kreis": "Kreis"}
# The status of a unit not live yet; "none" when no adoption concerns it.
MISSING_STATUS = {"none": "keine Nachnutzung erfasst", **ADOPTION_STATUS}


def anzahl(n: int, singular: str, plural: str, *, none: str | None = None) -> str:
    """"1 OZG-Leistung", "2 OZG-Leistungen", "keine OZG-Leistung" (with ``none``): German numbers with
    their noun, thousands separated by a dot."""
    if n == 0 and none is not None:
        return none
    return f"{n:,}".replace(",", ".") + " " + (singular if n == 1 else plural)


def einheiten_zahl(n: int, level: str) -> str:
    """"396 Gemeinden", "1 Kreis oder kreisfreie Stadt"."""
    return anzahl(n, *UNIT_NOUNS[level])


def leistungen(n: int) -> str:
    return anzahl(n, "OZG-Leistung", "OZG-Leistungen", none="keine OZG-Leistung")


def kind_label(kind: str) -> str:
    return rules.KIND_LABELS[kind][0]  # type: ignore[index]


def names(items: Sequence[str]) -> str:
    """"A", "A und B", "A, B und C"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def breadth_sentence(name: str, summary: Counts) -> str:
    """What an area offers, in one sentence: breadth and preparation, never one combined number."""
    parts = [f"{name}: {leistungen(summary.online)} vollständig online"]
    if summary.partial:
        parts.append(f"{summary.partial} teilweise")
    parts.append(f"{summary.in_preparation or 'keine'} in Vorbereitung")
    return ", ".join(parts) + "."


def rank_text(group: PeerGroup) -> str:
    """"Rang 2 von 11", and with how many others it is shared ("geteilt mit 13 weiteren Gebieten")."""
    text = f"Rang {group.rank} von {group.of}"
    others = group.sharing_rank - 1
    if others == 1:
        text += " (geteilt mit einem weiteren Gebiet)"
    elif others > 1:
        text += f" (geteilt mit {others:,} weiteren Gebieten)".replace(",", ".")
    return text


# --------------------------------------------------------------------------- the form


def area_key(area: Area) -> str:
    """The key a person knows: a Gemeinde's 8-digit AGS, any other area's ARS."""
    return area.ags if area.level == "gemeinde" and area.ags else area.ars


def field_text(area: Area) -> str:
    """How the form shows a chosen area: its name, and the key that makes it unambiguous."""
    return f"{area.name} ({area_key(area)})"


class Choice(msgspec.Struct, frozen=True):
    """An area offered for an ambiguous name: ``value`` fills the field ("Name (key)")."""

    value: str
    name: str
    where: str  # "Gemeinde in Altenkirchen (Westerwald), Rheinland-Pfalz"


class Entry(msgspec.Struct, frozen=True):
    """One area asked for: as typed, the area it stands for, or why it stands for none."""

    text: str
    area: Area | None = None
    error: str | None = None
    status: int = 200  # the API's status for the same refusal: 400 malformed, 404 unknown, 422 not comparable
    choices: list[Choice] = []
    land_link: str | None = None


class Field(msgspec.Struct, frozen=True):
    index: int
    label: str
    value: str
    error: str | None
    land_link: str | None
    optional: bool


def fields(entries: Sequence[Entry]) -> list[Field]:
    """The form's text fields: one per area asked for (as chosen, or as typed when it failed), and
    one empty field more for the next area, at least two and at most ``MAX_AREAS``."""
    count = min(max(len(entries) + 1, 2), MAX_AREAS)
    out = []
    for i in range(count):
        entry = entries[i] if i < len(entries) else None
        value = "" if entry is None else field_text(entry.area) if entry.area else entry.text
        out.append(Field(i, f"{i + 1}. Gebiet", value, entry.error if entry else None,
                         entry.land_link if entry else None, optional=i >= 2))
    return out


def too_many(n: int) -> str:
    return f"Es lassen sich höchstens {MAX_AREAS} Gebiete vergleichen; angegeben waren {n}."


def comparison_title(comparison: Comparison | None, failed: bool) -> str:
    if failed:
        return "Eingaben prüfen – Kommunen vergleichen"
    if comparison is None:
        return "Kommunen vergleichen"
    shown = [c.area.name for c in comparison.areas]
    return (names(shown) if len(shown) <= 3 else f"{len(shown)} Gebiete") + " im Vergleich"


# --------------------------------------------------------------------------- the comparison


class OverviewRow(msgspec.Struct, frozen=True):
    key: str
    ars: str
    name: str
    kind: str
    land: str
    population: int | None
    summary: Counts
    rank: str
    sentence: str
    remove_url: str | None


class ThemenRow(msgspec.Struct, frozen=True):
    key: str
    name: str
    cells: list[tuple[int, int, int]]  # per area: online, partial, with solution


class DepthRow(msgspec.Struct, frozen=True):
    name: str
    counts: list[int]
    total: int


class DepthTable(msgspec.Struct, frozen=True):
    model: str
    levels: list[int]
    rows: list[DepthRow]
    empty: bool


class PeerRow(msgspec.Struct, frozen=True):
    ars: str
    name: str
    population: int | None
    online: int
    partial: int
    rank: int
    itself: bool
    add_url: str | None


class PeerSection(msgspec.Struct, frozen=True):
    ars: str
    name: str
    rule: str
    rank: str
    peers: int
    rows: list[PeerRow]
    show_partial: bool  # a column of zeros only for areas that are one Gemeinde


class ComparisonView(msgspec.Struct, frozen=True):
    overview: list[OverviewRow]
    themen: list[ThemenRow]
    depth: list[DepthTable]
    without_reifegrad: list[tuple[str, int]]
    peers: list[PeerSection]


def compare_url(keys: Sequence[str]) -> str:
    """The shareable address of a comparison: ``/vergleich?ars=05112000,05915000``."""
    return "/vergleich" + (f"?{urlencode({'ars': ','.join(keys)})}" if keys else "")


def _overview(compared: Sequence[ComparedArea], keys: Sequence[str]) -> list[OverviewRow]:
    rows = []
    for key, c in zip(keys, compared, strict=True):
        others = [k for k in keys if k != key]
        rows.append(OverviewRow(key, c.area.ars, c.area.name, kind_label(c.area.kind), c.area.land_name,
                                c.area.population, c.summary, rank_text(c.peer_group),
                                breadth_sentence(c.area.name, c.summary), compare_url(others) if others else None))
    return rows


def _themen(compared: Sequence[ComparedArea]) -> list[ThemenRow]:
    """Themenfelder in which any of the areas has a Leistung with a solution, in the core's order."""
    first = compared[0].themenfelder
    rows = []
    for i, t in enumerate(first):
        cells = [(c.themenfelder[i].online, c.themenfelder[i].partial, c.themenfelder[i].with_solution)
                 for c in compared]
        if any(w for _, _, w in cells):
            rows.append(ThemenRow(t.key, t.name, cells))
    return rows


def _depth(compared: Sequence[ComparedArea]) -> list[DepthTable]:
    """One table per Reifegrad model: the models are never mixed into one number."""
    tables = []
    for m, model in enumerate(compared[0].depth.models):
        rows = [DepthRow(c.area.name, [lc.leistungen for lc in c.depth.models[m].levels], c.depth.models[m].leistungen)
                for c in compared]
        tables.append(DepthTable(model.model, [lc.reifegrad for lc in model.levels], rows,
                                 empty=not any(r.total for r in rows)))
    return tables


def _peers(compared: Sequence[ComparedArea], keys: Sequence[str]) -> list[PeerSection]:
    sections = []
    chosen = {c.area.ars for c in compared}
    for c in compared:
        g = c.peer_group
        rows = [PeerRow(p.ars, p.name, p.population, p.online, p.partial, p.rank, False,
                        compare_url([*keys, p.ags or p.ars]) if len(keys) < MAX_AREAS and p.ars not in chosen else None)
                for p in g.nearest]
        rows.append(PeerRow(c.area.ars, c.area.name, c.area.population, c.summary.online, c.summary.partial,
                            g.rank, True, None))
        # The area itself among its nearest peers: first among equals, as the core ranks it.
        rows.sort(key=lambda r: (r.rank, not r.itself, -(r.population or 0), r.ars))
        sections.append(PeerSection(c.area.ars, c.area.name, g.rule.text, rank_text(g), g.peers, rows,
                                    show_partial=c.area.gemeinden > 1 or any(r.partial for r in rows)))
    return sections


def comparison_view(comparison: Comparison, keys: Sequence[str]) -> ComparisonView:
    compared = comparison.areas
    return ComparisonView(
        overview=_overview(compared, keys), themen=_themen(compared), depth=_depth(compared),
        without_reifegrad=[(c.area.name, c.depth.without_reifegrad) for c in compared if c.depth.without_reifegrad],
        peers=_peers(compared, keys))


def populated(models: Sequence[ModelDistribution]) -> list[ModelDistribution]:
    return [m for m in models if m.leistungen]


def register(env: Environment) -> None:
    """The filters and tables of the scorecard templates (beside ``texts.register``)."""
    env.filters.update(anzahl=anzahl, einheiten_zahl=einheiten_zahl)
    env.globals.update(UNIT_NOUNS=UNIT_NOUNS, MISSING_STATUS=MISSING_STATUS, GAP_UNITS=GAP_UNITS,
                       ENCLOSING_LEVEL=ENCLOSING_LEVEL)
