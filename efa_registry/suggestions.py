"""The search box's suggestions as someone types: OZG-Leistungen and solutions by name, areas by
name, a few of each, in one small answer.

Fast enough for every keystroke: the typed text becomes a prefix query ("Hundest" →
'hundest':*, with the vocabulary's compounds and spellings) matched against names only
(weight A) through the GIN indexes, two indexed reads; areas come from the in-memory place index.
"""

from __future__ import annotations

from efa_registry import db
from efa_registry.ozg import repository as ozg
from efa_registry.search import attempts, lexicon, places, query
from efa_registry.search.model import Suggestion, Suggestions
from efa_registry.solutions import repository as solutions

LEVELS = {"land": "Land", "regierungsbezirk": "Regierungsbezirk", "region": "Region", "kreis": "Kreis",
          "gemeindeverband": "Gemeindeverband", "gemeinde": "Gemeinde",
          "gemeindefreies_gebiet": "gemeindefreies Gebiet"}


async def suggest(text: str, *, limit: int) -> Suggestions:
    async with db.connection() as conn:
        vocab = await lexicon.solution_words(conn)
        # As typed so far: a known word also begins the names it is the start of ("Bau": Baugenehmigung).
        tsquery = query.expression(query.plan(text, vocab=vocab, correct=False), ranking=True)
        named = attempts.named(tsquery) if tsquery else None
        ozg_rows = await ozg.suggest(conn, named, limit) if named else []
        solution_rows = await solutions.suggest(conn, named, limit) if named else []
        index = await lexicon.places(conn)
    areas = _areas(text, index, limit)
    return Suggestions(
        ozg_leistungen=[Suggestion(key=r["ozg_id"], label=r["name"], detail=r["themenfeld"]) for r in ozg_rows],
        solutions=[Suggestion(key=r["slug"], label=r["name"], detail=r["provider"]) for r in solution_rows],
        areas=areas)


def _areas(text: str, index: places.PlaceIndex, limit: int) -> list[Suggestion]:
    """One entry per area (a kreisfreie Stadt is listed as Kreis and Gemeinde: the Gemeinde)."""
    found, seen = [], set()
    strong = [m for m in places.matches(text, index) if m.score >= places.STRONG]
    for match in [*strong, *places.complete(text, index, limit * 3)]:
        if match.name in seen:
            continue
        seen.add(match.name)
        land = places.LAENDER.get(match.ars[:2], ("", ""))[1]
        found.append(Suggestion(key=match.ars, label=match.name, detail=f"{LEVELS.get(match.level, match.level)}"
                                f"{', ' + land if land and match.level != 'land' else ''}"))
    return found[:limit]
