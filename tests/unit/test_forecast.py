"""Rollout forecast: the 12-month window, the pace, the completion month, the states, the projection."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from efa_registry.rollout import forecast as fc

D = dt.date


def days(first: D, count: int, step: int = 1) -> list[D]:
    """``count`` go-live dates from ``first``, ``step`` days apart."""
    return [first + dt.timedelta(days=i * step) for i in range(count)]


@pytest.mark.parametrize(("today", "start"), [
    (D(2025, 11, 30), D(2024, 12, 1)),
    (D(2025, 1, 1), D(2024, 1, 2)),
    (D(2024, 2, 29), D(2023, 3, 1)),   # a year before 29 February is the 28th
    (D(2025, 3, 1), D(2024, 3, 2)),
])
def test_the_window_is_the_twelve_months_ending_today(today, start):
    assert fc.window(today) == (start, today)


@pytest.mark.parametrize(("eligible", "live", "go_lives", "today", "state", "pace", "complete_by", "in_window"), [
    # nothing eligible: no pace at all
    (0, 0, [], D(2025, 11, 30), "no_units", None, None, 0),
    (0, 0, days(D(2025, 5, 1), 3), D(2025, 11, 30), "no_units", None, None, 3),
    # every unit live: done, the recent pace is still reported
    (10, 10, days(D(2025, 1, 10), 6), D(2025, 11, 30), "done", 0.5, None, 6),
    (10, 12, [], D(2025, 11, 30), "done", 0.0, None, 0),          # more live than eligible counts as done
    # nothing went live in the window
    (52, 3, [], D(2025, 11, 30), "no_progress", 0.0, None, 0),
    (52, 3, days(D(2023, 1, 1), 3, 30), D(2025, 11, 30), "no_progress", 0.0, None, 0),  # only older go-lives
    (52, 3, [D(2024, 11, 30)], D(2025, 11, 30), "no_progress", 0.0, None, 0),  # one day before the window
    (52, 3, [D(2025, 12, 15)], D(2025, 11, 30), "no_progress", 0.0, None, 0),  # a future date is a plan
    # 12 in 12 months: 1 per month; 49 left from late November 2025 → December 2029
    (52, 3, days(D(2024, 12, 1), 12, 30), D(2025, 11, 30), "on_track", 1.0, D(2029, 12, 1), 12),
    # both window ends count
    (10, 8, [D(2024, 12, 1), D(2025, 11, 30)], D(2025, 11, 30), "on_track", 1 / 6, D(2026, 11, 1), 2),
    # 2 per month, 1 left, early in the month: it finishes this month
    (25, 24, days(D(2025, 1, 5), 24, 7), D(2025, 11, 3), "on_track", 2.0, D(2025, 11, 1), 24),
    # the same on the last day of the month: next month
    (25, 24, days(D(2025, 1, 5), 24, 7), D(2025, 11, 30), "on_track", 2.0, D(2025, 12, 1), 24),
    # fractional pace: 5 per 12 months, 3 left take 7.2 months from 16 January → August
    (13, 10, days(D(2024, 6, 1), 5, 30), D(2025, 1, 16), "on_track", 5 / 12, D(2025, 8, 1), 5),
    # exactly 12 months from the first of a month ends in that month a year later, not before
    (30, 18, days(D(2024, 11, 15), 12, 28), D(2025, 11, 1), "on_track", 1.0, D(2026, 11, 1), 12),
    # one per year for 10,952 Gemeinden: no date is honest
    (10953, 1, [D(2025, 6, 1)], D(2025, 11, 30), "beyond_horizon", 1 / 12, None, 1),
])
def test_forecast(eligible, live, go_lives, today, state, pace, complete_by, in_window):
    result = fc.forecast(eligible_units=eligible, live_units=live, go_lives=go_lives, today=today)
    assert (result.state, result.complete_by, result.go_lives_in_window) == (state, complete_by, in_window)
    assert result.pace_per_month == (None if pace is None else pytest.approx(pace))
    assert result.window_end == today
    assert result.remaining_units == max(eligible - live, 0)


def test_the_horizon_is_a_hundred_years():
    today = D(2025, 11, 1)
    # 1 go-live in the window → 12 months per unit: 99 units take 99 years, 101 take 101
    assert fc.completion_month(today, 99, 1) == D(2124, 11, 1)
    assert fc.completion_month(today, 101, 1) is None


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        fc.forecast(eligible_units=5, live_units=-1, go_lives=[], today=D(2025, 1, 1))


def test_a_forecast_is_a_frozen_struct_for_the_wire():
    result = fc.forecast(eligible_units=4, live_units=1, go_lives=[D(2025, 3, 1)], today=D(2025, 11, 30))
    with pytest.raises(AttributeError):
        result.state = "done"  # type: ignore[misc]
    assert msgspec.json.decode(msgspec.json.encode(result), type=fc.Forecast) == result


def test_projection_runs_from_today_to_the_completion_month():
    result = fc.forecast(eligible_units=25, live_units=3, go_lives=days(D(2025, 1, 5), 6, 30),
                         today=D(2025, 11, 30))
    points = fc.projection(result)
    assert result.complete_by == D(2029, 7, 1)  # 22 left at 0.5 a month: 44 months
    assert points[0] == (D(2025, 11, 1), 3.0)
    assert points[1] == (D(2025, 12, 1), 3.5)
    assert points[-1] == (D(2029, 7, 1), 25.0)
    assert len(points) == 45  # every month once
    values = [v for _, v in points]
    assert values == sorted(values) and max(values) == 25.0


def test_projection_of_a_rollout_finishing_this_month_is_one_step():
    result = fc.forecast(eligible_units=25, live_units=24, go_lives=days(D(2025, 1, 5), 24, 7),
                         today=D(2025, 11, 3))
    assert fc.projection(result) == [(D(2025, 11, 1), 24.0), (D(2025, 11, 1), 25.0)]


@pytest.mark.parametrize(("eligible", "live", "go_lives"), [
    (0, 0, []),
    (10, 10, [D(2025, 6, 1)]),
    (10, 3, []),
    (10953, 1, [D(2025, 6, 1)]),
])
def test_no_projection_without_a_completion_month(eligible, live, go_lives):
    result = fc.forecast(eligible_units=eligible, live_units=live, go_lives=go_lives, today=D(2025, 11, 30))
    assert fc.projection(result) == []
