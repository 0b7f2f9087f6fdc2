-- The last successful and failed run of each poller (whichever instance ran it), for the poll-lag metric.
CREATE TABLE poll_run (
    system        TEXT        PRIMARY KEY CHECK (system IN ('informat', 'smartschool')),
    succeeded_at  TIMESTAMPTZ,
    failed_at     TIMESTAMPTZ
);
