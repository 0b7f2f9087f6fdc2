-- Reconciliations (issue: convergence you can check): both registers read through their interfaces for a scope and a
-- date range, compared with each other and with the decision table; resumable from the last completed day.
CREATE TABLE reconciliation (
    id                 BIGSERIAL   PRIMARY KEY,
    kind               TEXT        NOT NULL CHECK (kind IN ('RECONCILIATION', 'RESYNC')),
    scope_kind         TEXT        NOT NULL CHECK (scope_kind IN ('INSTITUTION', 'BRANCH', 'PLATFORM')),
    scope              TEXT        NOT NULL,
    pupils             JSONB,                  -- a resync's pupils [{"institutionNumber","registrationNumber"}], else null
    date_from          DATE        NOT NULL,
    date_to            DATE        NOT NULL,
    repair             BOOLEAN     NOT NULL,
    started_by         TEXT        NOT NULL,   -- api, jmx, schedule
    state              TEXT        NOT NULL CHECK (state IN ('RUNNING', 'WAITING_APPROVAL', 'DONE', 'FAILED')),
    phase              TEXT        NOT NULL CHECK (phase IN ('FEED', 'DAYS', 'APPLY', 'END')),
    feed_cursor        TEXT,
    position           DATE,                   -- the last day compared
    half_days_checked  BIGINT      NOT NULL DEFAULT 0,
    counts             JSONB       NOT NULL DEFAULT '{}'::jsonb,
    branches           JSONB       NOT NULL DEFAULT '{}'::jsonb,   -- per branch: {"checked","changes"} (the guard)
    error              TEXT,
    approved_by        TEXT,
    locked_until       TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX reconciliation_created ON reconciliation (created_at);

-- Informat's register of the scope as its change feed shows it, newest registration per half-day (read first).
CREATE TABLE reconciliation_source (
    reconciliation_id  BIGINT      NOT NULL REFERENCES reconciliation (id) ON DELETE CASCADE,
    student_no         TEXT        NOT NULL,
    date               DATE        NOT NULL,
    part               TEXT        NOT NULL,
    payload            JSONB       NOT NULL,
    deleted            BOOLEAN     NOT NULL,
    registered_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (reconciliation_id, date, student_no, part)
);

-- What differed, per half-day: each side's official meaning, the decided one, and the repair. No names, no free text.
CREATE TABLE reconciliation_difference (
    reconciliation_id    BIGINT      NOT NULL REFERENCES reconciliation (id) ON DELETE CASCADE,
    institution_number   TEXT        NOT NULL,
    registration_number  TEXT        NOT NULL,
    date                 DATE        NOT NULL,
    part                 TEXT        NOT NULL,
    branch               INT         NOT NULL,
    smartschool          TEXT,
    informat             TEXT,
    decided              TEXT,
    action               TEXT        NOT NULL,
    cell                 JSONB,      -- the side's cell a copy decides from (COPY_TO_...), to repair without reading again
    repaired             BOOLEAN     NOT NULL DEFAULT false,
    PRIMARY KEY (reconciliation_id, institution_number, registration_number, date, part)
);
