"""Pure rollout rules: coverage by ARS prefix, OZG-Leistung level, figures, totals, ranking, timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from efa_registry.rollout import rules
from efa_registry.rollout.model import Cell, LandRef


@pytest.mark.parametrize(("adopter", "unit", "covered"), [
    ("10", "100410100100", True),            # a Land covers its Gemeinden
    ("10", "10041", True),                   # … and its Kreise
    ("05", "05", True),                      # … and itself
    ("051", "051120000000", True),           # a Regierungsbezirk covers what lies inside it
    ("05112", "051120000000", True),         # a Kreis covers its Gemeinden
    ("073355006", "073355006025", True),     # a Verbandsgemeinde covers its Ortsgemeinden
    ("051120000000", "051120000000", True),  # a Gemeinde covers itself
    ("051120000000", "05112", False),        # … but not its Kreis
    ("05113", "051120000000", False),        # another Kreis
    ("10", "051120000000", False),           # another Land
    ("0811", "081115000000", False),         # a Region (4 digits) is no ARS prefix: covers nothing
])
def test_an_adoption_covers_the_units_inside_its_area(adopter, unit, covered):
    assert rules.covers(adopter, unit) is covered


@pytest.mark.parametrize(("execution_level", "solution_levels", "expected"), [
    ("kreis", ["gemeinde"], ("kreis", "execution_level")),
    ("land", [], ("land", "execution_level")),
    (None, ["land", "kreis"], ("kreis", "solutions")),
    ("bund", ["land", "gemeinde"], ("gemeinde", "solutions")),
    (None, ["land"], ("land", "solutions")),
    (None, [], ("gemeinde", "default")),
    ("bund", [], ("gemeinde", "default")),
])
def test_ozg_level_is_execution_level_else_finest_solution_level_else_gemeinde(
        execution_level, solution_levels, expected):
    assert rules.ozg_level(execution_level, solution_levels) == expected


@pytest.mark.parametrize(("eligible", "covered", "flaechendeckend", "available"), [
    (52, 52, True, True),
    (396, 395, False, True),   # 99.7 % is not flächendeckend
    (100, 99, False, True),
    (396, 0, False, False),
    (0, 0, False, False),      # nothing to cover is not flächendeckend either
])
def test_flaechendeckend_only_when_every_eligible_unit_is_covered(eligible, covered, flaechendeckend, available):
    figures = rules.figures(Cell(eligible_units=eligible, covered_units=covered))
    assert (figures.flaechendeckend, figures.available_somewhere) == (flaechendeckend, available)


def test_figures_shares_by_count_and_population():
    figures = rules.figures(Cell(eligible_units=396, covered_units=1, eligible_population=18_034_454,
                                 covered_population=503_707, live=1, paused=2, withdrawn=1))
    assert figures.share_by_count == pytest.approx(1 / 396)
    assert figures.share_by_population == pytest.approx(503_707 / 18_034_454)
    assert (figures.adoptions.live, figures.adoptions.paused, figures.adoptions.withdrawn) == (1, 2, 1)


def test_shares_are_none_without_eligible_units():
    figures = rules.figures(rules.empty_cell())
    assert (figures.share_by_count, figures.share_by_population) == (None, None)


def test_national_total_adds_counts_and_spans_go_lives():
    cells = [
        Cell(eligible_units=52, covered_units=52, eligible_population=10, covered_population=10, live=52,
             first_go_live=dt.date(2021, 3, 1), latest_go_live=dt.date(2022, 1, 5)),
        Cell(eligible_units=396, covered_units=1, eligible_population=20, covered_population=2, interested=3,
             first_go_live=dt.date(2020, 7, 1), latest_go_live=dt.date(2020, 7, 1)),
        rules.empty_cell(eligible_units=2, eligible_population=5),
    ]
    total = rules.total(cells)
    assert (total.eligible_units, total.covered_units, total.eligible_population, total.covered_population) == (
        450, 53, 35, 12)
    assert (total.live, total.interested) == (52, 3)
    assert (total.first_go_live, total.latest_go_live) == (dt.date(2020, 7, 1), dt.date(2022, 1, 5))


LANDS = [LandRef(code=c, iso_code=None, name=n) for c, n in (("05", "NRW"), ("09", "Bayern"), ("10", "Saarland"))]


def test_ranking_by_flaechendeckend_ozg_leistungen_then_mean_share():
    ozg_cells = [
        ("10", 52, 52), ("10", 52, 0),        # one of two flächendeckend, mean 0.5
        ("05", 396, 396), ("05", 396, 396),   # two of two
        ("09", 10, 10), ("09", 10, 9),        # one of two, mean 0.95: ahead of the Saarland
    ]
    ranking = rules.rank_lands(LANDS, ozg_cells)
    assert [(e.rank, e.land, e.flaechendeckend_ozg_leistungen, e.ozg_leistungen) for e in ranking] == [
        (1, "05", 2, 2), (2, "09", 1, 2), (3, "10", 1, 2)]
    assert ranking[1].mean_share_by_count == pytest.approx(0.95)


def test_full_ties_share_a_rank():
    ranking = rules.rank_lands(LANDS, [("05", 1, 1), ("09", 1, 1)])
    assert [(e.rank, e.land) for e in ranking] == [(1, "05"), (1, "09"), (3, "10")]
    assert ranking[2].ozg_leistungen == 0 and ranking[2].mean_share_by_count == 0.0


def test_month_axis_spans_years():
    axis = rules.month_axis(dt.date(2020, 11, 15), dt.date(2021, 2, 1))
    assert axis == [dt.date(2020, 11, 1), dt.date(2020, 12, 1), dt.date(2021, 1, 1), dt.date(2021, 2, 1)]


def test_cumulative_repeats_the_total_in_months_without_go_lives():
    axis = rules.month_axis(dt.date(2021, 1, 1), dt.date(2021, 4, 1))
    assert rules.cumulative({dt.date(2021, 1, 1): 2, dt.date(2021, 3, 1): 5}, axis) == [2, 2, 7, 7]
