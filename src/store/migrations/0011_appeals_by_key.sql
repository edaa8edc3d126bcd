-- 0011: appeals and notifications listed by one key. A council's public list and its
-- secretariat's, an agency's and a filer's own are read newest first from
-- an index led by that key and the filing time, a page at a time; the same
-- index holds the columns their filters test (visibility, state,
-- category), so counting a list reads no table rows. Before, at 106,404
-- appeals, each view of a council's list read and sorted every appeal.
DROP INDEX appeals_council;
CREATE INDEX appeals_council ON appeals(council_id, filed_at, id, visibility, state, category);
DROP INDEX appeals_agency;
CREATE INDEX appeals_agency ON appeals(agency_id, filed_at, id, visibility, state, category);
DROP INDEX appeals_filer;
CREATE INDEX appeals_filer ON appeals(filer_id, filed_at, id, visibility, state, category);
-- A person's inbox is counted (all, unread) from its index too: the
-- secretary is told of every appeal filed, and at 106,404 notifications
-- the count read each one's row (30 ms an inbox view).
DROP INDEX notifications_user;
CREATE INDEX notifications_user ON notifications(user_id, id, read_at);
