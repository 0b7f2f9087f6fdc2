-- The outbox poller looks for two kinds of waiting rows: rows to try again (tried before: attempts > 0), due from their
-- next attempt on, and rows never tried whose hand-off by their decision was lost (a crash), due once they have waited
-- bridge.delivery.handoff-grace-seconds. Through outbox_due alone (keyed by next_attempt_at) the poller read every fresh
-- row of the last seconds, each handed over already, to find none of them due: 40,000 rows a scan while a backfill
-- queued them (OutboxPlanTest). The rows to try again get an index of their own; the rows never tried are then a range of
-- outbox_due that ends before the fresh ones.
CREATE INDEX outbox_retry ON outbox (next_attempt_at, id) WHERE state = 'PENDING' AND attempts > 0;
