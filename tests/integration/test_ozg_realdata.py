"""The real OZG catalogue as the package ships it (seed/reference): counts per
Themenfeld, LeiKa rows without a key, German full-text search, speed."""

from __future__ import annotations

import pytest

from efa_registry import db
from efa_registry.kit.importing import ImportSummary
from efa_registry.ozg import repository
from efa_registry.ozg.catalogue_import import import_leika, import_ozg_leistungen
from efa_registry.seeding import seed
from seed import SEED_DIR
from tests.conftest import OZG_REAL

pytestmark = pytest.mark.realdata

PER_THEMENFELD = {
    "Unternehmensführung & -entwicklung": 78, "Gesundheit": 62, "Mobilität & Reisen": 60,
    "Bauen & Wohnen": 58, "Umwelt": 48, "Engagement & Hobby": 40, "Familie & Kind": 37,
    "Steuern & Zoll": 35, "Arbeit & Ruhestand": 30, "Forschung & Förderung": 28, "Bildung": 27,
    "Ein- & Auswanderung": 21, "Querschnitt": 18, "Recht & Ordnung": 15,
}


@pytest.fixture
async def real_catalogue(clean_db: str) -> tuple[ImportSummary, ImportSummary]:
    leistungen = OZG_REAL / "ozg_leistungen.csv"
    leika = OZG_REAL / "leika_ozg_zuordnung.csv"
    await seed(SEED_DIR, official=False)
    return await import_ozg_leistungen(leistungen), await import_leika(leika)


class TestRealCatalogue:
    async def test_leistungen_per_themenfeld(self, real_catalogue) -> None:
        summary, _ = real_catalogue
        assert summary.counts == {"ozg_leistung": 557, "lage": 55}
        async with db.connection() as conn:
            themenfelder = await repository.themenfelder(conn)
            pairs = await conn.fetchval("SELECT count(*) FROM ozg_leistung_lage")
        assert {t.name: t.ozg_leistungen for t in themenfelder} == PER_THEMENFELD
        assert pairs == 557

    async def test_leika_rows_without_key_are_skipped(self, real_catalogue) -> None:
        _, summary = real_catalogue
        assert summary.counts == {"leika_entry": 4813}
        assert len(summary.skipped) == 438
        assert summary.skipped[0] == (2, "no 14-digit LeiKa key ('nicht im LeiKa')")
        async with db.connection() as conn:
            unmapped = await conn.fetchval(
                "SELECT count(*) FROM leika_entry WHERE ozg_leistung IS NULL")
        assert unmapped == 16  # 26 rows without OZG-ID, 10 of them also without a key

    async def test_german_full_text_search_finds_inflected_names(self, real_catalogue) -> None:
        async with db.connection() as conn:
            found = await conn.fetch(
                "SELECT ozg_id FROM ozg_leistung"
                " WHERE search_vector @@ websearch_to_tsquery('german', 'Elterngeldes')")
        assert "10000" in [r["ozg_id"] for r in found]

    async def test_imports_fast_and_reimports_as_unchanged(self, real_catalogue) -> None:
        first_leistungen, first_leika = real_catalogue
        print(f"\nfirst import: OZG-Leistungen {first_leistungen.seconds:.3f} s, "
              f"LeiKa {first_leika.seconds:.3f} s")
        assert first_leistungen.seconds + first_leika.seconds < 5
        again = await import_ozg_leistungen(OZG_REAL / "ozg_leistungen.csv")
        again_leika = await import_leika(OZG_REAL / "leika_ozg_zuordnung.csv")
        print(f"re-import: OZG-Leistungen {again.seconds:.3f} s, LeiKa {again_leika.seconds:.3f} s")
        assert (again.created, again.updated) == (0, 0)
        assert (again_leika.created, again_leika.updated, again_leika.unchanged) == (0, 0, 4813)
