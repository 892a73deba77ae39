"""The adoption lifecycle table, rule by rule."""

import datetime as dt

import pytest

from efa_registry.access.policy import Scope
from efa_registry.adoptions.rules import allowed_targets, check_live_since, scope_for, transition
from efa_registry.errors import InvalidInput, InvalidTransition


@pytest.mark.parametrize(("status", "paused_from", "target", "step"), [
    ("interested", None, "agreed", "agree"),
    ("agreed", None, "onboarding", "start_onboarding"),
    ("onboarding", None, "live", "go_live"),
    ("interested", None, "paused", "pause"),
    ("live", None, "paused", "pause"),
    ("paused", "onboarding", "onboarding", "resume"),
    ("paused", "live", "live", "resume"),
    ("live", None, "withdrawn", "withdraw"),
    ("paused", "agreed", "withdrawn", "withdraw"),
])
def test_legal_transitions(status, paused_from, target, step):
    assert transition(status, paused_from, target) == step


@pytest.mark.parametrize(("status", "paused_from", "target", "allowed"), [
    ("interested", None, "live", ["agreed", "paused", "withdrawn"]),
    ("interested", None, "onboarding", ["agreed", "paused", "withdrawn"]),
    ("agreed", None, "interested", ["onboarding", "paused", "withdrawn"]),
    ("live", None, "onboarding", ["paused", "withdrawn"]),
    ("paused", "agreed", "live", ["agreed", "withdrawn"]),
    ("paused", "agreed", "paused", ["agreed", "withdrawn"]),
    ("withdrawn", None, "interested", []),
    ("withdrawn", None, "live", []),
])
def test_illegal_transitions_list_what_is_allowed(status, paused_from, target, allowed):
    with pytest.raises(InvalidTransition) as err:
        transition(status, paused_from, target)
    assert err.value.allowed == allowed == allowed_targets(status, paused_from)


@pytest.mark.parametrize(("role", "step", "scope"), [
    ("curator", "agree", Scope.ANY), ("provider", "agree", Scope.OWN_ORGANISATION), ("adopter", "agree", Scope.NONE),
    ("provider", "go_live", Scope.OWN_ORGANISATION), ("adopter", "go_live", Scope.OWN_AREA),
    ("adopter", "pause", Scope.OWN_AREA), ("provider", "pause", Scope.NONE), ("adopter", "withdraw", Scope.OWN_AREA),
    ("provider", "withdraw", Scope.NONE), ("integrator", "go_live", Scope.NONE), (None, "agree", Scope.NONE),
    ("adopter", "start_onboarding", Scope.NONE), ("adopter", "resume", Scope.OWN_AREA),
])
def test_who_may_make_which_transition(role, step, scope):
    assert scope_for(role, step) is scope


def test_live_since_backdating_is_for_curators_and_never_in_the_future():
    today = dt.date(2026, 11, 22)
    check_live_since(dt.date(2023, 1, 1), role="curator", today=today)
    check_live_since(None, role="adopter", today=today)
    with pytest.raises(InvalidInput):
        check_live_since(dt.date(2023, 1, 1), role="provider", today=today)
    with pytest.raises(InvalidInput):
        check_live_since(dt.date(2027, 1, 1), role="curator", today=today)
