-- 0010: people in name order. The staff forms that name a person offer the
-- registry as a list while it is short: they read the first 101 eligible
-- people by name. Without this index SQLite read and sorted the whole
-- registry first (a secretary's seat form at 50,000 people: 19.5 ms, then
-- 0.2 ms); the registry's own pages (/people) walk it too.
CREATE INDEX persons_name ON persons(full_name, id);
