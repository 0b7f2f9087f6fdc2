-- A backfill is DONE only once every record it decided has reached its end (CONTRACTS.md): its outbox rows carry it,
-- and it stays DELIVERING while any of them still waits.
ALTER TABLE outbox ADD COLUMN backfill_id BIGINT;
CREATE INDEX outbox_backfill ON outbox (backfill_id, state) WHERE backfill_id IS NOT NULL;

ALTER TABLE backfill DROP CONSTRAINT backfill_state_check;
ALTER TABLE backfill ADD CONSTRAINT backfill_state_check CHECK (state IN ('RUNNING', 'DELIVERING', 'DONE', 'FAILED'));
-- a second backfill of a scope waits until the first is delivered: before that it would decide against rows on their way
DROP INDEX backfill_running;
CREATE UNIQUE INDEX backfill_running ON backfill (direction, scope) WHERE state IN ('RUNNING', 'DELIVERING');
