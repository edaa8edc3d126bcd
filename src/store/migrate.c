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

static const char *const migrations[] = {
/* 1: accounts, people, councils, agencies, roles */
"CREATE TABLE persons ("
"  id @ID@,"
"  full_name TEXT NOT NULL,"
"  full_name_ru TEXT,"
"  full_name_kk TEXT,"
"  bio TEXT NOT NULL DEFAULT '',"
"  user_id BIGINT UNIQUE,"
"  created_at BIGINT NOT NULL"
");"
"CREATE TABLE users ("
"  id @ID@,"
"  login TEXT NOT NULL UNIQUE,"
"  display_name TEXT NOT NULL,"
"  email TEXT,"
"  password_hash TEXT NOT NULL,"
"  is_operator INTEGER NOT NULL DEFAULT 0 CHECK (is_operator IN (0, 1)),"
"  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
"  created_at BIGINT NOT NULL,"
"  password_changed_at BIGINT NOT NULL"
");"
"CREATE TABLE sessions ("
"  id @ID@,"
"  token_hash TEXT NOT NULL UNIQUE,"
"  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  created_at BIGINT NOT NULL,"
"  expires_at BIGINT NOT NULL,"
"  ip TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX sessions_user ON sessions(user_id);"
"CREATE TABLE api_tokens ("
"  id @ID@,"
"  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  name TEXT NOT NULL,"
"  token_hash TEXT NOT NULL UNIQUE,"
"  prefix TEXT NOT NULL,"
"  created_at BIGINT NOT NULL,"
"  last_used_at BIGINT,"
"  revoked_at BIGINT"
");"
"CREATE INDEX api_tokens_user ON api_tokens(user_id);"
"CREATE TABLE councils ("
"  id @ID@,"
"  slug TEXT NOT NULL UNIQUE,"
"  name_en TEXT NOT NULL,"
"  name_ru TEXT NOT NULL DEFAULT '',"
"  name_kk TEXT NOT NULL DEFAULT '',"
"  description TEXT NOT NULL DEFAULT '',"
"  chair_person_id BIGINT REFERENCES persons(id),"
"  founded_on TEXT,"
"  dissolved_on TEXT,"
"  succeeded_by BIGINT REFERENCES councils(id),"
"  seats INTEGER NOT NULL DEFAULT 0 CHECK (seats >= 0),"
"  timezone TEXT NOT NULL DEFAULT 'Asia/Almaty',"
"  created_at BIGINT NOT NULL,"
"  updated_at BIGINT NOT NULL"
");"
"CREATE TABLE agencies ("
"  id @ID@,"
"  slug TEXT NOT NULL UNIQUE,"
"  name_en TEXT NOT NULL,"
"  name_ru TEXT NOT NULL DEFAULT '',"
"  name_kk TEXT NOT NULL DEFAULT '',"
"  kind TEXT NOT NULL DEFAULT 'other',"
"  parent_id BIGINT REFERENCES agencies(id),"
"  website TEXT NOT NULL DEFAULT '',"
"  created_at BIGINT NOT NULL,"
"  updated_at BIGINT NOT NULL"
");"
"CREATE INDEX agencies_parent ON agencies(parent_id);"
"CREATE TABLE roles ("
"  id @ID@,"
"  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
"  role TEXT NOT NULL CHECK (role IN ('chair', 'secretary', 'member', 'officer')),"
"  council_id BIGINT REFERENCES councils(id),"
"  agency_id BIGINT REFERENCES agencies(id),"
"  granted_at BIGINT NOT NULL,"
"  CHECK ((role = 'officer' AND agency_id IS NOT NULL AND council_id IS NULL) OR"
"         (role <> 'officer' AND council_id IS NOT NULL AND agency_id IS NULL))"
");"
"CREATE UNIQUE INDEX roles_council ON roles(user_id, role, council_id) WHERE council_id IS NOT NULL;"
"CREATE UNIQUE INDEX roles_agency ON roles(user_id, role, agency_id) WHERE agency_id IS NOT NULL;"
"CREATE TABLE record_history ("
"  id @ID@,"
"  at BIGINT NOT NULL,"
"  actor_user_id BIGINT,"
"  actor_name TEXT NOT NULL,"
"  record_kind TEXT NOT NULL,"
"  record_id BIGINT NOT NULL,"
"  action TEXT NOT NULL,"
"  detail TEXT NOT NULL DEFAULT ''"
");"
"CREATE INDEX record_history_rec ON record_history(record_kind, record_id);",
};

int kn_db_migrations_known(void)
{
	return (int)KN_ARRAY_LEN(migrations);
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
	for (int v = 1; v <= (int)KN_ARRAY_LEN(migrations); v++) {
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
		subst(&b, migrations[v - 1], db->drv);
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
