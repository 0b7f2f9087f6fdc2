-- The code as the winning registration's package wrote it (a Smartschool alias or code, an Informat subcode or main
-- code): the rule warnings tell a parents' note from a medical certificate by it (the mapping table says which is
-- which). Null in rows decided before it existed: the official code.
ALTER TABLE decision ADD COLUMN source_code TEXT;
