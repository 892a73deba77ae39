"""Relevance and latency of search on the real shipped catalogue, over HTTP (not a test).

    python -m bench.bench_relevance [--repo PATH] [--before PATH] [--rounds N]

Starts its own embedded PostgreSQL, loads what ``efa-registry seed`` ships (the GV100AD of
30.11.2025: 16,000 areas; the OZG catalogue: 557 OZG-Leistungen, 4,813 LeiKa entries) and the
600 solutions with 2,000 interfaces of ``bench.catalogue_data`` through the use cases of the
checkout at ``--repo`` (default: this one), serves that checkout's app with uvicorn (one worker)
and asks it, one request at a time:

- relevance: every query of ``bench/relevance/ozg_queries.csv`` as ``GET /v1/ozg-leistungen?q=``
  — recall@5 (an expected OZG-ID among the first five), MRR over the first ten, latency; and every
  query of ``bench/relevance/ozg_nothing.csv``, which must find nothing;
- places: every name of ``bench/relevance/place_names.csv`` through ``POST /v1/areas/resolve``
  — right ARS (exact or probable), ambiguous names flagged, unknown ones refused;
- latency p50/p99 of the OZG and solution searches and listings, area search and listing, and
  of ``GET /v1/suggest`` for every prefix of every query, as typed.

``--before`` names an older checkout (``git worktree add /tmp/efa-before <commit>``): it gets a
database of its own, loaded by its own code from the same files, and its own app; the latency
scenarios then alternate request by request between the two (each first in turn), so that the
machine's other load falls on both alike, half of the rounds with each app's server started
first (the one started first measured 2-5 % slower in A/A runs, one checkout against itself).
What an old checkout does not serve is reported as n/a.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import free_port, machine
from efa_registry.db import embedded

HERE = Path(__file__).resolve().parent
CASES = HERE / "relevance"
LOAD = """
import asyncio, random, sys
from efa_registry import db
from efa_registry.db import migrate
from efa_registry.seeding import seed
from efa_registry.settings import Settings
from seed import SEED_DIR
from bench.catalogue_data import _catalogue

async def main(dsn):
    await db.connect(dsn, Settings.from_env({}, pool_min_size=1, pool_max_size=6, log_level="warning"))
    await migrate.migrate()
    await seed(SEED_DIR)
    await _catalogue(random.Random(2025))
    async with db.connection() as conn:
        await conn.execute("VACUUM ANALYZE")
    await db.close()

asyncio.run(main(sys.argv[1]))
"""
FACETS = "themenfeld,status,providerLand,interfaceStandard"
SAME_HITS_CANDIDATES = ("Bauantrag", "Wohngeld", "Elterngeld", "Baugenehmigung", "Personalausweis", "XBau",
                        "Führerschein", "Meldebescheinigung", "Digitaler Bauantrag", "Kindergeld", "Gewerbe")
AREA_QUERIES = ("Mülheim", "Neustadt", "Frankfurt", "Muenchen", "Landkreis Rostock", "Essen", "St. Wendel",
                "Halle (Saale)")
SOLUTION_QUERIES = ("Bauantrag", "Wohngeld", "XBau", "Anmeldung", "Hund", "Kita", "Führerschien", "Elterngeld online")
LISTS = {
    "OZG list (limit 50)": "/v1/ozg-leistungen?limit=50",
    "OZG list by Themenfeld": "/v1/ozg-leistungen?themenfeld=familie-kind",
    "solution list + 4 facets": f"/v1/solutions?facets={FACETS}",
    "solution list (limit 20)": "/v1/solutions",
    "area list (Gemeinden NRW)": "/v1/areas?land=05&level=gemeinde",
}


def read(name: str) -> list[dict[str, str]]:
    with (CASES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def quantiles(times: list[float]) -> str:
    if not times:
        return "n/a"
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered):6.2f} ms  p99 {p99:6.2f} ms  (n={len(ordered)})"


class App:
    """The checkout's app under uvicorn, one worker, on loopback."""

    def __init__(self, repo: Path, dsn: str, log: Path) -> None:
        self.base = f"http://127.0.0.1:{free_port()}"
        env = {**os.environ, "EFA_DATABASE_URL": dsn, "EFA_LOG_LEVEL": "warning", "PYTHONPATH": str(repo)}
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "api.asgi:app", "--host", "127.0.0.1",
                 "--port", self.base.rsplit(":", 1)[1], "--workers", "1", "--no-access-log", "--log-level", "warning"],
                cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=self.base, timeout=60)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if self.client.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        raise RuntimeError(f"the app did not start: {log.read_text()[-2000:]}")

    def timed(self, method: str, url: str, **kwargs) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        response = self.client.request(method, url, **kwargs)
        return response, (time.perf_counter() - started) * 1000

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(15)


def relevance(app: App, rounds: int) -> list[float]:
    cases = read("ozg_queries.csv")
    found5 = reciprocal = 0.0
    times: list[float] = []
    misses = []
    for round_ in range(rounds):
        for case in cases:
            response, ms = app.timed("GET", "/v1/ozg-leistungen", params={"q": case["query"], "limit": 10})
            times.append(ms)
            if round_:
                continue
            ids = [o["ozgId"] for o in response.json().get("items", [])] if response.status_code == 200 else []
            rank = next((i for i, ozg_id in enumerate(ids) if ozg_id in case["expected_ozg_ids"].split("|")), None)
            found5 += rank is not None and rank < 5
            reciprocal += 1 / (rank + 1) if rank is not None else 0
            if rank is None or rank >= 5:
                misses.append(f"    {case['query']!r} ({case['kind']}): expected {case['expected_names']}, rank {rank}")
    n = len(cases)
    print(f"OZG queries ({n}): recall@5 {found5 / n:.1%} ({found5:.0f}/{n}), MRR@10 {reciprocal / n:.3f}")
    print("\n".join(misses))
    print(f"  OZG search latency            {quantiles(times)}")
    return times


def nothing(app: App) -> None:
    """Every query of ``ozg_nothing.csv`` must find no OZG-Leistung at all."""
    cases = read("ozg_nothing.csv")
    found = []
    for case in cases:
        response, _ = app.timed("GET", "/v1/ozg-leistungen", params={"q": case["query"], "limit": 3})
        items = response.json().get("items", []) if response.status_code == 200 else [{"ozgId": response.status_code}]
        if items:
            found.append(f"    {case['query']!r}: expected nothing, got {[o['ozgId'] for o in items]}")
    print(f"queries that must find nothing ({len(cases)}): {len(cases) - len(found)} found nothing")
    print("\n".join(found))


def place_names(app: App) -> None:
    cases = read("place_names.csv")
    good = flagged = ambiguous = 0
    times, failures = [], []
    for case in cases:
        item = {"name": case["query"], **({"land": case["hint_land"]} if case["hint_land"] else {})}
        response, ms = app.timed("POST", "/v1/areas/resolve", json={"names": [item]})
        if response.status_code != 200:
            print(f"places: n/a (POST /v1/areas/resolve answers {response.status_code})")
            return
        times.append(ms)
        result, expected = response.json()["results"][0], case["expected"]
        ambiguous += expected == "AMBIGUOUS"
        if expected in ("AMBIGUOUS", "UNKNOWN"):
            ok = result["verdict"] == expected.lower()
            flagged += ok and expected == "AMBIGUOUS"
        else:
            ok = result["verdict"] in ("exact", "probable") and (result["ars"] or "").ljust(12, "0") == expected
        good += ok
        if not ok:
            failures.append(f"    {case['query']!r}: expected {expected}, got {result['verdict']} {result['ars']}")
    print(f"place names ({len(cases)}): {good / len(cases):.1%} correct ({good}/{len(cases)}), "
          f"ambiguous flagged {flagged}/{ambiguous}")
    print("\n".join(failures))
    print(f"  resolve latency (1 name)      {quantiles(times)}")


def scenarios_for(apps: dict[str, App]) -> dict[str, list[tuple[str, dict | None]]]:
    """The latency scenarios; with several checkouts also the like-for-like ones: the queries
    every checkout answers with as many hits."""
    cases = read("ozg_queries.csv")
    scenarios: dict[str, list[tuple[str, dict | None]]] = {
        "OZG search q": [("/v1/ozg-leistungen", {"q": c["query"]}) for c in cases],
        "solution search q + 4 facets": [("/v1/solutions", {"q": q, "facets": FACETS}) for q in SOLUTION_QUERIES],
        "solution search q": [("/v1/solutions", {"q": q}) for q in SOLUTION_QUERIES],
        **{label: [(url, None)] * 8 for label, url in LISTS.items()},
        "area search q": [("/v1/areas", {"q": q}) for q in AREA_QUERIES],
    }
    if len(apps) > 1:
        for label, url, queries in (("OZG search q, same hits", "/v1/ozg-leistungen", [c["query"] for c in cases]),
                                    ("solution search q, same hits", "/v1/solutions", SAME_HITS_CANDIDATES)):
            same = [q for q in queries if len({len(app.client.get(url, params={"q": q}).json().get("items", []))
                                                for app in apps.values()}) == 1]
            scenarios[f"{label} ({len(same)} q)"] = [(url, {"q": q}) for q in same]
    return scenarios


def latencies(apps: dict[str, App], scenarios: dict[str, list[tuple[str, dict | None]]], rounds: int,
              times: dict[tuple[str, str], list[float]]) -> None:
    """Every scenario on every app, request by request in turn and each first in turn, so that
    whatever else the machine does falls on all of them alike."""
    turn = 0
    for _ in range(rounds):
        for label, requests in scenarios.items():
            for url, params in requests:
                order = list(apps.items())
                turn += 1
                for name, app in order[turn % len(order):] + order[:turn % len(order)]:
                    times.setdefault((label, name), []).append(app.timed("GET", url, params=params)[1])


def print_latencies(names: list[str], scenarios: dict, times: dict[tuple[str, str], list[float]]) -> None:
    print(f"  {'latency, one request at a time':<32}" + "".join(f"{name:<44}" for name in names))
    for label in scenarios:
        print(f"  {label:<32}" + "".join(f"{quantiles(times[label, name]):<44}" for name in names))


def suggest(app: App) -> None:
    if app.client.get("/v1/suggest", params={"q": "Hu"}).status_code != 200:
        print("  suggest                       n/a")
        return
    times, sizes = [], []
    for case in read("ozg_queries.csv")[:60]:
        for end in range(2, len(case["query"]) + 1):
            response, ms = app.timed("GET", "/v1/suggest", params={"q": case["query"][:end]})
            times.append(ms)
            sizes.append(len(response.content))
    print(f"  suggest (every keystroke)     {quantiles(times)}; payload median {statistics.median(sizes):.0f} bytes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=HERE.parent, help="the checkout whose code is measured")
    parser.add_argument("--before", type=Path, help="an older checkout, measured beside it on the same data")
    parser.add_argument("--rounds", type=int, default=3, help="repetitions of the latency scenarios")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    repos = {"this": args.repo, **({"before": args.before} if args.before else {})}
    with tempfile.TemporaryDirectory(prefix="efa-bench-relevance-") as tmp:
        server = embedded.EmbeddedPostgres(tmp, database="bench")
        base = server.start()
        apps: dict[str, App] = {}
        try:
            dsns = {name: _load(name, repo, base) for name, repo in repos.items()}
            apps = _start(repos, dsns, Path(tmp), list(repos))
            for name, app in apps.items():
                print(f"\n== {name}: {repos[name].resolve()} @ {_commit(repos[name])}")
                relevance(app, 1)
                nothing(app)
                place_names(app)
                suggest(app)
            print()
            scenarios = scenarios_for(apps)
            times: dict[tuple[str, str], list[float]] = {}
            latencies(apps, scenarios, max(1, args.rounds // 2), times)
            if len(apps) > 1:
                # The server started first measured 2-5 % slower in A/A runs (one checkout against
                # itself), whatever its code: the second half runs with the servers started the other way.
                for app in apps.values():
                    app.stop()
                apps = _start(repos, dsns, Path(tmp), list(reversed(repos)))
                latencies(apps, scenarios, max(1, args.rounds - args.rounds // 2), times)
            print_latencies(list(repos), scenarios, times)
        finally:
            for app in apps.values():
                app.stop()
            server.stop()
    print(machine(load_at_start))
    return 0


def _load(name: str, repo: Path, base: str) -> str:
    """A database of its own for ``repo``, loaded by its own code; its DSN."""
    dsn = base.replace("/bench?", f"/{name}?") if name != "this" else base
    if name != "this":
        subprocess.run([sys.executable, "-c", f"import asyncio, asyncpg\nasync def m():\n c = await asyncpg.connect("
                        f"{base!r})\n await c.execute('CREATE DATABASE {name}')\n await c.close()\nasyncio.run(m())"],
                       check=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", LOAD, dsn], cwd=repo, check=True,
                   env={**os.environ, "PYTHONPATH": str(repo), "EFA_LOG_LEVEL": "warning"}, stdout=subprocess.DEVNULL)
    print(f"{name}: loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return dsn


def _start(repos: dict[str, Path], dsns: dict[str, str], tmp: Path, order: list[str]) -> dict[str, App]:
    """Each checkout's app on its database, started in ``order``, warmed up; by checkout name."""
    started = {}
    for name in order:
        app = started[name] = App(repos[name], dsns[name], tmp / f"{name}.log")
        for q in ("Hund", "Bauantrag"):  # the first requests build the vocabularies: not measured
            app.client.get("/v1/ozg-leistungen", params={"q": q})
            app.client.get("/v1/solutions", params={"q": q})
        app.client.get("/v1/areas", params={"q": "Essen"})
    return {name: started[name] for name in repos}


def _commit(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main())
