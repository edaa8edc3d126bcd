/* consult_votes.c: votes as small durable writes, and the vote writer: one
 * thread per process takes every vote queued by the request threads and
 * writes them in one transaction (group commit); each request waits until
 * the transaction holding its vote has committed (synchronous=FULL on
 * SQLite, a flushed WAL record on PostgreSQL) before it is answered. A vote
 * is refused (not an error) when it repeats the participant's latest value
 * for the statement, or the statement or consultation does not take votes;
 * the checks run inside the insert itself, so they hold for every process. */
#include "domain/consultation.h"
#include "core/arena.h"
#include "core/log.h"
#include "store/store.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int kn_vote_value(const char *s)
{
	if (!s)
		return -2;
	if (!strcmp(s, "agree") || !strcmp(s, "1"))
		return 1;
	if (!strcmp(s, "disagree") || !strcmp(s, "-1"))
		return -1;
	if (!strcmp(s, "pass") || !strcmp(s, "0"))
		return 0;
	return -2;
}

/* Milliseconds at the vote's (possibly test-moved) second, with the wall
 * clock's fraction so votes within a second keep their order. */
static int64_t vote_ms(int64_t now)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return now * 1000 + ts.tv_nsec / 1000000;
}

/* Why a vote was not inserted. */
static enum kn_err diagnose(struct kn_conn *c, struct kn_arena *a, struct kn_vote *v, int64_t now)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(c, a, &r,
	                        "SELECT c.closed, c.opens_at, c.closes_at, s.moderation FROM consultations c LEFT JOIN "
	                        "consultation_statements s ON s.consultation_id = c.id AND s.number = $2 WHERE c.id = $1",
	                        KN_INT(v->consultation_id), KN_INT(v->statement));
	if (rc)
		return rc;
	if (!r->n)
		v->outcome = KN_VOTE_CLOSED;
	else if (kn_row_i(r, 0, 0) || now < kn_row_i(r, 0, 1) || now >= kn_row_i(r, 0, 2))
		v->outcome = KN_VOTE_CLOSED;
	else if (!kn_row_s(r, 0, 3))
		v->outcome = KN_VOTE_NO_STATEMENT;
	else if (strcmp(kn_row_s(r, 0, 3), "accepted"))
		v->outcome = KN_VOTE_NOT_VOTABLE;
	else
		v->outcome = KN_VOTE_DUPLICATE;
	return KN_OK;
}

enum kn_err kn_vote_write(struct kn_conn *c, struct kn_arena *a, struct kn_vote *v, int n, int64_t now_default)
{
	for (int i = 0; i < n; i++) {
		int64_t now = v[i].now ? v[i].now : now_default;
		if (!v[i].at_ms)
			v[i].at_ms = vote_ms(now);
		struct kn_rows *r;
		enum kn_err rc = kn_sql(
		    c, a, &r,
		    "INSERT INTO consultation_votes (consultation_id, statement_id, participant_id, value, at_ms) "
		    "SELECT s.consultation_id, s.id, CAST($3 AS BIGINT), CAST($4 AS INTEGER), CAST($5 AS BIGINT) "
		    "FROM consultation_statements s JOIN consultations c ON c.id = s.consultation_id "
		    "JOIN consultation_participants p ON p.id = $3 AND p.consultation_id = s.consultation_id "
		    "WHERE s.consultation_id = $1 AND s.number = $2 AND s.moderation = 'accepted' AND c.closed = 0 "
		    "AND c.opens_at <= $6 AND c.closes_at > $6 AND COALESCE((SELECT w.value FROM consultation_votes w "
		    "WHERE w.participant_id = $3 AND w.statement_id = s.id ORDER BY w.id DESC LIMIT 1), 9) <> $4 "
		    "RETURNING id",
		    KN_INT(v[i].consultation_id), KN_INT(v[i].statement), KN_INT(v[i].participant_id), KN_INT(v[i].value),
		    KN_INT(v[i].at_ms), KN_INT(now));
		if (rc)
			return rc;
		if (r->n) {
			v[i].outcome = KN_VOTE_SAVED;
			v[i].id = kn_row_i(r, 0, 0);
		} else if ((rc = diagnose(c, a, &v[i], now))) {
			return rc;
		}
	}
	return KN_OK;
}

/* One transaction for n votes; on failure every vote is marked failed. */
static enum kn_err write_batch(struct kn_db *db, struct kn_vote **vs, int n)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	int64_t now = (int64_t)time(NULL);
	struct kn_vote *tmp = kn_alloc(a, sizeof(*tmp) * (size_t)n);
	for (int i = 0; i < n; i++)
		tmp[i] = *vs[i];
	enum kn_err rc = kn_db_begin(c);
	if (!rc) {
		rc = kn_vote_write(c, a, tmp, n, now);
		if (rc)
			kn_db_rollback(c);
		else
			rc = kn_db_commit(c);
	}
	kn_db_release(c);
	for (int i = 0; i < n; i++) {
		if (rc) {
			vs[i]->outcome = KN_VOTE_FAILED;
		} else {
			*vs[i] = tmp[i];
			if (tmp[i].outcome == KN_VOTE_SAVED)
				kn_consult_touch(tmp[i].consultation_id);
		}
	}
	kn_arena_free(a);
	return rc;
}

/* ---- the writer thread --------------------------------------------------------- */

struct item {
	struct kn_vote *v;
	enum kn_err rc;
	bool done;
	void (*cb)(void *arg, enum kn_err rc); /* async: called, then the item freed */
	void *cb_arg;
	pthread_cond_t cv; /* signalled when done: only this waiter wakes */
	struct item *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t work;
	struct item *head, *tail;
	bool running, stop;
	pthread_t th;
	struct kn_db *db;
	int max;
	uint64_t batches, votes;
} W = {.mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER};

static void *writer(void *arg)
{
	(void)arg;
	struct item **batch = calloc((size_t)W.max, sizeof(*batch));
	struct kn_vote **vs = calloc((size_t)W.max, sizeof(*vs));
	if (!batch || !vs) {
		kn_error("vote writer: out of memory");
		abort();
	}
	pthread_mutex_lock(&W.mu);
	for (;;) {
		while (!W.head && !W.stop)
			pthread_cond_wait(&W.work, &W.mu);
		if (!W.head && W.stop)
			break;
		int n = 0;
		while (W.head && n < W.max) {
			batch[n] = W.head;
			vs[n] = W.head->v;
			n++;
			W.head = W.head->next;
		}
		if (!W.head)
			W.tail = NULL;
		pthread_mutex_unlock(&W.mu);
		enum kn_err rc = write_batch(W.db, vs, n);
		/* asynchronous voters are answered outside the lock */
		for (int i = 0; i < n; i++)
			if (batch[i]->cb) {
				batch[i]->cb(batch[i]->cb_arg, rc);
				free(batch[i]);
				batch[i] = NULL;
			}
		pthread_mutex_lock(&W.mu);
		for (int i = 0; i < n; i++) {
			if (!batch[i])
				continue;
			batch[i]->rc = rc;
			batch[i]->done = true;
			pthread_cond_signal(&batch[i]->cv);
		}
		if (!rc) {
			W.batches++;
			W.votes += (uint64_t)n;
		}
	}
	pthread_mutex_unlock(&W.mu);
	free(batch);
	free(vs);
	return NULL;
}

void kn_vote_writer_start(struct kn_db *db, int max_batch)
{
	pthread_mutex_lock(&W.mu);
	if (W.running) {
		pthread_mutex_unlock(&W.mu);
		return;
	}
	W.db = db;
	W.max = max_batch > 0 ? max_batch : 1000;
	W.stop = false;
	W.running = pthread_create(&W.th, NULL, writer, NULL) == 0;
	if (!W.running)
		kn_error("vote writer: cannot start its thread; votes are written one by one");
	pthread_mutex_unlock(&W.mu);
}

void kn_vote_writer_stop(void)
{
	pthread_mutex_lock(&W.mu);
	if (!W.running) {
		pthread_mutex_unlock(&W.mu);
		return;
	}
	W.stop = true;
	pthread_cond_signal(&W.work);
	pthread_mutex_unlock(&W.mu);
	pthread_join(W.th, NULL); /* the queue is drained first */
	pthread_mutex_lock(&W.mu);
	W.running = false;
	pthread_mutex_unlock(&W.mu);
}

void kn_vote_writer_stats(uint64_t *batches, uint64_t *votes)
{
	pthread_mutex_lock(&W.mu);
	*batches = W.batches;
	*votes = W.votes;
	pthread_mutex_unlock(&W.mu);
}

enum kn_err kn_vote_cast(struct kn_db *db, struct kn_vote *v)
{
	if (v->value < -1 || v->value > 1)
		return KN_EINVAL;
	struct item it = {.v = v};
	pthread_cond_init(&it.cv, NULL);
	pthread_mutex_lock(&W.mu);
	if (!W.running || W.stop || W.db != db) {
		pthread_mutex_unlock(&W.mu);
		pthread_cond_destroy(&it.cv);
		struct kn_vote *one = v;
		return write_batch(db, &one, 1);
	}
	if (W.tail)
		W.tail->next = &it;
	else
		W.head = &it;
	W.tail = &it;
	pthread_cond_signal(&W.work);
	while (!it.done)
		pthread_cond_wait(&it.cv, &W.mu);
	pthread_mutex_unlock(&W.mu);
	pthread_cond_destroy(&it.cv);
	return it.rc;
}

bool kn_vote_cast_async(struct kn_db *db, struct kn_vote *v, void (*done)(void *arg, enum kn_err rc), void *arg)
{
	if (v->value < -1 || v->value > 1)
		return false;
	struct item *it = calloc(1, sizeof(*it));
	if (!it)
		return false;
	it->v = v;
	it->cb = done;
	it->cb_arg = arg;
	pthread_mutex_lock(&W.mu);
	if (!W.running || W.stop || W.db != db) {
		pthread_mutex_unlock(&W.mu);
		free(it);
		return false;
	}
	if (W.tail)
		W.tail->next = it;
	else
		W.head = it;
	W.tail = it;
	pthread_cond_signal(&W.work);
	pthread_mutex_unlock(&W.mu);
	return true;
}
