/* opendata.c: one open-data export in memory, shared by every request
 * (opendata.h). */
#include "app/opendata.h"
#include "app/app.h"
#include "app/jobs.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/tar.h"
#include "domain/record.h"
#include "store/store.h"
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct snapshot {
	struct kn_open_data d;    /* first: what callers get */
	struct kn_arena *a;       /* the files' names and bytes */
	const char **etags;       /* each file's ETag */
	struct kn_tar_file *tar;  /* the files, as the archive holds them */
	const char *tar_etag;
	atomic_int refs;          /* the current pointer's, each caller's, each answer's being sent */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;
static struct snapshot *cur; /* under mu */
static bool building;        /* under mu: one export made at a time */
static _Atomic uint64_t builds;

static void unref(struct snapshot *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		kn_arena_free(s->a);
		free(s);
	}
}

void kn_open_data_release(const struct kn_open_data *d)
{
	unref((struct snapshot *)d);
}

uint64_t kn_open_data_builds(void)
{
	return atomic_load(&builds);
}

/* The head an export was made at, and that event's time, from its
 * export.json. */
static void head_of(const struct kn_export_file *f, int n, int64_t *seq, int64_t *at)
{
	*seq = *at = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i].name, "export.json")) {
			json_t *j = json_loadb(f[i].data, f[i].len, 0, NULL);
			json_t *h = json_object_get(j, "head");
			*seq = json_integer_value(json_object_get(h, "seq"));
			*at = json_integer_value(json_object_get(h, "at"));
			json_decref(j);
		}
}

/* Makes an export on connection c and makes it the current one. It is made
 * in the snapshot's own arena, which keeps little but its files: the
 * export reads each table's rows into an arena of its own, let go once the
 * table's files are written. Called with building set; clears it. */
static enum kn_err build(struct kn_conn *c)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	struct kn_arena *a = s ? kn_arena_new() : NULL;
	enum kn_err rc = KN_ENOMEM;
	if (a) {
		struct kn_ctx x = {.a = a, .c = c, .now = kn_now(), .actor_role = "system"};
		struct kn_export_file *f;
		int n;
		rc = kn_export_build(&x, kn_key_installation(), &f, &n);
		if (!rc) {
			s->a = a;
			s->d = (struct kn_open_data){.f = f, .n = n, .made = kn_now()};
			head_of(f, n, &s->d.head_seq, &s->d.head_at);
			s->etags = kn_zalloc(a, sizeof(char *) * (size_t)(n + 1));
			s->tar = kn_zalloc(a, sizeof(*s->tar) * (size_t)(n + 1));
			for (int i = 0; i < n; i++) {
				s->etags[i] = kn_etag_of(a, f[i].data, f[i].len);
				s->tar[i] = (struct kn_tar_file){f[i].name, f[i].data, f[i].len};
				/* SHA256SUMS (always made) holds the digest of every file,
				 * so it tells versions of the archive apart */
				if (!strcmp(f[i].name, "SHA256SUMS"))
					s->tar_etag = kn_printf(a, "\"tar-%s", s->etags[i] + 1);
			}
			atomic_init(&s->refs, 1);
			atomic_fetch_add(&builds, 1);
		}
	}
	if (rc) {
		kn_arena_free(a);
		free(s);
		s = NULL;
	}
	pthread_mutex_lock(&mu);
	building = false;
	if (s) {
		struct snapshot *old = cur;
		cur = s;
		unref(old);
	}
	pthread_cond_broadcast(&done);
	pthread_mutex_unlock(&mu);
	return rc;
}

/* Whether the current export is due to be made again: the log has moved
 * on since, and it is open_data_minutes old. Under mu. */
static bool due(int64_t head)
{
	return cur && cur->d.head_seq != head && kn_now() - cur->d.made >= kn_cfg.open_data_minutes * 60;
}

static enum kn_err head_now(struct kn_conn *c, struct kn_arena *a, int64_t *head)
{
	struct kn_rows *h;
	enum kn_err rc = kn_sql0(c, a, &h, "SELECT seq FROM event_head WHERE id = 1");
	*head = !rc && h->n ? kn_row_i(h, 0, 0) : 0;
	return rc;
}

void kn_open_data_refresh(struct kn_db *db)
{
	pthread_mutex_lock(&mu);
	bool asked = building && cur; /* a request found it due and left the making here */
	pthread_mutex_unlock(&mu);
	if (!asked)
		return;
	struct kn_conn *c = kn_db_acquire(db);
	enum kn_err rc = build(c);
	if (rc)
		kn_error("open data: %s: %s", kn_err_str(rc), kn_conn_errmsg(c));
	kn_db_release(c);
}

uint64_t kn_open_data_tar_size(const struct kn_open_data *d)
{
	const struct snapshot *s = (const struct snapshot *)d;
	return kn_tar_size(s->tar, d->n);
}

/* An answer being sent: the export it reads, held until it is done. */
struct sending {
	struct snapshot *s;
	const char *data; /* one file's bytes; NULL: the archive */
	size_t len;
};

static ssize_t send_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sending *o = cls;
	if (!o->data) {
		size_t k = kn_tar_read(o->s->tar, o->s->d.n, o->s->d.head_at, pos, buf, max);
		return k ? (ssize_t)k : -1; /* -1: the end */
	}
	if (pos >= o->len)
		return -1;
	size_t k = o->len - pos < max ? (size_t)(o->len - pos) : max;
	memcpy(buf, o->data + pos, k);
	return (ssize_t)k;
}

static void send_done(void *cls)
{
	struct sending *o = cls;
	unref(o->s);
	free(o);
}

bool kn_open_data_send(struct kn_req *r, const struct kn_open_data *d, const char *name)
{
	struct snapshot *s = (struct snapshot *)d;
	int i = 0;
	bool tar = !strcmp(name, KN_OPEN_DATA_TAR);
	while (!tar && i < d->n && strcmp(d->f[i].name, name))
		i++;
	if (!tar && i == d->n)
		return false;
	struct sending *o = calloc(1, sizeof(*o));
	if (!o) {
		kn_fail_err(r, KN_ENOMEM);
		return true;
	}
	o->s = s;
	atomic_fetch_add(&s->refs, 1);
	if (tar) {
		kn_req_body_source(r, kn_tar_size(s->tar, d->n), send_read, send_done, o);
		r->ctype = "application/x-tar";
		r->etag = s->tar_etag;
		kn_req_add_header(r, "Content-Disposition",
		                  kn_printf(r->a, "attachment; filename=\"kenes-open-data-%lld.tar\"", (long long)d->head_seq));
	} else {
		o->data = d->f[i].data;
		o->len = d->f[i].len;
		kn_req_body_source(r, d->f[i].len, send_read, send_done, o);
		r->ctype = d->f[i].ctype;
		r->etag = s->etags[i];
	}
	r->status = 200;
	return true;
}

enum kn_err kn_open_data_get(struct kn_req *r, const struct kn_open_data **out)
{
	int64_t head;
	enum kn_err rc = head_now(kn_req_db(r), r->a, &head);
	if (rc)
		return rc;
	pthread_mutex_lock(&mu);
	while (!cur && building)
		pthread_cond_wait(&done, &mu); /* the first one, being made */
	bool here = !cur; /* none yet (the first request since the start): made here, once */
	if (cur && !building && due(head)) {
		/* made again by the background job, not in a request (here only
		 * when that job is not running) */
		building = true;
		here = !kn_jobs_wake_open_data();
	}
	if (!here) {
		/* the current one, also while a newer one is being made */
		atomic_fetch_add(&cur->refs, 1);
		*out = &cur->d;
		pthread_mutex_unlock(&mu);
		return KN_OK;
	}
	building = true;
	pthread_mutex_unlock(&mu);
	if ((rc = build(kn_req_db(r))))
		return rc;
	pthread_mutex_lock(&mu);
	if (!cur) {
		pthread_mutex_unlock(&mu);
		return KN_EDB;
	}
	atomic_fetch_add(&cur->refs, 1);
	*out = &cur->d;
	pthread_mutex_unlock(&mu);
	return KN_OK;
}
