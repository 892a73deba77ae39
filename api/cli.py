"""The ``efa-registry`` command: the core's commands (efa_registry/cli) plus ``serve``, which
needs the HTTP app and therefore lives on this side of the dependency line. This is also the
composition root that hands the seed directory to the core."""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import structlog

import seed
from efa_registry import cli as core
from efa_registry.cli.commands import with_database
from efa_registry.db import embedded, migrate
from efa_registry.settings import Settings

log = structlog.get_logger("api.cli")


def address_in_use(host: str, port: int) -> bool:
    """Whether ``host:port`` is taken; checked before the database starts, not after migrating."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def _stop_on_sigterm() -> None:
    # uvicorn re-raises the signal it caught once it has shut down; with Python's default
    # SIGTERM action the process would die on the spot and leave the embedded PostgreSQL
    # running. As an exception, it unwinds through ``database_url`` and stops it.
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    if address_in_use(settings.host, settings.port):
        print(f"Fehler: {settings.host}:{settings.port} ist schon belegt. Beenden Sie das andere Programm "
              "oder wählen Sie mit --port (oder EFA_PORT) einen anderen Port.", file=sys.stderr)
        raise SystemExit(core.ADDRESS_IN_USE)
    _stop_on_sigterm()
    with embedded.database_url(settings, supervise=True) as dsn:

        async def prepare() -> None:
            applied = await migrate.migrate()
            if applied:
                log.info("db.migrated", applied=applied)
            from efa_registry.seeding import seed as load_seed

            await load_seed(args.seed_dir, demo=args.demo)

        asyncio.run(with_database(settings, dsn, prepare))
        run_processes(settings, dsn)


def run_processes(settings: Settings, dsn: str) -> None:
    """``settings.workers`` API processes on one port, and the webhook worker exactly once: as a
    process of its own, so no API worker delivers (several would only compete for the queue)."""
    import uvicorn

    os.environ.update(EFA_DATABASE_URL=dsn, EFA_WEBHOOK_WORKER="false")
    if settings.workers > 1:  # /metrics merges the counts of every worker (prometheus-client multiprocess)
        metrics_dir = Path(tempfile.mkdtemp(prefix="efa-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    webhooks = (subprocess.Popen([sys.executable, "-m", "api.cli", "worker"], env=os.environ.copy())
                if settings.webhook_worker else None)
    log.info("serve.listening", url=f"http://{settings.host}:{settings.port}", workers=settings.workers,
             webhook_worker=webhooks is not None, docs=f"http://{settings.host}:{settings.port}/schema")
    try:
        uvicorn.run("api.asgi:app", host=settings.host, port=settings.port, workers=settings.workers,
                    log_config=None, access_log=False, proxy_headers=True, timeout_keep_alive=5,
                    h11_max_incomplete_event_size=16 * 1024)  # headers past 16 KiB: 431 (also api/limits.py)
    finally:
        if webhooks is not None:
            webhooks.terminate()
            webhooks.wait(timeout=30)
        if settings.workers > 1:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def add_serve(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser(
        "serve", help="migrieren, Referenzdaten laden, dann API und Webseiten bereitstellen",
        description="Startet die Registry: das eingebettete PostgreSQL (ohne EFA_DATABASE_URL), ausstehende "
                    "Migrationen, die mitgelieferten Referenzdaten (alle Gemeinden, der OZG-Katalog), dann API "
                    "und Webseiten. Endet sauber mit Strg+C oder SIGTERM.", epilog=core.EXIT_CODES)
    serve.add_argument("--host", help="Adresse, an die gebunden wird (EFA_HOST, Vorgabe 127.0.0.1)")
    serve.add_argument("--port", type=int, help="Port (EFA_PORT, Vorgabe 8000)")
    serve.add_argument("--data-dir", dest="data_dir", help="wo das eingebettete PostgreSQL seine Daten "
                       "ablegt (EFA_DATA_DIR)")
    serve.add_argument("--workers", type=int, help="API-Prozesse (EFA_WORKERS, Vorgabe: Zahl der Prozessorkerne)")
    serve.add_argument("--demo", action="store_true", help="auch den gekennzeichneten Demo-Katalog laden")
    serve.set_defaults(func=cmd_serve)


def main(argv: list[str] | None = None) -> None:
    core.main(argv, extensions=[add_serve], seed_dir=seed.SEED_DIR)


if __name__ == "__main__":
    main()
