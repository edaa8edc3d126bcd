/* consultation.c: consultations, their participants and statements:
 * validation, storage, moderation, events, and the choice of the next
 * statement to vote on. Votes: consult_votes.c; analysis: consult_live.c. */
#include "domain/consultation.h"
#include "core/arena.h"
#include "core/calendar.h"
#include "core/tz.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "store/store.h"
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool kn_consultation_is_open(const struct kn_consultation *c, int64_t now)
{
	return !c->closed && now >= c->opens_at && now < c->closes_at;
}

#define CONS_COLS                                                                                              \
	"c.id, c.council_id, c.proposal_id, c.group_id, k.slug, k.timezone, c.question, c.description, "          \
	"c.opens_on, c.closes_on, c.who, c.source, g.slug, g.name_en, p.title, c.opens_at, c.closes_at, c.seed, " \
	"c.revision, c.created_at, c.statements_open, c.closed, c.illustrative, "                                 \
	"(SELECT COUNT(*) FROM consultation_statements s WHERE s.consultation_id = c.id AND s.moderation = 'accepted'), " \
	"(SELECT COUNT(*) FROM consultation_statements s WHERE s.consultation_id = c.id AND s.moderation = 'pending'), " \
	"(SELECT COUNT(*) FROM consultation_participants q WHERE q.consultation_id = c.id)"
#define CONS_FROM                                                                                              \
	" FROM consultations c JOIN councils k ON k.id = c.council_id"                                            \
	" LEFT JOIN working_groups g ON g.id = c.group_id LEFT JOIN proposals p ON p.id = c.proposal_id"

static void cons_row(const struct kn_rows *r, int i, struct kn_consultation *c)
{
	c->id = kn_row_i(r, i, 0);
	c->council_id = kn_row_i(r, i, 1);
	c->proposal_id = kn_row_i(r, i, 2);
	c->group_id = kn_row_i(r, i, 3);
	c->council_slug = kn_row_s(r, i, 4);
	c->timezone = kn_row_s(r, i, 5);
	c->question = kn_row_s(r, i, 6);
	c->description = kn_row_s(r, i, 7);
	c->opens_on = kn_row_s(r, i, 8);
	c->closes_on = kn_row_s(r, i, 9);
	c->who = kn_row_s(r, i, 10);
	c->source = kn_row_s(r, i, 11);
	c->group_slug = kn_row_s(r, i, 12);
	c->group_name = kn_row_s(r, i, 13);
	c->proposal_title = kn_row_s(r, i, 14);
	c->opens_at = kn_row_i(r, i, 15);
	c->closes_at = kn_row_i(r, i, 16);
	c->seed = kn_row_i(r, i, 17);
	c->revision = kn_row_i(r, i, 18);
	c->created_at = kn_row_i(r, i, 19);
	c->statements_open = kn_row_i(r, i, 20) != 0;
	c->closed = kn_row_i(r, i, 21) != 0;
	c->illustrative = kn_row_i(r, i, 22) != 0;
	c->n_accepted = (int)kn_row_i(r, i, 23);
	c->n_pending = (int)kn_row_i(r, i, 24);
	c->n_participants = (int)kn_row_i(r, i, 25);
}

enum kn_err kn_consultation_list(struct kn_ctx *x, int64_t council_id, struct kn_consultation **out, int *n)
{
	return kn_consultation_page(x, council_id, 0, 0, out, n, NULL);
}

enum kn_err kn_consultation_page(struct kn_ctx *x, int64_t council_id, int offset, int limit,
                                 struct kn_consultation **out, int *n, int *total)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (total &&
	    (rc = kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM consultations WHERE council_id = $1", KN_INT(council_id))))
		return rc;
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT " CONS_COLS CONS_FROM " WHERE c.council_id = $1 ORDER BY c.opens_at DESC, c.id DESC LIMIT $2 OFFSET $3",
	            KN_INT(council_id), KN_LIMIT(limit), KN_INT(offset));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++)
		cons_row(r, i, &(*out)[i]);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_consultation_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_consultation **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " CONS_COLS CONS_FROM " WHERE c.id = $1 AND ($2 = 0 OR c.council_id = $2)",
	                        KN_INT(id), KN_INT(council_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	cons_row(r, 0, *out);
	return KN_OK;
}

enum kn_err kn_consultation_rules(struct kn_ctx *x, const char *council_key, int64_t id, struct kn_consultation **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT c.id, c.council_id, k.slug, c.who, c.opens_at, c.closes_at, c.closed, c.seed "
	                        "FROM consultations c JOIN councils k ON k.id = c.council_id "
	                        "WHERE c.id = $1 AND (k.slug = $2 OR CAST(k.id AS TEXT) = $2)",
	                        KN_INT(id), KN_TEXT(council_key ? council_key : ""));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	struct kn_consultation *c = kn_zalloc(x->a, sizeof(*c));
	c->id = kn_row_i(r, 0, 0);
	c->council_id = kn_row_i(r, 0, 1);
	c->council_slug = kn_row_s(r, 0, 2);
	c->who = kn_row_s(r, 0, 3);
	c->opens_at = kn_row_i(r, 0, 4);
	c->closes_at = kn_row_i(r, 0, 5);
	c->closed = kn_row_i(r, 0, 6) != 0;
	c->seed = kn_row_i(r, 0, 7);
	c->question = c->description = c->opens_on = c->closes_on = c->source = "";
	*out = c;
	return KN_OK;
}

static bool day_bounds(const char *tzname, const char *opens, const char *closes, int64_t *oa, int64_t *ca)
{
	char err[128];
	const struct kn_tz *tz = kn_tz_shared(tzname && *tzname ? tzname : KN_TZ_DEFAULT, err, sizeof(err));
	int32_t o, c;
	if (!tz || kn_date_parse(opens, &o) || kn_date_parse(closes, &c))
		return false;
	*oa = kn_tz_start_of_local_day(tz, o);
	*ca = kn_tz_end_of_local_day(tz, c);
	return true;
}

/* Splits seed text into trimmed non-empty lines (arena copies). */
static int split_lines(struct kn_ctx *x, const char *s, const char ***out)
{
	int cap = 1;
	for (const char *p = s ? s : ""; *p; p++)
		cap += *p == '\n';
	const char **v = kn_zalloc(x->a, sizeof(*v) * (size_t)cap);
	int n = 0;
	const char *p = s ? s : "";
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *t = kn_trim(x, kn_strndup(x->a, p, len));
		if (t && *t)
			v[n++] = t;
		p += len + (e ? 1 : 0);
	}
	*out = v;
	return n;
}

static bool check_statement_text(struct kn_ctx *x, const char *field, const char *body)
{
	if (!kn_check_text(x, field, body, 100000, true, false))
		return false;
	if (strlen(body) > KN_STATEMENT_MAX) {
		kn_ferr_add(x, field, "A statement may have at most 280 characters.");
		return false;
	}
	return true;
}

static enum kn_err statement_event(struct kn_ctx *x, int64_t council_id, int64_t cid, int64_t sid, int number,
                                   const char *before, const char *after, int meta_before, int meta_after,
                                   const char *body)
{
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "consultation_id", before ? cid : 0, cid);
	kn_change_int(ch, "number", before ? number : -1, number);
	kn_change_str(ch, "moderation", before, after);
	kn_change_int(ch, "is_meta", before ? meta_before : -1, meta_after);
	/* the text of a rejected statement is not published */
	if (!strcmp(after, "accepted"))
		kn_change_str(ch, "body", NULL, body);
	const char *action = !strcmp(after, "rejected") ? "rejected" : meta_after ? "marked_meta" : "accepted";
	return kn_event(x, "consultation_statement", sid, action, council_id, 0, ch);
}

/* Inserts a statement with the next number. */
static enum kn_err insert_statement(struct kn_ctx *x, int64_t cid, int64_t author, const char *body, bool seed,
                                    const char *moderation, int is_meta, int64_t at_ms, int number, int64_t *sid,
                                    int *num)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (number >= 0)
		rc = kn_sql(x->c, x->a, &r,
		            "INSERT INTO consultation_statements (consultation_id, number, body, author_id, is_seed, "
		            "moderation, is_meta, created_at_ms, moderated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
		            "RETURNING id, number",
		            KN_INT(cid), KN_INT(number), KN_TEXT(body), author ? KN_INT(author) : KN_NULL, KN_INT(seed),
		            KN_TEXT(moderation), KN_INT(is_meta), KN_INT(at_ms),
		            strcmp(moderation, "pending") ? KN_INT(x->now) : KN_NULL);
	else
		rc = kn_sql(x->c, x->a, &r,
		            "INSERT INTO consultation_statements (consultation_id, number, body, author_id, is_seed, "
		            "moderation, is_meta, created_at_ms, moderated_at) SELECT CAST($1 AS BIGINT), "
		            "COALESCE(MAX(number), -1) + 1, CAST($2 AS TEXT), CAST($3 AS BIGINT), CAST($4 AS INTEGER), "
		            "CAST($5 AS TEXT), CAST($6 AS INTEGER), CAST($7 AS BIGINT), CAST($8 AS BIGINT) "
		            "FROM consultation_statements WHERE consultation_id = $1 RETURNING id, number",
		            KN_INT(cid), KN_TEXT(body), author ? KN_INT(author) : KN_NULL, KN_INT(seed), KN_TEXT(moderation),
		            KN_INT(is_meta), KN_INT(at_ms), strcmp(moderation, "pending") ? KN_INT(x->now) : KN_NULL);
	if (rc)
		return rc;
	*sid = kn_row_i(r, 0, 0);
	*num = (int)kn_row_i(r, 0, 1);
	return KN_OK;
}

enum kn_err kn_consultation_create(struct kn_ctx *x, const struct kn_council *council,
                                   const struct kn_consultation_in *in, int64_t *id)
{
	const char *question = kn_trim(x, in->question);
	const char *desc = in->description ? in->description : "";
	const char *opens = kn_trim(x, in->opens_on), *closes = kn_trim(x, in->closes_on);
	const char *who = in->who && *in->who ? in->who : "citizens";
	kn_check_text(x, "question", question, 300, true, false);
	kn_check_text(x, "description", desc, 20000, false, true);
	bool od = kn_check_date(x, "opens_on", opens, true);
	bool cd = kn_check_date(x, "closes_on", closes, true);
	if (od && cd && strcmp(closes, opens) < 0)
		kn_ferr_add(x, "closes_on", "A consultation cannot close before it opens.");
	if (strcmp(who, "citizens") && strcmp(who, "anyone"))
		kn_ferr_add(x, "who", "Choose who may take part: registered citizens or anyone.");
	const char **seeds;
	int ns = split_lines(x, in->seeds, &seeds);
	if (ns > 100)
		kn_ferr_add(x, "seeds", "At most 100 seed statements.");
	for (int i = 0; i < ns && i < 100; i++) {
		if (!check_statement_text(x, "seeds", seeds[i]))
			break;
		for (int j = 0; j < i; j++)
			if (!strcmp(seeds[i], seeds[j])) {
				kn_ferr_add(x, "seeds", "The same seed statement is given twice.");
				j = i;
				i = ns;
			}
	}
	enum kn_err rc;
	struct kn_rows *r;
	int64_t proposal_id = 0, group_id = 0;
	if (in->proposal && *in->proposal) {
		int64_t pid = kn_parse_id(in->proposal[0] == 'p' ? in->proposal + 1 : in->proposal);
		if ((rc = kn_sql(x->c, x->a, &r, "SELECT id FROM proposals WHERE id = $1 AND council_id = $2", KN_INT(pid),
		                 KN_INT(council->id))))
			return rc;
		if (!r->n)
			kn_ferr_add(x, "proposal", "No such proposal in this council.");
		else
			proposal_id = pid;
	}
	if (in->group && *in->group) {
		if ((rc = kn_sql(x->c, x->a, &r,
		                 "SELECT id FROM working_groups WHERE council_id = $1 AND (slug = $2 OR CAST(id AS TEXT) = $2)",
		                 KN_INT(council->id), KN_TEXT(in->group))))
			return rc;
		if (!r->n)
			kn_ferr_add(x, "group", "No such working group in this council.");
		else
			group_id = kn_row_i(r, 0, 0);
	}
	int64_t oa = 0, ca = 0;
	if (!x->errs && !day_bounds(council->timezone, opens, closes, &oa, &ca))
		kn_ferr_add(x, "opens_on", "These dates cannot be placed in the council's time zone.");
	if (x->errs)
		return KN_EINVAL;
	uint64_t seed;
	randombytes_buf(&seed, sizeof(seed));
	seed &= 0x7fffffffffffffffULL;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO consultations (council_id, proposal_id, group_id, question, description, opens_on, "
	                 "closes_on, opens_at, closes_at, who, statements_open, seed, source, illustrative, created_at, "
	                 "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) "
	                 "RETURNING id",
	                 KN_INT(council->id), proposal_id ? KN_INT(proposal_id) : KN_NULL,
	                 group_id ? KN_INT(group_id) : KN_NULL, KN_TEXT(question), KN_TEXT(desc), KN_TEXT(opens),
	                 KN_TEXT(closes), KN_INT(oa), KN_INT(ca), KN_TEXT(who), KN_INT(in->statements_open),
	                 KN_INT((int64_t)seed), KN_TEXT(in->source ? in->source : ""), KN_INT(in->illustrative),
	                 KN_INT(x->now))))
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "question", NULL, question);
	kn_change_str(ch, "description", NULL, desc);
	kn_change_str(ch, "opens_on", NULL, opens);
	kn_change_str(ch, "closes_on", NULL, closes);
	kn_change_str(ch, "who", NULL, who);
	kn_change_int(ch, "statements_open", -1, in->statements_open);
	kn_change_id(ch, "proposal_id", 0, proposal_id);
	kn_change_id(ch, "group_id", 0, group_id);
	if (in->source && *in->source)
		kn_change_str(ch, "source", NULL, in->source);
	kn_change_int(ch, "illustrative", -1, in->illustrative);
	if ((rc = kn_event(x, "consultation", *id, "created", council->id, 0, ch)))
		return rc;
	for (int i = 0; i < ns; i++) {
		int64_t sid;
		int num;
		if ((rc = insert_statement(x, *id, 0, seeds[i], true, "accepted", 0, x->now * 1000, -1, &sid, &num)) ||
		    (rc = statement_event(x, council->id, *id, sid, num, NULL, "accepted", 0, 0, seeds[i])))
			return rc;
	}
	return KN_OK;
}

enum kn_err kn_consultation_close(struct kn_ctx *x, const struct kn_consultation *c)
{
	if (!kn_consultation_is_open(c, x->now)) {
		kn_ferr_add(x, NULL, "This consultation is not open.");
		return KN_EINVAL;
	}
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "UPDATE consultations SET closed = 1, closes_at = $1, revision = revision + 1, updated_at = $1 "
	                        "WHERE id = $2 AND closed = 0 RETURNING id",
	                        KN_INT(x->now), KN_INT(c->id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_int(ch, "closed", 0, 1);
	return kn_event(x, "consultation", c->id, "closed", c->council_id, 0, ch);
}

enum kn_err kn_consultation_statements(struct kn_ctx *x, int64_t cid, const char *moderation,
                                       struct kn_statement **out, int *n)
{
	struct kn_rows *r;
	/* counts from each participant's latest vote per statement */
	enum kn_err rc = kn_sql(
	    x->c, x->a, &r,
	    "SELECT s.id, s.number, s.body, s.moderation, s.is_meta, s.is_seed, COALESCE(a.number, -1), s.created_at_ms, "
	    "COALESCE(SUM(CASE WHEN v.value = 1 THEN 1 ELSE 0 END), 0), "
	    "COALESCE(SUM(CASE WHEN v.value = -1 THEN 1 ELSE 0 END), 0), "
	    "COALESCE(SUM(CASE WHEN v.value = 0 THEN 1 ELSE 0 END), 0) "
	    "FROM consultation_statements s LEFT JOIN consultation_participants a ON a.id = s.author_id "
	    "LEFT JOIN consultation_votes v ON v.statement_id = s.id AND v.id = (SELECT MAX(w.id) FROM consultation_votes w "
	    "WHERE w.statement_id = s.id AND w.participant_id = v.participant_id) "
	    "WHERE s.consultation_id = $1 AND ($2 = '' OR s.moderation = $2) "
	    "GROUP BY s.id, s.number, s.body, s.moderation, s.is_meta, s.is_seed, a.number, s.created_at_ms "
	    "ORDER BY s.number",
	    KN_INT(cid), KN_TEXT(moderation ? moderation : ""));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_statement *s = &(*out)[i];
		s->id = kn_row_i(r, i, 0);
		s->number = (int)kn_row_i(r, i, 1);
		s->body = kn_row_s(r, i, 2);
		s->moderation = kn_row_s(r, i, 3);
		s->is_meta = kn_row_i(r, i, 4) != 0;
		s->is_seed = kn_row_i(r, i, 5) != 0;
		s->author = (int)kn_row_i(r, i, 6);
		s->created_at_ms = kn_row_i(r, i, 7);
		s->n_agree = (int)kn_row_i(r, i, 8);
		s->n_disagree = (int)kn_row_i(r, i, 9);
		s->n_pass = (int)kn_row_i(r, i, 10);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_consultation_texts(struct kn_ctx *x, int64_t cid, struct kn_statement **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, number, body, moderation, is_meta, is_seed FROM consultation_statements "
	                        "WHERE consultation_id = $1 ORDER BY number",
	                        KN_INT(cid));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_statement *s = &(*out)[i];
		s->id = kn_row_i(r, i, 0);
		s->number = (int)kn_row_i(r, i, 1);
		s->body = kn_row_s(r, i, 2);
		s->moderation = kn_row_s(r, i, 3);
		s->is_meta = kn_row_i(r, i, 4) != 0;
		s->is_seed = kn_row_i(r, i, 5) != 0;
		s->author = -1;
	}
	*n = r->n;
	return KN_OK;
}

/* ---- participants --------------------------------------------------------- */

const char *kn_consultation_browser_hash(struct kn_arena *a, const char *cookie)
{
	size_t n = cookie ? strlen(cookie) : 0;
	if (n < 32 || n > 64)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char ch = cookie[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_'))
			return NULL;
	}
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), (const unsigned char *)cookie, n, NULL, 0);
	char *hex = kn_alloc(a, 33);
	sodium_bin2hex(hex, 33, h, sizeof(h));
	return hex;
}

const char *kn_consultation_browser_new(struct kn_arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	char *t = kn_alloc(a, 48);
	sodium_bin2base64(t, 48, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return t;
}

static enum kn_err find_participant(struct kn_ctx *x, int64_t cid, int64_t user_id, const char *browser, int64_t *pid)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (user_id)
		rc = kn_sql(x->c, x->a, &r, "SELECT id FROM consultation_participants WHERE consultation_id = $1 AND user_id = $2",
		            KN_INT(cid), KN_INT(user_id));
	else
		rc = kn_sql(x->c, x->a, &r, "SELECT id FROM consultation_participants WHERE consultation_id = $1 AND browser = $2",
		            KN_INT(cid), KN_TEXT(browser));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*pid = kn_row_i(r, 0, 0);
	return KN_OK;
}

enum kn_err kn_consultation_participant(struct kn_ctx *x, int64_t cid, int64_t user_id, const char *browser,
                                        bool create, int64_t *pid)
{
	if (!user_id && !browser)
		return KN_EINVAL;
	enum kn_err rc = find_participant(x, cid, user_id, browser, pid);
	if (rc != KN_ENOTFOUND || !create)
		return rc;
	/* two requests may race for the next number (or for the same browser):
	 * the loser looks again */
	for (int attempt = 0; attempt < 8; attempt++) {
		bool own = !kn_db_in_tx(x->c);
		if (own && (rc = kn_db_begin(x->c)))
			return rc;
		struct kn_rows *r;
		rc = kn_sql(x->c, x->a, &r,
		            "INSERT INTO consultation_participants (consultation_id, number, user_id, browser, created_at) "
		            "SELECT CAST($1 AS BIGINT), COALESCE(MAX(number), -1) + 1, CAST($2 AS BIGINT), CAST($3 AS TEXT), "
		            "CAST($4 AS BIGINT) FROM consultation_participants WHERE consultation_id = $1 RETURNING id",
		            KN_INT(cid), user_id ? KN_INT(user_id) : KN_NULL, user_id ? KN_NULL : KN_TEXT(browser),
		            KN_INT(x->now));
		if (!rc) {
			*pid = kn_row_i(r, 0, 0);
			return own ? kn_db_commit(x->c) : KN_OK;
		}
		if (!own || rc != KN_ECONFLICT) {
			if (own)
				kn_db_rollback(x->c);
			return rc;
		}
		kn_db_rollback(x->c);
		rc = find_participant(x, cid, user_id, browser, pid);
		if (rc != KN_ENOTFOUND)
			return rc;
	}
	return KN_ECONFLICT;
}

/* ---- statements ------------------------------------------------------------ */

enum kn_err kn_statement_add(struct kn_ctx *x, const struct kn_consultation *c, int64_t participant_id,
                             const char *body, bool by_staff, int *number)
{
	body = kn_trim(x, body);
	if (!check_statement_text(x, "body", body))
		return KN_EINVAL;
	if (!kn_consultation_is_open(c, x->now)) {
		kn_ferr_add(x, NULL, "This consultation is not open.");
		return KN_EINVAL;
	}
	if (!by_staff && !c->statements_open) {
		kn_ferr_add(x, "body", "In this consultation only the council adds statements.");
		return KN_EINVAL;
	}
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT number FROM consultation_statements WHERE consultation_id = $1 AND body = $2",
	                        KN_INT(c->id), KN_TEXT(body));
	if (rc)
		return rc;
	if (r->n) {
		kn_ferr_add(x, "body", "This statement is already in the consultation.");
		return KN_EINVAL;
	}
	if (!by_staff) {
		/* a participant may have at most 20 statements waiting for moderation */
		if ((rc = kn_sql(x->c, x->a, &r,
		                 "SELECT COUNT(*) FROM consultation_statements WHERE author_id = $1 AND moderation = 'pending'",
		                 KN_INT(participant_id))))
			return rc;
		if (kn_row_i(r, 0, 0) >= 20) {
			kn_ferr_add(x, "body", "You have 20 statements waiting for moderation; wait for the secretary.");
			return KN_EINVAL;
		}
	}
	int64_t sid;
	if ((rc = insert_statement(x, c->id, by_staff ? 0 : participant_id, body, by_staff,
	                           by_staff ? "accepted" : "pending", 0, x->now * 1000, -1, &sid, number)))
		return rc == KN_ECONFLICT ? KN_ECONFLICT : rc;
	if (by_staff) {
		if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE consultations SET revision = revision + 1 WHERE id = $1",
		                 KN_INT(c->id))))
			return rc;
		return statement_event(x, c->council_id, c->id, sid, *number, NULL, "accepted", 0, 0, body);
	}
	return KN_OK;
}

enum kn_err kn_statement_moderate(struct kn_ctx *x, const struct kn_consultation *c, int number, const char *action)
{
	const char *to;
	int meta;
	if (action && !strcmp(action, "accept"))
		to = "accepted", meta = 0;
	else if (action && !strcmp(action, "reject"))
		to = "rejected", meta = 0;
	else if (action && !strcmp(action, "meta"))
		to = "accepted", meta = 1;
	else {
		kn_ferr_add(x, "action", "Choose accept, reject or meta.");
		return KN_EINVAL;
	}
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, moderation, is_meta, body FROM consultation_statements WHERE consultation_id = $1 "
	                        "AND number = $2",
	                        KN_INT(c->id), KN_INT(number));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	int64_t sid = kn_row_i(r, 0, 0);
	const char *from = kn_row_s(r, 0, 1);
	int meta_from = (int)kn_row_i(r, 0, 2);
	const char *body = kn_row_s(r, 0, 3);
	if (!strcmp(from, to) && meta_from == meta) {
		kn_ferr_add(x, "action", "The statement already has this decision.");
		return KN_EINVAL;
	}
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE consultation_statements SET moderation = $1, is_meta = $2, moderated_at = $3 "
	                 "WHERE id = $4 AND moderation = $5 AND is_meta = $6 RETURNING id",
	                 KN_TEXT(to), KN_INT(meta), KN_INT(x->now), KN_INT(sid), KN_TEXT(from), KN_INT(meta_from))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE consultations SET revision = revision + 1, updated_at = $1 WHERE id = $2",
	                 KN_INT(x->now), KN_INT(c->id))))
		return rc;
	return statement_event(x, c->council_id, c->id, sid, number, from, to, meta_from, meta, body);
}

/* ---- the next statement ------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t kn_consultation_choice_seed(int64_t consultation_seed, int64_t participant_id, int64_t votes_given)
{
	uint64_t s = (uint64_t)consultation_seed;
	uint64_t a = splitmix(&s) ^ (uint64_t)participant_id;
	uint64_t b = splitmix(&a) ^ (uint64_t)votes_given;
	return splitmix(&b);
}

size_t kn_consultation_pick(const double *w, size_t n, uint64_t seed)
{
	if (!n)
		return 0;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		if (w[i] > 0 && isfinite(w[i]))
			sum += w[i];
	uint64_t s = seed;
	double u = (double)(splitmix(&s) >> 11) * (1.0 / 9007199254740992.0); /* [0, 1) */
	if (!(sum > 0))
		return (size_t)(u * (double)n) < n ? (size_t)(u * (double)n) : n - 1;
	double t = u * sum, acc = 0;
	size_t last = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(w[i] > 0 && isfinite(w[i])))
			continue;
		acc += w[i];
		last = i;
		if (t < acc)
			return i;
	}
	return last;
}

enum kn_err kn_consultation_next(struct kn_ctx *x, const struct kn_consultation *c, int64_t participant_id,
                                 struct kn_statement **out, int *left)
{
	*out = NULL;
	*left = 0;
	struct kn_rows *r;
	/* accepted statements this participant has not voted on, and how many
	 * votes they gave (the choice's seed moves with each vote) */
	enum kn_err rc = kn_sql(
	    x->c, x->a, &r,
	    "SELECT s.id, s.number, s.body, s.is_meta, s.is_seed, (SELECT COUNT(*) FROM consultation_votes w "
	    "WHERE w.participant_id = $2) FROM consultation_statements s WHERE s.consultation_id = $1 AND "
	    "s.moderation = 'accepted' AND NOT EXISTS (SELECT 1 FROM consultation_votes v WHERE v.participant_id = $2 "
	    "AND v.statement_id = s.id) ORDER BY s.number",
	    KN_INT(c->id), KN_INT(participant_id));
	if (rc)
		return rc;
	*left = r->n;
	if (!r->n)
		return KN_OK;
	int64_t *ids = kn_alloc(x->a, sizeof(*ids) * (size_t)r->n);
	bool *meta = kn_alloc(x->a, sizeof(*meta) * (size_t)r->n);
	double *w = kn_alloc(x->a, sizeof(*w) * (size_t)r->n);
	for (int i = 0; i < r->n; i++) {
		ids[i] = kn_row_i(r, i, 0);
		meta[i] = kn_row_i(r, i, 3) != 0;
	}
	kn_consult_priorities(c->id, ids, meta, (size_t)r->n, w);
	size_t k = kn_consultation_pick(w, (size_t)r->n,
	                                kn_consultation_choice_seed(c->seed, participant_id, kn_row_i(r, 0, 5)));
	struct kn_statement *s = kn_zalloc(x->a, sizeof(*s));
	s->id = ids[k];
	s->number = (int)kn_row_i(r, (int)k, 1);
	s->body = kn_row_s(r, (int)k, 2);
	s->moderation = "accepted";
	s->is_meta = meta[k];
	s->is_seed = kn_row_i(r, (int)k, 4) != 0;
	s->author = -1;
	*out = s;
	return KN_OK;
}
