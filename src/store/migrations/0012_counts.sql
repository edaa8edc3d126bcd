-- 0012: counts kept, not counted. A council's number of public appeals (the
-- total of its public list) and an account's inbox totals (all, unread) are
-- kept beside them, counted up in the transactions that file an appeal or
-- write a notification and down in the one that marks notifications read:
-- appeals are never deleted, moved between councils or made confidential
-- after filing, notifications never deleted. Counting them on every view
-- walked every one (at 20,494 appeals the public API list answered 0.42 as
-- often as at 828, the secretary's inbox 0.22). The appeals' count has a
-- table of its own: a filing must not retire the pages that read
-- council_counts (the assignments' lists), as the page cache retires the
-- pages that read a table written.
CREATE TABLE appeal_counts (
  council_id BIGINT PRIMARY KEY REFERENCES councils(id),
  public_appeals BIGINT NOT NULL DEFAULT 0 CHECK (public_appeals >= 0));
INSERT INTO appeal_counts (council_id, public_appeals)
  SELECT council_id, COUNT(*) FROM appeals WHERE visibility <> 'confidential' GROUP BY council_id;
CREATE TABLE inbox_counts (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  total BIGINT NOT NULL DEFAULT 0 CHECK (total >= 0),
  unread BIGINT NOT NULL DEFAULT 0 CHECK (unread >= 0));
INSERT INTO inbox_counts (user_id, total, unread)
  SELECT user_id, COUNT(*), SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END) FROM notifications GROUP BY user_id;
