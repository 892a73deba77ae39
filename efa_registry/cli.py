"""The ``efa-registry`` command: serve, migrate, seed, import, settings."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import structlog

from efa_registry import db, migrate
from efa_registry.errors import DomainError
from efa_registry.importing import ImportSummary, Progress, no_progress
from efa_registry.log import configure_logging
from efa_registry.settings import Settings

log = structlog.get_logger("efa_registry.cli")


def terminal_progress(label: str) -> Progress:
    """A one-line progress bar on a terminal; silent when output is not a TTY."""
    if not sys.stderr.isatty():
        return no_progress

    def show(done: int, total: int) -> None:
        share = done / total if total else 1.0
        bar = "#" * int(share * 30)
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{label:<16} [{bar:<30}] {share:6.1%}{end}")
        sys.stderr.flush()

    return show


async def with_database(settings: Settings, dsn: str, work: Callable[[], Awaitable[Any]]) -> Any:
    await db.connect(dsn, settings)
    try:
        return await work()
    finally:
        await db.close()


def run_in_database(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    with db.database_url(settings) as dsn:
        return asyncio.run(with_database(settings, dsn, work))


# --------------------------------------------------------------------------- commands


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from api.app import create_app

    with db.database_url(settings) as dsn:

        async def prepare() -> None:
            applied = await migrate.migrate()
            if applied:
                log.info("db.migrated", applied=applied)
            if args.demo:
                from efa_registry.seeding import seed

                await seed(demo=True)

        asyncio.run(with_database(settings, dsn, prepare))
        log.info("serve.listening", url=f"http://{settings.host}:{settings.port}",
                 docs=f"http://{settings.host}:{settings.port}/schema")
        uvicorn.run(create_app(settings, dsn=dsn), host=settings.host, port=settings.port,
                    log_config=None, access_log=False, proxy_headers=True)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    applied = run_in_database(settings, migrate.migrate)
    print(f"applied {len(applied)} migrations" + (": " + ", ".join(applied) if applied else ""))


def cmd_seed(settings: Settings, args: argparse.Namespace) -> None:
    from efa_registry.seeding import seed

    async def work() -> ImportSummary:
        await migrate.migrate()
        return await seed(demo=args.demo)

    print("\n".join(run_in_database(settings, work).lines()))


def cmd_import(settings: Settings, args: argparse.Namespace) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise SystemExit(f"no such file: {path}")
    importer = _importer(args.kind)
    progress = terminal_progress(args.kind)

    async def work() -> ImportSummary:
        await migrate.migrate()
        return await importer(path, progress=progress)

    print("\n".join(run_in_database(settings, work).lines()))


def _importer(kind: str) -> Callable[..., Awaitable[ImportSummary]]:
    if kind == "gv100ad":
        from efa_registry.areas.gv100ad import import_gv100ad

        return import_gv100ad
    from efa_registry.ozg import catalogue_import

    return {"ozg-leistungen": catalogue_import.import_ozg_leistungen,
            "leika": catalogue_import.import_leika}[kind]


def cmd_settings(settings: Settings, args: argparse.Namespace) -> None:
    for variable, description in Settings.describe():
        print(f"{variable}\n    {description.split(' — ', 1)[-1]}")


IMPORT_KINDS = ["gv100ad", "ozg-leistungen", "leika"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="efa-registry", description="The EfA reuse registry.")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, then serve the API (embedded PostgreSQL "
                           "unless EFA_DATABASE_URL is set)")
    serve.add_argument("--demo", action="store_true", help="load the demo content first")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="apply pending migrations").set_defaults(func=cmd_migrate)
    seed = sub.add_parser("seed", help="load reference facts (Länder, Themenfelder); idempotent")
    seed.add_argument("--demo", action="store_true", help="also load the demo content")
    seed.set_defaults(func=cmd_seed)
    imp = sub.add_parser("import", help="import an official data file (all-or-nothing)")
    imp.add_argument("kind", choices=IMPORT_KINDS)
    imp.add_argument("file")
    imp.set_defaults(func=cmd_import)
    sub.add_parser("settings", help="list the EFA_* settings").set_defaults(func=cmd_settings)
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    configure_logging(settings)
    try:
        args.func(settings, args)
    except DomainError as exc:
        raise SystemExit(f"error: {exc}") from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
