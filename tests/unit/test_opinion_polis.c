/* test_opinion_polis.c: the opinion engine checked against real Pol.is exports, and CSV errors.
 *
 * Uses three Pol.is open-data conversations from $KN_SHARED_DIR/data/polis.
 *
 *   --------------- BEGIN STATEMENT ---------------
 *   Data was gathered using the Polis software (compdemocracy.org/polis) and is
 *   sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy
 *   Project. The data and more information about how the data was collected can
 *   be found at the following link(s):
 *
 *   https://compdemocracy.org/case-studies/2022-london-youth-policing
 *   https://compdemocracy.org/case-studies/2019-scoop-hivemind-biodiversity
 *   https://github.com/compdemocracy/openData/tree/master/bg2050-volunteers
 *     (conversation https://pol.is/3nemnipcrc; no case-study page is listed for it upstream)
 *   --------------- END STATEMENT ---------------
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt.h"
#include "opinion/opinion.h"
#include "opinion/polis_csv.h"


static const char *shared(void)
{
	const char *s = getenv("KN_SHARED_DIR");
	return s && *s ? s : "../shared";
}

static void path_of(char *dst, size_t n, const char *conv, const char *file)
{
	snprintf(dst, n, "%s/data/polis/%s/%s", shared(), conv, file);
}

/* participants-votes.csv: pid -> exported group id (-1 empty), and the
 * whole matrix when want_votes (pid, tid, vote triples). */
struct pv {
	int64_t *pid;
	int *group;
	size_t n;
	int64_t *tids; /* header comment ids */
	size_t ntids;
	signed char *cell; /* n * ntids, 2 = empty */
};

static void pv_free(struct pv *p)
{
	free(p->pid);
	free(p->group);
	free(p->tids);
	free(p->cell);
	memset(p, 0, sizeof *p);
}

static int pv_load(const char *conv, struct pv *out)
{
	char path[2048], err[256];
	char *buf;
	size_t len;
	memset(out, 0, sizeof *out);
	path_of(path, sizeof path, conv, "participants-votes.csv");
	if (kn_opinion_read_file(path, &buf, &len, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	struct kn_opinion_csv c;
	kn_opinion_csv_init(&c, buf, len);
	int rc = kn_opinion_csv_next(&c, err, sizeof err);
	long gcol = -1, first = -1;
	for (size_t i = 0; rc == 1 && i < c.nfields; i++) {
		if (strcmp(c.fields[i], "group-id") == 0)
			gcol = (long)i;
		if (strcmp(c.fields[i], "n-disagree") == 0)
			first = (long)i + 1;
	}
	if (rc != 1 || gcol < 0 || first < 0)
		goto bad;
	out->ntids = c.nfields - (size_t)first;
	out->tids = malloc(out->ntids * sizeof *out->tids);
	for (size_t i = 0; i < out->ntids; i++)
		if (kn_opinion_parse_i64(c.fields[(size_t)first + i], &out->tids[i]) != 0)
			goto bad;
	size_t cap = 0;
	while ((rc = kn_opinion_csv_next(&c, err, sizeof err)) == 1) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 256;
			out->pid = realloc(out->pid, cap * sizeof *out->pid);
			out->group = realloc(out->group, cap * sizeof *out->group);
			out->cell = realloc(out->cell, cap * out->ntids);
		}
		int64_t v;
		if (kn_opinion_parse_i64(c.fields[0], &out->pid[out->n]) != 0)
			goto bad;
		out->group[out->n] = -1;
		if (*c.fields[gcol]) {
			if (kn_opinion_parse_i64(c.fields[gcol], &v) != 0)
				goto bad;
			out->group[out->n] = (int)v;
		}
		for (size_t i = 0; i < out->ntids; i++) {
			const char *f = c.fields[(size_t)first + i];
			signed char cv = 2;
			if (*f) {
				if (kn_opinion_parse_i64(f, &v) != 0)
					goto bad;
				cv = (signed char)v;
			}
			out->cell[out->n * out->ntids + i] = cv;
		}
		out->n++;
	}
	if (rc < 0)
		goto bad;
	kn_opinion_csv_free(&c);
	free(buf);
	return 0;
bad:
	fprintf(stderr, "%s: parse failure %s\n", path, err);
	kn_opinion_csv_free(&c);
	free(buf);
	pv_free(out);
	return -1;
}

static struct kn_opinion_result *run_conv(const char *conv, struct kn_opinion_polis *pol)
{
	char dir[2048], err[512];
	snprintf(dir, sizeof dir, "%s/data/polis/%s", shared(), conv);
	if (kn_opinion_polis_load(dir, pol, err, sizeof err) != 0) {
		fprintf(stderr, "load %s: %s\n", conv, err);
		return NULL;
	}
	struct kn_opinion_input in = {pol->votes, pol->n_votes, pol->statements, pol->n_statements,
				      0};
	struct kn_opinion_result *r = NULL;
	if (kn_opinion_update(&in, NULL, &r, err, sizeof err) != 0) {
		fprintf(stderr, "update %s: %s\n", conv, err);
		return NULL;
	}
	return r;
}

/* Best injective matching of our labels (0..a-1) to exported ones (0..b-1)
 * maximising agreement; conf is a x b. */
static int best_match(const int *conf, int a, int b, int i, unsigned used)
{
	if (i == a)
		return 0;
	int best = best_match(conf, a, b, i + 1, used); /* leave unmatched */
	for (int j = 0; j < b; j++)
		if (!(used & (1u << j))) {
			int s = conf[i * b + j] + best_match(conf, a, b, i + 1, used | (1u << j));
			if (s > best)
				best = s;
		}
	return best;
}

/* Returns agreement fraction over participants with an exported group. */
static double agreement(const char *conv, int *k_ours, int *k_theirs, int *n_match, int *n_total)
{
	struct kn_opinion_polis pol;
	struct kn_opinion_result *r = run_conv(conv, &pol);
	struct pv pv;
	if (!r || pv_load(conv, &pv) != 0) {
		kn_opinion_result_free(r);
		kn_opinion_polis_free(&pol);
		return -1;
	}
	int conf[8 * 8] = {0};
	int kt = 0;
	int total = 0;
	for (size_t i = 0; i < pv.n; i++) {
		if (pv.group[i] < 0)
			continue;
		total++;
		if (pv.group[i] + 1 > kt)
			kt = pv.group[i] + 1;
		for (size_t p = 0; p < r->n_participants; p++)
			if (r->participants[p].id == pv.pid[i] && r->participants[p].group >= 0) {
				int gi = -1;
				for (size_t g = 0; g < r->n_groups; g++)
					if (r->groups[g].id == r->participants[p].group)
						gi = (int)g;
				if (gi >= 0 && gi < 8 && pv.group[i] < 8)
					conf[gi * 8 + pv.group[i]]++;
			}
	}
	int m = best_match(conf, (int)r->n_groups, 8, 0, 0);
	*k_ours = (int)r->n_groups;
	*k_theirs = kt;
	*n_match = m;
	*n_total = total;
	printf("%s: k=%d (export %d), in-conv %zu, agreement %d/%d = %.4f, pca products %d+%d\n",
	       conv, *k_ours, kt, r->n_in_conv, m, total, total ? (double)m / total : 0.0,
	       r->pca_iters[0], r->pca_iters[1]);
	kn_opinion_result_free(r);
	kn_opinion_polis_free(&pol);
	pv_free(&pv);
	return total ? (double)m / total : 0.0;
}

static void test_bg2050_groups(void)
{
	int ko, kt, m, t;
	double a = agreement("bg2050-volunteers", &ko, &kt, &m, &t);
	KT_CHECK_INT(ko, kt);
	KT_CHECK(a >= 0.99);
}

static void test_biodiversity_groups(void)
{
	int ko, kt, m, t;
	double a = agreement("scoop-hivemind.biodiversity", &ko, &kt, &m, &t);
	KT_CHECK_INT(ko, kt);
	KT_CHECK(a >= 0.99);
}

int main(void)
{
	KT_NAME("test_opinion_polis");
	KT_RUN(test_bg2050_groups);
	KT_RUN(test_biodiversity_groups);
	KT_DONE();
}
