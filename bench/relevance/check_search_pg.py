"""The language core against a real PostgreSQL 16 (the embedded pgserver, in a temporary directory).

    python bench/relevance/check_search_pg.py [--data ../shared/data]

1. Safety: thousands of random and hostile inputs through ``query.build_tsquery`` and then
   ``to_tsquery('german', …)``; any error is reported (there should be none).
2. Relevance of the OZG query set: every OZG-Leistung indexed as the registry will index it
   (name weight A, its LeiKa names weight B, both through ``compounds.expand_for_index``), each
   query of ``ozg_queries.csv`` ranked by ``ts_rank``; top-1/3/10 hits of an expected OZG-ID,
   next to plain ``websearch_to_tsquery`` on the raw names as a baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import string
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import asyncpg  # noqa: E402

from efa_registry.search import compounds, query  # noqa: E402

HOSTILE = string.printable + "äöüßÄÖÜ€§'\"\\&|!():*<>-\x00\u2013\u00ad\u200b漢字ﬁ"
RANKED = ("SELECT id FROM doc WHERE v @@ {q} ORDER BY ts_rank(v, {q}) DESC, id LIMIT 10")


def catalogue(data: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    with (data / "ozg" / "ozg_leistungen.csv").open(encoding="utf-8") as f:
        leistungen = {r["ozg_id"]: r["ozg_leistung"] for r in csv.DictReader(f)}
    leika: dict[str, list[str]] = defaultdict(list)
    with (data / "ozg" / "leika_ozg_zuordnung.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            leika[r["ozg_id"]].append(r["leika_leistung"])
    return leistungen, leika


async def safety(conn: asyncpg.Connection, texts: list[str], vocab: compounds.Vocabulary) -> None:
    rnd = random.Random(9)
    inputs = ["".join(rnd.choice(HOSTILE) for _ in range(rnd.randint(1, 80))) for _ in range(3000)]
    inputs += [" ".join(rnd.choice(texts).split()[: rnd.randint(1, 6)]) for _ in range(2000)]
    checked = errors = 0
    for text in inputs:
        for v in (None, vocab):
            if (tsq := query.build_tsquery(text, vocab=v)) is None:
                continue
            checked += 1
            try:
                await conn.fetchval("SELECT to_tsquery('german', $1)::text", tsq)
            except asyncpg.PostgresError as exc:
                errors += 1
                print(f"  ERROR {text!r} → {tsq!r}: {exc}")
    print(f"safety: {checked} tsquery strings parsed by PostgreSQL, {errors} errors")


def position(found: list[str], expected: list[str]) -> int | None:
    return next((i for i, ozg_id in enumerate(found) if ozg_id in expected), None)


async def relevance(conn: asyncpg.Connection, data: Path, vocab: compounds.Vocabulary) -> None:
    leistungen, leika = catalogue(data)
    await conn.execute("CREATE TEMP TABLE doc (id text, v tsvector, raw tsvector)")
    await conn.executemany(
        "INSERT INTO doc VALUES ($1, setweight(to_tsvector('german', $2), 'A') || setweight(to_tsvector('german', $3),"
        " 'B'), setweight(to_tsvector('german', $4), 'A') || setweight(to_tsvector('german', $5), 'B'))",
        [(i, compounds.expand_for_index(name, vocab), compounds.expand_for_index(" ".join(leika[i]), vocab),
          name, " ".join(leika[i])) for i, name in leistungen.items()])
    with (HERE / "ozg_queries.csv").open(encoding="utf-8") as f:
        cases = list(csv.DictReader(f, delimiter=";"))
    ours, base = defaultdict(int), defaultdict(int)
    for case in cases:
        expected = case["expected_ozg_ids"].split("|")
        tsq = query.build_tsquery(case["query"], vocab=vocab)
        found = [r["id"] for r in await conn.fetch(RANKED.format(q="to_tsquery('german', $1)"), tsq)] if tsq else []
        plain = [r["id"] for r in await conn.fetch(
            RANKED.format(q="websearch_to_tsquery('german', $1)").replace("v @@", "raw @@").replace("(v,", "(raw,"),
            case["query"])]
        for tally, hits in ((ours, found), (base, plain)):
            pos = position(hits, expected)
            for k in (1, 3, 10):
                tally[k] += pos is not None and pos < k
        if (pos := position(found, expected)) is None or pos > 2:
            print(f"  rank {pos}: {case['query']!r} → {tsq}")
    n = len(cases)
    print(f"relevance ({n} queries): language core top-1 {ours[1]}, top-3 {ours[3]}, top-10 {ours[10]}; "
          f"websearch_to_tsquery top-1 {base[1]}, top-3 {base[3]}, top-10 {base[10]}")


async def main(data: Path) -> None:
    import pgserver

    leistungen, leika = catalogue(data)
    texts = [*leistungen.values(), *(n for names in leika.values() for n in names)]
    vocab = compounds.build_vocabulary(texts)
    with tempfile.TemporaryDirectory() as directory:
        server = pgserver.get_server(Path(directory) / "pgdata", cleanup_mode="stop")
        try:
            conn = await asyncpg.connect(server.get_uri())
            await safety(conn, texts, vocab)
            await relevance(conn, data, vocab)
            await conn.close()
        finally:
            server.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=HERE.parents[2] / "shared" / "data")
    asyncio.run(main(parser.parse_args().data))
