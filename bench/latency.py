"""Latency of awaited calls from inside the benchmark's process (not a test).

``run_load`` keeps ``clients`` tasks calling (a closed loop), ``run_open_loop`` starts calls at a
fixed rate however many are in flight; both return ``Stats`` (p50/p95/p99 and req/s as one line).
The calls are core functions, or HTTP requests through ``app_client``: the real app under uvicorn
in a subprocess on 127.0.0.1 and an httpx client to it, with ``checked_get`` failing on any status
but 200.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bench.common import Server

Call = Callable[[random.Random], Awaitable[object]]


class Stats:
    def __init__(self, label: str, latencies: list[float], seconds: float) -> None:
        self.label, self.latencies, self.seconds = label, sorted(latencies), seconds

    def percentile(self, p: float) -> float:
        return self.latencies[min(len(self.latencies) - 1, int(p / 100 * len(self.latencies)))] * 1000

    def line(self) -> str:
        if not self.latencies:
            return f"{self.label:<44} no requests"
        return (f"{self.label:<44} p50 {self.percentile(50):7.1f}  p95 {self.percentile(95):7.1f}"
                f"  p99 {self.percentile(99):7.1f} ms  {len(self.latencies) / self.seconds:7.0f} req/s"
                f"  (n={len(self.latencies)})")


async def run_load(label: str, call: Call, *, clients: int, requests: int, seconds: float, warmup: int = 3) -> Stats:
    """``clients`` tasks calling ``call`` until ``requests`` are done or ``seconds`` have passed."""
    for i in range(warmup):
        await call(random.Random(-1 - i))
    latencies: list[float] = []
    issued = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def client(number: int) -> None:
        nonlocal issued
        rng = random.Random(number)
        while issued < requests and time.perf_counter() < deadline:
            issued += 1
            t0 = time.perf_counter()
            await call(rng)
            latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(client(i) for i in range(clients)))
    return Stats(label, latencies, time.perf_counter() - started)


async def run_open_loop(label: str, call: Call, *, rate: float, seconds: float) -> Stats:
    """Requests arriving at ``rate`` per second (Poisson), however many are in flight: latency is
    measured from the arrival, so it includes any queueing, as a user would see it."""
    rng, latencies, tasks = random.Random(7), [], []
    started = time.perf_counter()
    arrival = started

    async def one(at: float) -> None:
        await call(rng)
        latencies.append(time.perf_counter() - at)

    while arrival < started + seconds:
        arrival += rng.expovariate(rate)
        await asyncio.sleep(max(0.0, arrival - time.perf_counter()))
        tasks.append(asyncio.create_task(one(arrival)))
    await asyncio.gather(*tasks)
    return Stats(f"{label} at {rate:g}/s", latencies, time.perf_counter() - started)


@asynccontextmanager
async def app_client(dsn: str, clients: int, log_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The real app (``bench.common:http_app``) under uvicorn, one worker on 127.0.0.1 with a pool of
    ``clients``, and an httpx client with as many connections to it."""
    env = {**os.environ, "EFA_DATABASE_URL": dsn, "EFA_LOG_LEVEL": "warning",
           "EFA_POOL_MIN_SIZE": str(min(4, clients)), "EFA_POOL_MAX_SIZE": str(clients)}
    server = Server("api", ["bench.common:http_app", "--factory"], env, log_dir)
    try:
        await asyncio.to_thread(server.wait_ready, "/health")
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=server.base, limits=limits, timeout=60) as client:
            yield client
    finally:
        server.stop()


def checked_get(client: httpx.AsyncClient) -> Callable[[str], Awaitable[None]]:
    """``GET`` through ``client`` that raises unless the answer is 200: an error page is not a figure."""
    async def get(url: str) -> None:
        response = await client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code} {response.text[:200]}")

    return get
