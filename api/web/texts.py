"""German wording of the pages: labels for the core's enum values and number/date formats.

The core speaks English identifiers (``in_development``); people read German. One table per
enum keeps every page consistent, and the Jinja filters keep formatting out of the templates.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from jinja2 import Environment

from efa_registry.errors import AlreadyExists, InvalidReference
from efa_registry.rollout.model import Forecast
from efa_registry.types import LABELS

# The German labels of the core's values live beside the values (efa_registry/types.py), where the
# feed titles take them from too.
SOLUTION_STATUS = LABELS["SolutionStatus"]
INTERFACE_KIND = LABELS["InterfaceKind"]
INTERFACE_STATUS = LABELS["InterfaceStatus"]
ADOPTION_STATUS = LABELS["AdoptionStatus"]
REUSE_ROUTE = LABELS["ReuseRoute"]
ROLLOUT_LEVEL = LABELS["RolloutLevel"]
AREA_LEVEL = LABELS["AreaLevel"]
ROLE = LABELS["Role"]
ROLLOUT_UNITS = {"gemeinde": "Gemeinden", "kreis": "Kreise und kreisfreie Städte", "land": "Länder"}
# The eligible units of a rollout level in the cases the pages need: "3 von 13 berechtigten
# Kreisen und kreisfreien Städten" (dative), "Anteil der Kreise und kreisfreien Städte" (genitive).
UNITS_CASES = {
    "gemeinde": {"nom": "Gemeinden", "dat": "Gemeinden", "gen": "Gemeinden"},
    "kreis": {"nom": "Kreise und kreisfreie Städte", "dat": "Kreisen und kreisfreien Städten",
              "gen": "Kreise und kreisfreien Städte"},
    "land": {"nom": "Länder", "dat": "Ländern", "gen": "Länder"},
}
# Languages a solution's texts may come in from another catalogue, for "liegt nur auf Englisch vor".
LANGUAGE = {"en": "Englisch", "fr": "Französisch", "it": "Italienisch", "es": "Spanisch", "nl": "Niederländisch",
            "pl": "Polnisch", "cs": "Tschechisch", "da": "Dänisch", "pt": "Portugiesisch", "sv": "Schwedisch",
            "fi": "Finnisch", "et": "Estnisch", "lt": "Litauisch", "lv": "Lettisch", "uk": "Ukrainisch",
            "tr": "Türkisch", "ar": "Arabisch", "ru": "Russisch", "el": "Griechisch", "hu": "Ungarisch",
            "ro": "Rumänisch", "sl": "Slowenisch", "sk": "Slowakisch", "hr": "Kroatisch", "bg": "Bulgarisch",
            "no": "Norwegisch", "nb": "Norwegisch", "lb": "Luxemburgisch", "hsb": "Obersorbisch",
            "dsb": "Niedersorbisch", "fy": "Friesisch", "frr": "Nordfriesisch"}
# Button text for moving an adoption to a status (a paused adoption's resume reads "Fortsetzen (…)").
TRANSITION_BUTTON = {"agreed": "Vereinbaren", "onboarding": "Onboarding beginnen", "live": "Live schalten",
                     "paused": "Pausieren", "withdrawn": "Zurückziehen"}

NBSP = "\u00a0"
# Upper bounds of the map's colour classes (api.web.maps.CLASSES), which the percent text must respect.
CLASS_BOUNDARIES = (0.25, 0.5, 0.75, 1.0)


def prozent(share: float | None) -> str:
    """A share as German percent text with one decimal. Rounded, except where rounding would
    cross a colour class boundary of the map: 24.96 % reads "24,9 %" (its tile is in the class
    below 25 %), and only a complete rollout reads "100 %"."""
    if share is None:
        return "–"
    if share <= 0:
        return f"0{NBSP}%"
    if share >= 1:
        return f"100{NBSP}%"
    tenths = round(share * 1000) / 10
    if any(share < boundary <= tenths / 100 for boundary in CLASS_BOUNDARIES):
        tenths = math.floor(share * 1000) / 10
    if tenths == 0:
        return f"unter 0,1{NBSP}%"
    return f"{tenths:.1f}".replace(".", ",") + f"{NBSP}%"


def zahl(value: int | float | None) -> str:
    """German thousands separator: 10751 → "10.751"."""
    if value is None:
        return "–"
    return f"{value:,}".replace(",", ".")


def datum(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%d.%m.%Y, %H:%M Uhr")
    return value.strftime("%d.%m.%Y")


MONTHS = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez.")


def stand(edition: str) -> str:
    """An edition as people read it: an ISO date in German form, any other label as it is."""
    try:
        return datum(dt.date.fromisoformat(edition))
    except ValueError:
        return edition.removeprefix("Stand ")


def monat(value: dt.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


MONATE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")
NONE_ADDED = {"gemeinde": "keine Gemeinde", "kreis": "kein Kreis und keine kreisfreie Stadt", "land": "kein Land"}


def monat_lang(value: dt.date) -> str:
    return f"{MONATE[value.month - 1]} {value.year}"


def tempo(pace: float) -> str:
    """Units per month with one decimal, never "0,0" for a pace above zero (1 in 12 months is 0,1)."""
    tenths = max(round(pace * 10), 1) if pace > 0 else 0
    return f"{tenths // 10},{tenths % 10}"


def prognose(forecast: Forecast | None, level: str | None) -> str:
    """The forecast as one German sentence (method: docs/forecast.md)."""
    if forecast is None or forecast.state == "no_units":
        return ""
    units, all_units = einheiten(level, "nom"), f"alle berechtigten {einheiten(level, 'gen')}"
    if forecast.state == "done":
        return f"Flächendeckend: {all_units} sind live."
    if forecast.state == "no_progress":
        return (f"Bei diesem Tempo nicht absehbar: in den letzten 12 Monaten kam "
                f"{NONE_ADDED.get(level or 'gemeinde', 'keine Einheit')} hinzu.")
    pace = f"≈ {tempo(forecast.pace_per_month or 0)} {units} pro Monat in den letzten 12 Monaten"
    if forecast.state == "beyond_horizon" or forecast.complete_by is None:
        return f"Bei gleichem Tempo ({pace}) wären {all_units} erst in mehr als 100 Jahren live."
    return f"Bei gleichem Tempo ({pace}) wären im {monat_lang(forecast.complete_by)} {all_units} live."


def prognose_kurz(forecast: Forecast | None) -> str:
    """The forecast in a table cell: the month, or why there is none."""
    if forecast is None or forecast.state == "no_units":
        return "–"
    return {"done": "erreicht", "no_progress": "nicht absehbar", "beyond_horizon": "in über 100 Jahren"}.get(
        forecast.state, monat_lang(forecast.complete_by) if forecast.complete_by else "–")


def einheiten(level: str | None, case: str = "nom") -> str:
    """The eligible units of ``level`` in a grammatical case (nom, dat, gen)."""
    return UNITS_CASES.get(level or "gemeinde", UNITS_CASES["gemeinde"])[case]


def label(value: str | None, table: dict[str, str]) -> str:
    if value is None:
        return "keine Angabe"
    return table.get(value, value)


def register(env: Environment) -> None:
    """Filters and label tables for every template."""
    env.filters.update(prozent=prozent, zahl=zahl, datum=datum, monat=monat, label=label, einheiten=einheiten,
                       stand=stand, monat_lang=monat_lang, prognose_kurz=prognose_kurz)
    env.globals.update(prognose=prognose)
    env.globals.update(SOLUTION_STATUS=SOLUTION_STATUS, INTERFACE_KIND=INTERFACE_KIND,
                       INTERFACE_STATUS=INTERFACE_STATUS, ADOPTION_STATUS=ADOPTION_STATUS, REUSE_ROUTE=REUSE_ROUTE,
                       ROLLOUT_LEVEL=ROLLOUT_LEVEL, ROLLOUT_UNITS=ROLLOUT_UNITS, AREA_LEVEL=AREA_LEVEL, ROLE=ROLE,
                       TRANSITION_BUTTON=TRANSITION_BUTTON, LANGUAGE=LANGUAGE)


# The core's refusals in German: the API gives integrators the core's English, the curation pages
# say the same in German. Checked in order; what no pattern knows gets its kind's sentence.
_CORE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), text) for p, text in (
    (r"slug '(.*)' is reserved", "Der Kurzname „{}“ ist für eine Adresse der Seiten reserviert."),
    (r"has the form of a UUID", "Ein Kurzname darf nicht wie eine UUID aussehen; bitte ein lesbares Wort wählen."),
    (r"with this slug exists|has the slug", "Diesen Kurznamen trägt schon ein anderer Eintrag."),
    (r"reifegrad needs reifegradModel", "Zu einem Reifegrad gehört das Reifegradmodell (1.1 oder 2.0)."),
    (r"reifegradModel needs a reifegrad", "Zum Reifegradmodell gehört ein Reifegrad."),
    (r"Reifegrad model (\S+) has levels 0–(\d+)", "Das Reifegradmodell {} kennt die Stufen 0 bis {}."),
    (r"Reifegrad out of range", "Der Reifegrad liegt außerhalb der Stufen seines Modells (1.1: 0–4, 2.0: 0–7)."),
    (r"available solution must implement", "Eine verfügbare Lösung muss mindestens eine OZG-Leistung umsetzen."),
    (r"deprecated interface needs a sunsetOn", "Eine abgekündigte Schnittstelle braucht ein Abschaltdatum."),
    (r"sunsetOn is only for", "Ein Abschaltdatum haben nur abgekündigte oder abgeschaltete Schnittstellen."),
    (r"unknown OZG-IDs: (.*)", "Diese OZG-IDs gibt es im OZG-Katalog nicht: {}."),
    (r"no organisation (.*)", "Eine Organisation „{}“ ist nicht eingetragen."),
    (r"cannot be removed", "Dieses Feld darf nicht leer bleiben."),
    (r"liveSince cannot lie in the future", "Das Live-Datum darf nicht in der Zukunft liegen."),
    (r"only the coordination office may set liveSince", "Nur die Koordinierungsstelle darf das Live-Datum setzen."),
    (r"liveSince belongs to a live adoption", "Ein Live-Datum hat nur eine Nachnutzung, die live ist."),
    (r"already has an open adoption", "Für dieses Gebiet gibt es schon eine offene Nachnutzung dieser Lösung."),
    (r"no current area with ARS (.*)", "Für diese Regionalschlüssel gibt es kein aktuelles Gebiet: {}."),
    (r"no area with this ARS", "Kein Gebiet hat diesen Regionalschlüssel."),
    (r"without an administration cannot adopt: (.*)", "Gemeindefreie Gebiete können nicht nachnutzen: {}."),
    (r"interfaces not offered by this solution: (.*)", "Diese Schnittstellen gehören nicht zu dieser Lösung: {}."),
))
_CORE_KINDS = ((AlreadyExists, "Diesen Wert gibt es schon."), (InvalidReference, "Diesen Eintrag gibt es nicht."))


def core_message(exc: Exception) -> str:
    """The core's refusal ``exc`` (its English ``detail``) as a German sentence."""
    detail = str(getattr(exc, "detail", "") or "")
    for pattern, text in _CORE_MESSAGES:
        if found := pattern.search(detail):
            return text.format(*found.groups())
    return next((text for kind, text in _CORE_KINDS if isinstance(exc, kind)), "Dieser Wert wird so nicht angenommen.")
