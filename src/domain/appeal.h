/* appeal.h: the direct channel. A citizen or member files an appeal with a
 * council; the secretariat triages it (forward to an agency, duplicate,
 * ask for information, reject); the agency acknowledges, replies, asks for
 * an extension and resolves, against deadlines counted in working days in
 * the council's time zone; the filer answers and may reopen once.
 *
 * Every function checks the actor's right itself (from the roles table),
 * whatever route called it: KN_EPERM when the actor may not do this,
 * KN_ECONFLICT when the appeal is not in a state that allows it, KN_EINVAL
 * with field errors for bad input. Confidential appeals: their events carry
 * only the state change and the agency, and no actor name. */
#ifndef KN_DOMAIN_APPEAL_H
#define KN_DOMAIN_APPEAL_H
#include "domain/domain.h"

extern const char *const kn_appeal_categories[];   /* value, label pairs, NULL-terminated */
extern const char *const kn_appeal_scales[];       /* value, label pairs */
extern const char *const kn_appeal_visibilities[]; /* value, label pairs */
extern const char *const kn_appeal_urgencies[];    /* value, label pairs */
/* The label (an untranslated msgid) of a value in one of the lists above. */
const char *kn_appeal_label(const char *const *list, const char *value);
/* The label of a state ("submitted" -> "Awaiting triage"). */
const char *kn_appeal_state_label(const char *state);

struct kn_appeal {
	int64_t id, council_id, filer_id, agency_id, duplicate_of;
	const char *reference, *council_slug, *council_tz;
	const char *subject, *body; /* the originals, even when hidden */
	const char *category, *urgency, *affected, *scale, *concerns, *visibility, *state, *reason;
	const char *agency_slug, *agency_name, *filer_name, *duplicate_ref;
	int64_t filed_at, forwarded_at, ack_due, ack_at, resolve_due, resolved_at, updated_at;
	bool reopened, overdue_flag, hidden, illustrative;
	const char *hidden_reason;
	const char *ext_state, *ext_reason; /* NULL when no extension was asked */
	int ext_days;
	int duplicates; /* appeals marked as duplicates of this one */
};

/* What the actor may see and do with one appeal. */
struct kn_appeal_access {
	bool filer, secretary, officer; /* officer of the agency it is with now */
	bool see;        /* the appeal at all (false: confidential, not involved) */
	bool see_filer;  /* the filer's name */
	bool see_hidden; /* the original of moderated text (secretariat only) */
};

/* An uploaded file, as the handler received it. */
struct kn_upload {
	const char *filename, *data;
	size_t len;
	struct kn_upload *next;
};

struct kn_appeal_in {
	const char *subject, *body, *category, *urgency, *affected, *scale, *concerns, *visibility;
	const char *ip; /* the filer's address, for the rate limit (may be NULL) */
	const struct kn_upload *files;
};

/* Files an appeal with council_id as the actor (who must be signed in).
 * Rate limits per account and per address (settings appeal_rate_*):
 * KN_ELIMIT when exceeded. */
enum kn_err kn_appeal_file(struct kn_ctx *x, int64_t council_id, const struct kn_appeal_in *in, int64_t *id);

/* By reference ("NCPT-2026-000001") or id; no access check (see access). */
enum kn_err kn_appeal_get(struct kn_ctx *x, const char *key, struct kn_appeal **out);
enum kn_err kn_appeal_access(struct kn_ctx *x, const struct kn_appeal *a, struct kn_appeal_access *acc);

/* Secretariat (secretary of the appeal's council). */
enum kn_err kn_appeal_forward(struct kn_ctx *x, int64_t id, const char *agency_key, const char *note);
enum kn_err kn_appeal_mark_duplicate(struct kn_ctx *x, int64_t id, const char *of_ref, const char *note);
enum kn_err kn_appeal_ask_info(struct kn_ctx *x, int64_t id, const char *question);
enum kn_err kn_appeal_reject(struct kn_ctx *x, int64_t id, const char *reason);
enum kn_err kn_appeal_extension_decide(struct kn_ctx *x, int64_t id, bool grant, const char *note);
/* Hides the appeal's subject and body (message_id 0) or one message from
 * everyone but the secretariat; the original is kept. */
enum kn_err kn_appeal_hide(struct kn_ctx *x, int64_t id, int64_t message_id, const char *reason);

/* Agency (officer of the agency the appeal is with). */
enum kn_err kn_appeal_acknowledge(struct kn_ctx *x, int64_t id, const char *text);
enum kn_err kn_appeal_extension_ask(struct kn_ctx *x, int64_t id, int days, const char *reason);
enum kn_err kn_appeal_reply(struct kn_ctx *x, int64_t id, const char *text, const struct kn_upload *files);
enum kn_err kn_appeal_resolve(struct kn_ctx *x, int64_t id, const char *text);

/* Filer. answer: a message; when information was asked, the appeal goes
 * back to triage. reopen: once, with a reason, after resolution. */
enum kn_err kn_appeal_answer(struct kn_ctx *x, int64_t id, const char *text, const struct kn_upload *files);
enum kn_err kn_appeal_reopen(struct kn_ctx *x, int64_t id, const char *reason);

/* Lists. Public lists never include confidential appeals. */
struct kn_appeal_filter {
	int64_t council_id, agency_id, filer_id;
	const char *category, *state;
	bool public_only;  /* no confidential appeals */
	bool triage;       /* states submitted and info_requested */
	bool open;         /* states forwarded and acknowledged */
	int limit, offset; /* limit 0: 100 */
};
/* The secretariat's list named by list (NULL, "" or "waiting": the appeals
 * waiting for it; "agencies": those with agencies), as a filter of
 * council_id's appeals; false for any other name. */
bool kn_appeal_triage_filter(int64_t council_id, const char *list, struct kn_appeal_filter *f);
enum kn_err kn_appeal_list(struct kn_ctx *x, const struct kn_appeal_filter *f, struct kn_appeal **out, int *n);
/* kn_appeal_list's appeals handed to fn one at a time as they are read (a
 * list written straight into an answer); each appeal and its texts are fn's
 * only during the call, which must not use the connection. */
typedef bool (*kn_appeal_fn)(void *arg, const struct kn_appeal *a);
enum kn_err kn_appeal_each(struct kn_ctx *x, const struct kn_appeal_filter *f, kn_appeal_fn fn, void *arg);
/* How many appeals the filter takes in all (its limit and offset aside). */
enum kn_err kn_appeal_count(struct kn_ctx *x, const struct kn_appeal_filter *f, int *total);

struct kn_appeal_msg {
	int64_t id, author_id, agency_id, created_at;
	const char *author_role, *author_name, *kind, *body, *hidden_reason;
	bool hidden;
};
enum kn_err kn_appeal_messages(struct kn_ctx *x, int64_t id, struct kn_appeal_msg **out, int *n);

struct kn_appeal_attachment {
	int64_t id, appeal_id, message_id, size, created_at;
	const char *filename, *ctype, *sha256;
	const char *data; /* kn_appeal_attachment_get only */
};
enum kn_err kn_appeal_attachments(struct kn_ctx *x, int64_t id, struct kn_appeal_attachment **out, int *n);
/* One attachment with its bytes, if it belongs to appeal_id. */
enum kn_err kn_appeal_attachment_get(struct kn_ctx *x, int64_t appeal_id, int64_t file_id,
                                     struct kn_appeal_attachment **out);

/* The escalation steps taken for an appeal, oldest first. */
struct kn_appeal_step {
	const char *step;
	int64_t due_at, at, meeting_id;
};
enum kn_err kn_appeal_steps(struct kn_ctx *x, int64_t id, struct kn_appeal_step **out, int *n);

/* The agency a routing rule suggests for a category (NULL: none). */
const char *kn_appeal_suggest(struct kn_ctx *x, int64_t council_id, const char *category);

/* Per-council settings (secretary): deadline targets per urgency in
 * working days, the escalation ladder, routing rules. */
struct kn_appeal_settings {
	int ack_urgent, resolve_urgent, ack_normal, resolve_normal;
	int remind_hours, flag_days, agenda_days;
};
enum kn_err kn_appeal_settings_get(struct kn_ctx *x, int64_t council_id, struct kn_appeal_settings *s);
enum kn_err kn_appeal_settings_save(struct kn_ctx *x, int64_t council_id, const struct kn_appeal_settings *s);
struct kn_appeal_route {
	const char *category, *agency_slug;
};
enum kn_err kn_appeal_routes(struct kn_ctx *x, int64_t council_id, struct kn_appeal_route **out, int *n);
/* Sets the rule of one category; an empty agency removes it. */
enum kn_err kn_appeal_route_set(struct kn_ctx *x, int64_t council_id, const char *category, const char *agency_key);

/* Public statistics, per group of appeals. Confidential appeals count. */
struct kn_appeal_stat {
	const char *key, *label; /* agency slug and name, or category and its label */
	int received, ack_counted, ack_on_time, res_counted, res_on_time, resolved, overdue_now;
	double median_days, p90_days; /* working days to resolution; -1 when none resolved */
};
/* A grouping of the statistics: its groups in the order their first
 * appeal was filed, and the total over the appeals it counts. */
struct kn_appeal_stats {
	struct kn_appeal_stat *groups;
	int n;
	struct kn_appeal_stat total;
};
/* The statistics of a council's or an agency's appeals (0: every one),
 * grouped by the agency they went to (the appeals forwarded) and by
 * category (all), both from one read; a grouping not wanted is NULL. */
enum kn_err kn_appeal_stats(struct kn_ctx *x, int64_t council_id, int64_t agency_id, struct kn_appeal_stats *by_agency,
                            struct kn_appeal_stats *by_category);
/* Whether the appeal is past a deadline now (not yet acknowledged after
 * ack_due, or not resolved after resolve_due). */
bool kn_appeal_overdue_now(const struct kn_appeal *a, int64_t now);

/* The in-app inbox. */
struct kn_note {
	int64_t id, appeal_id, created_at, read_at;
	const char *kind, *body, *link;
};
/* An account's notifications, newest first: limit of them from offset;
 * total and unread: how many it has, and how many of them are unread. */
enum kn_err kn_inbox_list(struct kn_ctx *x, int64_t user_id, int offset, int limit, struct kn_note **out, int *n,
                          int *total, int *unread);
enum kn_err kn_inbox_mark_read(struct kn_ctx *x, int64_t user_id, int64_t note_id /* 0: all */);
/* The label (msgid) of a notification kind. */
const char *kn_note_label(const char *kind);

/* The escalation ladder, once: every step due at x->now that has not yet
 * been taken is taken, each in its own transaction and recorded once (a
 * unique row per appeal, step and deadline), so concurrent runs on one or
 * several servers never repeat a step. x->c must not be in a transaction. */
struct kn_tick_report {
	int reminders, breaches, flagged, agenda, skipped;
};
enum kn_err kn_appeal_tick(struct kn_ctx *x, struct kn_tick_report *rep);

/* Appends an e-mail to the outbox when mail is configured (smtp_url);
 * used by the notifications. */
enum kn_err kn_mail_enqueue(struct kn_ctx *x, const char *to, const char *subject, const char *body);

#endif
