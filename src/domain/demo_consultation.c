/* demo_consultation.c: the demo council's consultation "Different opinions,
 * but one nation". The question and the 12 statements were written for the
 * demo; the 240 participants and their votes are generated (two leanings,
 * with shared ground), deterministically. All of it is marked illustrative. */
#include "core/arena.h"
#include "core/buf.h"
#include "domain/consultation.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "store/store.h"
#include <string.h>

static const struct {
	const char *body;
	int lean_a, lean_b; /* percent agreeing in each leaning; the rest mostly disagree */
} demo_statements[] = {
    {"Every assignment of the council should be published with its deadline and the agency responsible.", 92, 85},
    {"Ministries must answer citizens' appeals within a fixed number of working days.", 90, 88},
    {"Independent media are necessary for trust between the state and society.", 88, 70},
    {"The council's decisions should be explained in Kazakh, Russian and English.", 80, 84},
    {"Regional akims should be elected by the people.", 85, 30},
    {"Political reforms should go faster, even at some risk to stability.", 80, 12},
    {"Reforms should move step by step so that stability is kept.", 25, 92},
    {"A peaceful rally should need only a notification, not a permission.", 86, 28},
    {"Young people should have a quota on party lists.", 70, 45},
    {"The state language should be used more widely in public life.", 55, 75},
    {"Russian should remain a language of communication between peoples.", 60, 58},
    {"The death penalty should be abolished.", 78, 40},
};

static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

enum kn_err kn_demo_consultation(struct kn_ctx *x, int64_t council_id)
{
	struct kn_council *k;
	enum kn_err rc = kn_council_get(x, kn_printf(x->a, "%lld", (long long)council_id), &k);
	if (rc)
		return rc;
	struct kn_buf seeds;
	kn_buf_arena(&seeds, x->a, 1 << 16);
	for (size_t i = 0; i < KN_ARRAY_LEN(demo_statements); i++) {
		kn_buf_adds(&seeds, demo_statements[i].body);
		kn_buf_addc(&seeds, '\n');
	}
	struct kn_consultation_in in = {
	    .question = "Different opinions, but one nation: what should the political reforms bring?",
	    .description = "The council asks the public which political reforms matter, and where people agree "
	                   "despite different views.\n\n*Illustrative demo data: the question, the statements and "
	                   "every vote were written or generated for the demo; the source article describes no "
	                   "such consultation.*",
	    .opens_on = "2021-02-01",
	    .closes_on = "2021-03-31",
	    .who = "anyone",
	    .seeds = kn_buf_str(&seeds),
	    .statements_open = true,
	    .illustrative = true,
	};
	int64_t cid;
	if ((rc = kn_consultation_create(x, k, &in, &cid)))
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT id, number FROM consultation_statements WHERE consultation_id = $1 ORDER BY number",
	                 KN_INT(cid))))
		return rc;
	int ns = r->n;
	int64_t sid[KN_ARRAY_LEN(demo_statements)];
	for (int i = 0; i < ns && i < (int)KN_ARRAY_LEN(demo_statements); i++)
		sid[i] = kn_row_i(r, i, 0);
	uint64_t seed = 20210201;
	int64_t t0 = 1612137600000LL; /* 2021-02-01 00:00 UTC, ms */
	for (int p = 0; p < 240; p++) {
		int64_t pid;
		if ((rc = kn_sql(x->c, x->a, &r,
		                 "INSERT INTO consultation_participants (consultation_id, number, created_at) VALUES ($1, $2, $3) "
		                 "RETURNING id",
		                 KN_INT(cid), KN_INT(p), KN_INT(x->now))))
			return rc;
		pid = kn_row_i(r, 0, 0);
		bool lean_a = mix(&seed) % 100 < 45;
		int64_t at = t0 + (int64_t)(mix(&seed) % (58ULL * 86400000ULL));
		for (int s = 0; s < ns && s < (int)KN_ARRAY_LEN(demo_statements); s++) {
			if (mix(&seed) % 100 < 15)
				continue; /* not everyone sees every statement */
			int pct = lean_a ? demo_statements[s].lean_a : demo_statements[s].lean_b;
			uint64_t roll = mix(&seed) % 100;
			int value = roll < (uint64_t)pct ? 1 : roll < (uint64_t)pct + (100 - (uint64_t)pct) * 3 / 4 ? -1 : 0;
			at += 20000 + (int64_t)(mix(&seed) % 40000);
			if ((rc = kn_sql(x->c, x->a, NULL,
			                 "INSERT INTO consultation_votes (consultation_id, statement_id, participant_id, value, at_ms) "
			                 "VALUES ($1, $2, $3, $4, $5)",
			                 KN_INT(cid), KN_INT(sid[s]), KN_INT(pid), KN_INT(value), KN_INT(at))))
				return rc;
		}
	}
	return KN_OK;
}
