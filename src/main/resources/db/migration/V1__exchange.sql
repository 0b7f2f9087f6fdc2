-- The exchange's durable state. PostgreSQL everywhere; every table has a key.

-- Every event received (webhook or poll), stored before the sender gets its 202.
-- source_event_id is the vendor's eventId for pushes and a content hash for polled items,
-- so a repeated delivery of the same event is stored once.
CREATE TABLE inbox (
    id               BIGSERIAL   PRIMARY KEY,
    source           TEXT        NOT NULL CHECK (source IN ('SMARTSCHOOL', 'INFORMAT')),
    source_event_id  TEXT        NOT NULL,
    received_via     TEXT        NOT NULL CHECK (received_via IN ('WEBHOOK', 'POLL', 'BACKFILL', 'REPLAY')),
    payload          JSONB       NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- when inbox-recovery may hand an unprocessed event to processing again (a lease, so it is queued once)
    retry_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at     TIMESTAMPTZ,
    UNIQUE (source, source_event_id)
);
CREATE INDEX inbox_unprocessed ON inbox (retry_at) WHERE processed_at IS NULL;

-- Last registration wins: the newest registration per pupil, date and half-day.
CREATE TABLE decision (
    institution_number   TEXT        NOT NULL,
    registration_number  TEXT        NOT NULL,
    date                 DATE        NOT NULL,
    part                 TEXT        NOT NULL CHECK (part IN ('AM', 'PM')),
    official_code        TEXT,                      -- null: the half-day was cleared
    registered_at        TIMESTAMPTZ NOT NULL,
    source               TEXT        NOT NULL,
    source_rank          SMALLINT    NOT NULL,      -- the tie rule: INFORMAT (2) before SMARTSCHOOL (1)
    inbox_id             BIGINT      REFERENCES inbox (id),     -- null for a backfill's record
    backfill_id          BIGINT,
    decided_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (institution_number, registration_number, date, part)
);

-- The transactional outbox: what must be written to a vendor, written in the decision's transaction.
CREATE TABLE outbox (
    id                   BIGSERIAL   PRIMARY KEY,
    target               TEXT        NOT NULL CHECK (target IN ('SMARTSCHOOL', 'INFORMAT')),
    institution_number   TEXT        NOT NULL,
    registration_number  TEXT        NOT NULL,
    date                 DATE        NOT NULL,
    part                 TEXT        NOT NULL,
    record               JSONB       NOT NULL,
    state                TEXT        NOT NULL DEFAULT 'PENDING'
                         CHECK (state IN ('PENDING', 'DONE', 'SUPERSEDED', 'DEAD')),
    attempts             INT         NOT NULL DEFAULT 0,
    next_attempt_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_until         TIMESTAMPTZ,
    outcome              TEXT,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    done_at              TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX outbox_key ON outbox (target, institution_number, registration_number, date, part) WHERE state = 'PENDING';

-- Records that wait for a person: untranslatable codes, unknown pupils, permanent vendor refusals.
CREATE TABLE dead_letter (
    id                   BIGSERIAL   PRIMARY KEY,
    stage                TEXT        NOT NULL CHECK (stage IN ('GATE', 'TRANSLATE', 'DELIVER')),
    direction            TEXT        NOT NULL,
    institution_number   TEXT        NOT NULL,
    registration_number  TEXT        NOT NULL,
    date                 DATE        NOT NULL,
    part                 TEXT        NOT NULL,
    reason               TEXT        NOT NULL,
    code                 TEXT,
    registered_at        TIMESTAMPTZ,
    inbox_id             BIGINT      REFERENCES inbox (id),
    outbox_id            BIGINT      REFERENCES outbox (id),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    replayed_at          TIMESTAMPTZ
);
CREATE INDEX dead_letter_open ON dead_letter (created_at) WHERE replayed_at IS NULL;

-- Every decision, queryable per pupil and date. No names and no free text: codes and reasons only.
CREATE TABLE audit (
    id                   BIGSERIAL   PRIMARY KEY,
    at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    correlation_id       TEXT        NOT NULL,
    direction            TEXT        NOT NULL,
    institution_number   TEXT        NOT NULL,
    registration_number  TEXT        NOT NULL,
    date                 DATE        NOT NULL,
    part                 TEXT        NOT NULL,
    decision             TEXT        NOT NULL,
    code                 TEXT,
    registered_at        TIMESTAMPTZ,
    detail               TEXT
);
CREATE INDEX audit_pupil ON audit (institution_number, registration_number, date);

-- When the bridge saw each side's switch go on (rule 2: only codes registered after that flow).
-- scope: '*' for Smartschool's global setting, the locationIdDiscimus for an Informat branch.
CREATE TABLE link_activation (
    system      TEXT        NOT NULL,
    scope       TEXT        NOT NULL,
    active      BOOLEAN     NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (system, scope)
);

-- Poll positions (Informat's change-feed cursor), advanced in the transaction that stores what was read.
CREATE TABLE poll_cursor (
    name        TEXT        PRIMARY KEY,
    cursor      TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
