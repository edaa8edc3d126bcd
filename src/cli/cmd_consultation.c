/* cmd_consultation.c: `kenes consultation export ID DIR` writes a
 * consultation in Pol.is's export format (five CSV files); `kenes
 * consultation import COUNCIL DIR` reads a Pol.is export folder into a new
 * (closed) consultation of the council, refusing bad CSV with the file and
 * line. Both as the system actor (operator's tool). */
#include "cli/cmd_consultation.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/config.h"
#include "domain/consultation.h"
#include "domain/registry.h"
#include "opinion/polis_csv.h"
#include "store/store.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int usage(FILE *f)
{
	fprintf(f, "usage: kenes consultation export ID DIR [--db URL]\n"
	           "       kenes consultation import COUNCIL DIR [--question TEXT] [--db URL]\n\n"
	           "export writes comments.csv, votes.csv, participants-votes.csv, summary.csv and\n"
	           "stats-history.csv (Pol.is's export format; agree = 1, disagree = -1, pass = 0;\n"
	           "participants appear only by their number in the consultation).\n"
	           "import reads DIR/comments.csv, DIR/votes.csv and DIR/summary.csv (optional: the\n"
	           "question defaults to its topic) into a new closed consultation of COUNCIL (slug or\n"
	           "id) and prints its address. Pol.is open data is CC BY 4.0: keep its attribution.\n");
	return f == stdout ? 0 : 2;
}

static int write_file(const char *dir, const struct kn_polis_file *f)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, f->name);
	FILE *o = fopen(path, "wb");
	if (!o || fwrite(f->data, 1, f->len, o) != f->len || fclose(o)) {
		fprintf(stderr, "kenes consultation: cannot write %s: %s\n", path, strerror(errno));
		if (o)
			fclose(o);
		return 1;
	}
	return 0;
}

static int do_export(struct kn_ctx *x, const char *idarg, const char *dir)
{
	int64_t id = kn_parse_id(idarg);
	struct kn_consultation *c;
	enum kn_err rc = id ? kn_consultation_get(x, 0, id, &c) : KN_ENOTFOUND;
	if (rc) {
		fprintf(stderr, "kenes consultation: no consultation %s\n", idarg);
		return 1;
	}
	struct kn_polis_file *f;
	int n;
	if ((rc = kn_consultation_export(x, c, kn_cfg.base_url ? kn_cfg.base_url : "", &f, &n))) {
		fprintf(stderr, "kenes consultation: export failed: %s\n", kn_err_str(rc));
		return 1;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "kenes consultation: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (write_file(dir, &f[i]))
			return 1;
	printf("kenes consultation: %d files written to %s\n", n, dir);
	return 0;
}

static int do_import(struct kn_ctx *x, const char *council_key, const char *dir, const char *question)
{
	struct kn_council *k;
	if (kn_council_get(x, council_key, &k)) {
		fprintf(stderr, "kenes consultation: no council %s\n", council_key);
		return 1;
	}
	const char *names[3] = {"comments.csv", "votes.csv", "summary.csv"};
	char *buf[3] = {NULL, NULL, NULL};
	size_t len[3] = {0, 0, 0};
	for (int i = 0; i < 3; i++) {
		char path[4096], err[300];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (kn_opinion_read_file(path, &buf[i], &len[i], err, sizeof(err)) && i < 2) {
			fprintf(stderr, "kenes consultation: %s\n", err);
			for (int j = 0; j < i; j++)
				free(buf[j]);
			return 1;
		}
	}
	int64_t id = 0;
	enum kn_err rc = kn_db_begin(x->c);
	if (!rc) {
		rc = kn_consultation_import(x, k, question, buf[0], len[0], buf[1], len[1], buf[2], len[2], &id);
		if (rc)
			kn_db_rollback(x->c);
		else
			rc = kn_db_commit(x->c);
	}
	for (int i = 0; i < 3; i++)
		free(buf[i]);
	if (rc == KN_EINVAL) {
		for (const struct kn_ferr *e = x->errs; e; e = e->next)
			fprintf(stderr, "kenes consultation: %s%s%s\n", e->field && strcmp(e->field, "file") ? e->field : "",
			        e->field && strcmp(e->field, "file") ? ": " : "", e->msg);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "kenes consultation: import failed: %s\n", kn_err_str(rc));
		return 1;
	}
	printf("kenes consultation: imported as /councils/%s/consultations/%lld\n", k->slug, (long long)id);
	return 0;
}

int kn_cmd_consultation(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout);
	const char *question = NULL;
	const char *pos[3] = {NULL, NULL, NULL};
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--question") && i + 1 < argc)
			question = argv[++i];
		else if (argv[i][0] == '-' || npos == 3)
			return usage(stderr);
		else
			pos[npos++] = argv[i];
	}
	if (npos != 3 || (strcmp(pos[0], "export") && strcmp(pos[0], "import")))
		return usage(stderr);
	char err[512];
	struct kn_db *db = kn_db_open(kn_cfg.db, 1, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "kenes: %s\n", err);
		return 1;
	}
	int applied;
	if (kn_db_migrate(db, &applied, err, sizeof(err))) {
		fprintf(stderr, "kenes: %s\n", err);
		kn_db_close(db);
		return 1;
	}
	struct kn_arena *a = kn_arena_new();
	struct kn_ctx x = {.a = a, .c = kn_db_acquire(db), .now = kn_now(), .actor_name = "operator (command line)",
	                   .actor_role = "operator"};
	int st = !strcmp(pos[0], "export") ? do_export(&x, pos[1], pos[2]) : do_import(&x, pos[1], pos[2], question);
	kn_db_release(x.c);
	kn_arena_free(a);
	kn_db_close(db);
	return st;
}
