"""What the command line tells the operator, in German: the core's import refusals and skipped
lines (the API gives integrators the core's English). Checked in order; a message no pattern
knows is shown as the core wrote it rather than not at all."""

from __future__ import annotations

import re

from efa_registry.errors import DomainError, ImportFailed

MAX_LINES = 20

_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), text) for p, text in (
    # Reading the file (kit.textfiles)
    (r"^(.*): the file is UTF-8 with bytes that are not$", "{}: Die Datei ist UTF-8, enthält aber Bytes, die kein "
                                                          "UTF-8 sind"),
    (r"^byte (0x..) at position (\d+) is not UTF-8$", "Byte {} an Position {} ist kein UTF-8"),
    (r"^(.*): the file holds NUL characters \(UTF-16 or no text file\?\)$",
     "{}: Die Datei enthält NUL-Zeichen (UTF-16 oder keine Textdatei?)"),
    (r"^a NUL character$", "ein NUL-Zeichen"),
    (r"^the file holds control characters$", "Die Datei enthält Steuerzeichen"),
    (r"^control character (U\+[0-9A-F]{4}) at position (\d+)$", "Steuerzeichen {} an Position {}"),
    (r"^(.*): the gzip file is damaged$", "{}: Die gzip-Datei ist beschädigt"),
    (r"^(.*): the ZIP archive is damaged$", "{}: Das ZIP-Archiv ist beschädigt"),
    (r"^(.*): the archive must hold exactly one file to import$",
     "{}: Das Archiv muss genau eine zu importierende Datei enthalten"),
    (r"^found: (.*)$", "gefunden: {}"),
    (r"^(.*): the archive unpacks to more than (\d+) MB; no import file is that large$",
     "{}: Das Archiv entpackt sich zu mehr als {} MB; so groß ist keine Importdatei"),
    (r"^the file is no well-formed CSV$", "Die Datei ist kein wohlgeformtes CSV"),
    (r"^unexpected end of data$", "Dateiende in einem Feld mit offenem Anführungszeichen"),
    # GV100AD
    (r"^GV100AD: (\d+) malformed records$", "GV100AD: {} fehlerhafte Sätze, nichts importiert"),
    (r"^GV100AD: the file holds no records$", "GV100AD: Die Datei enthält keine Sätze"),
    (r"^GV100AD: the file leaves out (.*); every edition lists all Länder \(is the file cut short\?\)$",
     "GV100AD: In der Datei fehlen {}; jede Ausgabe führt alle Länder (ist die Datei abgeschnitten?)"),
    (r"^no record of (.*)$", "kein Satz für {}"),
    (r"^unknown Satzart (.*)$", "unbekannte Satzart {}"),
    (r"^control character (.*) at position (\d+) \(a tab shifts the columns\)$",
     "Steuerzeichen {} an Position {} (ein Tabulator verschiebt die Spalten)"),
    (r"^control character (.*) at position (\d+)$", "Steuerzeichen {} an Position {}"),
    (r"^record too short: (\d+) characters, Satzart (\d+) needs (\d+)$",
     "Satz zu kurz: {} Zeichen, Satzart {} braucht {}"),
    (r"^record longer than (\d+) characters: line breaks missing\?$",
     "Satz länger als {} Zeichen: fehlen Zeilenumbrüche?"),
    (r"^malformed Regionalschlüssel (.*)$", "ungültiger Regionalschlüssel {}"),
    (r"^malformed Gebietsstand (.*)$", "ungültiger Gebietsstand {}"),
    (r"^malformed Textkennzeichen (.*)$", "ungültiges Textkennzeichen {}"),
    (r"^name is blank$", "der Name ist leer"),
    (r"^(.*) is not a number: (.*)$", "{} ist keine Zahl: {}"),
    (r"^(.*) (\d+) is out of range$", "{} {} ist größer, als sich speichern lässt"),
    (r"^(ARS|AGS) (\S+) already on line (\d+)$", "{} {} steht schon in Zeile {}"),
    (r"^no parent area (.*) in the file$", "kein übergeordnetes Gebiet {} in der Datei"),
    (r"^Gebietsstand (\S+), the other records (\S+)$", "Gebietsstand {}, die übrigen Sätze {}"),
    (r"^the figures of a Land add up beyond what can be stored$",
     "die Zahlen eines Landes ergeben mehr, als sich speichern lässt"),
    # OZG catalogue and LeiKa
    (r"^not an OZG catalogue file of this kind$", "Keine OZG-Katalogdatei dieser Art"),
    (r"^missing columns?(?:\(s\))?: (.*)$", "fehlende Spalten: {}"),
    (r"^(\d+) fields, the header has (\d+) \(a separator in an unquoted note\?\)$",
     "{} Felder, die Kopfzeile hat {} (ein Trennzeichen in einer Notiz ohne Anführungszeichen?)"),
    (r"^(\d+) fields, the header has (\d+)$", "{} Felder, die Kopfzeile hat {}"),
    (r"^(.*): (\d+) malformed rows, nothing imported$", "{}: {} fehlerhafte Zeilen, nichts importiert"),
    (r"^OZG-ID (.*) is not numeric \(1–6 digits\)$", "OZG-ID {} ist keine Zahl (1–6 Ziffern)"),
    (r"^OZG-ID (\S+) is named (.*) on line (\d+)$", "OZG-ID {} heißt {} in Zeile {}"),
    (r"^OZG-ID (\S+) is not in the catalogue \(import the OZG-Leistungen first\)$",
     "OZG-ID {} steht nicht im Katalog (zuerst die OZG-Leistungen importieren)"),
    (r"^ozg_leistung is empty or longer than 300 characters$", "ozg_leistung ist leer oder länger als 300 Zeichen"),
    (r"^unknown Themenfeld (.*)$", "unbekanntes Themenfeld {}"),
    (r"^Lage (.*) is not a usable name$", "Lage {} ist kein brauchbarer Name"),
    (r"^leika_leistung is empty or longer than 500 characters$",
     "leika_leistung ist leer oder länger als 500 Zeichen"),
    (r"^leika_typisierung (.*) is not a LeiKa-Typ such as '2/3'$", "leika_typisierung {} ist kein LeiKa-Typ wie '2/3'"),
    (r"^sdg1_relevanz/sdg2_relevanz must be 0, 1 or empty, not (.*)$",
     "sdg1_relevanz/sdg2_relevanz müssen 0, 1 oder leer sein, nicht {}"),
    (r"^no 14-digit LeiKa key \((.*)\)$", "kein 14-stelliger LeiKa-Schlüssel ({})"),
    (r"^LeiKa key (\S+) already on line (\d+)$", "LeiKa-Schlüssel {} steht schon in Zeile {}"),
    (r"^LeiKa key (\S+) was turned into a number by a spreadsheet; format the column as text$",
     "LeiKa-Schlüssel {} hat eine Tabellenkalkulation zur Zahl gemacht; die Spalte als Text formatieren"),
    # Adoptions
    (r"^(\d+) rows refused; nothing was imported$", "{} Zeilen abgelehnt; nichts importiert"),
    (r"^adoptions file lacks columns$", "Der Nachnutzungsdatei fehlen Spalten"),
    (r"^not a date: (.*)$", "kein Datum: {}"),
    (r"^not an ARS: (.*)$", "kein Regionalschlüssel: {}"),
    (r"^neither an ARS nor a name$", "weder Regionalschlüssel noch Name"),
    (r"^status (.*) is not one of (.*)$", "Status {} ist keiner von {}"),
    (r"^live_since lies in the future$", "live_since liegt in der Zukunft"),
    (r"^live_since lies before (.*)$", "live_since liegt vor dem {}"),
    (r"^planned_live_on must lie between (.*) and (.*)$", "planned_live_on muss zwischen {} und {} liegen"),
    (r"^no solution (.*)$", "keine Lösung {}"),
    (r"^(.*) is retired and takes no new adoptions$", "{} ist eingestellt und nimmt keine neuen Nachnutzungen an"),
    (r"^no current area with ARS (.*)$", "kein aktuelles Gebiet mit dem Regionalschlüssel {}"),
    (r"^no area named (.*)$", "kein Gebiet heißt {}"),
    (r"^(.*) fits several areas: (.*) — write the ARS, or add a land or kreis column$",
     "{} passt auf mehrere Gebiete: {} – Regionalschlüssel angeben oder eine Spalte land oder kreis ergänzen"),
    (r"^an area is listed twice$", "ein Gebiet steht zweimal in der Datei"),
    (r"^area (\S+) of (.*) already on line (\d+)$", "Gebiet {} für {} steht schon in Zeile {}"),
    # publiccode.yml warnings (imported anyway)
    (r"^publiccodeYmlVersion: (.*) is not one of (.*); read as 0\.4$",
     "publiccodeYmlVersion: {} ist keine von {}; gelesen als 0.4"),
    (r"^description: no German text; the registry took (.*)$", "description: kein deutscher Text; übernommen: {}"),
    (r"^(.*): longer than the standard's (\d+) characters; kept whole, shortened on export$",
     "{}: länger als die {} Zeichen des Standards; ganz übernommen, beim Export gekürzt"),
    (r"^(.*): not an https:// address; left out$", "{}: keine https://-Adresse; nicht übernommen"),
    (r"^maintenance\.type: (.*) is not one of (.*) \(the registry does not keep it\)$",
     "maintenance.type: {} ist keiner von {} (das Register speichert ihn nicht)"),
    (r"^(.*): not an e-mail address; left out$", "{}: keine E-Mail-Adresse; nicht übernommen"),
    (r"^(.*): missing; the short description stands in$", "{}: fehlt; die Kurzbeschreibung steht dafür"),
    (r"^(.*): shorter than the standard's 150 characters$", "{}: kürzer als die 150 Zeichen des Standards"),
    (r"^(.*): missing$", "{}: fehlt"),
    (r"^legal\.license: not an SPDX licence expression; kept as written, the reuse route is left for a curator$",
     "legal.license: kein SPDX-Lizenzausdruck; so übernommen, den Nachnutzungsweg setzt die Kuratierung"),
    (r"^de\.leika: no OZG-Leistung named; imported as planned until a curator adds one \(developmentStatus says "
     r"stable\)$", "de.leika: keine OZG-Leistung genannt; als geplant übernommen, bis die Kuratierung eine ergänzt "
                  "(developmentStatus sagt stable)"),
    (r"^name: the slug (\S+) belongs to the solution of (\S+); this repository became (\S+)$",
     "name: Der Kurzname {} gehört zur Lösung von {}; dieses Repository heißt {}"),
))


def message(text: str) -> str:
    """One of the core's messages in German, or as written when no pattern knows it."""
    for pattern, german in _MESSAGES:
        if found := pattern.match(text):
            return german.format(*found.groups())
    return text


def error(exc: DomainError) -> str:
    """The whole refusal as the CLI prints it after "Fehler:"."""
    if not isinstance(exc, ImportFailed):
        return str(exc)
    lines = [message(exc.detail), *(f"  Zeile {n}: {message(text)}" if n else f"  {message(text)}"
                                    for n, text in exc.errors[:MAX_LINES])]
    if len(exc.errors) > MAX_LINES:
        lines.append(f"  … und {len(exc.errors) - MAX_LINES} weitere")
    return "\n".join(lines)
