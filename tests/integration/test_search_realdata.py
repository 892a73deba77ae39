"""Search on the real shipped catalogue (``efa-registry seed``: 16,000 areas, 557 OZG-Leistungen,
4,813 LeiKa entries): the issue's examples as citizens and clerks type them, the place-name
resolver, suggestions, the adoptions CSV by name, and the vocabulary's lifecycle.

The catalogue is seeded once for the module: every test here reads it, and the few that write
undo nothing the others read (their solutions have names of their own).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from efa_registry import db, suggestions
from efa_registry.access.model import Actor
from efa_registry.adoptions import used_by
from efa_registry.adoptions.csv_import import import_adoptions
from efa_registry.areas import names
from efa_registry.areas import service as areas
from efa_registry.areas.model import AreaFilter, NameToResolve
from efa_registry.errors import ImportFailed, InvalidInput
from efa_registry.organisations.model import OrganisationCreate
from efa_registry.organisations.service import create_organisation
from efa_registry.ozg import service as ozg
from efa_registry.ozg.model import OzgFilter
from efa_registry.search import lexicon, reindex
from efa_registry.search import repository as search_repository
from efa_registry.seeding import seed
from efa_registry.solutions import discovery
from efa_registry.solutions.model import InterfaceCreate, SolutionCreate
from efa_registry.solutions.search import SolutionQuery
from efa_registry.solutions.service import create_interface, create_solution
from seed import SEED_DIR

pytestmark = pytest.mark.realdata
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "publiccode"
SYSTEM = Actor.system("test")


@pytest.fixture(scope="module")
async def shipped(database: str) -> dict[str, object]:
    """The shipped catalogue and three solutions, on an emptied database, once for the module."""
    async with db.connection() as conn:
        tables = [r[0] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration'")]
        await conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    await seed(SEED_DIR)
    org = await create_organisation(OrganisationCreate(kind="land", name="Saarland", slug="saarland", area="10"),
                                    actor=SYSTEM)
    made = {}
    for name, ozg_ids, summary, description in [
        ("Gewerbeanmeldung digital", ["10294"], "Gewerbe an-, um- und abmelden.", None),
        ("Unternehmensportal Saar", ["10294"], "Alles für Unternehmen.",
         "Auch die Anmeldung eines Gewerbes ist hier möglich."),
        ("Hundesteuer online", ["10160"], "Den Hund anmelden und die Steuer zahlen.", None),
    ]:
        made[name], _ = await create_solution(SolutionCreate(name=name, provider="saarland", ozg_ids=ozg_ids,
                                                             summary=summary, description=description), actor=SYSTEM)
    await create_interface(made["Gewerbeanmeldung digital"].id,
                           InterfaceCreate(kind="xoev", standard="XGewerbeanzeige"), actor=SYSTEM)
    return {"organisation": org, **made}


async def ozg_ids(q: str, limit: int = 5) -> list[str]:
    return [o.ozg_id for o in (await ozg.search_leistungen(OzgFilter(q=q), limit=limit, after=None)).page.items]


class TestSearchOzgLeistungen:
    @pytest.mark.parametrize(("q", "expected"), [
        ("Hund", "10160"),  # Hundehaltung, whose LeiKa entries say Hundesteuer
        ("Hundesteuer", "10160"),
        ("Kita", "10019"),  # Kindertagesbetreuung: "Kita-Gutschein beantragen" in LeiKa wording
        ("Kitagutschein", "10019"),
        ("Perso verloren", "10119"),
        ("Auto anmelden", "10439"),
        ("Wohnsitz ummelden", "10124"),
        ("Fuehrerschein", "10169"),
        ("Elterngeldantrag", "10000"),  # a compound with a noise part: the Antrag is not required
        ("Wohngeldantrag", "10092"),
    ])
    async def test_everyday_words_find_the_leistung_first(self, shipped, q, expected):
        assert (await ozg_ids(q))[0] == expected

    async def test_a_head_word_finds_the_compounds_it_ends(self, shipped):
        """Grund-, Kirchen-, Umsatzsteuer: the index knows them by "Steuer" (no linking -s- misread)."""
        hits = await ozg.search_leistungen(OzgFilter(q="Steuer"), limit=50, after=None)
        assert {"Grundsteuer", "Kirchensteuer", "Umsatzsteuer"} <= {o.name for o in hits.page.items}
        assert hits.notes.did_you_mean is None
        assert await ozg_ids("Steuer Hund", limit=1) == ["10160"]

    @pytest.mark.parametrize(("q", "expected", "meant"), [
        ("Hundesteur", "10160", "hundesteuer"),
        ("Personalausweiss", "10119", "personalausweis"),
        ("Führerschien", "10169", "führerschein"),
    ])
    async def test_a_typo_that_finds_nothing_is_searched_corrected_and_says_so(self, shipped, q, expected, meant):
        hits = await ozg.search_leistungen(OzgFilter(q=q), limit=5, after=None)
        assert hits.page.items[0].ozg_id == expected
        assert (hits.notes.corrected_from, hits.notes.did_you_mean, hits.notes.relaxed) == (q, meant, False)

    async def test_a_correctly_spelt_query_is_not_corrected(self, shipped):
        hits = await ozg.search_leistungen(OzgFilter(q="Elterngeld"), limit=5, after=None)
        assert hits.notes.did_you_mean is None and hits.notes.corrected_from is None
        assert hits.page.items[0].name == "Elterngeld"

    async def test_the_matches_are_marked_and_escaped(self, shipped):
        hits = await ozg.search_leistungen(OzgFilter(q="Hund"), limit=1, after=None)
        mark = hits.highlights["10160"]
        assert mark.name == "<mark>Hundehaltung</mark>"
        assert "<mark>Hundesteuer</mark>" in mark.snippet

    async def test_stems_asked_once_mark_the_same_words_as_stems_asked_anew(self, shipped, monkeypatch):
        monkeypatch.setattr(search_repository, "_stems", {})
        first = await ozg.search_leistungen(OzgFilter(q="Hund"), limit=3, after=None)
        assert search_repository.known_stems(["hund"]) == ["hund"]
        again = await ozg.search_leistungen(OzgFilter(q="Hund"), limit=3, after=None)
        assert again.highlights == first.highlights and "<mark>Hundesteuer</mark>" in again.highlights["10160"].snippet
        hits, _ = await discovery.find_solutions(SolutionQuery(q="Hund"), limit=5, after=None)
        assert "<mark>Hund</mark>" in hits.highlights[str(shipped["Hundesteuer online"].id)].snippet

    async def test_a_query_of_stopwords_finds_nothing_and_is_no_error(self, shipped):
        hits = await ozg.search_leistungen(OzgFilter(q="und der"), limit=5, after=None)
        assert hits.page.items == [] and hits.page.next_cursor is None

    async def test_pages_of_a_corrected_search_continue_the_correction(self, shipped):
        first = await ozg.search_leistungen(OzgFilter(q="Fahrerlaubniss"), limit=2, after=None)
        assert first.notes.corrected_from == "Fahrerlaubniss" and first.page.next_cursor
        second = await ozg.search_leistungen(OzgFilter(q="Fahrerlaubniss"), limit=2, after=first.page.next_cursor)
        seen = [o.ozg_id for o in first.page.items + second.page.items]
        assert len(set(seen)) == 4 and second.notes.corrected_from == "Fahrerlaubniss"

    async def test_when_no_leistung_has_every_word_some_words_are_enough(self, shipped):
        hits = await ozg.search_leistungen(OzgFilter(q="Hundehaltung Bauantrag"), limit=5, after=None)
        assert hits.notes.relaxed is True
        assert {"10160"} <= {o.ozg_id for o in hits.page.items}


class TestPrefixesOfStems:
    """A prefix is stemmed before it matches ('masern':* is 'mas':*): a word the catalogue knows,
    or one nothing in it begins with, matches whole (search review D9)."""

    @pytest.mark.parametrize(("q", "unwanted"), [
        ("Hund", "10201"),  # Unfallrente: "vom Hundert"
        ("Hund oder Katze", "10201"),
        ("Masern", "10253"),  # Hochwasserschutzmaßnahmen
        ("Wetter", "10408"),  # Kulturförderung: Wettbewerb
    ])
    async def test_a_stem_does_not_match_the_words_it_begins(self, shipped, q, unwanted):
        assert unwanted not in await ozg_ids(q, limit=10)

    async def test_a_known_word_still_finds_its_compounds_and_ranks_name_matches_first(self, shipped):
        assert (await ozg_ids("Hund"))[0] == "10160"
        assert (await ozg_ids("Krankenversicherung", limit=2))[0] == "10184"


class TestUnknownWords:
    """A word the catalogue does not know is left out only when a thing remains (search review D1)."""

    @pytest.mark.parametrize(("q", "unknown"), [
        ("Falschparker melden", ["falschparker"]),
        ("<script>alert(1)</script>", ["script", "alert"]),
        ("'; DROP TABLE ozg_leistung; --", ["drop", "table"]),
        ("Solaranlage Förderung", ["solaranlage"]),
    ])
    async def test_beside_generic_words_only_it_finds_nothing_and_is_named(self, shipped, q, unknown):
        hits = await ozg.search_leistungen(OzgFilter(q=q), limit=5, after=None)
        assert hits.page.items == [] and not hits.notes.relaxed
        assert set(unknown) <= set(hits.notes.unknown_words)

    async def test_beside_a_thing_it_is_left_out_and_named(self, shipped):
        hits = await ozg.search_leistungen(OzgFilter(q="Personalausweis xqzvwk"), limit=5, after=None)
        assert hits.page.items[0].ozg_id == "10119" and hits.notes.unknown_words == ("xqzvwk",)

    async def test_relaxed_a_generic_word_does_not_find_on_its_own(self, shipped):
        assert (await ozg_ids("Personalausweis beantragen Kosten"))[0] == "10119"
        found = await ozg_ids("Feuerwerk kaufen", limit=10)
        assert found[0] == "10347" and "10536" not in found  # Abbrenngenehmigung, not Kaufpreissammlung


class TestCorrectionsIntoOtherWords:
    """A correct word the catalogue lacks is not searched as another real word (search review D2)."""

    @pytest.mark.parametrize(("q", "offered"), [("Neustadt", "neustaat"), ("Bienen", "dienen")])
    async def test_a_place_name_or_a_changed_first_letter_is_offered_only(self, shipped, q, offered):
        hits = await ozg.search_leistungen(OzgFilter(q=q), limit=5, after=None)
        assert hits.page.items == [] and hits.notes.corrected_from is None and hits.notes.did_you_mean == offered

    @pytest.mark.parametrize(("q", "expected"), [
        ("Parkausweis Anwohner", "10173"), ("Gelber Sack", "10110"), ("blauer Parkausweis", "10173"),
        ("vorläufiger Reisepass", "10177"), ("Pflegeheim", "10413"),
    ])
    async def test_the_word_meant_is_searched_uncorrected(self, shipped, q, expected):
        hits = await ozg.search_leistungen(OzgFilter(q=q), limit=5, after=None)
        assert hits.page.items[0].ozg_id == expected
        assert hits.notes.corrected_from is None and hits.notes.did_you_mean is None


class TestRelaxedRanking:
    """When no hit has every word, the one with the rarer word comes first (search review D3)."""

    @pytest.mark.parametrize(("q", "expected", "within"), [
        ("Geburtsurkunde Kind", "10557", 3),
        ("Personalausweis beantragen Kosten", "10119", 1),
        ("Zweitwohnsitz anmelden", "10124", 1),
        ("Grundsteuererklärung", "10117", 2),
        ("Schulessen Zuschuss", "10088", 1),
    ])
    async def test_the_specific_word_outranks_the_common_one(self, shipped, q, expected, within):
        hits = await ozg.search_leistungen(OzgFilter(q=q), limit=5, after=None)
        assert hits.notes.relaxed and expected in [o.ozg_id for o in hits.page.items][:within]

    async def test_pages_of_a_relaxed_search_continue_in_rank_order(self, shipped):
        first = await ozg.search_leistungen(OzgFilter(q="Geburtsurkunde Kind"), limit=3, after=None)
        rest = await ozg.search_leistungen(OzgFilter(q="Geburtsurkunde Kind"), limit=3, after=first.page.next_cursor)
        both = [o.ozg_id for o in first.page.items + rest.page.items]
        assert both == await ozg_ids("Geburtsurkunde Kind", limit=6)


class TestCompoundsAndEverydayWords:
    """Compounds with a head the catalogue lacks, and everyday and English words (review D12/D13)."""

    @pytest.mark.parametrize(("q", "expected"), [
        ("Hundesteuerbescheid", "10160"), ("Grundsteuerbescheid", "10117"), ("Anwohnerparkausweiß", "10173"),
        ("Kfz-Steuerbescheid", "10437"),
        ("Biotonne", "10110"), ("Flurkarte", "10539"), ("Schülerticket", "10042"), ("Taxi", "10447"),
        ("Punkte Flensburg", "10168"), ("Urnenbestattung", "10227"), ("Steuerbescheid", "10077"),
        ("Elterngeld Plus", "10000"),
        ("work permit", "10255"), ("parking permit", "10173"), ("driving license", "10169"),
        ("dog registration", "10160"), ("citizenship", "10257"), ("marriage certificate", "10026"),
    ])
    async def test_the_leistung_meant_comes_first(self, shipped, q, expected):
        assert (await ozg_ids(q))[0] == expected

    async def test_a_short_front_is_no_thing(self, shipped):
        assert await ozg_ids("Bundesliga") == []  # not every Bundes-Leistung

    async def test_a_permit_is_no_permit_to_fly(self, shipped):
        assert "10428" not in await ozg_ids("work permit") + await ozg_ids("parking permit")


class TestSearchOperators:
    async def test_a_minus_excludes_a_word_in_all_its_forms(self, shipped):
        assert "10160" in await ozg_ids("Hund", limit=20)
        without = await ozg.search_leistungen(OzgFilter(q="Hund -Steuer"), limit=50, after=None)
        # Hundehaltung's LeiKa entries say Hundesteuer: the compound part counts as the word.
        assert "10160" not in {o.ozg_id for o in without.page.items}
        assert without.notes.relaxed is False

    async def test_oder_finds_either_side_without_relaxing(self, shipped):
        hits = await ozg.search_leistungen(OzgFilter(q="Elterngeld oder Kindergeld"), limit=10, after=None)
        names_found = {o.name for o in hits.page.items}
        assert {"Elterngeld", "Kindergeld"} <= names_found and hits.notes.relaxed is False
        assert await ozg_ids("Elterngeld OR Kindergeld", limit=10) == [o.ozg_id for o in hits.page.items]

    async def test_an_excluded_typo_is_corrected_as_an_exclusion(self, shipped):
        hits = await ozg.search_leistungen(OzgFilter(q="Hund -Hundesteur"), limit=5, after=None)
        assert hits.notes.did_you_mean == "hund -hundesteuer"

    async def test_a_query_of_exclusions_only_finds_nothing_and_is_no_error(self, shipped):
        hits = await ozg.search_leistungen(OzgFilter(q="-Steuer"), limit=5, after=None)
        assert hits.page.items == [] and hits.notes.did_you_mean is None


class TestSearchSolutions:
    async def test_a_part_of_a_compound_finds_the_solution_named_by_it(self, shipped):
        hits, _ = await discovery.find_solutions(SolutionQuery(q="Anmeldung"), limit=10, after=None)
        names_found = [s.name for s in hits.page.items]
        assert "Gewerbeanmeldung digital" in names_found
        assert "<mark>Gewerbeanmeldung</mark> digital" in {h.name for h in hits.highlights.values()}

    async def test_a_name_match_outranks_a_description_match(self, shipped):
        hits, _ = await discovery.find_solutions(SolutionQuery(q="Gewerbeanmeldung"), limit=10, after=None)
        found = [s.name for s in hits.page.items]
        assert found.index("Gewerbeanmeldung digital") < found.index("Unternehmensportal Saar")

    async def test_interface_standard_leika_wording_and_provider_find_it(self, shipped):
        for q in ("XGewerbeanzeige", "Saarland Gewerbe"):
            hits, _ = await discovery.find_solutions(SolutionQuery(q=q), limit=10, after=None)
            assert "Gewerbeanmeldung digital" in [s.name for s in hits.page.items], q

    async def test_facets_count_the_hits_of_the_attempt_that_found_them(self, shipped):
        hits, facets = await discovery.find_solutions(SolutionQuery(q="Hundesteur", facets=["status"]), limit=10,
                                                      after=None)
        assert [s.name for s in hits.page.items] == ["Hundesteuer online"]
        assert hits.notes.corrected_from == "Hundesteur"
        assert sum(f.count for f in facets["status"]) == 1


class TestSuggest:
    async def test_every_kind_is_suggested_as_someone_types(self, shipped):
        found = await suggestions.suggest("Hundest", limit=5)
        assert [s.key for s in found.ozg_leistungen] == ["10160"]
        assert [s.label for s in found.solutions] == ["Hundesteuer online"]
        places = await suggestions.suggest("Mülh", limit=5)
        assert {"Mülheim an der Ruhr, Stadt", "Mülheim-Kärlich, Stadt"} <= {s.label for s in places.areas}
        assert len(places.areas) == len({s.label for s in places.areas})  # a kreisfreie Stadt once

    async def test_the_limit_bounds_each_group(self, shipped):
        found = await suggestions.suggest("An", limit=2)
        assert max(len(found.ozg_leistungen), len(found.solutions), len(found.areas)) <= 2


class TestPlaces:
    @pytest.mark.parametrize(("name", "land", "verdict", "ars"), [
        ("Mülheim", None, "ambiguous", None),
        ("Neustadt", None, "ambiguous", None),
        ("Mülheim", "NW", "probable", "051170000000"),
        ("Stadt Mülheim a.d. Ruhr", None, "probable", "051170000000"),
        ("Neustadt (Hessen)", None, "probable", "065340016016"),
        ("Lkr. München", None, "exact", "09184"),
        ("Muenchen", None, "exact", "091620000000"),
        ("Xyzzyhausen", None, "unknown", None),
        ("Weiden in der Oberpfalz", None, "probable", "093630000000"),
        ("Freiburg i.Brsg.", None, "probable", "083110000000"),
        ("Cottbus", None, "exact", "120520000000"),
        ("Budyšin", None, "exact", "146250020020"),
        ("Weiden", None, "ambiguous", None),
        ("09162000", None, "exact", "091620000000"),
        ("Halle", "ST", "probable", "150020000000"),   # the hint raises the Gemeinde over its Verband's key
        ("Weiden", "BY", "probable", "093630000000"),
        ("12053", None, "unknown", None),               # Frankfurt (Oder)'s Kreis key, and a Berlin Postleitzahl
        ("12053", "BB", "exact", "12053"),
        # Designations the GV100AD writes after the comma, typed in front (search review D10)
        ("Ostseebad Binz", None, "exact", "130730011011"),
        ("Nordseebad Büsum", None, "probable", "010515178013"),
        ("Kurort Oberwiesenthal", None, "exact", "145210440440"),
        ("Universitäts- und Hansestadt Greifswald", None, "exact", "130750039039"),
        ("Hanse- und Universitätsstadt Rostock", None, "exact", "130030000000"),
        ("Heilbad Heiligenstadt", None, "exact", "160610045045"),  # "Heilbad" leading: part of the name too
        # A region as qualifier is a Land hint
        ("Münster (Westf.)", None, "probable", "055150000000"),
        ("Münster/Westf.", None, "probable", "055150000000"),
        ("Oldenburg (Oldenburg)", None, "probable", "034030000000"),  # a town too: no region, no Landkreis
        ("Landkreis Mün", None, "unknown", None),  # not the Gemeinde Münk at 0.72
    ])
    async def test_names_resolve_or_are_flagged(self, shipped, name, land, verdict, ars):
        [found] = await names.resolve([NameToResolve(name=name, land=land)])
        assert found.verdict == verdict or (verdict == "probable" and found.verdict == "exact")
        assert found.ars == ars
        if verdict == "ambiguous":
            assert len(found.alternatives) >= 2

    async def test_a_hint_that_names_no_land_is_refused(self, shipped):
        with pytest.raises(InvalidInput) as err:
            await names.resolve([NameToResolve(name="Essen"), NameToResolve(name="Mülheim", land="Atlantis")])
        assert err.value.field == "names[1].land"

    @pytest.mark.parametrize(("q", "first"), [
        ("Halle", "150020000000"),      # Halle (Saale), not a village named exactly Halle
        ("Weiden", "093630000000"),
        ("Mün", "091620000000"),        # begun as someone types: München before the near miss Münk
        ("Dres", "146120000000"),
        ("Chóśebuz", "120520000000"),
        ("09162000", "091620000000"),   # an AGS
    ])
    async def test_area_search_puts_the_area_meant_first(self, shipped, q, first):
        page = await areas.list_areas(AreaFilter(q=q, level="gemeinde"), limit=3, after=None)
        assert page.items[0].ars == first

    @pytest.mark.parametrize(("q", "first"), [
        ("St. Ingb", "100450117117"),          # abbreviated as the names are read: Sankt Ingbert
        ("Garmisch-Part", "09180"),  # the Landkreis is the more populous
        ("Mülheim a.d.", "051170000000"),
        ("Landkreis Mün", "09184"),            # the kind typed: the Landkreis, not the Stadt München or Münk
        ("LK Harb", "03353"),
        ("Kreis Pinne", "01056"),
    ])
    async def test_a_name_typed_half_way_is_completed_as_the_names_are_read(self, shipped, q, first):
        page = await areas.list_areas(AreaFilter(q=q), limit=3, after=None)
        assert page.items[0].ars == first
        suggested = await suggestions.suggest(q, limit=5)
        assert suggested.areas[0].key.ljust(12, "0") == first.ljust(12, "0")

    async def test_area_search_by_written_names_keeps_the_filters_and_pages(self, shipped):
        page = await areas.list_areas(AreaFilter(q="Muelheim a.d. Ruhr", level="gemeinde"), limit=5, after=None)
        assert [a.ars for a in page.items] == ["051170000000"]
        seen, after = [], None
        while True:
            page = await areas.list_areas(AreaFilter(q="Neustadt", level="gemeinde"), limit=7, after=after)
            seen += [a.ars for a in page.items]
            if not (after := page.next_cursor):
                break
        assert len(seen) == len(set(seen)) > 10
        assert all(a.startswith("06") for a in [
            x.ars for x in (await areas.list_areas(AreaFilter(q="Neustadt", land="06"), limit=50, after=None)).items])


class TestAdoptionsByName:
    async def test_names_are_resolved_and_bad_ones_reported_with_nothing_written(self, shipped):
        bad = ("solution;name;land;status\n"
               "hundesteuer-online;Stadt Mülheim a.d. Ruhr;;live\n"
               "hundesteuer-online;Neustadt;;interested\n"
               "hundesteuer-online;Xyzzyhausen;;live\n"
               "hundesteuer-online;Essen;Atlantis;live\n")
        with pytest.raises(ImportFailed) as err:
            await import_adoptions(bad.encode())
        assert [line for line, _ in err.value.errors] == [3, 4, 5]
        assert "fits several areas" in err.value.errors[0][1] and "073160000000" in err.value.errors[0][1]
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT count(*) FROM adoption") == 0
        good = ("solution;name;land;status\n"
                "hundesteuer-online;Stadt Mülheim a.d. Ruhr;;live\n"
                "hundesteuer-online;Neustadt;HE;interested\n")
        summary = await import_adoptions(good.encode())
        assert summary.created == 2
        async with db.connection() as conn:
            rows = await conn.fetch("SELECT area, status FROM adoption ORDER BY area")
            await conn.execute("DELETE FROM adoption_transition; DELETE FROM adoption")
        assert [tuple(r) for r in rows] == [("051170000000", "live"), ("065340016016", "interested")]


class TestUsedBy:
    async def test_a_publiccode_used_by_list_is_offered_as_adoptions_flagging_what_is_ambiguous(self, shipped):
        document = ((FIXTURES / "minimal.yml").read_text(encoding="utf-8")
                    + "usedBy:\n  - Stadt Mülheim a.d. Ruhr\n  - Neustadt\n  - Lkr. München\n")
        offer = await used_by.adopt_used_by("hundesteuer-online", document.encode(), actor=SYSTEM)
        assert [(e.action, e.ars, e.verdict) for e in offer.entries] == [
            ("create", "051170000000", "exact"), ("unresolved", None, "ambiguous"), ("create", "09184", "exact")]
        assert len(offer.entries[1].alternatives) >= 2 and offer.created == 0
        with pytest.raises(InvalidInput) as err:
            await used_by.adopt_used_by("hundesteuer-online", document.encode(), actor=SYSTEM, dry_run=False)
        assert err.value.field == "usedBy[1]"
        async with db.connection() as conn:
            assert await conn.fetchval("SELECT count(*) FROM adoption") == 0


class TestVocabularyLifecycle:
    async def test_a_new_solution_word_is_known_to_the_next_search(self, shipped):
        await create_solution(SolutionCreate(name="Zauberportal Saar", provider="saarland", ozg_ids=["10294"]),
                              actor=SYSTEM)
        hits, _ = await discovery.find_solutions(SolutionQuery(q="Zauberprotal"), limit=5, after=None)
        assert [s.name for s in hits.page.items] == ["Zauberportal Saar"]
        assert hits.notes.did_you_mean == "zauberportal"

    async def test_a_change_log_grown_too_long_is_cut_and_every_cached_vocabulary_rebuilt(self, shipped, monkeypatch):
        monkeypatch.setattr(search_repository, "PRUNE_ABOVE", 50)
        monkeypatch.setattr(search_repository, "KEEP_CHANGES", 10)
        async with db.connection() as conn:
            await lexicon.catalogue(conn)
            entry = lexicon._cache["catalogue"]
            # Old writers' ids, below every horizon: they change nothing a cache counts.
            await conn.execute("INSERT INTO search_change (scope, xid) SELECT 'catalogue', g::text::xid8"
                               " FROM generate_series(1, 60) g ON CONFLICT DO NOTHING")
            assert await lexicon._valid(conn, entry)
            newest = await conn.fetchval("SELECT max(xid)::text FROM search_change WHERE scope = 'catalogue'")
            assert await search_repository.prune_changes(conn) == ["catalogue"]
            rows = await conn.fetch("SELECT xid::text FROM search_change WHERE scope = 'catalogue'")
            assert len(rows) == 11 and newest in {r[0] for r in rows}  # the newest ten, and the pruner's own
            assert not await lexicon._valid(conn, entry)  # rebuilt on the next search
            assert await search_repository.prune_changes(conn) == []

    async def test_a_writer_still_running_while_the_vocabulary_is_built_is_seen_when_it_commits(
            self, shipped, database):
        """A (older transaction id) writes, B writes and commits, the vocabulary is built, then A
        commits: the newest id is still B's, yet the vocabulary must be rebuilt for A's word."""
        a, b = await asyncpg.connect(database), await asyncpg.connect(database)
        try:
            tx = a.transaction()
            await tx.start()
            await a.execute("INSERT INTO themenfeld (key, name, position) VALUES ('x-a', 'Zauberwesen', 98)")
            await b.execute("INSERT INTO themenfeld (key, name, position) VALUES ('x-b', 'Drachenkunde', 99)")
            async with db.connection() as conn:
                before = await lexicon.catalogue(conn)
            await tx.commit()
            async with db.connection() as conn:
                after = await lexicon.catalogue(conn)
            assert "drachenkunde" in before and "zauberwesen" not in before
            assert "zauberwesen" in after
        finally:
            await a.execute("DELETE FROM themenfeld WHERE key IN ('x-a', 'x-b')")
            await asyncio.gather(a.close(), b.close())

    async def test_a_search_with_hits_notices_a_commit_of_another_process_in_its_own_statement(
            self, shipped, database):
        """The search confirms its cached vocabulary in the search statement itself: a word another
        process committed since is in the vocabulary the answer was made with."""
        assert await ozg_ids("Hund")  # the vocabulary is cached now
        other = await asyncpg.connect(database)
        try:
            await other.execute("INSERT INTO themenfeld (key, name, position) VALUES ('x-c', 'Greifenzucht', 97)")
            async with db.connection() as conn:
                vocab, hits = await lexicon.confirmed(conn, "catalogue", self._search_hund(conn))
            assert "greifenzucht" in vocab and hits
            assert "greifenzucht" in lexicon._cache["catalogue"].value  # kept for the next search
            statements = []
            async with db.connection() as conn:
                def logged(record):
                    statements.append(record.query)
                conn.add_query_logger(logged)
                try:
                    assert (await lexicon.confirmed(conn, "catalogue", self._search_hund(conn)))[1]
                finally:
                    conn.remove_query_logger(logged)
            assert len(statements) == 1  # current: the search alone, no check of its own
        finally:
            await other.execute("DELETE FROM themenfeld WHERE key = 'x-c'")
            await other.close()

    @staticmethod
    def _search_hund(conn):
        from efa_registry.ozg import repository
        from efa_registry.search import attempts

        async def run(vocab, expected):
            attempt = attempts.plan("Hund", vocab).attempts[0]
            hits = await repository.search(conn, OzgFilter(q="Hund"), attempt, 0, limit=5, after=None,
                                           expected=expected)
            return [o.ozg_id for o in hits.page.items], hits.current
        return run

    async def test_documents_marked_by_a_migration_are_rebuilt_once(self, shipped):
        knows_leika = ("SELECT search_vector @@ to_tsquery('german', 'hundesteuer') FROM ozg_leistung"
                       " WHERE ozg_id = '10160'")
        async with db.transaction() as conn:
            await conn.execute("UPDATE ozg_leistung SET search_vector = setweight(to_tsvector('german', name), 'A')")
            await conn.execute("INSERT INTO search_reindex VALUES ('catalogue', 'test'), ('solutions', 'test')")
            assert await conn.fetchval(knows_leika) is False  # the migration's name-only stand-in
        assert await reindex.heal() == ["catalogue", "solutions"]
        async with db.connection() as conn:
            assert await conn.fetchval(knows_leika) is True
            assert await conn.fetchval("SELECT count(*) FROM search_reindex") == 0
        assert await reindex.heal() == []
