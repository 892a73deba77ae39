"""Pure rules of the catalogue: checks across fields, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from efa_registry.errors import InvalidInput
from efa_registry.kit import slugs

REIFEGRAD_MAX = {"1.1": 4, "2.0": 7}


def check_reifegrad(model: str | None, level: int | None) -> None:
    """The Reifegrad is only meaningful with its model: 1.1 has levels 0–4, 2.0 has 0–7."""
    if model is None and level is None:
        return
    if model is None:
        raise InvalidInput("reifegrad needs reifegradModel (1.1 or 2.0)", field="reifegradModel")
    if level is None:
        raise InvalidInput("reifegradModel needs a reifegrad level", field="reifegrad")
    if not 0 <= level <= REIFEGRAD_MAX[model]:
        raise InvalidInput(f"Reifegrad model {model} has levels 0–{REIFEGRAD_MAX[model]}", field="reifegrad")


def check_solution(values: Mapping[str, Any]) -> None:
    check_reifegrad(values.get("reifegrad_model"), values.get("reifegrad"))
    tags = [t.casefold() for t in values.get("tags") or ()]
    if len(set(tags)) != len(tags):
        twice = next(i for i, t in enumerate(tags) if t in tags[:i])
        raise InvalidInput("a keyword is listed twice (case does not count)", field=f"tags[{twice}]")
    if values.get("status") == "available" and not values.get("ozg_ids"):
        raise InvalidInput("an available solution must implement at least one OZG-Leistung", field="ozgIds")


def check_interface(values: Mapping[str, Any]) -> None:
    """A deprecated interface announces when it goes away; a sunset date needs that status."""
    status, sunset = values.get("status"), values.get("sunset_on")
    if status == "deprecated" and sunset is None:
        raise InvalidInput("a deprecated interface needs a sunsetOn date", field="sunsetOn")
    if sunset is not None and status not in ("deprecated", "retired"):
        raise InvalidInput("sunsetOn is only for deprecated or retired interfaces", field="sunsetOn")


# Path segments under /v1/solutions/ that are routes, not solutions.
RESERVED_SLUGS = frozenset({"import"})


def check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise InvalidInput(f"the slug {slug!r} is reserved", field="slug")
    slugs.check_slug(slug)
