/* test_consultation.c: consultations on SQLite and (with KN_TEST_PG_URL)
 * PostgreSQL: moderation decides what can be voted on and what the public
 * record shows; duplicate and malformed votes are refused and a changed
 * vote wins; the next statement is a deterministic weighted choice; the
 * vote writer batches concurrent votes and every acknowledged vote is in
 * the table; a Pol.is import refuses bad CSV with the line. */
#include "core/arena.h"
#include "core/config.h"
#include "domain/consultation.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "kt.h"
#include "store/store.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct kn_db *db;

static enum kn_err tx_done(struct kn_conn *c, enum kn_err rc)
{
	if (rc) {
		kn_db_rollback(c);
		return rc;
	}
	return kn_db_commit(c);
}
#define TX(x, call) (kn_db_begin((x)->c) ? KN_EDB : ((x)->errs = NULL, tx_done((x)->c, (call))))

static struct kn_ctx ctx(struct kn_arena *a, struct kn_conn *c)
{
	struct kn_ctx x = {.a = a, .c = c, .now = (int64_t)time(NULL), .actor_name = "test", .actor_role = "secretary"};
	return x;
}

/* A council and an open consultation (anyone) with three seed statements. */
static int64_t make(struct kn_ctx *x, const char *slug, struct kn_council **k, struct kn_consultation **c)
{
	struct kn_council in = {.slug = slug, .name_en = "Test council", .timezone = "Asia/Almaty"};
	int64_t kid, cid;
	KT_CHECK(TX(x, kn_council_save(x, &in, &kid)) == KN_OK);
	KT_CHECK(kn_council_get(x, slug, k) == KN_OK);
	struct kn_consultation_in ci = {.question = "What should change?", .opens_on = "2020-01-01",
	                                .closes_on = "2099-12-31", .who = "anyone", .statements_open = true,
	                                .seeds = "First seed\nSecond seed\n\n  Third seed  \n"};
	KT_CHECK(TX(x, kn_consultation_create(x, *k, &ci, &cid)) == KN_OK);
	KT_CHECK(kn_consultation_get(x, (*k)->id, cid, c) == KN_OK);
	return cid;
}

static int64_t participant(struct kn_ctx *x, int64_t cid, const char *cookie)
{
	int64_t pid = 0;
	const char *h = kn_consultation_browser_hash(x->a, cookie);
	KT_CHECK(h != NULL);
	KT_CHECK(kn_consultation_participant(x, cid, 0, h, true, &pid) == KN_OK);
	return pid;
}

static enum kn_vote_outcome vote(int64_t cid, int64_t pid, int64_t statement, int value)
{
	struct kn_vote v = {.consultation_id = cid, .participant_id = pid, .statement = statement, .value = value};
	enum kn_err rc = kn_vote_cast(db, &v);
	return rc ? KN_VOTE_FAILED : v.outcome;
}

KT_TEST(test_create_and_validation)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	struct kn_council *k;
	struct kn_consultation *co;
	make(&x, "val-council", &k, &co);
	KT_CHECK_INT(co->n_accepted, 3);
	KT_CHECK(kn_consultation_is_open(co, x.now));
	struct kn_consultation_in bad = {.question = "", .opens_on = "2020-02-30", .closes_on = "2019-01-01", .who = "all"};
	int64_t id;
	KT_CHECK(TX(&x, kn_consultation_create(&x, k, &bad, &id)) == KN_EINVAL);
	int n = 0;
	for (struct kn_ferr *e = x.errs; e; e = e->next)
		n++;
	KT_CHECK(n >= 3);
	char longs[400];
	memset(longs, 'a', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = 0;
	struct kn_consultation_in toolong = {.question = "Q", .opens_on = "2020-01-01", .closes_on = "2020-02-01",
	                                     .who = "citizens", .seeds = longs};
	KT_CHECK(TX(&x, kn_consultation_create(&x, k, &toolong, &id)) == KN_EINVAL);
	KT_CHECK(x.errs && !strcmp(x.errs->field, "seeds"));
	/* nothing of the refused ones was written */
	struct kn_consultation *list;
	KT_CHECK(kn_consultation_list(&x, k->id, &list, &n) == KN_OK);
	KT_CHECK_INT(n, 1);
	kn_db_release(c);
	kn_arena_free(a);
}

KT_TEST(test_moderation_effects)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	struct kn_council *k;
	struct kn_consultation *co;
	int64_t cid = make(&x, "mod-council", &k, &co);
	int64_t p1 = participant(&x, cid, "cookie-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1");
	int num;
	KT_CHECK(TX(&x, kn_statement_add(&x, co, p1, "A new idea from a participant", false, &num)) == KN_OK);
	KT_CHECK_INT(num, 3);
	KT_CHECK(TX(&x, kn_statement_add(&x, co, p1, "A new idea from a participant", false, &num)) == KN_EINVAL);
	char big[300];
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	KT_CHECK(TX(&x, kn_statement_add(&x, co, p1, big, false, &num)) == KN_EINVAL);
	/* pending: not votable, not offered */
	KT_CHECK_INT(vote(cid, p1, 3, 1), KN_VOTE_NOT_VOTABLE);
	for (int i = 0; i < 3; i++) {
		struct kn_statement *s;
		int left;
		KT_CHECK(kn_consultation_next(&x, co, p1, &s, &left) == KN_OK);
		KT_CHECK(s && s->number != 3);
		KT_CHECK_INT(left, 3 - i);
		KT_CHECK_INT(vote(cid, p1, s->number, 1), KN_VOTE_SAVED);
	}
	struct kn_statement *none;
	int left;
	KT_CHECK(kn_consultation_next(&x, co, p1, &none, &left) == KN_OK);
	KT_CHECK(none == NULL && left == 0);
	/* accepted: votable and offered */
	KT_CHECK(TX(&x, kn_statement_moderate(&x, co, 3, "accept")) == KN_OK);
	KT_CHECK(kn_consultation_next(&x, co, p1, &none, &left) == KN_OK);
	KT_CHECK(none && none->number == 3 && left == 1);
	KT_CHECK_INT(vote(cid, p1, 3, -1), KN_VOTE_SAVED);
	/* the same decision twice, an unknown action, an unknown statement */
	KT_CHECK(TX(&x, kn_statement_moderate(&x, co, 3, "accept")) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_statement_moderate(&x, co, 3, "delete")) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_statement_moderate(&x, co, 99, "reject")) == KN_ENOTFOUND);
	/* rejected: refused, its text not in the public record */
	KT_CHECK(TX(&x, kn_statement_add(&x, co, p1, "Something offensive", false, &num)) == KN_OK);
	KT_CHECK(TX(&x, kn_statement_moderate(&x, co, num, "reject")) == KN_OK);
	KT_CHECK_INT(vote(cid, p1, num, 1), KN_VOTE_NOT_VOTABLE);
	struct kn_statement *all;
	int n;
	KT_CHECK(kn_consultation_texts(&x, cid, &all, &n) == KN_OK);
	KT_CHECK_INT(n, 5);
	struct kn_event_row *ev;
	int nev;
	KT_CHECK(kn_event_list(&x, "consultation_statement", all[4].id, &ev, &nev) == KN_OK);
	KT_CHECK_INT(nev, 1);
	KT_CHECK(nev == 1 && !strcmp(ev[0].action, "rejected") && !strstr(ev[0].change, "offensive"));
	KT_CHECK(kn_event_list(&x, "consultation_statement", all[3].id, &ev, &nev) == KN_OK);
	KT_CHECK(nev == 1 && !strcmp(ev[0].action, "accepted") && strstr(ev[0].change, "A new idea"));
	/* meta: accepted and votable, out of the analysis */
	KT_CHECK(TX(&x, kn_statement_moderate(&x, co, num, "meta")) == KN_OK);
	KT_CHECK_INT(vote(cid, p1, num, 0), KN_VOTE_SAVED);
	KT_CHECK(kn_event_list(&x, "consultation", cid, &ev, &nev) == KN_OK);
	KT_CHECK(nev >= 1 && !strcmp(ev[0].action, "created"));
	/* statement counts use the latest vote */
	KT_CHECK(kn_consultation_statements(&x, cid, "accepted", &all, &n) == KN_OK);
	KT_CHECK_INT(n, 5);
	/* closing: no more votes or statements */
	KT_CHECK(kn_consultation_get(&x, k->id, cid, &co) == KN_OK);
	KT_CHECK(TX(&x, kn_consultation_close(&x, co)) == KN_OK);
	KT_CHECK(kn_consultation_get(&x, k->id, cid, &co) == KN_OK);
	KT_CHECK(!kn_consultation_is_open(co, x.now));
	KT_CHECK_INT(vote(cid, p1, 0, -1), KN_VOTE_CLOSED);
	KT_CHECK(TX(&x, kn_statement_add(&x, co, p1, "Too late", false, &num)) == KN_EINVAL);
	KT_CHECK(TX(&x, kn_consultation_close(&x, co)) == KN_EINVAL);
	kn_db_release(c);
	kn_arena_free(a);
}

KT_TEST(test_votes_duplicate_malformed)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	struct kn_council *k;
	struct kn_consultation *co;
	int64_t cid = make(&x, "dup-council", &k, &co);
	int64_t p = participant(&x, cid, "cookie-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb1");
	int64_t again = participant(&x, cid, "cookie-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb1");
	KT_CHECK_INT(again, p);
	KT_CHECK(kn_consultation_browser_hash(a, "short") == NULL);
	KT_CHECK(kn_consultation_browser_hash(a, "bad cookie with spaces and more than 32 chars") == NULL);
	KT_CHECK_INT(vote(cid, p, 0, 1), KN_VOTE_SAVED);
	KT_CHECK_INT(vote(cid, p, 0, 1), KN_VOTE_DUPLICATE);
	KT_CHECK_INT(vote(cid, p, 0, -1), KN_VOTE_SAVED); /* changed: last vote wins */
	KT_CHECK_INT(vote(cid, p, 0, -1), KN_VOTE_DUPLICATE);
	KT_CHECK_INT(vote(cid, p, 0, 1), KN_VOTE_SAVED);
	KT_CHECK_INT(vote(cid, p, 42, 1), KN_VOTE_NO_STATEMENT);
	struct kn_vote bad = {.consultation_id = cid, .participant_id = p, .statement = 1, .value = 2};
	KT_CHECK(kn_vote_cast(db, &bad) == KN_EINVAL);
	KT_CHECK_INT(kn_vote_value("agree"), 1);
	KT_CHECK_INT(kn_vote_value("-1"), -1);
	KT_CHECK_INT(kn_vote_value("pass"), 0);
	KT_CHECK_INT(kn_vote_value("maybe"), -2);
	KT_CHECK_INT(kn_vote_value(NULL), -2);
	/* a participant of another consultation cannot vote here */
	struct kn_council *k2;
	struct kn_consultation *co2;
	int64_t cid2 = make(&x, "dup-council-2", &k2, &co2);
	int64_t other = participant(&x, cid2, "cookie-cccccccccccccccccccccccccccccccccccc1");
	KT_CHECK(vote(cid, other, 1, 1) != KN_VOTE_SAVED);
	struct kn_statement *s;
	int n;
	KT_CHECK(kn_consultation_statements(&x, cid, NULL, &s, &n) == KN_OK);
	KT_CHECK(n == 3 && s[0].n_agree == 1 && s[0].n_disagree == 0);
	struct kn_rows *r;
	KT_CHECK(kn_sql(c, a, &r, "SELECT COUNT(*) FROM consultation_votes WHERE consultation_id = $1", KN_INT(cid)) == KN_OK);
	KT_CHECK_INT(kn_row_i(r, 0, 0), 3);
	kn_db_release(c);
	kn_arena_free(a);
}

KT_TEST(test_priority_choice)
{
	double w[4] = {1, 0, 3, -1};
	int count[4] = {0};
	for (uint64_t s = 0; s < 20000; s++) {
		size_t k = kn_consultation_pick(w, 4, kn_consultation_choice_seed(7, 11, (int64_t)s));
		KT_CHECK(k < 4);
		count[k < 4 ? k : 0]++;
	}
	KT_CHECK_INT(count[1], 0);
	KT_CHECK_INT(count[3], 0);
	KT_CHECK(count[2] > 2 * count[0] && count[2] < 4 * count[0]); /* about 3:1 */
	/* the same participant, seed and votes given: the same choice */
	for (int i = 0; i < 50; i++)
		KT_CHECK_INT(kn_consultation_pick(w, 4, kn_consultation_choice_seed(5, i, 3)),
		             kn_consultation_pick(w, 4, kn_consultation_choice_seed(5, i, 3)));
	KT_CHECK(kn_consultation_choice_seed(5, 1, 3) != kn_consultation_choice_seed(5, 2, 3));
	double zero[3] = {0, 0, 0};
	KT_CHECK(kn_consultation_pick(zero, 3, 99) < 3);
	/* through the store: next() is stable for one participant until they vote */
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	struct kn_council *k;
	struct kn_consultation *co;
	int64_t cid = make(&x, "prio-council", &k, &co);
	int64_t p = participant(&x, cid, "cookie-dddddddddddddddddddddddddddddddddddd1");
	struct kn_statement *s1, *s2;
	int left;
	KT_CHECK(kn_consultation_next(&x, co, p, &s1, &left) == KN_OK);
	KT_CHECK(kn_consultation_next(&x, co, p, &s2, &left) == KN_OK);
	KT_CHECK(s1 && s2 && s1->number == s2->number);
	/* the choice follows the weights of kn_consult_priorities */
	int64_t ids[3];
	bool meta[3] = {false, false, true};
	double pr[3];
	struct kn_statement *all;
	int n;
	KT_CHECK(kn_consultation_texts(&x, cid, &all, &n) == KN_OK && n == 3);
	for (int i = 0; i < 3; i++)
		ids[i] = all[i].id;
	kn_consult_priorities(cid, ids, meta, 3, pr);
	KT_CHECK(pr[0] > 5.0 && pr[0] < 5.1 && pr[2] == 49.0);
	kn_db_release(c);
	kn_arena_free(a);
}

struct worker {
	int64_t cid;
	int64_t pids[10];
	int saved, failed;
};

static void *voter(void *arg)
{
	struct worker *w = arg;
	for (int s = 0; s < 3; s++)
		for (int i = 0; i < 10; i++)
			for (int v = -1; v <= 1; v++) {
				enum kn_vote_outcome o = vote(w->cid, w->pids[i], s, v);
				if (o == KN_VOTE_SAVED)
					w->saved++;
				else
					w->failed++;
			}
	return NULL;
}

KT_TEST(test_group_commit)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	struct kn_council *k;
	struct kn_consultation *co;
	int64_t cid = make(&x, "gc-council", &k, &co);
	struct worker w[8];
	for (int t = 0; t < 8; t++) {
		memset(&w[t], 0, sizeof(w[t]));
		w[t].cid = cid;
		for (int i = 0; i < 10; i++)
			w[t].pids[i] = participant(&x, cid, kn_printf(a, "cookie-gc-%02d-%02d-xxxxxxxxxxxxxxxxxxxxxxxxxxx", t, i));
	}
	kn_db_release(c);
	uint64_t b0, v0, b1, v1;
	kn_vote_writer_start(db, 50);
	kn_vote_writer_stats(&b0, &v0);
	pthread_t th[8];
	for (int t = 0; t < 8; t++)
		pthread_create(&th[t], NULL, voter, &w[t]);
	for (int t = 0; t < 8; t++)
		pthread_join(th[t], NULL);
	kn_vote_writer_stats(&b1, &v1);
	kn_vote_writer_stop();
	int saved = 0, failed = 0;
	for (int t = 0; t < 8; t++)
		saved += w[t].saved, failed += w[t].failed;
	KT_CHECK_INT(saved, 8 * 3 * 10 * 3); /* every vote changes the last one: all saved */
	KT_CHECK_INT(failed, 0);
	KT_CHECK_INT(v1 - v0, 720);
	KT_CHECK(b1 - b0 < v1 - v0); /* concurrent votes shared transactions */
	fprintf(stderr, "test_consultation: %llu votes in %llu transactions\n", (unsigned long long)(v1 - v0),
	        (unsigned long long)(b1 - b0));
	/* every acknowledged vote is in the table (a new connection reads it) */
	c = kn_db_acquire(db);
	struct kn_rows *r;
	KT_CHECK(kn_sql(c, a, &r, "SELECT COUNT(*) FROM consultation_votes WHERE consultation_id = $1", KN_INT(cid)) == KN_OK);
	KT_CHECK_INT(kn_row_i(r, 0, 0), saved);
	/* and the analysis sees them: the latest vote of each pair is +1 */
	KT_CHECK(kn_consult_refresh(db, cid) == KN_OK);
	kn_db_release(c);
	kn_arena_free(a);
}

KT_TEST(test_import_bad_csv)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	struct kn_council in = {.slug = "imp-council", .name_en = "Import", .timezone = "Asia/Almaty"};
	int64_t kid, id;
	KT_CHECK(TX(&x, kn_council_save(&x, &in, &kid)) == KN_OK);
	struct kn_council *k;
	KT_CHECK(kn_council_get(&x, "imp-council", &k) == KN_OK);
	const char *cm = "timestamp,comment-id,author-id,moderated,comment-body\n1000,0,0,1,Hello\n1001,1,0,7,World\n";
	const char *vo = "timestamp,datetime,comment-id,voter-id,vote\n1002,x,0,1,1\n";
	KT_CHECK(TX(&x, kn_consultation_import(&x, k, "Q", cm, strlen(cm), vo, strlen(vo), NULL, 0, &id)) == KN_EINVAL);
	KT_CHECK(x.errs && strstr(x.errs->msg, "comments.csv") && strstr(x.errs->msg, "line 3"));
	const char *cm2 = "timestamp,comment-id,author-id,moderated,comment-body\n1000,0,0,1,Hello\n1001,1,0,1,World\n";
	const char *vo2 = "timestamp,datetime,comment-id,voter-id,vote\n1002,x,0,1,1\n1003,x,1,1,banana\n";
	KT_CHECK(TX(&x, kn_consultation_import(&x, k, "Q", cm2, strlen(cm2), vo2, strlen(vo2), NULL, 0, &id)) == KN_EINVAL);
	KT_CHECK(x.errs && strstr(x.errs->msg, "votes.csv") && strstr(x.errs->msg, "3"));
	const char *vo3 = "timestamp,datetime,comment-id,voter-id,vote\n1002,x,0,1,1\n1003,x,5,1,1\n";
	KT_CHECK(TX(&x, kn_consultation_import(&x, k, "Q", cm2, strlen(cm2), vo3, strlen(vo3), NULL, 0, &id)) == KN_EINVAL);
	KT_CHECK(x.errs && strstr(x.errs->msg, "line 3"));
	const char *nocol = "timestamp,comment-id\n1,2\n";
	KT_CHECK(TX(&x, kn_consultation_import(&x, k, "Q", nocol, strlen(nocol), vo2, strlen(vo2), NULL, 0, &id)) ==
	         KN_EINVAL);
	KT_CHECK(x.errs && strstr(x.errs->msg, "missing column"));
	struct kn_consultation *list;
	int n;
	KT_CHECK(kn_consultation_list(&x, k->id, &list, &n) == KN_OK);
	KT_CHECK_INT(n, 0); /* nothing written */
	KT_CHECK(TX(&x, kn_consultation_import(&x, k, "Q", cm2, strlen(cm2), vo, strlen(vo), NULL, 0, &id)) == KN_OK);
	struct kn_consultation *co;
	KT_CHECK(kn_consultation_get(&x, k->id, id, &co) == KN_OK);
	KT_CHECK(co->closed && co->n_accepted == 2 && co->n_participants == 2);
	struct kn_polis_file *f;
	KT_CHECK(kn_consultation_export(&x, co, "", &f, &n) == KN_OK);
	KT_CHECK_INT(n, 5);
	KT_CHECK(n == 5 && strstr(f[1].data, "\n1002,") && strstr(f[1].data, ",0,1,1\n"));
	kn_db_release(c);
	kn_arena_free(a);
}

static void run_all(const char *url)
{
	char err[512];
	db = kn_db_open(url, 12, err, sizeof(err));
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
	KT_RUN(test_create_and_validation);
	KT_RUN(test_moderation_effects);
	KT_RUN(test_votes_duplicate_malformed);
	KT_RUN(test_priority_choice);
	KT_RUN(test_group_commit);
	KT_RUN(test_import_bad_csv);
	kn_db_close(db);
}

int main(void)
{
	KT_NAME("test_consultation");
	if (sodium_init() < 0)
		return 1;
	int argc = 1;
	char *argv[] = {"test", NULL};
	char err[128];
	kn_config_load(&argc, argv, err, sizeof(err));
	char path[300], url[320];
	snprintf(path, sizeof(path), "/tmp/kn-test-consultation-%d.db", (int)getpid());
	snprintf(url, sizeof(url), "sqlite:%s", path);
	run_all(url);
	const char *pg = getenv("KN_TEST_PG_URL");
	if (pg && *pg)
		run_all(pg);
	else
		fprintf(stderr, "test_consultation: KN_TEST_PG_URL not set: PostgreSQL part skipped\n");
	for (int i = 0; i < 3; i++) {
		char p[320];
		snprintf(p, sizeof(p), "%s%s", path, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(p);
	}
	kn_config_free();
	KT_DONE();
}
