-- 0005: the public record: signed checkpoints of the event log's head, and
-- the publication outbox (Telegram channels and webhooks) fed from the log.
-- A checkpoint signs "kenes-checkpoint v1" + seq + hash + at with the
-- installation's Ed25519 key (docs/events.md); public_key is the key that
-- signed it (hex), signature the detached signature (hex).
CREATE TABLE checkpoints (
  id @ID@,
  seq BIGINT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  at BIGINT NOT NULL,
  public_key TEXT NOT NULL,
  signature TEXT NOT NULL);
-- A council's Telegram channel: which event kinds it publishes (comma-
-- separated record kinds, * for all), in which language. from_seq: events
-- up to it were there before the channel and are not sent.
CREATE TABLE telegram_channels (
  id @ID@,
  council_id BIGINT NOT NULL UNIQUE REFERENCES councils(id),
  bot_token TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'ru' CHECK (lang IN ('en', 'ru', 'kk')),
  event_kinds TEXT NOT NULL DEFAULT '*',
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  from_seq BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
-- An integrator's webhook: events (of one council, or all when council_id
-- is NULL) POSTed as JSON, signed with HMAC-SHA256 keyed by secret.
CREATE TABLE webhooks (
  id @ID@,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  council_id BIGINT REFERENCES councils(id),
  event_kinds TEXT NOT NULL DEFAULT '*',
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  from_seq BIGINT NOT NULL,
  created_at BIGINT NOT NULL);
-- Where the outbox scanner got to in the event log.
CREATE TABLE outbox_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL);
INSERT INTO outbox_cursor (id, seq) VALUES (1, 0);
-- One message to one target, delivered in id order per target, once.
CREATE TABLE outbox (
  id @ID@,
  target TEXT NOT NULL CHECK (target IN ('telegram', 'webhook')),
  target_id BIGINT NOT NULL,
  event_seq BIGINT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  UNIQUE (target, target_id, event_seq));
CREATE INDEX outbox_queue ON outbox(target, target_id, state, id);
