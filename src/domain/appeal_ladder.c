/* appeal_ladder.c: notifications of appeals (inbox and e-mail outbox) and
 * the escalation ladder: reminder, breach notice, public overdue flag,
 * proposal for the next meeting's agenda, each step recorded once. */
#include "core/arena.h"
#include "core/config.h"
#include "domain/appeal_int.h"
#include "domain/event.h"
#include "domain/workcal.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

enum kn_err kn_mail_enqueue(struct kn_ctx *x, const char *to, const char *subject, const char *body)
{
	if (!kn_cfg.smtp_url || !*kn_cfg.smtp_url || !to || !*to)
		return KN_OK;
	return kn_sql(x->c, x->a, NULL,
	              "INSERT INTO mail_outbox (to_addr, subject, body, state, attempts, next_at, created_at) VALUES ($1, "
	              "$2, $3, 'pending', 0, $4, $4)",
	              KN_TEXT(to), KN_TEXT(subject), KN_TEXT(body), KN_INT(x->now));
}

static const char *appeal_link(struct kn_ctx *x, const struct kn_appeal *a)
{
	return kn_printf(x->a, "/councils/%s/appeals/%s", a->council_slug, a->reference);
}

/* One notification: the inbox row, and an e-mail (with no text of the
 * appeal: only its reference, what happened and the link) when the
 * account has an address and mail is configured. */
static enum kn_err notify_user(struct kn_ctx *x, int64_t uid, const struct kn_appeal *a, const char *kind)
{
	if (!uid || uid == x->actor_id)
		return KN_OK;
	const char *link = appeal_link(x, a);
	const char *what = kn_note_label(kind);
	enum kn_err rc = kn_sql(x->c, x->a, NULL,
	                        "INSERT INTO notifications (user_id, appeal_id, kind, body, link, created_at) VALUES ($1, "
	                        "$2, $3, $4, $5, $6)",
	                        KN_INT(uid), KN_INT(a->id), KN_TEXT(kind), KN_TEXT(a->reference), KN_TEXT(link),
	                        KN_INT(x->now));
	/* the inbox's totals, kept (migration 0012) */
	if (!rc)
		rc = kn_sql(x->c, x->a, NULL,
		            "INSERT INTO inbox_counts (user_id, total, unread) VALUES ($1, 1, 1) ON CONFLICT (user_id) DO "
		            "UPDATE SET total = inbox_counts.total + 1, unread = inbox_counts.unread + 1",
		            KN_INT(uid));
	if (rc || !kn_cfg.smtp_url || !*kn_cfg.smtp_url)
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "SELECT email FROM users WHERE id = $1 AND disabled = 0 AND email IS NOT NULL AND email <> ''",
	                 KN_INT(uid))))
		return rc;
	if (!r->n)
		return KN_OK;
	const char *base = kn_cfg.base_url && *kn_cfg.base_url ? kn_cfg.base_url : "";
	return kn_mail_enqueue(x, kn_row_s(r, 0, 0), kn_printf(x->a, "[Kenes] %s: %s", a->reference, what),
	                       kn_printf(x->a,
	                                 "Appeal %s: %s.\r\n\r\nFollow it here: %s%s\r\n\r\n"
	                                 "You receive this because you take part in this appeal on Kenes.\r\n",
	                                 a->reference, what, base, link));
}

static enum kn_err notify_role(struct kn_ctx *x, const struct kn_appeal *a, const char *kind, const char *role)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (!strcmp(role, "officer"))
		rc = kn_sql(x->c, x->a, &r, "SELECT DISTINCT user_id FROM roles WHERE role = 'officer' AND agency_id = $1",
		            KN_INT(a->agency_id));
	else
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT DISTINCT user_id FROM roles WHERE role = 'secretary' AND council_id = $1",
		            KN_INT(a->council_id));
	for (int i = 0; !rc && i < r->n; i++)
		rc = notify_user(x, kn_row_i(r, i, 0), a, kind);
	return rc;
}

enum kn_err kn_appeal_notify(struct kn_ctx *x, const struct kn_appeal *a, const char *kind, bool filer, bool agency,
                             bool secretariat)
{
	enum kn_err rc = KN_OK;
	if (filer)
		rc = notify_user(x, a->filer_id, a, kind);
	if (!rc && agency && a->agency_id)
		rc = notify_role(x, a, kind, "officer");
	if (!rc && secretariat)
		rc = notify_role(x, a, kind, "secretary");
	return rc;
}

enum kn_err kn_appeal_notify_filed(struct kn_ctx *x, const struct kn_appeal *a)
{
	/* the filer is the actor: the receipt goes to the inbox all the same */
	int64_t actor = x->actor_id;
	x->actor_id = 0;
	enum kn_err rc = notify_user(x, a->filer_id, a, "filed");
	x->actor_id = actor;
	return rc ? rc : notify_role(x, a, "new_appeal", "secretary");
}

/* ---- the ladder ------------------------------------------------------------ */

/* The next scheduled plenary meeting of the council (0: none, or no
 * meetings table in this installation). */
static int64_t next_meeting(struct kn_ctx *x, int64_t council_id)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (kn_conn_kind(x->c) == KN_DB_PG)
		rc = kn_sql0(x->c, x->a, &r,
		             "SELECT 1 FROM information_schema.tables WHERE table_name = 'meetings' AND table_schema = "
		             "current_schema()");
	else
		rc = kn_sql0(x->c, x->a, &r, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meetings'");
	if (rc || !r->n)
		return 0;
	if (kn_sql(x->c, x->a, &r,
	           "SELECT id FROM meetings WHERE council_id = $1 AND status = 'scheduled' AND kind = 'plenary' AND "
	           "starts_at > $2 ORDER BY starts_at, id LIMIT 1",
	           KN_INT(council_id), KN_INT(x->now)))
		return 0;
	return r->n ? kn_row_i(r, 0, 0) : 0;
}

static bool step_applies(const struct kn_appeal *a, bool ack, int64_t due)
{
	if (ack)
		return !strcmp(a->state, "forwarded") && a->ack_due == due;
	return (!strcmp(a->state, "forwarded") || !strcmp(a->state, "acknowledged")) && a->resolve_due == due;
}

/* Takes one step in its own transaction; *taken says whether this run
 * took it (false: already taken by an earlier or concurrent run, or the
 * appeal moved on). */
static enum kn_err take_step(struct kn_ctx *x, int64_t appeal_id, bool ack, const char *phase, int64_t due,
                             bool *taken)
{
	*taken = false;
	const char *step = kn_printf(x->a, "%s_%s", ack ? "ack" : "resolve", phase);
	enum kn_err rc = kn_db_begin(x->c);
	if (rc)
		return rc;
	struct kn_rows *r;
	rc = kn_sql(x->c, x->a, &r,
	            "INSERT INTO appeal_escalations (appeal_id, step, due_at, at) VALUES ($1, $2, $3, $4) "
	            "ON CONFLICT (appeal_id, step, due_at) DO NOTHING RETURNING id",
	            KN_INT(appeal_id), KN_TEXT(step), KN_INT(due), KN_INT(x->now));
	if (rc || !r->n) {
		kn_db_rollback(x->c);
		return rc;
	}
	int64_t esc_id = kn_row_i(r, 0, 0);
	struct kn_appeal *a;
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)appeal_id);
	if ((rc = kn_appeal_get(x, key, &a)) || !step_applies(a, ack, due)) {
		kn_db_rollback(x->c);
		return rc == KN_ENOTFOUND ? KN_OK : rc;
	}
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "deadline", NULL, ack ? "acknowledgement" : "resolution");
	kn_change_int(ch, "due_at", 0, due);
	if (!strcmp(phase, "reminder")) {
		rc = kn_appeal_notify(x, a, step, false, true, false);
	} else if (!strcmp(phase, "breach")) {
		rc = kn_appeal_event(x, a, "deadline_missed", ch, NULL);
		if (!rc)
			rc = kn_appeal_notify(x, a, step, false, true, true);
	} else if (!strcmp(phase, "flagged")) {
		rc = kn_sql(x->c, x->a, NULL, "UPDATE appeals SET overdue_flag = 1 WHERE id = $1", KN_INT(a->id));
		if (!rc) {
			kn_change_int(ch, "overdue_flag", 0, 1);
			rc = kn_appeal_event(x, a, "flagged_overdue", ch, NULL);
		}
		if (!rc)
			rc = kn_appeal_notify(x, a, step, true, true, false);
	} else {
		int64_t mid = next_meeting(x, a->council_id);
		if (mid) {
			rc = kn_sql(x->c, x->a, NULL, "UPDATE appeal_escalations SET meeting_id = $1 WHERE id = $2",
			            KN_INT(mid), KN_INT(esc_id));
			kn_change_id(ch, "meeting_id", 0, mid);
		}
		if (!rc)
			rc = kn_appeal_event(x, a, "proposed_for_agenda", ch, NULL);
		if (!rc)
			rc = kn_appeal_notify(x, a, step, false, false, true);
	}
	if (rc) {
		kn_db_rollback(x->c);
		return rc;
	}
	if ((rc = kn_db_commit(x->c)))
		return rc;
	*taken = true;
	return KN_OK;
}

/* The steps of a deadline already recorded, as bits of the page's query
 * (kn_appeal_tick): a step found there is counted as skipped without a
 * transaction. One not found is taken as before, in its own transaction,
 * which still finds a step another scanner took meanwhile. */
enum { STEP_REMINDER = 1, STEP_BREACH = 2, STEP_FLAGGED = 4, STEP_AGENDA = 8 };

/* a step of the ladder: already taken (skipped), or taken now */
static enum kn_err step(struct kn_ctx *x, int64_t id, bool ack, const char *phase, int64_t due, int done, int bit,
                        int *count, struct kn_tick_report *rep)
{
	bool taken = false;
	if (!(done & bit)) {
		enum kn_err rc = take_step(x, id, ack, phase, due, &taken);
		if (rc)
			return rc;
	}
	*count += taken;
	rep->skipped += !taken;
	return KN_OK;
}

/* The steps of one deadline, in order, as far as x->now has come. */
static enum kn_err ladder(struct kn_ctx *x, const struct kn_appeal *a, bool ack, int64_t due, int done,
                          const struct kn_appeal_settings *s, struct kn_tick_report *rep)
{
	enum kn_err rc;
	if (x->now < due) {
		if (s->remind_hours > 0 && x->now >= due - (int64_t)s->remind_hours * 3600)
			return step(x, a->id, ack, "reminder", due, done, STEP_REMINDER, &rep->reminders, rep);
		return KN_OK;
	}
	if ((rc = step(x, a->id, ack, "breach", due, done, STEP_BREACH, &rep->breaches, rep)))
		return rc;
	if ((done & (STEP_FLAGGED | STEP_AGENDA)) == (STEP_FLAGGED | STEP_AGENDA)) { /* nothing left to work out */
		rep->skipped += 2;
		return KN_OK;
	}
	int64_t flag_at, agenda_at;
	/* counted from the deadline's own day (the day before the exclusive end) */
	if ((rc = kn_workcal_deadline(x, a->council_tz, due - 1, s->flag_days, &flag_at)) ||
	    (rc = kn_workcal_deadline(x, a->council_tz, due - 1, s->agenda_days, &agenda_at)))
		return rc;
	if (x->now >= flag_at && (rc = step(x, a->id, ack, "flagged", due, done, STEP_FLAGGED, &rep->flagged, rep)))
		return rc;
	if (x->now >= agenda_at && (rc = step(x, a->id, ack, "agenda", due, done, STEP_AGENDA, &rep->agenda, rep)))
		return rc;
	return KN_OK;
}

/* The steps already taken for a deadline, as STEP_ bits (sums of distinct
 * bits: each step is recorded once per deadline) */
#define TAKEN(prefix, due)                                                                                        \
	"COALESCE((SELECT SUM(CASE e.step WHEN '" prefix "_reminder' THEN 1 WHEN '" prefix "_breach' THEN 2 WHEN '"     \
	prefix "_flagged' THEN 4 WHEN '" prefix "_agenda' THEN 8 ELSE 0 END) FROM appeal_escalations e WHERE "          \
	"e.appeal_id = a.id AND e.due_at = a." due "), 0)"

/* The open appeals, forwarded then acknowledged, a page at a time in id
 * order from the last one seen: a page is a range of the state's index
 * (appeals_state), and appeals filed meanwhile neither shift nor repeat a
 * page, as they did with an offset, newest first, which also read and
 * sorted every open appeal for each page. Each page is read into an arena
 * of its own, freed before the next: the run's allocations no longer add
 * up (702 MB at 132,930 steps, in one arena). */
enum kn_err kn_appeal_tick(struct kn_ctx *x, struct kn_tick_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	static const char *const open_states[] = {"forwarded", "acknowledged"};
	struct kn_arena *run_arena = x->a;
	int64_t after = 0, settings_for = 0;
	struct kn_appeal_settings s;
	enum kn_err rc = KN_OK;
	for (int st = 0; st < 2 && !rc;) {
		x->a = kn_arena_new();
		struct kn_rows *r;
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT a.id, a.council_id, c.timezone, a.state, a.ack_due, a.resolve_due, " TAKEN("ack", "ack_due")
		            ", " TAKEN("resolve", "resolve_due") " FROM appeals a JOIN councils c ON c.id = a.council_id "
		            "WHERE a.state = $1 AND a.id > $2 ORDER BY a.id LIMIT 500",
		            KN_TEXT(open_states[st]), KN_INT(after));
		bool last = !rc && r->n < 500;
		for (int i = 0; !rc && i < r->n; i++) {
			struct kn_appeal a = {.id = kn_row_i(r, i, 0),
			                      .council_id = kn_row_i(r, i, 1),
			                      .council_tz = kn_row_s(r, i, 2),
			                      .state = kn_row_s(r, i, 3),
			                      .ack_due = kn_row_i(r, i, 4),
			                      .resolve_due = kn_row_i(r, i, 5)};
			after = a.id;
			if (a.council_id != settings_for) {
				if ((rc = kn_appeal_settings_get(x, a.council_id, &s)))
					break;
				settings_for = a.council_id;
			}
			if (!strcmp(a.state, "forwarded") && a.ack_due &&
			    (rc = ladder(x, &a, true, a.ack_due, (int)kn_row_i(r, i, 6), &s, rep)))
				break;
			if (a.resolve_due && (rc = ladder(x, &a, false, a.resolve_due, (int)kn_row_i(r, i, 7), &s, rep)))
				break;
		}
		kn_arena_free(x->a);
		x->a = run_arena;
		if (last) { /* the state's last page: the next state from its start */
			st++;
			after = 0;
		}
	}
	return rc;
}
#undef TAKEN
