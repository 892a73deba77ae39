"""Wire shape of the not-yet-docked page: the core's list with the `next` link of a collection page
instead of its cursor (every other scorecard response is the core record as it is)."""

from __future__ import annotations

from api.schemas import WireOut
from efa_registry.scorecard.model import MissingList, MissingScope, MissingSolution, MissingUnit


class MissingPage(WireOut):
    """One page of the units not yet docked, by ARS, with the scope's totals: `missingUnits` +
    `coveredUnits` = `eligibleUnits`, as the solution's rollout figures of the same Land or Kreis."""

    solution: MissingSolution
    scope: MissingScope
    eligible_units: int
    covered_units: int
    missing_units: int
    eligible_population: int
    covered_population: int
    missing_population: int
    items: list[MissingUnit]
    next: str | None
    limit: int

    @classmethod
    def of(cls, result: MissingList, *, next: str | None, limit: int) -> MissingPage:
        return cls(solution=result.solution, scope=result.scope, eligible_units=result.eligible_units,
                   covered_units=result.covered_units, missing_units=result.missing_units,
                   eligible_population=result.eligible_population, covered_population=result.covered_population,
                   missing_population=result.missing_population, items=result.items, next=next, limit=limit)
