-- The Smartschool poller asks, per day read, when the bridge last finished a write of each half-day to Smartschool
-- (Outbox.lastDone): a register cell that differs from what was written then changed after that moment.
CREATE INDEX outbox_done_day ON outbox (target, date) WHERE state = 'DONE';
