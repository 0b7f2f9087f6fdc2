-- Registration numbers are unique within an institution only: a platform's reconciliation covers several.
ALTER TABLE reconciliation_source ADD COLUMN institute_no TEXT NOT NULL DEFAULT '';
ALTER TABLE reconciliation_source DROP CONSTRAINT reconciliation_source_pkey;
ALTER TABLE reconciliation_source ADD PRIMARY KEY (reconciliation_id, date, institute_no, student_no, part);
