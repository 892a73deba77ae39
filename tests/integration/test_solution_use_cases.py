"""Catalogue use cases on PostgreSQL, called in the core: create, change and retire solutions,
their interfaces and their history. Every refusal leaves the catalogue as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from efa_registry.errors import AlreadyExists, Forbidden, InvalidInput, InvalidReference, VersionConflict
from efa_registry.solutions import service
from efa_registry.solutions.model import InterfaceCreate, InterfacePatch, SolutionCreate, SolutionPatch
from efa_registry.solutions.search import SolutionQuery
from tests.integration.probes import events_of, table

BAUANTRAG = SolutionCreate(name="Digitaler Bauantrag", provider="land-nrw", ozg_ids=["10521"], status="available",
                           contact_name="Erika Muster")


async def catalogue_tables() -> list:
    return [await table(t) for t in ("solution", "interface", "solution_ozg_leistung", "event")]


class TestCreateSolution:
    async def test_a_provider_creates_a_solution_of_its_own_organisation(self, actors):
        solution, created = await service.create_solution(BAUANTRAG, actor=actors["provider_nrw"])
        assert created and (solution.slug, solution.provider.slug, solution.version) == (
            "digitaler-bauantrag", "land-nrw", 1)
        assert [o.ozg_id for o in solution.ozg_leistungen] == ["10521"] and solution.themenfelder == ["bauen-wohnen"]
        assert await events_of(solution.id) == [("solution", "created", 1)]

    async def test_a_provider_cannot_create_a_solution_for_another_provider(self, actors):
        before = await catalogue_tables()
        with pytest.raises(Forbidden):
            await service.create_solution(BAUANTRAG, actor=actors["provider_saar"])
        assert await catalogue_tables() == before

    @pytest.mark.parametrize(("cmd", "error", "field"), [
        (SolutionCreate(name="X-Dienst", provider="land-nrw", ozg_ids=["99999"]), InvalidReference, "ozgIds"),
        (SolutionCreate(name="X-Dienst", provider="nobody"), InvalidReference, "provider"),
        (SolutionCreate(name="X-Dienst", provider="land-nrw", status="available"), InvalidInput, "ozgIds"),
        (SolutionCreate(name="X-Dienst", provider="land-nrw", reifegrad=3), InvalidInput, "reifegradModel"),
        (SolutionCreate(name="X-Dienst", provider="land-nrw", slug="import"), InvalidInput, "slug"),
    ])
    async def test_an_inconsistent_solution_is_refused_naming_the_field(self, actors, cmd, error, field):
        before = await catalogue_tables()
        with pytest.raises(error) as refused:
            await service.create_solution(cmd, actor=actors["curator"])
        assert refused.value.field == field
        assert await catalogue_tables() == before

    async def test_a_taken_slug_is_refused(self, actors):
        await service.create_solution(BAUANTRAG, actor=actors["curator"])
        with pytest.raises(AlreadyExists) as refused:
            await service.create_solution(BAUANTRAG, actor=actors["curator"])
        assert refused.value.field == "slug"

    async def test_a_repeated_idempotency_key_creates_one_solution(self, actors):
        first, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"], idempotency_key="same")
        again, created = await service.create_solution(BAUANTRAG, actor=actors["curator"], idempotency_key="same")
        assert (created, again.id) == (False, first.id) and len(await table("solution")) == 1


class TestUpdateSolution:
    async def test_a_merge_patch_changes_only_the_fields_it_names(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        changed = await service.update_solution(solution.id, SolutionPatch(summary="Bauen online", licence=None),
                                                expected_version=1, actor=actors["provider_nrw"])
        assert (changed.summary, changed.name, changed.version) == ("Bauen online", "Digitaler Bauantrag", 2)
        history = await service.history(solution.id)
        assert history[-1].changes == {"summary": {"from": None, "to": "Bauen online"}}

    async def test_a_change_based_on_an_old_version_is_refused(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        await service.update_solution(solution.id, SolutionPatch(summary="eins"), expected_version=1,
                                      actor=actors["curator"])
        with pytest.raises(VersionConflict) as refused:
            await service.update_solution(solution.id, SolutionPatch(summary="zwei"), expected_version=1,
                                          actor=actors["curator"])
        assert refused.value.current_version == 2

    async def test_handing_a_solution_to_another_provider_needs_rights_on_both(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        with pytest.raises(Forbidden):
            await service.update_solution(solution.id, SolutionPatch(provider="saarland"), expected_version=1,
                                          actor=actors["provider_nrw"])
        handed = await service.update_solution(solution.id, SolutionPatch(provider="saarland"), expected_version=1,
                                               actor=actors["curator"])
        assert handed.provider.slug == "saarland"

    async def test_a_required_field_cannot_be_removed(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        with pytest.raises(InvalidInput) as refused:
            await service.update_solution(solution.id, SolutionPatch(name=None), expected_version=1,
                                          actor=actors["curator"])
        assert refused.value.field == "name"


class TestRetireSolution:
    async def test_a_retired_solution_stays_readable_but_leaves_the_default_search(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        retired = await service.retire_solution(solution.id, expected_version=1, actor=actors["provider_nrw"])
        assert (await service.get_solution("digitaler-bauantrag")).status == retired.status == "retired"
        default, _ = await service.search_solutions(SolutionQuery(), limit=10, after=None)
        asked, _ = await service.search_solutions(SolutionQuery(status=["retired"]), limit=10, after=None)
        assert (default.items, [s.id for s in asked.items]) == ([], [solution.id])


class TestInterfaces:
    async def test_adding_an_interface_is_also_a_new_solution_version(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        interface, _ = await service.create_interface(solution.id, InterfaceCreate(kind="xoev", standard="XBau"),
                                                      actor=actors["provider_nrw"])
        reread = await service.get_solution(solution.id)
        assert (reread.version, [i.id for i in reread.interfaces]) == (2, [interface.id])
        assert [e[1] for e in await events_of(solution.id)] == ["created", "interface_created"]

    async def test_a_deprecated_interface_announces_its_sunset(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        interface, _ = await service.create_interface(solution.id, InterfaceCreate(kind="rest"),
                                                      actor=actors["curator"])
        with pytest.raises(InvalidInput) as refused:
            await service.update_interface(interface.id, InterfacePatch(status="deprecated"), expected_version=1,
                                           actor=actors["curator"])
        assert refused.value.field == "sunsetOn"
        deprecated = await service.update_interface(
            interface.id, InterfacePatch(status="deprecated", sunset_on=dt.date(2027, 6, 30)), expected_version=1,
            actor=actors["curator"])
        assert (deprecated.status, deprecated.version) == ("deprecated", 2)

    async def test_another_provider_may_not_add_an_interface(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        with pytest.raises(Forbidden):
            await service.create_interface(solution.id, InterfaceCreate(kind="rest"), actor=actors["provider_saar"])


class TestHistory:
    async def test_contact_changes_show_only_to_authenticated_callers(self, actors):
        solution, _ = await service.create_solution(BAUANTRAG, actor=actors["curator"])
        await service.update_solution(solution.id, SolutionPatch(contact_name="Max Muster"), expected_version=1,
                                      actor=actors["curator"])
        public = await service.history(solution.id)
        internal = await service.history(solution.id, with_contact=True)
        assert public[-1].changes == {}
        assert internal[-1].changes == {"contact_name": {"from": "Erika Muster", "to": "Max Muster"}}
