-- A reconciliation's repair is DONE only once every write it made has reached its end, like a backfill.
ALTER TABLE outbox ADD COLUMN reconciliation_id BIGINT;
CREATE INDEX outbox_reconciliation ON outbox (reconciliation_id, state) WHERE reconciliation_id IS NOT NULL;
ALTER TABLE reconciliation DROP CONSTRAINT reconciliation_state_check;
ALTER TABLE reconciliation ADD CONSTRAINT reconciliation_state_check
    CHECK (state IN ('RUNNING', 'WAITING_APPROVAL', 'DELIVERING', 'DONE', 'FAILED'));
