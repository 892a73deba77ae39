"""Scorecards, comparisons and not-yet-docked lists on hand-made data with known answers
(tests/scorecard_fixtures.py): own and inherited coverage, depth by Reifegrad model, peers and
ranks, paging and CSV, and agreement with the rollout figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.adoptions import service as adoptions
from efa_registry.adoptions.model import AdoptionPatch
from efa_registry.errors import InvalidInput, InvalidParameter, NotFound
from efa_registry.rollout import service as rollout
from efa_registry.scorecard import missing, service
from tests import scorecard_fixtures as data


@pytest.fixture
async def solutions(clean_db):
    return await data.load()


def leistung(card, ozg_id: str):
    return next(x for x in card.leistungen if x.ozg_id == ozg_id)


def depth(item) -> list[tuple[str, int, list[str]]]:
    return [(d.model, d.reifegrad, d.solutions) for d in item.depth]


class TestScorecardOfAGemeinde:
    async def test_duisburg_by_its_ags_counts_own_and_inherited_leistungen(self, solutions):
        card = await service.scorecard("05112000")
        assert (card.area.ars, card.area.kind, card.area.gemeinden) == ("051120000000", "kreisfreie_stadt", 1)
        assert (card.summary.with_solution, card.summary.online, card.summary.partial,
                card.summary.in_preparation) == (7, 3, 0, 2)
        assert [x.ozg_id for x in card.leistungen] == ["10000", "10439", "10559"]  # by Themenfeld position
        elterngeld = leistung(card, "10000")
        assert (elterngeld.origin, elterngeld.rollout_level, elterngeld.coverage) == ("inherited", "land", "full")
        assert [(r.ars, r.name, r.level) for r in elterngeld.inherited_from] == [("05", "Nordrhein-Westfalen", "land")]

    async def test_an_adoption_under_the_kreis_key_of_a_kreisfreie_stadt_is_its_own(self, solutions):
        kfz = leistung(await service.scorecard("05112000"), "10439")
        assert (kfz.origin, kfz.inherited_from, kfz.rollout_level) == ("own", [], "kreis")
        assert [(s.slug, s.origin) for s in kfz.solutions] == [("kfz-zulassung", "own")]

    async def test_depth_is_the_deepest_per_model_and_names_the_solutions(self, solutions):
        melde = leistung(await service.scorecard("05112000"), "10559")
        assert depth(melde) == [("1.1", 3, ["meldebescheinigung-klassisch"]), ("2.0", 7, ["meldebescheinigung"])]
        assert sorted(s.slug for s in melde.solutions) == [
            "meldebescheinigung", "meldebescheinigung-klassisch", "melderegisterauskunft"]
        assert all(s.live_since == data.LIVE_SINCE for s in melde.solutions)

    async def test_the_depth_distribution_keeps_the_models_apart(self, solutions):
        dist = (await service.scorecard("05112000")).depth
        levels = {m.model: {lc.reifegrad: lc.leistungen for lc in m.levels if lc.leistungen} for m in dist.models}
        assert levels == {"1.1": {3: 1}, "2.0": {4: 1, 5: 1, 7: 1}}
        assert [len(m.levels) for m in dist.models] == [5, 8]  # every level of 1.1 (0–4) and 2.0 (0–7)
        assert (dist.models[0].leistungen, dist.models[1].leistungen, dist.without_reifegrad) == (1, 3, 0)

    async def test_preparation_lists_planned_dates_first(self, solutions):
        card = await service.scorecard("05112000")
        assert [(p.ozg_id, p.solution.slug, p.status, p.planned_live_on, p.leistung_online)
                for p in card.preparation] == [
            ("10519", "digitaler-bauantrag", "agreed", dt.date(2026, 6, 30), False),
            ("10124", "wohnsitzanmeldung", "interested", None, False)]
        assert [(a.ars, a.origin) for a in card.preparation[0].adopters] == [("05112", "own")]

    async def test_retired_solutions_count_for_nothing(self, solutions):
        card = await service.scorecard("051120000000")
        assert "10092" not in {x.ozg_id for x in card.leistungen}
        assert {t.key: t.with_solution for t in card.themenfelder}["arbeit-ruhestand"] == 1  # wohngeld-neu

    async def test_the_kreis_key_of_a_kreisfreie_stadt_gives_the_same_scorecard(self, solutions):
        by_gemeinde, by_kreis = await service.scorecard("05112000"), await service.scorecard("05112")
        assert (by_kreis.area.level, by_kreis.area.kind) == ("kreis", "kreisfreie_stadt")
        assert (by_kreis.leistungen, by_kreis.summary, by_kreis.preparation) == (
            by_gemeinde.leistungen, by_gemeinde.summary, by_gemeinde.preparation)

    async def test_a_kreisangehoerige_gemeinde_inherits_from_its_kreis(self, solutions):
        card = await service.scorecard("05158016")  # Hilden
        assert card.area.kind == "kreisangehoerige_gemeinde"
        assert {x.ozg_id: (x.origin, [r.name for r in x.inherited_from]) for x in card.leistungen} == {
            "10000": ("inherited", ["Nordrhein-Westfalen"]), "10124": ("inherited", ["Mettmann"]),
            "10439": ("inherited", ["Mettmann"]), "10559": ("own", [])}
        assert card.preparation == []  # Velbert's onboarding does not reach Hilden

    async def test_an_onboarding_regierungsbezirk_is_inherited_preparation(self, solutions):
        bochum, hamm = await service.scorecard("05911000"), await service.scorecard("05915000")
        assert [(p.ozg_id, p.adopters[0].name, p.adopters[0].origin, p.planned_live_on)
                for p in bochum.preparation] == [("10124", "Reg.-Bez. Arnsberg", "inherited", dt.date(2026, 9, 1))]
        assert (bochum.summary.in_preparation, hamm.summary.in_preparation) == (1, 0)
        assert [p.leistung_online for p in hamm.preparation] == [True]  # Hamm is live already

    async def test_per_themenfeld_counts_add_up(self, solutions):
        card = await service.scorecard("05915000")  # Hamm
        assert [t.key for t in card.themenfelder] == [t[0] for t in data.THEMENFELDER]
        assert {t.key: t.online for t in card.themenfelder} == {
            "arbeit-ruhestand": 0, "bauen-wohnen": 2, "familie-kind": 2, "mobilitaet-reisen": 0, "querschnitt": 1}
        assert sum(t.online for t in card.themenfelder) == card.summary.online == 5


class TestScorecardOfAKreis:
    async def test_a_leistung_live_in_some_gemeinden_is_partial(self, solutions):
        card = await service.scorecard("05158")
        assert (card.area.kind, card.area.gemeinden) == ("kreis", 3)
        assert (card.summary.online, card.summary.partial, card.summary.in_preparation) == (3, 1, 1)
        melde = leistung(card, "10559")
        assert (melde.coverage, melde.eligible_units, melde.covered_units, melde.origin) == ("partial", 3, 2, "own")
        assert depth(melde) == [("1.1", 3, ["meldebescheinigung-klassisch"]), ("2.0", 7, ["meldebescheinigung"])]
        assert [(p.ozg_id, p.adopters[0].name, p.adopters[0].origin) for p in card.preparation] == [
            ("10559", "Velbert, Stadt", "own")]

    async def test_its_own_adoption_covers_all_its_gemeinden(self, solutions):
        wohnsitz = leistung(await service.scorecard("05158"), "10124")
        assert (wohnsitz.coverage, wohnsitz.covered_units, wohnsitz.origin) == ("full", 3, "own")

    async def test_a_verbandsgemeinde_covers_its_ortsgemeinden(self, solutions):
        adenau = await service.scorecard("071315001")
        assert (adenau.area.kind, adenau.area.gemeinden) == ("gemeindeverband", 3)
        assert (leistung(adenau, "10124").coverage, leistung(adenau, "10559").covered_units) == ("full", 1)
        antweiler = await service.scorecard("07131004")
        assert [(x.ozg_id, x.inherited_from[0].name) for x in antweiler.leistungen] == [
            ("10124", "Adenau"), ("10439", "Ahrweiler")]


class TestScorecardRefusals:
    @pytest.mark.parametrize("key", ["05", "051", "07"])
    async def test_a_land_or_regierungsbezirk_has_no_scorecard(self, solutions, key):
        with pytest.raises(InvalidInput) as err:
            await service.scorecard(key)
        assert err.value.field == "ars"

    async def test_an_unknown_area_is_not_found(self, solutions):
        with pytest.raises(NotFound) as err:
            await service.scorecard("05999000")
        assert err.value.field == "ars"


class TestComparison:
    async def test_duisburg_shares_rank_2_with_bochum(self, solutions):
        result = await service.compare(["05112000,05915000"])
        duisburg, hamm = result.areas
        group = duisburg.peer_group
        assert (group.peers, group.rank, group.of, group.sharing_rank) == (3, 2, 4, 2)
        assert [(p.name, p.online, p.rank) for p in group.nearest] == [
            ("Düsseldorf, Stadt", 4, 1), ("Bochum, Stadt", 3, 2), ("Essen, Stadt", 1, 4)]
        assert (group.rule.kind, group.rule.population_min, group.rule.population_max) == (
            "kreisfreie_stadt", 251_135, 1_004_540)
        assert "kreisfreien Städten in Nordrhein-Westfalen mit 251.135 bis 1.004.540" in group.rule.text
        assert (hamm.peer_group.rank, hamm.peer_group.of, [p.name for p in hamm.peer_group.nearest]) == (
            1, 2, ["Bochum, Stadt"])

    async def test_a_peers_new_live_adoption_is_in_the_next_comparison(self, solutions):
        """The peers' breadth is kept per process between comparisons: a write moves it at once."""
        before = (await service.compare(["05112000", "05915000"])).areas[0].peer_group
        assert ("Essen, Stadt", 1, 4) in [(p.name, p.online, p.rank) for p in before.nearest]
        async with db.connection() as conn:
            paused = await conn.fetchrow(
                "SELECT id, version FROM adoption WHERE area = '051130000000' AND status = 'paused'")
        await adoptions.change(paused["id"], AdoptionPatch(status="live"), expected_version=paused["version"],
                               actor=Actor.system("test"))
        after = (await service.compare(["05112000", "05915000"])).areas[0].peer_group
        essen = next(p for p in after.nearest if p.name == "Essen, Stadt")
        assert essen.online == 2

    async def test_breadth_depth_and_preparation_side_by_side(self, solutions):
        duisburg, hamm = (await service.compare(["05112000", "05915000"])).areas
        assert (duisburg.summary.online, hamm.summary.online) == (3, 5)
        assert (duisburg.summary.in_preparation, hamm.summary.in_preparation) == (2, 0)
        assert duisburg.depth == (await service.scorecard("05112000")).depth

    async def test_equal_breadth_shares_a_rank_and_skips_the_next(self, solutions):
        hilden, velbert = (await service.compare(["05158016", "05158032"])).areas
        assert (hilden.peer_group.rank, hilden.peer_group.sharing_rank, velbert.peer_group.rank) == (1, 2, 3)
        assert [(p.name, p.rank) for p in velbert.peer_group.nearest] == [
            ("Ratingen, Stadt", 1), ("Hilden, Stadt", 1), ("Neuss, Stadt", 4)]

    async def test_kreise_are_compared_with_kreise(self, solutions):
        mettmann, ahrweiler = (await service.compare(["05158", "07131"])).areas
        assert [(p.ars, p.online, p.partial) for p in mettmann.peer_group.nearest] == [("05162", 2, 0)]
        assert (mettmann.peer_group.rank, ahrweiler.peer_group.peers, ahrweiler.peer_group.rank) == (1, 0, 1)

    async def test_a_kreisfreie_stadt_asked_by_its_kreis_key_finds_the_same_peers(self, solutions):
        by_kreis, _ = (await service.compare(["05112", "05915"])).areas
        by_gemeinde, _ = (await service.compare(["05112000", "05915"])).areas
        assert by_kreis.peer_group == by_gemeinde.peer_group

    async def test_peer_breadth_equals_each_peers_scorecard(self, solutions):
        for key in ("05112000", "05158016", "05158"):
            (area, _) = (await service.compare([key, "07131"])).areas
            for peer in area.peer_group.nearest:
                card = await service.scorecard(peer.ars)
                assert (peer.online, peer.partial) == (card.summary.online, card.summary.partial), peer.ars

    @pytest.mark.parametrize(("keys", "message"), [
        (["05112000"], "compare 2 to 10 areas, got 1"),
        ([",".join(["05112000"] * 11)], "got 11"),
        (["05112000", "051120"], "no ARS"),
        (["05112000", "051120000000"], "listed twice"),
        (["05112", "05915", "05112000"], "listed twice"),  # a kreisfreie Stadt by Kreis and Gemeinde key
    ])
    async def test_bad_lists_name_ars(self, solutions, keys, message):
        with pytest.raises(InvalidParameter) as err:
            await service.compare(keys)
        assert err.value.field == "ars" and message in err.value.detail


class TestMissing:
    async def test_the_not_yet_docked_gemeinden_of_nrw_with_their_status(self, solutions):
        result = await missing.missing("wohnsitzanmeldung", land="05", limit=50)
        assert (result.eligible_units, result.covered_units, result.missing_units) == (10, 5, 5)
        assert [(u.name, u.status, u.status_from.ars if u.status_from else None, u.status_origin, u.planned_live_on)
                for u in result.items] == [
            ("Duisburg, Stadt", "interested", "051120000000", "own", None),
            ("Essen, Stadt", "paused", "051130000000", "own", None),
            ("Neuss, Stadt", "none", None, None, None),
            ("Rommerskirchen", "none", None, None, None),
            ("Bochum, Stadt", "onboarding", "059", "inherited", dt.date(2026, 9, 1))]
        assert result.items[2].kreis.name == "Rhein-Kreis Neuss" and result.items[2].population == 154_317
        assert result.missing_population == sum(u.population for u in result.items)

    async def test_the_furthest_status_wins_and_the_nearest_adopter_holds_it(self, solutions):
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO adoption (id, solution, area, status, planned_live_on) VALUES ($1, $2, $3, $4, $5)",
                [(uuid.uuid4(), solutions["wohnsitzanmeldung"], ars, status, planned) for ars, status, planned in (
                    ("051620024024", "withdrawn", None), ("05162", "interested", None),
                    ("051620028", "agreed", dt.date(2026, 4, 1)), ("05", "agreed", dt.date(2027, 1, 1)))])
        items = {u.ars: u for u in (await missing.missing("wohnsitzanmeldung", kreis="05162")).items}
        neuss, rommerskirchen = items["051620024024"], items["051620028028"]
        assert (neuss.status, neuss.status_from.ars, neuss.planned_live_on) == ("agreed", "05", dt.date(2027, 1, 1))
        assert (rommerskirchen.status, rommerskirchen.status_from.ars, rommerskirchen.status_origin) == (
            "agreed", "051620028", "own")  # its Verband's key (a verbandsfreie Gemeinde), nearer than the Land
        assert neuss.status_origin == "inherited"

    async def test_a_gemeinde_covered_by_its_kreis_is_not_missing(self, solutions):
        result = await missing.missing("wohnsitzanmeldung", kreis="05158")
        assert (result.eligible_units, result.covered_units, result.items) == (3, 3, [])

    async def test_kreis_level_units_are_kreise_and_kreisfreie_staedte(self, solutions):
        result = await missing.missing("kfz-zulassung", land="DE-NW")
        assert [u.ars for u in result.items] == ["05113", "05162", "05915"]
        assert all(u.kreis is None and u.level == "kreis" for u in result.items)

    async def test_nationally_every_land_counts(self, solutions):
        result = await missing.missing("wohnsitzanmeldung")
        assert (result.scope.level, result.eligible_units, result.covered_units) == ("national", 14, 8)
        assert result.items[-1].name == "Koblenz, Stadt"

    async def test_pages_follow_the_cursor_without_gaps_or_repeats(self, solutions):
        seen, after = [], None
        for _ in range(5):
            page = await missing.missing("wohnsitzanmeldung", land="05", limit=2, after=after)
            seen += [u.ars for u in page.items]
            after = page.next_cursor
            if after is None:
                break
        whole = await missing.missing("wohnsitzanmeldung", land="05", limit=50)
        assert seen == [u.ars for u in whole.items] and len(seen) == 5

    async def test_the_csv_holds_every_missing_unit(self, solutions):
        name, chunks = await missing.missing_csv("wohnsitzanmeldung", land="05")
        rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))
        assert name == "wohnsitzanmeldung-missing-05.csv"
        assert [r["ars"] for r in rows] == [u.ars for u in (await missing.missing("wohnsitzanmeldung",
                                                                                   land="05")).items]
        assert rows[4] == {"ars": "059110000000", "ags": "05911000", "name": "Bochum, Stadt", "level": "gemeinde",
                           "population": "358676", "kreisArs": "05911", "kreisName": "Bochum, Stadt",
                           "status": "onboarding", "statusFromArs": "059", "statusFromName": "Reg.-Bez. Arnsberg",
                           "statusOrigin": "inherited", "plannedLiveOn": "2026-09-01"}

    @pytest.mark.parametrize(("kwargs", "error", "field"), [
        ({"land": "05", "kreis": "05158"}, InvalidParameter, "kreis"),
        ({"kreis": "05999"}, NotFound, "kreis"),
        ({"land": "16"}, NotFound, "land"),
    ])
    async def test_bad_scopes_name_the_parameter(self, solutions, kwargs, error, field):
        with pytest.raises(error) as err:
            await missing.missing("wohnsitzanmeldung", **kwargs)
        assert err.value.field == field

    async def test_a_land_level_solution_has_no_kreis_scope(self, solutions):
        with pytest.raises(InvalidInput) as err:
            await missing.missing("elterngeld-digital", kreis="05158")
        assert err.value.field == "kreis"


class TestAgreementWithTheRollout:
    @pytest.mark.parametrize("slug", [s[0] for s in data.SOLUTIONS])
    async def test_missing_plus_covered_is_the_rollout_of_each_land_and_kreis(self, solutions, slug):
        for code in ("05", "07"):
            figures = next(x.figures for x in (await rollout.solution_rollout(slug)).lands if x.land.code == code)
            listed = await missing.missing(slug, land=code, limit=1000)
            assert (listed.eligible_units, listed.covered_units, listed.missing_units) == (
                figures.eligible_units, figures.covered_units, figures.eligible_units - figures.covered_units)
            assert listed.covered_population == figures.covered_population
        level = dict((s[0], s[3]) for s in data.SOLUTIONS)[slug]
        if level != "land":
            for kreis in (await rollout.solution_rollout(slug, land="05", by="kreis")).kreise:
                listed = await missing.missing(slug, kreis=kreis.ars)
                assert (listed.eligible_units, listed.covered_units) == (
                    kreis.figures.eligible_units, kreis.figures.covered_units), kreis.ars

    async def test_gemeinde_scorecards_add_up_to_each_ozg_rollout(self, solutions):
        cards = {ars: await service.scorecard(ars) for ars in data.NRW_GEMEINDEN}
        kreise = {ars: await service.scorecard(ars) for ars in data.NRW_KREISE}
        for ozg_id, *_ in data.LEISTUNGEN:
            result = await rollout.ozg_rollout(ozg_id)
            nrw = next(x.figures for x in result.lands if x.land.code == "05")
            units = {"gemeinde": cards, "kreis": kreise, "land": dict(list(cards.items())[:1])}[result.rollout_level]
            online = sum(any(x.ozg_id == ozg_id and x.coverage == "full" for x in c.leistungen) for c in units.values())
            if result.rollout_level == "land":
                assert online == nrw.covered_units, ozg_id
            else:
                assert (len(units), online) == (nrw.eligible_units, nrw.covered_units), ozg_id
