/* jobs.c: background threads of kenes serve: the checkpoint signer (every
 * checkpoint_events events or checkpoint_minutes), the outbox sender, and
 * the open-data maker (when a request found the export due). */
#include "app/jobs.h"
#include "app/app.h"
#include "app/opendata.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "domain/outbox.h"
#include "domain/record.h"
#include "store/store.h"
#include "view/view.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static struct kn_db *jobs_db;
static pthread_t cp_thread, ob_thread, od_thread;
static bool cp_running, ob_running;
static _Atomic bool od_running, od_asked;
static _Atomic bool stopping;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

/* Sleeps up to ms, waking early on stop. */
static void nap(long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&mu);
	if (!stopping)
		pthread_cond_timedwait(&cv, &mu, &ts);
	pthread_mutex_unlock(&mu);
}

const char *kn_jobs_base_url(void)
{
	static char url[300];
	if (kn_cfg.base_url && *kn_cfg.base_url) {
		size_t n = strlen(kn_cfg.base_url);
		snprintf(url, sizeof(url), "%.*s", (int)(n && kn_cfg.base_url[n - 1] == '/' ? n - 1 : n), kn_cfg.base_url);
	} else {
		snprintf(url, sizeof(url), "http://%s", kn_cfg.listen);
	}
	return url;
}

static void *checkpointer(void *arg)
{
	const struct kn_key *k = arg;
	while (!stopping) {
		struct kn_arena *a = kn_arena_new();
		struct kn_conn *c = kn_db_acquire(jobs_db);
		struct kn_ctx x = {.a = a, .c = c, .now = kn_now()};
		int64_t made = 0;
		enum kn_err rc = kn_db_begin(c);
		if (!rc) {
			rc = kn_checkpoint_maybe(&x, k, false, kn_cfg.checkpoint_events, kn_cfg.checkpoint_minutes * 60, &made);
			if (!rc)
				rc = kn_db_commit(c);
			else
				kn_db_rollback(c);
		}
		if (rc)
			kn_error("checkpoint: %s: %s", kn_err_str(rc), kn_conn_errmsg(c));
		else if (made)
			kn_info("checkpoint signed at event %lld", (long long)made);
		kn_db_release(c);
		kn_arena_free(a);
		nap(1000);
	}
	return NULL;
}

static void *sender(void *arg)
{
	(void)arg;
	const char *base = kn_jobs_base_url();
	while (!stopping) {
		int sent = 0;
		int64_t wait = -1;
		enum kn_err rc = kn_outbox_pass(jobs_db, kn_view_telegram, base, kn_now, &stopping, &sent, &wait);
		/* new events are looked for every second; a due retry sooner */
		nap(rc ? 5000 : (wait >= 0 && wait < 1 ? 200 : 1000));
	}
	return NULL;
}

bool kn_jobs_wake_open_data(void)
{
	if (!od_running)
		return false;
	pthread_mutex_lock(&mu);
	od_asked = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return true;
}

static void *open_data_maker(void *arg)
{
	(void)arg;
	while (!stopping) {
		pthread_mutex_lock(&mu);
		while (!od_asked && !stopping)
			pthread_cond_wait(&cv, &mu);
		od_asked = false;
		pthread_mutex_unlock(&mu);
		if (!stopping)
			kn_open_data_refresh(jobs_db);
	}
	return NULL;
}

void kn_jobs_start(struct kn_db *db)
{
	jobs_db = db;
	stopping = false;
	const struct kn_key *k = kn_key_installation();
	if (k)
		cp_running = pthread_create(&cp_thread, NULL, checkpointer, (void *)k) == 0;
	ob_running = pthread_create(&ob_thread, NULL, sender, NULL) == 0;
	if (!ob_running)
		kn_error("cannot start the outbox sender thread");
	od_running = pthread_create(&od_thread, NULL, open_data_maker, NULL) == 0;
	if (!od_running)
		kn_error("cannot start the open-data thread: the export is made again in requests");
}

void kn_jobs_stop(void)
{
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	if (cp_running)
		pthread_join(cp_thread, NULL);
	if (ob_running)
		pthread_join(ob_thread, NULL);
	if (od_running)
		pthread_join(od_thread, NULL);
	cp_running = ob_running = false;
	od_running = false;
}
