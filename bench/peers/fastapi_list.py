"""The catalogue list written by hand: FastAPI + asyncpg + pydantic (a peer, not part of the registry).

    EFA_DATABASE_URL=postgresql://… uvicorn bench.peers.fastapi_list:app --port 8001

``GET /solutions?limit=50[&after=…]`` answers what ``GET /v1/solutions?limit=50`` answers for an
anonymous caller: the same items (every field of the list's summaries, in name order, retired
ones left out), the same ``next`` cursor, ``limit`` and empty ``facets`` — the way a FastAPI user
would write it: one query (nested lists aggregated to JSON by PostgreSQL), pydantic models as the
response model, FastAPI's own serialisation. No auth, ETag, logging or input limits.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import uuid
from contextlib import asynccontextmanager
from urllib.parse import urlencode

import asyncpg
from fastapi import FastAPI, Query, Request
from pydantic import BaseModel, ConfigDict, Json
from pydantic.alias_generators import to_camel

SQL = """
SELECT s.id, s.slug, s.name, s.summary, s.status, s.efa_compliant, s.reifegrad_model, s.reifegrad, s.reuse_route,
       s.rollout_level, s.tags, s.is_demo, s.version, s.updated_at, lower(s.name) AS sort_key,
       json_build_object('id', p.id, 'slug', p.slug, 'name', p.name, 'land', pa.land) AS provider,
       CASE WHEN op.id IS NOT NULL THEN json_build_object('id', op.id, 'slug', op.slug, 'name', op.name,
                                                          'land', oa.land) END AS operator,
       coalesce((SELECT json_agg(json_build_object('ozg_id', o.ozg_id, 'name', o.name, 'themenfeld', o.themenfeld)
                                 ORDER BY o.ozg_id::int)
                 FROM solution_ozg_leistung so JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung
                 WHERE so.solution = s.id), '[]') AS ozg_leistungen,
       ARRAY(SELECT DISTINCT i.standard FROM interface i WHERE i.solution = s.id AND i.status <> 'retired'
             AND i.standard IS NOT NULL ORDER BY 1) AS interface_standards
FROM solution s JOIN organisation p ON p.id = s.provider LEFT JOIN area pa ON pa.ars = p.area
LEFT JOIN organisation op ON op.id = s.operator LEFT JOIN area oa ON oa.ars = op.area
WHERE s.status <> 'retired' {keyset}
ORDER BY lower(s.name), s.id LIMIT $1
"""


class Wire(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Ref(Wire):
    id: uuid.UUID
    slug: str
    name: str
    land: str | None


class Ozg(Wire):
    ozg_id: str
    name: str
    themenfeld: str


class Item(Wire):
    id: uuid.UUID
    slug: str
    name: str
    summary: str | None
    provider: Json[Ref]
    operator: Json[Ref] | None
    ozg_leistungen: Json[list[Ozg]]
    themenfelder: list[str] = []
    status: str
    efa_compliant: bool | None
    reifegrad_model: str | None
    reifegrad: int | None
    reuse_route: str | None
    rollout_level: str
    tags: list[str]
    is_demo: bool
    interface_standards: list[str]
    version: int
    updated_at: dt.datetime


class Page(Wire):
    items: list[Item]
    next: str | None
    limit: int
    facets: dict[str, list[dict]]
    did_you_mean: str | None = None
    corrected_from: str | None = None
    relaxed: bool = False


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(os.environ["EFA_DATABASE_URL"], min_size=2,
                                               max_size=int(os.environ.get("EFA_POOL_MAX_SIZE", "10")))
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan, openapi_url=None)


LISTING = "solutions?sort=name"  # our cursors begin with the listing they belong to (kit.paging)


def _cursor(key: list) -> str:
    compact = json.dumps([LISTING, *key], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(compact.encode()).decode().rstrip("=")


@app.get("/solutions", response_model=Page, response_model_by_alias=True)
async def solutions(request: Request, limit: int = Query(20, ge=1, le=100), after: str | None = None) -> Page:
    args: list = [limit + 1]
    keyset = ""
    if after:
        _, sort_key, last_id = json.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
        args += [sort_key, uuid.UUID(last_id)]
        keyset = "AND (lower(s.name), s.id) > ($2, $3)"
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(SQL.format(keyset=keyset), *args)
    items = []
    for row in rows[:limit]:
        item = Item.model_validate(dict(row))
        item.themenfelder = sorted({o.themenfeld for o in item.ozg_leistungen})
        items.append(item)
    next_link = None
    if len(rows) > limit:
        last = rows[limit - 1]
        cursor = _cursor([last["sort_key"], str(last["id"])])
        next_link = f"/v1/solutions?{urlencode({'limit': limit, 'after': cursor})}"  # our path: the same link
    return Page(items=items, next=next_link, limit=limit, facets={})
