"""Shaping the core's results for the templates: facet links, select options, Land page lists.

Pure functions over the core's records; no I/O and no business rules (the figures are the
core's — this only chooses which of them a page shows and how it links them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import msgspec
from litestar import Request

from api.web.maps import land_names
from api.web.texts import SOLUTION_STATUS
from efa_registry.ozg.model import OzgLeistung, Themenfeld
from efa_registry.rollout.model import LandOverview, MatrixRow, OzgInLand, SolutionInLand
from efa_registry.solutions.search import FacetCount, SolutionQuery


def clean(raw: list[str] | None) -> list[str]:
    """Repeated or comma-separated values, blanks dropped, order kept."""
    return list(dict.fromkeys(v.strip() for item in raw or [] for v in item.split(",") if v.strip()))


def _url(request: Request, params: list[tuple[str, str]]) -> str:
    return request.url.path + ("?" + urlencode(params) if params else "")


def with_param(request: Request, name: str, value: str) -> str:
    """The current page with ``name`` set to ``value`` (e.g. the next page's cursor)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != name]
    return _url(request, [*params, (name, value)])


class FacetLink(msgspec.Struct, frozen=True):
    value: str
    label: str
    count: int
    selected: bool
    href: str


class FacetGroup(msgspec.Struct, frozen=True):
    param: str
    title: str
    links: list[FacetLink]


def _toggle(request: Request, param: str, value: str) -> str:
    """Select or unselect one facet value; any paging starts over."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "weiter"]
    current = clean([v for k, v in params if k == param])
    others = [(k, v) for k, v in params if k != param]
    chosen = [v for v in current if v != value] if value in current else [*current, value]
    return _url(request, [*others, *((param, v) for v in chosen)])


def land_name_map() -> dict[str, str]:
    return {code: land.name for code, land in land_names().items()}


def catalogue_facets(request: Request, query: SolutionQuery, facets: dict[str, list[FacetCount]],
                     themen: dict[str, str]) -> list[FacetGroup]:
    lands = land_name_map()
    spec = [("themenfeld", "Themenfeld", "themenfeld", query.themenfeld, themen),
            ("status", "Status", "status", query.status, SOLUTION_STATUS),
            ("land", "Land des Anbieters", "providerLand", query.provider_land, lands),
            ("standard", "Schnittstellenstandard", "interfaceStandard", query.interface_standard, {})]
    groups = []
    for param, title, facet, chosen, names in spec:
        counts = {f.value: f.count for f in facets.get(facet, [])}
        for value in chosen:  # a chosen value stays visible (and can be unselected) even at zero hits
            counts.setdefault(value, 0)
        links = [FacetLink(value, names.get(value, value), n, value in chosen, _toggle(request, param, value))
                 for value, n in counts.items()]
        groups.append(FacetGroup(param, title, links))
    return groups


def catalogue_title(query: SolutionQuery, groups: list[FacetGroup], *, paged: bool) -> str:
    """A title per search (WCAG 2.4.2: the browser's history and tabs tell searches apart):
    "Suche „Bauantrag“, Bauen & Wohnen – Katalog"."""
    parts = [f"Suche „{query.q}“"] if query.q else []
    parts += [link.label for group in groups for link in group.links if link.selected]
    title = ", ".join(parts) + " – Katalog" if parts else "Katalog"
    return title + (", weitere Ergebnisse" if paged else "")


def total(query: SolutionQuery, status_counts: list[FacetCount]) -> int:
    """Hits of the whole search: the status facet counts every other filter, and a solution has
    exactly one status, so the counts of the statuses searched for add up to the total."""
    wanted = set(query.status) if query.status else set(SOLUTION_STATUS) - {"retired"}
    return sum(f.count for f in status_counts if f.value in wanted)


class Choice(msgspec.Struct, frozen=True):
    value: str
    label: str


class ChoiceGroup(msgspec.Struct, frozen=True):
    label: str
    choices: list[Choice]


class RolloutChoices(msgspec.Struct, frozen=True):
    solutions: list[Choice]
    ozg_groups: list[ChoiceGroup]
    themenfelder: list[Choice]


def rollout_choices(rows: Sequence[MatrixRow], leistungen: Sequence[OzgLeistung],
                    themen: Sequence[Themenfeld]) -> RolloutChoices:
    """Solutions by name (retired ones marked), OZG-Leistungen grouped by Themenfeld."""
    solutions = sorted(rows, key=lambda r: r.solution.name.lower())
    groups: dict[str, list[Choice]] = {}
    for o in sorted(leistungen, key=lambda o: (o.themenfeld_name, o.name)):
        groups.setdefault(o.themenfeld_name, []).append(Choice(o.ozg_id, f"{o.name} ({o.ozg_id})"))
    return RolloutChoices(
        solutions=[Choice(r.solution.slug, r.solution.name + (" (eingestellt)" if r.solution.status == "retired"
                                                              else "")) for r in solutions],
        ozg_groups=[ChoiceGroup(name, choices) for name, choices in groups.items()],
        themenfelder=[Choice(t.key, t.name) for t in themen])


class LandChoices(msgspec.Struct, frozen=True):
    solutions: list[Choice]
    ozg_leistungen: list[Choice]


def land_choices(overview: LandOverview) -> LandChoices:
    """What a Land's Kreis map can show: every solution (a Land-level one says so) and every
    OZG-Leistung with a solution, by name."""
    def level_note(level: str) -> str:
        return " (auf Landesebene)" if level == "land" else ""

    solutions = sorted(overview.solutions, key=lambda e: e.solution.name.lower())
    ozgs = sorted(overview.ozg_leistungen, key=lambda e: e.ozg_leistung.name.lower())
    return LandChoices(
        solutions=[Choice(e.solution.slug, e.solution.name + level_note(e.solution.rollout_level)) for e in solutions],
        ozg_leistungen=[Choice(e.ozg_leistung.ozg_id, f"{e.ozg_leistung.name} ({e.ozg_leistung.ozg_id})"
                               + level_note(e.rollout_level)) for e in ozgs])


def widest_rollout(rows: Sequence[MatrixRow]) -> str | None:
    """The solution /rollout opens on: live in the most Länder, then the largest national share —
    a first view that shows something."""
    def spread(row: MatrixRow) -> tuple[int, float]:
        return sum(1 for n in row.covered_units if n), row.national.share_by_count or 0.0

    return max(rows, key=spread).solution.slug if rows else None


class LandSolutions(msgspec.Struct, frozen=True):
    live: list[SolutionInLand]
    live_total: int
    planned: list[SolutionInLand]
    planned_total: int
    untouched: int


def land_solutions(entries: Iterable[SolutionInLand], limit: int | None) -> LandSolutions:
    """In use (something live, widest coverage first), planned (adoptions on the way — also where
    the solution is live elsewhere in the Land), and how many have neither; ``limit`` rows of
    each unless the person asked for all."""
    live, planned, untouched = [], [], 0
    for entry in entries:
        counts = entry.figures.adoptions
        in_use = bool(entry.figures.covered_units or counts.live)
        on_the_way = bool(counts.interested or counts.agreed or counts.onboarding or counts.paused)
        if in_use:
            live.append(entry)
        if on_the_way:
            planned.append(entry)
        if not (in_use or on_the_way):
            untouched += 1
    live.sort(key=lambda e: (-(e.figures.share_by_count or 0), e.solution.name))
    planned.sort(key=lambda e: e.solution.name)
    return LandSolutions(live=live[:limit], live_total=len(live), planned=planned[:limit],
                         planned_total=len(planned), untouched=untouched)


def widest_first(entries: Sequence[OzgInLand], limit: int | None) -> list[OzgInLand]:
    return sorted(entries, key=lambda e: (-(e.figures.share_by_count or 0), e.ozg_leistung.name))[:limit]
