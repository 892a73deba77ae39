"""When would a rollout be flächendeckend at its recent pace? Pure arithmetic, no I/O.

Method
  - Window: the 12 months ending today, both ends included: from the day after the same date a
    year earlier (29 February falls back to the 28th) to today. Go-lives dated after today are
    plans, not progress, and are not counted.
  - Pace: go-lives in the window / 12, in units per month. Linear: no trend, no seasonality, no
    S-curve; the last 12 months are taken to continue unchanged.
  - Completion: the remaining units (eligible − live now) take remaining / pace months from today.
    ``complete_by`` is the first day of the calendar month in which that moment falls, so the
    month is rounded up, never down: "complete by November" means during November at the latest.
    The fraction of the current month already gone counts, so a pace that covers the rest within
    the days left gives the current month.
  - States: ``no_units`` (nothing is eligible), ``done`` (every eligible unit live: the official
    rule, 99 % is not done), ``no_progress`` (no go-live in the window: "not at this pace"),
    ``beyond_horizon`` (at this pace later than ``HORIZON_YEARS`` from now: a date would be
    false precision), ``on_track`` (a month is given).

Limits (the registry's use of it, and why: docs/forecast.md)
  - The pace counts the dates it is given. The service passes one date per unit covered now,
    the day a live adoption first covered it (the net view: a go-live withdrawn since is no
    progress); passed every go-live ever, a rollout losing units as fast as it gains them
    would look on track.
  - One go-live per unit: a unit paused and resumed, or covered by its own and its Kreis's
    adoption, must not be passed twice.
  - A rollout that began within the window is measured over all 12 months, so a young rollout's
    pace is understated rather than extrapolated from a few busy weeks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from fractions import Fraction

from efa_registry.rollout.model import Forecast, ForecastState
from efa_registry.rollout.rules import month_axis

__all__ = ["HORIZON_YEARS", "WINDOW_MONTHS", "Forecast", "ForecastState", "by_land", "forecast", "projection",
           "window"]
WINDOW_MONTHS = 12
HORIZON_YEARS = 100


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """(first, last) day of the 12 months ending today, both included."""
    return _year_before(today) + dt.timedelta(days=1), today


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _days_in_month(day: dt.date) -> int:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - day.replace(day=1)).days


def completion_month(today: dt.date, remaining: int, go_lives: int) -> dt.date | None:
    """First day of the month in which ``remaining`` units are live at ``go_lives`` per 12 months;
    None past the horizon. Exact fractions, so a boundary never depends on float rounding."""
    position = Fraction(today.day - 1, _days_in_month(today))
    target = _month_index(today) + position + Fraction(remaining * WINDOW_MONTHS, go_lives)
    index = math.floor(target)
    if index - _month_index(today) >= HORIZON_YEARS * 12:
        return None
    return dt.date(index // 12, index % 12 + 1, 1)


def forecast(*, eligible_units: int, live_units: int, go_lives: Iterable[dt.date], today: dt.date) -> Forecast:
    """The forecast of one rollout: ``go_lives`` holds one date per unit that went live (any age)."""
    if eligible_units < 0 or live_units < 0:
        raise ValueError("unit counts cannot be negative")
    start, end = window(today)
    recent = sum(1 for day in go_lives if start <= day <= end)
    remaining = max(eligible_units - live_units, 0)
    base = {"eligible_units": eligible_units, "live_units": live_units, "remaining_units": remaining,
            "window_start": start, "window_end": end, "go_lives_in_window": recent}
    if eligible_units == 0:
        return Forecast(state="no_units", pace_per_month=None, complete_by=None, **base)
    pace = recent / WINDOW_MONTHS
    if remaining == 0:
        return Forecast(state="done", pace_per_month=pace, complete_by=None, **base)
    if recent == 0:
        return Forecast(state="no_progress", pace_per_month=pace, complete_by=None, **base)
    month = completion_month(today, remaining, recent)
    state: ForecastState = "on_track" if month else "beyond_horizon"
    return Forecast(state=state, pace_per_month=pace, complete_by=month, **base)


def projection(result: Forecast) -> list[tuple[dt.date, float]]:
    """Points (first of month, cumulative units live) for a dashed projection in a monthly
    cumulative chart: it starts where the actual line ends (the current month, today's count),
    climbs by the pace each month and ends at every eligible unit in ``complete_by``. When that
    is the current month, both points share it. Empty unless the forecast is ``on_track``."""
    if result.state != "on_track" or result.complete_by is None or result.pace_per_month is None:
        return []
    months = month_axis(result.window_end.replace(day=1), result.complete_by)
    eligible, live, pace = float(result.eligible_units), float(result.live_units), result.pace_per_month
    climb = [(month, min(eligible, live + pace * step)) for step, month in enumerate(months) if step]
    return [(months[0], live), *climb[:-1], (result.complete_by, eligible)]


def by_land(
    units: Mapping[str, tuple[int, int]], go_live_days: Iterable[tuple[str, dt.date, int]], today: dt.date
) -> tuple[dict[str, Forecast], Forecast]:
    """The forecast of each Land and of Germany. ``units`` maps a Land key to (eligible, live);
    ``go_live_days`` holds (Land, day, units first covered that day), one entry per day and Land,
    for the units covered now (the net view: a withdrawn go-live is no progress)."""
    days: dict[str, list[dt.date]] = defaultdict(list)
    for land, day, count in go_live_days:
        days[land].extend(itertools.repeat(day, count))
    lands = {code: forecast(eligible_units=eligible, live_units=live, go_lives=days[code], today=today)
             for code, (eligible, live) in units.items()}
    national = forecast(eligible_units=sum(e for e, _ in units.values()), live_units=sum(n for _, n in units.values()),
                        go_lives=itertools.chain.from_iterable(days[code] for code in units), today=today)
    return lands, national
