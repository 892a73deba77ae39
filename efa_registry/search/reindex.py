"""Search documents built by older code, rebuilt by the current one.

A migration that changes how documents are built (``search.documents``) cannot build them itself
— that needs the vocabulary, which needs Python — so it marks the scope in ``search_reindex``,
and every process start-up (``api.app``) calls ``heal`` in the background. Until then searches
use the documents as they are (the migration leaves a name-only stand-in). The same start-up
task keeps ``search_change`` bounded.
"""

from __future__ import annotations

import asyncio

import structlog

from efa_registry import db
from efa_registry.search import indexing, lexicon, repository

log = structlog.get_logger(__name__)


async def heal() -> list[str]:
    """Rebuild every document of each marked scope; returns the scopes rebuilt. Several processes
    may start at once: the marks are locked, the first one does the work, the others find none.
    Cuts a change log grown too long, too (``repository.prune_changes``)."""
    async with db.connection() as conn:
        if pruned := await repository.prune_changes(conn):
            log.info("search.change_log_pruned", scopes=pruned)
        if not await repository.reindex_scopes(conn):
            return []
    async with db.transaction() as conn:
        scopes = await repository.reindex_scopes(conn, lock=True)
        if scopes:
            vocab = await lexicon.catalogue(conn)
            counts = {"ozg_leistungen": await indexing.refresh_ozg(conn, None, vocab) if "catalogue" in scopes else 0,
                      "solutions": await indexing.refresh_solutions(conn, None, vocab) if "solutions" in scopes else 0}
            for scope in scopes:
                await repository.reindexed(conn, scope)
            log.info("search.reindexed", scopes=scopes, **counts)
    return scopes


def start() -> asyncio.Task:
    """``heal`` in the background (the app serves meanwhile); a failure is logged, not raised: a
    read-only replica cannot write, and the next process start tries again."""
    async def run() -> None:
        try:
            await heal()
        except Exception as exc:
            log.warning("search.reindex_failed", error=str(exc))

    return asyncio.get_running_loop().create_task(run())
