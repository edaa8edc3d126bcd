/* test_appeals.c: the direct channel's domain on SQLite and, when
 * KN_TEST_PG_URL names an empty PostgreSQL database, on PostgreSQL too:
 * every transition allowed and refused by role; deadlines across a
 * weekend, a holiday, a moved day off and New Year; the escalation ladder
 * with an injected clock, run twice and by two threads at once; attachment
 * sniffing; confidential events; rate limits; statistics; the stored
 * calendar. */
#include "core/arena.h"
#include "core/calendar.h"
#include "core/config.h"
#include "core/sniff.h"
#include "core/tz.h"
#include "domain/account.h"
#include "domain/appeal.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "domain/workcal.h"
#include "kt.h"
#include "store/store.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct kn_db *db;
static struct kn_arena *A;
static struct kn_conn *C;
static int64_t council, ids[8];
enum { FILER, OTHER, SECRETARY, OFFICER1, OFFICER2 };
static const char *const logins[] = {"filer", "other", "secretary", "officer1", "officer2"};

static int64_t almaty(int y, int mo, int d, int hh, int mm)
{
	int64_t t = 0;
	kn_tz_utc_from_local(kn_workcal_tz("Asia/Almaty"), kn_date_from_ymd(y, mo, d), hh * 3600 + mm * 60, &t);
	return t;
}

static int64_t end_of(int y, int mo, int d)
{
	return kn_tz_end_of_local_day(kn_workcal_tz("Asia/Almaty"), kn_date_from_ymd(y, mo, d));
}

static struct kn_ctx as(int who, int64_t now)
{
	struct kn_ctx x = {.a = A, .c = C, .now = now, .actor_id = who >= 0 ? ids[who] : 0,
	                   .actor_name = who >= 0 ? kn_printf(A, "Person %s", logins[who]) : "test", .actor_role = "citizen"};
	return x;
}

/* Runs a domain call in a transaction, as the handlers do. */
#define TX(x, call)                                  \
	({                                               \
		enum kn_err rc_ = kn_db_begin((x).c);        \
		if (!rc_) {                                  \
			rc_ = (call);                            \
			if (rc_)                                 \
				kn_db_rollback((x).c);               \
			else                                     \
				rc_ = kn_db_commit((x).c);           \
		}                                            \
		rc_;                                         \
	})

static int64_t file_one(int who, int64_t now, const char *urgency, const char *vis, const struct kn_upload *files,
                        enum kn_err *rc_out)
{
	struct kn_ctx x = as(who, now);
	struct kn_appeal_in in = {.subject = "Invoices fail", .body = "The invoice system fails for everyone.",
	                          .category = "taxes", .urgency = urgency, .scale = "sector", .visibility = vis,
	                          .ip = "192.0.2.1", .files = files};
	int64_t id = 0;
	enum kn_err rc = TX(x, kn_appeal_file(&x, council, &in, &id));
	if (rc_out)
		*rc_out = rc;
	return rc ? 0 : id;
}

static struct kn_appeal *get(int64_t id)
{
	struct kn_ctx x = as(-1, 0);
	struct kn_appeal *a = NULL;
	if (kn_appeal_get(&x, kn_printf(A, "%lld", (long long)id), &a))
		return NULL;
	return a;
}

static int64_t count(const char *what, int64_t id)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (!strcmp(what, "steps"))
		rc = kn_sql(C, A, &r, "SELECT COUNT(*) FROM appeal_escalations WHERE appeal_id = $1", KN_INT(id));
	else
		rc = kn_sql(C, A, &r, "SELECT COUNT(*) FROM events WHERE record_kind = 'appeal' AND record_id = $1 AND action = $2",
		            KN_INT(id), KN_TEXT(what));
	return rc ? -1 : kn_row_i(r, 0, 0);
}

static void setup(void)
{
	struct kn_ctx x = as(-1, 1600000000);
	x.actor_role = "operator";
	KT_CHECK(kn_db_begin(C) == KN_OK);
	struct kn_council c = {.slug = "tc", .name_en = "Test council", .timezone = "Asia/Almaty"};
	KT_CHECK(kn_council_save(&x, &c, &council) == KN_OK);
	struct kn_agency g1 = {.slug = "ag1", .name_en = "Agency one", .kind = "ministry"};
	struct kn_agency g2 = {.slug = "ag2", .name_en = "Agency two", .kind = "ministry"};
	int64_t gid;
	KT_CHECK(kn_agency_save(&x, &g1, &gid) == KN_OK);
	KT_CHECK(kn_agency_save(&x, &g2, &gid) == KN_OK);
	for (int i = 0; i < 5; i++)
		KT_CHECK(kn_account_register(&x, logins[i], kn_printf(A, "Person %s", logins[i]), NULL, "a-long-password-1", &ids[i]) == KN_OK);
	KT_CHECK(kn_role_grant(&x, "secretary", "secretary", "tc") == KN_OK);
	KT_CHECK(kn_role_grant(&x, "officer1", "officer", "ag1") == KN_OK);
	KT_CHECK(kn_role_grant(&x, "officer2", "officer", "ag2") == KN_OK);
	KT_CHECK(kn_db_commit(C) == KN_OK);
}

KT_TEST(test_transitions_by_role)
{
	int64_t t = almaty(2021, 3, 26, 10, 0);
	int64_t id = file_one(FILER, t, "urgent", "public", NULL, NULL);
	KT_CHECK(id > 0);
	struct kn_ctx f = as(FILER, t + 60), o = as(OTHER, t + 60), s = as(SECRETARY, t + 60), o1 = as(OFFICER1, t + 60),
	              o2 = as(OFFICER2, t + 60);
	/* triage: only the secretariat */
	KT_CHECK_INT(TX(f, kn_appeal_forward(&f, id, "ag1", NULL)), KN_EPERM);
	KT_CHECK_INT(TX(o1, kn_appeal_forward(&o1, id, "ag1", NULL)), KN_EPERM);
	KT_CHECK_INT(TX(o, kn_appeal_reject(&o, id, "no")), KN_EPERM);
	KT_CHECK_INT(TX(o1, kn_appeal_ask_info(&o1, id, "more?")), KN_EPERM);
	/* officers cannot act before it is forwarded to them */
	KT_CHECK_INT(TX(o1, kn_appeal_acknowledge(&o1, id, NULL)), KN_EPERM);
	/* bad input changes nothing */
	KT_CHECK_INT(TX(s, kn_appeal_forward(&s, id, "no-such-agency", NULL)), KN_EINVAL);
	s.errs = NULL;
	KT_CHECK_INT(TX(s, kn_appeal_reject(&s, id, "  ")), KN_EINVAL);
	s.errs = NULL;
	KT_CHECK_STR(get(id)->state, "submitted");
	/* ask for information; the filer answers; back to triage */
	KT_CHECK_INT(TX(s, kn_appeal_ask_info(&s, id, "Which region?")), KN_OK);
	KT_CHECK_STR(get(id)->state, "info_requested");
	KT_CHECK_INT(TX(s, kn_appeal_ask_info(&s, id, "Again?")), KN_ECONFLICT);
	KT_CHECK_INT(TX(o, kn_appeal_answer(&o, id, "not mine", NULL)), KN_EPERM);
	KT_CHECK_INT(TX(f, kn_appeal_answer(&f, id, "All regions.", NULL)), KN_OK);
	KT_CHECK_STR(get(id)->state, "submitted");
	/* forward to ag2, then to ag1: history kept */
	KT_CHECK_INT(TX(s, kn_appeal_forward(&s, id, "ag2", NULL)), KN_OK);
	KT_CHECK_INT(TX(o1, kn_appeal_acknowledge(&o1, id, NULL)), KN_EPERM);
	KT_CHECK_INT(TX(s, kn_appeal_forward(&s, id, "ag1", "Wrong agency first.")), KN_OK);
	KT_CHECK_INT(count("forwarded", id), 1);
	KT_CHECK_INT(count("reforwarded", id), 1);
	/* the former agency has no say any more */
	KT_CHECK_INT(TX(o2, kn_appeal_acknowledge(&o2, id, NULL)), KN_EPERM);
	KT_CHECK_INT(TX(s, kn_appeal_acknowledge(&s, id, NULL)), KN_EPERM);
	KT_CHECK_INT(TX(f, kn_appeal_acknowledge(&f, id, NULL)), KN_EPERM);
	KT_CHECK_INT(TX(o1, kn_appeal_acknowledge(&o1, id, "On it.")), KN_OK);
	KT_CHECK_INT(TX(o1, kn_appeal_acknowledge(&o1, id, NULL)), KN_ECONFLICT);
	/* triage actions are over */
	KT_CHECK_INT(TX(s, kn_appeal_reject(&s, id, "late")), KN_ECONFLICT);
	KT_CHECK_INT(TX(s, kn_appeal_ask_info(&s, id, "late?")), KN_ECONFLICT);
	/* reply, extension */
	KT_CHECK_INT(TX(o1, kn_appeal_reply(&o1, id, "We are checking.", NULL)), KN_OK);
	KT_CHECK_INT(TX(f, kn_appeal_reply(&f, id, "me too", NULL)), KN_EPERM);
	KT_CHECK_INT(TX(o1, kn_appeal_extension_ask(&o1, id, 0, "x")), KN_EINVAL);
	o1.errs = NULL;
	KT_CHECK_INT(TX(s, kn_appeal_extension_decide(&s, id, true, NULL)), KN_ECONFLICT); /* nothing asked */
	KT_CHECK_INT(TX(o1, kn_appeal_extension_ask(&o1, id, 3, "Needs a software release.")), KN_OK);
	int64_t before = get(id)->resolve_due;
	KT_CHECK_INT(TX(o1, kn_appeal_extension_decide(&o1, id, true, NULL)), KN_EPERM);
	KT_CHECK_INT(TX(s, kn_appeal_extension_decide(&s, id, true, NULL)), KN_OK);
	/* resolve by 2 Apr 2021 + 3 working days = 7 Apr */
	KT_CHECK_INT(before, end_of(2021, 4, 2));
	KT_CHECK_INT(get(id)->resolve_due, end_of(2021, 4, 7));
	/* resolve */
	KT_CHECK_INT(TX(f, kn_appeal_resolve(&f, id, "self")), KN_EPERM);
	KT_CHECK_INT(TX(s, kn_appeal_resolve(&s, id, "secretary")), KN_EPERM);
	KT_CHECK_INT(TX(o1, kn_appeal_resolve(&o1, id, "")), KN_EINVAL);
	o1.errs = NULL;
	KT_CHECK_INT(TX(o1, kn_appeal_resolve(&o1, id, "Fixed.")), KN_OK);
	KT_CHECK_STR(get(id)->state, "resolved");
	KT_CHECK_INT(TX(f, kn_appeal_answer(&f, id, "thanks", NULL)), KN_ECONFLICT);
	/* reopen once, by the filer only */
	KT_CHECK_INT(TX(o, kn_appeal_reopen(&o, id, "not fixed")), KN_EPERM);
	KT_CHECK_INT(TX(o1, kn_appeal_reopen(&o1, id, "not fixed")), KN_EPERM);
	KT_CHECK_INT(TX(f, kn_appeal_reopen(&f, id, "")), KN_EINVAL);
	f.errs = NULL;
	KT_CHECK_INT(TX(f, kn_appeal_reopen(&f, id, "Still failing on Mondays.")), KN_OK);
	KT_CHECK_STR(get(id)->state, "acknowledged");
	KT_CHECK_INT(TX(o1, kn_appeal_resolve(&o1, id, "Fixed for good.")), KN_OK);
	KT_CHECK_INT(TX(f, kn_appeal_reopen(&f, id, "again")), KN_EINVAL);
	f.errs = NULL;
	/* moderation: the secretariat only, original kept */
	KT_CHECK_INT(TX(o1, kn_appeal_hide(&o1, id, 0, "rude")), KN_EPERM);
	KT_CHECK_INT(TX(f, kn_appeal_hide(&f, id, 0, "rude")), KN_EPERM);
	KT_CHECK_INT(TX(s, kn_appeal_hide(&s, id, 0, "Insults an official.")), KN_OK);
	struct kn_appeal *a = get(id);
	KT_CHECK(a->hidden);
	KT_CHECK_STR(a->subject, "Invoices fail");
	KT_CHECK_INT(TX(s, kn_appeal_hide(&s, id, 0, "again")), KN_ECONFLICT);
	struct kn_appeal_access acc;
	KT_CHECK(kn_appeal_access(&s, a, &acc) == KN_OK && acc.see_hidden);
	KT_CHECK(kn_appeal_access(&o1, a, &acc) == KN_OK && !acc.see_hidden);
	KT_CHECK(kn_appeal_access(&f, a, &acc) == KN_OK && !acc.see_hidden);

	/* duplicate and reject */
	int64_t d = file_one(OTHER, t + 120, "normal", "public", NULL, NULL);
	KT_CHECK_INT(TX(f, kn_appeal_mark_duplicate(&f, d, a->reference, NULL)), KN_EPERM);
	KT_CHECK_INT(TX(s, kn_appeal_mark_duplicate(&s, d, get(d)->reference, NULL)), KN_EINVAL);
	s.errs = NULL;
	KT_CHECK_INT(TX(s, kn_appeal_mark_duplicate(&s, d, a->reference, NULL)), KN_OK);
	KT_CHECK_INT(get(id)->duplicates, 1);
	KT_CHECK_INT(TX(s, kn_appeal_forward(&s, d, "ag1", NULL)), KN_ECONFLICT);
	int64_t j = file_one(OTHER, t + 180, "normal", "public", NULL, NULL);
	KT_CHECK_INT(TX(s, kn_appeal_reject(&s, j, "Not for this council.")), KN_OK);
	KT_CHECK_INT(TX(s, kn_appeal_reject(&s, j, "twice")), KN_ECONFLICT);
	KT_CHECK_INT(TX(o, kn_appeal_answer(&o, j, "why?", NULL)), KN_ECONFLICT);
}

static int64_t forwarded_at(int64_t when, const char *urgency)
{
	int64_t id = file_one(FILER, when - 60, urgency, "public", NULL, NULL);
	struct kn_ctx s = as(SECRETARY, when);
	KT_CHECK_INT(TX(s, kn_appeal_forward(&s, id, "ag1", NULL)), KN_OK);
	return id;
}

KT_TEST(test_deadlines)
{
	/* the article: Friday, acknowledged on the Monday (urgent: 1 and 5 working days) */
	int64_t id = forwarded_at(almaty(2021, 3, 26, 16, 5), "urgent");
	KT_CHECK_INT(get(id)->ack_due, end_of(2021, 3, 29));
	KT_CHECK_INT(get(id)->resolve_due, end_of(2021, 4, 2));
	/* across Nauryz (21-23 March, 24th in lieu of the Sunday): normal, 3 working days */
	id = forwarded_at(almaty(2021, 3, 19, 12, 0), "normal");
	KT_CHECK_INT(get(id)->ack_due, end_of(2021, 3, 29));
	/* a moved day off: Saturday 3 July 2021 worked, Monday 5 July off, 6 July Capital Day */
	id = forwarded_at(almaty(2021, 7, 2, 12, 0), "urgent");
	KT_CHECK_INT(get(id)->ack_due, end_of(2021, 7, 3));
	id = forwarded_at(almaty(2021, 7, 2, 12, 0), "normal");
	KT_CHECK_INT(get(id)->ack_due, end_of(2021, 7, 8));
	/* across New Year: 30 Dec 2021 + 3 working days = 6 Jan 2022 */
	id = forwarded_at(almaty(2021, 12, 30, 12, 0), "normal");
	KT_CHECK_INT(get(id)->ack_due, end_of(2022, 1, 6));
	/* late evening local time is still that local day */
	id = forwarded_at(almaty(2021, 3, 26, 23, 30), "urgent");
	KT_CHECK_INT(get(id)->ack_due, end_of(2021, 3, 29));
	/* the council's own targets */
	struct kn_ctx s = as(SECRETARY, almaty(2021, 3, 1, 9, 0)), f = as(FILER, 0);
	struct kn_appeal_settings st;
	KT_CHECK(kn_appeal_settings_get(&s, council, &st) == KN_OK);
	KT_CHECK_INT(st.ack_urgent, 1);
	st.ack_normal = 2;
	st.resolve_normal = 1; /* ack after resolution: refused */
	KT_CHECK_INT(TX(s, kn_appeal_settings_save(&s, council, &st)), KN_EINVAL);
	s.errs = NULL;
	st.resolve_normal = 10;
	KT_CHECK_INT(TX(f, kn_appeal_settings_save(&f, council, &st)), KN_EPERM);
	KT_CHECK_INT(TX(s, kn_appeal_settings_save(&s, council, &st)), KN_OK);
	id = forwarded_at(almaty(2021, 12, 30, 12, 0), "normal");
	KT_CHECK_INT(get(id)->ack_due, end_of(2022, 1, 5));
	st.ack_normal = 3;
	st.resolve_normal = 15;
	KT_CHECK_INT(TX(s, kn_appeal_settings_save(&s, council, &st)), KN_OK);
}

struct tick_arg {
	int64_t now;
	struct kn_tick_report rep;
	enum kn_err rc;
};

static void *tick_thread(void *p)
{
	struct tick_arg *t = p;
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = t->now, .actor_name = "scanner", .actor_role = "system"};
	t->rc = kn_appeal_tick(&x, &t->rep);
	kn_db_release(c);
	kn_arena_free(a);
	return NULL;
}

static int run_tick(int64_t now, struct kn_tick_report *rep)
{
	struct tick_arg t = {.now = now};
	tick_thread(&t);
	if (rep)
		*rep = t.rep;
	return t.rc;
}

KT_TEST(test_ladder)
{
	/* close whatever earlier tests left open, so only this appeal moves */
	KT_CHECK(kn_sql0(C, A, NULL, "UPDATE appeals SET state = 'rejected' WHERE state IN ('forwarded', 'acknowledged')") ==
	         KN_OK);
	int64_t fwd = almaty(2021, 3, 26, 16, 5); /* urgent: ack by end of Mon 29 Mar, resolve by end of Fri 2 Apr */
	int64_t id = forwarded_at(fwd, "urgent");
	int64_t due = end_of(2021, 3, 29);
	struct kn_tick_report rep;
	KT_CHECK_INT(run_tick(fwd + 3600, &rep), KN_OK);
	KT_CHECK_INT(rep.reminders + rep.breaches + rep.flagged + rep.agenda, 0);
	/* Monday, within 24 hours of the deadline: one reminder, once */
	KT_CHECK_INT(run_tick(due - 3 * 3600, &rep), KN_OK);
	KT_CHECK_INT(rep.reminders, 1);
	KT_CHECK_INT(run_tick(due - 3 * 3600, &rep), KN_OK);
	KT_CHECK_INT(rep.reminders, 0);
	KT_CHECK_INT(rep.skipped, 1);
	KT_CHECK_INT(count("steps", id), 1);
	/* breach at the deadline: notice, not yet flagged (1 working day of grace) */
	KT_CHECK_INT(run_tick(due, &rep), KN_OK);
	KT_CHECK_INT(rep.breaches, 1);
	KT_CHECK_INT(rep.flagged, 0);
	KT_CHECK(!get(id)->overdue_flag);
	KT_CHECK_INT(count("deadline_missed", id), 1);
	/* two concurrent runs at the end of Tuesday: flagged once */
	int64_t tue = end_of(2021, 3, 30);
	struct tick_arg t1 = {.now = tue}, t2 = {.now = tue};
	pthread_t p1, p2;
	pthread_create(&p1, NULL, tick_thread, &t1);
	pthread_create(&p2, NULL, tick_thread, &t2);
	pthread_join(p1, NULL);
	pthread_join(p2, NULL);
	KT_CHECK_INT(t1.rc, KN_OK);
	KT_CHECK_INT(t2.rc, KN_OK);
	KT_CHECK_INT(t1.rep.flagged + t2.rep.flagged, 1);
	KT_CHECK_INT(t1.rep.breaches + t2.rep.breaches, 0);
	KT_CHECK(get(id)->overdue_flag);
	KT_CHECK_INT(count("flagged_overdue", id), 1);
	/* a plenary meeting scheduled after that: the agenda step links to it */
	struct kn_rows *mr;
	KT_CHECK(kn_sql(C, A, &mr,
	                "INSERT INTO meetings (council_id, kind, number, starts_at, status, created_at, updated_at) "
	                "VALUES ($1, 'plenary', 1, $2, 'scheduled', $3, $3) RETURNING id",
	                KN_INT(council), KN_INT(end_of(2021, 4, 20)), KN_INT(fwd)) == KN_OK);
	int64_t meeting = mr->n ? kn_row_i(mr, 0, 0) : -1;
	/* after 3 working days past the deadline day: proposed for the agenda; the
	 * resolution deadline (Fri 2 Apr) is close, so its reminder comes too */
	int64_t thu = end_of(2021, 4, 1);
	struct tick_arg t3 = {.now = thu}, t4 = {.now = thu};
	pthread_create(&p1, NULL, tick_thread, &t3);
	pthread_create(&p2, NULL, tick_thread, &t4);
	pthread_join(p1, NULL);
	pthread_join(p2, NULL);
	KT_CHECK_INT(t3.rc | t4.rc, KN_OK);
	KT_CHECK_INT(t3.rep.agenda + t4.rep.agenda, 1);
	KT_CHECK_INT(t3.rep.reminders + t4.rep.reminders, 1);
	KT_CHECK_INT(count("proposed_for_agenda", id), 1);
	KT_CHECK_INT(count("steps", id), 5);
	struct kn_appeal_step *steps;
	int ns;
	struct kn_ctx rx = as(-1, thu);
	KT_CHECK(kn_appeal_steps(&rx, id, &steps, &ns) == KN_OK);
	bool linked = false;
	for (int i = 0; i < ns; i++)
		if (!strcmp(steps[i].step, "ack_agenda"))
			linked = steps[i].meeting_id == meeting;
	KT_CHECK(linked);
	/* the same moment once more: nothing new */
	KT_CHECK_INT(run_tick(thu, &rep), KN_OK);
	KT_CHECK_INT(rep.reminders + rep.breaches + rep.flagged + rep.agenda, 0);
	/* acknowledged now (late): the acknowledgement ladder stops, the flag clears */
	struct kn_ctx o1 = as(OFFICER1, thu + 60);
	KT_CHECK_INT(TX(o1, kn_appeal_acknowledge(&o1, id, NULL)), KN_OK);
	KT_CHECK(!get(id)->overdue_flag);
	/* resolution breached at the end of Friday 2 April */
	KT_CHECK_INT(run_tick(end_of(2021, 4, 2), &rep), KN_OK);
	KT_CHECK_INT(rep.breaches, 1);
	KT_CHECK_INT(count("steps", id), 6);
	/* the notices reached the inboxes: the officer and the secretary */
	struct kn_note *notes;
	int n, total, unread;
	KT_CHECK(kn_inbox_list(&o1, ids[OFFICER1], 0, 50, &notes, &n, &total, &unread) == KN_OK);
	KT_CHECK_INT(total, n);
	KT_CHECK(unread > 0 && unread <= total);
	bool reminder = false, breach = false;
	for (int i = 0; i < n; i++) {
		reminder |= !strcmp(notes[i].kind, "ack_reminder");
		breach |= !strcmp(notes[i].kind, "ack_breach");
	}
	KT_CHECK(reminder && breach);
	KT_CHECK(kn_inbox_mark_read(&o1, ids[OFFICER1], 0) == KN_OK);
	KT_CHECK(kn_inbox_list(&o1, ids[OFFICER1], 1, 50, &notes, &n, &total, &unread) == KN_OK);
	KT_CHECK_INT(unread, 0);
	KT_CHECK_INT(n, total - 1); /* from the second on */
	struct kn_ctx o1r = as(OFFICER1, thu + 120);
	KT_CHECK_INT(TX(o1r, kn_appeal_resolve(&o1r, id, "Done late.")), KN_OK);
}

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};

/* The totals kept beside the appeals and the inboxes (migration 0012) are
 * what counting gives, after everything the tests before did through the
 * domain: filings of every visibility, notifications of every kind, and
 * notifications marked read one at a time and all at once. */
KT_TEST(test_kept_counts)
{
	struct kn_ctx x = as(-1, almaty(2022, 1, 1, 0, 0));
	struct kn_appeal_filter f = {.council_id = council, .public_only = true};
	int kept = -1, counted = -2;
	KT_CHECK(kn_appeal_count(&x, &f, &kept) == KN_OK);
	KT_CHECK(kn_count(C, A, &counted,
	                  "SELECT COUNT(*) FROM appeals WHERE council_id = $1 AND visibility <> 'confidential'",
	                  KN_INT(council)) == KN_OK);
	KT_CHECK_INT(kept, counted);
	KT_CHECK(kept > 0);
	/* a confidential filing leaves the public total as it was, a public one adds one */
	KT_CHECK(file_one(FILER, almaty(2022, 1, 3, 10, 0), "normal", "confidential", NULL, NULL) > 0);
	int after = -1;
	KT_CHECK(kn_appeal_count(&x, &f, &after) == KN_OK);
	KT_CHECK_INT(after, kept);
	KT_CHECK(file_one(FILER, almaty(2022, 1, 3, 11, 0), "normal", "anonymous", NULL, NULL) > 0);
	KT_CHECK(kn_appeal_count(&x, &f, &after) == KN_OK);
	KT_CHECK_INT(after, kept + 1);
	/* every account's inbox: all, then after one read and after all read */
	int off = -1;
	KT_CHECK(kn_count(C, A, &off,
	                  "SELECT COUNT(*) FROM users u WHERE (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id) <> "
	                  "COALESCE((SELECT total FROM inbox_counts k WHERE k.user_id = u.id), 0) OR (SELECT COUNT(*) FROM "
	                  "notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) <> COALESCE((SELECT unread FROM "
	                  "inbox_counts k WHERE k.user_id = u.id), 0)") == KN_OK);
	KT_CHECK_INT(off, 0);
	struct kn_note *notes;
	int n = 0, total = 0, unread = 0;
	KT_CHECK(kn_inbox_list(&x, ids[SECRETARY], 0, 5, &notes, &n, &total, &unread) == KN_OK);
	KT_CHECK(n > 0 && unread >= 2 && total >= unread);
	x.actor_id = ids[SECRETARY];
	KT_CHECK_INT(TX(x, kn_inbox_mark_read(&x, ids[SECRETARY], notes[0].id)), KN_OK);
	KT_CHECK_INT(TX(x, kn_inbox_mark_read(&x, ids[SECRETARY], notes[0].id)), KN_OK); /* again: nothing more */
	int total1, unread1;
	KT_CHECK(kn_inbox_list(&x, ids[SECRETARY], 0, 5, &notes, &n, &total1, &unread1) == KN_OK);
	KT_CHECK_INT(total1, total);
	KT_CHECK_INT(unread1, unread - 1);
	KT_CHECK_INT(TX(x, kn_inbox_mark_read(&x, ids[SECRETARY], 0)), KN_OK);
	KT_CHECK(kn_inbox_list(&x, ids[SECRETARY], 0, 5, &notes, &n, &total1, &unread1) == KN_OK);
	KT_CHECK_INT(total1, total);
	KT_CHECK_INT(unread1, 0);
	KT_CHECK(kn_count(C, A, &off,
	                  "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
	                  KN_INT(ids[SECRETARY])) == KN_OK);
	KT_CHECK_INT(off, 0);
}

/* More open appeals than a page of the scanner (500), in both open states:
 * each takes its step once, and a second run at the same moment takes
 * none and finds every one already taken. */
KT_TEST(test_ladder_pages)
{
	KT_CHECK(kn_sql0(C, A, NULL, "UPDATE appeals SET state = 'rejected' WHERE state IN ('forwarded', 'acknowledged')") ==
	         KN_OK);
	int64_t fwd = almaty(2021, 6, 1, 10, 0);
	int64_t id = forwarded_at(fwd, "normal");
	int64_t due = get(id)->ack_due;
	KT_CHECK(due > fwd);
	/* 40 acknowledged, whose resolution is due then too, and 520 more
	 * forwarded, filed in that order (the acknowledged ones' ids first) */
	KT_CHECK(kn_sql(C, A, NULL,
	                "INSERT INTO appeals (council_id, reference, year, number, filer_id, subject, body, category, "
	                "urgency, scale, visibility, state, agency_id, filed_at, forwarded_at, ack_due, resolve_due, "
	                "updated_at) SELECT a.council_id, a.reference || '-c' || k.n, a.year, a.number + 100000 + k.n, "
	                "a.filer_id, a.subject, a.body, a.category, a.urgency, a.scale, a.visibility, CASE WHEN k.n <= 40 "
	                "THEN 'acknowledged' ELSE 'forwarded' END, a.agency_id, a.filed_at, a.forwarded_at, a.ack_due, "
	                "CASE WHEN k.n <= 40 THEN a.ack_due ELSE a.resolve_due END, a.updated_at FROM appeals a, "
	                "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 560) SELECT n FROM s) k "
	                "WHERE a.id = $1",
	                KN_INT(id)) == KN_OK);
	struct kn_tick_report rep;
	KT_CHECK_INT(run_tick(due, &rep), KN_OK);
	KT_CHECK_INT(rep.breaches, 561);
	KT_CHECK_INT(rep.reminders + rep.flagged + rep.agenda, 0);
	int steps = -1, stepped = -1;
	KT_CHECK(kn_count(C, A, &steps, "SELECT COUNT(*) FROM appeal_escalations WHERE due_at = $1", KN_INT(due)) == KN_OK);
	KT_CHECK(kn_count(C, A, &stepped, "SELECT COUNT(DISTINCT appeal_id) FROM appeal_escalations WHERE due_at = $1",
	                  KN_INT(due)) == KN_OK);
	KT_CHECK_INT(steps, 561);
	KT_CHECK_INT(stepped, 561);
	KT_CHECK_INT(run_tick(due, &rep), KN_OK);
	KT_CHECK_INT(rep.reminders + rep.breaches + rep.flagged + rep.agenda, 0);
	KT_CHECK_INT(rep.skipped, 561);
	KT_CHECK(kn_sql0(C, A, NULL, "UPDATE appeals SET state = 'rejected' WHERE state IN ('forwarded', 'acknowledged')") ==
	         KN_OK);
}

KT_TEST(test_attachments)
{
	KT_CHECK_STR(kn_sniff_type("%PDF-1.7\n%...", 13), "application/pdf");
	KT_CHECK_STR(kn_sniff_type(png, sizeof(png)), "image/png");
	KT_CHECK_STR(kn_sniff_type("\xff\xd8\xff\xe0\0\x10JFIF", 10), "image/jpeg");
	KT_CHECK_STR(kn_sniff_type("RIFF\x0c\0\0\0WEBPVP8 \0\0\0\0", 20), "image/webp");
	KT_CHECK(kn_sniff_type("MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff", 16) == NULL);
	KT_CHECK(kn_sniff_type("\x7f" "ELF\2\1\1", 7) == NULL);
	KT_CHECK(kn_sniff_type("%PDF", 4) == NULL);
	KT_CHECK(kn_sniff_type("RIFF\xff\xff\xff\x7fWEBPVP8 ", 16) == NULL);
	KT_CHECK(kn_sniff_type("", 0) == NULL);
	KT_CHECK(kn_sniff_type(NULL, 10) == NULL);
	/* a renamed .exe is refused, with the name in the message; nothing stored */
	struct kn_upload exe = {.filename = "invoice.pdf", .data = "MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff", .len = 16};
	enum kn_err rc;
	int64_t t = almaty(2021, 5, 5, 10, 0);
	KT_CHECK_INT(file_one(FILER, t, "normal", "public", &exe, &rc), 0);
	KT_CHECK_INT(rc, KN_EINVAL);
	/* too large */
	long keep = kn_cfg.appeal_file_bytes;
	kn_cfg.appeal_file_bytes = 10;
	struct kn_upload big = {.filename = "scan.png", .data = (const char *)png, .len = sizeof(png)};
	KT_CHECK_INT(file_one(FILER, t, "normal", "public", &big, &rc), 0);
	KT_CHECK_INT(rc, KN_EINVAL);
	kn_cfg.appeal_file_bytes = keep;
	/* too many */
	struct kn_upload u3 = big, u2 = big, u1 = big;
	u2.next = &u3;
	u1.next = &u2;
	struct kn_upload u0 = big;
	u0.next = &u1;
	KT_CHECK_INT(file_one(FILER, t, "normal", "public", &u0, &rc), 0);
	KT_CHECK_INT(rc, KN_EINVAL);
	/* a real PNG named .exe is stored as a PNG with a .png name; bytes intact */
	struct kn_upload ok = {.filename = "../../evil\".exe", .data = (const char *)png, .len = sizeof(png)};
	int64_t id = file_one(FILER, t, "normal", "public", &ok, &rc);
	KT_CHECK(id > 0);
	struct kn_ctx x = as(FILER, t);
	struct kn_appeal_attachment *f, *g;
	int n;
	KT_CHECK(kn_appeal_attachments(&x, id, &f, &n) == KN_OK);
	KT_CHECK_INT(n, 1);
	if (n == 1) {
		KT_CHECK_STR(f[0].ctype, "image/png");
		KT_CHECK_STR(f[0].filename, "evil.png");
		KT_CHECK(kn_appeal_attachment_get(&x, id, f[0].id, &g) == KN_OK);
		KT_CHECK_INT(g->size, (int64_t)sizeof(png));
		KT_CHECK(!memcmp(g->data, png, sizeof(png)));
		KT_CHECK(kn_appeal_attachment_get(&x, id + 1000, f[0].id, &g) == KN_ENOTFOUND);
	}
}

KT_TEST(test_confidential_events)
{
	int64_t t = almaty(2021, 6, 1, 10, 0);
	int64_t id = file_one(FILER, t, "normal", "confidential", NULL, NULL);
	struct kn_ctx s = as(SECRETARY, t + 60);
	KT_CHECK_INT(TX(s, kn_appeal_forward(&s, id, "ag1", "Secret note")), KN_OK);
	struct kn_event_row *e;
	int n;
	KT_CHECK(kn_event_list(&s, "appeal", id, &e, &n) == KN_OK);
	KT_CHECK_INT(n, 2);
	for (int i = 0; i < n; i++) {
		KT_CHECK(!strstr(e[i].change, "Invoices"));
		KT_CHECK(!strstr(e[i].change, "taxes"));
		KT_CHECK(strncmp(e[i].actor_name, "Person ", 7) != 0); /* no one's name */
		KT_CHECK(!strstr(e[i].change, "Secret note"));
	}
	struct kn_rows *r;
	KT_CHECK(kn_sql(C, A, &r, "SELECT COUNT(*) FROM events WHERE record_kind = 'appeal' AND record_id = $1 AND "
	                          "actor_user_id IS NOT NULL",
	                KN_INT(id)) == KN_OK);
	KT_CHECK_INT(kn_row_i(r, 0, 0), 0);
	/* who sees it */
	struct kn_appeal *a = get(id);
	struct kn_appeal_access acc;
	struct kn_ctx f = as(FILER, t), o = as(OTHER, t), o1 = as(OFFICER1, t), o2 = as(OFFICER2, t), anon = as(-1, t);
	KT_CHECK(kn_appeal_access(&f, a, &acc) == KN_OK && acc.see);
	KT_CHECK(kn_appeal_access(&s, a, &acc) == KN_OK && acc.see);
	KT_CHECK(kn_appeal_access(&o1, a, &acc) == KN_OK && acc.see);
	KT_CHECK(kn_appeal_access(&o2, a, &acc) == KN_OK && !acc.see);
	KT_CHECK(kn_appeal_access(&o, a, &acc) == KN_OK && !acc.see);
	KT_CHECK(kn_appeal_access(&anon, a, &acc) == KN_OK && !acc.see);
	/* never in public lists */
	struct kn_appeal_filter fl = {.council_id = council, .public_only = true, .limit = 500};
	struct kn_appeal *list;
	KT_CHECK(kn_appeal_list(&o, &fl, &list, &n) == KN_OK);
	for (int i = 0; i < n; i++)
		KT_CHECK(strcmp(list[i].visibility, "confidential") != 0);
	/* an appeal without name: the filer's events carry no name */
	int64_t an = file_one(FILER, t, "normal", "anonymous", NULL, NULL);
	KT_CHECK(kn_event_list(&s, "appeal", an, &e, &n) == KN_OK && n == 1);
	if (n == 1) {
		KT_CHECK_STR(e[0].actor_name, "filer");
		KT_CHECK(strstr(e[0].change, "Invoices") == NULL); /* no free text in events */
	}
	KT_CHECK(kn_appeal_access(&o, get(an), &acc) == KN_OK && acc.see && !acc.see_filer);
}

KT_TEST(test_rate_limits)
{
	long keep_a = kn_cfg.appeal_rate_account, keep_i = kn_cfg.appeal_rate_address;
	kn_cfg.appeal_rate_account = 2;
	int64_t t = almaty(2022, 2, 1, 10, 0);
	enum kn_err rc;
	KT_CHECK(file_one(OTHER, t, "normal", "public", NULL, &rc) > 0);
	KT_CHECK(file_one(OTHER, t + 1, "normal", "public", NULL, &rc) > 0);
	KT_CHECK_INT(file_one(OTHER, t + 2, "normal", "public", NULL, &rc), 0);
	KT_CHECK_INT(rc, KN_ELIMIT);
	/* another account from the same address is still fine, until the address limit */
	kn_cfg.appeal_rate_address = 3;
	KT_CHECK(file_one(FILER, t + 3, "normal", "public", NULL, &rc) > 0);
	KT_CHECK_INT(file_one(FILER, t + 4, "normal", "public", NULL, &rc), 0);
	KT_CHECK_INT(rc, KN_ELIMIT);
	/* the next window */
	KT_CHECK(file_one(OTHER, t + 3600, "normal", "public", NULL, &rc) > 0);
	kn_cfg.appeal_rate_account = keep_a;
	kn_cfg.appeal_rate_address = keep_i;
}

static bool same_stat(const struct kn_appeal_stat *a, const struct kn_appeal_stat *b)
{
	return !strcmp(a->key, b->key) && !strcmp(a->label, b->label) && a->received == b->received &&
	       a->ack_counted == b->ack_counted && a->ack_on_time == b->ack_on_time && a->res_counted == b->res_counted &&
	       a->res_on_time == b->res_on_time && a->resolved == b->resolved && a->overdue_now == b->overdue_now &&
	       a->median_days == b->median_days && a->p90_days == b->p90_days;
}

KT_TEST(test_statistics)
{
	struct kn_appeal_stats sa, sc, only_a, only_c;
	struct kn_ctx x = as(-1, almaty(2022, 3, 1, 0, 0));
	KT_CHECK(kn_appeal_stats(&x, council, 0, &sa, &sc) == KN_OK);
	int found = 0;
	for (int i = 0; i < sa.n; i++)
		if (!strcmp(sa.groups[i].key, "ag1")) {
			found = 1;
			KT_CHECK(sa.groups[i].received >= 5);
			KT_CHECK(sa.groups[i].resolved >= 2);
			KT_CHECK(sa.groups[i].median_days >= 0);
			KT_CHECK(sa.groups[i].p90_days >= sa.groups[i].median_days);
			KT_CHECK(sa.groups[i].ack_on_time <= sa.groups[i].ack_counted);
		}
	KT_CHECK(found);
	KT_CHECK(sa.total.received >= 10);
	KT_CHECK(sc.n >= 1);
	/* every appeal has a category, not every one an agency: the category
	 * total counts them all, the agency total the forwarded ones */
	int filed = 0;
	KT_CHECK(kn_count(x.c, x.a, &filed, "SELECT COUNT(*) FROM appeals WHERE council_id = $1", KN_INT(council)) == KN_OK);
	KT_CHECK_INT(sc.total.received, filed);
	int forwarded = 0;
	KT_CHECK(kn_count(x.c, x.a, &forwarded,
	                  "SELECT COUNT(*) FROM appeals WHERE council_id = $1 AND agency_id IS NOT NULL",
	                  KN_INT(council)) == KN_OK);
	KT_CHECK_INT(sa.total.received, forwarded);
	KT_CHECK(forwarded < filed);
	/* one grouping asked alone is the same as both at once */
	KT_CHECK(kn_appeal_stats(&x, council, 0, &only_a, NULL) == KN_OK);
	KT_CHECK(kn_appeal_stats(&x, council, 0, NULL, &only_c) == KN_OK);
	KT_CHECK_INT(only_a.n, sa.n);
	KT_CHECK_INT(only_c.n, sc.n);
	for (int i = 0; i < sa.n && i < only_a.n; i++)
		KT_CHECK(same_stat(&sa.groups[i], &only_a.groups[i]));
	for (int i = 0; i < sc.n && i < only_c.n; i++)
		KT_CHECK(same_stat(&sc.groups[i], &only_c.groups[i]));
	KT_CHECK(same_stat(&sa.total, &only_a.total) && same_stat(&sc.total, &only_c.total));
}

KT_TEST(test_stored_calendar)
{
	struct kn_ctx op = as(-1, almaty(2022, 4, 1, 9, 0));
	op.actor_role = "operator";
	KT_CHECK_INT(TX(op, kn_workcal_save(&op, "weekend sat sun\nfixd 01-01 moves New Year\noff 2022-13-01 x\n")),
	             KN_EINVAL);
	int nerr = 0;
	for (struct kn_ferr *e = op.errs; e; e = e->next) {
		nerr++;
		KT_CHECK(!strncmp(e->msg, "line ", 5));
	}
	KT_CHECK_INT(nerr, 2);
	op.errs = NULL;
	const char *text;
	bool builtin;
	KT_CHECK(kn_workcal_text(&op, &text, &builtin, NULL) == KN_OK && builtin);
	/* a new day off on Monday 4 April 2022: a deadline moves by one day */
	const char *cal = kn_printf(A, "%soff 2022-04-04 Test day off\n", kn_calendar_default_text());
	KT_CHECK_INT(TX(op, kn_workcal_save(&op, cal)), KN_OK);
	KT_CHECK(kn_workcal_text(&op, &text, &builtin, NULL) == KN_OK && !builtin);
	int64_t id = forwarded_at(almaty(2022, 4, 1, 12, 0), "urgent");
	KT_CHECK_INT(get(id)->ack_due, end_of(2022, 4, 5));
	KT_CHECK_INT(TX(op, kn_workcal_reset(&op)), KN_OK);
	id = forwarded_at(almaty(2022, 4, 1, 12, 0), "urgent");
	KT_CHECK_INT(get(id)->ack_due, end_of(2022, 4, 4));
}

static int run_all(const char *url)
{
	char err[512];
	db = kn_db_open(url, 4, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		kt_fail_++;
		return 1;
	}
	int n;
	if (kn_db_migrate(db, &n, err, sizeof(err))) {
		fprintf(stderr, "migrate: %s\n", err);
		kt_fail_++;
		kn_db_close(db);
		return 1;
	}
	A = kn_arena_new();
	C = kn_db_acquire(db);
	setup();
	KT_RUN(test_transitions_by_role);
	KT_RUN(test_deadlines);
	KT_RUN(test_ladder);
	KT_RUN(test_kept_counts);
	KT_RUN(test_ladder_pages);
	KT_RUN(test_attachments);
	KT_RUN(test_confidential_events);
	KT_RUN(test_rate_limits);
	KT_RUN(test_statistics);
	KT_RUN(test_stored_calendar);
	kn_db_release(C);
	kn_arena_free(A);
	kn_db_close(db);
	return 0;
}

/* A PostgreSQL database of its own beside the one KN_TEST_PG_URL names
 * (the other test programs share that one and expect it free of this
 * test's councils): dropped and created afresh, or just dropped. */
static bool own_pg(const char *pg, char *out, size_t len, bool create)
{
	char err[512];
	struct kn_db *admin = kn_db_open(pg, 1, err, sizeof(err));
	if (!admin) {
		fprintf(stderr, "cannot open %s: %s\n", pg, err);
		return false;
	}
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(admin);
	bool ok = kn_sql0(c, a, NULL, "DROP DATABASE IF EXISTS kn_test_appeals") == KN_OK &&
	          (!create || kn_sql0(c, a, NULL, "CREATE DATABASE kn_test_appeals") == KN_OK);
	if (!ok)
		fprintf(stderr, "kn_test_appeals: %s\n", kn_conn_errmsg(c));
	kn_db_release(c);
	kn_arena_free(a);
	kn_db_close(admin);
	const char *slash = strrchr(pg, '/');
	const char *q = strchr(pg, '?');
	if (!ok || !slash || (size_t)(slash - pg) + 40 > len)
		return false;
	snprintf(out, len, "%.*s/kn_test_appeals%s", (int)(slash - pg), pg, q ? q : "");
	return true;
}

int main(void)
{
	KT_NAME("test_appeals");
	if (sodium_init() < 0)
		return 1;
	int argc = 1;
	char *argv[] = {"test", NULL};
	char err[128];
	kn_config_load(&argc, argv, err, sizeof(err));
	char path[256], url[300];
	snprintf(path, sizeof(path), "/tmp/kn-test-appeals-%d.db", (int)getpid());
	snprintf(url, sizeof(url), "sqlite:%s", path);
	run_all(url);
	const char *pg = getenv("KN_TEST_PG_URL");
	if (pg && *pg) {
		char own[600];
		if (own_pg(pg, own, sizeof(own), true)) {
			run_all(own);
			own_pg(pg, own, sizeof(own), false);
		} else {
			kt_fail_++;
		}
	} else
		fprintf(stderr, "test_appeals: KN_TEST_PG_URL not set: PostgreSQL part skipped\n");
	char p2[300];
	for (int i = 0; i < 3; i++) {
		snprintf(p2, sizeof(p2), "%s%s", path, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(p2);
	}
	kn_config_free();
	KT_DONE();
}
