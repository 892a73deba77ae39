"""Organisation use cases on PostgreSQL, called in the core: create, change and list. Every
refusal leaves the organisations as they were."""

from __future__ import annotations

import pytest

from efa_registry.errors import AlreadyExists, Forbidden, InvalidInput, NotFound, PreconditionRequired, Unauthenticated
from efa_registry.organisations import service
from efa_registry.organisations.model import OrganisationCreate, OrganisationFilter, OrganisationPatch
from tests.integration.probes import events_of, table

ESSEN = OrganisationCreate(kind="kommune", name="Stadt Essen", area="051130000000", contact_phone="0201 880")


class TestCreateOrganisation:
    async def test_the_office_creates_an_organisation_with_a_slug_from_its_name(self, actors):
        org = await service.create_organisation(ESSEN, actor=actors["curator"])
        assert (org.slug, org.land, org.area_name, org.version) == ("stadt-essen", "05", "Essen, Stadt", 1)
        assert await events_of(org.id) == [("organisation", "created", 1)]

    @pytest.mark.parametrize(("who", "error"), [("provider_nrw", Forbidden), ("adopter", Forbidden),
                                                ("anonymous", Unauthenticated)])
    async def test_only_the_office_creates_organisations(self, actors, who, error):
        before = await table("organisation")
        with pytest.raises(error):
            await service.create_organisation(ESSEN, actor=actors[who])
        assert await table("organisation") == before

    async def test_a_taken_slug_is_refused(self, actors):
        with pytest.raises(AlreadyExists) as refused:
            await service.create_organisation(OrganisationCreate(kind="land", name="NRW", slug="land-nrw"),
                                              actor=actors["curator"])
        assert refused.value.field == "slug"


class TestUpdateOrganisation:
    async def test_a_provider_changes_its_own_organisation(self, actors):
        org = await service.update_organisation("land-nrw", OrganisationPatch(website="https://www.land.nrw"),
                                                expected_version=1, actor=actors["provider_nrw"])
        assert (org.website, org.version) == ("https://www.land.nrw", 2)
        assert (await events_of(org.id))[-1] == ("organisation", "updated", 2)

    async def test_a_provider_may_not_change_another_organisation(self, actors):
        before = await table("organisation")
        with pytest.raises(Forbidden):
            await service.update_organisation("saarland", OrganisationPatch(name="Saar"), expected_version=1,
                                              actor=actors["provider_nrw"])
        assert await table("organisation") == before

    async def test_a_change_names_the_version_it_is_based_on(self, actors):
        with pytest.raises(PreconditionRequired):
            await service.update_organisation("land-nrw", OrganisationPatch(name="NRW"), expected_version=None,
                                              actor=actors["curator"])

    async def test_a_required_field_cannot_be_removed(self, actors):
        with pytest.raises(InvalidInput) as refused:
            await service.update_organisation("land-nrw", OrganisationPatch(kind=None), expected_version=1,
                                              actor=actors["curator"])
        assert refused.value.field == "kind"

    async def test_an_unknown_organisation_is_not_found(self, actors):
        with pytest.raises(NotFound):
            await service.update_organisation("nirgendwo", OrganisationPatch(name="X"), expected_version=1,
                                              actor=actors["curator"])


class TestListOrganisations:
    async def test_filters_narrow_and_pages_follow_the_cursor(self, actors):
        await service.create_organisation(ESSEN, actor=actors["curator"])
        nrw = await service.list_organisations(OrganisationFilter(land="05"), limit=10, after=None)
        assert [o.slug for o in nrw.items] == ["land-nrw", "stadt-essen"]
        kommunen = await service.list_organisations(OrganisationFilter(kind="kommune", q="ess"), limit=10, after=None)
        assert [o.slug for o in kommunen.items] == ["stadt-essen"]
        first = await service.list_organisations(limit=2, after=None)
        rest = await service.list_organisations(limit=2, after=first.next_cursor)
        assert [o.slug for o in first.items + rest.items] == ["land-nrw", "saarland", "stadt-essen"]
        assert rest.next_cursor is None
