-- 0002: composition of councils: seats (a person in a council for a term),
-- rotations (who left and who joined at once), later careers, working
-- groups with their members and lineage (splits and merges).
-- Dates are civil dates YYYY-MM-DD; a seat or a group membership covers
-- [joined_on, left_on): on left_on the person no longer sits.
-- illustrative = 1: the dates (or the person) are not given by a source and
-- stand in for the demo; pages say so.
ALTER TABLE persons ADD COLUMN illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1));
CREATE TABLE seats (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  role TEXT NOT NULL CHECK (role IN ('chair', 'secretary', 'member')),
  sector TEXT NOT NULL CHECK (sector IN ('expert', 'ngo', 'media', 'business', 'culture', 'youth', 'other')),
  region TEXT NOT NULL DEFAULT '',
  joined_on TEXT NOT NULL,
  left_on TEXT,
  left_reason TEXT CHECK (left_reason IN ('rotation', 'resignation', 'end_of_term', 'elected', 'other')),
  left_body TEXT NOT NULL DEFAULT '',
  left_note TEXT NOT NULL DEFAULT '',
  joined_rotation_id BIGINT,
  left_rotation_id BIGINT,
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  CHECK (left_on IS NULL OR left_on >= joined_on));
CREATE INDEX seats_council ON seats(council_id, joined_on);
CREATE INDEX seats_person ON seats(person_id);
CREATE INDEX seats_left_rotation ON seats(left_rotation_id);
CREATE INDEX seats_joined_rotation ON seats(joined_rotation_id);
-- sector quotas: at least min_seats seats of a sector
CREATE TABLE sector_quotas (
  council_id BIGINT NOT NULL REFERENCES councils(id),
  sector TEXT NOT NULL,
  min_seats INTEGER NOT NULL CHECK (min_seats >= 0),
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  PRIMARY KEY (council_id, sector));
CREATE TABLE rotations (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  number INTEGER NOT NULL,
  held_on TEXT NOT NULL,
  basis TEXT NOT NULL DEFAULT '',
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  UNIQUE (council_id, number));
-- a person's later career: "elected deputy of the Mazhilis, VII convocation"
CREATE TABLE careers (
  id @ID@,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  position TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  started_on TEXT,
  ended_on TEXT,
  council_id BIGINT REFERENCES councils(id),
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL);
CREATE INDEX careers_person ON careers(person_id);
CREATE TABLE working_groups (
  id @ID@,
  council_id BIGINT NOT NULL REFERENCES councils(id),
  slug TEXT NOT NULL,
  name_en TEXT NOT NULL,
  name_ru TEXT NOT NULL DEFAULT '',
  name_kk TEXT NOT NULL DEFAULT '',
  theme TEXT NOT NULL DEFAULT 'other',
  leader_person_id BIGINT REFERENCES persons(id),
  created_on TEXT NOT NULL,
  closed_on TEXT,
  closed_reason TEXT CHECK (closed_reason IN ('split', 'merged', 'dissolved')),
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  UNIQUE (council_id, slug));
-- lineage: parent -> child ("socio-cultural" -> "social", "spiritual-cultural")
CREATE TABLE group_lineage (
  parent_id BIGINT NOT NULL REFERENCES working_groups(id),
  child_id BIGINT NOT NULL REFERENCES working_groups(id),
  kind TEXT NOT NULL CHECK (kind IN ('split', 'merge')),
  happened_on TEXT NOT NULL,
  PRIMARY KEY (parent_id, child_id));
CREATE TABLE group_members (
  id @ID@,
  group_id BIGINT NOT NULL REFERENCES working_groups(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  joined_on TEXT NOT NULL,
  left_on TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
  created_at BIGINT NOT NULL,
  CHECK (left_on IS NULL OR left_on >= joined_on));
CREATE INDEX group_members_group ON group_members(group_id);
CREATE INDEX group_members_person ON group_members(person_id);
