"""Service words on the real shipped catalogue (``efa-registry seed``: 557 OZG-Leistungen, 4,813
LeiKa entries): verbs, inflections, thesaurus terms and compounds of them, as citizens type them
(the search review of December 2026, section B). Each query must find the Leistung meant, and
must neither offer nor search a "correction" of a word that is right.
"""

from __future__ import annotations

import pytest

from efa_registry import db
from efa_registry.ozg import service as ozg
from efa_registry.ozg.model import OzgFilter
from efa_registry.seeding import seed
from seed import SEED_DIR

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
async def shipped(database: str) -> None:
    """The shipped catalogue on an emptied database, once for the module; the tests only read."""
    async with db.connection() as conn:
        tables = [r[0] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration'")]
        await conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    await seed(SEED_DIR)


async def search(q: str):
    return await ozg.search_leistungen(OzgFilter(q=q), limit=5, after=None)


def uncorrected(hits) -> bool:
    return hits.notes.did_you_mean is None and hits.notes.corrected_from is None


class TestVerbsAndInflections:
    @pytest.mark.parametrize(("q", "expected"), [
        ("wohngeld beantragen", "10092"), ("Personalausweis beantragen", "10119"), ("Kindergeld beantragen", "10005"),
        ("Führerschein umtauschen", "10169"), ("Elterngeld berechnen", "10000"), ("Kita Gebühren", "10019"),
        ("Vaterschaft anerkennen", "10001"), ("Wohngeldes", "10092"),
        ("Geburtsurkunde bestellen", "10557"),
    ])
    async def test_a_known_word_is_not_corrected_and_the_leistung_comes_first(self, shipped, q, expected):
        hits = await search(q)
        assert uncorrected(hits), hits.notes
        assert hits.page.items[0].ozg_id == expected

    async def test_a_verb_is_not_searched_as_another_word(self, shipped):
        """"Anzeige erstatten" is no Ausfuhrerstattung: the catalogue has no Strafanzeige, so nothing."""
        hits = await search("Strafanzeige erstatten")
        assert uncorrected(hits) and not hits.notes.relaxed
        assert not {"10380", "10238"} & {o.ozg_id for o in hits.page.items}

    async def test_a_typo_is_still_corrected(self, shipped):
        hits = await search("Wohngled")
        assert hits.notes.corrected_from == "Wohngled" and hits.page.items[0].ozg_id == "10092"


class TestThesaurusTerms:
    @pytest.mark.parametrize("q", ["Hochzeit", "Trauung"])
    async def test_a_term_finds_its_meaning_and_no_split_or_correction_of_it(self, shipped, q):
        hits = await search(q)
        ids = [o.ozg_id for o in hits.page.items]
        assert ids[0] == "10026" and uncorrected(hits)
        assert not {"10055", "10060", "10255", "10290"} & set(ids)  # Hochschul…, Teilzeit…, Tragung

    @pytest.mark.parametrize(("q", "expected"), [
        ("Bauanträge", "10519"), ("Anwohnerparkausweise", "10173"), ("Kitas", "10019"),
        ("Schule wechseln", "10041"),  # the verb by its noun: Schulwechsel
    ])
    async def test_a_plural_finds_what_the_singular_finds(self, shipped, q, expected):
        assert (await search(q)).page.items[0].ozg_id == expected

    @pytest.mark.parametrize(("q", "expected"), [
        ("Kitaanmeldung", "10019"), ("Kitagebühren", "10019"), ("Kindergartenplatz", "10019"),
        ("Persoverlängerung", "10119"), ("Hochzeitsurkunde", "10026"), ("Autoanmeldung", "10439"),
    ])
    async def test_a_compound_led_by_a_term_finds_what_the_term_means(self, shipped, q, expected):
        hits = await search(q)
        assert hits.page.items[0].ozg_id == expected and uncorrected(hits)


class TestRanking:
    @pytest.mark.parametrize("q", ["Perso", "Perso verloren"])
    async def test_a_short_word_of_the_thesaurus_finds_its_meaning_first(self, shipped, q):
        """Not Personenbeförderungsgenehmigung, which only begins like it."""
        ids = [o.ozg_id for o in (await search(q)).page.items]
        assert ids[0] == "10119" and "10447" not in ids

    @pytest.mark.parametrize(("q", "expected"), [
        ("Sorgerecht", "10588"), ("Schankerlaubnis", "10294"), ("Mülltonne", "10110"), ("Krippenplatz", "10019"),
    ])
    async def test_everyday_words_the_thesaurus_maps_find_the_catalogue_wording(self, shipped, q, expected):
        assert (await search(q)).page.items[0].ozg_id == expected


class TestEnglish:
    @pytest.mark.parametrize(("q", "expected"), [
        ("passport", "10177"), ("child benefit", "10005"), ("housing benefit", "10092"),
        ("parental allowance", "10000"), ("birth certificate", "10557"), ("residence permit", "10255"),
        ("car registration", "10439"),
        ("dog tax", "10160"), ("marriage", "10026"), ("driving licence", "10169"),
        ("driver's license", "10169"),
    ])
    async def test_the_english_names_of_everyday_services_find_them(self, shipped, q, expected):
        ids = [o.ozg_id for o in (await search(q)).page.items]
        assert ids and ids[0] == expected, ids


async def test_a_noun_that_ends_like_a_noise_verb_is_searched(shipped):
    """"Stelle" is no form of "stellen" here: "fachkundige Stelle" is a LeiKa name."""
    assert (await search("fachkundige Stelle")).page.items[0].ozg_id == "10279"
