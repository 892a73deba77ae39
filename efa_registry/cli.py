"""The ``efa-registry`` command: serve, migrate, seed, import, settings."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import structlog

from efa_registry import db
from efa_registry.db import embedded, migrate
from efa_registry.errors import DomainError
from efa_registry.kit.importing import ImportSummary, Progress, no_progress
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
    with embedded.database_url(settings) as dsn:
        return asyncio.run(with_database(settings, dsn, work))


# --------------------------------------------------------------------------- commands


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    applied = run_in_database(settings, migrate.migrate)
    print(f"applied {len(applied)} migrations" + (": " + ", ".join(applied) if applied else ""))


def cmd_seed(settings: Settings, args: argparse.Namespace) -> None:
    from efa_registry.seeding import seed

    async def work() -> ImportSummary:
        await migrate.migrate()
        return await seed(demo=args.demo, reference_dir=settings.reference_data_dir)

    print("\n".join(run_in_database(settings, work).lines()))


def cmd_import(settings: Settings, args: argparse.Namespace) -> None:
    path = Path(args.file)
    if not path.is_file():
        raise SystemExit(f"no such file: {path}")
    if args.kind == "publiccode":
        if not args.provider:
            raise SystemExit("import publiccode needs --provider ORG (UUID or slug)")
        cmd_import_publiccode(settings, path, args.provider)
        return
    importer = _importer(args.kind)
    progress = terminal_progress(args.kind)

    async def work() -> ImportSummary:
        from efa_registry.seeding import seed

        await migrate.migrate()
        await seed()  # reference facts (Länder, Themenfelder) the imports refer to; idempotent
        return await importer(path, progress=progress)

    print("\n".join(run_in_database(settings, work).lines()))


def _importer(kind: str) -> Callable[..., Awaitable[ImportSummary]]:
    if kind == "gv100ad":
        from efa_registry.areas.gv100ad import import_gv100ad

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
            print(f"token {record.id} ({record.role}, {record.name})")
            print(f"secret (shown once, store it now): {secret}")
        elif args.token_command == "list":
            for t in await tokens.list_tokens():
                print(f"{t.id}  {t.role:<10} {t.state(_now()):<8} {t.prefix}…  {t.name}  "
                      f"org={t.organisation_id or '-'} ars={','.join(t.ars) or '-'} expires={t.expires_at or '-'}")
        else:
            t = await tokens.revoke_token(uuid.UUID(args.id), actor=Actor.cli())
            print(f"revoked {t.id} ({t.name})")

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

    print("\n".join(run_in_database(settings, work).lines()))


def cmd_restore(settings: Settings, args: argparse.Namespace) -> None:
    from efa_registry.transfer.backup import restore_dir

    async def work():
        await migrate.migrate()
        return await restore_dir(Path(args.dir), progress=terminal_progress("restore"),
                                 feed="rebase" if args.rebase_feed else "preserve")

    print("\n".join(run_in_database(settings, work).lines()))


def cmd_import_publiccode(settings: Settings, path: Path, provider: str) -> None:
    from efa_registry.access.model import Actor
    from efa_registry.solutions.publiccode_import import import_publiccode

    data = path.read_bytes()

    async def work():
        await migrate.migrate()
        return await import_publiccode(data, provider=provider, actor=Actor.cli())

    result = run_in_database(settings, work)
    print(f"{'created' if result.created else 'updated'} solution {result.solution.slug} "
          f"(version {result.solution.version})")
    for field in result.unmapped_fields:
        print(f"  not mapped: {field}")


def cmd_settings(settings: Settings, args: argparse.Namespace) -> None:
    for variable, description in Settings.describe():
        print(f"{variable}\n    {description.split(' — ', 1)[-1]}")


IMPORT_KINDS = ["gv100ad", "ozg-leistungen", "leika", "adoptions", "publiccode"]


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


# Adds subcommands from outside the core (``serve`` lives in api/cli.py: the core knows no HTTP).
Extension = Callable[[argparse._SubParsersAction], None]


def parser(extensions: Sequence[Extension] = ()) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="efa-registry", description="The EfA reuse registry.")
    sub = p.add_subparsers(dest="command", required=True)
    for extend in extensions:
        extend(sub)
    sub.add_parser("migrate", help="apply pending migrations").set_defaults(func=cmd_migrate)
    sub.add_parser("worker", help="run the webhook delivery worker on its own (until SIGINT/SIGTERM)"
                   ).set_defaults(func=cmd_worker)
    seed = sub.add_parser("seed", help="load reference facts (Länder, Themenfelder); idempotent")
    seed.add_argument("--demo", action="store_true", help="also load the demo content")
    seed.set_defaults(func=cmd_seed)
    imp = sub.add_parser("import", help="import an official data file (all-or-nothing)")
    imp.add_argument("kind", choices=IMPORT_KINDS)
    imp.add_argument("file")
    imp.add_argument("--provider", help="providing organisation (publiccode imports)")
    imp.set_defaults(func=cmd_import)
    export = sub.add_parser("export", help="back up the whole registry into DIR (one snapshot)")
    export.add_argument("dir")
    export.set_defaults(func=cmd_export)
    restore = sub.add_parser("restore", help="restore a backup from DIR into an empty database")
    restore.add_argument("dir")
    restore.add_argument("--rebase-feed", action="store_true",
                         help="renumber event transaction ids (saved feed cursors stop working)")
    restore.set_defaults(func=cmd_restore)
    token = sub.add_parser("token", help="mint, list and revoke API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="mint a token; prints the secret once")
    create.add_argument("--role", required=True, choices=["curator", "provider", "adopter", "integrator"])
    create.add_argument("--name", required=True, help="who holds it, e.g. 'OZG-Koordinierung NRW'")
    create.add_argument("--organisation", help="organisation UUID or slug (provider tokens)")
    create.add_argument("--ars", nargs="*", default=[], help="ARS the token acts for (adopter tokens)")
    create.add_argument("--expires", type=_date, help="last valid day, YYYY-MM-DD")
    token_sub.add_parser("list", help="list tokens (never their secrets)")
    revoke = token_sub.add_parser("revoke", help="revoke a token")
    revoke.add_argument("id")
    token.set_defaults(func=cmd_token)
    sub.add_parser("settings", help="list the EFA_* settings").set_defaults(func=cmd_settings)
    return p


def main(argv: list[str] | None = None, *, extensions: Sequence[Extension] = ()) -> None:
    args = parser(extensions).parse_args(argv)
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
