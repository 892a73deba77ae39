"""The catalogue that the peer and relevance benchmarks measure (not a test).

``load_database(dsn)`` migrates an empty database, runs ``seed()``, imports the real GV100AD
edition, OZG catalogue and LeiKa (``FILES``, from ../shared/data beside the checkout), then writes
40 providers, 600 solutions and 2,000 interfaces through the real use cases (so every search
vector is the one the write path builds), from a fixed random seed, and returns the data volumes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time

from bench import dataset
from bench.common import DATA
from bench.harness import GV100AD, analyze, connected
from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.db import migrate
from efa_registry.kit.slugs import slugify
from efa_registry.organisations.model import OrganisationCreate
from efa_registry.organisations.service import create_organisation
from efa_registry.ozg.catalogue_import import import_leika, import_ozg_leistungen
from efa_registry.seeding import seed
from efa_registry.settings import Settings
from efa_registry.solutions.model import InterfaceCreate, SolutionCreate
from efa_registry.solutions.service import create_interface, create_solution
from seed import SEED_DIR

FILES = {"gv100ad": GV100AD, "ozg": DATA / "ozg" / "ozg_leistungen.csv",
         "leika": DATA / "ozg" / "leika_ozg_zuordnung.csv"}
ACTOR = Actor.system("bench")
SOLUTIONS, INTERFACES = 600, 2000
BAU_CORE = ("10519", "10518", "10520", "10521", "10513", "10531")  # Baugenehmigung & Co.: the "Bauantrag" hits

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


async def load_database(dsn: str) -> tuple[dict[str, int], float]:
    started = time.perf_counter()
    async with connected(dsn, Settings.from_env({}, pool_min_size=1, pool_max_size=6, log_level="warning")):
        await migrate.migrate()
        await seed(SEED_DIR, official=False, actor=ACTOR)
        await import_gv100ad(FILES["gv100ad"], actor=ACTOR)
        await import_ozg_leistungen(FILES["ozg"], actor=ACTOR)
        await import_leika(FILES["leika"], actor=ACTOR)
        await _catalogue(random.Random(2025))
        await analyze()
        async with db.connection() as conn:
            volumes = {label: await conn.fetchval(sql) for label, sql in VOLUMES.items()}
    return volumes, time.perf_counter() - started


async def load_adoptions(total: int, seed: int = 4) -> int:
    """``total`` adoptions of the loaded catalogue's solutions by COPY (statuses, dates and the
    popularity curve of ``bench.dataset``: most by Gemeinden, some by Kreise and Länder), then
    ``rebuild_all``; the pool must be open. Returns the adoptions written."""
    from efa_registry.rollout.service import rebuild_all

    rng = random.Random(seed)
    async with db.transaction() as conn:
        rows = await conn.fetch("SELECT id, rollout_level FROM solution ORDER BY slug")
        areas = await dataset.areas_by_level(conn)
        fixed = {r["id"]: rng.randint(4, 16) for r in rows if r["rollout_level"] == "land"}
        fixed |= {r["id"]: rng.randint(16, 400) for r in rows if r["rollout_level"] == "kreis"}
        gemeinde = [r["id"] for r in rows if r["rollout_level"] == "gemeinde"]
        budget = max(0, total - sum(fixed.values()))
        weights = [1 / (i + 1) ** 0.6 for i in range(len(gemeinde))]
        sizes = fixed | dict(zip(gemeinde, dataset.water_fill(budget, weights, 10_000), strict=True))
        levels = {r["id"]: r["rollout_level"] for r in rows}
        pairs = sorted((s, a) for s, n in sizes.items() if n for a in dataset.areas_for(rng, levels[s], n, areas))
        count = await dataset.copy_adoptions(conn, rng, pairs)
        await rebuild_all(conn)
    return count
