"""piccolo-api's ``PiccoloCRUD`` on the registry's own ``solution`` table (a peer, not part of the registry).

    EFA_DATABASE_URL=postgresql://… uvicorn bench.peers.piccolo_crud:app --port 8002

What a Piccolo user gets for free: a read-only REST endpoint over the table, asked for the
solution columns the catalogue list's summaries carry (``__visible_fields``), in name order, 50 per page
(``GET /?__page_size=50&__order=name&__visible_fields=…&status__operator=ne&status=retired``).
Flat rows: provider and operator as ids, no OZG-Leistungen or interface standards (PiccoloCRUD
would need more requests for them), which makes it cheaper per item than the list it is compared with.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

from piccolo_api.crud.endpoints import PiccoloCRUD
from starlette.applications import Starlette
from starlette.routing import Mount

from efa_registry.db.piccolo_conf import DB
from efa_registry.db.tables import Solution

FIELDS = ("id,slug,name,summary,provider,operator,status,efa_compliant,reifegrad_model,reifegrad,reuse_route,"
          "rollout_level,tags,is_demo,version,updated_at")
QUERY = f"__page_size=50&__order=name&__visible_fields={FIELDS}&status__operator=ne&status=retired"


@asynccontextmanager
async def lifespan(app: Starlette):
    DB.config = {"dsn": os.environ["EFA_DATABASE_URL"]}
    await DB.start_connection_pool(min_size=2, max_size=int(os.environ.get("EFA_POOL_MAX_SIZE", "10")))
    yield
    await DB.close_connection_pool()


app = Starlette(routes=[Mount("/solutions", PiccoloCRUD(table=Solution, read_only=True, page_size=50))],
                lifespan=lifespan)
