/* test_store.c: the storage contract and the account/registry domain, run
 * on SQLite and, when KN_TEST_PG_URL names an empty PostgreSQL database,
 * on PostgreSQL too: the same tests, the same SQL. */
#include "core/arena.h"
#include "core/config.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "kt.h"
#include "store/store.h"
#include <pthread.h>
#include <stdint.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct kn_db *db;
static char sqlite_path[256];

static struct kn_ctx ctx(struct kn_arena *a, struct kn_conn *c)
{
	struct kn_ctx x = {.a = a, .c = c, .now = 1700000000, .actor_name = "test"};
	return x;
}

KT_TEST(test_migrate_idempotent)
{
	char err[256];
	int n = -1;
	KT_CHECK(kn_db_migrate(db, &n, err, sizeof(err)) == KN_OK);
	KT_CHECK_INT(n, 0);
	KT_CHECK_INT(kn_db_schema_version(db), kn_db_migrations_known());
}

KT_TEST(test_params_and_nulls)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_rows *r;
	KT_CHECK(kn_sql(c, a, &r, "SELECT $1, $2, $3", KN_INT(42), KN_TEXT("Қазақ'\"; DROP"), KN_TEXT(NULL)) == KN_OK);
	KT_CHECK_INT(r->n, 1);
	KT_CHECK_STR(kn_row_s(r, 0, 0), "42");
	KT_CHECK_STR(kn_row_s(r, 0, 1), "Қазақ'\"; DROP");
	KT_CHECK(kn_row_s(r, 0, 2) == NULL);
	/* placeholders used out of order and twice */
	KT_CHECK(kn_sql(c, a, &r, "SELECT $2, $1, $2", KN_TEXT("a"), KN_TEXT("b")) == KN_OK);
	KT_CHECK_STR(kn_row_s(r, 0, 0), "b");
	KT_CHECK_STR(kn_row_s(r, 0, 1), "a");
	KT_CHECK_STR(kn_row_s(r, 0, 2), "b");
	kn_db_release(c);
	kn_arena_free(a);
}

/* More distinct statements on one connection than its statement cache
 * holds (1,024): each still answers, twice over. The cache was once
 * smaller than the program's statements, and a connection that had run
 * as many as it held failed every new one ("statement cache full"). */
#define Q(v)                                                                                             \
	do {                                                                                                 \
		struct kn_rows *r_;                                                                              \
		if (kn_sql(c, a, &r_, "SELECT " #v " + $1", KN_INT(1)) || r_->n != 1 || kn_row_i(r_, 0, 0) != v + 1) \
			bad++;                                                                                       \
		ran++;                                                                                           \
	} while (0)
#define Q10(n) Q(n##0); Q(n##1); Q(n##2); Q(n##3); Q(n##4); Q(n##5); Q(n##6); Q(n##7); Q(n##8); Q(n##9)
#define Q100(n) Q10(n##0); Q10(n##1); Q10(n##2); Q10(n##3); Q10(n##4); Q10(n##5); Q10(n##6); Q10(n##7); Q10(n##8); Q10(n##9)

KT_TEST(test_more_statements_than_cached)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	int bad = 0, ran = 0;
	for (int pass = 0; pass < 2; pass++) {
		Q100(10); Q100(11); Q100(12); Q100(13); Q100(14); Q100(15);
		Q100(16); Q100(17); Q100(18); Q100(19); Q100(20); Q100(21);
	}
	KT_CHECK_INT(ran, 2400);
	KT_CHECK_INT(bad, 0);
	/* and the connection goes on as before */
	struct kn_rows *r;
	KT_CHECK(kn_sql(c, a, &r, "SELECT $1", KN_INT(7)) == KN_OK);
	KT_CHECK_STR(kn_row_s(r, 0, 0), "7");
	kn_db_release(c);
	kn_arena_free(a);
}
#undef Q100
#undef Q10
#undef Q

KT_TEST(test_errors_map)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	struct kn_agency g = {.slug = "store-err", .name_en = "Store", .kind = "other"};
	int64_t id;
	KT_CHECK(kn_db_begin(c) == KN_OK);
	KT_CHECK(kn_agency_save(&x, &g, &id) == KN_OK);
	KT_CHECK(kn_db_commit(c) == KN_OK);
	KT_CHECK(kn_sql(c, a, NULL, "INSERT INTO agencies (slug, name_en, created_at, updated_at) VALUES ($1, 'x', 0, 0)",
	                KN_TEXT("store-err")) == KN_ECONFLICT);
	KT_CHECK(kn_sql(c, a, NULL, "INSERT INTO agencies (slug, name_en, parent_id, created_at, updated_at) VALUES ('fk', 'x', $1, 0, 0)",
	                KN_INT(999999)) == KN_EINVAL);
	KT_CHECK(kn_sql0(c, a, NULL, "SELECT no_such_column FROM agencies") == KN_EDB);
	kn_db_release(c);
	kn_arena_free(a);
}

KT_TEST(test_rollback_leaves_nothing)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	KT_CHECK(kn_db_begin(c) == KN_OK);
	struct kn_agency g = {.slug = "rolled-back", .name_en = "Gone", .kind = "other"};
	int64_t id;
	KT_CHECK(kn_agency_save(&x, &g, &id) == KN_OK);
	kn_db_rollback(c);
	struct kn_agency *out;
	KT_CHECK(kn_agency_get(&x, "rolled-back", &out) == KN_ENOTFOUND);
	/* a release with an open transaction rolls it back */
	KT_CHECK(kn_db_begin(c) == KN_OK);
	KT_CHECK(kn_agency_save(&x, &g, &id) == KN_OK);
	kn_db_release(c);
	c = kn_db_acquire(db);
	x.c = c;
	KT_CHECK(kn_agency_get(&x, "rolled-back", &out) == KN_ENOTFOUND);
	kn_db_release(c);
	kn_arena_free(a);
}

static void *worker(void *arg)
{
	int *fails = arg;
	for (int i = 0; i < 50; i++) {
		struct kn_arena *a = kn_arena_new();
		struct kn_conn *c = kn_db_acquire(db);
		struct kn_rows *r;
		if (kn_sql0(c, a, &r, "SELECT COUNT(*) FROM councils") || r->n != 1)
			(*fails)++;
		kn_db_release(c);
		kn_arena_free(a);
	}
	return NULL;
}

KT_TEST(test_pool_threads)
{
	pthread_t t[6];
	int fails[6] = {0};
	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, worker, &fails[i]);
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		KT_CHECK_INT(fails[i], 0);
	}
}

KT_TEST(test_accounts)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	int64_t id, id2;
	KT_CHECK(kn_account_register(&x, "Bad Login", "", NULL, "short", &id) == KN_EINVAL);
	KT_CHECK(x.errs != NULL);
	int n = 0;
	for (struct kn_ferr *e = x.errs; e; e = e->next)
		n++;
	KT_CHECK_INT(n, 3);
	x.errs = NULL;
	KT_CHECK(kn_account_register(&x, "store-user", "Store User", "s@example.org", "long-enough-pw", &id) == KN_OK);
	KT_CHECK(kn_account_register(&x, "store-user", "Again", NULL, "long-enough-pw", &id2) == KN_EINVAL);
	KT_CHECK_STR(x.errs->field, "login");
	x.errs = NULL;
	KT_CHECK(kn_account_check(&x, "store-user", "long-enough-pw", &id2) == KN_OK);
	KT_CHECK_INT(id2, id);
	KT_CHECK(kn_account_check(&x, "store-user", "wrong-password", &id2) == KN_EPERM);
	KT_CHECK(kn_account_check(&x, "nobody", "long-enough-pw", &id2) == KN_EPERM);
	/* the stored hash is argon2id, never the password */
	struct kn_rows *r;
	KT_CHECK(kn_sql(c, a, &r, "SELECT password_hash FROM users WHERE id = $1", KN_INT(id)) == KN_OK);
	KT_CHECK(strncmp(kn_row_s(r, 0, 0), "$argon2id$", 10) == 0);
	/* sessions: the token works until it expires; only its hash is stored */
	const char *tok;
	KT_CHECK(kn_session_new(&x, id, "127.0.0.1", 1, &tok) == KN_OK);
	struct kn_user *u;
	int64_t sid;
	KT_CHECK(kn_session_user(&x, tok, &u, &sid) == KN_OK);
	KT_CHECK_STR(u->login, "store-user");
	KT_CHECK(kn_sql(c, a, &r, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1", KN_TEXT(tok)) == KN_OK);
	KT_CHECK_INT(kn_row_i(r, 0, 0), 0);
	x.now += 3601;
	KT_CHECK(kn_session_user(&x, tok, &u, &sid) == KN_ENOTFOUND);
	x.now -= 3601;
	/* API tokens: usable, listed without the secret, revocable */
	const char *api;
	int64_t tid;
	KT_CHECK(kn_token_new(&x, id, "case system", &api, &tid) == KN_OK);
	KT_CHECK(kn_token_user(&x, api, &u) == KN_OK);
	KT_CHECK(kn_token_revoke(&x, id, tid) == KN_OK);
	KT_CHECK(kn_token_user(&x, api, &u) == KN_ENOTFOUND);
	KT_CHECK(kn_token_revoke(&x, id, tid) == KN_ENOTFOUND);
	kn_db_release(c);
	kn_arena_free(a);
}

KT_TEST(test_registry_rules)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	int64_t pid, cid, gid;
	struct kn_agency parent = {.slug = "rule-parent", .name_en = "Parent", .kind = "ministry"};
	KT_CHECK(kn_agency_save(&x, &parent, &pid) == KN_OK);
	struct kn_agency child = {.slug = "rule-child", .name_en = "Child", .kind = "committee", .parent_key = "rule-parent"};
	KT_CHECK(kn_agency_save(&x, &child, &cid) == KN_OK);
	parent.id = pid;
	parent.parent_key = "rule-child";
	KT_CHECK(kn_agency_save(&x, &parent, &gid) == KN_EINVAL);
	KT_CHECK_STR(x.errs->field, "parent");
	x.errs = NULL;
	struct kn_agency bad = {.slug = "rule-bad", .name_en = "Bad", .kind = "galaxy", .website = "ftp://x"};
	KT_CHECK(kn_agency_save(&x, &bad, &gid) == KN_EINVAL);
	x.errs = NULL;
	struct kn_council cc = {.slug = "rule-council", .name_en = "Rules", .founded_on = "2020-02-29",
	                        .dissolved_on = "2020-02-28", .timezone = "Asia/Almaty"};
	KT_CHECK(kn_council_save(&x, &cc, &gid) == KN_EINVAL);
	KT_CHECK_STR(x.errs->field, "dissolved_on");
	x.errs = NULL;
	cc.dissolved_on = NULL;
	cc.founded_on = "2021-02-29";
	KT_CHECK(kn_council_save(&x, &cc, &gid) == KN_EINVAL);
	x.errs = NULL;
	cc.founded_on = "2020-02-29";
	KT_CHECK(kn_council_save(&x, &cc, &gid) == KN_OK);
	struct kn_event_row *h;
	int n;
	KT_CHECK(kn_event_list(&x, "council", gid, &h, &n) == KN_OK);
	KT_CHECK_INT(n, 1);
	KT_CHECK_STR(h[0].action, "created");
	kn_db_release(c);
	kn_arena_free(a);
}

KT_TEST(test_demo_loads_once)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	struct kn_rows *r;
	KT_CHECK(kn_sql0(c, a, NULL, "DELETE FROM councils") == KN_OK);
	KT_CHECK(kn_db_begin(c) == KN_OK);
	KT_CHECK(kn_demo_load(&x, "demo-password-1", NULL) == KN_OK);
	KT_CHECK(kn_db_commit(c) == KN_OK);
	KT_CHECK(kn_sql0(c, a, &r, "SELECT seats, succeeded_by FROM councils WHERE slug = 'ncpt'") == KN_OK);
	KT_CHECK_STR(kn_row_s(r, 0, 0), "44");
	KT_CHECK(kn_row_s(r, 0, 1) != NULL);
	KT_CHECK(kn_db_begin(c) == KN_OK);
	KT_CHECK(kn_demo_load(&x, "demo-password-1", NULL) == KN_ECONFLICT);
	kn_db_rollback(c);
	kn_db_release(c);
	kn_arena_free(a);
}

KT_TEST(test_event_chain)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = ctx(a, c);
	int64_t checked, bad;
	char msg[256];
	KT_CHECK(kn_event_verify(&x, &checked, &bad, msg, sizeof(msg)) == KN_OK);
	KT_CHECK(checked > 5);
	/* an edited event is named */
	struct kn_rows *r;
	KT_CHECK(kn_sql0(c, a, &r, "SELECT seq, action FROM events WHERE seq = 3") == KN_OK);
	const char *action = kn_row_s(r, 0, 1);
	KT_CHECK(kn_sql0(c, a, NULL, "UPDATE events SET action = 'forged' WHERE seq = 3") == KN_OK);
	KT_CHECK(kn_event_verify(&x, &checked, &bad, msg, sizeof(msg)) == KN_ECONFLICT);
	KT_CHECK_INT(bad, 3);
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE events SET action = $1 WHERE seq = 3", KN_TEXT(action)) == KN_OK);
	KT_CHECK(kn_event_verify(&x, &checked, &bad, msg, sizeof(msg)) == KN_OK);
	/* a removed last event is noticed at the head */
	KT_CHECK(kn_sql0(c, a, &r, "SELECT MAX(seq) FROM events") == KN_OK);
	int64_t last = kn_row_i(r, 0, 0);
	KT_CHECK(kn_sql(c, a, NULL, "DELETE FROM events WHERE seq = $1", KN_INT(last)) == KN_OK);
	KT_CHECK(kn_event_verify(&x, &checked, &bad, msg, sizeof(msg)) == KN_ECONFLICT);
	KT_CHECK_INT(bad, last);
	/* a change that is not canonical is refused */
	KT_CHECK(kn_sql0(c, a, NULL, "UPDATE event_head SET seq = seq - 1") == KN_OK);
	KT_CHECK(kn_sql0(c, a, NULL, "UPDATE event_head SET hash = (SELECT hash FROM events WHERE seq = (SELECT MAX(seq) FROM events))") == KN_OK);
	KT_CHECK(kn_event_verify(&x, &checked, &bad, msg, sizeof(msg)) == KN_OK);
	KT_CHECK(kn_sql0(c, a, NULL, "UPDATE events SET change = '{ }' WHERE seq = 2") == KN_OK);
	KT_CHECK(kn_event_verify(&x, &checked, &bad, msg, sizeof(msg)) == KN_ECONFLICT);
	KT_CHECK_INT(bad, 2);
	kn_db_release(c);
	kn_arena_free(a);
}

/* the bit of one table, through a statement that reads only it */
static uint64_t bit(const char *select_from_table)
{
	uint64_t rd, wr;
	kn_sql_tables(select_from_table, &rd, &wr);
	KT_CHECK_INT(wr, 0);
	KT_CHECK_INT(__builtin_popcountll(rd), 1);
	return rd;
}

KT_TEST(test_statement_tables)
{
	uint64_t A = bit("SELECT * FROM assignments"), C = bit("SELECT 1 FROM councils"),
	         P = bit("SELECT 1 FROM proposals"), E = bit("SELECT 1 FROM events"), T = bit("SELECT 1 FROM tokens"),
	         S = bit("SELECT 1 FROM sessions"), G = bit("SELECT 1 FROM agencies"), V = bit("SELECT 1 FROM votes_x");
	uint64_t rd, wr;
	kn_sql_tables("SELECT a.id, c.slug FROM assignments a JOIN councils c ON c.id = a.council_id "
	              "LEFT JOIN proposals p ON p.id = a.proposal_id WHERE a.title = 'x FROM tokens' ORDER BY a.id, c.slug",
	              &rd, &wr);
	KT_CHECK(rd == (A | C | P));
	KT_CHECK_INT(wr, 0);
	kn_sql_tables("SELECT 1 FROM councils c, agencies g WHERE c.id IN (SELECT council_id FROM assignments)", &rd, &wr);
	KT_CHECK(rd == (C | G | A));
	kn_sql_tables("INSERT INTO events (kind, body) VALUES ('it''s FROM sessions', $1)", &rd, &wr);
	KT_CHECK(wr == E);
	KT_CHECK(rd == E);
	kn_sql_tables("UPDATE tokens SET last_used_at = $1 WHERE id = $2", &rd, &wr);
	KT_CHECK(wr == T);
	kn_sql_tables("DELETE FROM sessions WHERE expires_at < $1", &rd, &wr);
	KT_CHECK(wr == S);
	kn_sql_tables("INSERT INTO votes_x (a) SELECT id FROM agencies ON CONFLICT (a) DO UPDATE SET a = excluded.a", &rd, &wr);
	KT_CHECK(wr == V);
	KT_CHECK(rd == (V | G));
	/* the same literal answers from the cache, the same way */
	const char *q = "SELECT 1 FROM \"agencies\" g";
	kn_sql_tables(q, &rd, &wr);
	KT_CHECK(rd == G);
	kn_sql_tables(q, &rd, &wr);
	KT_CHECK(rd == G);
}

/* What a connection read stays current until a write to one of its tables
 * commits; writes to other tables leave it current. */
KT_TEST(test_tables_changed_by_commits)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	uint64_t gen = kn_db_generation();
	struct kn_rows *r;
	KT_CHECK(kn_sql(c, a, &r, "SELECT COUNT(*) FROM councils") == KN_OK);
	uint64_t reads = kn_conn_reads(c);
	KT_CHECK(reads == bit("SELECT 1 FROM councils"));
	kn_db_release(c);
	KT_CHECK(kn_tables_unchanged_since(reads, gen));

	/* a write to another table, committed */
	c = kn_db_acquire(db);
	KT_CHECK_INT(kn_conn_reads(c), 0);
	KT_CHECK(kn_db_begin(c) == KN_OK);
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE agencies SET website = website WHERE id = 0") == KN_OK);
	KT_CHECK(kn_tables_unchanged_since(reads, gen)); /* not yet: uncommitted */
	KT_CHECK(kn_db_commit(c) == KN_OK);
	KT_CHECK(kn_tables_unchanged_since(reads, gen));
	KT_CHECK(!kn_tables_unchanged_since(bit("SELECT 1 FROM agencies"), gen));

	/* a rolled-back write to the table read changes nothing */
	KT_CHECK(kn_db_begin(c) == KN_OK);
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE councils SET seats = seats WHERE id = 0") == KN_OK);
	kn_db_rollback(c);
	KT_CHECK(kn_tables_unchanged_since(reads, gen));

	/* a write to it outside a transaction, and one inside, retire what was read */
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE councils SET seats = seats WHERE id = 0") == KN_OK);
	KT_CHECK(!kn_tables_unchanged_since(reads, gen));
	gen = kn_db_generation();
	KT_CHECK(kn_tables_unchanged_since(reads, gen));
	KT_CHECK(kn_db_begin(c) == KN_OK);
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE councils SET seats = seats WHERE id = 0") == KN_OK);
	KT_CHECK(kn_db_commit(c) == KN_OK);
	KT_CHECK(!kn_tables_unchanged_since(reads, gen));
	/* another process's writes (seen through the log's head) retire everything */
	gen = kn_db_generation();
	kn_db_generation_bump();
	KT_CHECK(!kn_tables_unchanged_since(bit("SELECT 1 FROM sessions"), gen));
	kn_db_release(c);
	kn_arena_free(a);
}

/* kn_sql_each hands over the rows kn_sql gathers, cell for cell: each a
 * C string of its stated length (integers too, which SQLite's driver
 * hands over as integers and writes as digits when asked), NULL for NULL,
 * the same integers, whichever is asked for first, and kept, the same
 * texts; fn's false stops it. */
struct seen {
	struct kn_arena *a;
	struct kn_rows *want;
	int rows, stop_after;
	bool ok;
};

static bool see_row(void *arg, const struct kn_cells *row)
{
	struct seen *s = arg;
	struct kn_rows *w = s->want;
	if (s->rows >= w->n || row->cols != w->cols) {
		s->ok = false;
		return false;
	}
	/* the first row kept before any cell is asked for, the others after */
	struct kn_cells kept = {0};
	if (s->a && s->rows == 0)
		kept = kn_cells_kept(s->a, row);
	for (int j = 0; j < row->cols; j++) {
		bool int_first = (s->rows + j) % 2;
		int64_t i = int_first ? kn_cell_i(row, j) : 0;
		const char *v = kn_cell_s(row, j), *e = kn_row_s(w, s->rows, j);
		if (!v != !e || (v && (strlen(v) != row->len[j] || strcmp(v, e))))
			s->ok = false;
		if (!int_first)
			i = kn_cell_i(row, j);
		if (i != kn_row_i(w, s->rows, j))
			s->ok = false;
	}
	if (s->a) {
		if (s->rows > 0)
			kept = kn_cells_kept(s->a, row);
		for (int j = 0; j < row->cols; j++) {
			const char *v = kn_cell_s(&kept, j), *e = kn_row_s(w, s->rows, j);
			if (!v != !e || (v && strcmp(v, e)) || kn_cell_i(&kept, j) != kn_row_i(w, s->rows, j))
				s->ok = false;
		}
	}
	s->rows++;
	return s->rows != s->stop_after;
}

KT_TEST(test_each_row)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
#define EACH_SQL                                                                                                 \
	"SELECT n, n * 1000, 'r' || n, NULL, -n, n * 100000000000, $1 FROM (SELECT 1 AS n UNION ALL SELECT 22 UNION " \
	"ALL SELECT 333) t ORDER BY n"
	struct kn_rows *r;
	KT_CHECK(kn_sql(c, a, &r, EACH_SQL, KN_TEXT("Қазақ")) == KN_OK);
	KT_CHECK_INT(r->n, 3);
	KT_CHECK_STR(kn_row_s(r, 2, 1), "333000");
	KT_CHECK_STR(kn_row_s(r, 1, 5), "2200000000000");
	struct seen s = {.a = a, .want = r, .ok = true};
	KT_CHECK(kn_sql_each(c, a, see_row, &s, EACH_SQL, KN_TEXT("Қазақ")) == KN_OK);
	KT_CHECK(s.ok);
	KT_CHECK_INT(s.rows, 3);
	struct seen two = {.want = r, .ok = true, .stop_after = 2};
	KT_CHECK(kn_sql_each(c, a, see_row, &two, EACH_SQL, KN_TEXT("Қазақ")) == KN_OK);
	KT_CHECK(two.ok);
	KT_CHECK_INT(two.rows, 2);
#undef EACH_SQL
	struct seen none = {.want = r, .ok = true};
	KT_CHECK(kn_sql_each(c, a, see_row, &none, "SELECT no_such_column FROM accounts", KN_INT(0)) == KN_EDB);
	KT_CHECK_INT(none.rows, 0);
	kn_db_release(c);
	kn_arena_free(a);
}

static int run_all(const char *url)
{
	char err[512];
	db = kn_db_open(url, 4, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		kt_fail_++;
		return 1;
	}
	int n;
	if (kn_db_migrate(db, &n, err, sizeof(err))) {
		fprintf(stderr, "migrate: %s\n", err);
		kt_fail_++;
		kn_db_close(db);
		return 1;
	}
	KT_RUN(test_migrate_idempotent);
	KT_RUN(test_params_and_nulls);
	KT_RUN(test_each_row);
	KT_RUN(test_more_statements_than_cached);
	KT_RUN(test_statement_tables);
	KT_RUN(test_tables_changed_by_commits);
	KT_RUN(test_errors_map);
	KT_RUN(test_rollback_leaves_nothing);
	KT_RUN(test_pool_threads);
	KT_RUN(test_accounts);
	KT_RUN(test_registry_rules);
	KT_RUN(test_demo_loads_once);
	KT_RUN(test_event_chain);
	kn_db_close(db);
	return 0;
}

KT_TEST(test_row_integers)
{
	/* kn_row_i reads canonical decimals itself and leaves the rest to strtoll */
	char *cells[] = {"42", "0", "007", "-7", "9223372036854775807", "123456789012345678", "12abc", "", NULL};
	struct kn_rows r = {.n = 1, .cols = 9, .v = cells};
	int64_t want[] = {42, 0, 7, -7, INT64_MAX, 123456789012345678, 12, 0, 0};
	for (int c = 0; c < 9; c++)
		KT_CHECK_INT(kn_row_i(&r, 0, c), want[c]);
}

int main(void)
{
	KT_NAME("test_store");
	KT_RUN(test_row_integers);
	if (sodium_init() < 0)
		return 1;
	int argc = 1;
	char *argv[] = {"test", NULL};
	char err[128];
	kn_config_load(&argc, argv, err, sizeof(err));
	snprintf(sqlite_path, sizeof(sqlite_path), "/tmp/kn-test-store-%d.db", (int)getpid());
	char url[300];
	snprintf(url, sizeof(url), "sqlite:%s", sqlite_path);
	run_all(url);
	const char *pg = getenv("KN_TEST_PG_URL");
	if (pg && *pg)
		run_all(pg);
	else
		fprintf(stderr, "test_store: KN_TEST_PG_URL not set: PostgreSQL part skipped\n");
	char path[300];
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", sqlite_path, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(path);
	}
	kn_config_free();
	KT_DONE();
}
