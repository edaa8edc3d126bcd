/* scanner.c: the deadline scanner and mail sender thread of kenes serve. */
#include "app/scanner.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "domain/appeal.h"
#include "domain/mailq.h"
#include "store/store.h"
#include <pthread.h>
#include <time.h>

static pthread_t thread;
static bool running, stopping;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

enum kn_err kn_scanner_run_once(struct kn_db *db, int64_t now, int *steps, int *skipped, int *sent, int *failed)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = now, .actor_name = "deadline scanner", .actor_role = "system"};
	struct kn_tick_report rep;
	enum kn_err rc = kn_appeal_tick(&x, &rep);
	int s = 0, f = 0;
	if (!rc)
		rc = kn_mailq_run(&x, 100, &s, &f);
	if (rc)
		kn_error("scanner: %s: %s", kn_err_str(rc), kn_conn_errmsg(c));
	if (steps)
		*steps = rep.reminders + rep.breaches + rep.flagged + rep.agenda;
	if (skipped)
		*skipped = rep.skipped;
	if (sent)
		*sent = s;
	if (failed)
		*failed = f;
	kn_db_release(c);
	kn_arena_free(a);
	return rc;
}

static void *loop(void *arg)
{
	struct kn_db *db = arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		pthread_mutex_unlock(&mu);
		int steps = 0, sent = 0, failed = 0;
		kn_scanner_run_once(db, kn_now(), &steps, NULL, &sent, &failed);
		if (steps || sent || failed)
			kn_info("scanner: %d escalation step(s), %d e-mail(s) sent, %d failed", steps, sent, failed);
		pthread_mutex_lock(&mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += kn_cfg.scan_interval;
		while (!stopping && pthread_cond_timedwait(&cv, &mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

void kn_scanner_start(struct kn_db *db)
{
	if (kn_cfg.scan_interval <= 0 || running)
		return;
	stopping = false;
	if (pthread_create(&thread, NULL, loop, db) == 0)
		running = true;
	else
		kn_error("scanner: cannot start its thread");
}

void kn_scanner_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	running = false;
}
