-- Every state-changing admin action (admin API, Jolokia operations), with the person who made it: who (a local user
-- name or the identity provider's e-mail or subject), how they logged in, what (method and path template, never the
-- path's values nor the body: they may hold a pupil's key), the answer's status and when. Written by AdminActions.
CREATE TABLE admin_action (
    id     BIGSERIAL PRIMARY KEY,
    at     TIMESTAMPTZ NOT NULL,
    person TEXT NOT NULL,
    login  TEXT NOT NULL,
    action TEXT NOT NULL,
    status INTEGER NOT NULL
);
CREATE INDEX admin_action_newest ON admin_action (at DESC, id DESC);
