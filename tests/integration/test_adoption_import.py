"""`efa-registry import adoptions`: the office's spreadsheets, all-or-nothing, row-numbered errors."""

from __future__ import annotations

import pytest

from efa_registry import db
from efa_registry.adoptions.csv_import import import_adoptions
from efa_registry.errors import ImportFailed

GOOD = """solution;ars;status;live_since;planned_live_on;note
wohngeld-digital;051120000000;live;15.05.2023;;Pilotkommune
wohngeld-digital;051130000000;onboarding;;2027-01-01;
wohngeld-digital;05;interested;;;Landesweit geplant
"""


@pytest.fixture
async def solution(catalogue):
    from efa_registry.access.model import Actor
    from efa_registry.solutions.model import SolutionCreate
    from efa_registry.solutions.service import create_solution

    created, _ = await create_solution(SolutionCreate(name="Wohngeld digital", provider="land-nrw",
                                                      ozg_ids=["10000"]), actor=Actor.system("test"))
    return created


async def adoptions() -> list[tuple]:
    async with db.connection() as conn:
        return [tuple(r) for r in await conn.fetch(
            "SELECT area, status, live_since, planned_live_on, note, version FROM adoption ORDER BY area")]


async def test_import_creates_adoptions_with_history_and_is_idempotent(solution):
    summary = await import_adoptions(GOOD.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    rows = await adoptions()
    assert [(r[0], r[1]) for r in rows] == [("05", "interested"), ("051120000000", "live"),
                                            ("051130000000", "onboarding")]
    assert str(rows[1][2]) == "2023-05-15" and rows[1][4] == "Pilotkommune"
    again = await import_adoptions(GOOD.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert await adoptions() == rows
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM adoption_transition") == 3
        assert await conn.fetchval("SELECT count(*) FROM event WHERE entity_type = 'adoption'") == 3


@pytest.mark.parametrize(("text", "lines"), [
    ("solution,ars,status\nwohngeld-digital,0511200,live\nwohngeld-digital,05,done\n", [2, 3]),
    ("solution,ars,status,live_since\nwohngeld-digital,05,live,2099-01-01\n", [2]),
    ("solution,ars,status,live_since\nwohngeld-digital,05,live,gestern\n", [2]),
    ("solution,area\nwohngeld-digital,05\n", [1]),
    ("solution,ars,status\nwohngeld-digital,05,live\ngibt-es-nicht,05,live\n", [3]),
    ("solution,ars,status\nwohngeld-digital,059999999999,live\n", [2]),
    # Every kind of bad record in one run: a bad status, an unknown area, an unknown solution.
    ("solution,ars,status\nwohngeld-digital,05,done\nwohngeld-digital,059999999999,live\n"
     "gibt-es-nicht,05,live\n", [2, 3, 4]),
])
async def test_malformed_rows_are_reported_and_nothing_is_written(solution, text, lines):
    await import_adoptions(GOOD.encode())
    before = await adoptions()
    with pytest.raises(ImportFailed) as err:
        await import_adoptions(text.encode())
    assert [line for line, _ in err.value.errors] == lines
    assert await adoptions() == before
