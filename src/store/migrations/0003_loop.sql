-- 0003: the council loop: meetings (agendas, attendance, minutes),
-- proposals (authors, co-signers), the chair's assignments to agencies
-- (co-executors, extensions, reports with outcome indicators), reform
-- packages whose items become laws. Overdue / on time / late are computed
-- when read, never stored.
CREATE TABLE meetings (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  kind TEXT NOT NULL CHECK (kind IN ('plenary', 'group', 'individual')),
  number INTEGER NOT NULL CHECK (number > 0),
  group_id BIGINT REFERENCES working_groups(id),
  person_id BIGINT REFERENCES persons(id),
  title TEXT NOT NULL DEFAULT '',
  starts_at BIGINT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  online INTEGER NOT NULL DEFAULT 0 CHECK (online IN (0, 1)),
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'held', 'cancelled')),
  cancel_reason TEXT NOT NULL DEFAULT '',
  minutes TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (council_id, kind, number));
CREATE INDEX meetings_council ON meetings(council_id, starts_at);
CREATE TABLE proposals (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  group_id BIGINT REFERENCES working_groups(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'group_review', 'on_agenda', 'accepted', 'rejected', 'withdrawn')),
  origin TEXT NOT NULL CHECK (origin IN ('member', 'citizen')),
  citizen_user_id BIGINT REFERENCES users(id),
  taken_up_by BIGINT REFERENCES persons(id),
  reject_reason TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE INDEX proposals_council ON proposals(council_id, state);
-- who raised a proposal (author) and who co-signed it
CREATE TABLE proposal_signers (
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL CHECK (kind IN ('author', 'cosigner')),
  signed_at BIGINT NOT NULL,
  PRIMARY KEY (proposal_id, person_id));
CREATE TABLE agenda_items (
  id @ID@,
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  position INTEGER NOT NULL CHECK (position > 0),
  title TEXT NOT NULL,
  proposal_id BIGINT REFERENCES proposals(id),
  created_at BIGINT NOT NULL);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);
CREATE INDEX agenda_items_proposal ON agenda_items(proposal_id);
CREATE TABLE attendance (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  status TEXT NOT NULL CHECK (status IN ('present', 'remote', 'absent')),
  PRIMARY KEY (meeting_id, person_id));
-- the chair's instructions; issued_on, deadline and completed_on are civil
-- dates in the council's time zone; deadline is the one in force
CREATE TABLE assignments (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  agency_id BIGINT NOT NULL REFERENCES agencies(id),
  proposal_id BIGINT REFERENCES proposals(id),
  meeting_id BIGINT REFERENCES meetings(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  issued_on TEXT NOT NULL,
  original_deadline TEXT NOT NULL,
  deadline TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('issued', 'in_progress', 'reported', 'completed', 'returned', 'withdrawn')),
  state_reason TEXT NOT NULL DEFAULT '',
  completed_on TEXT,
  completed_at BIGINT,
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (deadline >= issued_on));
CREATE INDEX assignments_council ON assignments(council_id, state);
CREATE INDEX assignments_agency ON assignments(agency_id, state);
CREATE INDEX assignments_proposal ON assignments(proposal_id);
CREATE TABLE assignment_coexecutors (
  assignment_id BIGINT NOT NULL REFERENCES assignments(id),
  agency_id BIGINT NOT NULL REFERENCES agencies(id),
  PRIMARY KEY (assignment_id, agency_id));
CREATE INDEX assignment_coexecutors_agency ON assignment_coexecutors(agency_id);
CREATE TABLE extensions (
  id @ID@,
  assignment_id BIGINT NOT NULL REFERENCES assignments(id),
  reason TEXT NOT NULL,
  old_deadline TEXT NOT NULL,
  requested_deadline TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'granted', 'refused')),
  decision_note TEXT NOT NULL DEFAULT '',
  requested_at BIGINT NOT NULL,
  decided_at BIGINT,
  CHECK (requested_deadline > old_deadline));
CREATE INDEX extensions_assignment ON extensions(assignment_id);
CREATE TABLE reports (
  id @ID@,
  assignment_id BIGINT NOT NULL REFERENCES assignments(id),
  agency_id BIGINT NOT NULL REFERENCES agencies(id),
  body TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '',
  final INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),
  author_name TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL);
CREATE INDEX reports_assignment ON reports(assignment_id);
-- measurable outcomes; numbers kept as written ("+129", "1250.5")
CREATE TABLE indicators (
  id @ID@,
  report_id BIGINT NOT NULL REFERENCES reports(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  baseline TEXT,
  target TEXT,
  actual TEXT NOT NULL);
CREATE INDEX indicators_report ON indicators(report_id);
CREATE TABLE reform_packages (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  announced_on TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE INDEX reform_packages_council ON reform_packages(council_id);
CREATE TABLE reform_items (
  id @ID@,
  package_id BIGINT NOT NULL REFERENCES reform_packages(id),
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL);
CREATE INDEX reform_items_package ON reform_items(package_id, position);
-- what an item came from: accepted proposals and assignments
CREATE TABLE reform_item_links (
  item_id BIGINT NOT NULL REFERENCES reform_items(id),
  proposal_id BIGINT REFERENCES proposals(id),
  assignment_id BIGINT REFERENCES assignments(id),
  CHECK ((proposal_id IS NULL) <> (assignment_id IS NULL)));
CREATE INDEX reform_item_links_item ON reform_item_links(item_id);
CREATE INDEX reform_item_links_proposal ON reform_item_links(proposal_id);
CREATE INDEX reform_item_links_assignment ON reform_item_links(assignment_id);
CREATE TABLE laws (
  id @ID@,
  item_id BIGINT NOT NULL REFERENCES reform_items(id),
  council_id BIGINT NOT NULL REFERENCES councils(id),
  title TEXT NOT NULL,
  number TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL CHECK (stage IN ('drafted', 'in_parliament', 'adopted', 'signed', 'in_force')),
  drafted_on TEXT,
  parliament_on TEXT,
  adopted_on TEXT,
  signed_on TEXT,
  in_force_on TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE INDEX laws_item ON laws(item_id);
CREATE INDEX laws_council ON laws(council_id, stage);
