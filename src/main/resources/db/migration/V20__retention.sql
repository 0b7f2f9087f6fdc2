-- Retention (docs/data-protection.md): nothing is kept longer than its purpose. The raw events (inbox) and the settled
-- outbox rows go after bridge.retention.events-after, the decisions they were decided into stay for two school years:
-- a decision, and a dead letter, outlive the event and the outbox row they point to, so those pointers are no longer
-- foreign keys (a key would also make every deleted inbox row look for its referrers through a table without an index).
-- Whatever reads an event through them already takes "not there" (a decision decided from a backfill has none).
ALTER TABLE decision DROP CONSTRAINT IF EXISTS decision_inbox_id_fkey;
ALTER TABLE dead_letter DROP CONSTRAINT IF EXISTS dead_letter_inbox_id_fkey;
ALTER TABLE dead_letter DROP CONSTRAINT IF EXISTS dead_letter_outbox_id_fkey;

-- The rows still holding free text (Smartschool's motivation, Informat's remark): what the retention clears once their
-- record has reached its end, and what the storage report counts, without reading the other rows.
CREATE INDEX inbox_free_text ON inbox (id) WHERE payload->>'motivation' <> '' OR payload->>'remark' <> '';
CREATE INDEX outbox_free_text ON outbox (id) WHERE record->>'text' <> '';

-- The retention walks the inbox, the outbox and the audit along their keys, up to the last row older than its cutoff:
-- BRIN indexes find that row without a B-tree on the time column (rows come in time order; a BRIN index costs the
-- writes next to nothing and takes a few pages).
CREATE INDEX inbox_received ON inbox USING brin (received_at);
CREATE INDEX outbox_created ON outbox USING brin (created_at);
CREATE INDEX audit_at ON audit USING brin (at);

-- One pupil's data erased on request is recorded in the audit as a count, without the person: no registration
-- number, no half-day, no direction (decision ERASED).
ALTER TABLE audit ALTER COLUMN direction DROP NOT NULL,
                  ALTER COLUMN registration_number DROP NOT NULL,
                  ALTER COLUMN date DROP NOT NULL,
                  ALTER COLUMN part DROP NOT NULL;

-- The retention's runs (nightly and on demand), one at a time, with what each removed or cleared. Owned by Retention.
CREATE TABLE retention_run (
    id            BIGSERIAL   PRIMARY KEY,
    started_by    TEXT        NOT NULL,   -- api:<person>, schedule
    state         TEXT        NOT NULL CHECK (state IN ('RUNNING', 'DONE', 'FAILED')),
    counts        JSONB       NOT NULL DEFAULT '{}'::jsonb,
    error         TEXT,
    locked_until  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX retention_run_running ON retention_run ((true)) WHERE state = 'RUNNING';
