/* test_record.c: the public record on SQLite and (KN_TEST_PG_URL) on
 * PostgreSQL: the chain across reopening the database, a tampered event
 * named by kn_record_verify, a council row edited behind the log's back
 * named with its field, checkpoint signatures (and their tampering), the
 * key file, and the export verified from its folder and from memory
 * (kn_record_verify_export), where a checkpoint that lacks its hash is
 * refused, not followed. */
#include "core/arena.h"
#include "core/config.h"
#include "domain/record.h"
#include "domain/registry.h"
#include "kt.h"
#include "store/store.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *url;
static char tmpdir[256];
static struct kn_key key;

static struct kn_db *open_db(void)
{
	char err[512];
	struct kn_db *db = kn_db_open(url, 2, err, sizeof(err));
	if (!db)
		fprintf(stderr, "open %s: %s\n", url, err);
	int n;
	if (db && kn_db_migrate(db, &n, err, sizeof(err)))
		fprintf(stderr, "migrate: %s\n", err);
	return db;
}

/* Runs one write in a transaction. */
static enum kn_err council(struct kn_db *db, const char *slug, const char *name, int64_t id, int64_t now)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = now, .actor_name = "test", .actor_role = "operator"};
	struct kn_council in = {.id = id, .slug = slug, .name_en = name, .seats = 5, .timezone = "Asia/Almaty"};
	int64_t out;
	enum kn_err rc = kn_db_begin(c);
	if (!rc)
		rc = kn_council_save(&x, &in, &out);
	if (!rc)
		rc = kn_db_commit(c);
	else
		kn_db_rollback(c);
	kn_db_release(c);
	kn_arena_free(a);
	return rc;
}

static enum kn_err verify(struct kn_db *db, struct kn_verify_report *rep)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = 1700000000};
	enum kn_err rc = kn_record_verify(&x, key.pk_hex, rep);
	/* keep the strings the report points into */
	static char kind[64], field[64];
	snprintf(kind, sizeof(kind), "%s", rep->bad_kind ? rep->bad_kind : "");
	snprintf(field, sizeof(field), "%s", rep->bad_field ? rep->bad_field : "");
	rep->bad_kind = kind;
	rep->bad_field = field;
	rep->head_hash = NULL;
	rep->key_used = NULL;
	kn_db_release(c);
	kn_arena_free(a);
	return rc;
}

/* A statement the application never runs (tests only: tampering). */
#define TAMPER(db, SQL, ...)                                                 \
	do {                                                                 \
		struct kn_arena *ta_ = kn_arena_new();                       \
		struct kn_conn *tc_ = kn_db_acquire(db);                     \
		KT_CHECK(kn_sql(tc_, ta_, NULL, SQL, __VA_ARGS__) == KN_OK); \
		kn_db_release(tc_);                                          \
		kn_arena_free(ta_);                                          \
	} while (0)

static int64_t count_events(struct kn_db *db)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_rows *r;
	int64_t n = -1;
	if (!kn_sql0(c, a, &r, "SELECT COUNT(*) FROM events"))
		n = kn_row_i(r, 0, 0);
	kn_db_release(c);
	kn_arena_free(a);
	return n;
}

KT_TEST(test_chain_across_reopen)
{
	struct kn_db *db = open_db();
	KT_CHECK(db != NULL);
	if (!db)
		return;
	KT_CHECK(council(db, "alpha", "Alpha council", 0, 1700000000) == KN_OK);
	KT_CHECK(council(db, "beta", "Beta council", 0, 1700000100) == KN_OK);
	kn_db_close(db);
	db = open_db(); /* a restart: the chain goes on from the stored head */
	KT_CHECK(council(db, "gamma", "Gamma council", 0, 1700000200) == KN_OK);
	KT_CHECK(council(db, "alpha", "Alpha council, renamed", 1, 1700000300) == KN_OK);
	struct kn_verify_report rep;
	enum kn_err rc = verify(db, &rep);
	if (rc)
		fprintf(stderr, "verify: %s\n", rep.msg);
	KT_CHECK(rc == KN_OK);
	KT_CHECK_INT(rep.events, 4);
	KT_CHECK_INT(rep.head_seq, 4);
	KT_CHECK_INT(rep.records, 3);
	KT_CHECK_INT(count_events(db), 4);
	kn_db_close(db);
}

KT_TEST(test_tampered_event_is_named)
{
	struct kn_db *db = open_db();
	struct kn_verify_report rep;
	TAMPER(db, "UPDATE events SET actor_name = $1 WHERE seq = 2", KN_TEXT("someone else"));
	KT_CHECK(verify(db, &rep) == KN_ECONFLICT);
	KT_CHECK_INT(rep.bad_seq, 2);
	KT_CHECK(strstr(rep.msg, "event 2 ") != NULL);
	TAMPER(db, "UPDATE events SET actor_name = $1 WHERE seq = 2", KN_TEXT("test"));
	KT_CHECK(verify(db, &rep) == KN_OK);
	/* a removed event: the next one is named */
	TAMPER(db, "UPDATE events SET seq = $1 WHERE seq = 3", KN_INT(100));
	KT_CHECK(verify(db, &rep) == KN_ECONFLICT);
	KT_CHECK_INT(rep.bad_seq, 4);
	TAMPER(db, "UPDATE events SET seq = $1 WHERE seq = 100", KN_INT(3));
	KT_CHECK(verify(db, &rep) == KN_OK);
	kn_db_close(db);
}

KT_TEST(test_edited_record_is_named)
{
	struct kn_db *db = open_db();
	struct kn_verify_report rep;
	TAMPER(db, "UPDATE councils SET name_en = $1 WHERE slug = 'beta'", KN_TEXT("Beta, quietly renamed"));
	KT_CHECK(verify(db, &rep) == KN_ECONFLICT);
	KT_CHECK_STR(rep.bad_kind, "council");
	KT_CHECK_INT(rep.bad_id, 2);
	KT_CHECK_STR(rep.bad_field, "name_en");
	KT_CHECK_INT(rep.bad_seq, 0); /* the log itself is intact */
	TAMPER(db, "UPDATE councils SET name_en = $1 WHERE slug = 'beta'", KN_TEXT("Beta council"));
	/* a field no event ever set */
	TAMPER(db, "UPDATE councils SET dissolved_on = $1 WHERE slug = 'gamma'", KN_TEXT("2020-01-01"));
	KT_CHECK(verify(db, &rep) == KN_ECONFLICT);
	KT_CHECK_STR(rep.bad_field, "dissolved_on");
	KT_CHECK_INT(rep.bad_id, 3);
	TAMPER(db, "UPDATE councils SET dissolved_on = NULL WHERE slug = $1", KN_TEXT("gamma"));
	/* a row slipped in without its event */
	TAMPER(db, "INSERT INTO councils (slug, name_en, created_at, updated_at) VALUES ($1, 'Ghost', 0, 0)",
	       KN_TEXT("ghost"));
	KT_CHECK(verify(db, &rep) == KN_ECONFLICT);
	KT_CHECK(strstr(rep.msg, "no event records it") != NULL);
	TAMPER(db, "DELETE FROM councils WHERE slug = $1", KN_TEXT("ghost"));
	KT_CHECK(verify(db, &rep) == KN_OK);
	kn_db_close(db);
}

KT_TEST(test_key_file)
{
	char path[300], err[256];
	snprintf(path, sizeof(path), "%s/k.key", tmpdir);
	KT_CHECK(kn_key_generate(path, &key, err, sizeof(err)) == KN_OK);
	struct stat st;
	KT_CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	struct kn_key again, other;
	KT_CHECK(kn_key_generate(path, &other, err, sizeof(err)) == KN_ECONFLICT); /* never overwritten */
	KT_CHECK(kn_key_load(path, &again, err, sizeof(err)) == KN_OK);
	KT_CHECK_STR(again.pk_hex, key.pk_hex);
	KT_CHECK(memcmp(again.sk, key.sk, sizeof(key.sk)) == 0);
	char sig[129];
	kn_key_sign_hex(&key, "abc", 3, sig);
	KT_CHECK(kn_sig_check_hex(key.pk_hex, "abc", 3, sig));
	KT_CHECK(!kn_sig_check_hex(key.pk_hex, "abd", 3, sig));
	snprintf(path, sizeof(path), "%s/none.key", tmpdir);
	KT_CHECK(kn_key_load(path, &again, err, sizeof(err)) == KN_ENOTFOUND);
}

static enum kn_err checkpoint(struct kn_db *db, bool force, int64_t now, int64_t *made)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = now};
	enum kn_err rc = kn_db_begin(c);
	if (!rc)
		rc = kn_checkpoint_maybe(&x, &key, force, 3, 3600, made);
	if (!rc)
		rc = kn_db_commit(c);
	else
		kn_db_rollback(c);
	kn_db_release(c);
	kn_arena_free(a);
	return rc;
}

KT_TEST(test_checkpoints)
{
	struct kn_db *db = open_db();
	struct kn_verify_report rep;
	int64_t made = -1;
	KT_CHECK(checkpoint(db, false, 1700001000, &made) == KN_OK);
	KT_CHECK_INT(made, 4); /* the first one: right away */
	KT_CHECK(checkpoint(db, true, 1700001001, &made) == KN_OK);
	KT_CHECK_INT(made, 0); /* the head did not move */
	KT_CHECK(council(db, "delta", "Delta council", 0, 1700001100) == KN_OK);
	KT_CHECK(checkpoint(db, false, 1700001101, &made) == KN_OK);
	KT_CHECK_INT(made, 0); /* 1 new event < 3, 101 s < 3600 s */
	KT_CHECK(checkpoint(db, false, 1700001000 + 3600, &made) == KN_OK);
	KT_CHECK_INT(made, 5); /* by time */
	KT_CHECK(verify(db, &rep) == KN_OK);
	KT_CHECK_INT(rep.checkpoints, 2);
	/* a tampered signature */
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_rows *r;
	KT_CHECK(kn_sql0(c, a, &r, "SELECT signature FROM checkpoints WHERE seq = 4") == KN_OK);
	char *sig = kn_strdup(a, kn_row_s(r, 0, 0));
	char *bad = kn_strdup(a, sig);
	bad[10] = bad[10] == '0' ? '1' : '0';
	kn_db_release(c);
	TAMPER(db, "UPDATE checkpoints SET signature = $1 WHERE seq = 4", KN_TEXT(bad));
	KT_CHECK(verify(db, &rep) == KN_ECONFLICT);
	KT_CHECK(strstr(rep.msg, "signature does not verify") != NULL);
	TAMPER(db, "UPDATE checkpoints SET signature = $1 WHERE seq = 4", KN_TEXT(sig));
	/* the log rewritten consistently after a checkpoint: event 4 re-hashed */
	struct kn_conn *c2 = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c2};
	struct kn_event_row *e;
	int n;
	KT_CHECK(kn_event_range(&x, 0, 10, &e, &n) == KN_OK && n == 5);
	struct kn_event_row forged = e[3];
	forged.actor_name = "forger";
	char h4[65], h5[65];
	KT_CHECK(kn_event_hash(&forged, h4) == KN_OK);
	struct kn_event_row next = e[4];
	next.prev_hash = h4;
	KT_CHECK(kn_event_hash(&next, h5) == KN_OK);
	kn_db_release(c2);
	TAMPER(db, "UPDATE events SET actor_name = 'forger', hash = $1 WHERE seq = 4", KN_TEXT(h4));
	TAMPER(db, "UPDATE events SET prev_hash = $1, hash = $2 WHERE seq = 5", KN_TEXT(h4), KN_TEXT(h5));
	TAMPER(db, "UPDATE event_head SET hash = $1 WHERE id = 1", KN_TEXT(h5));
	KT_CHECK(verify(db, &rep) == KN_ECONFLICT);
	KT_CHECK_INT(rep.bad_seq, 4);
	KT_CHECK(strstr(rep.msg, "rewritten") != NULL);
	TAMPER(db, "UPDATE events SET actor_name = $1, hash = $2 WHERE seq = 4", KN_TEXT(e[3].actor_name),
	       KN_TEXT(e[3].hash));
	TAMPER(db, "UPDATE events SET prev_hash = $1, hash = $2 WHERE seq = 5", KN_TEXT(e[4].prev_hash), KN_TEXT(e[4].hash));
	TAMPER(db, "UPDATE event_head SET hash = $1 WHERE id = 1", KN_TEXT(e[4].hash));
	KT_CHECK(verify(db, &rep) == KN_OK);
	kn_arena_free(a);
	kn_db_close(db);
}

/* an export in memory (kn_export_build's files) read by name */
struct mem_export {
	struct kn_export_file *f;
	int n;
};

static char *read_mem(void *ctx, struct kn_arena *a, const char *name, size_t *len)
{
	struct mem_export *m = ctx;
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->f[i].name, name)) {
			*len = m->f[i].len;
			return kn_strndup(a, m->f[i].data, m->f[i].len);
		}
	return NULL;
}

static struct kn_export_file *file_named(struct mem_export *m, const char *name)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->f[i].name, name))
			return &m->f[i];
	return NULL;
}

/* a file's new bytes, then SHA256SUMS's line for it and the signature
 * (as whoever sends an export can do with their own key) */
static void reseal(struct kn_arena *a, struct mem_export *m, const char *name, const char *data)
{
	struct kn_export_file *f = file_named(m, name), *sums = file_named(m, "SHA256SUMS"),
	                      *sig = file_named(m, "SHA256SUMS.sig");
	KT_CHECK(f && sums && sig);
	if (!f || !sums || !sig)
		return;
	unsigned char h[crypto_hash_sha256_BYTES];
	char old[65], now[65];
	crypto_hash_sha256(h, (const unsigned char *)f->data, f->len);
	sodium_bin2hex(old, sizeof(old), h, sizeof(h));
	f->data = data;
	f->len = strlen(data);
	crypto_hash_sha256(h, (const unsigned char *)f->data, f->len);
	sodium_bin2hex(now, sizeof(now), h, sizeof(h));
	char *t = kn_strndup(a, sums->data, sums->len), *at = strstr(t, old);
	KT_CHECK(at != NULL);
	if (at)
		memcpy(at, now, 64);
	sums->data = t;
	char *sg = kn_alloc(a, 130);
	kn_key_sign_hex(&key, sums->data, sums->len, sg);
	sg[128] = '\n';
	sg[129] = 0;
	sig->data = sg;
	sig->len = 129;
}

KT_TEST(test_export_and_dump)
{
	struct kn_db *db = open_db();
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = 1700002000};
	char dir[300], err[256];
	snprintf(dir, sizeof(dir), "%s/export", tmpdir);
	int n = 0;
	KT_CHECK(kn_export_write(&x, &key, dir, &n, err, sizeof(err)) == KN_OK);
	KT_CHECK(n >= 14);
	/* deterministic: the same bytes twice */
	struct kn_export_file *f1, *f2;
	int n1, n2;
	KT_CHECK(kn_export_build(&x, &key, &f1, &n1) == KN_OK);
	KT_CHECK(kn_export_build(&x, &key, &f2, &n2) == KN_OK);
	KT_CHECK(n1 == n2);
	for (int i = 0; i < n1 && i < n2; i++)
		KT_CHECK(f1[i].len == f2[i].len && !memcmp(f1[i].data, f2[i].data, f1[i].len));
	/* nothing private leaves */
	for (int i = 0; i < n1; i++)
		KT_CHECK(!strstr(f1[i].data, "password_hash") && !strstr(f1[i].data, "token_hash"));
	kn_db_release(c);
	struct kn_verify_report rep;
	enum kn_err rc = kn_record_verify_dump(a, dir, key.pk_hex, &rep);
	if (rc)
		fprintf(stderr, "dump: %s\n", rep.msg);
	KT_CHECK(rc == KN_OK);
	KT_CHECK_INT(rep.events, 5);
	KT_CHECK_INT(rep.checkpoints, 2);
	/* the same export from memory: the same answer */
	struct mem_export m = {f1, n1};
	KT_CHECK(kn_record_verify_export(a, read_mem, &m, "memory", key.pk_hex, &rep) == KN_OK);
	KT_CHECK_INT(rep.events, 5);
	KT_CHECK_INT(rep.checkpoints, 2);
	/* a missing file is named, with where the export is */
	struct mem_export few = {kn_alloc(a, sizeof(*f1) * (size_t)n1), 0};
	for (int i = 0; i < n1; i++)
		if (strcmp(f1[i].name, "councils.csv") != 0)
			few.f[few.n++] = f1[i];
	KT_CHECK_INT(few.n, n1 - 1);
	KT_CHECK(kn_record_verify_export(a, read_mem, &few, "memory", key.pk_hex, &rep) == KN_ECONFLICT);
	KT_CHECK(strstr(rep.msg, "councils.csv: listed in SHA256SUMS but missing") != NULL);
	/* a signed export whose checkpoint lacks its hash: refused, not read
	 * (it crashed the verifier before; found by tests/fuzz/fuzz_verify.c) */
	struct kn_export_file *cp = file_named(&m, "checkpoints.json");
	KT_CHECK(cp && strstr(cp->data, "\"hash\"") != NULL);
	if (cp) {
		const char *bare = kn_printf(a, "[{\"seq\": 1, \"at\": 1700002000, \"signature\": \"%0128d\"}]", 0);
		reseal(a, &m, "checkpoints.json", bare);
		KT_CHECK(kn_record_verify_export(a, read_mem, &m, "memory", key.pk_hex, &rep) == KN_ECONFLICT);
		KT_CHECK(strstr(rep.msg, "checkpoints.json: entry 1 lacks a field") != NULL);
	}
	/* one byte changed in a file: its digest no longer matches */
	char path[400];
	snprintf(path, sizeof(path), "%s/councils.csv", dir);
	FILE *fp = fopen(path, "r+b");
	KT_CHECK(fp != NULL);
	if (fp) {
		fseek(fp, 5, SEEK_SET);
		fputc('#', fp);
		fclose(fp);
	}
	KT_CHECK(kn_record_verify_dump(a, dir, key.pk_hex, &rep) == KN_ECONFLICT);
	KT_CHECK(strstr(rep.msg, "councils.csv") != NULL);
	/* another key: the manifest's signature fails */
	struct kn_key k2;
	snprintf(path, sizeof(path), "%s/k2.key", tmpdir);
	KT_CHECK(kn_key_generate(path, &k2, err, sizeof(err)) == KN_OK);
	KT_CHECK(kn_record_verify_dump(a, dir, k2.pk_hex, &rep) == KN_ECONFLICT);
	KT_CHECK(strstr(rep.msg, "SHA256SUMS") != NULL);
	kn_arena_free(a);
	kn_db_close(db);
	snprintf(path, sizeof(path), "%s/k2.key", tmpdir);
	unlink(path);
}

/* The tables' JSON files, written a row at a time, are what jansson writes
 * for the same values (json_dumps with the export's flags, then a newline),
 * also for every escape, letters beyond ASCII and beyond U+FFFF, and text
 * that is not UTF-8. Run last: it edits a council behind the log's back. */
KT_TEST(test_export_json_as_jansson)
{
	struct kn_db *db = open_db();
	/* bytes that are not UTF-8: SQLite keeps them, PostgreSQL refuses them */
	bool sqlite = !strncmp(url, "sqlite:", 7);
	TAMPER(db, "UPDATE councils SET name_en = $1, name_ru = $2, name_kk = $3 WHERE slug = 'beta'",
	       KN_TEXT("q\"b\\s/ \b\f\n\r\t \x01\x1f\x7f é Кеңес «ұлттық» 中 😀 007"), KN_TEXT(sqlite ? "\xff\xfe" : ""),
	       KN_TEXT("42"));
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = 1700002000};
	struct kn_export_file *f;
	int n, json = 0;
	KT_CHECK(kn_export_build(&x, &key, &f, &n) == KN_OK);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(f[i].name);
		if (l < 5 || strcmp(f[i].name + l - 5, ".json") || !strcmp(f[i].name, "export.json"))
			continue;
		json_error_t e;
		json_t *v = json_loadb(f[i].data, f[i].len, 0, &e);
		KT_CHECK(v != NULL);
		char *d = v ? json_dumps(v, JSON_PRESERVE_ORDER | JSON_INDENT(1) | JSON_ENSURE_ASCII) : NULL;
		bool same = d && strlen(d) + 1 == f[i].len && !memcmp(d, f[i].data, f[i].len - 1) && f[i].data[f[i].len - 1] == '\n';
		if (!same)
			fprintf(stderr, "%s differs from jansson's\n", f[i].name);
		KT_CHECK(same);
		free(d);
		json_decref(v);
		json++;
	}
	KT_CHECK(json >= 5);
	const struct kn_export_file *cj = NULL;
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i].name, "councils.json"))
			cj = &f[i];
	KT_CHECK(cj != NULL);
	if (cj) {
		KT_CHECK(strstr(cj->data, "\"q\\\"b\\\\s/ \\b\\f\\n\\r\\t \\u0001\\u001F\x7f \\u00E9 \\u041A") != NULL);
		KT_CHECK(strstr(cj->data, "\\u4E2D \\uD83D\\uDE00 007\"") != NULL);
		KT_CHECK(!sqlite || strstr(cj->data, "\"(not UTF-8)\"") != NULL);
		KT_CHECK(strstr(cj->data, "\"name_kk\": \"42\"") != NULL); /* a text column: text */
	}
	kn_db_release(c);
	kn_arena_free(a);
	kn_db_close(db);
}

static void run_all(void)
{
	KT_RUN(test_key_file);
	KT_RUN(test_chain_across_reopen);
	KT_RUN(test_tampered_event_is_named);
	KT_RUN(test_edited_record_is_named);
	KT_RUN(test_checkpoints);
	KT_RUN(test_export_and_dump);
	KT_RUN(test_export_json_as_jansson);
}

static void rm_tree(const char *dir)
{
	static const char *const names[] = {"export/README.md", "export/SHA256SUMS", "export/SHA256SUMS.sig",
	                                    "export/public-key.txt", "export/export.json", "k.key", NULL};
	char p[400];
	for (int i = 0; names[i]; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	static const char *const tables[] = {"events", "checkpoints", "councils", "agencies", "persons", NULL};
	for (int i = 0; tables[i]; i++)
		for (int j = 0; j < 2; j++) {
			snprintf(p, sizeof(p), "%s/export/%s.%s", dir, tables[i], j ? "json" : "csv");
			unlink(p);
		}
	snprintf(p, sizeof(p), "%s/export", dir);
	rmdir(p);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/t.db%s", dir, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(p);
	}
	rmdir(dir);
}

int main(void)
{
	KT_NAME("test_record");
	if (sodium_init() < 0)
		return 1;
	int argc = 1;
	char *argv[] = {"test", NULL};
	char err[128];
	kn_config_load(&argc, argv, err, sizeof(err));
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kn-test-record-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	char sqlite_url[300];
	snprintf(sqlite_url, sizeof(sqlite_url), "sqlite:%s/t.db", tmpdir);
	url = sqlite_url;
	run_all();
	rm_tree(tmpdir);
	const char *pg = getenv("KN_TEST_PG_URL");
	if (pg && *pg) {
		/* a database of our own, so the other storage tests find theirs empty */
		struct kn_db *admin = kn_db_open(pg, 1, err, sizeof(err));
		char pgurl[600];
		const char *slash = strrchr(pg, '/');
		snprintf(pgurl, sizeof(pgurl), "%.*s/kn_test_record", (int)(slash ? slash - pg : 0), pg);
		struct kn_arena *a = kn_arena_new();
		struct kn_conn *c = admin ? kn_db_acquire(admin) : NULL;
		struct kn_rows *r;
		bool ok = c && !kn_sql0(c, a, &r, "DROP DATABASE IF EXISTS kn_test_record") &&
		          !kn_sql0(c, a, &r, "CREATE DATABASE kn_test_record");
		if (c)
			kn_db_release(c);
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/kn-test-record-XXXXXX");
		if (ok && mkdtemp(tmpdir)) {
			memset(&key, 0, sizeof(key));
			url = pgurl;
			run_all();
			rm_tree(tmpdir);
		} else {
			fprintf(stderr, "test_record: cannot create the PostgreSQL database kn_test_record\n");
			kt_fail_++;
		}
		kn_arena_free(a);
		kn_db_close(admin);
	} else {
		fprintf(stderr, "test_record: KN_TEST_PG_URL not set: PostgreSQL part skipped\n");
	}
	kn_config_free();
	KT_DONE();
}
