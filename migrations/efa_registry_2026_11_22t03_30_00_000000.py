"""Rollout summaries: one row per (solution, Land) and per (OZG-Leistung, Land), kept exact by the
adoption write transaction (efa_registry.rollout.service), and the index their refresh reads."""

from efa_registry.db.migrate import sql_statements

ID = "2026-11-22T03:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "rollout summary tables"

FIGURES = """
    eligible_units integer NOT NULL,
    eligible_population bigint NOT NULL,
    covered_units integer NOT NULL,
    covered_population bigint NOT NULL,
    interested integer NOT NULL,
    agreed integer NOT NULL,
    onboarding integer NOT NULL,
    live integer NOT NULL,
    paused integer NOT NULL,
    withdrawn integer NOT NULL,
    first_go_live date,
    latest_go_live date,
    rollout_level varchar(10) NOT NULL CHECK (rollout_level IN ('gemeinde', 'kreis', 'land')),
    refreshed_at timestamptz NOT NULL DEFAULT now(),
    CHECK (covered_units BETWEEN 0 AND eligible_units),
    CHECK (covered_population BETWEEN 0 AND eligible_population)
"""

STATEMENTS = [
    # Coverage looks up the units inside a live adoption's area as an ARS range in byte order
    # (prefix P covers [P, P || ':')), independent of the database's collation.
    'CREATE INDEX area_rollout_unit_idx ON area (level, ars COLLATE "C") INCLUDE (land, population) WHERE current',
    # A cell refresh reads the adoptions of one solution in one Land, and only these columns.
    "CREATE INDEX adoption_solution_land_idx ON adoption (solution, (left(area, 2)))"
    " INCLUDE (area, status, live_since)",
    f"""CREATE TABLE rollout_solution_land (
    solution uuid NOT NULL REFERENCES solution (id) ON DELETE CASCADE,
    land varchar(2) NOT NULL REFERENCES area (ars) ON DELETE CASCADE,
    {FIGURES},
    PRIMARY KEY (solution, land)
)""",
    # The Land overview reads one Land across all solutions.
    "CREATE INDEX rollout_solution_land_land_idx ON rollout_solution_land (land, solution)",
    # solution_ids: the non-retired solutions the union was computed over, so a refresh after
    # a solution leaves the OZG-Leistung (link removed, retired) still finds the row to redo.
    f"""CREATE TABLE rollout_ozg_land (
    ozg_leistung varchar(6) NOT NULL REFERENCES ozg_leistung (ozg_id) ON DELETE CASCADE,
    land varchar(2) NOT NULL REFERENCES area (ars) ON DELETE CASCADE,
    solution_ids uuid[] NOT NULL,
    {FIGURES},
    PRIMARY KEY (ozg_leistung, land)
)""",
    "CREATE INDEX rollout_ozg_land_land_idx ON rollout_ozg_land (land, ozg_leistung)",
    "CREATE INDEX rollout_ozg_land_solutions_idx ON rollout_ozg_land USING gin (solution_ids)",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
