"""Catalogue discovery: filters, German full-text ranking, keyset pages and facet counts.

Facet counts apply every active filter except the facet's own, so a UI can show how many hits
each value of that facet would give.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Annotated, Literal

import asyncpg
import msgspec
from msgspec import Meta

from efa_registry.errors import InvalidParameter
from efa_registry.kit.paging import Kind, decode_cursor, encode_cursor
from efa_registry.kit.sql import Params
from efa_registry.kit.wire import Query, Record
from efa_registry.search import documents
from efa_registry.search.attempts import Attempt
from efa_registry.search.repository import (
    STEMS_SQL,
    Seen,
    current_sql,
    known_stems,
    relaxed_rank_sql,
    remember_stems,
    tsquery,
)
from efa_registry.solutions import repository
from efa_registry.types import Instant, InterfaceKind, LandCode, LeikaKey, OzgId, ReuseRoute, SolutionStatus

Sort = Literal["relevance", "name", "updated"]
Facet = Literal["themenfeld", "status", "providerLand", "interfaceStandard", "reuseRoute", "interfaceKind"]
FACETS: tuple[str, ...] = Facet.__args__  # type: ignore[attr-defined]


class SolutionQuery(Query):
    """A catalogue search; also the query parameters of ``GET /v1/solutions`` under their wire names.
    List filters match any of their values; retired solutions only when ``status`` asks for them."""

    q: Annotated[str, Meta(min_length=2, max_length=200, description=(
        "German search over names, summaries, descriptions, the OZG-Leistungen's names and LeiKa wording, "
        "interface standards and providers: inflections (`Bauanträge` finds `Bauantrag`), compounds "
        "(`Anmeldung` finds `Gewerbeanmeldung`), everyday words (`Kita`) and typos; `oder` (or `OR`) between "
        "words finds either, `-Wort` excludes a word"))] | None = None
    themenfeld: list[str] = msgspec.field(default_factory=list)
    ozg_id: OzgId | None = None
    leika_key: LeikaKey | None = None
    provider: Annotated[str, Meta(description="Providing organisation (UUID or slug)")] | None = None
    provider_land: Annotated[list[LandCode], Meta(description="Land key(s) of the provider")] = msgspec.field(
        default_factory=list)
    status: list[SolutionStatus] = msgspec.field(default_factory=list)
    efa_compliant: bool | None = None
    min_reifegrad: Annotated[int, Meta(ge=0, le=7)] | None = None
    interface_standard: list[str] = msgspec.field(default_factory=list)
    interface_kind: list[InterfaceKind] = msgspec.field(default_factory=list)
    reuse_route: list[ReuseRoute] = msgspec.field(default_factory=list)
    updated_since: Instant | None = None
    sort: Annotated[Sort, Meta(description="relevance (default with q), name, updated")] | None = None
    facets: Annotated[list[Facet], Meta(description=f"Facet counts: {', '.join(FACETS)}")] = msgspec.field(
        default_factory=list)

    @property
    def effective_sort(self) -> Sort:
        return self.sort or ("relevance" if self.q else "name")


class FacetCount(Record):
    value: str
    count: int


class SearchResult(msgspec.Struct, frozen=True, kw_only=True):
    ids: list[uuid.UUID]
    next_cursor: str | None
    facets: dict[str, list[FacetCount]]
    stems: list[str] = msgspec.field(default_factory=list)  # of a text search's words, for the highlights
    summaries: str | None = None  # the page's summaries as JSON, when asked for (``search(summaries=True)``)
    current: bool | None = None  # ``search.repository.current_sql``, when asked for (``expected``)


FROM = "FROM solution s JOIN organisation p ON p.id = s.provider LEFT JOIN area pa ON pa.ars = p.area"
LIVE_INTERFACE = "i.solution = s.id AND i.status <> 'retired'"


def base_conditions(query: SolutionQuery, p: Params, text: Attempt | None = None) -> list[str]:
    """Conditions of the filters that are not facets (they narrow every facet count alike); the
    text condition is the ``text`` attempt's (see ``search.attempts``)."""
    c: list[str] = []
    if text is not None:
        c.append(f"s.search_vector @@ {tsquery(p.add(text.tsquery))}")
    if query.ozg_id:
        c.append(f"EXISTS (SELECT 1 FROM solution_ozg_leistung so WHERE so.solution = s.id"
                 f" AND so.ozg_leistung = {p.add(query.ozg_id)})")
    if query.leika_key:
        c.append("EXISTS (SELECT 1 FROM solution_ozg_leistung so JOIN leika_entry e ON e.ozg_leistung = so.ozg_leistung"
                 f" WHERE so.solution = s.id AND e.leika_key = {p.add(query.leika_key)})")
    if query.provider:
        c.append(_provider_condition(query.provider, p))
    if query.efa_compliant is not None:
        c.append(f"s.efa_compliant = {p.add(query.efa_compliant)}")
    if query.min_reifegrad is not None:
        c.append(f"s.reifegrad >= {p.add(query.min_reifegrad)}")
    if query.updated_since:
        c.append(f"s.updated_at >= {p.add(query.updated_since)}")
    return c


def facet_conditions(query: SolutionQuery) -> dict[str, Callable[[Params], str]]:
    """Conditions of the filters that are also facets, by facet name; each adds its parameters only
    when used (a facet's own branch leaves its filter out, and unused parameters have no type)."""
    c: dict[str, Callable[[Params], str]] = {
        "status": (lambda p: f"s.status = ANY({p.add(query.status)}::text[])") if query.status
        else (lambda p: "s.status <> 'retired'")}
    if query.themenfeld:
        c["themenfeld"] = lambda p: (
            "EXISTS (SELECT 1 FROM solution_ozg_leistung so JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung"
            f" WHERE so.solution = s.id AND o.themenfeld = ANY({p.add(query.themenfeld)}::text[]))")
    if query.provider_land:
        c["providerLand"] = lambda p: f"pa.land = ANY({p.add(query.provider_land)}::text[])"
    if query.interface_standard:
        c["interfaceStandard"] = lambda p: (
            f"EXISTS (SELECT 1 FROM interface i WHERE {LIVE_INTERFACE}"
            f" AND lower(i.standard) = ANY({p.add([v.lower() for v in query.interface_standard])}::text[]))")
    if query.interface_kind:
        c["interfaceKind"] = lambda p: (f"EXISTS (SELECT 1 FROM interface i WHERE {LIVE_INTERFACE}"
                                        f" AND i.kind = ANY({p.add(query.interface_kind)}::text[]))")
    if query.reuse_route:
        c["reuseRoute"] = lambda p: f"s.reuse_route = ANY({p.add(query.reuse_route)}::text[])"
    return c


def conditions(query: SolutionQuery, p: Params, text: Attempt | None = None, *, without: str | None = None
               ) -> list[str]:
    """WHERE conditions for every active filter, leaving out facet ``without``."""
    facets = facet_conditions(query)
    return [*base_conditions(query, p, text), *(condition(p) for name, condition in facets.items() if name != without)]


def _provider_condition(provider: str, p: Params) -> str:
    try:
        return f"p.id = {p.add(uuid.UUID(provider))}"
    except ValueError:
        return f"p.slug = {p.add(provider)}"


def cursor_kinds(query: SolutionQuery) -> tuple[Kind, ...]:
    """The sort key a page's cursor carries; a text search's begins with its attempt."""
    sort = query.effective_sort
    key: tuple[Kind, ...] = ((float, str) if sort == "relevance" else (dt.datetime,) if sort == "updated"
                             else (str,)) if query.q else ((dt.datetime,) if sort == "updated" else (str,))
    return ((int,) if query.q else ()) + key + (uuid.UUID,)


def _listing(query: SolutionQuery) -> str:
    return f"solutions?sort={query.effective_sort}" + ("&q" if query.q else "")


def search_attempt(query: SolutionQuery, after: str | None) -> int:
    """Which of the query's attempts a cursor continues (0 for the first page)."""
    key = decode_cursor(after, listing=_listing(query), kinds=cursor_kinds(query))
    return key[0] if key and query.q else 0


def _order(query: SolutionQuery, p: Params, text: Attempt | None, key: list | None) -> tuple[list[str], str, list[str]]:
    """(select expressions of the sort key, ORDER BY, keyset condition). Relevance: every word in
    the name first, then ``ts_rank`` over the weighted fields, then the name."""
    sort = query.effective_sort
    if sort == "relevance" and text is not None:
        rank = (f"((s.search_vector @@ {tsquery(p.add(text.in_name))})::int + ts_rank("
                f"'{documents.RANK_WEIGHTS}', s.search_vector, {tsquery(p.add(text.ranked))})"
                f" + {relaxed_rank_sql(p, text.terms, 's.search_vector', 'solution')})::real")
        keyset = [f"({rank} < {p.add(key[0])}::real OR ({rank} = {p.add(key[0])}::real AND (lower(s.name), s.id)"
                  f" > ({p.add(key[1])}, {p.add(uuid.UUID(key[2]))})))"] if key else []
        return [rank, "lower(s.name)"], f"{rank} DESC, lower(s.name), s.id", keyset
    if sort == "updated":
        keyset = [f"(s.updated_at, s.id) < ({p.add(dt.datetime.fromisoformat(key[0]))}, {p.add(uuid.UUID(key[1]))})"
                  ] if key else []
        return ["s.updated_at"], "s.updated_at DESC, s.id DESC", keyset
    keyset = [f"(lower(s.name), s.id) > ({p.add(key[0])}, {p.add(uuid.UUID(key[1]))})"] if key else []
    return ["lower(s.name)"], "lower(s.name), s.id", keyset


async def search(conn: asyncpg.Connection, query: SolutionQuery, *, limit: int, after: str | None,
                 text: Attempt | None = None, index: int = 0, summaries: bool = False,
                 expected: dict[str, Seen] | None = None) -> SearchResult:
    """One page; with ``q``, the hits of the ``text`` attempt (number ``index`` of its plan); with
    ``summaries``, the hits' summaries too — all in one statement with the facet counts; with
    ``expected``, whether the cached vocabulary is current (``search.lexicon.confirmed``)."""
    p = Params()
    where = conditions(query, p, text)
    key = decode_cursor(after, listing=_listing(query), kinds=cursor_kinds(query))
    if key and query.q:
        if key[0] != index:
            raise InvalidParameter("cursor does not belong to this listing", field="after")
        key = key[1:]
    sort_exprs, order, keyset = _order(query, p, text, key)
    columns = ", ".join(f"{e} AS k{i}" for i, e in enumerate(sort_exprs))
    known = known_stems(text.words) if text is not None else None
    stems = f", {STEMS_SQL.format(words=p.add(text.words))} AS stems" if text is not None and known is None else ""
    sql = (f"SELECT s.id, {columns}{stems} {FROM} WHERE " + " AND ".join([*where, *keyset] or ["true"])
           + f" ORDER BY {order} LIMIT {p.add(limit + 1)}")
    extras = query.facets or summaries or expected is not None
    if extras:
        sql = _with_page_extras(sql, query, p, text, limit if summaries else None, expected)
    rows = await conn.fetch(sql, *p.values)
    facets: dict[str, list[FacetCount]] = {}
    encoded = current = None
    if extras:
        facets = _facets(query, rows[0]["facets"]) if query.facets else {}
        encoded = rows[0]["summaries"] if summaries else None
        current = rows[0]["current"] if expected is not None else None
        rows = [r for r in rows if r["id"] is not None]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        values = [last[f"k{i}"] for i in range(len(sort_exprs))]
        values = [v.isoformat() if isinstance(v, dt.datetime) else v for v in values]
        next_cursor = encode_cursor([*([index] if query.q else []), *values, str(last["id"])], _listing(query))
    return SearchResult(ids=[r["id"] for r in rows[:limit]], next_cursor=next_cursor, facets=facets, summaries=encoded,
                        stems=_stems(text, known, rows), current=current)


def _stems(text: Attempt | None, known: list[str] | None, rows: list[asyncpg.Record]) -> list[str]:
    """The stems of a text search's words: known before, else as the statement gave them."""
    if text is None or (known is None and not rows):
        return []
    return known if known is not None else remember_stems(text.words, rows[0]["stems"])


FACET_SQL = {
    "themenfeld": ("o.themenfeld", "JOIN solution_ozg_leistung so ON so.solution = s.id"
                   " JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung"),
    "status": ("s.status", ""),
    "providerLand": ("pa.land", ""),
    "reuseRoute": ("s.reuse_route", ""),
    "interfaceStandard": ("i.standard", f"JOIN interface i ON {LIVE_INTERFACE}"),
    "interfaceKind": ("i.kind", f"JOIN interface i ON {LIVE_INTERFACE}"),
}


def _with_page_extras(page_sql: str, query: SolutionQuery, p: Params, text: Attempt | None,
                      summaries_of: int | None, expected: dict[str, Seen] | None = None) -> str:
    """The page with its facet counts, (for the first ``summaries_of`` hits) their summaries and
    (with ``expected``) the vocabulary check, on its first row: one statement, one
    snapshot, one round trip. A page without hits still has that row, its id NULL."""
    ctes = [f"page AS (SELECT row_number() OVER () AS n, hit.* FROM ({page_sql}) hit)"]
    extras: list[tuple[str, str]] = []  # (expression, column)
    if query.facets:
        ctes.append(f"counts AS ({_facet_sql(query, p, text)})")
        extras.append(("(SELECT coalesce(json_agg(json_build_array(facet, value, count) ORDER BY facet, count DESC,"
                       " value), '[]')::text FROM counts)", "facets"))
    if summaries_of is not None:
        source = f"(SELECT id, n FROM page WHERE n <= {p.add(summaries_of)}) AS t"
        extras.append((f"({repository.summaries_sql(source)})", "summaries"))
    if expected is not None:
        extras.append((current_sql(p, expected), "current"))
    first = ", ".join(f"CASE WHEN page.n IS NULL OR page.n = 1 THEN {e} END AS {name}" for e, name in extras)
    return (f"WITH {', '.join(ctes)} SELECT page.*, {first}"
            " FROM (SELECT 1) AS one LEFT JOIN page ON true ORDER BY page.n")


COUNTS = msgspec.json.Decoder(list[tuple[str, str, int]])


def _facets(query: SolutionQuery, encoded: str) -> dict[str, list[FacetCount]]:
    counts: dict[str, list[FacetCount]] = {f: [] for f in dict.fromkeys(query.facets)}
    for facet, value, n in COUNTS.decode(encoded):
        counts[facet].append(FacetCount(value=value, count=n))
    return counts


def _facet_sql(query: SolutionQuery, p: Params, text: Attempt | None = None) -> str:
    """Rows (facet, value, count) of every requested facet: a UNION ALL branch per facet, each with
    every filter except its own. (Evaluating the shared filters once in a materialized CTE measured
    slower.)"""
    branches = []
    for facet in dict.fromkeys(query.facets):
        column, join = FACET_SQL[facet]
        where = [*conditions(query, p, text, without=facet), f"{column} IS NOT NULL"]
        branches.append(f"SELECT {p.add(facet)}::text AS facet, {column}::text AS value,"
                        f" count(DISTINCT s.id)::int AS count {FROM} {join} WHERE {' AND '.join(where)} GROUP BY 2")
    return " UNION ALL ".join(f"({b})" for b in branches)


async def facet_counts(conn: asyncpg.Connection, query: SolutionQuery, text: Attempt | None = None
                       ) -> dict[str, list[FacetCount]]:
    """All requested facets in one round trip (``search`` counts them with its page instead)."""
    p = Params()
    rows = await conn.fetch(_facet_sql(query, p, text) + " ORDER BY 1, 3 DESC, 2", *p.values)
    counts: dict[str, list[FacetCount]] = {f: [] for f in dict.fromkeys(query.facets)}
    for r in rows:
        counts[r["facet"]].append(FacetCount(value=r["value"], count=r["count"]))
    return counts
