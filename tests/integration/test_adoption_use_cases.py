"""Adoption use cases on PostgreSQL, called in the core: subscribe, lifecycle steps, plans, bulk
loads and the area view. Every refusal leaves the adoption tables as they were."""

from __future__ import annotations

import datetime as dt

import pytest

from efa_registry.adoptions import bulk, service
from efa_registry.adoptions.model import AdoptionPatch, BulkAdoption, Subscribe
from efa_registry.errors import (
    AlreadyExists,
    Conflict,
    Forbidden,
    InvalidInput,
    InvalidReference,
    InvalidTransition,
    PreconditionRequired,
    Unauthenticated,
    VersionConflict,
)
from efa_registry.rollout import service as rollout
from efa_registry.solutions import service as solutions
from efa_registry.solutions.model import SolutionCreate
from tests.integration.probes import events_of, table

DUISBURG, ESSEN = "051120000000", "051130000000"


@pytest.fixture
async def wohngeld(actors):
    solution, _ = await solutions.create_solution(
        SolutionCreate(name="Wohngeld digital", provider="land-nrw", ozg_ids=["10000"], status="available"),
        actor=actors["curator"])
    return solution


async def subscribed(actors, ars=DUISBURG, who="adopter"):
    adoption, created = await service.subscribe("wohngeld-digital", Subscribe(ars=ars), actor=actors[who])
    assert created
    return adoption


async def moved(actors, adoption, who, status, **changes):
    return await service.change(adoption.id, AdoptionPatch(status=status, **changes),
                                expected_version=adoption.version, actor=actors[who])


async def adoption_tables() -> list:
    return [await table("adoption"), await table("adoption_transition")]


class TestSubscribe:
    async def test_an_adopter_subscribes_an_area_inside_its_ars(self, actors, wohngeld):
        adoption = await subscribed(actors)
        assert (adoption.status, adoption.area.ars, adoption.solution.id, adoption.version) == (
            "interested", DUISBURG, wohngeld.id, 1)
        assert [(t.from_status, t.to_status, t.actor) for t in adoption.transitions] == [
            (None, "interested", "test:duisburg")]
        assert await events_of(adoption.id) == [("adoption", "subscribed", 1)]

    async def test_an_adopter_cannot_subscribe_an_area_outside_its_ars(self, actors, wohngeld):
        with pytest.raises(Forbidden):
            await service.subscribe("wohngeld-digital", Subscribe(ars=ESSEN), actor=actors["adopter"])
        assert await adoption_tables() == [[], []]

    async def test_an_area_has_one_open_adoption_per_solution(self, actors, wohngeld):
        await subscribed(actors)
        with pytest.raises(AlreadyExists) as refused:
            await service.subscribe("wohngeld-digital", Subscribe(ars=DUISBURG), actor=actors["curator"])
        assert refused.value.field == "ars"

    @pytest.mark.parametrize(("ars", "error"), [("033585000000", InvalidInput), ("059999999999", InvalidReference)])
    async def test_only_a_current_area_with_an_administration_adopts(self, actors, wohngeld, ars, error):
        with pytest.raises(error) as refused:
            await service.subscribe("wohngeld-digital", Subscribe(ars=ars), actor=actors["curator"])
        assert refused.value.field == "ars"
        assert await adoption_tables() == [[], []]

    async def test_a_retired_solution_takes_no_new_adoptions(self, actors, wohngeld):
        await solutions.retire_solution(wohngeld.id, expected_version=wohngeld.version, actor=actors["curator"])
        with pytest.raises(Conflict):
            await subscribed(actors)

    async def test_a_repeated_idempotency_key_returns_the_first_adoption(self, actors, wohngeld):
        first, created = await service.subscribe("wohngeld-digital", Subscribe(ars=DUISBURG), actor=actors["adopter"],
                                                 idempotency_key="k-1")
        again, created_again = await service.subscribe("wohngeld-digital", Subscribe(ars=DUISBURG),
                                                       actor=actors["adopter"], idempotency_key="k-1")
        assert (created, created_again, again.id) == (True, False, first.id)


class TestLifecycleStep:
    async def test_the_provider_takes_an_adoption_live(self, actors, wohngeld):
        adoption = await subscribed(actors)
        for status in ("agreed", "onboarding", "live"):
            adoption = await moved(actors, adoption, "provider_nrw", status)
        assert (adoption.status, adoption.live_since, adoption.version) == ("live", dt.date.today(), 4)
        assert [e[1] for e in await events_of(adoption.id)] == ["subscribed", "agree", "start_onboarding", "go_live"]
        figures = await rollout.solution_rollout(wohngeld.id, land="05")
        assert (figures.lands[0].figures.covered_units, figures.lands[0].figures.eligible_units) == (1, 2)

    async def test_withdrawn_adoption_cannot_go_live(self, actors, wohngeld):
        adoption = await moved(actors, await subscribed(actors), "adopter", "withdrawn")
        before = await adoption_tables()
        with pytest.raises(InvalidTransition) as refused:
            await moved(actors, adoption, "curator", "live")
        assert refused.value.allowed == []
        assert await adoption_tables() == before

    async def test_a_paused_adoption_resumes_where_it_paused(self, actors, wohngeld):
        adoption = await moved(actors, await subscribed(actors), "provider_nrw", "agreed")
        paused = await moved(actors, adoption, "adopter", "paused")
        assert paused.paused_from == "agreed"
        with pytest.raises(InvalidTransition) as refused:
            await moved(actors, paused, "adopter", "interested")
        assert refused.value.allowed == ["agreed", "withdrawn"]
        resumed = await moved(actors, paused, "adopter", "agreed")
        assert (resumed.status, resumed.paused_from) == ("agreed", None)

    @pytest.mark.parametrize(("who", "status", "error"), [
        ("provider_nrw", "withdrawn", Forbidden),   # withdrawing is the adopter's decision
        ("provider_saar", "agreed", Forbidden),     # not its solution
        ("adopter", "agreed", Forbidden),           # agreeing is the provider's
        ("integrator", "paused", Forbidden),
        ("anonymous", "agreed", Unauthenticated),
    ])
    async def test_only_the_roles_the_policy_names_take_a_step(self, actors, wohngeld, who, status, error):
        adoption = await subscribed(actors)
        before = await adoption_tables()
        with pytest.raises(error):
            await moved(actors, adoption, who, status)
        assert await adoption_tables() == before

    async def test_a_step_needs_the_current_version(self, actors, wohngeld):
        adoption = await subscribed(actors)
        with pytest.raises(PreconditionRequired):
            await service.change(adoption.id, AdoptionPatch(status="agreed"), expected_version=None,
                                 actor=actors["curator"])
        with pytest.raises(VersionConflict):
            await service.change(adoption.id, AdoptionPatch(status="agreed"), expected_version=7,
                                 actor=actors["curator"])


class TestChangePlans:
    async def test_the_adopter_changes_its_plans_without_a_step(self, actors, wohngeld):
        adoption = await subscribed(actors)
        changed = await service.change(adoption.id, AdoptionPatch(planned_live_on=dt.date(2027, 3, 1), note="Q1"),
                                       expected_version=1, actor=actors["adopter"])
        assert (changed.status, changed.planned_live_on, changed.note, changed.version) == (
            "interested", dt.date(2027, 3, 1), "Q1", 2)
        assert len(changed.transitions) == 1 and (await events_of(adoption.id))[-1] == ("adoption", "updated", 2)

    async def test_an_integrator_may_not_change_plans(self, actors, wohngeld):
        adoption = await subscribed(actors)
        with pytest.raises(Forbidden):
            await service.change(adoption.id, AdoptionPatch(note="x"), expected_version=1, actor=actors["integrator"])

    async def test_live_since_belongs_to_a_live_adoption(self, actors, wohngeld):
        adoption = await subscribed(actors)
        with pytest.raises(InvalidInput) as refused:
            await service.change(adoption.id, AdoptionPatch(live_since=dt.date(2024, 1, 1)), expected_version=1,
                                 actor=actors["curator"])
        assert refused.value.field == "liveSince"

    async def test_only_the_office_backdates_going_live(self, actors, wohngeld):
        adoption = await subscribed(actors)
        for status in ("agreed", "onboarding"):
            adoption = await moved(actors, adoption, "curator", status)
        with pytest.raises(InvalidInput):
            await moved(actors, adoption, "provider_nrw", "live", live_since=dt.date(2023, 1, 1))
        live = await moved(actors, adoption, "curator", "live", live_since=dt.date(2023, 1, 1))
        assert live.live_since == dt.date(2023, 1, 1)


class TestBulkAdopt:
    async def test_a_whole_land_goes_live_at_once_and_a_repeat_changes_nothing(self, actors, wohngeld):
        cmd = BulkAdoption(land="05", status="live", live_since=dt.date(2024, 1, 1))
        first = await bulk.bulk_adopt("wohngeld-digital", cmd, actor=actors["curator"])
        again = await bulk.bulk_adopt("wohngeld-digital", cmd, actor=actors["curator"])
        assert ((first.created, first.changed), (again.created, again.unchanged)) == ((2, 0), (0, 2))
        page = await service.list_for_solution("wohngeld-digital", status=["live"], land=None, limit=10, after=None)
        assert [(a.area.ars, a.live_since) for a in page.items] == [(DUISBURG, dt.date(2024, 1, 1)),
                                                                    (ESSEN, dt.date(2024, 1, 1))]

    async def test_another_provider_may_not_bulk_load(self, actors, wohngeld):
        with pytest.raises(Forbidden):
            await bulk.bulk_adopt("wohngeld-digital", BulkAdoption(ars=[DUISBURG]), actor=actors["provider_saar"])
        assert await adoption_tables() == [[], []]


class TestAreaView:
    async def test_an_area_sees_the_live_adoptions_of_enclosing_areas(self, actors, wohngeld):
        await bulk.bulk_adopt("wohngeld-digital", BulkAdoption(ars=["05"]), actor=actors["curator"])
        own = await subscribed(actors)
        view = await service.list_for_area(DUISBURG)
        assert [(v.inherited_from, v.adoption.id == own.id) for v in view] == [(None, True), ("05", False)]
