"""`efa-registry import adoptions`: the office's spreadsheets, all-or-nothing, row-numbered errors."""

from __future__ import annotations

import gzip

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
    # A quote left open (it would take in every line after it) on the line it opens; a row with a
    # field too many (an unquoted separator in a note) and one too few.
    ("solution,ars,status,note\nwohngeld-digital,05,live,\"offen\nwohngeld-digital,051120000000,live,\n", [2]),
    ("solution,ars,status,note\nwohngeld-digital,05,live,Frau Müller, Tel. 0201\nwohngeld-digital,05\n", [2, 3]),
    ("solution,ars,status\nwohngeld-digital,05,live\x00\n", [2]),
    # The same area twice, by ARS and by a name resolving to it: the second row, naming the first.
    ("solution,ars,name,status\nwohngeld-digital,051120000000,,live\nwohngeld-digital,05,,live\n"
     "wohngeld-digital,,Stadt Duisburg,live\n", [4]),
])
async def test_malformed_rows_are_reported_and_nothing_is_written(solution, text, lines):
    await import_adoptions(GOOD.encode())
    before = await adoptions()
    with pytest.raises(ImportFailed) as err:
        await import_adoptions(text.encode())
    assert [line for line, _ in err.value.errors] == lines
    assert await adoptions() == before


async def test_an_excel_export_reads_as_it_is_written(solution):
    """Windows-1252, header cells with spaces and in capitals, a status as people write it, empty
    rows at the end (Excel's ";;;"), gzipped: the same adoptions as the UTF-8 file."""
    text = ("Solution ; ARS ; Status ; Note\r\nwohngeld-digital;051120000000;Live;Gebühr geprüft\r\n"
            ";;;\r\n;;;\r\n")
    german = await import_adoptions(b"solution;ars;status\nwohngeld-digital;051130000000;Im Onboarding\n")
    assert german.created == 1  # the German label of a status, as the pages write it
    for data in (text.encode("cp1252"), gzip.compress(text.encode())):
        summary = await import_adoptions(data)
        assert (summary.created + summary.unchanged) == 1
        assert [(r[0], r[1], r[4]) for r in await adoptions()][:1] == [("051120000000", "live", "Gebühr geprüft")]


async def test_a_retired_solution_takes_no_adoptions_from_a_file_either(solution):
    async with db.connection() as conn:
        await conn.execute("UPDATE solution SET status = 'retired' WHERE id = $1", solution.id)
    with pytest.raises(ImportFailed) as err:
        await import_adoptions(GOOD.encode())
    assert [line for line, _ in err.value.errors] == [2, 3, 4] and "retired" in err.value.errors[0][1]
    assert await adoptions() == []


async def test_a_new_plan_or_note_of_an_adoption_is_written_without_a_lifecycle_step(solution):
    await import_adoptions(GOOD.encode())
    replanned = GOOD.replace("051130000000;onboarding;;2027-01-01;", "051130000000;onboarding;;2027-06-30;Verschoben")
    summary = await import_adoptions(replanned.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    row = next(r for r in await adoptions() if r[0] == "051130000000")
    assert (str(row[3]), row[4], row[5]) == ("2027-06-30", "Verschoben", 2)
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM adoption_transition") == 3, "no step for a new plan"
