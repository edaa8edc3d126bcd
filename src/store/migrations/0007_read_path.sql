-- 0007: the read path. A council's assignment list is ordered by deadline
-- and paged: with this index SQLite walks the council's assignments in
-- deadline order and stops after a page, instead of joining and sorting
-- all of them on every request.
CREATE INDEX assignments_council_deadline ON assignments(council_id, deadline, id);
