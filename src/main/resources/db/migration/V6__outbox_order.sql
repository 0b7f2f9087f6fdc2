-- Informat's public Student API does not protect its own earlier writes (MNA007 only guards registrations made in
-- Informat itself): the bridge must never deliver an older intent after a newer one for the same half-day. A row is
-- claimed only while no newer row exists for its key and target; the key index covers rows in every state for that.
DROP INDEX outbox_key;
CREATE INDEX outbox_key ON outbox (target, institution_number, registration_number, date, part, id);
