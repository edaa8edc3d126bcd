/* consult_polis.c: a consultation in Pol.is's export format, out and in.
 * Out: the five CSV files of a Pol.is export with the same columns and the
 * export sign convention (agree = 1, disagree = -1, pass = 0); voter-id and
 * comment-id are the per-consultation participant and statement numbers,
 * so no account or browser id ever leaves. group-id and
 * group-informed-consensus come from a fresh (cold) analysis of the stored
 * votes, so anyone can reproduce them. In: comments.csv and votes.csv (and
 * summary.csv's topic) into a new, closed consultation; the strict reader
 * of src/opinion refuses bad CSV with the file and line. */
#include "core/arena.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/tz.h"
#include "domain/consultation.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "opinion/opinion.h"
#include "opinion/polis_csv.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CSV_MAX ((size_t)1 << 31)

static void csv_field(struct kn_buf *b, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		kn_buf_adds(b, s);
		return;
	}
	kn_buf_addc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			kn_buf_addc(b, '"');
		kn_buf_addc(b, *p);
	}
	kn_buf_addc(b, '"');
}

static const char *ctime_utc(char *buf, size_t len, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%a %b %d %H:%M:%S UTC %Y", &tm);
	return buf;
}

struct exp_vote {
	int p, s, value;
	int64_t at_ms;
};

enum kn_err kn_consultation_export(struct kn_ctx *x, const struct kn_consultation *c, const char *base_url,
                                   struct kn_polis_file **out, int *nout)
{
	struct kn_rows *sr, *pr, *vr;
	enum kn_err rc;
	if ((rc = kn_sql(x->c, x->a, &sr,
	                 "SELECT s.number, s.created_at_ms, COALESCE(a.number, -1), s.moderation, s.is_meta, s.is_seed, s.body "
	                 "FROM consultation_statements s LEFT JOIN consultation_participants a ON a.id = s.author_id "
	                 "WHERE s.consultation_id = $1 ORDER BY s.created_at_ms, s.number",
	                 KN_INT(c->id))))
		return rc;
	if ((rc = kn_sql(x->c, x->a, &pr,
	                 "SELECT number, (SELECT COUNT(*) FROM consultation_statements s WHERE s.author_id = p.id) "
	                 "FROM consultation_participants p WHERE p.consultation_id = $1 ORDER BY number",
	                 KN_INT(c->id))))
		return rc;
	if ((rc = kn_sql(x->c, x->a, &vr,
	                 "SELECT p.number, s.number, v.value, v.at_ms FROM consultation_votes v JOIN consultation_participants p "
	                 "ON p.id = v.participant_id JOIN consultation_statements s ON s.id = v.statement_id "
	                 "WHERE v.consultation_id = $1 ORDER BY v.at_ms, v.id",
	                 KN_INT(c->id))))
		return rc;
	int maxp = -1, maxs = -1;
	for (int i = 0; i < pr->n; i++)
		if (kn_row_i(pr, i, 0) > maxp)
			maxp = (int)kn_row_i(pr, i, 0);
	for (int i = 0; i < sr->n; i++)
		if (kn_row_i(sr, i, 0) > maxs)
			maxs = (int)kn_row_i(sr, i, 0);
	size_t np = (size_t)(maxp + 1), ns = (size_t)(maxs + 1);
	/* effective votes: a participants x statements matrix of value + 2 (0: none) */
	signed char *m = calloc(np * ns + 1, 1);
	int *agrees = kn_zalloc(x->a, sizeof(int) * (ns + 1)), *disagrees = kn_zalloc(x->a, sizeof(int) * (ns + 1));
	struct kn_opinion_vote *ov = malloc(sizeof(*ov) * (size_t)(vr->n + 1));
	struct kn_opinion_statement *os = kn_zalloc(x->a, sizeof(*os) * (size_t)(sr->n + 1));
	if (!m || !ov) {
		free(m);
		free(ov);
		return KN_ENOMEM;
	}
	for (int i = 0; i < vr->n; i++) {
		int p = (int)kn_row_i(vr, i, 0), s = (int)kn_row_i(vr, i, 1), v = (int)kn_row_i(vr, i, 2);
		m[(size_t)p * ns + (size_t)s] = (signed char)(v + 2);
		if (v == 1)
			agrees[s]++;
		else if (v == -1)
			disagrees[s]++;
		ov[i] = (struct kn_opinion_vote){.participant = p, .statement = s, .time = kn_row_i(vr, i, 3), .value = v};
	}
	for (int i = 0; i < sr->n; i++) {
		const char *mod = kn_row_s(sr, i, 3);
		os[i].id = kn_row_i(sr, i, 0);
		os[i].moderation = !strcmp(mod, "accepted")   ? KN_OPINION_MOD_ACCEPTED
		                   : !strcmp(mod, "rejected") ? KN_OPINION_MOD_REJECTED
		                                              : KN_OPINION_MOD_UNMODERATED;
		os[i].is_meta = (int)kn_row_i(sr, i, 4);
	}
	struct kn_opinion_input in = {.votes = ov, .n_votes = (size_t)vr->n, .statements = os, .n_statements = (size_t)sr->n};
	struct kn_opinion_result *res = NULL;
	char err[256];
	if (vr->n && kn_opinion_update(&in, NULL, &res, err, sizeof(err))) {
		free(m);
		free(ov);
		kn_ferr_add(x, NULL, "The analysis of this consultation failed.");
		return KN_EINVAL;
	}
	free(ov);
	size_t ngroups = res ? res->n_groups : 0;

	struct kn_polis_file *f = kn_zalloc(x->a, sizeof(*f) * 5);
	struct kn_buf b;
	char tbuf[64];
	/* comments.csv */
	kn_buf_arena(&b, x->a, CSV_MAX);
	kn_buf_adds(&b, "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,"
	                "comment-body\n");
	int *zeros = kn_zalloc(x->a, sizeof(int) * (ngroups + 1));
	double gic0 = kn_opinion_gic(zeros, zeros, ngroups);
	int commenters = 0, comments_voted = 0;
	for (int i = 0; i < sr->n; i++) {
		int s = (int)kn_row_i(sr, i, 0);
		long k = res ? kn_opinion_statement_index(res, s) : -1;
		const char *mod = kn_row_s(sr, i, 3);
		kn_buf_printf(&b, "%lld,%d,", (long long)kn_row_i(sr, i, 1), s);
		if (kn_row_i(sr, i, 2) >= 0)
			kn_buf_printf(&b, "%lld", (long long)kn_row_i(sr, i, 2));
		kn_buf_printf(&b, ",%d,%d,%d,%s,%s,%.17g,", agrees[s], disagrees[s],
		              !strcmp(mod, "accepted") ? 1 : !strcmp(mod, "rejected") ? -1 : 0,
		              kn_row_i(sr, i, 4) ? "true" : "false", kn_row_i(sr, i, 5) ? "true" : "false",
		              k >= 0 ? res->statements[k].gic : gic0);
		csv_field(&b, kn_row_s(sr, i, 6));
		kn_buf_addc(&b, '\n');
	}
	/* a statement with only passes has votes too */
	bool *voted_s = kn_zalloc(x->a, ns + 1);
	for (size_t p = 0; p < np; p++)
		for (size_t s = 0; s < ns; s++)
			if (m[p * ns + s])
				voted_s[s] = true;
	comments_voted = 0;
	for (size_t s = 0; s < ns; s++)
		comments_voted += voted_s[s];
	f[0] = (struct kn_polis_file){"comments.csv", kn_buf_str(&b), b.len};
	/* votes.csv */
	kn_buf_arena(&b, x->a, CSV_MAX);
	kn_buf_adds(&b, "timestamp,datetime,comment-id,voter-id,vote\n");
	for (int i = 0; i < vr->n; i++)
		kn_buf_printf(&b, "%lld,%s,%lld,%lld,%lld\n", (long long)kn_row_i(vr, i, 3),
		              ctime_utc(tbuf, sizeof(tbuf), kn_row_i(vr, i, 3)), (long long)kn_row_i(vr, i, 1),
		              (long long)kn_row_i(vr, i, 0), (long long)kn_row_i(vr, i, 2));
	f[1] = (struct kn_polis_file){"votes.csv", kn_buf_str(&b), b.len};
	/* participants-votes.csv */
	kn_buf_arena(&b, x->a, CSV_MAX);
	kn_buf_adds(&b, "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree");
	for (size_t s = 0; s < ns; s++)
		if (voted_s[s])
			kn_buf_printf(&b, ",%zu", s);
	kn_buf_addc(&b, '\n');
	int voters = 0;
	for (int i = 0; i < pr->n; i++) {
		size_t p = (size_t)kn_row_i(pr, i, 0);
		int nv = 0, na = 0, nd = 0;
		for (size_t s = 0; s < ns; s++) {
			int v = m[p * ns + s];
			nv += v != 0;
			na += v == 3;
			nd += v == 1;
		}
		int wrote = (int)kn_row_i(pr, i, 1);
		commenters += wrote > 0;
		if (!nv && !wrote)
			continue;
		voters += nv > 0;
		kn_buf_printf(&b, "%zu,,", p);
		long pi = -1;
		if (res)
			for (size_t k = 0; k < res->n_participants && pi < 0; k++)
				if (res->participants[k].id == (int64_t)p)
					pi = (long)k;
		if (pi >= 0 && res->participants[pi].group >= 0)
			kn_buf_printf(&b, "%d", res->participants[pi].group);
		kn_buf_printf(&b, ",%d,%d,%d,%d", wrote, nv, na, nd);
		for (size_t s = 0; s < ns; s++) {
			if (!voted_s[s])
				continue;
			int v = m[p * ns + s];
			if (v)
				kn_buf_printf(&b, ",%d", v - 2);
			else
				kn_buf_addc(&b, ',');
		}
		kn_buf_addc(&b, '\n');
	}
	f[2] = (struct kn_polis_file){"participants-votes.csv", kn_buf_str(&b), b.len};
	/* summary.csv: key,value rows */
	kn_buf_arena(&b, x->a, CSV_MAX);
	kn_buf_adds(&b, "topic,");
	csv_field(&b, c->question);
	kn_buf_adds(&b, "\nurl,");
	csv_field(&b, kn_printf(x->a, "%s/councils/%s/consultations/%lld", base_url ? base_url : "", c->council_slug,
	                        (long long)c->id));
	kn_buf_printf(&b, "\nviews,%d\nvoters,%d\nvoters-in-conv,%d\ncommenters,%d\ncomments,%d\ngroups,%zu\n"
	                  "conversation-description,",
	              pr->n, voters, voters, commenters, comments_voted, ngroups);
	csv_field(&b, c->description);
	kn_buf_addc(&b, '\n');
	f[3] = (struct kn_polis_file){"summary.csv", kn_buf_str(&b), b.len};
	/* stats-history.csv: cumulative counters after each comment or vote, in time order */
	kn_buf_arena(&b, x->a, CSV_MAX);
	kn_buf_adds(&b, "n-votes,n-comments,n-visitors,n-voters,n-commenters\n");
	bool *seen = kn_zalloc(x->a, np + 1), *voted_p = kn_zalloc(x->a, np + 1), *wrote_p = kn_zalloc(x->a, np + 1);
	int nvotes = 0, ncomments = 0, nvisitors = 0, nvoters = 0, ncommenters = 0;
	int si = 0, vi = 0;
	while (si < sr->n || vi < vr->n) {
		bool take_s = si < sr->n && (vi >= vr->n || kn_row_i(sr, si, 1) <= kn_row_i(vr, vi, 3));
		if (take_s) {
			ncomments++;
			int64_t a = kn_row_i(sr, si, 2);
			if (a >= 0) {
				if (!seen[a])
					seen[a] = true, nvisitors++;
				if (!wrote_p[a])
					wrote_p[a] = true, ncommenters++;
			}
			si++;
		} else {
			nvotes++;
			int64_t p = kn_row_i(vr, vi, 0);
			if (!seen[p])
				seen[p] = true, nvisitors++;
			if (!voted_p[p])
				voted_p[p] = true, nvoters++;
			vi++;
		}
		kn_buf_printf(&b, "%d,%d,%d,%d,%d\n", nvotes, ncomments, nvisitors, nvoters, ncommenters);
	}
	f[4] = (struct kn_polis_file){"stats-history.csv", kn_buf_str(&b), b.len};
	free(m);
	kn_opinion_result_free(res);
	for (int i = 0; i < 5; i++)
		if (!f[i].data)
			return KN_ENOMEM;
	*out = f;
	*nout = 5;
	return KN_OK;
}

/* ---- import ------------------------------------------------------------------ */

struct imp_comment {
	int64_t id, ts, author;
	int moderated, meta, seed;
	const char *body;
};

static int col(struct kn_opinion_csv *c, const char *name)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (!strcmp(c->fields[i], name))
			return (int)i;
	return -1;
}

static int parse_bool(const char *s)
{
	if (!s || !*s || !strcmp(s, "false") || !strcmp(s, "0"))
		return 0;
	if (!strcmp(s, "true") || !strcmp(s, "1"))
		return 1;
	return -1;
}

static bool file_err(struct kn_ctx *x, const char *file, const char *msg)
{
	kn_ferr_add(x, "file", kn_printf(x->a, "%s: %s", file, msg));
	return false;
}

static bool parse_comments(struct kn_ctx *x, const char *buf, size_t len, struct imp_comment **out, int *n)
{
	struct kn_opinion_csv c;
	char err[300];
	kn_opinion_csv_init(&c, buf, len);
	int rc = kn_opinion_csv_next(&c, err, sizeof(err));
	if (rc <= 0) {
		kn_opinion_csv_free(&c);
		return file_err(x, "comments.csv", rc < 0 ? err : "line 1: the file is empty (a header row is needed)");
	}
	int ci = col(&c, "comment-id"), mi = col(&c, "moderated"), bi = col(&c, "comment-body"), ti = col(&c, "timestamp"),
	    ai = col(&c, "author-id"), ei = col(&c, "is-meta"), si = col(&c, "is-seed");
	if (ci < 0 || mi < 0 || bi < 0) {
		kn_opinion_csv_free(&c);
		return file_err(x, "comments.csv",
		                "line 1: missing column (comment-id, moderated and comment-body are needed)");
	}
	size_t nh = c.nfields, cap = 64;
	int cnt = 0;
	struct imp_comment *v = kn_zalloc(x->a, sizeof(*v) * cap);
	while ((rc = kn_opinion_csv_next(&c, err, sizeof(err))) == 1) {
		long line = c.line;
		const char *bad = NULL;
		if (c.nfields != nh)
			bad = kn_printf(x->a, "line %ld: %zu fields, the header has %zu", line, c.nfields, nh);
		struct imp_comment e = {.author = -1};
		int64_t mod = 0;
		if (!bad && (kn_opinion_parse_i64(c.fields[ci], &e.id) || e.id < 0 || e.id > 10000000))
			bad = kn_printf(x->a, "line %ld: comment-id is not a number", line);
		if (!bad && (kn_opinion_parse_i64(c.fields[mi], &mod) || mod < -1 || mod > 1))
			bad = kn_printf(x->a, "line %ld: moderated must be -1, 0 or 1", line);
		if (!bad && ti >= 0 && *c.fields[ti] && (kn_opinion_parse_i64(c.fields[ti], &e.ts) || e.ts < 0))
			bad = kn_printf(x->a, "line %ld: timestamp is not a number", line);
		if (!bad && ai >= 0 && *c.fields[ai] &&
		    (kn_opinion_parse_i64(c.fields[ai], &e.author) || e.author < 0 || e.author > 10000000))
			bad = kn_printf(x->a, "line %ld: author-id is not a number", line);
		if (!bad && ((e.meta = ei >= 0 ? parse_bool(c.fields[ei]) : 0) < 0 ||
		             (e.seed = si >= 0 ? parse_bool(c.fields[si]) : 0) < 0))
			bad = kn_printf(x->a, "line %ld: is-meta and is-seed must be true or false", line);
		if (!bad && (!*c.fields[bi] || strlen(c.fields[bi]) > 4000 ||
		             !kn_utf8_valid(c.fields[bi], strlen(c.fields[bi]))))
			bad = kn_printf(x->a, "line %ld: comment-body must be 1 to 4000 bytes of UTF-8", line);
		for (int j = 0; !bad && j < cnt; j++)
			if (v[j].id == e.id)
				bad = kn_printf(x->a, "line %ld: comment-id %lld appears twice", line, (long long)e.id);
		if (bad) {
			kn_opinion_csv_free(&c);
			return file_err(x, "comments.csv", bad);
		}
		e.moderated = (int)mod;
		e.body = kn_strdup(x->a, c.fields[bi]);
		if ((size_t)cnt == cap) {
			struct imp_comment *nv = kn_zalloc(x->a, sizeof(*nv) * cap * 2);
			memcpy(nv, v, sizeof(*v) * cap);
			v = nv;
			cap *= 2;
		}
		v[cnt++] = e;
	}
	kn_opinion_csv_free(&c);
	if (rc < 0)
		return file_err(x, "comments.csv", err);
	if (!cnt)
		return file_err(x, "comments.csv", "no comments");
	*out = v;
	*n = cnt;
	return true;
}

static const char *summary_topic(struct kn_ctx *x, const char *buf, size_t len)
{
	if (!buf || !len)
		return NULL;
	struct kn_opinion_csv c;
	char err[300];
	const char *topic = NULL;
	kn_opinion_csv_init(&c, buf, len);
	int rc;
	while ((rc = kn_opinion_csv_next(&c, err, sizeof(err))) == 1)
		if (c.nfields >= 2 && !strcmp(c.fields[0], "topic") && !topic)
			topic = kn_strdup(x->a, c.fields[1]);
	kn_opinion_csv_free(&c);
	if (rc < 0) {
		file_err(x, "summary.csv", err);
		return NULL;
	}
	return topic;
}

static const char *day_of(struct kn_arena *a, const char *zone_name, int64_t ms)
{
	char err[128];
	const struct kn_tz *tz = kn_tz_shared(zone_name && *zone_name ? zone_name : KN_TZ_DEFAULT, err, sizeof(err));
	int32_t d = tz ? kn_tz_local_date(tz, ms / 1000) : (int32_t)(ms / 86400000);
	char buf[16];
	kn_date_format(d, buf, sizeof(buf));
	return kn_strdup(a, buf);
}

enum kn_err kn_consultation_import(struct kn_ctx *x, const struct kn_council *council, const char *question,
                                   const char *comments, size_t comments_len, const char *votes, size_t votes_len,
                                   const char *summary, size_t summary_len, int64_t *id)
{
	struct imp_comment *cm = NULL;
	int ncm = 0;
	if (!comments || !comments_len)
		file_err(x, "comments.csv", "missing");
	else
		parse_comments(x, comments, comments_len, &cm, &ncm);
	struct kn_opinion_vote *ov = NULL;
	size_t nv = 0;
	char err[300];
	if (!votes || !votes_len)
		file_err(x, "votes.csv", "missing");
	else if (kn_opinion_polis_parse_votes(votes, votes_len, &ov, &nv, err, sizeof(err)))
		file_err(x, "votes.csv", err);
	const char *topic = summary_topic(x, summary, summary_len);
	if (!question || !*question)
		question = topic;
	if (!x->errs)
		kn_check_text(x, "question", question, 300, true, false);
	/* every vote names a comment of comments.csv: index of comment ids */
	int64_t maxc = -1;
	for (int j = 0; j < ncm; j++)
		if (cm[j].id > maxc)
			maxc = cm[j].id;
	int *cidx = kn_zalloc(x->a, sizeof(int) * (size_t)(maxc + 2));
	for (int j = 0; j < ncm; j++)
		cidx[cm[j].id] = j + 1;
	for (size_t i = 0; !x->errs && i < nv; i++) {
		bool found = ov[i].statement >= 0 && ov[i].statement <= maxc && cidx[ov[i].statement];
		if (!found)
			file_err(x, "votes.csv", kn_printf(x->a, "line %zu: comment-id %lld is not in comments.csv", i + 2,
			                                   (long long)ov[i].statement));
		if (ov[i].participant < 0 || ov[i].participant > 10000000)
			file_err(x, "votes.csv", kn_printf(x->a, "line %zu: voter-id out of range", i + 2));
	}
	if (x->errs) {
		free(ov);
		return KN_EINVAL;
	}
	int64_t first = INT64_MAX, last = 0;
	for (int j = 0; j < ncm; j++) {
		if (cm[j].ts && cm[j].ts < first)
			first = cm[j].ts;
		if (cm[j].ts > last)
			last = cm[j].ts;
	}
	for (size_t i = 0; i < nv; i++) {
		if (ov[i].time < first)
			first = ov[i].time;
		if (ov[i].time > last)
			last = ov[i].time;
	}
	if (first == INT64_MAX)
		first = last = x->now * 1000;
	const char *opens = day_of(x->a, council->timezone, first), *closes = day_of(x->a, council->timezone, last);
	struct kn_consultation_in in = {
	    .question = question,
	    .opens_on = opens,
	    .closes_on = closes,
	    .who = "citizens",
	    .statements_open = false,
	    .source = "Imported from a Pol.is export. Data gathered using the Polis software (compdemocracy.org/polis), "
	              "sub-licensed under CC BY 4.0 with attribution to The Computational Democracy Project.",
	};
	enum kn_err rc = kn_consultation_create(x, council, &in, id);
	struct kn_rows *r;
	if (!rc)
		rc = kn_sql(x->c, x->a, NULL, "UPDATE consultations SET closed = 1 WHERE id = $1", KN_INT(*id));
	/* participants: every voter and author, numbered as in the export */
	int64_t maxp = -1;
	for (size_t i = 0; i < nv; i++)
		if (ov[i].participant > maxp)
			maxp = ov[i].participant;
	for (int j = 0; j < ncm; j++)
		if (cm[j].author > maxp)
			maxp = cm[j].author;
	int64_t *pid = calloc((size_t)(maxp + 2), sizeof(*pid));
	if (!pid)
		rc = rc ? rc : KN_ENOMEM;
	for (size_t i = 0; !rc && i < nv + (size_t)ncm; i++) {
		int64_t p = i < nv ? ov[i].participant : cm[i - nv].author;
		if (p < 0 || pid[p])
			continue;
		rc = kn_sql(x->c, x->a, &r,
		            "INSERT INTO consultation_participants (consultation_id, number, created_at) VALUES ($1, $2, $3) "
		            "RETURNING id",
		            KN_INT(*id), KN_INT(p), KN_INT(x->now));
		if (!rc)
			pid[p] = kn_row_i(r, 0, 0);
	}
	int64_t *sid = kn_zalloc(x->a, sizeof(*sid) * (size_t)(ncm + 1));
	for (int j = 0; !rc && j < ncm; j++) {
		rc = kn_sql(x->c, x->a, &r,
		            "INSERT INTO consultation_statements (consultation_id, number, body, author_id, is_seed, moderation, "
		            "is_meta, created_at_ms, moderated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
		            KN_INT(*id), KN_INT(cm[j].id), KN_TEXT(cm[j].body),
		            cm[j].author >= 0 ? KN_INT(pid[cm[j].author]) : KN_NULL, KN_INT(cm[j].seed),
		            KN_TEXT(cm[j].moderated > 0 ? "accepted" : cm[j].moderated < 0 ? "rejected" : "pending"),
		            KN_INT(cm[j].meta), KN_INT(cm[j].ts), cm[j].moderated ? KN_INT(x->now) : KN_NULL);
		if (!rc)
			sid[j] = kn_row_i(r, 0, 0);
	}
	for (size_t i = 0; !rc && i < nv; i++) {
		int j = cidx[ov[i].statement] - 1;
		rc = kn_sql(x->c, x->a, NULL,
		            "INSERT INTO consultation_votes (consultation_id, statement_id, participant_id, value, at_ms) "
		            "VALUES ($1, $2, $3, $4, $5)",
		            KN_INT(*id), KN_INT(sid[j]), KN_INT(pid[ov[i].participant]), KN_INT(ov[i].value),
		            KN_INT(ov[i].time));
	}
	free(pid);
	if (!rc) {
		struct kn_change *ch = kn_change_new(x);
		kn_change_int(ch, "closed", 0, 1);
		kn_change_int(ch, "imported_statements", -1, ncm);
		kn_change_int(ch, "imported_votes", -1, (int64_t)nv);
		rc = kn_event(x, "consultation", *id, "imported", council->id, 0, ch);
	}
	free(ov);
	return rc;
}
