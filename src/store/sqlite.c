/* sqlite.c: the SQLite backend (WAL, foreign keys, busy timeout, cached statements). */
#include "store/driver.h"
#include "core/arena.h"
#include "core/buf.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_BITS 10 /* 1024 slots: above the program's distinct SQL texts (some 500) */
#define CACHE_SLOTS (1u << CACHE_BITS)
#define MAX_PARAMS 64

struct cached {
	const char *sql; /* the literal's address is the key */
	sqlite3_stmt *st;
	int map[MAX_PARAMS + 1]; /* $n -> bind index, 0 if absent */
};

struct sconn {
	sqlite3 *db;
	struct cached cache[CACHE_SLOTS];
};

/* Before SQLite's first use: no global allocation statistics (they take a
 * process-wide mutex around every malloc inside SQLite, which serialised
 * the request threads' reads). */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void *sq_connect(const char *path, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_once);
	struct sconn *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	int rc = sqlite3_open_v2(path, &s->db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	/* constant pragmas, no input in them */
	static const char *const pragmas[] = {
	    "PRAGMA journal_mode=WAL",
	    "PRAGMA foreign_keys=ON",
	    "PRAGMA synchronous=FULL",
	};
	for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		char *msg = NULL;
		if (sqlite3_exec(s->db, pragmas[i], NULL, NULL, &msg) != SQLITE_OK) { /* checksrc: ok */
			snprintf(err, errlen, "%s: %s: %s", path, pragmas[i], msg ? msg : "failed");
			sqlite3_free(msg);
			sqlite3_close(s->db);
			free(s);
			return NULL;
		}
	}
	return s;
}

static void sq_disconnect(void *h)
{
	struct sconn *s = h;
	for (unsigned i = 0; i < CACHE_SLOTS; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_close(s->db);
	free(s);
}

/* sql compiled into e (flags: sqlite3_prepare_v3's), its $N mapped to
 * bind indexes; false with the connection's error set */
static bool compile(struct kn_conn *c, struct sconn *s, const char *sql, unsigned flags, struct cached *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(s->db, sql, -1, flags, &st, NULL) != SQLITE_OK) {
		kn_conn_seterr(c, "%s", sqlite3_errmsg(s->db));
		return false;
	}
	memset(e->map, 0, sizeof(e->map));
	int n = sqlite3_bind_parameter_count(st);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		if (!name || name[0] != '$') {
			kn_conn_seterr(c, "parameter %d is not $N", i);
			sqlite3_finalize(st);
			return false;
		}
		long k = strtol(name + 1, NULL, 10);
		if (k < 1 || k > MAX_PARAMS) {
			kn_conn_seterr(c, "parameter %s out of range", name);
			sqlite3_finalize(st);
			return false;
		}
		e->map[k] = i;
	}
	e->sql = sql;
	e->st = st;
	return true;
}

/* The statement for sql, from the connection's cache. Should the cache be
 * full (more distinct statements run on this connection than it has
 * slots), it is compiled into *spare for this one use, and the caller
 * finalizes it (done_with): slower, never an error. */
static struct cached *prepare(struct kn_conn *c, struct sconn *s, const char *sql, struct cached *spare)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	unsigned slot = (unsigned)(h >> (64 - CACHE_BITS)); /* the product's top bits */
	for (unsigned probe = 0; probe < CACHE_SLOTS; probe++) {
		struct cached *e = &s->cache[(slot + probe) & (CACHE_SLOTS - 1)];
		if (e->sql == sql)
			return e;
		if (!e->sql)
			return compile(c, s, sql, SQLITE_PREPARE_PERSISTENT, e) ? e : NULL;
	}
	return compile(c, s, sql, 0, spare) ? spare : NULL;
}

/* after a statement's use: one compiled for that use alone is finalized */
static void done_with(struct cached *e, struct cached *spare)
{
	if (e == spare)
		sqlite3_finalize(e->st);
}

static enum kn_err map_error(struct kn_conn *c, sqlite3 *db, int rc)
{
	kn_conn_seterr(c, "%s", sqlite3_errmsg(db));
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return KN_ECONFLICT;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		return KN_EINVAL;
	case SQLITE_TOOBIG:
		return KN_ETOOBIG;
	default:
		return KN_EDB;
	}
}

/* A statement without parameters or rows (BEGIN, COMMIT), from the cache. */
static int run_plain(struct kn_conn *c, struct sconn *s, const char *sql)
{
	struct cached spare, *e = prepare(c, s, sql, &spare);
	if (!e)
		return SQLITE_ERROR;
	int rc = sqlite3_step(e->st);
	sqlite3_reset(e->st);
	done_with(e, &spare);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void sq_end_read(struct kn_conn *c)
{
	struct sconn *s = c->h;
	if (run_plain(c, s, "COMMIT") != SQLITE_OK)
		c->broken = true;
}

/* The current row's cells, each read once: sqlite3_column_*() would each
 * look the column up again and check the connection's state.
 * "Unprotected" values are safe here: connections are opened
 * SQLITE_OPEN_NOMUTEX and used by one thread at a time. Integers are
 * handed over as integers (num, is_num; their digits written only when
 * kn_cell_s asks for them); the texts stay SQLite's, valid until the next
 * step. */
static void read_cells(sqlite3_stmt *st, int cols, const char **text, size_t *len, int64_t *num, bool *is_num)
{
	for (int j = 0; j < cols; j++) {
		sqlite3_value *cell = sqlite3_column_value(st, j);
		text[j] = NULL;
		len[j] = 0;
		is_num[j] = false;
		switch (sqlite3_value_type(cell)) {
		case SQLITE_NULL: break;
		case SQLITE_INTEGER:
			num[j] = sqlite3_value_int64(cell);
			is_num[j] = true;
			break;
		default:
			text[j] = (const char *)sqlite3_value_text(cell);
			if (text[j])
				len[j] = (size_t)sqlite3_value_bytes(cell);
		}
	}
}

#define ROW_CELLS 48 /* a row this wide is read with arrays on the stack; wider, from the arena */

static enum kn_err sq_query(struct kn_conn *c, struct kn_arena *a, const char *sql, int np, const struct kn_param *p,
                            kn_row_fn fn, void *arg, int *cols)
{
	struct sconn *s = c->h;
	struct cached spare, *e = prepare(c, s, sql, &spare);
	if (!e)
		return KN_EDB;
	sqlite3_stmt *st = e->st;
	enum kn_err rc = KN_OK;
	if (c->snapshot && !c->in_tx) {
		bool reads = sqlite3_stmt_readonly(st);
		if (c->in_read && !reads) {
			/* a write in autocommit: it must not run inside the snapshot */
			sq_end_read(c);
			c->in_read = c->snapshot = false;
		} else if (!c->in_read && reads) {
			int brc = run_plain(c, s, "BEGIN");
			if (brc != SQLITE_OK) {
				rc = map_error(c, s->db, brc);
				goto out;
			}
			c->in_read = true;
		}
	}
	if (np > MAX_PARAMS) {
		kn_conn_seterr(c, "too many parameters");
		rc = KN_EDB;
		goto out;
	}
	for (int i = 1; i <= MAX_PARAMS; i++) {
		int idx = e->map[i];
		if (!idx)
			continue;
		if (i > np) {
			kn_conn_seterr(c, "missing value for $%d", i);
			rc = KN_EDB;
			goto out;
		}
		const struct kn_param *q = &p[i - 1];
		int brc;
		if (q->t == KN_P_INT)
			brc = sqlite3_bind_int64(st, idx, q->i);
		else if (q->t == KN_P_TEXT)
			brc = sqlite3_bind_text(st, idx, q->s, -1, SQLITE_STATIC);
		else if (q->t == KN_P_BLOB)
			brc = sqlite3_bind_blob64(st, idx, q->s, (sqlite3_uint64)q->n, SQLITE_STATIC);
		else
			brc = sqlite3_bind_null(st, idx);
		if (brc != SQLITE_OK) {
			rc = map_error(c, s->db, brc);
			goto out;
		}
	}
	int n = *cols = sqlite3_column_count(st);
	const char *text_s[ROW_CELLS], **text = text_s;
	size_t len_s[ROW_CELLS], *len = len_s;
	int64_t num_s[ROW_CELLS], *num = num_s;
	bool is_num_s[ROW_CELLS], *is_num = is_num_s;
	char digits_s[ROW_CELLS][25], (*digits)[25] = digits_s;
	if (fn && n > ROW_CELLS) {
		text = kn_alloc(a, sizeof(*text) * (size_t)n);
		len = kn_alloc(a, sizeof(*len) * (size_t)n);
		num = kn_alloc(a, sizeof(*num) * (size_t)n);
		is_num = kn_alloc(a, sizeof(*is_num) * (size_t)n);
		digits = kn_alloc(a, sizeof(*digits) * (size_t)n);
	}
	struct kn_cells row = {.cols = n, .v = text, .len = len, .num = num, .is_num = is_num, .digits = digits};
	for (;;) {
		int step = sqlite3_step(st);
		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = map_error(c, s->db, sqlite3_extended_errcode(s->db));
			goto out;
		}
		if (!fn)
			continue;
		read_cells(st, n, text, len, num, is_num);
		if (!fn(arg, &row))
			break;
	}
out:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	done_with(e, &spare);
	return rc;
}

static enum kn_err sq_script(struct kn_conn *c, const char *sql)
{
	struct sconn *s = c->h;
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg); /* checksrc: ok (constant scripts) */
	if (rc != SQLITE_OK) {
		kn_conn_seterr(c, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return KN_EDB;
	}
	return KN_OK;
}

enum kn_err kn_sqlite_backup(void *h, const char *dest, char *err, size_t errlen)
{
	struct sconn *s = h;
	sqlite3 *out;
	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		return KN_EIO;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", s->db, "main");
	if (!b) {
		snprintf(err, errlen, "backup to %s: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		return KN_EIO;
	}
	int rc;
	/* copy in steps so writers are not blocked for long; a write by
	 * another connection restarts the copy, which stays consistent */
	while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		if (rc != SQLITE_OK)
			sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	enum kn_err ret = KN_OK;
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup to %s failed: %s", dest, sqlite3_errstr(rc));
		ret = KN_EIO;
	}
	sqlite3_close(out);
	return ret;
}

const struct kn_driver kn_driver_sqlite = {
    .kind = KN_DB_SQLITE,
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .query = sq_query,
    .script = sq_script,
    .begin_sql = "BEGIN IMMEDIATE",
    .end_read = sq_end_read,
    .id_type = "INTEGER PRIMARY KEY",
    .blob_type = "BLOB",
};
