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
import datetime as dt
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from efa_registry import db, migrate
from efa_registry.access.model import Actor
from efa_registry.areas.gv100ad import import_gv100ad
from efa_registry.log import configure_logging
from efa_registry.organisations.model import OrganisationCreate
from efa_registry.organisations.service import create_organisation
from efa_registry.ozg.catalogue_import import import_leika, import_ozg_leistungen
from efa_registry.seeding import seed
from efa_registry.settings import Settings
from efa_registry.slugs import slugify
from efa_registry.solutions.model import InterfaceCreate, SolutionCreate
from efa_registry.solutions.service import create_interface, create_solution

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
FILES = {"gv100ad": DATA / "gv100ad" / "GV100AD_30112025.txt", "ozg": DATA / "ozg" / "ozg_leistungen.csv",
         "leika": DATA / "ozg" / "leika_ozg_zuordnung.csv"}
ACTOR = Actor.system("bench")
SOLUTIONS, INTERFACES = 600, 2000
FACETS = "facets=themenfeld,status,providerLand,interfaceStandard"
BAU_CORE = ("10519", "10518", "10520", "10521", "10513", "10531")  # Baugenehmigung & Co.: the "Bauantrag" hits

# ------------------------------------------------------------------------------------------- data

NAMES = ("{l} digital", "Online-Antrag {l}", "{l} online ({land})", "eAntrag {l}", "Digitaler Antrag: {l}",
         "{l} – Onlinedienst {land}", "Bürgerservice {l}", "{l}-Portal {land}")
BAU_NAMES = ("Digitaler Bauantrag {land}", "Bauantrag online ({land})", "Bauportal {land}: {l}",
             "Virtueller Bauantrag – {l}")
SUMMARIES = ("Onlinedienst für die OZG-Leistung „{l}“: Antrag stellen, Nachweise hochladen, Bescheid digital erhalten.",
             "{l} vollständig digital: vom Online-Antrag bis zur Übermittlung an das Fachverfahren der Behörde.",
             "Einer-für-Alle-Dienst aus {land} für „{l}“, zur Nachnutzung durch Länder und Kommunen.")
BAU_SUMMARIES = ("Digitaler Bauantrag für „{l}“: Bauanträge mit allen Bauvorlagen online einreichen und per XBau an "
                 "die untere Bauaufsichtsbehörde übermitteln.",
                 "Der Bauantrag aus {land}: Bauherren und Entwurfsverfasser stellen den Bauantrag online, die "
                 "Bauaufsicht erhält ihn strukturiert.")
SENTENCES = (
    "Entwickelt nach dem Einer-für-Alle-Prinzip in {land} und zur Nachnutzung durch andere Länder bereitgestellt.",
    "Anträge gehen über FIT-Connect an die zuständige Behörde, die der PVOG-Zuständigkeitsfinder ermittelt.",
    "Angebunden sind das Nutzerkonto BundID, das Unternehmenskonto und die ePayment-Plattform des Landes.",
    "Die Antragsdaten werden strukturiert im XÖV-Format an das Fachverfahren übergeben.",
    "Barrierefrei nach BITV 2.0, mobil nutzbar und in einfacher Sprache erläutert.",
    "Der Betrieb erfolgt im Rechenzentrum eines kommunalen IT-Dienstleisters, mit einem Mandanten je Kommune.",
    "Nachweise werden nach dem Once-Only-Prinzip aus den Registern abgerufen, sobald diese angebunden sind.",
    "Sachbearbeitende erhalten die Anträge in einem Postfach oder direkt im Fachverfahren.",
    "Die Lösung ist als Open Source veröffentlicht und wird in einer Entwicklungsgemeinschaft weiterentwickelt.",
    "Kommunen schließen sich über den FIT-Store oder per Beitritt zum Verwaltungsabkommen an.",
)
XOEV = {"bauen-wohnen": (("XBau", "2.3"), ("XBau", "2.2"), ("XPlanung", "6.0"), ("XMeld", "3.6")),
        "familie-kind": (("XPersonenstand", "1.8"), ("XFall", "1.2")),
        "ein-auswanderung": (("XAusländer", "1.28"), ("XMeld", "3.6")),
        "unternehmensfuehrung-entwicklung": (("XGewerbeanzeige", "2.1"),),
        "recht-ordnung": (("XInneres", "9.3"), ("XMeld", "3.6"))}
XOEV_OTHER = (("XInneres", "9.3"), ("XFall", "1.2"), ("XMeld", "3.6"), ("XGewerbeanzeige", "2.1"))
TRANSPORT = {"fit_connect": ("FIT-Connect", "1.2", "Antragsübermittlung via FIT-Connect", "OAuth 2.0"),
             "rest": ("OpenAPI", "3.1", "Status-API für Antragstellende", "OAuth 2.0"),
             "soap": ("WSDL", "1.1", "Fachverfahrensanbindung (SOAP)", "mTLS"),
             "osci_xta": ("XTA", "2.0", "Zustellung über OSCI/XTA", "OSCI-Zertifikat")}


def _pick(rng: random.Random, weighted: dict) -> object:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


async def _organisations(rng: random.Random) -> list[tuple[str, str, str]]:
    """40 providers tied to real areas: 16 Länder, 8 IT-Dienstleister, 16 Kreise (one per Land);
    returns (organisation id, kind, Land name)."""
    async with db.connection() as conn:
        laender = [tuple(r) for r in await conn.fetch("SELECT ars, name FROM area WHERE level = 'land' ORDER BY ars")]
        kreise = await conn.fetch("SELECT ars, name, land FROM area WHERE level = 'kreis' AND current ORDER BY ars")
    land_name = dict(laender)
    plans = [("land", f"OZG-Programm {name}", ars) for ars, name in laender]
    plans += [("it_dienstleister", f"Kommunaler IT-Dienstleister {name}", ars) for ars, name in rng.sample(laender, 8)]
    for ars, _ in laender:
        kreis = rng.choice([k for k in kreise if k["land"] == ars])
        plans.append(("kommune", f"Verwaltung {kreis['name']}", kreis["ars"]))
    out = []
    for kind, name, area in plans:
        org = await create_organisation(OrganisationCreate(
            kind=kind, name=name, area=area, website=f"https://{slugify(name)}.example.de"), actor=ACTOR)
        out.append((str(org.id), kind, land_name[area[:2]]))
    return out


def _solution(rng: random.Random, n: int, leistungen: list, providers: list, slugs: set[str]) -> SolutionCreate:
    bau = [x for x in leistungen if x[0] in BAU_CORE]
    familie = [x for x in leistungen if x[2] == "familie-kind"]
    pool = _pick(rng, {"bau": 10, "familie": 15, "any": 75})
    first = rng.choice({"bau": bau, "familie": familie, "any": leistungen}[pool])
    same_field = [x for x in leistungen if x[2] == first[2] and x != first]
    chosen = [first, *rng.sample(same_field, min(len(same_field), rng.choice((0, 0, 1, 2))))]
    provider, kind, land = rng.choice([p for p in providers if p[1] == _pick(rng, {
        "land": 50, "it_dienstleister": 30, "kommune": 20})])
    words = {"l": first[1], "land": land}
    name = rng.choice(BAU_NAMES if pool == "bau" else NAMES).format(**words)[:300]
    slug = slugify(name)
    while slug in slugs:
        slug = f"{slugify(name, max_length=72)}-{n}-{rng.randrange(100)}"
    slugs.add(slug)
    status = _pick(rng, {"available": 45, "pilot": 15, "in_development": 15, "planned": 15, "retired": 10})
    model = _pick(rng, {"2.0": 70, "1.1": 20, None: 10})
    route = _pick(rng, {"fit_store": 35, "verwaltungsabkommen": 25, "marktplatz": 10, "open_source": 15, None: 15})
    operators = [p[0] for p in providers if p[1] == "it_dienstleister"]
    return SolutionCreate(
        name=name, slug=slug, provider=provider, operator=rng.choice(operators) if rng.random() < 0.4 else None,
        summary=rng.choice(BAU_SUMMARIES if pool == "bau" else SUMMARIES).format(**words),
        description=" ".join(s.format(**words) for s in rng.sample(SENTENCES, rng.randint(2, 4))),
        ozg_ids=[x[0] for x in chosen], status=status, efa_compliant=_pick(rng, {True: 55, False: 20, None: 25}),
        reifegrad_model=model, reifegrad=None if model is None else rng.randint(1, 7 if model == "2.0" else 4),
        reuse_route=route, licence="EUPL-1.2" if route == "open_source" else None,
        documentation_url=f"https://docs.example.de/{slug}", tags=rng.sample(["efa", "ozg", "nachnutzung", kind], 2),
        contact_name="Servicedesk OZG", contact_email=f"ozg@{slug[:40]}.example.de")


def _interface(rng: random.Random, themenfeld: str) -> InterfaceCreate:
    kind = _pick(rng, {"xoev": 35, "fit_connect": 25, "rest": 20, "soap": 10, "osci_xta": 10})
    if kind == "xoev":
        standard, version = rng.choice(XOEV.get(themenfeld, XOEV_OTHER))
        name, auth = f"Fachdatenaustausch {standard}", "OSCI-Zertifikat"
    else:
        standard, version, name, auth = TRANSPORT[kind]
    status = _pick(rng, {"active": 80, "planned": 10, "deprecated": 7, "retired": 3})
    sunset = dt.date(2027, 6, 30) if status in ("deprecated", "retired") else None
    return InterfaceCreate(kind=kind, name=name, standard=standard, standard_version=version, status=status,
                           spec_url=f"https://spec.example.de/{slugify(standard)}/{version}", authentication=auth,
                           sunset_on=sunset)


async def _catalogue(rng: random.Random) -> None:
    """Providers, solutions and interfaces through the use cases, four solutions at a time."""
    providers = await _organisations(rng)
    async with db.connection() as conn:
        leistungen = [tuple(r) for r in await conn.fetch(
            "SELECT ozg_id, name, themenfeld FROM ozg_leistung ORDER BY ozg_id::int")]
    themenfeld = {x[0]: x[2] for x in leistungen}
    slugs: set[str] = set()
    commands = [_solution(rng, n, leistungen, providers, slugs) for n in range(SOLUTIONS)]
    per_solution = [1] * SOLUTIONS
    for n in rng.choices(range(SOLUTIONS), k=INTERFACES - SOLUTIONS):
        per_solution[n] += 1
    gate = asyncio.Semaphore(4)

    async def write(cmd: SolutionCreate, interfaces: int) -> None:
        async with gate:
            solution, _ = await create_solution(cmd, actor=ACTOR)
            for _ in range(interfaces):
                await create_interface(solution.id, _interface(rng, themenfeld[cmd.ozg_ids[0]]), actor=ACTOR)

    await asyncio.gather(*(write(c, k) for c, k in zip(commands, per_solution, strict=True)))


VOLUMES = {
    "areas (GV100AD)": "SELECT count(*) FROM area",
    "OZG-Leistungen": "SELECT count(*) FROM ozg_leistung",
    "LeiKa entries": "SELECT count(*) FROM leika_entry",
    "organisations": "SELECT count(*) FROM organisation",
    "solutions": "SELECT count(*) FROM solution",
    "solution–OZG links": "SELECT count(*) FROM solution_ozg_leistung",
    "interfaces": "SELECT count(*) FROM interface",
    "events": "SELECT count(*) FROM event",
    "hits (a) q=Bauantrag": "SELECT count(*) FROM solution WHERE status <> 'retired'"
                            " AND search_vector @@ websearch_to_tsquery('german', 'Bauantrag')",
    "hits (b) familie-kind, available, Reifegrad ≥ 3": "SELECT count(*) FROM solution s WHERE s.status = 'available'"
    " AND s.reifegrad >= 3 AND EXISTS (SELECT 1 FROM solution_ozg_leistung so JOIN ozg_leistung o"
    " ON o.ozg_id = so.ozg_leistung WHERE so.solution = s.id AND o.themenfeld = 'familie-kind')",
}


async def _load_database(dsn: str) -> tuple[dict[str, int], float]:
    started = time.perf_counter()
    await db.connect(dsn, Settings.from_env({}, pool_min_size=1, pool_max_size=6, log_level="warning"))
    try:
        await migrate.migrate()
        await seed(actor=ACTOR)
        await import_gv100ad(FILES["gv100ad"], actor=ACTOR)
        await import_ozg_leistungen(FILES["ozg"], actor=ACTOR)
        await import_leika(FILES["leika"], actor=ACTOR)
        await _catalogue(random.Random(2025))
        async with db.connection() as conn:
            await conn.execute("VACUUM ANALYZE")
            volumes = {label: await conn.fetchval(sql) for label, sql in VOLUMES.items()}
    finally:
        await db.close()
    return volumes, time.perf_counter() - started


# ---------------------------------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One uvicorn process (1 worker, loopback) that this benchmark started and stops."""

    def __init__(self, name: str, target: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name, self.port = name, _free_port()
        self.log = log_dir / f"{name}.log"
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "uvicorn", *target, "--host", "127.0.0.1", "--port", str(self.port),
                   "--workers", "1", "--no-access-log", "--log-level", "warning"]
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


def _load(url: str, args: argparse.Namespace, seconds: float, connections: int | None = None) -> dict:
    """One load run from a separate process: wrk (1 thread) if installed, else the httpx client below.
    Latency comes back as 1,000 quantiles (0.1 % … 100 %, ms) so that runs can be pooled."""
    connections, cap = connections or args.connections, str(args.max_requests // args.rounds)
    if args.wrk:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s",
                   str(args.wrk), url, "--", cap]
    else:
        command = [sys.executable, "-m", "bench.bench_catalogue", "--load-url", url, "--connections",
                   str(connections), "--duration", str(seconds), "--max-requests", cap]
    out = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT ")).removeprefix("RESULT "))


async def _httpx_load(url: str, connections: int, seconds: float, max_requests: int) -> dict:
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


def _percentile(runs: list[dict], p: float) -> float:
    """Percentile ``p`` of the pooled latencies of ``runs`` (each run's quantiles weighted by its requests)."""
    points = sorted((q, run["requests"]) for run in runs for q in run["quantiles"])
    target, seen = p / 100 * sum(w for _, w in points), 0
    for value, weight in points:
        seen += weight
        if seen >= target:
            return value
    return points[-1][0]


def _pooled(runs: list[dict]) -> dict:
    seconds = sum(r["seconds"] for r in runs)
    return {"requests": sum(r["requests"] for r in runs), "seconds": seconds, "bytes": sum(r["bytes"] for r in runs),
            "errors": sum(r["errors"] for r in runs), **{f"p{p}": _percentile(runs, p) for p in (50, 95, 99)},
            "cpu": {k: sum(r["cpu"][k] * r["seconds"] for r in runs) / seconds for k in runs[0]["cpu"]}}


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, int]]:
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


def _tree_ticks(table: dict[int, tuple[int, int]], root: int) -> int:
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += table.get(pid, (0, 0))[1]
        todo += children.get(pid, [])
    return total


def _busy_ticks() -> int:
    ticks = [int(n) for n in Path("/proc/stat").read_text().split()[1:9]]
    return sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measured(url: str, args: argparse.Namespace, roots: dict[str, int], seconds: float) -> dict:
    """A load run with the CPU (in cores) of each process tree in ``roots``, of the load generator,
    and of everything else on the machine ("other": other engineers' tests, kernel)."""
    before, busy, children, started = _processes(), _busy_ticks(), _children_seconds(), time.monotonic()
    result = _load(url, args, seconds)
    elapsed, after = time.monotonic() - started, _processes()
    cpu = {name: (_tree_ticks(after, pid) - _tree_ticks(before, pid)) / CLOCK_TICKS / elapsed
           for name, pid in roots.items()}
    cpu["load generator"] = (_children_seconds() - children) / elapsed
    cpu["other"] = max(0.0, (_busy_ticks() - busy) / CLOCK_TICKS / elapsed - sum(cpu.values()))
    return {**result, "cpu": cpu}


def _round_robin(urls: dict[str, str], args: argparse.Namespace, roots: dict[str, dict[str, int]]) -> dict:
    """``--rounds`` rounds over all scenarios, ``duration / rounds`` seconds each, so that app and ceiling
    share whatever else the machine is doing; results pooled per scenario."""
    runs: dict[str, list[dict]] = {key: [] for key in urls}
    for n in range(args.rounds):
        print(f"  round {n + 1}/{args.rounds}: " + ", ".join(urls), flush=True)
        for key, url in urls.items():
            runs[key].append(_measured(url, args, roots[key], args.duration / args.rounds))
    return {key: _pooled(parts) for key, parts in runs.items()}


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
        results[key]["single p50"] = _percentile([_load(url, args, 2, connections=1)], 50)
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
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "?")
    loop = "uvloop" if _installed("uvloop") else "asyncio"
    http = "httptools" if _installed("httptools") else "h11"
    generator = "wrk, 1 thread" if args.wrk else "httpx.AsyncClient (bench.bench_catalogue --load-url)"
    return [f"machine: {os.cpu_count()} cores, {model}; load average {args.load_average:.2f} at start,"
            f" {os.getloadavg()[0]:.2f} now",
            f"servers: uvicorn 1 worker each ({loop}, {http}), pool ≤ 10 connections, app logs JSON at info",
            f"load: {generator}, {args.connections} connections over loopback, {args.duration:g} s (or"
            f" {args.max_requests} requests) per scenario in {args.rounds} interleaved rounds, after"
            f" {args.warmup:g} s warm-up"]


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


# ------------------------------------------------------------------------------------------- main


def _run(args: argparse.Namespace, tmp: Path) -> None:
    embedded = db.EmbeddedPostgres(tmp, database="efa_bench")
    dsn = embedded.start()
    servers: list[Server] = []
    try:
        print("loading the catalogue …", flush=True)
        volumes, seconds = asyncio.run(_load_database(dsn))
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
        postmaster = int((embedded.pgdata / "postmaster.pid").read_text().split()[0])
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
        embedded.stop()


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
    parser.add_argument("--load-url", help=argparse.SUPPRESS)  # internal: run the httpx load generator
    args = parser.parse_args(argv)
    if args.load_url:
        result = asyncio.run(_httpx_load(args.load_url, args.connections, args.duration, args.max_requests))
        print("RESULT " + json.dumps(result))
        return 0
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
