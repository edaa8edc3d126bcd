-- 0006: consultations ("different opinions, but one nation"): a council asks
-- a question, participants write short statements and vote agree (1) /
-- disagree (-1) / pass (0) one statement at a time; the opinion engine
-- (src/opinion) maps the groups. Numbers (participants.number,
-- statements.number) are the public, per-consultation ids used in the
-- Pol.is-format export (voter-id, comment-id); database ids never leave.
CREATE TABLE consultations (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  proposal_id BIGINT REFERENCES proposals(id),
  group_id BIGINT REFERENCES working_groups(id),
  question TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  opens_on TEXT NOT NULL,
  closes_on TEXT NOT NULL,
  -- instants of opens_on 00:00 and the day after closes_on 00:00 in the
  -- council's time zone: voting is open in [opens_at, closes_at)
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  -- who may take part: registered citizens, or anyone with a per-browser id
  who TEXT NOT NULL CHECK (who IN ('citizens', 'anyone')),
  -- participants may add statements (1) or only vote on the seed ones (0)
  statements_open INTEGER NOT NULL DEFAULT 1 CHECK (statements_open IN (0, 1)),
  -- closed early by the secretary (closes_at is then moved to that instant)
  closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
  -- seed of the statement routing (weighted random choice per participant)
  seed BIGINT NOT NULL,
  -- where the data came from ('' or e.g. a Pol.is export with its licence)
  source TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  -- bumped by every moderation: the background analysis reruns on a change
  revision BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (closes_on >= opens_on));
CREATE INDEX consultations_council ON consultations(council_id);
-- a participant: a registered account (user_id) or a browser (browser: a
-- hash of its random HttpOnly cookie; never a fingerprint). Never public.
CREATE TABLE consultation_participants (
  id @ID@,
  consultation_id BIGINT NOT NULL REFERENCES consultations(id),
  number INTEGER NOT NULL CHECK (number >= 0),
  user_id BIGINT REFERENCES users(id),
  browser TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (consultation_id, number),
  UNIQUE (consultation_id, user_id),
  UNIQUE (consultation_id, browser));
CREATE TABLE consultation_statements (
  id @ID@,
  consultation_id BIGINT NOT NULL REFERENCES consultations(id),
  number INTEGER NOT NULL CHECK (number >= 0),
  body TEXT NOT NULL,
  author_id BIGINT REFERENCES consultation_participants(id),
  is_seed INTEGER NOT NULL DEFAULT 0 CHECK (is_seed IN (0, 1)),
  moderation TEXT NOT NULL CHECK (moderation IN ('pending', 'accepted', 'rejected')),
  is_meta INTEGER NOT NULL DEFAULT 0 CHECK (is_meta IN (0, 1)),
  created_at_ms BIGINT NOT NULL,
  moderated_at BIGINT,
  UNIQUE (consultation_id, number));
CREATE INDEX consultation_statements_state ON consultation_statements(consultation_id, moderation);
-- every vote as it was given (a changed vote is a new row: the latest wins);
-- one small row per vote, written in batches by the vote writer
CREATE TABLE consultation_votes (
  id @ID@,
  consultation_id BIGINT NOT NULL REFERENCES consultations(id),
  statement_id BIGINT NOT NULL REFERENCES consultation_statements(id),
  participant_id BIGINT NOT NULL REFERENCES consultation_participants(id),
  value INTEGER NOT NULL CHECK (value IN (-1, 0, 1)),
  at_ms BIGINT NOT NULL);
CREATE INDEX consultation_votes_pair ON consultation_votes(participant_id, statement_id, id);
CREATE INDEX consultation_votes_consultation ON consultation_votes(consultation_id, id);
