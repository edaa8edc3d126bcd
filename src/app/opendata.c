/* opendata.c: one open-data export in memory, shared by every request
 * (opendata.h). */
#include "app/opendata.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/config.h"
#include "domain/record.h"
#include "store/store.h"
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct snapshot {
	struct kn_open_data d; /* first: what callers get */
	struct kn_arena *a;    /* the files' names and bytes */
	atomic_int refs;       /* the current pointer's, and each caller's */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;
static struct snapshot *cur; /* under mu */
static bool building;        /* under mu */
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

/* The head an export was made at, from its export.json. */
static int64_t head_of(const struct kn_export_file *f, int n)
{
	int64_t seq = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i].name, "export.json")) {
			json_t *j = json_loadb(f[i].data, f[i].len, 0, NULL);
			seq = json_integer_value(json_object_get(json_object_get(j, "head"), "seq"));
			json_decref(j);
		}
	return seq;
}

/* Builds an export; the records it read are freed at once, the files are
 * copied into the snapshot's own arena. */
static enum kn_err build(struct kn_req *r, struct snapshot **out)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	x.a = kn_arena_new();
	struct kn_export_file *f;
	int n;
	enum kn_err rc = kn_export_build(&x, kn_key_installation(), &f, &n);
	struct snapshot *s = NULL;
	if (!rc) {
		s = calloc(1, sizeof(*s));
		struct kn_arena *a = s ? kn_arena_new() : NULL;
		if (!a) {
			free(s);
			kn_arena_free(x.a);
			return KN_ENOMEM;
		}
		struct kn_export_file *g = kn_zalloc(a, sizeof(*g) * (size_t)(n + 1));
		for (int i = 0; i < n; i++) {
			g[i] = f[i];
			g[i].name = kn_strdup(a, f[i].name);
			g[i].description = kn_strdup(a, f[i].description);
			g[i].data = kn_strndup(a, f[i].data, f[i].len);
		}
		s->a = a;
		s->d = (struct kn_open_data){.f = g, .n = n, .head_seq = head_of(g, n), .made = kn_now()};
		atomic_init(&s->refs, 1);
		atomic_fetch_add(&builds, 1);
	}
	kn_arena_free(x.a);
	*out = s;
	return rc;
}

enum kn_err kn_open_data_get(struct kn_req *r, const struct kn_open_data **out)
{
	struct kn_rows *h;
	enum kn_err rc = kn_sql0(kn_req_db(r), r->a, &h, "SELECT seq FROM event_head WHERE id = 1");
	if (rc)
		return rc;
	int64_t head = h->n ? kn_row_i(h, 0, 0) : 0;
	pthread_mutex_lock(&mu);
	for (;;) {
		bool due = !cur || (cur->d.head_seq != head && kn_now() - cur->d.made >= kn_cfg.open_data_minutes * 60);
		if (cur && (!due || building)) {
			/* current, or being made again: this one meanwhile */
			atomic_fetch_add(&cur->refs, 1);
			*out = &cur->d;
			pthread_mutex_unlock(&mu);
			return KN_OK;
		}
		if (!building)
			break;
		pthread_cond_wait(&done, &mu); /* the first one, being made */
	}
	building = true;
	pthread_mutex_unlock(&mu);
	struct snapshot *s;
	rc = build(r, &s);
	pthread_mutex_lock(&mu);
	building = false;
	if (!rc) {
		struct snapshot *old = cur;
		cur = s;
		atomic_fetch_add(&s->refs, 1); /* the caller's */
		*out = &s->d;
		unref(old);
	}
	pthread_cond_broadcast(&done);
	pthread_mutex_unlock(&mu);
	return rc;
}
