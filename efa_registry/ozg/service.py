"""Read use cases over the OZG catalogue."""

from __future__ import annotations

import msgspec

from efa_registry import db
from efa_registry.errors import found
from efa_registry.kit.paging import Page
from efa_registry.ozg import repository
from efa_registry.ozg.model import OzgFilter, OzgLeistung, OzgLeistungDetail, Themenfeld
from efa_registry.search import attempts, highlight
from efa_registry.search.model import Highlight, Hits, SearchNotes

SNIPPET_ENTRIES = 3  # matched LeiKa names shown with a hit


async def list_themenfelder() -> list[Themenfeld]:
    async with db.connection() as conn:
        return await repository.themenfelder(conn)


async def list_leistungen(flt: OzgFilter, *, limit: int, after: str | None) -> Page[OzgLeistung]:
    """OZG-Leistungen by OZG-ID, filtered; with ``q``, the hits of ``search_leistungen``."""
    return (await search_leistungen(flt, limit=limit, after=after)).page


async def search_leistungen(flt: OzgFilter, *, limit: int, after: str | None) -> Hits[OzgLeistung]:
    """With ``q``: the hits, a name match first, each with its matches marked; the typed words,
    else their spelling correction, else any of the words (``search.attempts``)."""
    if not flt.q:
        async with db.connection() as conn:
            await repository.check_keys(conn, themenfelder=[flt.themenfeld], lagen=[flt.lage])
            return Hits(page=await repository.list_leistungen(conn, flt, limit=limit, after=after),
                        notes=SearchNotes(), highlights={})
    async with db.generic_plans() as conn:
        await repository.check_keys(conn, themenfelder=[flt.themenfeld], lagen=[flt.lage])
        vocab, plan, attempt, hits = await attempts.search_text(
            conn, "catalogue", flt.q, after, repository.search_attempt,
            lambda a, i, expected: repository.search(conn, flt, a, i, limit=limit, after=after, expected=expected),
            lambda result: bool(result.page.items), lambda result: result.current)
        if attempt is None:
            return Hits(page=Page(items=[], next_cursor=None), notes=SearchNotes(), highlights={})
    matcher = highlight.matcher(hits.stems, attempt.prefixes, vocab)
    marks = {o.ozg_id: Highlight(name=highlight.mark(o.name, matcher),
                                 snippet=highlight.passages(hits.leika[o.ozg_id], matcher, SNIPPET_ENTRIES))
             for o in hits.page.items}
    return Hits(page=hits.page, notes=attempts.notes(plan, attempt, bool(hits.page.items)), highlights=marks)


async def get_leistung(ozg_id: str) -> OzgLeistungDetail:
    async with db.connection() as conn:
        leistung = found(await repository.get(conn, ozg_id), f"no OZG-Leistung with OZG-ID {ozg_id}", field="ozgId")
        entries = await repository.leika_entries(conn, ozg_id)
    return OzgLeistungDetail(**msgspec.structs.asdict(leistung), leika_entries=entries)
