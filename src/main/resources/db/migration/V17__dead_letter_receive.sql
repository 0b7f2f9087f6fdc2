-- A vendor's item a poller could not take (unreadable, or implausible as a push would be refused) waits in the dead
-- letters with its reason instead of being skipped: stage RECEIVE. Such an item may lack the pupil, day or part.
ALTER TABLE dead_letter DROP CONSTRAINT dead_letter_stage_check;
ALTER TABLE dead_letter ADD CONSTRAINT dead_letter_stage_check CHECK (stage IN ('RECEIVE', 'GATE', 'TRANSLATE', 'DELIVER'));
ALTER TABLE dead_letter ALTER COLUMN institution_number DROP NOT NULL,
                        ALTER COLUMN registration_number DROP NOT NULL,
                        ALTER COLUMN date DROP NOT NULL,
                        ALTER COLUMN part DROP NOT NULL;
