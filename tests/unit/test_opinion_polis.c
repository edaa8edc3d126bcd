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

/* Agreement of r's groups with the exported group-id, over participants
 * that have an exported group (best matching of labels). */
static double agreement_of(const struct kn_opinion_result *r, const struct pv *pv, int *kt_out,
			   int *m_out, int *t_out)
{
	int conf[8 * 8] = {0};
	int kt = 0, total = 0;
	for (size_t i = 0; i < pv->n; i++) {
		if (pv->group[i] < 0)
			continue;
		total++;
		if (pv->group[i] + 1 > kt)
			kt = pv->group[i] + 1;
		for (size_t p = 0; p < r->n_participants; p++)
			if (r->participants[p].id == pv->pid[i] && r->participants[p].group >= 0) {
				int gi = -1;
				for (size_t g = 0; g < r->n_groups; g++)
					if (r->groups[g].id == r->participants[p].group)
						gi = (int)g;
				if (gi >= 0 && gi < 8 && pv->group[i] < 8)
					conf[gi * 8 + pv->group[i]]++;
			}
	}
	int m = best_match(conf, r->n_groups < 8 ? (int)r->n_groups : 8, 8, 0, 0);
	*kt_out = kt;
	*m_out = m;
	*t_out = total;
	return total ? (double)m / total : 0.0;
}

/* Cold single-batch run; prints and returns the agreement. */
static double agreement(const char *conv, int *k_ours, int *k_theirs)
{
	struct kn_opinion_polis pol;
	struct kn_opinion_result *r = run_conv(conv, &pol);
	struct pv pv;
	if (!r || pv_load(conv, &pv) != 0) {
		kn_opinion_result_free(r);
		kn_opinion_polis_free(&pol);
		return -1;
	}
	int m, t;
	double a = agreement_of(r, &pv, k_theirs, &m, &t);
	*k_ours = (int)r->n_groups;
	printf("%s: cold run k=%d (export %d), in-conv %zu, agreement %d/%d = %.4f, "
	       "pca products %d+%d\n",
	       conv, *k_ours, *k_theirs, r->n_in_conv, m, t, a, r->pca_iters[0], r->pca_iters[1]);
	kn_opinion_result_free(r);
	kn_opinion_polis_free(&pol);
	pv_free(&pv);
	return a;
}

static void test_bg2050_groups(void)
{
	int ko, kt;
	double a = agreement("bg2050-volunteers", &ko, &kt);
	KT_CHECK_INT(ko, kt);
	KT_CHECK(a >= 0.99);
}

static void test_biodiversity_groups(void)
{
	int ko, kt;
	double a = agreement("scoop-hivemind.biodiversity", &ko, &kt);
	KT_CHECK_INT(ko, kt);
	KT_CHECK(a >= 0.99);
}

/* Group-informed consensus recomputed from the exported matrix and
 * exported group-ids equals the exported column (all 371 comments). */
static void test_bg2050_gic_exported(void)
{
	struct pv pv;
	KT_CHECK(pv_load("bg2050-volunteers", &pv) == 0);
	if (!pv.n)
		return;
	char path[2048], err[256];
	char *buf;
	size_t len;
	path_of(path, sizeof path, "bg2050-volunteers", "comments.csv");
	KT_CHECK(kn_opinion_read_file(path, &buf, &len, err, sizeof err) == 0);
	struct kn_opinion_csv c;
	kn_opinion_csv_init(&c, buf, len);
	KT_CHECK(kn_opinion_csv_next(&c, err, sizeof err) == 1);
	long idc = -1, gcol = -1;
	for (size_t i = 0; i < c.nfields; i++) {
		if (strcmp(c.fields[i], "comment-id") == 0)
			idc = (long)i;
		if (strcmp(c.fields[i], "group-informed-consensus") == 0)
			gcol = (long)i;
	}
	KT_CHECK(idc >= 0 && gcol >= 0);
	int ng = 0;
	for (size_t i = 0; i < pv.n; i++)
		if (pv.group[i] + 1 > ng)
			ng = pv.group[i] + 1;
	KT_CHECK_INT(ng, 2);
	int checked = 0;
	double worst = 0.0;
	while (idc >= 0 && gcol >= 0 && kn_opinion_csv_next(&c, err, sizeof err) == 1) {
		int64_t tid;
		KT_CHECK(kn_opinion_parse_i64(c.fields[idc], &tid) == 0);
		char *end;
		double want = strtod(c.fields[gcol], &end);
		KT_CHECK(*end == '\0');
		size_t col = pv.ntids;
		for (size_t j = 0; j < pv.ntids; j++)
			if (pv.tids[j] == tid)
				col = j;
		if (col == pv.ntids)
			continue;
		int a[8] = {0}, s[8] = {0};
		for (size_t i = 0; i < pv.n; i++) {
			signed char v = pv.cell[i * pv.ntids + col];
			if (pv.group[i] < 0 || v == 2)
				continue;
			s[pv.group[i]]++;
			a[pv.group[i]] += v == 1;
		}
		double got = kn_opinion_gic(a, s, (size_t)ng);
		if (fabs(got - want) > worst)
			worst = fabs(got - want);
		checked++;
	}
	printf("bg2050-volunteers: GIC from exported groups, %d comments, max |diff| %.3g\n",
	       checked, worst);
	KT_CHECK_INT(checked, 371);
	KT_CHECK(worst <= 1e-9);
	kn_opinion_csv_free(&c);
	free(buf);
	pv_free(&pv);
}

static const struct kn_opinion_statement_out *stmt(const struct kn_opinion_result *r, int64_t id)
{
	long j = kn_opinion_statement_index(r, id);
	return j >= 0 ? &r->statements[j] : NULL;
}

/* london.youth.policing, checked by hand. Counts from participants-votes.csv:
 * comment 17: 20 agree, 0 disagree, 21 seen; by exported group (A/S):
 * g0 3/3, g1 14/15, g2 3/3 -> GIC = 4/5 * 15/17 * 4/5 = 240/425.
 * comment 7: 2 agree, 20 disagree, 24 seen; g0 0/3, g1 1/18, g2 1/3 ->
 * GIC = 1/5 * 2/20 * 2/5 = 0.008. Comment 17 tops the agree consensus:
 * p = 21/23, z = 2*sqrt(22)*(21/22 - 1/2). */
static void test_london_by_hand(void)
{
	struct kn_opinion_polis pol;
	struct kn_opinion_result *r = run_conv("london.youth.policing", &pol);
	KT_CHECK(r != NULL);
	if (!r)
		return;
	KT_CHECK_INT(pol.n_votes, 640);
	KT_CHECK_INT(pol.n_statements, 39);
	KT_CHECK_INT(r->n_participants, 26);
	KT_CHECK_INT(r->n_in_conv, 24);
	KT_CHECK_INT(r->n_statements, 36);
	const struct kn_opinion_statement_out *s17 = stmt(r, 17), *s7 = stmt(r, 7);
	KT_CHECK(s17 && s7);
	if (s17 && s7) {
		KT_CHECK_INT(s17->n_agree, 20);
		KT_CHECK_INT(s17->n_disagree, 0);
		KT_CHECK_INT(s17->n_seen, 21);
		KT_CHECK_INT(s7->n_agree, 2);
		KT_CHECK_INT(s7->n_disagree, 20);
		KT_CHECK_INT(s7->n_seen, 24);
	}
	KT_CHECK(r->n_consensus_agree >= 1);
	if (r->n_consensus_agree >= 1) {
		KT_CHECK(r->consensus_agree[0].statement == 17);
		KT_CHECK(fabs(r->consensus_agree[0].p_success - 21.0 / 23.0) < 1e-15);
		KT_CHECK(fabs(r->consensus_agree[0].p_test -
			      2.0 * sqrt(22.0) * (21.0 / 22.0 - 0.5)) < 1e-12);
	}
	/* GIC with the exported 3 groups */
	struct pv pv;
	KT_CHECK(pv_load("london.youth.policing", &pv) == 0);
	int64_t ids[2] = {17, 7};
	double want[2] = {(4.0 / 5.0) * (15.0 / 17.0) * (4.0 / 5.0),
			  (1.0 / 5.0) * (2.0 / 20.0) * (2.0 / 5.0)};
	for (int k = 0; k < 2 && pv.n; k++) {
		size_t col = 0;
		for (size_t j = 0; j < pv.ntids; j++)
			if (pv.tids[j] == ids[k])
				col = j;
		int a[3] = {0}, s[3] = {0};
		for (size_t i = 0; i < pv.n; i++) {
			signed char v = pv.cell[i * pv.ntids + col];
			if (pv.group[i] < 0 || pv.group[i] > 2 || v == 2)
				continue;
			s[pv.group[i]]++;
			a[pv.group[i]] += v == 1;
		}
		KT_CHECK(fabs(kn_opinion_gic(a, s, 3) - want[k]) < 1e-15);
	}
	pv_free(&pv);
	kn_opinion_result_free(r);
	kn_opinion_polis_free(&pol);
}

static const struct kn_opinion_vote *tsort_base;
static int cmp_time(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (tsort_base[i].time != tsort_base[j].time)
		return tsort_base[i].time < tsort_base[j].time ? -1 : 1;
	return i < j ? -1 : (i > j);
}

/* Replays votes.csv in time order in nb batches, carrying state. */
static struct kn_opinion_result *replay(const struct kn_opinion_polis *pol, int nb, int *ks)
{
	size_t n = pol->n_votes;
	size_t *ord = malloc(n * sizeof *ord);
	struct kn_opinion_vote *v = malloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		ord[i] = i;
	tsort_base = pol->votes;
	qsort(ord, n, sizeof *ord, cmp_time);
	for (size_t i = 0; i < n; i++)
		v[i] = pol->votes[ord[i]];
	free(ord);
	struct kn_opinion_state *st = NULL;
	struct kn_opinion_result *r = NULL;
	char err[256];
	for (int b = 1; b <= nb; b++) {
		struct kn_opinion_input in = {v, b == nb ? n : n * (size_t)b / (size_t)nb,
					      pol->statements, pol->n_statements, 0};
		kn_opinion_result_free(r);
		r = NULL;
		if (kn_opinion_update(&in, st, &r, err, sizeof err) != 0) {
			fprintf(stderr, "batch %d: %s\n", b, err);
			break;
		}
		kn_opinion_state_free(st);
		st = kn_opinion_result_take_state(r);
		ks[b - 1] = r->k_smoothed;
	}
	kn_opinion_state_free(st);
	free(v);
	return r;
}

/* Incremental path on real data: 20 time-ordered batches. The result must
 * be sane (k = 2 like the export, high agreement with the export) and the
 * in-conversation set can only grow. */
static void test_incremental_replay(void)
{
	const char *convs[2] = {"bg2050-volunteers", "scoop-hivemind.biodiversity"};
	for (int ci = 0; ci < 2; ci++) {
		struct kn_opinion_polis pol;
		char dir[2048], err[512];
		snprintf(dir, sizeof dir, "%s/data/polis/%s", shared(), convs[ci]);
		KT_CHECK(kn_opinion_polis_load(dir, &pol, err, sizeof err) == 0);
		int ks[20] = {0};
		struct kn_opinion_result *r = replay(&pol, 20, ks);
		KT_CHECK(r != NULL);
		struct pv pv;
		if (r && pv_load(convs[ci], &pv) == 0) {
			int kt, m, t;
			double a = agreement_of(r, &pv, &kt, &m, &t);
			printf("%s: 20-batch replay k=%d (export %d), in-conv %zu, agreement "
			       "%d/%d = %.4f; k per update:",
			       convs[ci], r->k_smoothed, kt, r->n_in_conv, m, t, a);
			for (int b = 0; b < 20; b++)
				printf(" %d", ks[b]);
			printf("\n");
			KT_CHECK_INT(r->n_groups, 2);
			KT_CHECK(a >= 0.95);
			KT_CHECK(r->n_in_conv >= (size_t)t - 2);
			/* k only changes after winning 4 updates in a row */
			for (int b = 1; b < 20; b++)
				if (ks[b] != ks[b - 1])
					KT_CHECK(b >= 3);
			pv_free(&pv);
		}
		/* the replay is deterministic too */
		int ks2[20];
		struct kn_opinion_result *r2 = replay(&pol, 20, ks2);
		KT_CHECK(r && r2 && r->n_participants == r2->n_participants);
		if (r && r2 && r->n_participants == r2->n_participants)
			KT_CHECK(memcmp(r->participants, r2->participants,
					r->n_participants * sizeof *r->participants) == 0);
		kn_opinion_result_free(r2);
		kn_opinion_result_free(r);
		kn_opinion_polis_free(&pol);
	}
}

/* Same input, same output, bit for bit. */
static void test_deterministic(void)
{
	struct kn_opinion_polis p1, p2;
	struct kn_opinion_result *a = run_conv("scoop-hivemind.biodiversity", &p1);
	struct kn_opinion_result *b = run_conv("scoop-hivemind.biodiversity", &p2);
	KT_CHECK(a && b);
	if (a && b) {
		KT_CHECK(a->n_participants == b->n_participants);
		KT_CHECK(memcmp(a->participants, b->participants,
				a->n_participants * sizeof *a->participants) == 0);
		KT_CHECK(memcmp(a->statements, b->statements,
				a->n_statements * sizeof *a->statements) == 0);
		KT_CHECK(memcmp(a->base, b->base, a->n_base * sizeof *a->base) == 0);
	}
	kn_opinion_result_free(a);
	kn_opinion_result_free(b);
	kn_opinion_polis_free(&p1);
	kn_opinion_polis_free(&p2);
}

/* Bad CSV input is refused with a message naming the line. */
static int votes_err(const char *text, char *err, size_t n)
{
	struct kn_opinion_vote *v = NULL;
	size_t nv = 0;
	int rc = kn_opinion_polis_parse_votes(text, strlen(text), &v, &nv, err, n);
	free(v);
	return rc;
}

static void test_bad_csv(void)
{
	char err[256];
	const char *H = "timestamp,datetime,comment-id,voter-id,vote\n";
	char buf[512];

	KT_CHECK(votes_err("timestamp,comment-id,vote\n1,2,1\n", err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 1") && strstr(err, "voter-id"));

	snprintf(buf, sizeof buf, "%s1,,2,3,1\n2,,2,x7,1\n", H);
	KT_CHECK(votes_err(buf, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 3") && strstr(err, "voter-id"));

	snprintf(buf, sizeof buf, "%s1,,2,3,1\n2,,2,4,1\n3,,2,5,2\n", H);
	KT_CHECK(votes_err(buf, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 4") != NULL);

	snprintf(buf, sizeof buf, "%s1,,2,3,1\n99999999999999999999,,2,3,1\n", H);
	KT_CHECK(votes_err(buf, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 3") && strstr(err, "timestamp"));

	snprintf(buf, sizeof buf, "%s1,,2,3,1\n2,,2,3\n", H);
	KT_CHECK(votes_err(buf, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 3") != NULL);

	snprintf(buf, sizeof buf, "%s1,,2,3,1\n2,,2,3,1\n3,\"Mon\n,2,3,1\n4,,2,3,1\n", H);
	KT_CHECK(votes_err(buf, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "unterminated") && strstr(err, "line 4"));

	snprintf(buf, sizeof buf, "%s1,\"a\"b,2,3,1\n", H);
	KT_CHECK(votes_err(buf, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 2") != NULL);

	/* a huge field on line 3 */
	size_t big = KN_OPINION_CSV_MAX_FIELD + 10;
	char *huge = malloc(big + 200);
	int off = snprintf(huge, 200, "%s1,,2,3,1\n5,", H);
	memset(huge + off, 'a', big);
	memcpy(huge + off + big, ",2,3,1\n", 8);
	KT_CHECK(votes_err(huge, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 3") && strstr(err, "longer"));
	huge[off] = '"';
	huge[off + big - 1] = '"';
	KT_CHECK(votes_err(huge, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 3") && strstr(err, "longer"));
	free(huge);

	KT_CHECK(votes_err("", err, sizeof err) == -1);
	KT_CHECK(strstr(err, "line 1") != NULL);

	/* comments.csv: bad moderation value names its line */
	struct kn_opinion_statement *st;
	char **bodies;
	size_t n;
	const char *cm = "comment-id,moderated,comment-body\n1,1,ok\n2,7,bad\n";
	KT_CHECK(kn_opinion_polis_parse_comments(cm, strlen(cm), &st, &bodies, &n, err,
						 sizeof err) == -1);
	KT_CHECK(strstr(err, "line 3") && strstr(err, "moderated"));
	const char *cm2 = "comment-id,comment-body\n1,ok\n";
	KT_CHECK(kn_opinion_polis_parse_comments(cm2, strlen(cm2), &st, &bodies, &n, err,
						 sizeof err) == -1);
	KT_CHECK(strstr(err, "line 1") && strstr(err, "moderated"));

	/* loader: the message names the file */
	struct kn_opinion_polis pol;
	KT_CHECK(kn_opinion_polis_load("/nonexistent-kenes-dir", &pol, err, sizeof err) == -1);
	KT_CHECK(strstr(err, "votes.csv") != NULL);
}

/* Tricky but valid CSV: quotes, commas and newlines in fields, CRLF, BOM. */
static void test_good_csv(void)
{
	const char *cm = "\xEF\xBB\xBF" "comment-id,moderated,is-meta,comment-body\r\n"
			 "1,1,false,\"a, \"\"quoted\"\"\nbody\"\r\n"
			 "\r\n"
			 "2,-1,true,\"\"\n"
			 "3,0,false,plain";
	struct kn_opinion_statement *st;
	char **bodies;
	size_t n;
	char err[256] = "";
	int rc = kn_opinion_polis_parse_comments(cm, strlen(cm), &st, &bodies, &n, err, sizeof err);
	KT_CHECK(rc == 0);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	KT_CHECK_INT(n, 3);
	KT_CHECK_STR(bodies[0], "a, \"quoted\"\nbody");
	KT_CHECK_STR(bodies[1], "");
	KT_CHECK_STR(bodies[2], "plain");
	KT_CHECK(st[1].moderation == -1 && st[1].is_meta == 1 && st[0].is_meta == 0);
	KT_CHECK(st[2].id == 3 && st[2].moderation == 0);
	free(st);
	kn_opinion_polis_free_bodies(bodies, n);
}

int main(void)
{
	KT_NAME("test_opinion_polis");
	KT_RUN(test_bg2050_groups);
	KT_RUN(test_biodiversity_groups);
	KT_RUN(test_bg2050_gic_exported);
	KT_RUN(test_london_by_hand);
	KT_RUN(test_incremental_replay);
	KT_RUN(test_deterministic);
	KT_RUN(test_bad_csv);
	KT_RUN(test_good_csv);
	KT_DONE();
}
