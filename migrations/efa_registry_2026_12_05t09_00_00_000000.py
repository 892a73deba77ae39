"""A solution says the language of its texts: German unless it came from another catalogue.

A publiccode.yml with only an English or Italian description was stored as the solution's text and
exported again as ``description.de`` with ``availableLanguages: [de]``, so every other catalogue
(and a re-import) took it for German, and the German pages showed it without saying it is not.
Every stored solution was entered in German or imported from a German description; the few taken
from another language are marked on their next import.
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "solution.language: the ISO 639 code of its name, summary and description"

STATEMENTS = [
    "ALTER TABLE solution ADD COLUMN language varchar(3) NOT NULL DEFAULT 'de'",
    "ALTER TABLE solution ADD CONSTRAINT solution_language_check CHECK (language ~ '^[a-z]{2,3}$')",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
