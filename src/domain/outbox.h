/* outbox.h: publication of the event log to the outside: a council's
 * Telegram channel (Bot API sendMessage, HTML) and integrators' webhooks
 * (JSON POST signed with HMAC-SHA256), through one durable outbox. A
 * scanner turns new events into messages (one per target, in the same
 * transaction as its cursor); the sender delivers each target's messages
 * in order, one at a time, retrying with backoff and honouring Telegram's
 * 429 retry_after. A message is marked sent only after the target
 * acknowledged it. */
#ifndef KN_OUTBOX_H
#define KN_OUTBOX_H
#include "domain/event.h"

struct kn_db;

struct kn_tg_channel {
	int64_t id, council_id, from_seq;
	const char *bot_token, *chat_id, *lang, *event_kinds;
	bool enabled;
};
struct kn_webhook {
	int64_t id, council_id, from_seq, created_at;
	const char *url, *secret, *event_kinds, *council_slug;
	bool enabled;
};
struct kn_outbox_msg {
	int64_t id, target_id, event_seq, next_at, created_at, sent_at;
	const char *target, *state, *last_error, *body;
	int attempts;
};

/* A council's channel, NULL when it has none. */
enum kn_err kn_tg_get(struct kn_ctx *x, int64_t council_id, struct kn_tg_channel **out);
/* Creates or replaces the council's channel settings (errors in x->errs).
 * An empty bot_token keeps the stored one. */
enum kn_err kn_tg_save(struct kn_ctx *x, int64_t council_id, const struct kn_tg_channel *in);
enum kn_err kn_tg_delete(struct kn_ctx *x, int64_t council_id);

enum kn_err kn_webhook_list(struct kn_ctx *x, struct kn_webhook **out, int *n);
/* Creates a webhook with a new random secret (returned in *out). */
enum kn_err kn_webhook_create(struct kn_ctx *x, const struct kn_webhook *in, struct kn_webhook **out);
enum kn_err kn_webhook_delete(struct kn_ctx *x, int64_t id);

/* The latest messages of one target (newest first). */
enum kn_err kn_outbox_list(struct kn_ctx *x, const char *target, int64_t target_id, int limit,
                           struct kn_outbox_msg **out, int *n);

/* Renders an event as a Telegram HTML message in lang (src/view). */
typedef const char *(*kn_tg_render_fn)(struct kn_ctx *x, const char *lang, const struct kn_event_row *e,
                                       const char *title, const char *url);
/* Turns events after the cursor into messages; in the caller's
 * transaction. base_url makes the links absolute. */
enum kn_err kn_outbox_scan(struct kn_ctx *x, kn_tg_render_fn render, const char *base_url, int *queued);
/* One pass of the sender: scans, then delivers every message that is due,
 * each target in order. *sent: how many were acknowledged; *wait: seconds
 * until the next one is due (-1: nothing pending). stop, when it becomes
 * true, ends the pass after the message in flight. */
enum kn_err kn_outbox_pass(struct kn_db *db, kn_tg_render_fn render, const char *base_url, int64_t (*now)(void),
                           _Atomic bool *stop, int *sent, int64_t *wait);
/* The HMAC-SHA256 of body keyed by secret, as "sha256=<hex>". */
const char *kn_webhook_signature(struct kn_ctx *x, const char *secret, const char *body);

#endif
