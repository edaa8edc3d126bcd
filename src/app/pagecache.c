/* pagecache.c: a bounded cache of anonymous public pages, each served while
 * none of the tables its render read has changed. */
#include "app/pagecache.h"
#include "app/app.h"
#include "core/arena.h"
#include "http/server.h"
#include "store/store.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 2048              /* power of two */
#define MAX_BYTES (24u << 20)   /* bodies held at most */
#define MAX_BODY (256u << 10)   /* larger pages are not cached */

struct entry {
	char *key;
	void *resp; /* the ready response (kn_server_prepare), one reference */
	size_t len;
	const char *ctype; /* static strings only */
	char etag[48]; /* "<32 hex digits>" */
	uint64_t gen;   /* the generation before the render read anything */
	uint64_t reads; /* the tables it read (kn_conn_reads) */
	int64_t made; /* kn_now() when rendered */
	int route;    /* the route that rendered it (for metrics) */
};

/* Pages also change with the clock alone (an assignment becomes overdue at
 * midnight in its council's zone): an entry is served for at most this
 * long. kn_now() includes the tests' clock, so moving it expires entries. */
#define TTL_SECONDS 60

static struct entry slots[SLOTS];
static size_t bytes;
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static _Atomic uint64_t hits, misses, entries;
static _Atomic int64_t head_checked_ms;

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Another process may have written: its events move the log's head further
 * than this process's own appends did. Then every table counts as changed
 * (which tables the other process wrote is not known here). */
static pthread_mutex_t head_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t head_seq = -1;
static uint64_t head_own; /* this process's committed events at that reading */
static int head_unread;   /* checks in a row left for the next one */

static void check_head(struct kn_req *r)
{
	int64_t t = now_ms();
	if (t - head_checked_ms < 250 || pthread_mutex_trylock(&head_mu))
		return;
	head_checked_ms = t;
	struct kn_rows *rows;
	/* our own count before and after the head: a commit of ours under way
	 * then, or finished in between, could put events in the head that the
	 * count misses, and would look like another process's; such a reading
	 * is left for the next check */
	uint64_t own, own_after;
	if (kn_db_events_committed(&own) &&
	    !kn_sql0(kn_req_db(r), r->a, &rows, "SELECT seq FROM event_head WHERE id = 1") && rows->n == 1 &&
	    kn_db_events_committed(&own_after) && own_after == own) {
		int64_t seq = kn_row_i(rows, 0, 0);
		if (head_seq >= 0 && (uint64_t)(seq - head_seq) != own - head_own)
			kn_db_generation_bump();
		head_seq = seq;
		head_own = own;
		head_unread = 0;
	} else if (++head_unread >= 8) {
		/* two seconds of writes without a clean reading: count every
		 * table changed (a re-render) rather than miss another's writes */
		kn_db_generation_bump();
		head_unread = 0;
	}
	pthread_mutex_unlock(&head_mu);
}

bool kn_pagecache_get(struct kn_req *r, const char *key, int *route_index)
{
	check_head(r);
	struct entry *e = &slots[hash(key) & (SLOTS - 1)];
	bool hit = false;
	pthread_rwlock_rdlock(&lock);
	int64_t now = kn_now();
	if (e->key && now - e->made < TTL_SECONDS && now >= e->made && kn_tables_unchanged_since(e->reads, e->gen) &&
	    !strcmp(e->key, key)) {
		const char *inm = kn_req_header(r, "If-None-Match");
		r->ctype = e->ctype;
		r->etag = kn_strdup(r->a, e->etag);
		r->status = 200;
		*route_index = e->route;
		if (inm && (strstr(inm, e->etag) || !strcmp(inm, "*"))) {
			/* the dispatcher answers 304 from the ETag */
		} else {
			kn_server_prepared_ref(e->resp);
			r->prepared = e->resp;
			r->prepared_len = e->len;
		}
		hit = true;
	}
	pthread_rwlock_unlock(&lock);
	if (hit)
		hits++;
	else
		misses++;
	return hit;
}

void kn_pagecache_put(struct kn_req *r, const char *key, const char *etag, int route_index)
{
	if (r->out.len > MAX_BODY || !r->ctype || strlen(etag) >= sizeof(slots[0].etag))
		return;
	char *k = strdup(key);
	void *resp = k ? kn_server_prepare(r) : NULL;
	if (!resp) {
		free(k);
		return;
	}
	struct entry *e = &slots[hash(key) & (SLOTS - 1)];
	pthread_rwlock_wrlock(&lock);
	if (e->key) {
		bytes -= e->len;
		free(e->key);
		kn_server_prepared_unref(e->resp);
		entries--;
	}
	if (bytes + r->out.len > MAX_BYTES) {
		/* full: start again rather than track recency */
		for (int i = 0; i < SLOTS; i++) {
			free(slots[i].key);
			if (slots[i].resp)
				kn_server_prepared_unref(slots[i].resp);
			slots[i].key = NULL;
			slots[i].resp = NULL;
		}
		bytes = 0;
		entries = 0;
	}
	e->key = k;
	e->resp = resp;
	e->len = r->out.len;
	e->ctype = r->ctype;
	memcpy(e->etag, etag, strlen(etag) + 1);
	e->gen = r->cache_gen;
	e->reads = r->db ? kn_conn_reads(r->db) : 0;
	e->made = r->now;
	e->route = route_index;
	bytes += e->len;
	entries++;
	pthread_rwlock_unlock(&lock);
}

void kn_pagecache_stats(uint64_t *n, uint64_t *h, uint64_t *m)
{
	*n = entries;
	*h = hits;
	*m = misses;
}
