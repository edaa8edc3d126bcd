-- 0001: accounts, people, councils, agencies, roles, record history
CREATE TABLE persons (
  id @ID@,
  full_name TEXT NOT NULL,
  full_name_ru TEXT,
  full_name_kk TEXT,
  bio TEXT NOT NULL DEFAULT '',
  user_id BIGINT UNIQUE,
  created_at BIGINT NOT NULL);
CREATE TABLE users (
  id @ID@,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT,
  password_hash TEXT NOT NULL,
  is_operator INTEGER NOT NULL DEFAULT 0 CHECK (is_operator IN (0, 1)),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL);
CREATE TABLE sessions (
  id @ID@,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ip TEXT NOT NULL DEFAULT '');
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
  id @ID@,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE TABLE councils (
  id @ID@,
  slug TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL,
  name_ru TEXT NOT NULL DEFAULT '',
  name_kk TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  chair_person_id BIGINT REFERENCES persons(id),
  founded_on TEXT,
  dissolved_on TEXT,
  succeeded_by BIGINT REFERENCES councils(id),
  seats INTEGER NOT NULL DEFAULT 0 CHECK (seats >= 0),
  timezone TEXT NOT NULL DEFAULT 'Asia/Almaty',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE agencies (
  id @ID@,
  slug TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL,
  name_ru TEXT NOT NULL DEFAULT '',
  name_kk TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT 'other',
  parent_id BIGINT REFERENCES agencies(id),
  website TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE INDEX agencies_parent ON agencies(parent_id);
CREATE TABLE roles (
  id @ID@,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('chair', 'secretary', 'member', 'officer')),
  council_id BIGINT REFERENCES councils(id),
  agency_id BIGINT REFERENCES agencies(id),
  granted_at BIGINT NOT NULL,
  CHECK ((role = 'officer' AND agency_id IS NOT NULL AND council_id IS NULL) OR         (role <> 'officer' AND council_id IS NOT NULL AND agency_id IS NULL)));
CREATE UNIQUE INDEX roles_council ON roles(user_id, role, council_id) WHERE council_id IS NOT NULL;CREATE UNIQUE INDEX roles_agency ON roles(user_id, role, agency_id) WHERE agency_id IS NOT NULL;-- The public event log: every state change of a public record, hash-chained.
-- event_head holds the last sequence number and hash; updating it takes the
-- row lock that serializes appends on PostgreSQL (SQLite serializes writers).
CREATE TABLE events (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor_role TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  council_id BIGINT,
  agency_id BIGINT,
  record_kind TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  change TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX events_record ON events(record_kind, record_id, seq);
CREATE INDEX events_council ON events(council_id, seq);
CREATE INDEX events_agency ON events(agency_id, seq);
CREATE TABLE event_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO event_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
