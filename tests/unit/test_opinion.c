/* test_opinion.c: opinion-engine formulas and behaviour on small hand-made vote matrices. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt.h"
#include "opinion/opinion.h"

#define NEAR(a, b) (fabs((a) - (b)) <= 1e-12 * (1.0 + fabs(b)))

/* Builds votes from rows of characters: '+' agree, '-' disagree, '0' pass,
 * '.' no vote. Participant ids are 100 + row, statement ids 10 + column.
 * Returns the number of votes written into v (capacity cap). */
static size_t make_votes(const char *const *rows, size_t nrows, struct kn_opinion_vote *v,
			 size_t cap)
{
	size_t n = 0;
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; rows[r][c]; c++) {
			char ch = rows[r][c];
			if (ch == '.' || n >= cap)
				continue;
			v[n].participant = 100 + (int64_t)r;
			v[n].statement = 10 + (int64_t)c;
			v[n].time = (int64_t)n;
			v[n].value = ch == '+' ? 1 : ch == '-' ? -1 : 0;
			n++;
		}
	return n;
}

static struct kn_opinion_result *run(const struct kn_opinion_vote *v, size_t n,
				     const struct kn_opinion_statement *st, size_t ns)
{
	struct kn_opinion_input in = {v, n, st, ns, 0};
	struct kn_opinion_result *r = NULL;
	char err[256];
	if (kn_opinion_update(&in, NULL, &r, err, sizeof err) != 0) {
		fprintf(stderr, "update: %s\n", err);
		return NULL;
	}
	return r;
}

/* p_a, z_pa, r_a, z_ra computed by hand for na=3, nd=1, ns=5 against a
 * rest of rna=1, rnd=3, rns=5. */
static void test_repstat_formulas(void)
{
	struct kn_opinion_repstat s;
	kn_opinion_repstat(3, 1, 5, 1, 3, 5, &s);
	KT_CHECK(NEAR(s.pa, 4.0 / 7.0));			       /* (3+1)/(5+2) */
	KT_CHECK(NEAR(s.pd, 2.0 / 7.0));			       /* (1+1)/(5+2) */
	KT_CHECK(NEAR(s.zpa, 2.0 * sqrt(6.0) * (4.0 / 6.0 - 0.5))); /* 0.81650 */
	KT_CHECK(NEAR(s.zpd, 2.0 * sqrt(6.0) * (2.0 / 6.0 - 0.5)));
	KT_CHECK(NEAR(s.ra, (4.0 / 7.0) / (2.0 / 7.0)));	       /* = 2 */
	/* two-proportion test: a=4, b=2, m=6, q=6, p1=2/3, p2=1/3, p^=1/2 */
	double z = (4.0 / 6.0 - 2.0 / 6.0) / sqrt(0.5 * 0.5 * (1.0 / 6.0 + 1.0 / 6.0));
	KT_CHECK(NEAR(s.zra, z));
	KT_CHECK(NEAR(s.zrd, -z));
	/* everybody agrees everywhere: p^ = 1 gives z = 0 */
	kn_opinion_repstat(4, 0, 4, 6, 0, 6, &s);
	KT_CHECK(s.zra == 0.0);
}

static void test_gic_formula(void)
{
	int a[3] = {3, 14, 3}, s[3] = {3, 15, 3};
	/* (4/5) * (15/17) * (4/5) = 240/425 */
	KT_CHECK(NEAR(kn_opinion_gic(a, s, 3), 240.0 / 425.0));
	int a2[2] = {0, 0}, s2[2] = {0, 0};
	KT_CHECK(NEAR(kn_opinion_gic(a2, s2, 2), 0.25));
}

static void test_silhouette(void)
{
	/* two tight pairs 10 apart: for (0,0): a = 1, b = (10 + sqrt(101))/2 */
	double xy[8] = {0, 0, 0, 1, 10, 0, 10, 1};
	int lab[4] = {0, 0, 1, 1};
	double b = (10.0 + sqrt(101.0)) / 2.0;
	KT_CHECK(NEAR(kn_opinion_silhouette(xy, lab, 4, 2), (b - 1.0) / b));
	int lone[4] = {0, 1, 1, 1}; /* lone point scores 0 */
	double s = kn_opinion_silhouette(xy, lone, 4, 2);
	KT_CHECK(s < (b - 1.0) / b);
}

/* Two opposed camps on two statements: pc1 = (1,1)/sqrt2, pc2 = 0, so
 * every projection collapses onto the x axis. */
static void test_pca_two_camps(void)
{
	const char *rows[] = {"++", "++", "--", "--"};
	struct kn_opinion_vote v[8];
	size_t n = make_votes(rows, 4, v, 8);
	struct kn_opinion_result *r = run(v, n, NULL, 0);
	KT_CHECK(r != NULL);
	if (!r)
		return;
	KT_CHECK_INT(r->n_participants, 4);
	KT_CHECK_INT(r->n_statements, 2);
	KT_CHECK(NEAR(r->statements[0].center, 0.0));
	KT_CHECK(NEAR(r->statements[0].pc[0], 1.0 / sqrt(2.0)));
	KT_CHECK(NEAR(r->statements[1].pc[0], 1.0 / sqrt(2.0)));
	KT_CHECK(r->statements[0].pc[1] == 0.0);
	/* x = sqrt(C/n) * (1*pc + 1*pc) = sqrt(2/2) * 2/sqrt2 = sqrt2 */
	KT_CHECK(NEAR(r->participants[0].x, sqrt(2.0)));
	KT_CHECK(NEAR(r->participants[2].x, -sqrt(2.0)));
	KT_CHECK(r->participants[0].y == 0.0);
	/* two groups: {100,101} and {102,103} */
	KT_CHECK_INT(r->n_groups, 2);
	KT_CHECK(r->participants[0].group == r->participants[1].group);
	KT_CHECK(r->participants[2].group == r->participants[3].group);
	KT_CHECK(r->participants[0].group != r->participants[2].group);
	/* extremity of statement 10: sqrt(2) * (1 - 0) * |pc| with pc2 = 0 */
	KT_CHECK(NEAR(r->statements[0].extremity, sqrt(2.0) / sqrt(2.0)));
	kn_opinion_result_free(r);
}

/* Last vote wins by time, whatever the order in the array. */
static void test_last_vote_wins(void)
{
	struct kn_opinion_vote v[3] = {
		{1, 5, 300, 1},	 /* latest: agree */
		{1, 5, 100, -1}, /* older */
		{2, 5, 200, 0},
	};
	struct kn_opinion_result *r = run(v, 3, NULL, 0);
	KT_CHECK(r != NULL);
	if (!r)
		return;
	KT_CHECK_INT(r->n_statements, 1);
	KT_CHECK_INT(r->statements[0].n_agree, 1);
	KT_CHECK_INT(r->statements[0].n_disagree, 0);
	KT_CHECK_INT(r->statements[0].n_seen, 2);
	KT_CHECK_INT(r->participants[0].n_votes, 1);
	kn_opinion_result_free(r);
	/* equal times: the later entry in the array wins */
	struct kn_opinion_vote w[2] = {{1, 5, 100, 1}, {1, 5, 100, -1}};
	r = run(w, 2, NULL, 0);
	KT_CHECK(r && r->statements[0].n_disagree == 1 && r->statements[0].n_agree == 0);
	kn_opinion_result_free(r);
	/* bad vote value is refused */
	struct kn_opinion_vote bad = {1, 5, 1, 2};
	struct kn_opinion_input in = {&bad, 1, NULL, 0, 0};
	char err[128] = "";
	KT_CHECK(kn_opinion_update(&in, NULL, &r, err, sizeof err) == -1);
	KT_CHECK(r == NULL);
	KT_CHECK(strstr(err, "value 2") != NULL);
}

/* 20 participants with 8 votes each, one with 3: the latter is not in
 * the conversation (needs min(7, C) votes), the set already has 15. */
static void test_in_conversation(void)
{
	struct kn_opinion_vote v[200];
	size_t n = 0;
	for (int p = 0; p < 20; p++)
		for (int c = 0; c < 8; c++) {
			v[n] = (struct kn_opinion_vote){p, c, (int64_t)n, ((p + c) % 3) - 1};
			n++;
		}
	for (int c = 0; c < 3; c++) {
		v[n] = (struct kn_opinion_vote){99, c, (int64_t)n, 1};
		n++;
	}
	struct kn_opinion_result *r = run(v, n, NULL, 0);
	KT_CHECK(r != NULL);
	if (!r)
		return;
	KT_CHECK_INT(r->n_participants, 21);
	KT_CHECK_INT(r->n_in_conv, 20);
	for (size_t p = 0; p < r->n_participants; p++)
		if (r->participants[p].id == 99) {
			KT_CHECK_INT(r->participants[p].in_conv, 0);
			KT_CHECK_INT(r->participants[p].group, -1);
		}
	kn_opinion_result_free(r);
	/* with only 5 participants, all are topped up into the conversation */
	r = run(v + 160, 3, NULL, 0);
	KT_CHECK(r && r->n_in_conv == 1);
	kn_opinion_result_free(r);
}

/* A statement everyone agrees with is consensus; rejected or meta, it is
 * left out of consensus and repness, and meta gets priority 49. */
static void test_moderation(void)
{
	const char *rows[] = {"+++-", "+++-", "++-+", "++-+", "+-+-", "+--+",
			      "++0-", "+-0+", "+++-", "+--+", "+++0", "+--+"};
	struct kn_opinion_vote v[64];
	size_t n = make_votes(rows, 12, v, 64);
	struct kn_opinion_result *r = run(v, n, NULL, 0);
	KT_CHECK(r != NULL);
	if (!r)
		return;
	KT_CHECK(r->n_consensus_agree >= 1);
	KT_CHECK(r->n_consensus_agree >= 1 && r->consensus_agree[0].statement == 10);
	KT_CHECK_INT(r->consensus_agree[0].n_success, 12);
	kn_opinion_result_free(r);

	for (int mode = 0; mode < 2; mode++) {
		struct kn_opinion_statement st[1] = {
			{10, mode == 0 ? KN_OPINION_MOD_REJECTED : KN_OPINION_MOD_ACCEPTED,
			 mode == 1}};
		r = run(v, n, st, 1);
		KT_CHECK(r != NULL);
		if (!r)
			return;
		long j = kn_opinion_statement_index(r, 10);
		KT_CHECK(j == 0);
		KT_CHECK_INT(r->statements[j].mod_out, 1);
		KT_CHECK(r->statements[j].pc[0] == 0.0 && r->statements[j].pc[1] == 0.0);
		KT_CHECK(r->statements[j].priority == (mode == 0 ? 0.0 : 49.0));
		for (size_t i = 0; i < r->n_consensus_agree; i++)
			KT_CHECK(r->consensus_agree[i].statement != 10);
		for (size_t i = 0; i < r->n_consensus_disagree; i++)
			KT_CHECK(r->consensus_disagree[i].statement != 10);
		for (size_t g = 0; g < r->n_groups; g++)
			for (size_t i = 0; i < r->groups[g].n_repness; i++)
				KT_CHECK(r->groups[g].repness[i].statement != 10);
		/* counts of the raw matrix are still reported */
		KT_CHECK_INT(r->statements[j].n_agree, 12);
		kn_opinion_result_free(r);
	}
	/* strict moderation: unmoderated statements are out too */
	struct kn_opinion_statement acc[1] = {{11, KN_OPINION_MOD_ACCEPTED, 0}};
	struct kn_opinion_input in = {v, n, acc, 1, 1};
	char err[128];
	KT_CHECK(kn_opinion_update(&in, NULL, &r, err, sizeof err) == 0);
	if (r) {
		KT_CHECK_INT(r->statements[kn_opinion_statement_index(r, 11)].mod_out, 0);
		KT_CHECK_INT(r->statements[kn_opinion_statement_index(r, 10)].mod_out, 1);
		KT_CHECK_INT(r->statements[kn_opinion_statement_index(r, 12)].mod_out, 1);
	}
	kn_opinion_result_free(r);
}

/* Priority formula by hand for a statement with A=12, D=0, S=12 (all in
 * groups): importance = (1 - 1/14) * (E + 1) * 13/14, novelty 1 + 8 * 2^(-12/5). */
static void test_priority(void)
{
	const char *rows[] = {"+++-", "+++-", "++-+", "++-+", "+-+-", "+--+",
			      "++0-", "+-0+", "+++-", "+--+", "+++0", "+--+"};
	struct kn_opinion_vote v[64];
	size_t n = make_votes(rows, 12, v, 64);
	struct kn_opinion_result *r = run(v, n, NULL, 0);
	KT_CHECK(r != NULL);
	if (!r)
		return;
	KT_CHECK_INT(r->n_in_conv, 12);
	const struct kn_opinion_statement_out *s = &r->statements[0];
	double imp = (1.0 - 1.0 / 14.0) * (s->extremity + 1.0) * (13.0 / 14.0);
	double nov = 1.0 + 8.0 * pow(2.0, -12.0 / 5.0);
	KT_CHECK(NEAR(s->priority, (imp * nov) * (imp * nov)));
	/* statement 10 is unanimous: centre 1, so it sits at the origin */
	KT_CHECK(s->extremity == 0.0);
	kn_opinion_result_free(r);
}

/* Empty input and a single vote do not crash. */
static void test_degenerate(void)
{
	struct kn_opinion_result *r = run(NULL, 0, NULL, 0);
	KT_CHECK(r && r->n_participants == 0 && r->n_groups == 0);
	kn_opinion_result_free(r);
	struct kn_opinion_vote v = {7, 8, 0, 1};
	r = run(&v, 1, NULL, 0);
	KT_CHECK(r && r->n_participants == 1 && r->n_in_conv == 1);
	if (r) {
		KT_CHECK(r->participants[0].x == 0.0 && r->participants[0].y == 0.0);
		KT_CHECK(r->n_groups == 1);
	}
	kn_opinion_result_free(r);
}

int main(void)
{
	KT_NAME("test_opinion");
	KT_RUN(test_repstat_formulas);
	KT_RUN(test_gic_formula);
	KT_RUN(test_silhouette);
	KT_RUN(test_pca_two_camps);
	KT_RUN(test_last_vote_wins);
	KT_RUN(test_in_conversation);
	KT_RUN(test_moderation);
	KT_RUN(test_priority);
	KT_RUN(test_degenerate);
	KT_DONE();
}
