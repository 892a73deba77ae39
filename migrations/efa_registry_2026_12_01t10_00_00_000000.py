"""Curation sessions in PostgreSQL instead of one process's memory.

With several API workers or containers, any of them must be able to serve any request of a
signed-in curator; the database is the one thing they all share. Keys are random session ids,
values the session record; expired rows are deleted as sessions are opened.
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-01T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "web_session: the curation sessions every API process shares"

STATEMENTS = [
    """CREATE TABLE web_session (
        key varchar(100) PRIMARY KEY,
        value bytea NOT NULL,
        expires_at timestamptz
    )""",
    "CREATE INDEX web_session_expires_at ON web_session (expires_at)",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
