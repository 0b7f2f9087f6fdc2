-- How a delivery ended, as the writer read the vendor's answer (DeliveryOutcome: DELIVERED, TARGET_NEWER,
-- NOT_CARRIED), beside the free-text outcome: the Smartschool poller counts only the writes the package took.
ALTER TABLE outbox ADD COLUMN result TEXT;

-- The Smartschool poller compares each day's read with what the bridge decided Smartschool itself registered that
-- day (Decisions.ownRegistrations): the decisions of a day.
CREATE INDEX decision_day ON decision (date, source);
