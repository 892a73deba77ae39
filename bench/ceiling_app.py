"""The stack's ceiling for the catalogue benchmark: Litestar + asyncpg, one raw query per request.

    EFA_DATABASE_URL=postgresql://… uvicorn bench.ceiling_app:create_app --factory --port 8001

``GET /ceiling/solutions`` answers ``q`` (relevance order) or ``themenfeld``/``status``/
``minReifegrad`` (name order) with the page ``GET /v1/solutions`` returns for the same query:
the same WHERE, ORDER BY and LIMIT, the same items and cursor, from one SQL statement (each
row's OZG-Leistungen and interfaces as arrays of records) turned into msgspec Structs and encoded
by msgspec. No validation, middleware, ETag, logging or facets: the best this stack does
for this page, the yardstick of ``bench.bench_catalogue``.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import uuid
from urllib.parse import urlencode

import asyncpg
import msgspec
from litestar import Litestar, Request, Response, get

OZG_JOIN = "FROM solution_ozg_leistung so JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung WHERE so.solution = s.id"

# Column order = field order of ``Item`` (then the sort key); the nested lists come as arrays of
# records, evaluated after LIMIT (scalar subqueries in the select list run only for the rows that
# survive the sort).
SELECT = f"""
SELECT s.id, s.slug, s.name, s.summary, s.description, p.id, p.slug, p.name, pa.land, op.id, op.slug, op.name, oa.land,
  ARRAY(SELECT ROW(o.ozg_id, o.name, o.themenfeld) {OZG_JOIN} ORDER BY o.ozg_id::int),
  s.status, s.efa_compliant, s.reifegrad_model, s.reifegrad, s.reuse_route, s.rollout_level, s.licence,
  s.source_repository, s.documentation_url, s.costs_note, s.tags, s.is_demo,
  ARRAY(SELECT ROW(i.id, i.solution, i.kind, i.name, i.standard, i.standard_version, i.spec_url, i.authentication,
                   i.status, i.sunset_on, i.version, i.created_at, i.updated_at)
        FROM interface i WHERE i.solution = s.id ORDER BY i.created_at, i.id),
  s.version, s.created_at, s.updated_at, {{sort}} AS sort_key
FROM solution s JOIN organisation p ON p.id = s.provider LEFT JOIN area pa ON pa.ars = p.area
LEFT JOIN organisation op ON op.id = s.operator LEFT JOIN area oa ON oa.ars = op.area
WHERE {{where}} ORDER BY {{order}} LIMIT {{limit}}
"""


class Ref(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    land: str | None


class Ozg(msgspec.Struct, rename="camel"):
    ozg_id: str
    name: str
    themenfeld: str


class Interface(msgspec.Struct, rename="camel"):
    id: uuid.UUID
    solution_id: uuid.UUID
    kind: str
    name: str | None
    standard: str | None
    standard_version: str | None
    spec_url: str | None
    authentication: str | None
    status: str
    sunset_on: dt.date | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class Item(msgspec.Struct, rename="camel"):
    id: uuid.UUID
    slug: str
    name: str
    summary: str | None
    description: str | None
    provider: Ref
    operator: Ref | None
    ozg_leistungen: list[Ozg]
    themenfelder: list[str]
    status: str
    efa_compliant: bool | None
    reifegrad_model: str | None
    reifegrad: int | None
    reuse_route: str | None
    rollout_level: str
    licence: str | None
    source_repository: str | None
    documentation_url: str | None
    costs_note: str | None
    tags: list[str]
    is_demo: bool
    interfaces: list[Interface]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class Page(msgspec.Struct):
    items: list[Item]
    next: str | None
    limit: int
    facets: dict[str, list[str]]


def _item(r: asyncpg.Record) -> Item:
    ozg = [Ozg(*o) for o in r[13]]
    return Item(*r[:5], Ref(*r[5:9]), Ref(*r[9:13]) if r[9] else None, ozg, sorted({o.themenfeld for o in ozg}),
                *r[14:26], [Interface(*i) for i in r[26]], *r[27:30])


def _query(params: dict[str, list[str]], limit: int) -> tuple[str, list[object]]:
    """The app's WHERE/ORDER BY/LIMIT (efa_registry.solutions.search) for the parameters used here."""
    args: list[object] = []

    def add(value: object) -> str:
        args.append(value)
        return f"${len(args)}"

    where = []
    if q := params.get("q"):
        where.append(f"s.search_vector @@ websearch_to_tsquery('german', {add(q[0])})")
    if themen := [v for raw in params.get("themenfeld", []) for v in raw.split(",") if v]:
        where.append(f"EXISTS (SELECT 1 FROM solution_ozg_leistung so JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung"
                     f" WHERE so.solution = s.id AND o.themenfeld = ANY({add(themen)}::text[]))")
    status = [v for raw in params.get("status", []) for v in raw.split(",") if v]
    where.append(f"s.status = ANY({add(status)}::text[])" if status else "s.status <> 'retired'")
    if min_reifegrad := params.get("minReifegrad"):
        where.append(f"s.reifegrad >= {add(int(min_reifegrad[0]))}")
    if q:
        sort = f"ts_rank(s.search_vector, websearch_to_tsquery('german', {add(q[0])}))"
        order = f"{sort} DESC, s.id"
    else:
        sort, order = "lower(s.name)", "lower(s.name), s.id"
    sql = SELECT.format(sort=sort, where=" AND ".join(where), order=order, limit=add(limit + 1))
    return sql, args


def _cursor(key: list[object]) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


@get("/ceiling/solutions")
async def solutions(request: Request) -> Response[bytes]:
    params = {k: request.query_params.getall(k) for k in request.query_params}
    limit = int(params.get("limit", ["20"])[0])
    sql, args = _query(params, limit)
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(sql, *args)
    next_link = None
    if len(rows) > limit:
        last = rows[limit - 1]
        pairs = [(k, v) for k, values in params.items() if k != "after" for v in values]
        next_link = f"{request.url.path}?{urlencode([*pairs, ('after', _cursor([last[-1], str(last[0])]))])}"
    body = msgspec.json.encode(Page(items=[_item(r) for r in rows[:limit]], next=next_link, limit=limit, facets={}))
    return Response(body, media_type="application/json")


def create_app() -> Litestar:
    dsn = os.environ["EFA_DATABASE_URL"]
    pool_size = int(os.environ.get("EFA_POOL_MAX_SIZE", "10"))

    async def start(app: Litestar) -> None:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=pool_size)

    async def stop(app: Litestar) -> None:
        await app.state.pool.close()

    return Litestar(route_handlers=[solutions], on_startup=[start], on_shutdown=[stop], openapi_config=None,
                    logging_config=None, debug=False)
