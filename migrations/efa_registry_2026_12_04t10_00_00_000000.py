"""Search documents rebuilt: the compound splitter reads "Steuer" where it read "teuer".

The splitter learns the heads and modifiers the catalogue's compounds share. It had learned
"teuer" from "Hundes|teuer" and "Grunds|teuer" (a linking -s- read on the wrong side), so no
document of Hundesteuer, Grundsteuer or Kraftfahrzeugsteuer held "Steuer", and "Steuer" found none
of them. A head that begins words of the catalogue (Steuerbescheinigung) now beats one that
begins none (``compounds._survivors``); the documents built with the old parts are rebuilt by
``search.reindex.heal`` at the next start.
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-04T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "search documents rebuilt with the compound parts the splitter now learns"

STATEMENTS = [
    "INSERT INTO search_reindex SELECT 'catalogue', 'compound parts: Steuer, not teuer' WHERE EXISTS"
    " (SELECT 1 FROM ozg_leistung) ON CONFLICT (scope) DO NOTHING",
    "INSERT INTO search_reindex SELECT 'solutions', 'compound parts: Steuer, not teuer' WHERE EXISTS"
    " (SELECT 1 FROM solution) ON CONFLICT (scope) DO NOTHING",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
