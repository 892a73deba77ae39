"""Constrained scalars of the domain, shared by core commands and wire schemas."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from msgspec import Meta

# Text that cannot be stored or passed on as text: NUL and lone surrogates (PostgreSQL refuses
# them: the \u0000 and \ud800 escapes of JSON and YAML), and every other character XML forbids
# (control characters but tab and line ends, U+FFFE, U+FFFF: one BEL in a name made the Atom feed
# and the SVG maps unreadable for everyone), the C1 controls, which terminals obey, and the bidi
# embeddings, overrides and isolates, which make a name read otherwise than it is written.
UNSTORABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
                        "|[\u202a-\u202e\u2066-\u2069]")
UNSTORABLE_TEXT = "must be valid UTF-8 text without control characters (NUL, BEL, ESC …)"

ARS_PATTERN = r"^[0-9]{2}([0-9]|[0-9]{2}|[0-9]{3}|[0-9]{7}|[0-9]{10})?$"
AGS_PATTERN = r"^[0-9]{8}$"
LAND_PATTERN = r"^(0[1-9]|1[0-6])$"
OZG_ID_PATTERN = r"^[0-9]{1,6}$"
LEIKA_KEY_PATTERN = r"^[0-9]{14}$"

Ars = Annotated[str, Meta(pattern=ARS_PATTERN,
                          description="Amtlicher Regionalschlüssel: 2 (Land), 3 (Regierungsbezirk), "
                          "4 (Region), 5 (Kreis), 9 (Gemeindeverband) or 12 (Gemeinde) digits",
                          examples=["05112", "051120000000"])]
Ags = Annotated[str, Meta(pattern=AGS_PATTERN, description="Amtlicher Gemeindeschlüssel (8 digits)",
                          examples=["05112000"])]
LandCode = Annotated[str, Meta(pattern=LAND_PATTERN, description="Land key (2 digits, 01–16)",
                               examples=["05"])]
OzgId = Annotated[str, Meta(pattern=OZG_ID_PATTERN, description="OZG-ID (numeric string)",
                            examples=["10000"])]
LeikaKey = Annotated[str, Meta(pattern=LEIKA_KEY_PATTERN, description="LeiKa key (14 digits)",
                               examples=["99012001000000"])]
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, Meta(pattern=SLUG_PATTERN, min_length=2, max_length=80,
                           description="URL-safe lower-case name", examples=["wohngeld-digital"])]
# Text as people enter it: no space, tab or line end at either end, and no text of spaces only
# (a name of five spaces, " Leerzeichen vorn"); a line (names) holds no line end at all.
# (``(?!\n)``: Python's ``$`` also matches before a final line end; JSON Schema's does not.)
LINE_PATTERN = r"^\S(?:[^\r\n]*\S)?$(?!\n)"
TEXT_PATTERN = r"^\S(?:[\s\S]*\S)?$(?!\n)"
# A point in time as a client sends it: with its offset (Z, +01:00), since a local time would be
# read as UTC, an hour off in Germany in winter and two in summer.
Instant = Annotated[dt.datetime, Meta(tz=True, description="Date and time with its offset, e.g. "
                                      "2026-05-01T00:00:00+02:00")]
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
Language = Annotated[str, Meta(pattern=LANGUAGE_PATTERN,
                               description="Language of the solution's name, summary and description: an ISO 639 "
                               "code (de; en, it … for entries taken from another catalogue; und: not known)",
                               examples=["de"])]
HttpsUrl = Annotated[str, Meta(pattern=r"^https://[^\s/$.?#][^\s]*$", max_length=2000,
                               description="An https URL", examples=["https://example.org/docs"])]

AreaLevel = Literal["land", "regierungsbezirk", "region", "kreis", "gemeindeverband", "gemeinde",
                    "gemeindefreies_gebiet"]
AREA_LEVELS: tuple[str, ...] = AreaLevel.__args__  # type: ignore[attr-defined]

ExecutionLevel = Literal["bund", "land", "kreis", "gemeinde"]
OrganisationKind = Literal["bund", "land", "kommune", "it_dienstleister", "verbund", "other"]
SolutionStatus = Literal["planned", "in_development", "pilot", "available", "retired"]
ReifegradModel = Literal["1.1", "2.0"]
ReuseRoute = Literal["fit_store", "marktplatz", "verwaltungsabkommen", "open_source"]
RolloutLevel = Literal["gemeinde", "kreis", "land"]
InterfaceKind = Literal["fit_connect", "xoev", "rest", "soap", "osci_xta", "file", "other"]
InterfaceStatus = Literal["planned", "active", "deprecated", "retired"]
AdoptionStatus = Literal["interested", "agreed", "onboarding", "live", "paused", "withdrawn"]
Role = Literal["curator", "provider", "adopter", "integrator"]
EntityType = Literal["area", "ozg_leistung", "organisation", "solution", "interface", "adoption",
                     "token", "webhook"]
DeliveryStatus = Literal["pending", "succeeded", "failed", "abandoned"]


def values(literal: object) -> tuple[str, ...]:
    """The allowed values of a ``Literal`` alias, e.g. for a CHECK constraint."""
    return literal.__args__  # type: ignore[attr-defined]


# German labels of the values above: the one place the web pages and the feed titles take their
# wording from (a test checks that every value has one).
LABELS: dict[str, dict[str, str]] = {
    "SolutionStatus": {"planned": "geplant", "in_development": "in Entwicklung", "pilot": "Pilotbetrieb",
                       "available": "verfügbar", "retired": "eingestellt"},
    "InterfaceKind": {"fit_connect": "FIT-Connect", "xoev": "XÖV-Standard", "rest": "REST-API", "soap": "SOAP",
                      "osci_xta": "OSCI/XTA", "file": "Dateiaustausch", "other": "sonstige"},
    "InterfaceStatus": {"planned": "geplant", "active": "aktiv", "deprecated": "abgekündigt", "retired": "eingestellt"},
    "AdoptionStatus": {"interested": "interessiert", "agreed": "vereinbart", "onboarding": "im Onboarding",
                       "live": "live", "paused": "pausiert", "withdrawn": "zurückgezogen"},
    "ReuseRoute": {"fit_store": "FIT-Store", "marktplatz": "Marktplatz", "verwaltungsabkommen": "Verwaltungsabkommen",
                   "open_source": "Open Source"},
    "RolloutLevel": {"gemeinde": "Gemeinde", "kreis": "Kreis", "land": "Land"},
    "AreaLevel": {"land": "Land", "regierungsbezirk": "Regierungsbezirk", "region": "Region",
                  "kreis": "Kreis / kreisfreie Stadt", "gemeindeverband": "Gemeindeverband", "gemeinde": "Gemeinde",
                  "gemeindefreies_gebiet": "gemeindefreies Gebiet"},
    "Role": {"curator": "Koordinierungsstelle", "provider": "Anbieter", "adopter": "Nachnutzer",
             "integrator": "Integrator"},
    "OrganisationKind": {"bund": "Bund", "land": "Land", "kommune": "Kommune", "it_dienstleister": "IT-Dienstleister",
                         "verbund": "Verbund", "other": "sonstige"},
}
