"""What Piccolo's tables cannot express, in SQL: partial unique keys, the events' transaction
id for the gap-free feed, full-text search vectors (German stemming) and query indexes."""

from efa_registry.db.migrate import sql_statements

ID = "2026-11-22T02:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "constraints and indexes beyond Piccolo"

STATEMENTS = [
    # Areas: AGS is unique where present; hierarchy and name look-ups.
    "CREATE UNIQUE INDEX area_ags_key ON area (ags) WHERE ags IS NOT NULL",
    "CREATE INDEX area_parent_idx ON area (parent)",
    "CREATE INDEX area_land_level_idx ON area (land, level, ars)",
    "CREATE INDEX area_level_ars_idx ON area (level, ars)",
    # OZG catalogue: German full-text search over the Leistung's name.
    "ALTER TABLE ozg_leistung ADD COLUMN search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('german', name)) STORED",
    "CREATE INDEX ozg_leistung_search_idx ON ozg_leistung USING gin (search_vector)",
    "CREATE INDEX ozg_leistung_themenfeld_idx ON ozg_leistung (themenfeld)",
    "CREATE INDEX leika_entry_ozg_idx ON leika_entry (ozg_leistung)",
    "CREATE INDEX ozg_leistung_lage_lage_idx ON ozg_leistung_lage (lage)",
    # Solutions: the search document spans joined tables, so the use case maintains it.
    "ALTER TABLE solution ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX solution_search_idx ON solution USING gin (search_vector)",
    "CREATE INDEX solution_provider_idx ON solution (provider)",
    "CREATE INDEX solution_updated_idx ON solution (updated_at, id)",
    "CREATE INDEX solution_ozg_leistung_ozg_idx ON solution_ozg_leistung (ozg_leistung)",
    "CREATE INDEX interface_solution_idx ON interface (solution)",
    # Adoptions: one open subscription per solution and area.
    "CREATE UNIQUE INDEX adoption_one_open_per_area ON adoption (solution, area)"
    " WHERE status <> 'withdrawn'",
    "CREATE INDEX adoption_area_idx ON adoption (area)",
    "CREATE INDEX adoption_solution_status_idx ON adoption (solution, status)",
    "CREATE INDEX adoption_transition_adoption_idx ON adoption_transition (adoption, id)",
    # Events: feed order is (tx_id, seq); only transactions older than every one still in
    # flight are handed out, so a reader never skips an event that commits late.
    "ALTER TABLE event ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()",
    "CREATE INDEX event_feed_idx ON event (tx_id, seq)",
    "CREATE INDEX event_entity_idx ON event (entity_type, entity_id, seq)",
    "CREATE INDEX event_solution_idx ON event (solution_id, seq) WHERE solution_id IS NOT NULL",
    # Webhooks: the worker's queue.
    "CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at)"
    " WHERE status = 'pending'",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
