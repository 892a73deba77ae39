"""The commands of ``efa-registry`` (the parser is in ``cli/__init__.py``): each gets the settings
and the parsed arguments, prints what a person needs, and raises a domain error on failure."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import structlog

from efa_registry import db
from efa_registry.cli import german
from efa_registry.db import embedded, migrate
from efa_registry.kit.importing import ImportSummary, Progress, no_progress
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
    with embedded.database_url(settings) as dsn:
        return asyncio.run(with_database(settings, dsn, work))


# --------------------------------------------------------------------------- commands


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    applied = run_in_database(settings, migrate.migrate)
    print(f"{len(applied)} Migrationen angewandt" + (": " + ", ".join(applied) if applied else ""))


def cmd_seed(settings: Settings, args: argparse.Namespace) -> None:
    from efa_registry.seeding import seed

    async def work() -> ImportSummary:
        await migrate.migrate()
        return await seed(args.seed_dir, demo=args.demo)

    print("\n".join(run_in_database(settings, work).lines(german.message)))


def cmd_import(settings: Settings, args: argparse.Namespace) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise SystemExit(f"Fehler: Datei nicht gefunden: {path}")
    if args.kind == "publiccode":
        if not args.provider:
            raise SystemExit("Fehler: import publiccode braucht --provider ORG (UUID oder Kurzname)")
        cmd_import_publiccode(settings, path, args.provider)
        return
    importer = _importer(args.kind)
    progress = terminal_progress(args.kind)

    async def work() -> ImportSummary:
        from efa_registry.seeding import seed

        await migrate.migrate()
        # Reference facts the imports refer to; the shipped areas and catalogue too, unless this
        # import replaces them anyway.
        await seed(args.seed_dir, official=args.kind not in ("gv100ad", "ozg-leistungen"))
        return await importer(path, progress=progress)

    print("\n".join(run_in_database(settings, work).lines(german.message)))


def _importer(kind: str) -> Callable[..., Awaitable[ImportSummary]]:
    if kind == "gv100ad":
        from efa_registry.areas.gv100ad_import import import_gv100ad

        return import_gv100ad
    if kind == "adoptions":
        from efa_registry.adoptions.csv_import import import_adoptions

        return import_adoptions
    from efa_registry.ozg import catalogue_import

    return {"ozg-leistungen": catalogue_import.import_ozg_leistungen,
            "leika": catalogue_import.import_leika}[kind]


def cmd_token(settings: Settings, args: argparse.Namespace) -> None:
    import datetime as dt
    import uuid

    from efa_registry.access import tokens
    from efa_registry.access.model import Actor

    async def work() -> None:
        await migrate.migrate()
        if args.token_command == "create":
            expires = dt.datetime.combine(args.expires, dt.time.max, dt.UTC) if args.expires else None
            organisation = await _organisation_id(args.organisation) if args.organisation else None
            record, secret = await tokens.create_token(
                tokens.NewToken(role=args.role, name=args.name, organisation_id=organisation, ars=tuple(args.ars),
                                expires_at=expires), actor=Actor.cli())
            print(f"Token {record.id} ({record.role}, {record.name})")
            print(f"Geheimnis (wird nur jetzt gezeigt, bitte sicher ablegen): {secret}")
        elif args.token_command == "list":
            listed = await tokens.list_tokens()
            if not listed:
                print("Noch keine Tokens. Ein erstes Token: efa-registry token create --role curator --name NAME")
            for t in listed:
                print(f"{t.id}  {t.role:<10} {t.state(_now()):<8} {t.prefix}…  {t.name}  "
                      f"org={t.organisation_id or '-'} ars={','.join(t.ars) or '-'} expires={t.expires_at or '-'}")
        else:
            t = await tokens.revoke_token(uuid.UUID(args.id), actor=Actor.cli())
            print(f"Widerrufen: {t.id} ({t.name})")

    run_in_database(settings, work)


def _now():
    import datetime as dt

    return dt.datetime.now(dt.UTC)


async def _organisation_id(key: str):
    from efa_registry.organisations.service import get_organisation

    return (await get_organisation(key)).id


def cmd_worker(settings: Settings, args: argparse.Namespace) -> None:
    from efa_registry.webhooks.delivery import run_until_signalled

    async def work() -> None:
        await migrate.migrate()
        await run_until_signalled(settings)

    run_in_database(settings, work)


def cmd_export(settings: Settings, args: argparse.Namespace) -> None:
    from efa_registry.transfer.backup import export_dir

    async def work():
        await migrate.migrate()
        return await export_dir(Path(args.dir), progress=terminal_progress("export"))

    print("\n".join(run_in_database(settings, work).lines(german.message)))


def cmd_restore(settings: Settings, args: argparse.Namespace) -> None:
    from efa_registry.transfer.backup import restore_dir

    async def work():
        await migrate.migrate()
        return await restore_dir(Path(args.dir), progress=terminal_progress("restore"),
                                 feed="rebase" if args.rebase_feed else "preserve")

    print("\n".join(run_in_database(settings, work).lines(german.message)))


def cmd_import_publiccode(settings: Settings, path: Path, provider: str) -> None:
    from efa_registry.access.model import Actor
    from efa_registry.solutions.publiccode_import import import_publiccode

    data = path.read_bytes()

    async def work():
        await migrate.migrate()
        return await import_publiccode(data, provider=provider, actor=Actor.cli())

    result = run_in_database(settings, work)
    print(f"Lösung {result.solution.slug} {'angelegt' if result.created else 'aktualisiert'} "
          f"(Version {result.solution.version})")
    for field in result.unmapped_fields:
        print(f"  nicht übernommen: {field}")
    for warning in result.warnings:  # imported anyway; on stderr, apart from the result
        print(f"Warnung: {german.message(warning)}", file=sys.stderr)


def flag_overrides(args: argparse.Namespace) -> dict[str, object]:
    """Settings given as flags (``serve --host --port --data-dir --workers``): they win over EFA_* variables."""
    return {name: getattr(args, name, None) for name in ("host", "port", "data_dir", "workers")}


SOURCE_LABELS = {"default": "Vorgabe", "environment": "Umgebungsvariable", "command line": "Kommandozeile"}


def cmd_settings(settings: Settings, args: argparse.Namespace) -> None:
    descriptions = dict(Settings.describe())
    for variable, value, source in Settings.explain(**flag_overrides(args)):
        print(f"{variable}={value}    ({SOURCE_LABELS[source]})\n    {descriptions[variable].split(' — ', 1)[-1]}")
