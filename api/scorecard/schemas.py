"""Wire shape of the not-yet-docked page: the core's list with the `next` link of a collection page
instead of its cursor (every other scorecard response is the core record as it is)."""

from __future__ import annotations

from efa_registry.scorecard.model import MissingList, MissingUnits


class MissingPage(MissingUnits):
    """One page of the units not yet docked, by ARS, with the scope's totals: `missingUnits` +
    `coveredUnits` = `eligibleUnits`, as the solution's rollout figures of the same Land or Kreis."""

    next: str | None
    limit: int

    @classmethod
    def of(cls, result: MissingList, *, next: str | None, limit: int) -> MissingPage:
        return cls(**{f: getattr(result, f) for f in MissingUnits.__struct_fields__}, next=next, limit=limit)
