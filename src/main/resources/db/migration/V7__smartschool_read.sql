-- Smartschool's public register read has no registration time: the poller compares each day's read with the
-- previous read of that day to see new codes and cleared half-days. What it read last, per day and half-day, and
-- when it last read each day. Owned by the Smartschool poller (exchange/receive).
CREATE TABLE smartschool_read_day (
    date     DATE        PRIMARY KEY,
    read_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE smartschool_read (
    date      DATE NOT NULL,
    username  TEXT NOT NULL,
    part      TEXT NOT NULL CHECK (part IN ('am', 'pm')),
    code      TEXT NOT NULL,
    alias     TEXT,
    PRIMARY KEY (date, username, part)
);
