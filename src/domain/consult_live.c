/* consult_live.c: the background analysis of consultations. Each watched
 * consultation keeps its votes in memory (appended from the table by id,
 * so after a restart they are simply reloaded), the opinion engine's state
 * of the previous update, and the latest result that pages read. The
 * thread recomputes a consultation at most every interval when it has new
 * votes or moderation; votes never wait for it (the vote writer only sets
 * a flag). */
#include "core/arena.h"
#include "core/log.h"
#include "domain/consultation.h"
#include "opinion/opinion.h"
#include "store/store.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct live {
	int64_t cid;
	pthread_mutex_t mu;     /* result, computed_at, dirty */
	pthread_mutex_t run_mu; /* one update at a time; owns the fields below */
	struct kn_opinion_vote *votes;
	size_t n, cap;
	int64_t last_vote_id, revision;
	struct kn_opinion_state *state;
	/* under mu */
	struct kn_opinion_result *result;
	int64_t computed_at, last_run_ms;
	bool dirty;
	struct live *next;
};

static struct {
	pthread_mutex_t mu; /* the list, running, stop */
	pthread_cond_t cv;
	struct live *list;
	pthread_t th;
	bool running, stop;
	struct kn_db *db;
	int interval_ms;
} L = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The entry of cid, created when create is set (NULL otherwise). */
static struct live *entry(int64_t cid, bool create)
{
	pthread_mutex_lock(&L.mu);
	struct live *e = L.list;
	while (e && e->cid != cid)
		e = e->next;
	if (!e && create && (e = calloc(1, sizeof(*e)))) {
		e->cid = cid;
		e->dirty = true;
		e->revision = -1;
		pthread_mutex_init(&e->mu, NULL);
		pthread_mutex_init(&e->run_mu, NULL);
		e->next = L.list;
		L.list = e;
	}
	pthread_mutex_unlock(&L.mu);
	return e;
}

void kn_consult_touch(int64_t cid)
{
	struct live *e = entry(cid, true);
	if (!e)
		return;
	pthread_mutex_lock(&e->mu);
	e->dirty = true;
	pthread_mutex_unlock(&e->mu);
}

/* Appends the votes stored after e->last_vote_id; *added: how many. */
static enum kn_err load_votes(struct kn_conn *c, struct live *e, size_t *added)
{
	*added = 0;
	for (;;) {
		struct kn_arena *a = kn_arena_new();
		struct kn_rows *r;
		enum kn_err rc = kn_sql(c, a, &r,
		                        "SELECT id, participant_id, statement_id, value, at_ms FROM consultation_votes "
		                        "WHERE consultation_id = $1 AND id > $2 ORDER BY id LIMIT 50000",
		                        KN_INT(e->cid), KN_INT(e->last_vote_id));
		if (rc) {
			kn_arena_free(a);
			return rc;
		}
		if (e->n + (size_t)r->n > e->cap) {
			size_t cap = e->cap ? e->cap : 1024;
			while (cap < e->n + (size_t)r->n)
				cap *= 2;
			struct kn_opinion_vote *nv = realloc(e->votes, cap * sizeof(*nv));
			if (!nv) {
				kn_arena_free(a);
				return KN_ENOMEM;
			}
			e->votes = nv;
			e->cap = cap;
		}
		for (int i = 0; i < r->n; i++) {
			struct kn_opinion_vote *v = &e->votes[e->n++];
			v->participant = kn_row_i(r, i, 1);
			v->statement = kn_row_i(r, i, 2);
			v->value = (int)kn_row_i(r, i, 3);
			v->time = kn_row_i(r, i, 4);
			e->last_vote_id = kn_row_i(r, i, 0);
		}
		*added += (size_t)r->n;
		int got = r->n;
		kn_arena_free(a);
		if (got < 50000)
			return KN_OK;
	}
}

/* One update of e (the caller holds e->run_mu). */
static enum kn_err update(struct kn_db *db, struct live *e, bool force)
{
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_arena *a = kn_arena_new();
	struct kn_rows *r;
	size_t added = 0;
	enum kn_err rc = kn_sql(c, a, &r, "SELECT revision FROM consultations WHERE id = $1", KN_INT(e->cid));
	if (!rc && !r->n)
		rc = KN_ENOTFOUND;
	int64_t revision = rc ? 0 : kn_row_i(r, 0, 0);
	if (!rc)
		rc = load_votes(c, e, &added);
	bool have;
	pthread_mutex_lock(&e->mu);
	have = e->result != NULL;
	pthread_mutex_unlock(&e->mu);
	if (rc || (!added && revision == e->revision && have && !force)) {
		kn_db_release(c);
		kn_arena_free(a);
		return rc;
	}
	rc = kn_sql(c, a, &r, "SELECT id, moderation, is_meta FROM consultation_statements WHERE consultation_id = $1 ORDER BY id",
	            KN_INT(e->cid));
	kn_db_release(c);
	if (rc) {
		kn_arena_free(a);
		return rc;
	}
	struct kn_opinion_statement *st = kn_zalloc(a, sizeof(*st) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		st[i].id = kn_row_i(r, i, 0);
		const char *m = kn_row_s(r, i, 1);
		st[i].moderation = !strcmp(m, "accepted")   ? KN_OPINION_MOD_ACCEPTED
		                   : !strcmp(m, "rejected") ? KN_OPINION_MOD_REJECTED
		                                            : KN_OPINION_MOD_UNMODERATED;
		st[i].is_meta = (int)kn_row_i(r, i, 2);
	}
	struct kn_opinion_input in = {
	    .votes = e->votes, .n_votes = e->n, .statements = st, .n_statements = (size_t)r->n, .strict_moderation = 1};
	struct kn_opinion_result *res = NULL;
	char err[256];
	if (kn_opinion_update(&in, e->state, &res, err, sizeof(err))) {
		kn_error("consultation %lld: analysis failed: %s", (long long)e->cid, err);
		kn_arena_free(a);
		return KN_EINVAL;
	}
	kn_arena_free(a);
	struct kn_opinion_state *ns = kn_opinion_result_take_state(res);
	kn_opinion_state_free(e->state);
	e->state = ns;
	e->revision = revision;
	pthread_mutex_lock(&e->mu);
	struct kn_opinion_result *old = e->result;
	e->result = res;
	e->computed_at = (int64_t)time(NULL);
	pthread_mutex_unlock(&e->mu);
	kn_opinion_result_free(old);
	return KN_OK;
}

enum kn_err kn_consult_refresh(struct kn_db *db, int64_t cid)
{
	struct live *e = entry(cid, true);
	if (!e)
		return KN_ENOMEM;
	pthread_mutex_lock(&e->run_mu);
	pthread_mutex_lock(&e->mu);
	e->dirty = false;
	e->last_run_ms = mono_ms();
	pthread_mutex_unlock(&e->mu);
	enum kn_err rc = update(db, e, false);
	pthread_mutex_unlock(&e->run_mu);
	return rc;
}

static void *analyst(void *arg)
{
	(void)arg;
	int64_t last_check = 0;
	pthread_mutex_lock(&L.mu);
	while (!L.stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&L.cv, &L.mu, &ts);
		if (L.stop)
			break;
		struct live *list = L.list;
		pthread_mutex_unlock(&L.mu);
		int64_t now = mono_ms();
		/* every interval, also look for votes written by other processes */
		bool poll = now - last_check >= L.interval_ms;
		if (poll)
			last_check = now;
		for (struct live *e = list; e; e = e->next) {
			pthread_mutex_lock(&e->mu);
			bool due = (e->dirty || poll) && now - e->last_run_ms >= L.interval_ms;
			if (due) {
				e->dirty = false;
				e->last_run_ms = now;
			}
			pthread_mutex_unlock(&e->mu);
			if (!due)
				continue;
			pthread_mutex_lock(&e->run_mu);
			enum kn_err rc = update(L.db, e, false);
			pthread_mutex_unlock(&e->run_mu);
			if (rc && rc != KN_ENOTFOUND)
				kn_error("consultation %lld: background analysis: %s", (long long)e->cid, kn_err_str(rc));
		}
		pthread_mutex_lock(&L.mu);
	}
	pthread_mutex_unlock(&L.mu);
	return NULL;
}

void kn_consult_start(struct kn_db *db, int interval_ms)
{
	kn_vote_writer_start(db, 2000);
	pthread_mutex_lock(&L.mu);
	if (!L.running) {
		L.db = db;
		L.interval_ms = interval_ms > 0 ? interval_ms : 3000;
		L.stop = false;
		L.running = pthread_create(&L.th, NULL, analyst, NULL) == 0;
		if (!L.running)
			kn_error("consultations: cannot start the analysis thread");
	}
	pthread_mutex_unlock(&L.mu);
}

void kn_consult_stop(void)
{
	kn_vote_writer_stop();
	pthread_mutex_lock(&L.mu);
	bool was = L.running;
	L.stop = true;
	pthread_cond_signal(&L.cv);
	pthread_mutex_unlock(&L.mu);
	if (was)
		pthread_join(L.th, NULL);
	pthread_mutex_lock(&L.mu);
	L.running = false;
	pthread_mutex_unlock(&L.mu);
}

void kn_consult_with_result(int64_t cid, void (*fn)(const struct kn_opinion_result *r, int64_t computed_at, void *arg),
                            void *arg)
{
	struct live *e = entry(cid, true);
	if (!e) {
		fn(NULL, 0, arg);
		return;
	}
	pthread_mutex_lock(&e->mu);
	fn(e->result, e->computed_at, arg);
	pthread_mutex_unlock(&e->mu);
}

/* The priority of a statement nobody has voted on yet (opinion-math.md
 * section 15 with S = A = P = 0 and extremity 0): ((1 - 1/2) * 1 * 1/2 * 9)^2. */
#define KN_PRIORITY_NEW 5.0625
#define KN_PRIORITY_META 49.0

void kn_consult_priorities(int64_t cid, const int64_t *ids, const bool *is_meta, size_t n, double *out)
{
	struct live *e = entry(cid, true);
	if (e)
		pthread_mutex_lock(&e->mu);
	for (size_t i = 0; i < n; i++) {
		long k = e && e->result ? kn_opinion_statement_index(e->result, ids[i]) : -1;
		if (is_meta[i])
			out[i] = KN_PRIORITY_META;
		else if (k >= 0)
			out[i] = e->result->statements[k].priority;
		else
			out[i] = KN_PRIORITY_NEW;
	}
	if (e)
		pthread_mutex_unlock(&e->mu);
}
