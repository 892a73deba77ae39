"""The page ``/vergleich``: two to ten areas side by side (breadth, depth, in preparation), each
with its peers chosen by the stated rule and its rank among them.

A person types names into the form (``?gebiet=Duisburg&gebiet=Hamm``); when every name stands for
exactly one area the page moves to the shareable address ``/vergleich?ars=05112000,05915000``,
otherwise it says which field is wrong and offers the areas a name may mean. A page with input
errors answers with the API's status for the same refusal (400, 404, 422).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated
from urllib.parse import urlencode

import structlog
from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from api.web import gebietswahl
from api.web import kommune_views as kv
from api.web.controller import PAGE_HEADERS, page_context
from api.web.errors import HTML_EXCEPTION_HANDLERS
from api.web.views import clean
from efa_registry.errors import InvalidParameter
from efa_registry.scorecard import service
from efa_registry.scorecard.model import Comparison

log = structlog.get_logger(__name__)

Values = Annotated[list[str] | None, QueryParameter()]


class ComparisonController(Controller):
    path = "/vergleich"
    include_in_schema = False
    exception_handlers = HTML_EXCEPTION_HANDLERS
    before_request = page_context

    @get("/")
    async def vergleich(self, ars: Values = None, gebiet: Values = None) -> Template | Redirect:
        if gebiet is not None:  # the form: names typed by hand
            typed = [t for t in gebiet if t.strip()]
            if len(typed) > service.COMPARE_MAX:
                return _page([kv.Entry(t) for t in typed], message=kv.too_many(len(typed)), status=400)
            entries = await gebietswahl.from_names(typed)
            if entries and not any(e.error for e in entries):
                return Redirect(kv.compare_url([kv.area_key(e.area) for e in entries]), status_code=303)
            log.info("web.compare_refused", given=len(typed), errors=sum(1 for e in entries if e.error))
            return _page(entries)
        keys = clean(ars)
        if len(keys) > service.COMPARE_MAX:
            return _page([kv.Entry(k) for k in keys], message=kv.too_many(len(keys)), status=400)
        entries = await gebietswahl.from_keys(keys)
        if any(e.error for e in entries) or len(entries) < service.COMPARE_MIN:
            return _page(entries)
        try:
            comparison = await service.compare([kv.area_key(e.area) for e in entries])
        except InvalidParameter:  # one authority twice in a way its names do not show
            return _page(entries, message="Ein Gebiet ist doppelt ausgewählt.", status=400)
        return _page(entries, comparison=comparison)


def _with_choice(entries: Sequence[kv.Entry], index: int, text: str) -> str:
    """The form sent again with one field filled by a chosen area."""
    values = [text if i == index else kv.field_text(e.area) if e.area else e.text for i, e in enumerate(entries)]
    return "/vergleich?" + urlencode([("gebiet", v) for v in values])


def _page(entries: list[kv.Entry], *, comparison: Comparison | None = None, message: str | None = None,
          status: int | None = None) -> Template:
    keys = [kv.area_key(e.area) for e in entries if e.area]
    errors = [(i, e) for i, e in enumerate(entries) if e.error]
    choices = {i: [(c, _with_choice(entries, i, c.value)) for c in e.choices] for i, e in errors}
    return Template("vergleich.html", status_code=status or max((e.status for e in entries), default=200),
                    headers=PAGE_HEADERS, context={
                        "page": "vergleich", "fields": kv.fields(entries), "errors": errors, "choices": choices,
                        "message": message, "chosen": [e.area for e in entries if e.area],
                        "view": kv.comparison_view(comparison, keys) if comparison else None,
                        "page_title": kv.comparison_title(comparison, bool(errors or message))})
