/* test_record_kinds.c: every record kind of record_kinds.c against the demo
 * data, on SQLite and (KN_TEST_PG_URL) PostgreSQL: after kn_demo_load (and
 * an extension asked and granted, a reform item, a career) the records
 * match their events; one public column of one row of EACH kind edited
 * behind the log's back is named by kn_record_verify with its kind, row and
 * field, and put back; the export's assignments, laws and appeals files hold
 * the expected rows and never a confidential appeal, an e-mail address or a
 * password hash. */
#include "core/arena.h"
#include "core/config.h"
#include "domain/demo.h"
#include "domain/loop.h"
#include "domain/record.h"
#include "domain/registry.h"
#include "kt.h"
#include "store/store.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *url;

#define TX(x, call) (kn_db_begin((x)->c) ? KN_EDB : ((x)->errs = NULL, tx_done((x)->c, (call))))
static enum kn_err tx_done(struct kn_conn *c, enum kn_err rc)
{
	if (rc) {
		kn_db_rollback(c);
		return rc;
	}
	return kn_db_commit(c);
}

/* Verification's verdict; kind and field copied out of the arena. */
struct verdict {
	enum kn_err rc;
	char kind[64], field[64], msg[1024];
	int64_t id, records;
};

static struct verdict verify(struct kn_conn *c)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_ctx x = {.a = a, .c = c, .now = 1900000000};
	struct kn_verify_report rep;
	struct verdict v = {0};
	v.rc = kn_record_verify(&x, NULL, &rep);
	snprintf(v.kind, sizeof(v.kind), "%s", rep.bad_kind ? rep.bad_kind : "");
	snprintf(v.field, sizeof(v.field), "%s", rep.bad_field ? rep.bad_field : "");
	snprintf(v.msg, sizeof(v.msg), "%s", rep.msg);
	v.id = rep.bad_id;
	v.records = rep.records;
	kn_arena_free(a);
	return v;
}

/* One text column of each kind and the value a tamperer writes; each
 * with its own literal statements (kn_sql takes no built SQL). */
#define KN_CASES(X)                                                              \
	X("council", councils, description, "Edited behind the log's back.")     \
	X("agency", agencies, website, "https://forged.example")                 \
	X("person", persons, bio, "A forged biography.")                         \
	X("career", careers, position, "Forged position")                        \
	X("seat", seats, region, "Forged region")                                \
	X("rotation", rotations, basis, "Forged decree")                         \
	X("group", working_groups, name_en, "Forged group")                      \
	X("meeting", meetings, place, "Forged place")                            \
	X("proposal", proposals, title, "Forged proposal")                       \
	X("assignment", assignments, deadline, "2099-12-31")                     \
	X("report", reports, evidence, "https://forged.example/evidence")        \
	X("extension", extensions, decision_note, "Forged note")                 \
	X("reform", reform_packages, description, "Forged description")         \
	X("reform_item", reform_items, title, "Forged item")                     \
	X("law", laws, number, "FORGED-1")                                       \
	X("appeal", appeals, category, "forged")                                                                  \
	X("consultation", consultations, question, "forged")

#define CASE_FNS(kind, table, col, val)                                                                   \
	static enum kn_err sel_##table(struct kn_conn *c, struct kn_arena *a, int64_t id, struct kn_rows **r) \
	{                                                                                                 \
		return kn_sql(c, a, r, "SELECT " #col " FROM " #table " WHERE id = $1", KN_INT(id));      \
	}                                                                                                 \
	static enum kn_err upd_##table(struct kn_conn *c, struct kn_arena *a, int64_t id, const char *v)  \
	{                                                                                                 \
		return kn_sql(c, a, NULL, "UPDATE " #table " SET " #col " = $1 WHERE id = $2", KN_TEXT(v), \
		              KN_INT(id));                                                                \
	}
KN_CASES(CASE_FNS)
#define CASE_ROW(kind, table, col, val) {kind, #col, val, sel_##table, upd_##table},
static const struct {
	const char *kind, *col, *val;
	enum kn_err (*sel)(struct kn_conn *c, struct kn_arena *a, int64_t id, struct kn_rows **r);
	enum kn_err (*upd)(struct kn_conn *c, struct kn_arena *a, int64_t id, const char *v);
} cases[] = {KN_CASES(CASE_ROW)};

/* The first public row of a kind (0: none). */
static int64_t first_public(struct kn_ctx *x, const struct kn_kind *k)
{
	struct kn_rows *r;
	if (k->load_public(x, &r) || !r->n)
		return 0;
	return kn_row_i(r, 0, 0);
}

/* Records the demo does not have: an extension asked and granted. */
static void add_missing(struct kn_ctx *x)
{
	struct kn_council *c;
	KT_CHECK(kn_council_get(x, "ncpt", &c) == KN_OK);
	struct kn_agency *g;
	KT_CHECK(kn_agency_get(x, "mvd", &g) == KN_OK);
	if (!c || !g)
		return;
	x->actor_role = "chair";
	struct kn_assignment in = {.title = "Publish the figures", .agency_key = "mvd", .deadline = "2030-02-01",
	                           .issued_on = "2030-01-10"};
	int64_t aid = 0, eid = 0;
	KT_CHECK(TX(x, kn_assignment_issue(x, c, &in, &aid)) == KN_OK);
	x->actor_role = "officer";
	KT_CHECK(TX(x, kn_assignment_start(x, aid, g->id)) == KN_OK);
	KT_CHECK(TX(x, kn_assignment_ask_extension(x, aid, g->id, "2030-03-01", "A decree is needed.", &eid)) == KN_OK);
	x->actor_role = "chair";
	KT_CHECK(TX(x, kn_assignment_decide_extension(x, c, aid, eid, true, "Granted once.")) == KN_OK);
	x->actor_role = "officer";
	KT_CHECK(TX(x, kn_assignment_ask_extension(x, aid, g->id, "2030-04-01", "Still more time.", &eid)) == KN_OK);
	x->actor_role = "chair";
	KT_CHECK(TX(x, kn_assignment_decide_extension(x, c, aid, eid, false, "No.")) == KN_OK);
	KT_CHECK(TX(x, kn_assignment_withdraw(x, c, aid, "Superseded.")) == KN_OK);
}

static const char *file_text(struct kn_export_file *f, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return f[i].data;
	return NULL;
}

KT_TEST(test_every_kind)
{
	char err[512];
	struct kn_db *db = kn_db_open(url, 2, err, sizeof(err));
	KT_CHECK(db != NULL);
	if (!db)
		return;
	int nm;
	KT_CHECK(kn_db_migrate(db, &nm, err, sizeof(err)) == KN_OK);
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = 1895000000, .actor_name = "test", .actor_role = "operator"};
	KT_CHECK(TX(&x, kn_demo_load(&x, "a-long-password-1", NULL)) == KN_OK);
	struct verdict v = verify(c);
	if (v.rc)
		fprintf(stderr, "after the demo: %s\n", v.msg);
	KT_CHECK(v.rc == KN_OK);
	add_missing(&x);
	v = verify(c);
	if (v.rc)
		fprintf(stderr, "after the extension: %s\n", v.msg);
	KT_CHECK(v.rc == KN_OK);
	KT_CHECK(v.records > 100);

	/* every kind is covered by a case, and each case is caught */
	for (int k = 0; k < kn_nkinds; k++) {
		bool found = false;
		for (size_t i = 0; i < KN_ARRAY_LEN(cases); i++)
			found = found || !strcmp(cases[i].kind, kn_kinds[k].kind);
		if (!found)
			fprintf(stderr, "kind %s has no tampering case\n", kn_kinds[k].kind);
		KT_CHECK(found);
	}
	for (size_t i = 0; i < KN_ARRAY_LEN(cases); i++) {
		const struct kn_kind *k = kn_kind_find(cases[i].kind);
		KT_CHECK(k != NULL);
		if (!k)
			continue;
		int64_t id = first_public(&x, k);
		if (!id)
			fprintf(stderr, "kind %s: no public row in the demo\n", cases[i].kind);
		KT_CHECK(id > 0);
		struct kn_rows *r = NULL;
		KT_CHECK(cases[i].sel(c, a, id, &r) == KN_OK);
		const char *orig = r && r->n ? kn_row_s(r, 0, 0) : NULL;
		KT_CHECK(cases[i].upd(c, a, id, cases[i].val) == KN_OK);
		v = verify(c);
		KT_CHECK(v.rc == KN_ECONFLICT);
		KT_CHECK_STR(v.kind, cases[i].kind);
		KT_CHECK_INT(v.id, id);
		KT_CHECK_STR(v.field, cases[i].col);
		KT_CHECK(cases[i].upd(c, a, id, orig) == KN_OK);
		v = verify(c);
		if (v.rc)
			fprintf(stderr, "%s put back: %s\n", cases[i].kind, v.msg);
		KT_CHECK(v.rc == KN_OK);
	}
	/* an integer column too: a meeting moved in time */
	int64_t mid = first_public(&x, kn_kind_find("meeting"));
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE meetings SET starts_at = starts_at + 3600 WHERE id = $1", KN_INT(mid)) == KN_OK);
	v = verify(c);
	KT_CHECK_STR(v.kind, "meeting");
	KT_CHECK_STR(v.field, "starts_at");
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE meetings SET starts_at = starts_at - 3600 WHERE id = $1", KN_INT(mid)) == KN_OK);
	/* a council_id column is the council its events are filed under */
	struct kn_rows *cr;
	KT_CHECK(kn_sql0(c, a, &cr, "SELECT id FROM councils WHERE slug <> 'ncpt' ORDER BY id") == KN_OK && cr->n > 0);
	int64_t aid = first_public(&x, kn_kind_find("assignment"));
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE assignments SET council_id = $1 WHERE id = $2", KN_INT(kn_row_i(cr, 0, 0)),
	                KN_INT(aid)) == KN_OK);
	v = verify(c);
	KT_CHECK_STR(v.kind, "assignment");
	KT_CHECK_STR(v.field, "council_id");
	struct kn_council *ncpt;
	KT_CHECK(kn_council_get(&x, "ncpt", &ncpt) == KN_OK);
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE assignments SET council_id = $1 WHERE id = $2", KN_INT(ncpt->id), KN_INT(aid)) ==
	         KN_OK);
	/* a confidential appeal: its state is vouched for, its content is not public */
	struct kn_rows *conf;
	KT_CHECK(kn_sql0(c, a, &conf, "SELECT id, reference FROM appeals WHERE visibility = 'confidential'") == KN_OK);
	KT_CHECK(conf->n >= 1);
	int64_t cid = conf->n ? kn_row_i(conf, 0, 0) : 0;
	char cref[64];
	snprintf(cref, sizeof(cref), "%s", conf->n ? kn_row_s(conf, 0, 1) : "none");
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE appeals SET state = 'rejected' WHERE id = $1 AND state <> 'rejected'",
	                KN_INT(cid)) == KN_OK);
	v = verify(c);
	KT_CHECK_STR(v.kind, "appeal");
	KT_CHECK_INT(v.id, cid);
	KT_CHECK_STR(v.field, "state");
	kn_db_release(c);
	kn_arena_free(a);
	kn_db_close(db);

	/* put back the state its events say (the database reopened) */
	db = kn_db_open(url, 2, err, sizeof(err));
	a = kn_arena_new();
	c = kn_db_acquire(db);
	x = (struct kn_ctx){.a = a, .c = c, .now = 1895000000};
	struct kn_event_row *ev;
	int nev;
	KT_CHECK(kn_event_list(&x, "appeal", cid, &ev, &nev) == KN_OK);
	const char *last_state = NULL;
	for (int i = 0; i < nev; i++) {
		struct kn_change_item *ch;
		int nc;
		KT_CHECK(kn_event_changes(&x, &ev[i], &ch, &nc) == KN_OK);
		for (int k = 0; k < nc; k++) {
			KT_CHECK(!strcmp(ch[k].field, "state")); /* confidential: the state only */
			last_state = ch[k].after;
		}
	}
	KT_CHECK(last_state != NULL);
	KT_CHECK(kn_sql(c, a, NULL, "UPDATE appeals SET state = $1 WHERE id = $2", KN_TEXT(last_state), KN_INT(cid)) ==
	         KN_OK);
	v = verify(c);
	if (v.rc)
		fprintf(stderr, "after putting back: %s\n", v.msg);
	KT_CHECK(v.rc == KN_OK);

	/* the export: expected rows, nothing private */
	struct kn_export_file *f;
	int nf;
	KT_CHECK(kn_export_build(&x, NULL, &f, &nf) == KN_OK);
	const char *as = file_text(f, nf, "assignments.csv"), *laws = file_text(f, nf, "laws.csv");
	const char *ap = file_text(f, nf, "appeals.csv"), *apj = file_text(f, nf, "appeals.json");
	const char *ext = file_text(f, nf, "extensions.csv"), *rep = file_text(f, nf, "reports.csv");
	KT_CHECK(as && laws && ap && apj && ext && rep && file_text(f, nf, "careers.csv") &&
	         file_text(f, nf, "meetings.json") && file_text(f, nf, "reform_items.json"));
	if (as && laws && ap && apj && ext && rep) {
		KT_CHECK(strstr(as, "Restore the state units for the protection of women and children") != NULL);
		KT_CHECK(strstr(as, ",completed,") != NULL);
		KT_CHECK(strstr(as, "Publish the figures") != NULL);
		KT_CHECK(strstr(laws, "Law on the parliamentary opposition") != NULL);
		KT_CHECK(strstr(laws, ",adopted,") != NULL);
		KT_CHECK(strstr(ap, "NCPT-") != NULL);
		KT_CHECK(strstr(ap, cref) == NULL);  /* never a confidential appeal */
		KT_CHECK(strstr(apj, cref) == NULL);
		KT_CHECK(strstr(ap, "confidential,") == NULL);
		KT_CHECK(strstr(ap, "anonymous") != NULL); /* exported, without a filer column */
		KT_CHECK(strstr(ap, "filer") == NULL);
		KT_CHECK(strstr(ext, "Granted once.") != NULL && strstr(ext, ",refused,") != NULL);
		KT_CHECK(strstr(rep, "+129") == NULL);  /* indicators are a summary in the event, not a column */
		KT_CHECK(strstr(rep, "https://t.me/Ulttyq_kenes") != NULL);
	}
	/* the confidential appeals' text, every e-mail address and password hash */
	struct kn_rows *secret;
	KT_CHECK(kn_sql0(c, a, &secret,
	                 "SELECT subject FROM appeals WHERE visibility = 'confidential' UNION ALL "
	                 "SELECT body FROM appeals WHERE visibility = 'confidential' UNION ALL "
	                 "SELECT email FROM users WHERE email IS NOT NULL AND email <> '' UNION ALL "
	                 "SELECT password_hash FROM users") == KN_OK);
	KT_CHECK(secret->n >= 3);
	for (int i = 0; i < nf; i++) {
		KT_CHECK(!strstr(f[i].data, "password_hash") && !strstr(f[i].data, "$argon2"));
		for (int s = 0; secret && s < secret->n; s++)
			if (strstr(f[i].data, kn_row_s(secret, s, 0))) {
				fprintf(stderr, "%s holds private text: %.60s\n", f[i].name, kn_row_s(secret, s, 0));
				KT_CHECK(false);
			}
	}
	kn_db_release(c);
	kn_arena_free(a);
	kn_db_close(db);
}

static void rm_sqlite(const char *path)
{
	for (int i = 0; i < 3; i++) {
		char p[400];
		snprintf(p, sizeof(p), "%s%s", path, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(p);
	}
}

int main(void)
{
	KT_NAME("test_record_kinds");
	if (sodium_init() < 0)
		return 1;
	int argc = 1;
	char *argv[] = {"test", NULL};
	char err[128];
	kn_config_load(&argc, argv, err, sizeof(err));
	char path[300], sqlite_url[320];
	snprintf(path, sizeof(path), "/tmp/kn-test-record-kinds-%d.db", (int)getpid());
	snprintf(sqlite_url, sizeof(sqlite_url), "sqlite:%s", path);
	url = sqlite_url;
	KT_RUN(test_every_kind);
	rm_sqlite(path);
	const char *pg = getenv("KN_TEST_PG_URL");
	if (pg && *pg) {
		/* a database of our own, so the other storage tests find theirs empty */
		struct kn_db *admin = kn_db_open(pg, 1, err, sizeof(err));
		char pgurl[600];
		const char *slash = strrchr(pg, '/');
		snprintf(pgurl, sizeof(pgurl), "%.*s/kn_test_record_kinds", (int)(slash ? slash - pg : 0), pg);
		struct kn_arena *a = kn_arena_new();
		struct kn_conn *c = admin ? kn_db_acquire(admin) : NULL;
		struct kn_rows *r;
		bool ok = c && !kn_sql0(c, a, &r, "DROP DATABASE IF EXISTS kn_test_record_kinds") &&
		          !kn_sql0(c, a, &r, "CREATE DATABASE kn_test_record_kinds");
		if (c)
			kn_db_release(c);
		if (ok) {
			url = pgurl;
			KT_RUN(test_every_kind);
		} else {
			fprintf(stderr, "test_record_kinds: cannot create the PostgreSQL database kn_test_record_kinds\n");
			kt_fail_++;
		}
		kn_arena_free(a);
		kn_db_close(admin);
	} else {
		fprintf(stderr, "test_record_kinds: KN_TEST_PG_URL not set: PostgreSQL part skipped\n");
	}
	kn_config_free();
	KT_DONE();
}
