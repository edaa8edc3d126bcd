-- 0004: the direct channel. Appeals filed by citizens and members, triaged
-- by a council's secretariat, answered by agencies against deadlines counted
-- in working days; their messages and attachments, routing rules and
-- deadline targets per council, the escalation ladder (each step once), the
-- in-app inbox and the e-mail outbox, rate-limit counters shared by every
-- process, and the installation's holiday calendar (editable without a
-- rebuild).
CREATE TABLE appeal_targets (
  council_id BIGINT NOT NULL REFERENCES councils(id),
  urgency TEXT NOT NULL CHECK (urgency IN ('urgent', 'normal')),
  ack_days INTEGER NOT NULL CHECK (ack_days BETWEEN 0 AND 60),
  resolve_days INTEGER NOT NULL CHECK (resolve_days BETWEEN 1 AND 365),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (council_id, urgency));
-- the escalation ladder of a council: reminder remind_hours before a
-- deadline; notice on breach; flagged overdue in public flag_days working
-- days after the deadline day; proposed for the agenda after agenda_days
CREATE TABLE appeal_ladder (
  council_id BIGINT PRIMARY KEY REFERENCES councils(id),
  remind_hours INTEGER NOT NULL CHECK (remind_hours BETWEEN 0 AND 720),
  flag_days INTEGER NOT NULL CHECK (flag_days BETWEEN 0 AND 60),
  agenda_days INTEGER NOT NULL CHECK (agenda_days BETWEEN 0 AND 120),
  updated_at BIGINT NOT NULL);
-- routing rules: appeals of a category are suggested for an agency
CREATE TABLE appeal_routes (
  council_id BIGINT NOT NULL REFERENCES councils(id),
  category TEXT NOT NULL,
  agency_id BIGINT NOT NULL REFERENCES agencies(id),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (council_id, category));
-- reference numbers: NCPT-2026-000123, one sequence per council and year
CREATE TABLE appeal_counters (
  council_id BIGINT NOT NULL REFERENCES councils(id),
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (council_id, year));
CREATE TABLE appeals (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  reference TEXT NOT NULL UNIQUE,
  year INTEGER NOT NULL,
  number INTEGER NOT NULL,
  filer_id BIGINT NOT NULL REFERENCES users(id),
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  category TEXT NOT NULL,
  urgency TEXT NOT NULL CHECK (urgency IN ('urgent', 'normal')),
  affected TEXT NOT NULL DEFAULT '',
  scale TEXT NOT NULL CHECK (scale IN ('person', 'group', 'sector', 'country')),
  concerns TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'anonymous', 'confidential')),
  state TEXT NOT NULL CHECK (state IN ('submitted', 'info_requested', 'forwarded', 'acknowledged', 'resolved',
                                       'rejected', 'duplicate')),
  agency_id BIGINT REFERENCES agencies(id),
  duplicate_of BIGINT REFERENCES appeals(id),
  reason TEXT NOT NULL DEFAULT '',
  filed_at BIGINT NOT NULL,
  forwarded_at BIGINT,
  ack_due BIGINT,
  ack_at BIGINT,
  resolve_due BIGINT,
  resolved_at BIGINT,
  reopened INTEGER NOT NULL DEFAULT 0 CHECK (reopened IN (0, 1)),
  ext_state TEXT CHECK (ext_state IN ('requested', 'granted', 'refused')),
  ext_days INTEGER,
  ext_reason TEXT,
  overdue_flag INTEGER NOT NULL DEFAULT 0 CHECK (overdue_flag IN (0, 1)),
  hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  hidden_reason TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  updated_at BIGINT NOT NULL,
  UNIQUE (council_id, year, number));
CREATE INDEX appeals_council ON appeals(council_id, filed_at);
CREATE INDEX appeals_agency ON appeals(agency_id, state);
CREATE INDEX appeals_filer ON appeals(filer_id);
CREATE INDEX appeals_state ON appeals(state);
CREATE INDEX appeals_duplicate ON appeals(duplicate_of);
-- the conversation: the filer, the secretariat and the agency; moderation
-- hides a text from the public but keeps the original for the record
CREATE TABLE appeal_messages (
  id @ID@,
  appeal_id BIGINT NOT NULL REFERENCES appeals(id),
  author_id BIGINT REFERENCES users(id),
  author_role TEXT NOT NULL CHECK (author_role IN ('filer', 'secretariat', 'officer', 'system')),
  agency_id BIGINT REFERENCES agencies(id),
  kind TEXT NOT NULL CHECK (kind IN ('message', 'info_request', 'answer', 'forward', 'acknowledgement', 'reply',
                                     'resolution', 'reopen', 'extension', 'extension_decision', 'rejection',
                                     'duplicate')),
  body TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  hidden_reason TEXT NOT NULL DEFAULT '',
  hidden_by BIGINT REFERENCES users(id),
  hidden_at BIGINT,
  created_at BIGINT NOT NULL);
CREATE INDEX appeal_messages_appeal ON appeal_messages(appeal_id, id);
-- attachments: type sniffed from the bytes, never from the name
CREATE TABLE appeal_files (
  id @ID@,
  appeal_id BIGINT NOT NULL REFERENCES appeals(id),
  message_id BIGINT REFERENCES appeal_messages(id),
  filename TEXT NOT NULL,
  ctype TEXT NOT NULL CHECK (ctype IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
  size BIGINT NOT NULL CHECK (size > 0),
  sha256 TEXT NOT NULL,
  data @BLOB@ NOT NULL,
  uploaded_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL);
CREATE INDEX appeal_files_appeal ON appeal_files(appeal_id);
-- the escalation ladder: one row per step and deadline, inserted with
-- ON CONFLICT DO NOTHING, so a step happens once however many scanners run
CREATE TABLE appeal_escalations (
  id @ID@,
  appeal_id BIGINT NOT NULL REFERENCES appeals(id),
  step TEXT NOT NULL CHECK (step IN ('ack_reminder', 'ack_breach', 'ack_flagged', 'ack_agenda', 'resolve_reminder',
                                     'resolve_breach', 'resolve_flagged', 'resolve_agenda')),
  due_at BIGINT NOT NULL,
  at BIGINT NOT NULL,
  meeting_id BIGINT,
  UNIQUE (appeal_id, step, due_at));
-- the in-app inbox of every account
CREATE TABLE notifications (
  id @ID@,
  user_id BIGINT NOT NULL REFERENCES users(id),
  appeal_id BIGINT REFERENCES appeals(id),
  kind TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT);
CREATE INDEX notifications_user ON notifications(user_id, id);
-- e-mail waiting to be sent (durable; retried with backoff)
CREATE TABLE mail_outbox (
  id @ID@,
  to_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,
  claimed_at BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT);
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_at);
-- rate-limit counters (fixed windows), shared by every kenes process
CREATE TABLE rate_counters (
  key TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_start));
-- the installation's holiday calendar (docs/calendar.md); no row: built-in
CREATE TABLE calendars (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  text TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT REFERENCES users(id));
