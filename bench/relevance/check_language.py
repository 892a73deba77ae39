"""Offline check of the search language core against the real reference files.

    python bench/relevance/check_language.py [--data ../shared/data] [--verbose]

Reports, without a database:
- place names (``place_names.csv``): how many ``places.rank`` resolves correctly — the right
  ARS with verdict exact/probable, ``ambiguous`` where AMBIGUOUS is expected, ``unknown`` where
  UNKNOWN is — and how long ``rank`` takes over all 16,000 GV100AD areas;
- the thesaurus: every expansion word occurs in the OZG/LeiKa names (as a word or compound part);
- the OZG query set (``ozg_queries.csv``): every OZG-ID exists with the name stated, and an
  approximate recall — does the expected Leistung (its name and LeiKa names, expanded as the
  index would be) match the query as ``query.plan`` expands it (a crude Python stand-in for
  PostgreSQL's stemmer; the real benchmark runs against the database);
- ``spelling.suggest`` speed on the catalogue vocabulary and on a ~20,000-word one;
- with ``--synthetic N``, names not tuned on: N random Gemeinden written as people do (ae/oe/ue,
  dots left out, "Stadt"/"Gemeinde" prefixes, "a.d." abbreviations, a swapped or missing letter),
  counted right when the Gemeinde is found, or flagged ambiguous where its name is not unique.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from efa_registry.areas.gv100ad import parse_gv100ad  # noqa: E402
from efa_registry.search import compounds, places, query, spelling, text, thesaurus  # noqa: E402


def read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def pad(ars: str) -> str:
    return ars.ljust(12, "0")


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def check_places(data: Path, verbose: bool) -> float:
    rows = parse_gv100ad((data / "gv100ad" / "GV100AD_30112025.txt").read_bytes()).rows
    index, build_ms = timed(places.build_index, rows)
    known = {pad(r.ars) for r in rows}
    cases = read(HERE / "place_names.csv", ";")
    good, times, failures = 0, [], []
    for case in cases:
        expected = case["expected"]
        assert expected in ("AMBIGUOUS", "UNKNOWN") or expected in known, f"{expected} is no ARS in the file"
        result, ms = timed(places.rank, case["query"], index, hint_land=case["hint_land"] or None)
        times.append(ms)
        ok = (result.verdict == expected.lower() if expected in ("AMBIGUOUS", "UNKNOWN")
              else result.verdict in ("exact", "probable") and pad(result.ars or "") == expected)
        good += ok
        if not ok or verbose:
            failures.append(f"  {'ok  ' if ok else 'FAIL'} {case['query']!r} (hint {case['hint_land'] or '-'}): "
                            f"expected {expected}, got {result.verdict} {result.ars} {result.name} "
                            f"[{', '.join(f'{a.name} {a.ars}' for a in result.alternatives[:3])}]")
    print(f"places: {good}/{len(cases)} resolved correctly ({good / len(cases):.1%}); index of {len(index)} "
          f"areas built in {build_ms:.0f} ms; rank median {statistics.median(times):.2f} ms, "
          f"p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms, max {max(times):.2f} ms")
    print("\n".join(failures))
    return good / len(cases)


def _typed_variants(name: str, rnd: random.Random) -> list[tuple[str, bool]]:
    """(how people might type a Gemeinde's name, whether it is a typo)."""
    base = name.split(",")[0].strip()
    out = [(base, False), (base.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"), False),
           (base.replace("ä", "a").replace("ö", "o").replace("ü", "u"), False), ("Gemeinde " + base, False),
           (base.replace(" an der ", " a.d. ").replace(" am ", " a. ").replace(" im ", " i. "), False),
           (base.replace("-", " "), False)]
    if ", Stadt" in name or ", St" in name:
        out.append(("Stadt " + base, False))
    if len(base) > 7:
        i, j = rnd.randrange(2, len(base) - 2), rnd.randrange(2, len(base) - 1)
        out += [(base[:i] + base[i + 1] + base[i] + base[i + 2:], True), (base[:j] + base[j + 1:], True)]
    return list(dict.fromkeys(out))


def check_synthetic(data: Path, size: int) -> None:
    rows = parse_gv100ad((data / "gv100ad" / "GV100AD_30112025.txt").read_bytes()).rows
    index, rnd = places.build_index(rows), random.Random(7)
    gemeinden = [r for r in rows if r.level == "gemeinde"]
    names = defaultdict(int)
    for r in gemeinden:
        names[text.fold(r.name.split(",")[0])] += 1
    tally: dict[tuple[str, bool], int] = defaultdict(int)
    for row in rnd.sample(gemeinden, size):
        unique = names[text.fold(row.name.split(",")[0])] == 1
        for typed, typo in _typed_variants(row.name, rnd):
            result = places.rank(typed, index)
            found = result.verdict in ("exact", "probable") and pad(result.ars or "") == row.ars
            kind = "typo" if typo else "spelling" if unique else "shared name"
            tally[kind, found or (not unique and result.verdict == "ambiguous")] += 1
    for kind in ("spelling", "typo", "shared name"):
        good, total = tally[kind, True], tally[kind, True] + tally[kind, False]
        print(f"  synthetic {kind}: {good}/{total} ({good / max(total, 1):.1%})")


def catalogue(data: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    leistungen = {r["ozg_id"]: r["ozg_leistung"] for r in read(data / "ozg" / "ozg_leistungen.csv")}
    leika: dict[str, list[str]] = defaultdict(list)
    for r in read(data / "ozg" / "leika_ozg_zuordnung.csv"):
        leika[r["ozg_id"]].append(r["leika_leistung"])
    return leistungen, leika


def check_thesaurus(vocab: compounds.Vocabulary, texts: list[str]) -> None:
    words = {text.fold(w) for t in texts for w in text.words(t)}
    missing = []
    for entry in thesaurus.load().entries:
        for expansion in entry.expansions:
            for word in text.content_words(expansion):
                key = text.fold(word)
                if key not in words and not any(key in w for w in words):
                    missing.append(f"{' '.join(entry.term)} → {expansion}: {word}")
    print(f"thesaurus: {len(thesaurus.load())} entries; expansion words missing from OZG/LeiKa: "
          f"{len(missing)} {missing if missing else ''}")


def _stem(word: str) -> str:
    for ending in ("ungen", "ung", "ern", "en", "er", "es", "e", "s", "n"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _matches(plan: list[query.Group], words: set[str]) -> bool:
    def hit(word: str) -> bool:
        stem = _stem(text.fold(word))
        return any(w.startswith(stem) for w in words) if len(word) >= query.MIN_PREFIX else stem in words
    return all(any(all(any(hit(w) for w in slot) for slot in alternative) for alternative in g.alternatives)
               for g in plan)


def check_queries(data: Path, vocab: compounds.Vocabulary, verbose: bool) -> None:
    leistungen, leika = catalogue(data)
    docs = {ozg_id: {_stem(text.fold(w)) for w in text.words(
        compounds.expand_for_index(" ".join([name, *leika[ozg_id]]), vocab))}
        for ozg_id, name in leistungen.items()}
    cases = read(HERE / "ozg_queries.csv", ";")
    found, sizes, misses = 0, [], []
    for case in cases:
        ids = case["expected_ozg_ids"].split("|")
        names = [leistungen.get(i) for i in ids]
        assert " | ".join(n or "?" for n in names) == case["expected_names"], f"{case['query']}: {ids} {names}"
        plan = query.plan(case["query"], vocab=vocab)
        hits = [i for i, words in docs.items() if _matches(plan, words)]
        found += any(i in hits for i in ids)
        sizes.append(len(hits))
        if verbose or not any(i in hits for i in ids):
            misses.append(f"  {'ok  ' if any(i in hits for i in ids) else 'MISS'} {case['query']!r}: "
                          f"{query.build_tsquery(case['query'], vocab=vocab)} → {len(hits)} Leistungen")
    print(f"ozg queries: {len(cases)} checked against ozg_leistungen.csv; approximate recall "
          f"{found}/{len(cases)} ({found / len(cases):.1%}), median {statistics.median(sizes)} matching Leistungen")
    print("\n".join(misses))


def check_spelling(vocab: compounds.Vocabulary, extra: list[str]) -> None:
    queries = ["Hundesteur", "Personalausweiss", "Führerschien", "Gewerbeanmeldnug", "Kindergelt",
               "Meldebescheinung", "Baugenemigung", "Aufenthaltstitle", "Fischereischien", "Wohngeld"]
    big = compounds.build_vocabulary([*(w for w, _ in vocab.items()), *extra], learn=False)
    for label, v in (("catalogue", vocab), ("~20,000 words", big)):
        _, build_ms = timed(spelling.index, v)
        times = [timed(spelling.suggest, q, v)[1] for q in queries for _ in range(3)]
        print(f"spelling ({label}, {len(v)} words): index {build_ms:.0f} ms; suggest median "
              f"{statistics.median(times):.2f} ms, max {max(times):.2f} ms")
    for q in queries:
        print(f"  {q!r} → {spelling.suggest(q, vocab)!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=HERE.parents[2] / "shared" / "data")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N", help="also N random Gemeinden")
    args = parser.parse_args()
    if not (args.data / "ozg" / "ozg_leistungen.csv").exists():
        print(f"reference data not found at {args.data}", file=sys.stderr)
        return 2
    leistungen, leika = catalogue(args.data)
    texts = [*leistungen.values(), *(n for names in leika.values() for n in names)]
    vocab, ms = timed(compounds.build_vocabulary, texts)
    print(f"vocabulary: {len(vocab)} words and {len(vocab.parts)} learned parts from {len(texts)} names "
          f"in {ms:.0f} ms")
    check_thesaurus(vocab, texts)
    check_queries(args.data, vocab, args.verbose)
    place_rows = parse_gv100ad((args.data / "gv100ad" / "GV100AD_30112025.txt").read_bytes()).rows
    legal = [r["rechtsgrundlage"] for r in read(args.data / "ozg" / "leika_ozg_zuordnung.csv")]
    parts = [p for t in texts for p in compounds.all_parts(t, vocab)]
    check_spelling(vocab, [r.name for r in place_rows] + legal + parts)
    check_places(args.data, args.verbose)
    if args.synthetic:
        check_synthetic(args.data, args.synthetic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
