-- A record for a pupil one package does not know yet waits in the inbox, unprocessed: since when, and why.
-- inbox-recovery hands it out again when its retry_at comes (the recheck, or at once after a directory read);
-- after bridge.exchange.unknown-pupil-wait it is processed into the dead letters.
ALTER TABLE inbox ADD COLUMN waiting_since TIMESTAMPTZ, ADD COLUMN waiting_reason TEXT;
CREATE INDEX inbox_waiting ON inbox (waiting_since) WHERE processed_at IS NULL AND waiting_since IS NOT NULL;
