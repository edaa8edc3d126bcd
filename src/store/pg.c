/* pg.c: the PostgreSQL backend (libpq, statements prepared once per connection). */
#include "store/driver.h"
#include "core/arena.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_BITS 10 /* 1024 slots: above the program's distinct SQL texts (some 500) */
#define CACHE_SLOTS (1u << CACHE_BITS)
#define MAX_PARAMS 64

struct pconn {
	PGconn *pg;
	const char *prepared[CACHE_SLOTS]; /* SQL literal addresses; slot i is named k followed by i */
};

static void notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static void *pg_connect(const char *url, char *err, size_t errlen)
{
	struct pconn *p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->pg = PQconnectdb(url);
	if (PQstatus(p->pg) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(p->pg));
		char *nl = strrchr(err, '\n');
		if (nl && nl[1] == 0)
			*nl = 0;
		PQfinish(p->pg);
		free(p);
		return NULL;
	}
	PQsetNoticeProcessor(p->pg, notice_quiet, NULL);
	PGresult *r = PQexec(p->pg, "SET client_min_messages = warning"); /* checksrc: ok */
	PQclear(r);
	return p;
}

static void pg_disconnect(void *h)
{
	struct pconn *p = h;
	PQfinish(p->pg);
	free(p);
}

static enum kn_err map_result(struct kn_conn *c, struct pconn *p, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->pg);
	kn_conn_seterr(c, "%s", msg && *msg ? msg : "query failed");
	size_t n = strlen(c->errmsg);
	if (n && c->errmsg[n - 1] == '\n')
		c->errmsg[n - 1] = 0;
	if (PQstatus(p->pg) != CONNECTION_OK)
		c->broken = true;
	if (!state)
		return KN_EDB;
	if (!strcmp(state, "23505"))
		return KN_ECONFLICT;
	if (!strcmp(state, "23503") || !strcmp(state, "23514") || !strcmp(state, "23502") ||
	    !strcmp(state, "22P02") || !strcmp(state, "22003"))
		return KN_EINVAL;
	return KN_EDB;
}

/* The prepared statement of sql on this connection, named in name: 0 when
 * it is (prepared now if it was not), 1 when every slot is taken (the caller
 * runs sql unnamed, for that use alone: slower, never an error), -1 on an
 * error (the connection's error set). */
static int stmt_slot(struct kn_conn *c, struct pconn *p, const char *sql, char name[16], int np)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	unsigned slot = (unsigned)(h >> (64 - CACHE_BITS)); /* the product's top bits */
	for (unsigned probe = 0; probe < CACHE_SLOTS; probe++) {
		unsigned i = (slot + probe) & (CACHE_SLOTS - 1);
		snprintf(name, 16, "k%u", i);
		if (p->prepared[i] == sql)
			return 0;
		if (p->prepared[i])
			continue;
		PGresult *res = PQprepare(p->pg, name, sql, np, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			map_result(c, p, res);
			PQclear(res);
			return -1;
		}
		PQclear(res);
		p->prepared[i] = sql;
		return 0;
	}
	return 1; /* every slot taken: the caller runs sql unnamed, for this use alone */
}

static enum kn_err pg_query(struct kn_conn *c, struct kn_arena *a, const char *sql, int np,
                            const struct kn_param *prm, kn_row_fn fn, void *arg, int *cols)
{
	struct pconn *p = c->h;
	if (np > MAX_PARAMS) {
		kn_conn_seterr(c, "too many parameters");
		return KN_EDB;
	}
	char name[16];
	int slot = stmt_slot(c, p, sql, name, np);
	if (slot < 0)
		return KN_EDB;
	const char *vals[MAX_PARAMS];
	int lens[MAX_PARAMS], fmts[MAX_PARAMS];
	bool binary = false;
	char nums[MAX_PARAMS][24];
	for (int i = 0; i < np; i++) {
		lens[i] = 0;
		fmts[i] = 0;
		if (prm[i].t == KN_P_INT) {
			snprintf(nums[i], sizeof(nums[i]), "%lld", (long long)prm[i].i);
			vals[i] = nums[i];
		} else if (prm[i].t == KN_P_TEXT) {
			vals[i] = prm[i].s;
		} else if (prm[i].t == KN_P_BLOB && prm[i].n <= INT32_MAX) {
			vals[i] = prm[i].s; /* sent in binary format: a bytea as is */
			lens[i] = (int)prm[i].n;
			fmts[i] = 1;
			binary = true;
		} else {
			vals[i] = NULL;
		}
	}
	PGresult *res = slot ? PQexecParams(p->pg, sql, np, NULL, vals, binary ? lens : NULL, binary ? fmts : NULL, 0)
	                     : PQexecPrepared(p->pg, name, np, vals, binary ? lens : NULL, binary ? fmts : NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		enum kn_err rc = map_result(c, p, res);
		PQclear(res);
		return rc;
	}
	int n = *cols = PQnfields(res), rows = fn ? PQntuples(res) : 0;
	const char **v = n ? kn_alloc(a, sizeof(*v) * (size_t)n) : NULL;
	size_t *len = n ? kn_alloc(a, sizeof(*len) * (size_t)n) : NULL;
	struct kn_cells row = {.cols = n, .v = v, .len = len};
	for (int i = 0; i < rows; i++) {
		for (int j = 0; j < n; j++) {
			bool null = PQgetisnull(res, i, j);
			v[j] = null ? NULL : PQgetvalue(res, i, j);
			len[j] = null ? 0 : (size_t)PQgetlength(res, i, j);
		}
		if (!fn(arg, &row))
			break;
	}
	PQclear(res);
	return KN_OK;
}

static enum kn_err pg_script(struct kn_conn *c, const char *sql)
{
	struct pconn *p = c->h;
	PGresult *res = PQexec(p->pg, sql); /* checksrc: ok (constant scripts) */
	ExecStatusType st = PQresultStatus(res);
	enum kn_err rc = KN_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = map_result(c, p, res);
	PQclear(res);
	return rc;
}

const struct kn_driver kn_driver_pg = {
    .kind = KN_DB_PG,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .query = pg_query,
    .script = pg_script,
    .begin_sql = "BEGIN",
    .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .blob_type = "BYTEA",
};
