-- 0008: the lists read most. A council's assignment list is walked in
-- deadline order from one index that also holds what a row of the list
-- shows, on the page and in the API (agency, state, days, title, the
-- proposal and meeting behind it), so a page of it reads no table rows;
-- the council's number of assignments is kept beside it, counted up in
-- the transaction that issues one (assignments are never deleted or moved
-- between councils), instead of counting the whole list on every page
-- view. The agency registry is listed by name, a council's members on a
-- day are counted from one index, and an assignment's reports and their
-- indicators are read in the order shown.
CREATE INDEX assignments_council_list ON assignments(council_id, deadline, id, agency_id, state, completed_on, title,
  issued_on, original_deadline, illustrative, proposal_id, meeting_id);
DROP INDEX assignments_council_deadline;
CREATE TABLE council_counts (
  council_id BIGINT PRIMARY KEY REFERENCES councils(id),
  assignments BIGINT NOT NULL DEFAULT 0 CHECK (assignments >= 0));
INSERT INTO council_counts (council_id, assignments)
  SELECT c.id, (SELECT COUNT(*) FROM assignments a WHERE a.council_id = c.id) FROM councils c;
CREATE INDEX agencies_name ON agencies(name_en);
CREATE INDEX seats_council_role ON seats(council_id, role, joined_on, left_on);
DROP INDEX reports_assignment;
CREATE INDEX reports_assignment ON reports(assignment_id, created_at, id);
DROP INDEX indicators_report;
CREATE INDEX indicators_report ON indicators(report_id, position);
