"""``kit.sql.along``: a data-modifying statement riding along another as a CTE, its parameters
numbered after the other's."""

from efa_registry.kit.sql import Rider, along

EVENT = Rider("INSERT INTO event (actor, action) VALUES ($1, $2)", ("alice", "subscribed"))


def test_the_rider_becomes_the_first_cte_with_its_parameters_after_the_statements():
    sql, args = along("\nWITH c AS (SELECT $1::int AS n) SELECT n + $2 FROM c", [1, 2], EVENT)
    assert sql == ("WITH rider AS (INSERT INTO event (actor, action) VALUES ($3, $4)),  c AS (SELECT $1::int AS n)"
                   " SELECT n + $2 FROM c")
    assert args == [1, 2, "alice", "subscribed"]


def test_a_plain_select_gets_a_with_clause_and_double_digit_parameters_are_renumbered_whole():
    rider = Rider("UPDATE t SET a = $1, b = $10", tuple(range(10)))
    sql, args = along("SELECT $1, $2", ["x", "y"], rider)
    assert sql == "WITH rider AS (UPDATE t SET a = $3, b = $12) SELECT $1, $2"
    assert args == ["x", "y", *range(10)]


def test_without_a_rider_the_statement_is_unchanged():
    assert along("SELECT $1", (5,), None) == ("SELECT $1", [5])
