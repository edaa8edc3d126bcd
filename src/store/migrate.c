/* migrate.c: numbered schema migrations, applied in order, each in one
 * transaction. The DDL is shared by both backends; the only differences
 * are the two tokens @ID@ (identity primary key) and @BLOB@. */
#include "store/driver.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* the migrations, generated from src/store/migrations/NNNN_name.sql
 * (scripts/embed-migrations.sh): applied in file-name order */
extern const char *const kn_migrations[];
extern const int kn_nmigrations;

int kn_db_migrations_known(void)
{
	return kn_nmigrations;
}

static void subst(struct kn_buf *b, const char *sql, const struct kn_driver *d)
{
	const char *p = sql;
	while (*p) {
		if (!strncmp(p, "@ID@", 4)) {
			kn_buf_adds(b, d->id_type);
			p += 4;
		} else if (!strncmp(p, "@BLOB@", 6)) {
			kn_buf_adds(b, d->blob_type);
			p += 6;
		} else {
			kn_buf_addc(b, *p++);
		}
	}
}

static int current_version(struct kn_conn *c, struct kn_arena *a)
{
	struct kn_rows *r;
	if (kn_sql0(c, a, &r, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))
		return -1;
	return r->n ? (int)kn_row_i(r, 0, 0) : 0;
}

int kn_db_schema_version(struct kn_db *db)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	int v = current_version(c, a);
	kn_db_release(c);
	kn_arena_free(a);
	return v;
}

enum kn_err kn_db_migrate(struct kn_db *db, int *applied, char *err, size_t errlen)
{
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_arena *a = kn_arena_new();
	enum kn_err rc = KN_OK;
	*applied = 0;
	if ((rc = db->drv->script(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                             "version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)"))) {
		snprintf(err, errlen, "cannot create schema_migrations: %s", c->errmsg);
		goto out;
	}
	for (int v = 1; v <= kn_nmigrations; v++) {
		if ((rc = kn_db_begin(c))) {
			snprintf(err, errlen, "begin: %s", c->errmsg);
			goto out;
		}
		if (db->drv->kind == KN_DB_PG) {
			/* two servers starting at once: one migrates, the other waits */
			struct kn_rows *r;
			if ((rc = kn_sql0(c, a, &r, "SELECT pg_advisory_xact_lock(4242424242)"))) {
				snprintf(err, errlen, "lock: %s", c->errmsg);
				goto out;
			}
		}
		int cur = current_version(c, a);
		if (cur < 0) {
			rc = KN_EDB;
			snprintf(err, errlen, "reading schema version: %s", c->errmsg);
			goto out;
		}
		if (cur >= v) {
			kn_db_rollback(c);
			continue;
		}
		struct kn_buf b;
		kn_buf_init(&b, 1 << 20);
		subst(&b, kn_migrations[v - 1], db->drv);
		rc = b.err ? b.err : db->drv->script(c, kn_buf_str(&b));
		kn_buf_free(&b);
		if (rc) {
			snprintf(err, errlen, "migration %d: %s", v, c->errmsg);
			goto out;
		}
		if ((rc = kn_sql(c, a, NULL, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
		                 KN_INT(v), KN_INT(time(NULL))))) {
			snprintf(err, errlen, "migration %d: %s", v, c->errmsg);
			goto out;
		}
		if ((rc = kn_db_commit(c))) {
			snprintf(err, errlen, "migration %d commit: %s", v, c->errmsg);
			goto out;
		}
		(*applied)++;
	}
out:
	kn_db_release(c); /* rolls back a failed migration */
	kn_arena_free(a);
	return rc;
}
