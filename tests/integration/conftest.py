"""Fixtures of the use-case tests: the actors of the reference catalogue, as the core sees them."""

from __future__ import annotations

import pytest

from efa_registry.access.model import Actor


@pytest.fixture
async def actors(catalogue) -> dict[str, Actor]:
    """One actor per role; the providers bound to their organisations, the adopter to Duisburg."""
    return {
        "curator": Actor(label="test:curator", role="curator"),
        "provider_nrw": Actor(label="test:nrw", role="provider", organisation_id=catalogue["nrw"].id),
        "provider_saar": Actor(label="test:saar", role="provider", organisation_id=catalogue["saar"].id),
        "adopter": Actor(label="test:duisburg", role="adopter", ars=("05112",)),
        "integrator": Actor(label="test:portal", role="integrator"),
        "anonymous": None,
    }
