/* opinion_cli.c: `kenes opinion analyze DIR` (groups, repness, consensus) and `kenes opinion synth`. */
#include "opinion/opinion_cli.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "opinion/opinion.h"
#include "opinion/polis_csv.h"

static const char usage_main[] =
	"usage: kenes opinion COMMAND [OPTIONS]\n"
	"\n"
	"Opinion mapping (Pol.is-compatible) of a conversation's votes.\n"
	"\n"
	"commands:\n"
	"  analyze DIR   read a Pol.is export folder (votes.csv, comments.csv) and print\n"
	"                opinion groups, representative and consensus statements\n"
	"  synth DIR     write a synthetic conversation (Pol.is format) for benchmarks\n"
	"\n"
	"Run `kenes opinion COMMAND --help` for the options of a command.\n";

static const char usage_analyze[] =
	"usage: kenes opinion analyze [--json] [--time] [--batches N] [--strict] DIR\n"
	"\n"
	"Reads DIR/votes.csv (timestamp,comment-id,voter-id,vote; agree=1, disagree=-1,\n"
	"pass=0; the latest vote per voter and comment wins) and DIR/comments.csv\n"
	"(comment-id, moderated, optional is-meta, comment-body), runs the opinion\n"
	"engine and prints the groups, their representative statements and the\n"
	"consensus statements.\n"
	"\n"
	"  --json        machine-readable output (one JSON object on stdout)\n"
	"  --time        report parse and compute time and peak memory on stderr\n"
	"  --batches N   replay the votes in time order in N updates, carrying the\n"
	"                state from one update to the next (default 1: cold run)\n"
	"  --strict      treat unmoderated statements as moderated out\n"
	"  -h, --help    this help\n";

static const char usage_synth[] =
	"usage: kenes opinion synth [--participants N] [--statements N] [--votes N]\n"
	"                           [--groups N] [--seed N] DIR\n"
	"\n"
	"Writes DIR/votes.csv and DIR/comments.csv: a synthetic conversation with\n"
	"latent opinion groups, reproducible from the seed. Defaults: 33000\n"
	"participants, 783 statements, 2000000 votes, 3 groups, seed 1.\n"
	"  -h, --help    this help\n";

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int is_help(const char *s)
{
	return strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0;
}

static int parse_count(const char *opt, const char *s, long long lo, long long hi, long long *out)
{
	int64_t v;
	if (!s || kn_opinion_parse_i64(s, &v) != 0 || v < lo || v > hi) {
		fprintf(stderr, "kenes opinion: %s needs a number from %lld to %lld\n", opt, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* ---- JSON output ------------------------------------------------------------ */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

static const char *body_of(const struct kn_opinion_polis *pol, int64_t id)
{
	for (size_t i = 0; i < pol->n_statements; i++)
		if (pol->statements[i].id == id)
			return pol->bodies[i];
	return NULL;
}

static void json_rep(FILE *f, const struct kn_opinion_repness *e, const struct kn_opinion_polis *pol)
{
	fprintf(f, "{\"statement\":%lld,\"repful_for\":\"%s\",\"best_agree\":%s,"
		   "\"n_success\":%d,\"n_trials\":%d,\"p_success\":",
		(long long)e->statement, e->agree ? "agree" : "disagree",
		e->best_agree ? "true" : "false", e->n_success, e->n_trials);
	json_num(f, e->p_success);
	fputs(",\"p_test\":", f);
	json_num(f, e->p_test);
	fputs(",\"repness\":", f);
	json_num(f, e->repness);
	fputs(",\"repness_test\":", f);
	json_num(f, e->repness_test);
	fputs(",\"text\":", f);
	json_str(f, body_of(pol, e->statement));
	fputc('}', f);
}

static void json_cons(FILE *f, const struct kn_opinion_consensus *c, size_t n,
		      const struct kn_opinion_polis *pol)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s{\"statement\":%lld,\"n_success\":%d,\"n_trials\":%d,\"p_success\":",
			i ? "," : "", (long long)c[i].statement, c[i].n_success, c[i].n_trials);
		json_num(f, c[i].p_success);
		fputs(",\"p_test\":", f);
		json_num(f, c[i].p_test);
		fputs(",\"text\":", f);
		json_str(f, body_of(pol, c[i].statement));
		fputc('}', f);
	}
	fputc(']', f);
}

static void print_json(FILE *f, const struct kn_opinion_result *r, const struct kn_opinion_polis *pol)
{
	fprintf(f, "{\"n_participants\":%zu,\"n_in_conv\":%zu,\"n_statements\":%zu,"
		   "\"n_votes_events\":%zu,\"k\":%d,\"k_best\":%d,\"silhouette\":{",
		r->n_participants, r->n_in_conv, r->n_statements, pol->n_votes, r->k_smoothed,
		r->k_best);
	int first = 1;
	for (int k = 2; k <= 5; k++)
		if (r->silhouette[k] != 0.0) {
			fprintf(f, "%s\"%d\":", first ? "" : ",", k);
			json_num(f, r->silhouette[k]);
			first = 0;
		}
	fputs("},\"groups\":[", f);
	for (size_t g = 0; g < r->n_groups; g++) {
		const struct kn_opinion_group *gr = &r->groups[g];
		fprintf(f, "%s{\"id\":%d,\"n_members\":%zu,\"x\":", g ? "," : "", gr->id,
			gr->n_members);
		json_num(f, gr->x);
		fputs(",\"y\":", f);
		json_num(f, gr->y);
		fputs(",\"repness\":[", f);
		for (size_t i = 0; i < gr->n_repness; i++) {
			if (i)
				fputc(',', f);
			json_rep(f, &gr->repness[i], pol);
		}
		fputs("]}", f);
	}
	fputs("],\"consensus\":{\"agree\":", f);
	json_cons(f, r->consensus_agree, r->n_consensus_agree, pol);
	fputs(",\"disagree\":", f);
	json_cons(f, r->consensus_disagree, r->n_consensus_disagree, pol);
	fputs("},\"statements\":[", f);
	for (size_t c = 0; c < r->n_statements; c++) {
		const struct kn_opinion_statement_out *s = &r->statements[c];
		fprintf(f, "%s{\"id\":%lld,\"moderation\":%d,\"meta\":%s,\"mod_out\":%s,"
			   "\"n_agree\":%d,\"n_disagree\":%d,\"n_seen\":%d,\"x\":",
			c ? "," : "", (long long)s->id, s->moderation, s->is_meta ? "true" : "false",
			s->mod_out ? "true" : "false", s->n_agree, s->n_disagree, s->n_seen);
		json_num(f, s->x);
		fputs(",\"y\":", f);
		json_num(f, s->y);
		fputs(",\"extremity\":", f);
		json_num(f, s->extremity);
		fputs(",\"group_informed_consensus\":", f);
		json_num(f, s->gic);
		fputs(",\"priority\":", f);
		json_num(f, s->priority);
		fputc('}', f);
	}
	fputs("],\"participants\":[", f);
	for (size_t p = 0; p < r->n_participants; p++) {
		const struct kn_opinion_participant *pt = &r->participants[p];
		fprintf(f, "%s{\"id\":%lld,\"n_votes\":%d,\"in_conv\":%s,\"base_cluster\":%d,"
			   "\"group\":%d,\"x\":",
			p ? "," : "", (long long)pt->id, pt->n_votes, pt->in_conv ? "true" : "false",
			pt->base_cluster, pt->group);
		json_num(f, pt->x);
		fputs(",\"y\":", f);
		json_num(f, pt->y);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

/* ---- text output ------------------------------------------------------------- */

static void print_body(FILE *f, const struct kn_opinion_polis *pol, int64_t id)
{
	const char *b = body_of(pol, id);
	fputs("  \"", f);
	size_t n = 0;
	for (const char *p = b ? b : ""; *p && n < 100; p++, n++)
		fputc(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p, f);
	if (b && strlen(b) > 100)
		fputs("...", f);
	fputs("\"\n", f);
}

static void print_text(FILE *f, const struct kn_opinion_result *r, const struct kn_opinion_polis *pol)
{
	fprintf(f, "participants: %zu (in conversation: %zu)\nstatements with votes: %zu\n"
		   "vote events: %zu\n",
		r->n_participants, r->n_in_conv, r->n_statements, pol->n_votes);
	fprintf(f, "groups: %zu (k chosen %d; best this update %d; silhouette", r->n_groups,
		r->k_smoothed, r->k_best);
	for (int k = 2; k <= 5; k++)
		if (r->silhouette[k] != 0.0)
			fprintf(f, " k=%d:%.4f", k, r->silhouette[k]);
	fputs(")\n", f);
	for (size_t g = 0; g < r->n_groups; g++) {
		const struct kn_opinion_group *gr = &r->groups[g];
		fprintf(f, "\ngroup %d: %zu participants\n", gr->id, gr->n_members);
		for (size_t i = 0; i < gr->n_repness; i++) {
			const struct kn_opinion_repness *e = &gr->repness[i];
			fprintf(f, "  #%lld %s %d/%d (%.0f%%) repness %.2f%s\n",
				(long long)e->statement, e->agree ? "agree" : "disagree",
				e->n_success, e->n_trials, 100.0 * e->p_success, e->repness,
				e->best_agree ? " [best agree]" : "");
			print_body(f, pol, e->statement);
		}
	}
	for (int side = 0; side < 2; side++) {
		const struct kn_opinion_consensus *c =
			side ? r->consensus_disagree : r->consensus_agree;
		size_t n = side ? r->n_consensus_disagree : r->n_consensus_agree;
		fprintf(f, "\nconsensus (%s): %zu\n", side ? "disagree" : "agree", n);
		for (size_t i = 0; i < n; i++) {
			fprintf(f, "  #%lld %d/%d (%.0f%%)\n", (long long)c[i].statement,
				c[i].n_success, c[i].n_trials, 100.0 * c[i].p_success);
			print_body(f, pol, c[i].statement);
		}
	}
}

/* ---- analyze ------------------------------------------------------------------ */

static const struct kn_opinion_vote *sort_base;

static int cmp_vote_time(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (sort_base[i].time != sort_base[j].time)
		return sort_base[i].time < sort_base[j].time ? -1 : 1;
	return i < j ? -1 : (i > j);
}

static int cmd_analyze(int argc, char **argv)
{
	int json = 0, timing = 0, strict = 0;
	long long batches = 1;
	const char *dir = NULL;
	for (int i = 2; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(usage_analyze, stdout);
			return 0;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--time") == 0) {
			timing = 1;
		} else if (strcmp(argv[i], "--strict") == 0) {
			strict = 1;
		} else if (strcmp(argv[i], "--batches") == 0) {
			if (parse_count("--batches", i + 1 < argc ? argv[i + 1] : NULL, 1, 100000,
					&batches) != 0)
				return 2;
			i++;
		} else if (argv[i][0] == '-' || dir) {
			fprintf(stderr, "kenes opinion analyze: unexpected argument '%s'\n", argv[i]);
			fputs(usage_analyze, stderr);
			return 2;
		} else {
			dir = argv[i];
		}
	}
	if (!dir) {
		fputs(usage_analyze, stderr);
		return 2;
	}
	char err[1024];
	struct kn_opinion_polis pol;
	double t0 = now_ms();
	if (kn_opinion_polis_load(dir, &pol, err, sizeof err) != 0) {
		fprintf(stderr, "kenes opinion analyze: %s\n", err);
		return 1;
	}
	double t1 = now_ms();
	struct kn_opinion_result *r = NULL;
	struct kn_opinion_input in = {pol.votes, pol.n_votes, pol.statements, pol.n_statements,
				      strict};
	int rc = 0;
	double tl0 = 0, tl1 = 0;
	if (batches <= 1) {
		tl0 = now_ms();
		rc = kn_opinion_update(&in, NULL, &r, err, sizeof err);
		tl1 = now_ms();
	} else {
		/* replay in time order, carrying state between updates */
		size_t *ord = malloc((pol.n_votes ? pol.n_votes : 1) * sizeof *ord);
		struct kn_opinion_vote *sv = malloc((pol.n_votes ? pol.n_votes : 1) * sizeof *sv);
		if (!ord || !sv) {
			free(ord);
			free(sv);
			kn_opinion_polis_free(&pol);
			fputs("kenes opinion analyze: out of memory\n", stderr);
			return 1;
		}
		for (size_t i = 0; i < pol.n_votes; i++)
			ord[i] = i;
		sort_base = pol.votes;
		qsort(ord, pol.n_votes, sizeof *ord, cmp_vote_time);
		for (size_t i = 0; i < pol.n_votes; i++)
			sv[i] = pol.votes[ord[i]];
		free(ord);
		struct kn_opinion_state *st = NULL;
		for (long long b = 1; b <= batches && rc == 0; b++) {
			in.votes = sv;
			in.n_votes = (size_t)((double)pol.n_votes * (double)b / (double)batches);
			if (b == batches)
				in.n_votes = pol.n_votes;
			kn_opinion_result_free(r);
			r = NULL;
			tl0 = now_ms();
			rc = kn_opinion_update(&in, st, &r, err, sizeof err);
			tl1 = now_ms();
			kn_opinion_state_free(st);
			st = rc == 0 ? kn_opinion_result_take_state(r) : NULL;
		}
		kn_opinion_state_free(st);
		free(sv);
	}
	double t2 = now_ms();
	if (rc != 0) {
		fprintf(stderr, "kenes opinion analyze: %s\n", err);
		kn_opinion_polis_free(&pol);
		return 1;
	}
	if (json)
		print_json(stdout, r, &pol);
	else
		print_text(stdout, r, &pol);
	double t3 = now_ms();
	if (timing) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		fprintf(stderr,
			"time: parse %.1f ms, compute %.1f ms (last update %.1f ms), output %.1f ms, "
			"total %.1f ms; peak RSS %ld KiB; pca products %d+%d\n",
			t1 - t0, t2 - t1, tl1 - tl0, t3 - t2, t3 - t0, ru.ru_maxrss, r->pca_iters[0],
			r->pca_iters[1]);
	}
	kn_opinion_result_free(r);
	kn_opinion_polis_free(&pol);
	return 0;
}

/* ---- synth ---------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static int cmd_synth(int argc, char **argv)
{
	long long np = 33000, ns = 783, nv = 2000000, ng = 3, seed = 1;
	const char *dir = NULL;
	for (int i = 2; i < argc; i++) {
		long long *dst = NULL, lo = 1, hi = 100000000;
		if (is_help(argv[i])) {
			fputs(usage_synth, stdout);
			return 0;
		} else if (strcmp(argv[i], "--participants") == 0) {
			dst = &np;
		} else if (strcmp(argv[i], "--statements") == 0) {
			dst = &ns;
			hi = 100000;
		} else if (strcmp(argv[i], "--votes") == 0) {
			dst = &nv;
			hi = 1000000000;
		} else if (strcmp(argv[i], "--groups") == 0) {
			dst = &ng;
			hi = 8;
		} else if (strcmp(argv[i], "--seed") == 0) {
			dst = &seed;
			lo = 0;
			hi = INT64_MAX;
		} else if (argv[i][0] == '-' || dir) {
			fprintf(stderr, "kenes opinion synth: unexpected argument '%s'\n", argv[i]);
			fputs(usage_synth, stderr);
			return 2;
		} else {
			dir = argv[i];
			continue;
		}
		if (parse_count(argv[i], i + 1 < argc ? argv[i + 1] : NULL, lo, hi, dst) != 0)
			return 2;
		i++;
	}
	if (!dir) {
		fputs(usage_synth, stderr);
		return 2;
	}
	if (nv > np * ns)
		nv = np * ns;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "kenes opinion synth: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	uint64_t rs = (uint64_t)seed;
	/* per group and statement: probabilities of agree and disagree */
	double *pa = malloc((size_t)(ng * ns) * sizeof *pa);
	double *pd = malloc((size_t)(ng * ns) * sizeof *pd);
	int32_t *perm = malloc((size_t)ns * sizeof *perm);
	if (!pa || !pd || !perm) {
		free(pa);
		free(pd);
		free(perm);
		fputs("kenes opinion synth: out of memory\n", stderr);
		return 1;
	}
	for (long long s = 0; s < ns; s++) {
		double common = rng_unit(&rs);
		for (long long g = 0; g < ng; g++) {
			double u = 0.5 * common + 0.5 * rng_unit(&rs);
			double pass = 0.05 + 0.15 * rng_unit(&rs);
			pa[g * ns + s] = (1.0 - pass) * u;
			pd[g * ns + s] = (1.0 - pass) * (1.0 - u);
		}
		perm[s] = (int32_t)s;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/votes.csv", dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "kenes opinion synth: %s: %s\n", path, strerror(errno));
		free(pa);
		free(pd);
		free(perm);
		return 1;
	}
	fputs("timestamp,datetime,comment-id,voter-id,vote\n", f);
	long long written = 0, t = 1700000000000LL;
	for (long long p = 0; p < np; p++) {
		long long g = (long long)(rng_unit(&rs) * (double)ng);
		/* votes for this participant: uniform around the remaining average */
		long long left = nv - written, pleft = np - p;
		double want = (double)left / (double)pleft;
		long long m = (long long)(want * 2.0 * rng_unit(&rs));
		if (m < 1)
			m = 1;
		if (m > ns)
			m = ns;
		if (p == np - 1)
			m = left < ns ? left : ns;
		if (m > left)
			m = left;
		for (long long k = 0; k < m; k++) {
			long long j = k + (long long)(rng_unit(&rs) * (double)(ns - k));
			int32_t tmp = perm[k];
			perm[k] = perm[j];
			perm[j] = tmp;
			int32_t s = perm[k];
			double u = rng_unit(&rs);
			int v = u < pa[g * ns + s] ? 1 : u < pa[g * ns + s] + pd[g * ns + s] ? -1 : 0;
			fprintf(f, "%lld,,%d,%lld,%d\n", t, s, p, v);
			t += 7;
		}
		written += m;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "kenes opinion synth: %s: write error\n", path);
		free(pa);
		free(pd);
		free(perm);
		return 1;
	}
	snprintf(path, sizeof path, "%s/comments.csv", dir);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "kenes opinion synth: %s: %s\n", path, strerror(errno));
		free(pa);
		free(pd);
		free(perm);
		return 1;
	}
	fputs("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n", f);
	for (long long s = 0; s < ns; s++)
		fprintf(f, "%lld,,%lld,0,0,0,1,\"Synthetic statement %lld, seed %lld\"\n",
			1700000000000LL, s, s, seed);
	int bad = fclose(f) != 0;
	free(pa);
	free(pd);
	free(perm);
	if (bad) {
		fprintf(stderr, "kenes opinion synth: %s: write error\n", path);
		return 1;
	}
	fprintf(stderr, "kenes opinion synth: %lld participants, %lld statements, %lld votes -> %s\n",
		np, ns, written, dir);
	return 0;
}

int kn_cmd_opinion(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	if (is_help(argv[1])) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(argv[1], "analyze") == 0)
		return cmd_analyze(argc, argv);
	if (strcmp(argv[1], "synth") == 0)
		return cmd_synth(argc, argv);
	fprintf(stderr, "kenes opinion: unknown command '%s'\n", argv[1]);
	fputs(usage_main, stderr);
	return 2;
}
