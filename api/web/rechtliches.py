"""The operator's legal pages: Erklärung zur Barrierefreiheit (BITV 2.0 § 7, in the structure of
the EU model statement, Durchführungsbeschluss (EU) 2018/1523), Impressum and Datenschutz.

The operator fills them in through settings (``EFA_OPERATOR_*``, ``EFA_IMPRESSUM_URL``,
``EFA_DATENSCHUTZ_URL``); until then each page says so instead of inventing a responsible body.
"""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, get
from litestar.response import Template

from api.web.controller import PAGE_HEADERS, page_context
from api.web.errors import HTML_EXCEPTION_HANDLERS
from efa_registry.settings import Settings

# The self-assessment the statement rests on; renew it (and this date) when the pages change.
STATEMENT_DATE = dt.date(2026, 12, 1)


def operator(request: Request) -> Settings:
    return request.app.state.settings


class LegalController(Controller):
    path = "/"
    include_in_schema = False
    exception_handlers = HTML_EXCEPTION_HANDLERS
    before_request = page_context

    @get("/barrierefreiheit")
    async def barrierefreiheit(self, request: Request) -> Template:
        return Template("rechtliches/barrierefreiheit.html", headers=PAGE_HEADERS, context={
            "page": "barrierefreiheit", "op": operator(request), "statement_date": STATEMENT_DATE})

    @get("/impressum")
    async def impressum(self, request: Request) -> Template:
        return Template("rechtliches/impressum.html", headers=PAGE_HEADERS,
                        context={"page": "impressum", "op": operator(request)})

    @get("/datenschutz")
    async def datenschutz(self, request: Request) -> Template:
        return Template("rechtliches/datenschutz.html", headers=PAGE_HEADERS,
                        context={"page": "datenschutz", "op": operator(request)})
