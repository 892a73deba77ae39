"""Which edition of each official source (GV100AD, OZG catalogue, LeiKa) is loaded.

The registry ships the current editions and loads them on `seed`; an operator may import a
newer one. Users see which edition their figures rest on (API `/v1/sources`, page footer),
and the seed must know whether the shipped copy is already there or an imported one is newer.
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-01T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reference_source: the loaded edition of each official source"

STATEMENTS = [
    """CREATE TABLE reference_source (
        kind varchar(20) PRIMARY KEY,
        edition varchar(60) NOT NULL,
        sha256 char(64) NOT NULL,
        origin varchar(10) NOT NULL CHECK (origin IN ('shipped', 'import')),
        loaded_at timestamptz NOT NULL DEFAULT now()
    )""",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
