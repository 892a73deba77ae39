"""Shared machinery of the HTTP benchmarks (not a test).

A uvicorn server on 127.0.0.1 that a benchmark starts and stops (``Server``; ``http_app`` is the
real app for it), a load generator in a separate process (``load``: ``wrk`` with ``WRK_SCRIPT``
when installed, else ``httpx_load`` through ``python -m bench.common --load-url``), pooling of the
latency quantiles of several runs (``percentile``, ``pooled``), CPU accounting from /proc
(``measured``) and a description of the machine and the server stack for the report.

    python -m bench.common --load-url URL [--connections N] [--duration S] [--max-requests N]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"

# ---------------------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One uvicorn process (``workers`` workers, 1 by default, loopback) that this benchmark started and stops."""

    def __init__(self, name: str, target: list[str], env: dict[str, str], log_dir: Path, workers: int = 1) -> None:
        self.name, self.port = name, free_port()
        self.log = log_dir / f"{name}.log"
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "uvicorn", *target, "--host", "127.0.0.1", "--port", str(self.port),
                   "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.base + path, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not become ready: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def http_app():
    """uvicorn factory (``bench.common:http_app --factory``): the real app on ``EFA_DATABASE_URL``."""
    from api.app import create_app
    from efa_registry.log import configure_logging
    from efa_registry.settings import Settings

    settings = Settings.from_env()
    configure_logging(settings)
    return create_app(settings, dsn=settings.database_url)


# ------------------------------------------------------------------------------------------ load

WRK_SCRIPT = """
local limit, seen = 0, 0
function init(args) limit = tonumber(args[1]) or 0 end
function response(status, headers, body)
  seen = seen + 1
  if limit > 0 and seen >= limit then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e, q = summary.errors, {}
  for i = 1, 1000 do q[i] = string.format("%.3f", latency:percentile(i / 10) / 1000) end
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "bytes": %d, "errors": %d, "quantiles": [%s]}\\n',
    summary.requests, summary.duration / 1e6, summary.bytes, e.status + e.connect + e.read + e.write + e.timeout,
    table.concat(q, ",")))
end
"""


def load(url: str, *, seconds: float, connections: int, max_requests: int, wrk: Path | None) -> dict:
    """One load run from a separate process: wrk (1 thread, with ``wrk`` = a file holding ``WRK_SCRIPT``)
    if given, else the httpx client below. Latency comes back as 1,000 quantiles (0.1 % … 100 %, ms) so
    that runs can be pooled."""
    cap = str(max_requests)
    if wrk:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s",
                   str(wrk), url, "--", cap]
    else:
        command = [sys.executable, "-m", "bench.common", "--load-url", url, "--connections",
                   str(connections), "--duration", str(seconds), "--max-requests", cap]
    out = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT ")).removeprefix("RESULT "))


def generator(wrk: Path | None) -> str:
    """What ``load`` uses, for the report."""
    return "wrk, 1 thread" if wrk else "httpx.AsyncClient (bench.common --load-url)"


async def httpx_load(url: str, connections: int, seconds: float, max_requests: int) -> dict:
    latencies: list[float] = []
    errors = size = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def user() -> None:
            nonlocal errors, size
            while time.perf_counter() < deadline and len(latencies) < max_requests:
                sent = time.perf_counter()
                response = await client.get(url)
                latencies.append((time.perf_counter() - sent) * 1000)
                errors += response.status_code >= 400
                size += len(response.content)

        await asyncio.gather(*(user() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    quantiles = [latencies[min(len(latencies) - 1, int(i / 1000 * len(latencies)))] for i in range(1, 1001)]
    return {"requests": len(latencies), "seconds": elapsed, "bytes": size, "errors": errors, "quantiles": quantiles}


def percentile(runs: list[dict], p: float) -> float:
    """Percentile ``p`` of the pooled latencies of ``runs`` (each run's quantiles weighted by its requests)."""
    points = sorted((q, run["requests"]) for run in runs for q in run["quantiles"])
    target, seen = p / 100 * sum(w for _, w in points), 0
    for value, weight in points:
        seen += weight
        if seen >= target:
            return value
    return points[-1][0]


def pooled(runs: list[dict]) -> dict:
    """Runs of one scenario as one: summed counts, pooled p50/p95/p99 and (when measured) time-weighted CPU."""
    seconds = sum(r["seconds"] for r in runs)
    out = {"requests": sum(r["requests"] for r in runs), "seconds": seconds, "bytes": sum(r["bytes"] for r in runs),
           "errors": sum(r["errors"] for r in runs), **{f"p{p}": percentile(runs, p) for p in (50, 95, 99)}}
    if "cpu" in runs[0]:
        out["cpu"] = {k: sum(r["cpu"][k] * r["seconds"] for r in runs) / seconds for k in runs[0]["cpu"]}
    return out


# ------------------------------------------------------------------------------------------- CPU

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, int]]:
    """pid → (parent pid, CPU ticks used so far)."""
    table = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                raw = Path(entry.path, "stat").read_bytes()
            except OSError:
                continue
            fields = raw[raw.rindex(b")") + 2:].split()
            table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return table


def tree_ticks(table: dict[int, tuple[int, int]], root: int) -> int:
    """CPU ticks of ``root`` and all its descendants in ``table``."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += table.get(pid, (0, 0))[1]
        todo += children.get(pid, [])
    return total


def busy_ticks() -> int:
    ticks = [int(n) for n in Path("/proc/stat").read_text().split()[1:9]]
    return sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait


def children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(run: Callable[[], dict], roots: dict[str, int]) -> dict:
    """A load run (``run``, e.g. a call of ``load``) with the CPU (in cores) of each process tree in ``roots``,
    of the load generator, and of everything else on the machine ("other": other engineers' tests, kernel)."""
    before, busy, children, started = processes(), busy_ticks(), children_seconds(), time.monotonic()
    result = run()
    elapsed, after = time.monotonic() - started, processes()
    cpu = {name: (tree_ticks(after, pid) - tree_ticks(before, pid)) / CLOCK_TICKS / elapsed
           for name, pid in roots.items()}
    cpu["load generator"] = (children_seconds() - children) / elapsed
    cpu["other"] = max(0.0, (busy_ticks() - busy) / CLOCK_TICKS / elapsed - sum(cpu.values()))
    return {**result, "cpu": cpu}


def postmaster_pid(pgdata: Path) -> int:
    """The PostgreSQL server process of an embedded data directory (root of its process tree)."""
    return int((Path(pgdata) / "postmaster.pid").read_text().split()[0])


# ------------------------------------------------------------------------------------ conditions


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def cpu_model() -> str:
    return next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")), "?")


def machine(load_average_at_start: float) -> str:
    """Cores, CPU model and the 1-minute load average at the start and now (other load on the machine)."""
    return (f"machine: {os.cpu_count()} cores, {cpu_model()}; load average {load_average_at_start:.2f} at start,"
            f" {os.getloadavg()[0]:.2f} now")


def server_stack() -> str:
    """uvicorn's event loop and HTTP parser, as it picks them (``auto``)."""
    loop = "uvloop" if installed("uvloop") else "asyncio"
    http = "httptools" if installed("httptools") else "h11"
    return f"{loop}, {http}"


# ------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the httpx load generator against one URL (internal).")
    parser.add_argument("--load-url", required=True)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=50_000)
    args = parser.parse_args(argv)
    result = asyncio.run(httpx_load(args.load_url, args.connections, args.duration, args.max_requests))
    print("RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
