"""Benchmark of catalogue discovery over HTTP against the stack's ceiling (not a test).

    python -m bench.bench_catalogue [--duration S] [--rounds N] [--connections N] [--profile DIR]

Starts its own embedded PostgreSQL, loads the real GV100AD edition, OZG catalogue and LeiKa from
../shared/data beside the checkout, then 40 providers, 600 solutions and 2,000 interfaces through
the real use cases (so every search vector is the one the write path builds). Serves the real
app (``api.asgi``) and ``bench.ceiling_app`` (Litestar + asyncpg, one raw query) with uvicorn,
one worker each, on 127.0.0.1, and loads each scenario from a separate process (``wrk`` when
installed, else an httpx client), bounded by time and count, in interleaved rounds so that app and
ceiling share whatever else the machine does. Prints req/s and latency percentiles per scenario,
the single-client latency, the app/ceiling ratio, and the CPU per request of server and PostgreSQL
and the CPU other processes took (a disturbed measurement is repeated once). ``--profile`` then
samples the app with py-spy under two scenarios.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from bench.catalogue_data import FILES, load_database
from bench.common import (
    WRK_SCRIPT,
    Server,
    generator,
    load,
    machine,
    measured,
    percentile,
    pooled,
    postmaster_pid,
    server_stack,
)
from efa_registry.db import embedded
from efa_registry.log import configure_logging
from efa_registry.settings import Settings

FACETS = "facets=themenfeld,status,providerLand,interfaceStandard"

# ------------------------------------------------------------------------------------ same page


def _same_page(app: Server, ceiling: Server, query: str) -> str:
    """The ceiling must serve the app's page (items and cursor), else the comparison is void."""
    mine = httpx.get(f"{app.base}/v1/solutions?{query}", timeout=30).json()
    theirs = httpx.get(f"{ceiling.base}/ceiling/solutions?{query}", timeout=30).json()
    if mine["items"] != theirs["items"]:
        diff = next((i, k) for i, (a, b) in enumerate(zip(mine["items"], theirs["items"], strict=False))
                    for k in a if a[k] != b.get(k)) if len(mine["items"]) == len(theirs["items"]) else "length"
        raise RuntimeError(f"the ceiling's page differs from the app's for {query!r}: {diff}")

    def cursor(link: str | None) -> list[str] | None:
        return parse_qs(urlsplit(link).query).get("after") if link else None

    if cursor(mine["next"]) != cursor(theirs["next"]):
        raise RuntimeError(f"the ceiling's cursor differs from the app's for {query!r}")
    return f"{len(mine['items'])} items, next page: {'yes' if mine['next'] else 'no'}"


# ------------------------------------------------------------------------------------------ load


def _load(url: str, args: argparse.Namespace, seconds: float, connections: int | None = None) -> dict:
    """One load run (``bench.common.load``) with this benchmark's connections and per-round request cap."""
    return load(url, seconds=seconds, connections=connections or args.connections,
                max_requests=args.max_requests // args.rounds, wrk=args.wrk)


def _measured(url: str, args: argparse.Namespace, roots: dict[str, int], seconds: float) -> dict:
    """A load run with the CPU (in cores) of each process tree in ``roots``, of the load generator,
    and of everything else on the machine ("other": other engineers' tests, kernel)."""
    return measured(lambda: _load(url, args, seconds), roots)


def _round_robin(urls: dict[str, str], args: argparse.Namespace, roots: dict[str, dict[str, int]]) -> dict:
    """``--rounds`` rounds over all scenarios, ``duration / rounds`` seconds each, so that app and ceiling
    share whatever else the machine is doing; results pooled per scenario."""
    runs: dict[str, list[dict]] = {key: [] for key in urls}
    for n in range(args.rounds):
        print(f"  round {n + 1}/{args.rounds}: " + ", ".join(urls), flush=True)
        for key, url in urls.items():
            runs[key].append(_measured(url, args, roots[key], args.duration / args.rounds))
    return {key: pooled(parts) for key, parts in runs.items()}


def _measure_all(urls: dict[str, str], args: argparse.Namespace, roots: dict[str, dict[str, int]]) -> dict:
    """Warm up, measure in rounds, and measure once more if other processes took more than ``--disturbed``
    cores on average (keeping the quieter set); then each scenario's latency with a single client."""
    for url in urls.values():
        _load(url, args, args.warmup)
    results = _round_robin(urls, args, roots)
    others = statistics.mean(r["cpu"]["other"] for r in results.values())
    if others > args.disturbed:
        print(f"  disturbed ({others:.2f} cores used by other processes): measuring again", flush=True)
        again = _round_robin(urls, args, roots)
        quieter = statistics.mean(r["cpu"]["other"] for r in again.values()) < others
        results = {key: {**(again if quieter else results)[key], "rerun": True} for key in urls}
    for key, url in urls.items():
        results[key]["single p50"] = percentile([_load(url, args, 2, connections=1)], 50)
    return results


# ---------------------------------------------------------------------------------------- profile

# What the app spends its CPU on: share of py-spy samples with a matching frame on the stack.
STAGES = (("facet counts (4 queries)", "facet_counts ("), ("page query (search.search)", "search (efa_registry"),
          ("load page items (repository.load)", "load (efa_registry"), ("asyncpg (all queries)", "asyncpg/"),
          ("transaction BEGIN/COMMIT", "asyncpg/transaction"), ("Solution.of → wire Structs", "of (api/solutions"),
          ("response encoding (msgspec)", "encode_json"), ("ETag middleware (sha256)", "_strong_etag"),
          ("structlog (request log line)", "structlog/"), ("litestar kwargs / validation", "litestar/_kwargs"),
          ("reject_unknown_query_parameters", "reject_unknown"), ("uvicorn + h11 (HTTP parsing)", "h11/"),
          ("socket writes (transport.write)", "_SelectorSocketTransport.write"),
          ("socket reads (+ asyncpg C decoding)", "_read_ready__data_received"))


def _profile(py_spy: str, pid: int, url: str, args: argparse.Namespace, out: Path) -> list[str]:
    seconds = min(8, int(args.duration))
    recorder = subprocess.Popen([py_spy, "record", "--pid", str(pid), "--duration", str(seconds),
                                 "--rate", "250", "--format", "raw", "--output", str(out), "--nonblocking"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _load(url, args, seconds)
    recorder.wait(timeout=60)
    stacks = [(line.rpartition(" ")[0], int(line.rpartition(" ")[2])) for line in out.read_text().splitlines()]
    total = sum(n for _, n in stacks) or 1
    lines = [f"{label:<36} {100 * sum(n for s, n in stacks if needle in s) / total:5.1f} %" for label, needle in STAGES]
    leaves: dict[str, int] = {}
    for stack, n in stacks:
        leaves[stack.rsplit(";", 1)[-1]] = leaves.get(stack.rsplit(";", 1)[-1], 0) + n
    top = sorted(leaves.items(), key=lambda kv: -kv[1])[:10]
    return [*lines, "hottest leaf functions:", *(f"  {100 * n / total:5.1f} %  {leaf[:110]}" for leaf, n in top)]


# ----------------------------------------------------------------------------------------- report

Q_A0, Q_B = "q=Bauantrag", "themenfeld=familie-kind&status=available&minReifegrad=3"
Q_A = f"{Q_A0}&{FACETS}"
# (key, label, ceiling it is compared with)
SCENARIOS = (("ceil-a", "ceiling (a): q=Bauantrag, no facets", None),
             ("a", "app (a): q=Bauantrag + 4 facets", "ceil-a"),
             ("a0", "app (a'): q=Bauantrag, no facets", "ceil-a"),
             ("c", "app (c): page 2 of (a) via `next`", "ceil-a"),
             ("ceil-b", "ceiling (b): filtered list", None),
             ("b", "app (b): themenfeld+status+minReifegrad", "ceil-b"))


def _table(results: dict[str, dict]) -> list[str]:
    head = (f"{'scenario':<42} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'1 client':>8} {'KB':>5}"
            f" {'errors':>6} {'÷ceiling':>8}  CPU ms/request: server / postgres  others (cores)")
    rows = [head, "-" * len(head)]
    for key, label, versus in SCENARIOS:
        r = results[key]
        rps = r["requests"] / r["seconds"]
        ratio = f"{rps / (results[versus]['requests'] / results[versus]['seconds']):8.2f}" if versus else " " * 8
        cpu = r["cpu"]
        rows.append(f"{label:<42} {rps:6.0f} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {r['single p50']:8.1f}"
                    f" {r['bytes'] / max(r['requests'], 1) / 1024:5.1f} {r['errors']:6d} {ratio}"
                    f"  {1000 * cpu['server'] / rps:14.1f} / {1000 * cpu['postgres'] / rps:8.1f}  {cpu['other']:14.2f}"
                    + ("  (re-run)" if r.get("rerun") else ""))
    return [*rows, "1 client = p50 latency of a single client (service time); KB = response size;"
            " others = CPU used by processes outside this benchmark (and the kernel)"]


def _verdict(results: dict[str, dict]) -> list[str]:
    def rps(key: str) -> float:
        return results[key]["requests"] / results[key]["seconds"]

    out = []
    for key, versus in (("a", "ceil-a"), ("b", "ceil-b")):
        ratio, p99 = rps(key) / rps(versus), results[key]["p99"]
        out.append(f"target ({key}): ≥ 0.5 × ceiling req/s: {'met' if ratio >= 0.5 else 'MISSED'} ({ratio:.2f});"
                   f" p99 < 50 ms: {'met' if p99 < 50 else 'MISSED'} ({p99:.1f} ms)")
    return out


def _conditions(args: argparse.Namespace) -> list[str]:
    return [machine(args.load_average),
            f"servers: uvicorn 1 worker each ({server_stack()}), pool ≤ 10 connections, app logs JSON at info",
            f"load: {generator(args.wrk)}, {args.connections} connections over loopback, {args.duration:g} s (or"
            f" {args.max_requests} requests) per scenario in {args.rounds} interleaved rounds, after"
            f" {args.warmup:g} s warm-up"]


# ------------------------------------------------------------------------------------------- main


def _run(args: argparse.Namespace, tmp: Path) -> None:
    server = embedded.EmbeddedPostgres(tmp, database="efa_bench")
    dsn = server.start()
    servers: list[Server] = []
    try:
        print("loading the catalogue …", flush=True)
        volumes, seconds = asyncio.run(load_database(dsn))
        print(f"loaded in {seconds:.1f} s: " + ", ".join(f"{k} {v}" for k, v in volumes.items()), flush=True)
        env = {**os.environ, "EFA_DATABASE_URL": dsn, "EFA_LOG_FORMAT": "json", "EFA_LOG_LEVEL": "info",
               "EFA_POOL_MAX_SIZE": "10"}
        app = Server("app", ["api.asgi:app"], env, tmp)
        ceiling = Server("ceiling", ["bench.ceiling_app:create_app", "--factory"], env, tmp)
        servers += [app, ceiling]
        app.wait_ready("/ready")
        ceiling.wait_ready(f"/ceiling/solutions?{Q_A0}")
        for query in (Q_A0, Q_B):
            print(f"same page from app and ceiling for {query}: {_same_page(app, ceiling, query)}", flush=True)
        page2 = httpx.get(f"{app.base}/v1/solutions?{Q_A}", timeout=30).json()["next"]
        urls = {"ceil-a": f"{ceiling.base}/ceiling/solutions?{Q_A0}", "a": f"{app.base}/v1/solutions?{Q_A}",
                "a0": f"{app.base}/v1/solutions?{Q_A0}", "c": f"{app.base}{page2}",
                "ceil-b": f"{ceiling.base}/ceiling/solutions?{Q_B}", "b": f"{app.base}/v1/solutions?{Q_B}"}
        postmaster = postmaster_pid(server.pgdata)
        roots = {}
        for key in urls:
            server, idle = (ceiling, app) if key.startswith("ceil") else (app, ceiling)
            roots[key] = {"server": server.process.pid, "postgres": postmaster, "idle server": idle.process.pid}
        results = _measure_all(urls, args, roots)
        print("\n".join(["", *_conditions(args), "", *_table(results), "", *_verdict(results)]), flush=True)
        if args.profile:
            _profiles(args, app, urls)
    finally:
        for server in servers:
            server.stop()
        server.stop()


def _profiles(args: argparse.Namespace, app: Server, urls: dict[str, str]) -> None:
    py_spy = shutil.which("py-spy") or os.environ.get("PY_SPY")
    if not py_spy:
        print("--profile needs py-spy on PATH (pip install py-spy) or PY_SPY=/path/to/py-spy")
        return
    args.profile.mkdir(parents=True, exist_ok=True)
    for key in ("a", "b"):
        out = args.profile / f"app-{key}.collapsed"
        print(f"\npy-spy profile of the app under scenario ({key}), {out} (share of non-idle wall-clock samples):")
        print("\n".join(_profile(py_spy, app.process.pid, urls[key], args, out)), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=12.0, help="seconds measured per scenario")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all scenarios the duration is split into")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--max-requests", type=int, default=50_000, help="request cap per scenario")
    parser.add_argument("--disturbed", type=float, default=0.3,
                        help="CPU cores used by other processes that make a run count as disturbed")
    parser.add_argument("--httpx", action="store_true", help="use the httpx load generator even if wrk is installed")
    parser.add_argument("--profile", type=Path, help="afterwards, py-spy the app under (a) and (b) into this folder")
    args = parser.parse_args(argv)
    missing = [str(path) for path in FILES.values() if not path.exists()]
    if missing:
        print(f"reference data not found ({', '.join(missing)}): nothing to benchmark.")
        print("Put the GV100AD and OZG files in ../shared/data beside the checkout.")
        return 0
    configure_logging(Settings.from_env({}, log_level="warning"))
    started, args.load_average = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="efa-bench-catalogue-") as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(WRK_SCRIPT)
        args.wrk = script if shutil.which("wrk") and not args.httpx else None
        _run(args, Path(tmp))
    print(f"\nwhole benchmark: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
