"""The SQL of the search documents: read the texts of OZG-Leistungen and solutions, write the
vectors ``search.documents`` builds from them. Called in the writer's transaction by every use
case that changes such a text (the catalogue imports; solution, interface and organisation
writes) and by ``search.reindex``.

Search owns these columns, so their SQL is here, one place for both aggregates; the aggregates'
repositories query them (ranking, filters, suggestions).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg

from efa_registry.search import documents
from efa_registry.search.vocabulary import Vocabulary

IN_THREAD = 20  # documents built in a worker thread from this many on (~1 ms each): not on the event loop

OZG_TEXTS_SQL = """
SELECT o.ozg_id, o.name, t.name AS themenfeld,
       ARRAY(SELECT e.name FROM leika_entry e WHERE e.ozg_leistung = o.ozg_id ORDER BY e.leika_key) AS leika,
       ARRAY(SELECT l.name FROM ozg_leistung_lage ol JOIN lage l ON l.key = ol.lage
             WHERE ol.ozg_leistung = o.ozg_id ORDER BY l.name) AS lagen
FROM ozg_leistung o JOIN themenfeld t ON t.key = o.themenfeld
WHERE $1::text[] IS NULL OR o.ozg_id = ANY($1::text[])
"""

OZG_WRITE_SQL = f"""
UPDATE ozg_leistung o SET search_vector = {documents.TSVECTOR_SQL.format('d.a', 'd.b', 'd.c', 'd.d')}
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS d(ozg_id, a, b, c, d)
WHERE o.ozg_id = d.ozg_id
"""

SOLUTION_TEXTS_SQL = """
SELECT s.id, s.name, s.summary, s.tags,
       ARRAY(SELECT o.name FROM solution_ozg_leistung so JOIN ozg_leistung o ON o.ozg_id = so.ozg_leistung
             WHERE so.solution = s.id ORDER BY o.ozg_id::int) AS ozg_names,
       ARRAY(SELECT concat_ws(' ', i.standard, i.name, replace(i.kind, '_', '-')) FROM interface i
             WHERE i.solution = s.id AND i.status <> 'retired' ORDER BY i.created_at, i.id) AS interfaces,
       ARRAY(SELECT o.name FROM organisation o WHERE o.id IN (s.provider, s.operator)
             ORDER BY o.id = s.provider DESC) AS organisations,
       s.description,
       ARRAY(SELECT e.name FROM solution_ozg_leistung so JOIN leika_entry e ON e.ozg_leistung = so.ozg_leistung
             WHERE so.solution = s.id ORDER BY e.leika_key) AS leika_names
FROM solution s WHERE $1::uuid[] IS NULL OR s.id = ANY($1::uuid[])
"""

SOLUTION_WRITE_SQL = f"""
UPDATE solution s SET search_vector = {documents.TSVECTOR_SQL.format('d.a', 'd.b', 'd.c', 'd.d')}
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS d(id, a, b, c, d)
WHERE s.id = d.id
"""


async def _build(rows: list[Any], build: Any) -> list[tuple[Any, ...]]:
    return await asyncio.to_thread(lambda: [build(r) for r in rows]) if len(rows) >= IN_THREAD else [
        build(r) for r in rows]


async def _write(conn: asyncpg.Connection, sql: str, built: list[tuple[Any, ...]]) -> int:
    if built:
        await conn.execute(sql, *(list(column) for column in zip(*built, strict=True)))
    return len(built)


async def refresh_ozg(conn: asyncpg.Connection, ozg_ids: Sequence[str] | None, vocab: Vocabulary) -> int:
    """Rebuild the documents of ``ozg_ids`` (None: every OZG-Leistung); returns how many."""
    rows = await conn.fetch(OZG_TEXTS_SQL, list(ozg_ids) if ozg_ids is not None else None)
    built = await _build(rows, lambda r: (r["ozg_id"], *documents.ozg_leistung(
        r["name"], r["leika"], r["lagen"], r["themenfeld"], vocab)))
    return await _write(conn, OZG_WRITE_SQL, built)


async def refresh_solutions(conn: asyncpg.Connection, solution_ids: Sequence[uuid.UUID] | None,
                            vocab: Vocabulary) -> int:
    """Rebuild the documents of ``solution_ids`` (None: every solution); returns how many. A
    document spans OZG names, interfaces and organisations: every write to one of them calls this."""
    if solution_ids is not None and not solution_ids:
        return 0
    rows = await conn.fetch(SOLUTION_TEXTS_SQL, list(solution_ids) if solution_ids is not None else None)
    built = await _build(rows, lambda r: (r["id"], *documents.solution(documents.SolutionTexts(*tuple(r)[1:]), vocab)))
    return await _write(conn, SOLUTION_WRITE_SQL, built)


async def solutions_implementing(conn: asyncpg.Connection, ozg_ids: Sequence[str]) -> list[uuid.UUID]:
    """The solutions whose document carries the name or LeiKa wording of any of ``ozg_ids``."""
    rows = await conn.fetch("SELECT DISTINCT solution FROM solution_ozg_leistung WHERE ozg_leistung = ANY($1::text[])",
                            list(ozg_ids))
    return [r[0] for r in rows]


async def solutions_of(conn: asyncpg.Connection, organisation_id: uuid.UUID) -> list[uuid.UUID]:
    """The solutions whose document carries the name of ``organisation_id`` (provider or operator)."""
    rows = await conn.fetch("SELECT id FROM solution WHERE $1 IN (provider, operator)", organisation_id)
    return [r[0] for r in rows]
