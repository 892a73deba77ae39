"""Queries over the OZG catalogue, and the search documents of its OZG-Leistungen."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import asyncpg

from efa_registry.errors import InvalidParameter
from efa_registry.kit.paging import Page, decode_cursor, page_of
from efa_registry.kit.sql import Params
from efa_registry.ozg.model import LeikaEntry, OzgFilter, OzgLeistung, Themenfeld
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

OZG_ID = re.compile(r"[0-9]{1,9}")  # cursors carry the OZG-ID as text; SQL compares it as an int
SEARCH_CURSOR = (int, float, str, OZG_ID)  # attempt, rank, name, OZG-ID

LEISTUNG_SELECT = """
SELECT o.ozg_id, o.name, o.themenfeld, t.name AS themenfeld_name, o.execution_level,
       coalesce((SELECT array_agg(l.name ORDER BY l.name) FROM ozg_leistung_lage ol
                 JOIN lage l ON l.key = ol.lage WHERE ol.ozg_leistung = o.ozg_id), ARRAY[]::text[]) AS lagen,
       o.leika_keys
       {extra}
FROM {source} o JOIN themenfeld t ON t.key = o.themenfeld
"""
# A hit's rank: 1 when every word matched in the name, plus ts_rank over all fields by weight.
RANKED = (f"(SELECT o.*, ((o.search_vector @@ {tsquery('{named}')})::int"
          f" + ts_rank('{{weights}}', o.search_vector, {tsquery('{ranked}')}) + {{relaxed}})::real AS rank"
          " FROM ozg_leistung o WHERE {where})")


def _select(*, extra: str = "", source: str = "ozg_leistung") -> str:
    return LEISTUNG_SELECT.format(extra=extra, source=source)


def _leistung(row: asyncpg.Record) -> OzgLeistung:
    data = dict(row)
    for extra in ("rank", "leika_names", "stems", "current"):
        data.pop(extra, None)
    return OzgLeistung(**data)


async def check_keys(conn: asyncpg.Connection, *, themenfelder: Sequence[str | None] = (),
                     lagen: Sequence[str | None] = ()) -> None:
    """A Themenfeld or Lage key the catalogue lacks is a 400 naming the filter: it could match nothing."""
    for field, table, wanted in (("themenfeld", "themenfeld", themenfelder), ("lage", "lage", lagen)):
        keys = [k for k in wanted if k]
        if keys:
            known = {r[0] for r in await conn.fetch(f"SELECT key FROM {table} WHERE key = ANY($1::text[])", keys)}
            if unknown := [k for k in keys if k not in known]:
                raise InvalidParameter(f"{field}: the catalogue has no {field} {', '.join(unknown)}", field=field)


async def themenfelder(conn: asyncpg.Connection) -> list[Themenfeld]:
    rows = await conn.fetch(
        "SELECT t.key, t.name, t.position, count(o.ozg_id) AS ozg_leistungen FROM themenfeld t"
        " LEFT JOIN ozg_leistung o ON o.themenfeld = t.key GROUP BY t.key ORDER BY t.position"
    )
    return [Themenfeld(**dict(r)) for r in rows]


async def get(conn: asyncpg.Connection, ozg_id: str) -> OzgLeistung | None:
    row = await conn.fetchrow(_select() + " WHERE o.ozg_id = $1", ozg_id)
    return _leistung(row) if row else None


async def leika_entries(conn: asyncpg.Connection, ozg_id: str) -> list[LeikaEntry]:
    rows = await conn.fetch(
        "SELECT leika_key, name, leika_type, legal_basis, sdg_relevant"
        " FROM leika_entry WHERE ozg_leistung = $1 ORDER BY leika_key", ozg_id)
    return [LeikaEntry(**dict(r)) for r in rows]


async def list_leistungen(
    conn: asyncpg.Connection, flt: OzgFilter, *, limit: int, after: str | None
) -> Page[OzgLeistung]:
    """By OZG-ID (numerically); a search (``q``) goes through ``search``."""
    p = Params()
    where = _conditions(p, flt)
    key = decode_cursor(after, listing="ozg-leistungen", kinds=(OZG_ID,))
    if key:
        where.append(f"o.ozg_id::int > {p.add(int(key[0]))}")
    sql = _select() + (" WHERE " + " AND ".join(where) if where else "")
    rows = await conn.fetch(sql + f" ORDER BY o.ozg_id::int LIMIT {p.add(limit + 1)}", *p.values)
    page = page_of(list(rows), limit, lambda r: [r["ozg_id"]], "ozg-leistungen")
    return Page(items=[_leistung(r) for r in page.items], next_cursor=page.next_cursor)


def search_attempt(after: str | None) -> int:
    """Which of a query's attempts a search cursor continues (0 for the first page)."""
    key = decode_cursor(after, listing="ozg-leistungen?q", kinds=SEARCH_CURSOR)
    return key[0] if key else 0


class Hits(NamedTuple):
    page: Page[OzgLeistung]
    leika: dict[str, list[str]]  # per hit its LeiKa names in key order (its snippet is taken from them)
    stems: list[str]  # of the attempt's words (``Attempt.words``), for the highlights
    current: bool | None  # ``current_sql`` when asked for and a row came back


async def search(conn: asyncpg.Connection, flt: OzgFilter, attempt: Attempt, index: int, *, limit: int,
                 after: str | None, expected: dict[str, Seen] | None = None) -> Hits:
    """The hits of one attempt, a name match first, then by rank and name; with ``expected``, each
    row also says whether the cached vocabulary is current (``search.lexicon.confirmed``)."""
    p = Params()
    q = p.add(attempt.tsquery)
    where = [f"o.search_vector @@ {tsquery(q)}", *_conditions(p, flt)]
    ranked = p.add(attempt.ranked) if attempt.ranked != attempt.tsquery else q
    relaxed = relaxed_rank_sql(p, attempt.terms, "o.search_vector", "ozg_leistung")
    source = RANKED.format(named=p.add(attempt.in_name), ranked=ranked, weights=documents.RANK_WEIGHTS,
                           relaxed=relaxed, where=" AND ".join(where))
    known = known_stems(attempt.words)
    extra = ", o.rank, o.leika_names" + (f", {STEMS_SQL.format(words=p.add(attempt.words))} AS stems" if known is None
                                         else "")
    if expected is not None:
        extra += f", {current_sql(p, expected)} AS current"
    sql = _select(extra=extra, source=source)
    key = decode_cursor(after, listing="ozg-leistungen?q", kinds=SEARCH_CURSOR)
    if key:
        if key[0] != index:
            raise InvalidParameter("cursor does not belong to this listing", field="after")
        r = p.add(key[1])
        sql += (f" WHERE (o.rank < {r}::real OR (o.rank = {r}::real AND (o.name, o.ozg_id::int)"
                f" > ({p.add(key[2])}, {p.add(int(key[3]))})))")
    rows = await conn.fetch(sql + f" ORDER BY o.rank DESC, o.name, o.ozg_id::int LIMIT {p.add(limit + 1)}", *p.values)
    page = page_of(list(rows), limit, lambda r: [index, r["rank"], r["name"], r["ozg_id"]], "ozg-leistungen?q")
    return Hits(Page(items=[_leistung(r) for r in page.items], next_cursor=page.next_cursor),
                {r["ozg_id"]: list(r["leika_names"]) for r in page.items},
                known if known is not None else remember_stems(attempt.words, rows[0]["stems"]) if rows else [],
                rows[0]["current"] if rows and expected is not None else None)


def _conditions(p: Params, flt: OzgFilter) -> list[str]:
    where = p.equal({"o.themenfeld": flt.themenfeld})
    if flt.lage:
        where.append(f"EXISTS (SELECT 1 FROM ozg_leistung_lage ol WHERE ol.ozg_leistung = o.ozg_id"
                     f" AND ol.lage = {p.add(flt.lage)})")
    if flt.leika_key:
        where.append(f"EXISTS (SELECT 1 FROM leika_entry e WHERE e.ozg_leistung = o.ozg_id"
                     f" AND e.leika_key = {p.add(flt.leika_key)})")
    return where


async def suggest(conn: asyncpg.Connection, query: str, limit: int) -> list[asyncpg.Record]:
    """OZG-Leistungen whose name matches (weight A), best first: the search box's entries."""
    return await conn.fetch(
        "SELECT o.ozg_id, o.name, t.name AS themenfeld FROM ozg_leistung o JOIN themenfeld t ON t.key = o.themenfeld"
        f" WHERE o.search_vector @@ {tsquery('$1')}"
        f" ORDER BY ts_rank('{documents.RANK_WEIGHTS}', o.search_vector, {tsquery('$1')}) DESC,"
        " length(o.name), o.name LIMIT $2", query, limit)
