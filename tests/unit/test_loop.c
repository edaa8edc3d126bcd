/* test_loop.c: the council loop's rules, on SQLite and (with KN_TEST_PG_URL)
 * PostgreSQL: every lifecycle transition allowed and refused, and overdue /
 * on time / late computed from an injected x->now in the council's zone. */
#include "core/arena.h"
#include "core/config.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/loop.h"
#include "domain/registry.h"
#include "kt.h"
#include "store/store.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct kn_db *db;
static struct kn_council *ncpt;
static int64_t mvd, kgd;

/* 2030-01-10 12:00 in Almaty (UTC+5) */
#define T0 1894258800LL
#define DAY 86400

static struct kn_ctx ctx(struct kn_arena *a, struct kn_conn *c, int64_t now, const char *role)
{
	struct kn_ctx x = {.a = a, .c = c, .now = now, .actor_name = "test", .actor_role = role};
	return x;
}

/* Runs one domain call in its own transaction. */
#define TX(x, call) (kn_db_begin((x)->c) ? KN_EDB : ((x)->errs = NULL, kn_tx_done((x)->c, (call))))
static enum kn_err kn_tx_done(struct kn_conn *c, enum kn_err rc)
{
	if (rc) {
		kn_db_rollback(c);
		return rc;
	}
	return kn_db_commit(c);
}

static int64_t setup(struct kn_ctx *x)
{
	KT_CHECK(TX(x, kn_demo_load(x, "a-long-password-1", NULL)) == KN_OK);
	KT_CHECK(kn_council_get(x, "ncpt", &ncpt) == KN_OK);
	struct kn_agency *g;
	KT_CHECK(kn_agency_get(x, "mvd", &g) == KN_OK);
	mvd = g->id;
	KT_CHECK(kn_agency_get(x, "kgd", &g) == KN_OK);
	kgd = g->id;
	return 0;
}

KT_TEST(test_timing_rules)
{
	struct kn_assignment a = {.state = "issued", .deadline = "2030-01-10"};
	kn_assignment_timing(&a, "2030-01-10");
	KT_CHECK(a.open && !a.overdue && a.timing == KN_TIMING_NONE);
	kn_assignment_timing(&a, "2030-01-11");
	KT_CHECK(a.overdue);
	a.state = "reported";
	kn_assignment_timing(&a, "2030-01-11");
	KT_CHECK(a.overdue);
	a.state = "completed";
	a.completed_on = "2030-01-10";
	kn_assignment_timing(&a, "2031-01-01");
	KT_CHECK(!a.open && !a.overdue && a.timing == KN_TIMING_ON_TIME);
	a.completed_on = "2030-01-11";
	kn_assignment_timing(&a, "2030-01-11");
	KT_CHECK(a.timing == KN_TIMING_LATE);
	a.state = "withdrawn";
	kn_assignment_timing(&a, "2031-01-01");
	KT_CHECK(!a.open && !a.overdue && a.timing == KN_TIMING_NONE);
	KT_CHECK_INT(kn_loop_days("2020-02-28", "2020-03-01"), 2);
}

KT_TEST(test_today_in_zone)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_ctx x = {.a = a, .now = 1893437100}; /* 2029-12-31 18:45 UTC = 2029-12-31 23:45 Almaty */
	KT_CHECK_STR(kn_loop_today(&x, "Asia/Almaty"), "2029-12-31");
	x.now += 20 * 60; /* 00:05 in Almaty, still the 31st in UTC */
	KT_CHECK_STR(kn_loop_today(&x, "Asia/Almaty"), "2030-01-01");
	KT_CHECK_STR(kn_loop_today(&x, "UTC"), "2029-12-31");
	const char *d, *t;
	kn_loop_local(&x, "Asia/Almaty", x.now, &d, &t);
	KT_CHECK_STR(d, "2030-01-01");
	KT_CHECK_STR(t, "00:05");
	kn_arena_free(a);
}

KT_TEST(test_lifecycle)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c, T0, "member");
	setup(&x);
	/* proposal: draft -> submitted -> group_review -> on_agenda -> accepted */
	struct kn_proposal p = {.title = "Units for the protection of women"};
	int64_t pid, mid, item, aid, eid, rid;
	KT_CHECK(TX(&x, kn_proposal_create(&x, ncpt, &p, true, &pid)) == KN_OK);
	KT_CHECK(TX(&x, kn_proposal_review(&x, ncpt, pid, 0)) == KN_EINVAL); /* draft */
	KT_CHECK(TX(&x, kn_proposal_accept(&x, ncpt, pid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_proposal_submit(&x, ncpt, pid)) == KN_OK);
	KT_CHECK(TX(&x, kn_proposal_submit(&x, ncpt, pid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_proposal_edit(&x, ncpt, pid, &p)) == KN_EINVAL); /* no longer a draft */
	KT_CHECK(TX(&x, kn_proposal_take_up(&x, ncpt, pid)) == KN_EINVAL);  /* not a citizen's */
	KT_CHECK(TX(&x, kn_proposal_review(&x, ncpt, pid, 0)) == KN_OK);
	struct kn_meeting m = {.kind = "plenary", .date = "2030-01-11", .time = "10:00", .place = "Akorda"};
	KT_CHECK(TX(&x, kn_meeting_create(&x, ncpt, &m, &mid)) == KN_OK);
	struct kn_meeting *got;
	KT_CHECK(kn_meeting_get(&x, ncpt, mid, &got) == KN_OK);
	KT_CHECK_INT(got->number, 6); /* after the demo's five */
	KT_CHECK_STR(got->time, "10:00");
	KT_CHECK(TX(&x, kn_meeting_agenda_add(&x, ncpt, mid, NULL, 999999, &item)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_meeting_agenda_add(&x, ncpt, mid, NULL, pid, &item)) == KN_OK);
	KT_CHECK(TX(&x, kn_meeting_agenda_add(&x, ncpt, mid, NULL, pid, &item)) == KN_EINVAL); /* already on it */
	KT_CHECK(TX(&x, kn_meeting_hold(&x, ncpt, mid)) == KN_EINVAL);                       /* before it starts */
	KT_CHECK(TX(&x, kn_meeting_attend(&x, ncpt, mid, 1, "present")) == KN_EINVAL);         /* not held */
	x.now = T0 + DAY;
	KT_CHECK(TX(&x, kn_meeting_hold(&x, ncpt, mid)) == KN_OK);
	KT_CHECK(TX(&x, kn_meeting_hold(&x, ncpt, mid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_meeting_cancel(&x, ncpt, mid, "late")) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_meeting_attend(&x, ncpt, mid, 1, "dozing")) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_meeting_attend(&x, ncpt, mid, 1, "present")) == KN_OK);
	KT_CHECK(TX(&x, kn_meeting_set_minutes(&x, ncpt, mid, "Agreed.")) == KN_OK);
	KT_CHECK(TX(&x, kn_proposal_accept(&x, ncpt, pid)) == KN_OK);
	KT_CHECK(TX(&x, kn_proposal_withdraw(&x, ncpt, pid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_proposal_reject(&x, ncpt, pid, "no")) == KN_EINVAL);

	/* assignment: issued -> in_progress -> reported -> returned -> reported -> completed */
	x.actor_role = "chair";
	struct kn_assignment in = {.title = "Restore the units", .agency_key = "mvd", .coexecutors = "kgd",
	                           .deadline = "2030-01-20", .proposal_id = pid, .meeting_id = mid};
	KT_CHECK(TX(&x, kn_assignment_issue(&x, ncpt, &in, &aid)) == KN_OK);
	struct kn_assignment *as;
	KT_CHECK(kn_assignment_get(&x, ncpt->id, aid, &as) == KN_OK);
	KT_CHECK_STR(as->issued_on, "2030-01-11"); /* the meeting's day */
	KT_CHECK(TX(&x, kn_assignment_accept(&x, ncpt, aid)) == KN_EINVAL); /* no report */
	KT_CHECK(TX(&x, kn_assignment_start(&x, aid, kgd)) == KN_EPERM);    /* a co-executor */
	KT_CHECK(TX(&x, kn_assignment_start(&x, aid, 999999)) == KN_ENOTFOUND);
	KT_CHECK(TX(&x, kn_assignment_start(&x, aid, mvd)) == KN_OK);
	KT_CHECK(TX(&x, kn_assignment_start(&x, aid, mvd)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_ask_extension(&x, aid, mvd, "2030-01-19", "why", &eid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_ask_extension(&x, aid, kgd, "2030-02-19", "why", &eid)) == KN_EPERM);
	KT_CHECK(TX(&x, kn_assignment_ask_extension(&x, aid, mvd, "2030-01-25", "", &eid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_ask_extension(&x, aid, mvd, "2030-01-25", "A decree is needed.", &eid)) == KN_OK);
	KT_CHECK(TX(&x, kn_assignment_ask_extension(&x, aid, mvd, "2030-01-27", "again", &eid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_decide_extension(&x, ncpt, aid, eid, true, "ok")) == KN_OK);
	KT_CHECK(TX(&x, kn_assignment_decide_extension(&x, ncpt, aid, eid, false, "")) == KN_EINVAL);
	KT_CHECK(kn_assignment_get(&x, ncpt->id, aid, &as) == KN_OK);
	KT_CHECK_STR(as->deadline, "2030-01-25");
	KT_CHECK_STR(as->original_deadline, "2030-01-20");
	struct kn_indicator bad = {"staff units", "units", NULL, NULL, "many"};
	struct kn_indicator ok = {"staff units", "units", "0", NULL, "+129"};
	KT_CHECK(TX(&x, kn_assignment_report(&x, aid, mvd, "done", NULL, true, &bad, 1, &rid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_report(&x, aid, mvd, "done", NULL, true, NULL, 0, &rid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_report(&x, aid, kgd, "our part", NULL, true, &ok, 1, &rid)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_report(&x, aid, kgd, "our part", NULL, false, &ok, 1, &rid)) == KN_OK);
	KT_CHECK(TX(&x, kn_assignment_report(&x, aid, mvd, "done", "javascript:alert(1)", true, &ok, 1, &rid)) ==
	         KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_report(&x, aid, mvd, "done", "https://t.me/Ulttyq_kenes", true, &ok, 1, &rid)) ==
	         KN_OK);
	KT_CHECK(TX(&x, kn_assignment_return(&x, ncpt, aid, "")) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_assignment_return(&x, ncpt, aid, "The order number is missing.")) == KN_OK);
	KT_CHECK(TX(&x, kn_assignment_accept(&x, ncpt, aid)) == KN_EINVAL); /* returned */
	KT_CHECK(TX(&x, kn_assignment_report(&x, aid, mvd, "order 1", NULL, true, &ok, 1, &rid)) == KN_OK);
	x.now = T0 + 15 * DAY; /* 2030-01-25 in Almaty: the last day */
	KT_CHECK(kn_assignment_get(&x, ncpt->id, aid, &as) == KN_OK);
	KT_CHECK(!as->overdue);
	KT_CHECK(TX(&x, kn_assignment_accept(&x, ncpt, aid)) == KN_OK);
	KT_CHECK(kn_assignment_get(&x, ncpt->id, aid, &as) == KN_OK);
	KT_CHECK(as->timing == KN_TIMING_ON_TIME);
	KT_CHECK(TX(&x, kn_assignment_withdraw(&x, ncpt, aid, "x")) == KN_EINVAL);
	struct kn_report *rep;
	int nrep;
	KT_CHECK(kn_assignment_reports(&x, aid, &rep, &nrep) == KN_OK);
	KT_CHECK_INT(nrep, 3);

	/* a second one, overdue, then late; a third withdrawn */
	struct kn_assignment in2 = {.title = "Publish the figures", .agency_key = "mvd", .deadline = "2030-01-26"};
	KT_CHECK(TX(&x, kn_assignment_issue(&x, ncpt, &in2, &aid)) == KN_OK);
	x.now = T0 + 17 * DAY;
	struct kn_assignment_filter f = {.council_id = ncpt->id, .agency_id = mvd, .state = "open", .overdue = true};
	struct kn_assignment *list;
	int n;
	KT_CHECK(kn_assignment_list(&x, &f, &list, &n) == KN_OK);
	KT_CHECK_INT(n, 1);
	KT_CHECK(TX(&x, kn_assignment_report(&x, aid, mvd, "done", NULL, true, &ok, 1, &rid)) == KN_OK);
	KT_CHECK(TX(&x, kn_assignment_accept(&x, ncpt, aid)) == KN_OK);
	KT_CHECK(kn_assignment_get(&x, ncpt->id, aid, &as) == KN_OK);
	KT_CHECK(as->timing == KN_TIMING_LATE);
	struct kn_assignment in3 = {.title = "Something else", .agency_key = "mvd", .deadline = "2030-03-01"};
	KT_CHECK(TX(&x, kn_assignment_issue(&x, ncpt, &in3, &aid)) == KN_OK);
	KT_CHECK(TX(&x, kn_assignment_withdraw(&x, ncpt, aid, "Superseded.")) == KN_OK);
	KT_CHECK(TX(&x, kn_assignment_start(&x, aid, mvd)) == KN_EINVAL);
	struct kn_scorecard s;
	KT_CHECK(kn_agency_scorecard(&x, mvd, &s) == KN_OK);
	KT_CHECK_INT(s.completed, 3); /* with the demo's */
	KT_CHECK_INT(s.on_time, 2);
	KT_CHECK_INT(s.late, 1);
	KT_CHECK_INT(s.withdrawn, 1);
	KT_CHECK_INT(s.overdue, 0);

	/* meeting cancelled: its agenda's proposal goes back to review */
	struct kn_proposal p2 = {.title = "Second"};
	int64_t pid2, mid2;
	KT_CHECK(TX(&x, kn_proposal_create(&x, ncpt, &p2, true, &pid2)) == KN_OK);
	KT_CHECK(TX(&x, kn_proposal_submit(&x, ncpt, pid2)) == KN_OK);
	KT_CHECK(TX(&x, kn_proposal_review(&x, ncpt, pid2, 0)) == KN_OK);
	struct kn_meeting m2 = {.kind = "plenary", .date = "2030-03-01", .time = "10:00", .online = true};
	KT_CHECK(TX(&x, kn_meeting_create(&x, ncpt, &m2, &mid2)) == KN_OK);
	KT_CHECK(TX(&x, kn_meeting_agenda_add(&x, ncpt, mid2, NULL, pid2, &item)) == KN_OK);
	KT_CHECK(TX(&x, kn_meeting_cancel(&x, ncpt, mid2, "")) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_meeting_cancel(&x, ncpt, mid2, "Moved.")) == KN_OK);
	struct kn_proposal *pp;
	KT_CHECK(kn_proposal_get(&x, ncpt->id, pid2, &pp) == KN_OK);
	KT_CHECK_STR(pp->state, "group_review");
	KT_CHECK(TX(&x, kn_proposal_reject(&x, ncpt, pid2, "Out of scope.")) == KN_OK);

	/* laws move forward only */
	int64_t rf, it, law;
	struct kn_reform r = {.title = "Package"};
	KT_CHECK(TX(&x, kn_reform_create(&x, ncpt, &r, &rf)) == KN_OK);
	KT_CHECK(TX(&x, kn_reform_item_add(&x, ncpt, rf, "Item", "", "p1 a1", &it)) == KN_OK);
	KT_CHECK(TX(&x, kn_reform_item_add(&x, ncpt, rf, "Item", "", kn_printf(a, "p%lld", (long long)pid2), &it)) ==
	         KN_EINVAL); /* a rejected proposal */
	KT_CHECK(TX(&x, kn_law_add(&x, ncpt, it, "Law", "", "drafted", "2030-01-01", false, &law)) == KN_OK);
	KT_CHECK(TX(&x, kn_law_advance(&x, ncpt, law, "drafted", "2030-01-02", NULL)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_law_advance(&x, ncpt, law, "adopted", "2029-12-31", NULL)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_law_advance(&x, ncpt, law, "adopted", "2030-02-01", "No. 1-VII")) == KN_OK);
	struct kn_reform *got_r;
	KT_CHECK(kn_reform_get(&x, ncpt->id, rf, &got_r) == KN_OK);
	KT_CHECK_INT(got_r->items_done, 1);
	KT_CHECK_INT(got_r->laws_adopted, 1);
	kn_db_release(c);
	kn_arena_free(a);
}

static void run_all(const char *url)
{
	char err[512];
	db = kn_db_open(url, 2, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		kt_fail_++;
		return;
	}
	int n;
	if (kn_db_migrate(db, &n, err, sizeof(err))) {
		fprintf(stderr, "migrate: %s\n", err);
		kt_fail_++;
		kn_db_close(db);
		return;
	}
	KT_RUN(test_lifecycle);
	kn_db_close(db);
}

int main(void)
{
	KT_NAME("test_loop");
	if (sodium_init() < 0)
		return 1;
	int argc = 1;
	char *argv[] = {"test", NULL};
	char err[128];
	kn_config_load(&argc, argv, err, sizeof(err));
	KT_RUN(test_timing_rules);
	KT_RUN(test_today_in_zone);
	char path[300], url[320];
	snprintf(path, sizeof(path), "/tmp/kn-test-loop-%d.db", (int)getpid());
	snprintf(url, sizeof(url), "sqlite:%s", path);
	run_all(url);
	const char *pg = getenv("KN_TEST_PG_URL");
	if (pg && *pg)
		run_all(pg);
	else
		fprintf(stderr, "test_loop: KN_TEST_PG_URL not set: PostgreSQL part skipped\n");
	for (int i = 0; i < 3; i++) {
		char p[320];
		snprintf(p, sizeof(p), "%s%s", path, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(p);
	}
	kn_config_free();
	KT_DONE();
}
