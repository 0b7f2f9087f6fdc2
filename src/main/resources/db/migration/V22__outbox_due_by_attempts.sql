-- The outbox poller looks for two kinds of waiting rows: rows to try again (tried before: attempts > 0), due from their
-- next attempt on, and rows never tried whose hand-off by their decision was lost (a crash), due once they have waited
-- bridge.delivery.handoff-grace-seconds. Keyed by next_attempt_at alone, the index made the poller read every fresh row
-- of the last seconds, each handed over already, to find none of them due: 40,000 rows a scan while a backfill queued
-- them (OutboxPlanTest). Keyed first by the attempts, the rows never tried are a range of their own that ends before the
-- fresh ones, and the rows tried before another (a handful: retries and rows in flight).
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (attempts, next_attempt_at, id) WHERE state = 'PENDING';
