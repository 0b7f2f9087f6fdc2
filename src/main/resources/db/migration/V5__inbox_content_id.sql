-- Since V5 the bridge keys every event by its content, pushed or polled (a push's vendor eventId is no longer the
-- key): a registration both pushed and read back by a poller is stored, and decided, once. Rows stored earlier
-- keep their keys; at worst such an event is decided once more, as a DUPLICATE.
COMMENT ON COLUMN inbox.source_event_id IS 'content hash of the event, pushed or polled: Informat feed:(person, date, part, code, timestamp, deleted, registered by), Smartschool soap:(internal number, date, part, code, alias, registration time, motivation)';
