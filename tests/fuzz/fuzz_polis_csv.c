/* fuzz_polis_csv.c: libFuzzer target for the Pol.is CSV reader (votes, comments) and the engine. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "opinion/opinion.h"
#include "opinion/polis_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	const char *buf = (const char *)data;

	/* raw record reader */
	struct kn_opinion_csv c;
	kn_opinion_csv_init(&c, buf, size);
	while (kn_opinion_csv_next(&c, err, sizeof err) == 1)
		for (size_t i = 0; i < c.nfields; i++)
			(void)strlen(c.fields[i]);
	kn_opinion_csv_free(&c);

	/* comments.csv */
	struct kn_opinion_statement *st = NULL;
	char **bodies = NULL;
	size_t ns = 0;
	if (kn_opinion_polis_parse_comments(buf, size, &st, &bodies, &ns, err, sizeof err) == 0)
		kn_opinion_polis_free_bodies(bodies, ns);
	else
		st = NULL, ns = 0;

	/* votes.csv, then one update when small enough to stay fast */
	struct kn_opinion_vote *v = NULL;
	size_t nv = 0;
	if (kn_opinion_polis_parse_votes(buf, size, &v, &nv, err, sizeof err) == 0 && nv <= 2000) {
		struct kn_opinion_input in = {v, nv, st, ns, 0};
		struct kn_opinion_result *r = NULL;
		if (kn_opinion_update(&in, NULL, &r, err, sizeof err) == 0) {
			struct kn_opinion_state *s = kn_opinion_result_take_state(r);
			struct kn_opinion_result *r2 = NULL;
			if (kn_opinion_update(&in, s, &r2, err, sizeof err) == 0)
				kn_opinion_result_free(r2);
			kn_opinion_state_free(s);
		}
		kn_opinion_result_free(r);
	}
	free(v);
	free(st);
	return 0;
}
