/* event.h: the public event log. Every state change of a public record
 * appends one event in the same transaction as the change: sequence number,
 * time, actor (role and public name), record kind and id, what changed
 * (public fields only, before -> after), and the hash of the previous
 * event. The hash is SHA-256 over the event's canonical JSON (docs/events.md). */
#ifndef KN_EVENT_H
#define KN_EVENT_H
#include "domain/domain.h"

/* What changed: an arena-owned set of field -> [before, after]. */
struct kn_change;
struct kn_change *kn_change_new(struct kn_ctx *x);
/* Adds the field when before and after differ (NULL is JSON null). */
void kn_change_str(struct kn_change *c, const char *field, const char *before, const char *after);
void kn_change_int(struct kn_change *c, const char *field, int64_t before, int64_t after);
/* Integers where 0 means "none" (ids): 0 is written as null. */
void kn_change_id(struct kn_change *c, const char *field, int64_t before, int64_t after);
bool kn_change_empty(const struct kn_change *c);

/* Appends an event for record kind/id. council_id / agency_id (0: none)
 * file it under a council's or agency's feed. The change may be NULL. */
enum kn_err kn_event(struct kn_ctx *x, const char *kind, int64_t id, const char *action, int64_t council_id,
                     int64_t agency_id, struct kn_change *change);

/* One stored event, for history pages, feeds and verification. */
struct kn_event_row {
	int64_t seq, at, council_id, agency_id, record_id;
	const char *actor_role, *actor_name, *kind, *action, *change, *prev_hash, *hash;
};
/* A record's events, oldest first, as its history shows them: seq, time,
 * actor, action, change, kind and id (no feed ids, no hashes: those are
 * kn_event_range's). */
enum kn_err kn_event_list(struct kn_ctx *x, const char *kind, int64_t id, struct kn_event_row **out, int *n);
/* Events after seq (at most limit), oldest first: the raw log. */
enum kn_err kn_event_range(struct kn_ctx *x, int64_t after_seq, int limit, struct kn_event_row **out, int *n);
/* An event's change as field, before, after (values as text, NULL for
 * none), for display. */
struct kn_change_item {
	const char *field, *before, *after;
};
enum kn_err kn_event_changes(struct kn_ctx *x, const struct kn_event_row *e, struct kn_change_item **out, int *n);
/* Its two readers, for the tests: the direct one for the canonical common
 * shape (false: not that shape, nothing decided) and jansson's for any JSON. */
bool kn_event_changes_fast(struct kn_arena *a, const char *json, struct kn_change_item **out, int *n);
enum kn_err kn_event_changes_json(struct kn_ctx *x, const char *text, struct kn_change_item **out, int *n);
/* Recomputes an event's hash from its fields; writes 65 bytes of hex.
 * Returns KN_EINVAL if its change is not canonical JSON. */
enum kn_err kn_event_hash(const struct kn_event_row *e, char hex[65]);
/* Checks the whole chain; on a mismatch returns KN_ECONFLICT with the
 * first bad sequence number in *bad_seq and why in msg. */
enum kn_err kn_event_verify(struct kn_ctx *x, int64_t *checked, int64_t *bad_seq, char *msg, size_t msglen);

#endif
