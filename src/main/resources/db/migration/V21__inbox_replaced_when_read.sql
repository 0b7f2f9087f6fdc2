-- A change a poller read from a feed in commit order (Informat's change feed) that the same read showed replaced by a later
-- change of its half-day: its package no longer held it when it was read. Such a change is still decided, but its package
-- is never written over for it (the write-back of a winner): the later change is what the package holds, and decides.
-- The moment a polled change was "seen" was the read's; without this, an older change read after the bridge's write
-- had replaced it (its push lost while the bridge was down) made the bridge write the winner there a second time.
ALTER TABLE inbox ADD COLUMN replaced_when_read BOOLEAN NOT NULL DEFAULT false;
