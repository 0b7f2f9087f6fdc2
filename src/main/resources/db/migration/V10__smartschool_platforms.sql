-- A school board's Smartschool platforms (issue 14): each platform's register reads are its own (usernames are
-- per platform). The reads kept so far belonged to the one platform of before; they are dropped, and each
-- platform's first read of a day compares with what the bridge holds, as a day's first read always did.
DELETE FROM smartschool_read;
DELETE FROM smartschool_read_day;

ALTER TABLE smartschool_read_day ADD COLUMN platform TEXT NOT NULL DEFAULT '';
ALTER TABLE smartschool_read_day DROP CONSTRAINT smartschool_read_day_pkey;
ALTER TABLE smartschool_read_day ADD PRIMARY KEY (platform, date);
ALTER TABLE smartschool_read_day ALTER COLUMN platform DROP DEFAULT;

ALTER TABLE smartschool_read ADD COLUMN platform TEXT NOT NULL DEFAULT '';
ALTER TABLE smartschool_read DROP CONSTRAINT smartschool_read_pkey;
ALTER TABLE smartschool_read ADD PRIMARY KEY (platform, date, username, part);
ALTER TABLE smartschool_read ALTER COLUMN platform DROP DEFAULT;

-- each platform's poller has its own row: smartschool/<platform>
ALTER TABLE poll_run DROP CONSTRAINT poll_run_system_check;
DELETE FROM poll_run WHERE system = 'smartschool';
ALTER TABLE poll_run ADD CONSTRAINT poll_run_system_check CHECK (system = 'informat' OR system LIKE 'smartschool/%');
