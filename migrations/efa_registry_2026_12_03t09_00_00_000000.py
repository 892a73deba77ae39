"""event.wire: each event's feed envelope, written once with the event.

The feed's catch-up pages were built per request by ``json_build_object`` over every event of the
page (1,000 per page): PostgreSQL spent more on that than asyncpg on decoding plain rows. An
event's envelope never changes once written — its cursor (``tx_id``, ``seq``) and its time are
known when the row is inserted — so a trigger writes it then, and a page is the envelopes joined
by commas. ``wire`` is what the internal and authenticated audiences read; ``wire_public`` is the
envelope without the contact fields, stored only for events whose snapshot holds any (the public
reads ``coalesce(wire_public, wire)``). The format is the wire's: camelCase keys, timestamps as
msgspec writes them, the cursor as ``events.feed.Position`` encodes it
(``tests/integration/test_feed_encoded.py`` holds both paths to the same bytes). The trigger runs
on UPDATE too: a restore that renumbers ``tx_id`` gets new cursors. Backups leave both columns
out (``transfer.catalog.DERIVED_COLUMNS``); the restore's inserts write them again.
"""

from efa_registry.db.migrate import sql_statements

ID = "2026-12-03T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "event.wire: each event's feed envelope, written once with the event"

CONTACT_KEYS = "ARRAY['contact_name', 'contact_email', 'contact_phone']"

STATEMENTS = [
    "ALTER TABLE event ADD COLUMN wire text, ADD COLUMN wire_public text",
    """CREATE FUNCTION event_envelope(e event, snapshot jsonb) RETURNS text LANGUAGE sql STABLE AS $$
SELECT json_build_object(
    'seq', e.seq,
    'cursor', rtrim(translate(encode(convert_to('[' || e.tx_id || ',' || e.seq || ']', 'UTF8'), 'base64'),
                              '+/', '-_'), '='),
    'occurredAt', to_char(e.occurred_at AT TIME ZONE 'UTC',
                          CASE WHEN date_trunc('second', e.occurred_at) = e.occurred_at
                               THEN 'YYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"' END),
    'actor', e.actor, 'requestId', e.request_id, 'entityType', e.entity_type, 'entityId', e.entity_id,
    'action', e.action, 'version', e.version, 'solutionId', e.solution_id, 'land', e.land,
    'themenfelder', coalesce(e.themenfelder, ARRAY[]::text[]), 'snapshot', snapshot)::text
$$""",
    f"""CREATE FUNCTION event_wire() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.wire := event_envelope(NEW, NEW.snapshot);
    NEW.wire_public := CASE WHEN NEW.snapshot ?| {CONTACT_KEYS}
                            THEN event_envelope(NEW, NEW.snapshot - {CONTACT_KEYS}) END;
    RETURN NEW;
END $$""",
    "CREATE TRIGGER event_wire BEFORE INSERT OR UPDATE ON event FOR EACH ROW EXECUTE FUNCTION event_wire()",
    "UPDATE event SET seq = seq",  # the events written before: their envelopes
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
