"""Shared fixtures: small hand-made reference data (real keys, real names) and a catalogue with a token
per role. Registered for every test directory through ``pytest_plugins`` in tests/conftest.py."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

from efa_registry import db
from efa_registry.search import indexing, lexicon
from tests.area_rows import insert_areas, kreisfreie_stadt

AREAS = [
    # ars, ags, name, level, textkennzeichen, parent, population
    ("05", None, "Nordrhein-Westfalen", "land", None, None, 18034454),
    ("051", None, "Reg.-Bez. Düsseldorf", "regierungsbezirk", None, "05", 5200000),
    *kreisfreie_stadt("05112", "Duisburg, Stadt", "051", 503707),
    *kreisfreie_stadt("05113", "Essen, Stadt", "051", 586608),
    ("10", None, "Saarland", "land", None, None, 1012141),
    ("03", None, "Niedersachsen", "land", None, None, 8004489),
    ("03358", None, "Heidekreis", "kreis", "44", "03", 140000),
    ("033580000", None, "Heidekreis", "gemeindeverband", "50", "03358", 140000),
    ("033585000000", "03358500", "Osterheide, gemfr. Bezirk", "gemeindefreies_gebiet", "65", "033580000", 700),
]

THEMENFELDER = [("familie-kind", "Familie & Kind", 6), ("bauen-wohnen", "Bauen & Wohnen", 2)]
LEISTUNGEN = [
    ("10000", "Elterngeld", "familie-kind"),
    ("10001", "Erklärung zur Vaterschafts-/Mutterschaftsanerkennung", "familie-kind"),
    ("10513", "Abbruchgenehmigung", "bauen-wohnen"),
    ("10521", "Baugenehmigung", "bauen-wohnen"),
]
LEIKA = [("99012001000000", "Abbruchgenehmigung", "4", "10513"),
         ("99009001001000", "Elterngeld Bewilligung", "2/3", "10000")]


@pytest.fixture
async def reference_data(clean_db):
    async with db.transaction() as conn:
        await insert_areas(conn, AREAS)
        await conn.executemany("INSERT INTO themenfeld (key, name, position) VALUES ($1, $2, $3)", THEMENFELDER)
        await conn.execute("INSERT INTO lage (key, name, themenfeld) VALUES ('geburt', 'Geburt', 'familie-kind')")
        await conn.executemany("INSERT INTO ozg_leistung (ozg_id, name, themenfeld) VALUES ($1, $2, $3)", LEISTUNGEN)
        await conn.execute("INSERT INTO ozg_leistung_lage (ozg_leistung, lage) VALUES ('10000', 'geburt')")
        await conn.executemany(
            "INSERT INTO leika_entry (leika_key, name, leika_type, ozg_leistung) VALUES ($1, $2, $3, $4)", LEIKA)
        # What the catalogue importers do after writing: the OZG-Leistungen's search documents.
        await indexing.refresh_ozg(conn, None, await lexicon.catalogue(conn))


class Tokens(dict):
    """role name → Authorization header."""

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self[who]}"}


@pytest.fixture
async def catalogue(reference_data):
    """Two provider organisations and a token for every role (provider tokens bound to their org)."""
    from efa_registry.access import tokens
    from efa_registry.access.model import Actor
    from efa_registry.organisations.model import OrganisationCreate
    from efa_registry.organisations.service import create_organisation

    system = Actor.system("test-setup")
    nrw = await create_organisation(OrganisationCreate(kind="land", name="Land Nordrhein-Westfalen", slug="land-nrw",
                                                       area="05", contact_email="ozg@nrw.example"), actor=system)
    saar = await create_organisation(OrganisationCreate(kind="land", name="Saarland", slug="saarland", area="10"),
                                     actor=system)
    issued = Tokens()
    for who, cmd in {
        "curator": tokens.NewToken(role="curator", name="Koordinierungsstelle"),
        "provider_nrw": tokens.NewToken(role="provider", name="NRW", organisation_id=nrw.id),
        "provider_saar": tokens.NewToken(role="provider", name="Saarland", organisation_id=saar.id),
        "adopter": tokens.NewToken(role="adopter", name="Stadt Duisburg", ars=("05112",)),
        "integrator": tokens.NewToken(role="integrator", name="Landesportal"),
    }.items():
        issued[who] = (await tokens.create_token(cmd, actor=system))[1]
    return {"tokens": issued, "nrw": nrw, "saar": saar}


async def empty_database() -> None:
    """Every table emptied (schema kept): for fixtures that load data once for many tests."""
    from tests.conftest import TABLES_SQL

    async with db.connection() as conn:
        tables = ", ".join(f'"{r["tablename"]}"' for r in await conn.fetch(TABLES_SQL))
        await conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


_demo_backup: tuple[Path, dict[str, str]] | None = None


async def load_demo() -> dict[str, str]:
    """The demo catalogue (``seed --demo``) and a token per role: curator, provider (the demo
    Saarland) and adopter (Stadt Duisburg); role → secret. Into an empty database.

    The first call of a session seeds and keeps a backup of the result (``efa-registry backup``'s
    own format); later calls restore it, a fraction of a second instead of a seed's seconds —
    and every restore is one more round trip of the backup the registry ships."""
    global _demo_backup
    from efa_registry.transfer import backup

    if _demo_backup is not None:
        await backup.restore_dir(_demo_backup[0])
        return dict(_demo_backup[1])
    issued = await _seed_demo()
    directory = Path(tempfile.mkdtemp(prefix="efa-test-demo-"))
    atexit.register(shutil.rmtree, directory, True)
    await backup.export_dir(directory / "backup")
    _demo_backup = (directory / "backup", issued)
    return dict(issued)


async def _seed_demo() -> dict[str, str]:
    from efa_registry.access import tokens
    from efa_registry.access.model import Actor
    from efa_registry.seeding import seed
    from seed import SEED_DIR

    await seed(SEED_DIR, demo=True)
    system = Actor.system("test-setup")
    async with db.connection() as conn:
        saarland = await conn.fetchval("SELECT id FROM organisation WHERE slug = 'demo-saarland'")
    issued = {}
    for who, cmd in {"curator": tokens.NewToken(role="curator", name="Koordinierungsstelle"),
                     "provider": tokens.NewToken(role="provider", name="Saarland", organisation_id=saarland),
                     "adopter": tokens.NewToken(role="adopter", name="Stadt Duisburg", ars=("05112",))}.items():
        issued[who] = (await tokens.create_token(cmd, actor=system))[1]
    return issued
