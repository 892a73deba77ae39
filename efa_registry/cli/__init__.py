"""The ``efa-registry`` command line: the parser, exit codes and the entry point.

The commands live in ``cli.commands``; ``serve`` is added from ``api/cli.py`` (the core knows no
HTTP), which also passes the seed directory in.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from efa_registry.cli import commands, german
from efa_registry.errors import DatabaseNotReady, DomainError
from efa_registry.log import configure_logging
from efa_registry.settings import InvalidSettings, Settings

# Exit codes, documented in the README and in every --help.
OK, FAILED, USAGE, CONFIGURATION, ADDRESS_IN_USE, INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_CODES = (
    "Exit-Codes: 0 erledigt · 1 fehlgeschlagen (Import abgelehnt, Token unbekannt, Datenbank nicht "
    "erreichbar) · 2 falscher Aufruf · 3 ungültige Einstellung · 4 Adresse belegt (serve) · 130 abgebrochen"
)

IMPORT_KINDS = {
    "gv100ad": "Gemeindeverzeichnis GV100AD von Destatis: feste Satzlänge (220 Zeichen), UTF-8 "
               "(mit oder ohne BOM) oder ISO-8859-1; eine neuere Ausgabe ersetzt die Gebiete",
    "ozg-leistungen": "OZG-Katalog als CSV (Spalten ozg_id, ozg_leistung, lage, themenfeld …; "
                      "Trenner , oder ;): OZG-Leistungen, Lagen, Themenfelder",
    "leika": "LeiKa-Zuordnung als CSV (Spalten leika_schluessel, leika_typisierung, ozg_id …)",
    "adoptions": "Nachnutzungen als CSV (Spalten solution, ars oder name, status; optional land und "
                 "kreis als Hinweise zum Namen, live_since, planned_live_on, note; Datum JJJJ-MM-TT oder "
                 "TT.MM.JJJJ; Trenner , oder ;): ein mehrdeutiger oder unbekannter Name wird mit "
                 "Zeilennummer gemeldet, nie geraten",
    "publiccode": "eine publiccode.yml (Version 0.2–0.4) als Lösung der Organisation --provider",
}

Extension = Callable[[argparse._SubParsersAction], None]


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"kein Datum (JJJJ-MM-TT): {text}") from exc


def _sub(sub: argparse._SubParsersAction, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, description=f"{summary}. {description}", epilog=EXIT_CODES)


def _add_data_commands(sub: argparse._SubParsersAction) -> None:
    _sub(sub, "migrate", "ausstehende Datenbankmigrationen anwenden",
         "Beliebig wiederholbar: angewandte Migrationen werden übersprungen.").set_defaults(func=commands.cmd_migrate)
    seed = _sub(sub, "seed", "Referenzdaten laden",
                "Die 16 Länder und 14 Themenfelder, das mitgelieferte GV100AD vom 30.11.2025 (alle "
                "Gemeinden und Kreise) und den OZG-Katalog mit seinen LeiKa-Einträgen. Wiederholbar; eine "
                "mit `import gv100ad` geladene neuere Ausgabe bleibt erhalten.")
    seed.add_argument("--demo", action="store_true", help="auch die gekennzeichneten Demo-Organisationen, "
                      "-Lösungen und -Nachnutzungen laden")
    seed.set_defaults(func=commands.cmd_seed)
    kinds = "\n".join(f"  {kind:<15} {text}" for kind, text in IMPORT_KINDS.items())
    imp = sub.add_parser("import", help="eine Datei importieren (ganz oder gar nicht)",
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         description="Eine Datei importieren: jeder fehlerhafte Datensatz wird mit Zeilennummer "
                                     f"gemeldet, und dann wird nichts geschrieben.\n\nArten:\n{kinds}",
                         epilog=EXIT_CODES)
    imp.add_argument("kind", choices=list(IMPORT_KINDS), metavar="ART", help="was die Datei enthält (siehe oben)")
    imp.add_argument("file", metavar="DATEI", help="die zu importierende Datei")
    imp.add_argument("--provider", help="anbietende Organisation, UUID oder Kurzname (publiccode)")
    imp.set_defaults(func=commands.cmd_import)


def _add_transfer_commands(sub: argparse._SubParsersAction) -> None:
    _sub(sub, "worker", "den Webhook-Zusteller allein starten",
         "Läuft bis SIGINT oder SIGTERM; mehrere Zusteller stellen denselben Versuch nie doppelt zu."
         ).set_defaults(func=commands.cmd_worker)
    export = _sub(sub, "export", "die ganze Registry in VERZEICHNIS sichern",
                  "Ein in sich stimmiger Stand samt Manifest.")
    export.add_argument("dir", metavar="VERZEICHNIS")
    export.set_defaults(func=commands.cmd_export)
    restore = _sub(sub, "restore", "eine Sicherung aus VERZEICHNIS wiederherstellen",
                   "In eine leere Datenbank mit denselben Migrationen.")
    restore.add_argument("dir", metavar="VERZEICHNIS")
    restore.add_argument("--rebase-feed", action="store_true",
                         help="Transaktionsnummern der Ereignisse neu vergeben (gespeicherte Feed-Cursor "
                              "gelten dann nicht mehr)")
    restore.set_defaults(func=commands.cmd_restore)


def _add_token_commands(sub: argparse._SubParsersAction) -> None:
    token = _sub(sub, "token", "API-Tokens ausgeben, auflisten und widerrufen",
                 "Gespeichert wird nur ein Hash jedes Geheimnisses.")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="AKTION")
    create = token_sub.add_parser("create", help="ein Token ausgeben und sein Geheimnis einmal zeigen",
                                  epilog=EXIT_CODES)
    create.add_argument("--role", required=True, choices=["curator", "provider", "adopter", "integrator"],
                        help="Rolle: Koordinierungsstelle, Anbieter, Nachnutzer oder Integrator")
    create.add_argument("--name", required=True, help="wer es hält, z. B. 'OZG-Koordinierung NRW'")
    create.add_argument("--organisation", help="Organisation als UUID oder Kurzname (Anbieter-Tokens)")
    create.add_argument("--ars", nargs="*", default=[], help="ARS, für die das Token handelt (Nachnutzer)")
    create.add_argument("--expires", type=_date, help="letzter gültiger Tag, JJJJ-MM-TT")
    token_sub.add_parser("list", help="Tokens auflisten (nie ihre Geheimnisse)", epilog=EXIT_CODES)
    revoke = token_sub.add_parser("revoke", help="ein Token widerrufen", epilog=EXIT_CODES)
    revoke.add_argument("id", help="die ID des Tokens (aus `token list`)")
    token.set_defaults(func=commands.cmd_token)
    _sub(sub, "settings", "alle EFA_*-Einstellungen zeigen",
         "Den aktuellen Wert (Geheimnisse maskiert), woher er kommt und was er bewirkt."
         ).set_defaults(func=commands.cmd_settings)


def parser(extensions: Sequence[Extension] = ()) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="efa-registry", epilog=EXIT_CODES,
                                description="Die EfA-Nachnutzungsregistry: Katalog, Nachnutzungen und Rollout "
                                            "der OZG-Onlinedienste. Einstellungen kommen aus EFA_*-Variablen "
                                            "(siehe `efa-registry settings`); Optionen haben Vorrang.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for extend in extensions:
        extend(sub)
    _add_data_commands(sub)
    _add_transfer_commands(sub)
    _add_token_commands(sub)
    return p


def main(argv: list[str] | None = None, *, extensions: Sequence[Extension] = (), seed_dir: Path) -> None:
    args = parser(extensions).parse_args(argv)
    args.seed_dir = seed_dir
    try:
        settings = Settings.from_env(**commands.flag_overrides(args))
        configure_logging(settings)
        args.func(settings, args)
    except InvalidSettings as exc:
        print(f"Fehler: {exc.args[0]}", file=sys.stderr)
        raise SystemExit(CONFIGURATION) from None
    except (DomainError, DatabaseNotReady) as exc:
        print(f"Fehler: {german.error(exc)}", file=sys.stderr)
        raise SystemExit(FAILED) from None
    except KeyboardInterrupt:
        raise SystemExit(INTERRUPTED) from None
