-- Room on each page of the outbox for a row's next version: a delivery's claim changes only the lease and the attempt
-- count, no indexed column, so with room on its page PostgreSQL writes the new version there without touching any of the
-- table's indexes (a heap-only tuple). With full pages (the default, 100) every claim wrote a new entry into each index.
-- Pages written from now on keep a fifth free.
ALTER TABLE outbox SET (fillfactor = 80);
