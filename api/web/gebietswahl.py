"""Which areas a person means on ``/vergleich``: keys from the address, names typed into the form.

A name goes through the area lookup (``GET /v1/areas?q=``, ``areas.service.list_areas``) and the
resolver (``POST /v1/areas/resolve``). The one area of exactly that name, or the one the resolver
is sure of, is taken; a near miss, several areas and five digits (a Kreis key or a Postleitzahl)
are offered as choices and never guessed. Every refusal is worded in
German here, before the core is asked, so that the page can say exactly which field is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from api.web.kommune_views import Choice, Entry, field_text
from api.web.texts import AREA_LEVEL
from api.web.views import land_name_map
from efa_registry.areas import names
from efa_registry.areas import service as areas
from efa_registry.areas.model import Area, AreaFilter, NameToResolve
from efa_registry.errors import NotFound
from efa_registry.scorecard import rules
from efa_registry.scorecard.service import AREA_KEY
from efa_registry.search import places

KEY_IN_TEXT = re.compile(r"\(\s*([0-9]{2,12})\s*\)\s*$")  # "Duisburg, Stadt (05112000)", as the form fills it in
LOOKUP_ROWS = 50
CHOICES = 8
MIN_TEXT, MAX_TEXT = 2, 100


def _same_body(a: Area, b: Area) -> bool:
    """One authority under two keys: a kreisfreie Stadt is a Kreis, a Gemeindeverband and a Gemeinde
    of one name, each key a prefix of the next."""
    return a.name == b.name and (a.ars.startswith(b.ars) or b.ars.startswith(a.ars))


def distinct(found: Sequence[Area]) -> list[Area]:
    """The comparable areas among lookup results, in their order, each authority once (as its
    Gemeinde, whose key people know as the AGS)."""
    kept: list[Area] = []
    for area in found:
        if area.level not in rules.SCORED_LEVELS or not area.current:
            continue
        twin = next((i for i, k in enumerate(kept) if _same_body(k, area)), None)
        if twin is None:
            kept.append(area)
        elif len(area.ars) > len(kept[twin].ars):
            kept[twin] = area
    return kept


def same_name(text: str, name: str) -> bool:
    """Typed as the directory writes it, or without its GV100AD suffix ("Hamm" for "Hamm, Stadt")."""
    wanted = text.casefold()
    return wanted in (name.casefold(), name.split(",")[0].strip().casefold())


def unusable(area: Area) -> str | None:
    """Why an area cannot be compared, in German; None when it can."""
    if area.level == "land":
        return (f"{area.name} ist ein Land. Verglichen werden Gemeinden, Gemeindeverbände und Kreise; "
                "die Zahlen des Landes stehen in seiner Rollout-Übersicht.")
    if area.level not in rules.SCORED_LEVELS:
        return (f"{area.name} ist ein {AREA_LEVEL.get(area.level, area.level)}. Verglichen werden Gemeinden, "
                "Gemeindeverbände und Kreise.")
    if not area.current:
        return f"{area.name} ist kein aktuelles Gebiet mehr (in einem späteren Gebietsstand aufgegangen)."
    return None


async def by_key(text: str, key: str) -> Entry:
    try:
        area = await areas.get_area(key)
    except NotFound:
        return Entry(text, error=f"Zum Schlüssel {key} gibt es kein Gebiet.", status=404)
    problem = unusable(area)
    if problem:
        land_link = f"/laender/{area.land}" if area.level == "land" else None
        return Entry(text, error=problem, status=422, land_link=land_link)
    return Entry(text, area=area)


async def resolve(text: str) -> Entry:
    """One field of the form: a key, "Name (key)" as the form fills it in, or a name to look up."""
    text = " ".join(text.split())
    match = KEY_IN_TEXT.search(text)
    key = text if AREA_KEY.match(text) else match.group(1) if match else None
    if key is not None and not places.postcode_like(text):
        return await by_key(text, key)
    if key is not None:  # five digits typed: a Kreis key, or a Postleitzahl the registry does not know
        entry = await by_key(text, key)
        if entry.area is None:
            return Entry(text, error=f"Zu „{text}“ gibt es keinen Kreis. Postleitzahlen kennt das Verzeichnis "
                                     "nicht; bitte geben Sie den Namen der Gemeinde ein.", status=404)
        return Entry(text, error=f"„{text}“ ist der Schlüssel von {entry.area.name} – oder eine Postleitzahl? "
                                 "Postleitzahlen kennt das Verzeichnis nicht; bitte wählen Sie den Kreis aus oder "
                                 "geben Sie den Namen der Gemeinde ein.",
                     choices=[Choice(field_text(entry.area), entry.area.name, await where(entry.area))])
    if not MIN_TEXT <= len(text) <= MAX_TEXT:
        return Entry(text, error=f"Bitte geben Sie einen Namen mit {MIN_TEXT} bis {MAX_TEXT} Zeichen ein.",
                     status=400)
    found = distinct((await areas.list_areas(AreaFilter(q=text), limit=LOOKUP_ROWS, after=None)).items)
    exact = [a for a in found if same_name(text, a.name)]
    if len(exact) == 1:
        return Entry(text, area=exact[0])
    [resolution] = await names.resolve([NameToResolve(name=text)])
    if resolution.ars and (resolution.verdict == "exact" or resolution.score >= places.STRONG):
        meant = next((a for a in found if a.name == resolution.name
                      and (a.ars.startswith(resolution.ars) or resolution.ars.startswith(a.ars))), None)
        if meant is not None:
            return Entry(text, area=meant)
    if not found:
        return Entry(text, error=f"Kein Gebiet gefunden, das „{text}“ heißt. Prüfen Sie die Schreibweise "
                                 "oder geben Sie den Gemeindeschlüssel ein.", status=404)
    if len(found) == 1:  # a near miss ("Altona": Altena) is offered, never taken
        return Entry(text, error=f"Kein Gebiet heißt genau „{text}“. Meinten Sie {found[0].name}? Bitte wählen "
                                 "Sie es aus oder prüfen Sie die Schreibweise.",
                     choices=[Choice(field_text(found[0]), found[0].name, await where(found[0]))])
    return Entry(text, error=f"„{text}“ passt auf mehrere Gebiete; bitte wählen Sie eines aus.",
                 choices=[Choice(field_text(a), a.name, await where(a)) for a in (exact or found)[:CHOICES]])


async def where(area: Area) -> str:
    """What and where an area is, to tell areas of one name apart: "Gemeinde in Altenkirchen
    (Westerwald), Rheinland-Pfalz", "kreisfreie Stadt in Nordrhein-Westfalen"."""
    land = land_name_map().get(area.land, "")
    kreis = await areas.get_area(area.ars[:5]) if len(area.ars) > 5 else area
    if kreis.level == "kreis" and (kreis.textkennzeichen in rules.KREISFREI_KREIS
                                   or (area is not kreis and kreis.name == area.name)):
        return f"kreisfreie Stadt in {land}"
    if area is kreis:
        return f"{'Kreis' if area.level == 'kreis' else AREA_LEVEL.get(area.level, area.level)} in {land}"
    return f"{AREA_LEVEL.get(area.level, area.level)} in {kreis.name}, {land}"


def without_repeats(entries: list[Entry]) -> list[Entry]:
    """A later mention of an area already chosen becomes an error (the core refuses it too)."""
    seen: list[Area] = []
    out = []
    for entry in entries:
        area = entry.area
        if area is not None and any(_same_body(s, area) for s in seen):
            entry = Entry(entry.text, error=f"{area.name} ist bereits ausgewählt.", status=400)
        elif area is not None:
            seen.append(area)
        out.append(entry)
    return out


async def from_keys(keys: Sequence[str]) -> list[Entry]:
    """The areas of ``?ars=``: each key checked and looked up."""
    entries = [await by_key(k, k) if AREA_KEY.match(k) else
               Entry(k, error=f"„{k}“ ist weder ein Regionalschlüssel (ARS) noch ein Gemeindeschlüssel (AGS).",
                     status=400)
               for k in keys]
    return without_repeats(entries)


async def from_names(typed: Sequence[str]) -> list[Entry]:
    return without_repeats([await resolve(t) for t in typed])
