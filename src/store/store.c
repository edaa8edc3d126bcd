/* store.c: the connection pool and the backend-independent half of the store. */
#include "store/driver.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A cell's integer: the cells are canonical decimals (both drivers write
 * them so), read here, where strtoll's locale and base handling cost ~200
 * instructions a cell, 7 % of a page of 50 assignments (callgrind);
 * anything else (a sign, 19 digits or more, a real) is strtoll's. */
int64_t kn_cell_text_i(const char *s)
{
	if (!s)
		return 0;
	int64_t v = 0;
	int n = 0;
	for (; s[n] >= '0' && s[n] <= '9' && n < 18; n++)
		v = v * 10 + (s[n] - '0');
	if (n > 0 && !s[n])
		return v;
	return strtoll(s, NULL, 10);
}

int64_t kn_row_i(const struct kn_rows *r, int row, int col)
{
	return kn_cell_text_i(kn_row_s(r, row, col));
}

const char *kn_cell_digits(const struct kn_cells *row, int col)
{
	/* the row's arrays are the backend's own, writable where num is given */
	char *d = kn_itoa(row->digits[col], (long long)row->num[col]);
	row->digits[col][24] = 0; /* after kn_itoa's 24 */
	((const char **)row->v)[col] = d;
	((size_t *)row->len)[col] = (size_t)(row->digits[col] + 24 - d);
	return d;
}

void kn_conn_seterr(struct kn_conn *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
}

static char *redact(const char *url)
{
	/* postgres://user:secret@host -> postgres://user:***@host */
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = scheme ? memchr(scheme + 3, ':', at ? (size_t)(at - scheme - 3) : 0) : NULL;
	if (!at || !colon)
		return strdup(url);
	size_t head = (size_t)(colon - url) + 1;
	size_t len = head + 3 + strlen(at) + 1;
	char *out = malloc(len);
	if (out)
		snprintf(out, len, "%.*s***%s", (int)head, url, at);
	return out;
}

struct kn_db *kn_db_open(const char *url, int size, char *err, size_t errlen)
{
	const struct kn_driver *drv;
	const char *target;
	if (!strncmp(url, "sqlite:", 7)) {
		drv = &kn_driver_sqlite;
		target = url + 7;
		if (!*target) {
			snprintf(err, errlen, "sqlite: needs a file path, e.g. sqlite:kenes.db");
			return NULL;
		}
	} else if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13)) {
		drv = &kn_driver_pg;
		target = url;
	} else {
		snprintf(err, errlen, "unknown database '%s': use sqlite:PATH or postgres://...", url);
		return NULL;
	}
	if (size < 1)
		size = 1;
	struct kn_db *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->drv = drv;
	db->target = strdup(target);
	db->redacted = redact(url);
	db->size = size;
	db->conns = calloc((size_t)size, sizeof(*db->conns));
	pthread_mutex_init(&db->mu, NULL);
	pthread_mutex_init(&db->write_mu, NULL);
	pthread_cond_init(&db->cv, NULL);
	if (!db->target || !db->redacted || !db->conns) {
		snprintf(err, errlen, "out of memory");
		kn_db_close(db);
		return NULL;
	}
	for (int i = 0; i < size; i++) {
		struct kn_conn *c = &db->conns[i];
		c->db = db;
		c->h = drv->connect(db->target, err, errlen);
		if (!c->h) {
			kn_db_close(db);
			return NULL;
		}
		c->next_free = db->free_list;
		db->free_list = c;
	}
	return db;
}

void kn_db_close(struct kn_db *db)
{
	if (!db)
		return;
	if (db->conns)
		for (int i = 0; i < db->size; i++)
			if (db->conns[i].h)
				db->drv->disconnect(db->conns[i].h);
	free(db->conns);
	free(db->target);
	free(db->redacted);
	pthread_mutex_destroy(&db->mu);
	pthread_mutex_destroy(&db->write_mu);
	pthread_cond_destroy(&db->cv);
	free(db);
}

enum kn_db_kind kn_db_kind(const struct kn_db *db)
{
	return db->drv->kind;
}

enum kn_db_kind kn_conn_kind(const struct kn_conn *c)
{
	return c->db->drv->kind;
}

const char *kn_db_url_redacted(const struct kn_db *db)
{
	return db->redacted;
}

struct kn_conn *kn_db_acquire(struct kn_db *db)
{
	pthread_mutex_lock(&db->mu);
	while (!db->free_list)
		pthread_cond_wait(&db->cv, &db->mu);
	struct kn_conn *c = db->free_list;
	db->free_list = c->next_free;
	db->busy++;
	pthread_mutex_unlock(&db->mu);
	if (c->broken) {
		/* a connection that failed hard is replaced before reuse */
		char err[256];
		void *h = db->drv->connect(db->target, err, sizeof(err));
		if (h) {
			db->drv->disconnect(c->h);
			c->h = h;
			c->cache = NULL;
			c->broken = false;
		} else {
			kn_error("database reconnect failed: %s", err);
		}
	}
	c->errmsg[0] = 0;
	c->snapshot = c->in_read = false;
	c->reads = c->writes = 0;
	c->pending_events = 0;
	return c;
}

static void end_read(struct kn_conn *c)
{
	c->snapshot = false;
	if (c->in_read && c->db->drv->end_read)
		c->db->drv->end_read(c);
	c->in_read = false;
}

void kn_db_snapshot(struct kn_conn *c)
{
	if (c->db->drv->end_read && !c->in_tx)
		c->snapshot = true;
}

void kn_db_release(struct kn_conn *c)
{
	if (!c)
		return;
	if (c->in_tx)
		kn_db_rollback(c);
	end_read(c);
	struct kn_db *db = c->db;
	pthread_mutex_lock(&db->mu);
	c->next_free = db->free_list;
	db->free_list = c;
	db->busy--;
	pthread_cond_signal(&db->cv);
	pthread_mutex_unlock(&db->mu);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A statement run by the driver, timed, its tables noted (read: for the
 * page cache; written: changed now, or at the commit) and counted. */
static enum kn_err run(struct kn_conn *c, struct kn_arena *a, const char *sql, int np, const struct kn_param *p,
                       kn_row_fn fn, void *arg, int *cols)
{
	double t0 = now_s();
	enum kn_err rc = c->db->drv->query(c, a, sql, np, p, fn, arg, cols);
	double dt = now_s() - t0;
	uint64_t reads, writes;
	kn_sql_tables(sql, &reads, &writes);
	c->reads |= reads;
	if (writes) {
		if (c->in_tx)
			c->writes |= writes;
		else
			kn_tables_changed(writes); /* committed by itself */
	}
	struct kn_db *db = c->db;
	db->queries++;
	db->nanos += (uint64_t)(dt * 1e9);
	if (rc)
		db->errors++;
	if (rc == KN_EDB)
		kn_error("database: %s (in: %.120s)", c->errmsg, sql);
	return rc;
}

void kn_cells_keep(struct kn_arena *a, const struct kn_cells *row, char **v)
{
	/* one allocation a row, not one a cell (a list of 500 records has
	 * 5,500 cells) */
	size_t total = 0;
	for (int j = 0; j < row->cols; j++)
		if (kn_cell_s(row, j))
			total += row->len[j] + 1;
	char *mem = total ? kn_alloc(a, total) : NULL;
	for (int j = 0; j < row->cols; j++) {
		v[j] = NULL;
		if (!row->v[j])
			continue;
		memcpy(mem, row->v[j], row->len[j]);
		mem[row->len[j]] = 0;
		v[j] = mem;
		mem += row->len[j] + 1;
	}
}

struct kn_cells kn_cells_kept(struct kn_arena *a, const struct kn_cells *row)
{
	char **v = kn_alloc(a, sizeof(*v) * (size_t)(row->cols ? row->cols : 1));
	kn_cells_keep(a, row, v);
	return (struct kn_cells){.cols = row->cols, .v = (const char *const *)v, .len = row->len};
}

/* kn_sql's rows, gathered into the arena as the driver hands them over */
struct gather {
	struct kn_arena *a;
	struct kn_rows *r;
	int cap;
};

static bool gather_row(void *arg, const struct kn_cells *row)
{
	struct gather *g = arg;
	struct kn_rows *r = g->r;
	int cols = row->cols;
	if (r->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		char **nv = kn_alloc(g->a, sizeof(char *) * (size_t)g->cap * (size_t)(cols ? cols : 1));
		if (r->n)
			memcpy(nv, r->v, sizeof(char *) * (size_t)r->n * (size_t)cols);
		r->v = nv;
	}
	kn_cells_keep(g->a, row, &r->v[r->n * cols]);
	r->n++;
	return true;
}

enum kn_err kn_db_query_(struct kn_conn *c, struct kn_arena *a, const char *sql, struct kn_rows **out, int np,
                         const struct kn_param *p)
{
	int cols = 0;
	if (!out)
		return run(c, a, sql, np, p, NULL, NULL, &cols);
	struct gather g = {.a = a, .r = kn_zalloc(a, sizeof(struct kn_rows))};
	enum kn_err rc = run(c, a, sql, np, p, gather_row, &g, &cols);
	g.r->cols = cols;
	*out = g.r;
	return rc;
}

enum kn_err kn_db_each_(struct kn_conn *c, struct kn_arena *a, const char *sql, kn_row_fn fn, void *arg, int np,
                        const struct kn_param *p)
{
	int cols = 0;
	return run(c, a, sql, np, p, fn, arg, &cols);
}

enum kn_err kn_db_count_(struct kn_conn *c, struct kn_arena *a, const char *sql, int *n, int np,
                         const struct kn_param *p)
{
	struct kn_rows *r;
	enum kn_err rc = kn_db_query_(c, a, sql, &r, np, p);
	if (!rc)
		*n = r->n ? (int)kn_row_i(r, 0, 0) : 0;
	return rc;
}

enum kn_err kn_db_begin(struct kn_conn *c)
{
	if (c->in_tx) {
		kn_conn_seterr(c, "nested transaction");
		return KN_EDB;
	}
	end_read(c); /* a write sees the latest data, not the request's snapshot */
	/* SQLite has one writer: queue for it here rather than in its busy
	 * handler's sleeps (other processes still meet the busy timeout) */
	bool serial = c->db->drv->kind == KN_DB_SQLITE;
	if (serial)
		pthread_mutex_lock(&c->db->write_mu);
	enum kn_err rc = c->db->drv->script(c, c->db->drv->begin_sql);
	if (!rc)
		c->in_tx = true;
	else if (serial)
		pthread_mutex_unlock(&c->db->write_mu);
	return rc;
}

enum kn_err kn_db_begin_read(struct kn_conn *c)
{
	if (c->in_tx) {
		kn_conn_seterr(c, "nested transaction");
		return KN_EDB;
	}
	end_read(c);
	/* SQLite: deferred, its snapshot taken at the first read and no writer
	 * kept waiting; PostgreSQL: one snapshot for every statement */
	enum kn_err rc = c->db->drv->script(c, c->db->drv->kind == KN_DB_SQLITE
	                                           ? "BEGIN"
	                                           : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
	if (!rc)
		c->in_tx = c->read_tx = true;
	return rc;
}

uint64_t kn_conn_reads(const struct kn_conn *c)
{
	return c->reads;
}

static _Atomic uint64_t events_committed;
static _Atomic int event_commits_open; /* commits holding events, under way */

void kn_db_event_appended(struct kn_conn *c)
{
	c->pending_events++;
}

bool kn_db_events_committed(uint64_t *n)
{
	*n = events_committed;
	return event_commits_open == 0;
}

enum kn_err kn_db_commit(struct kn_conn *c)
{
	/* counted open before the COMMIT goes out, so that nobody can see its
	 * events in the log while this count still misses them */
	bool events = c->pending_events > 0;
	if (events)
		event_commits_open++;
	enum kn_err rc = c->db->drv->script(c, "COMMIT");
	/* also after a failed commit: better a re-render than a stale page */
	kn_tables_changed(c->writes);
	c->writes = 0;
	if (!rc)
		events_committed += (uint64_t)c->pending_events;
	if (events)
		event_commits_open--;
	c->pending_events = 0;
	if (rc) {
		kn_error("database commit failed: %s", c->errmsg);
		c->db->drv->script(c, "ROLLBACK");
	}
	c->in_tx = false;
	if (c->db->drv->kind == KN_DB_SQLITE && !c->read_tx)
		pthread_mutex_unlock(&c->db->write_mu);
	c->read_tx = false;
	return rc;
}

void kn_db_rollback(struct kn_conn *c)
{
	if (!c->in_tx)
		return;
	if (c->db->drv->script(c, "ROLLBACK"))
		c->broken = true;
	c->in_tx = false;
	c->writes = 0;
	c->pending_events = 0;
	if (c->db->drv->kind == KN_DB_SQLITE && !c->read_tx)
		pthread_mutex_unlock(&c->db->write_mu);
	c->read_tx = false;
}

bool kn_db_in_tx(const struct kn_conn *c)
{
	return c->in_tx;
}

const char *kn_conn_errmsg(const struct kn_conn *c)
{
	return c->errmsg;
}

enum kn_err kn_db_backup(struct kn_db *db, const char *dest, char *err, size_t errlen)
{
	if (db->drv->kind != KN_DB_SQLITE) {
		snprintf(err, errlen,
		         "backup of PostgreSQL is done with its own tools: pg_dump -Fc for a "
		         "consistent logical copy while serving, or pg_basebackup for a physical one");
		return KN_EINVAL;
	}
	struct kn_conn *c = kn_db_acquire(db);
	enum kn_err rc = kn_sqlite_backup(c->h, dest, err, errlen);
	kn_db_release(c);
	return rc;
}

void kn_db_stats(struct kn_db *db, struct kn_db_stats *out)
{
	pthread_mutex_lock(&db->mu);
	out->queries = db->queries;
	out->errors = db->errors;
	out->seconds = (double)db->nanos / 1e9;
	out->pool_size = db->size;
	out->pool_busy = db->busy;
	pthread_mutex_unlock(&db->mu);
}
