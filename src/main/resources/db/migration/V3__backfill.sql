-- Backfills (DOMAIN.md rule 3): one row per job, its progress committed with each day it completes,
-- so a restart (of this or another instance) resumes after the last completed day.
CREATE TABLE backfill (
    id             BIGSERIAL   PRIMARY KEY,
    direction      TEXT        NOT NULL CHECK (direction IN ('SMARTSCHOOL_TO_INFORMAT', 'INFORMAT_TO_SMARTSCHOOL')),
    scope          TEXT        NOT NULL,   -- the institution number, or the locationIdDiscimus
    dry_run        BOOLEAN     NOT NULL,
    state          TEXT        NOT NULL CHECK (state IN ('RUNNING', 'DONE', 'FAILED')),
    phase          TEXT        NOT NULL DEFAULT 'DAYS' CHECK (phase IN ('SNAPSHOT', 'DAYS')),
    feed_cursor    TEXT,                   -- Informat's change feed, while the snapshot is read
    up_to          DATE        NOT NULL,   -- the last day included ("up to today" when it started)
    position       DATE,                   -- the last day completed
    total          INT         NOT NULL,   -- instruction days to go through
    done           INT         NOT NULL DEFAULT 0,
    half_days      BIGINT      NOT NULL DEFAULT 0,
    counts         JSONB       NOT NULL DEFAULT '{}'::jsonb,
    error          TEXT,
    locked_until   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- one running backfill per direction and scope
CREATE UNIQUE INDEX backfill_running ON backfill (direction, scope) WHERE state = 'RUNNING';

-- Informat's register of a branch as the change feed shows it, newest registration per half-day:
-- read once at the start of an Informat -> Smartschool backfill, then walked day by day.
CREATE TABLE backfill_source (
    backfill_id    BIGINT      NOT NULL REFERENCES backfill (id) ON DELETE CASCADE,
    student_no     TEXT        NOT NULL,
    date           DATE        NOT NULL,
    part           TEXT        NOT NULL,
    payload        JSONB       NOT NULL,
    deleted        BOOLEAN     NOT NULL,
    registered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (backfill_id, date, student_no, part)
);
