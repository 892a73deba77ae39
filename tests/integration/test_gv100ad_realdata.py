"""The real GV100AD edition of 30.11.2025 as the package ships it (seed/reference): every
Land's counts and population exactly as in the official table of that edition."""

from __future__ import annotations

import time

import pytest

from efa_registry import db
from efa_registry.areas import repository
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.errors import ImportFailed
from tests.conftest import GV100AD_REAL

pytestmark = pytest.mark.realdata

# Land → (Gemeinden, gemeindefreie Gebiete, Kreise incl. kreisfreie Städte, Bevölkerung),
# from the official counts of the edition (Destatis, as listed in seed/reference/README.md).
OFFICIAL = {
    "01": (1104, 2, 15, 2_959_517),
    "02": (1, 0, 1, 1_862_565),
    "03": (939, 25, 45, 8_004_489),
    "04": (2, 0, 2, 704_881),
    "05": (396, 0, 53, 18_034_454),
    "06": (421, 4, 26, 6_280_793),
    "07": (2300, 1, 36, 4_129_569),
    "08": (1101, 2, 44, 11_245_898),
    "09": (2056, 165, 96, 13_248_928),
    "10": (52, 1, 6, 1_012_141),
    "11": (1, 0, 1, 3_685_265),
    "12": (413, 0, 18, 2_556_747),
    "13": (724, 2, 8, 1_573_597),
    "14": (418, 0, 13, 4_042_422),
    "15": (218, 0, 14, 2_135_597),
    "16": (605, 0, 22, 2_100_277),
}


class TestRealEdition:
    async def test_every_land_matches_the_official_counts(self, clean_db):
        path = GV100AD_REAL
        started = time.perf_counter()
        summary = await import_gv100ad(path)
        elapsed = time.perf_counter() - started
        async with db.connection() as conn:
            lands = await repository.land_summaries(conn)
        got = {s.ars: (s.gemeinden, s.gemeindefreie_gebiete, s.kreise, s.population) for s in lands}
        assert got == OFFICIAL
        assert summary.counts["gemeinde"] == 10_751
        assert summary.counts["gemeindefreies_gebiet"] == 202
        assert summary.counts["kreis"] == 400
        assert sum(s.population or 0 for s in lands) == 83_577_140
        assert summary.created == 16_000
        # A sanity bound, generous for a loaded CI machine; the benchmark measures for real.
        assert elapsed < 6.0, f"import took {elapsed:.2f} s"

    async def test_second_import_is_idempotent_and_fast(self, clean_db):
        path = GV100AD_REAL
        await import_gv100ad(path)
        started = time.perf_counter()
        summary = await import_gv100ad(path)
        elapsed = time.perf_counter() - started
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 16_000)
        assert elapsed < 6.0, f"re-import took {elapsed:.2f} s"

    @pytest.mark.parametrize("cut", ["last Land", "line breaks"])
    async def test_a_file_cut_short_or_run_together_is_refused_and_nothing_retired(self, clean_db, cut):
        await import_gv100ad(GV100AD_REAL)
        data = GV100AD_REAL.read_bytes()
        if cut == "last Land":  # a download cut short: Thüringen's records missing
            broken = b"\n".join(line for line in data.split(b"\n") if line[10:12] != b"16")
        else:  # every record on one line (CR-only line ends read as LF-only)
            broken = data.replace(b"\n", b" ")
        with pytest.raises(ImportFailed):
            await import_gv100ad(broken)
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT count(*) FROM area WHERE current") == 16_000
