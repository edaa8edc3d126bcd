/* api_consultation.c: consultations over JSON, through the same domain
 * functions as the pages. A vote is one small durable write: 201 once its
 * batch has committed; 409 duplicate_vote, 404 no such statement, 409
 * closed, 422 malformed. */
#include "api/api_consultation.h"
#include "api/json.h"
#include "core/i18n.h"
#include "app/app.h"
#include "app/consult_actor.h"
#include "core/arena.h"
#include "domain/consultation.h"
#include "domain/registry.h"
#include "opinion/opinion.h"
#include "store/store.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool load(struct kn_req *r, struct kn_ctx *x, struct kn_council **k, struct kn_consultation **c)
{
	enum kn_err rc = kn_council_get(x, kn_req_param(r, "council"), k);
	int64_t id = kn_parse_id(kn_req_param(r, "id"));
	if (!rc)
		rc = id ? kn_consultation_get(x, (*k)->id, id, c) : KN_ENOTFOUND;
	if (rc) {
		kn_fail_err(r, rc);
		return false;
	}
	return true;
}

static json_t *cons_json(const struct kn_consultation *c, int64_t now)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "question", json_string(c->question));
	json_object_set_new(o, "description", json_string(c->description));
	json_object_set_new(o, "opens_on", json_string(c->opens_on));
	json_object_set_new(o, "closes_on", json_string(c->closes_on));
	json_object_set_new(o, "who", json_string(c->who));
	json_object_set_new(o, "statements_open", json_boolean(c->statements_open));
	json_object_set_new(o, "open", json_boolean(kn_consultation_is_open(c, now)));
	json_object_set_new(o, "proposal_id", c->proposal_id ? json_integer(c->proposal_id) : json_null());
	json_object_set_new(o, "group", kn_json_str(c->group_slug));
	json_object_set_new(o, "source", json_string(c->source));
	json_object_set_new(o, "illustrative", json_boolean(c->illustrative));
	json_object_set_new(o, "statements", json_integer(c->n_accepted));
	json_object_set_new(o, "pending", json_integer(c->n_pending));
	json_object_set_new(o, "participants", json_integer(c->n_participants));
	json_object_set_new(o, "url", json_sprintf("/councils/%s/consultations/%lld", c->council_slug, (long long)c->id));
	return o;
}

void kn_api_consultations(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	int n, total, off, lim;
	if (!kn_req_window(r, 100, 500, &off, &lim))
		return;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &k);
	if (!rc)
		rc = kn_consultation_page(&x, k->id, off, lim, &c, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, cons_json(&c[i], r->now));
	kn_api_send_page(r, "consultations", a, total, off, lim);
}

void kn_api_consultation(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	struct kn_statement *s;
	int n;
	if (!load(r, &x, &k, &c))
		return;
	if (kn_consultation_texts(&x, c->id, &s, &n)) {
		kn_fail_err(r, KN_EDB);
		return;
	}
	json_t *o = cons_json(c, r->now), *a = json_array();
	for (int i = 0; i < n; i++) {
		if (strcmp(s[i].moderation, "accepted"))
			continue;
		json_t *e = json_object();
		json_object_set_new(e, "number", json_integer(s[i].number));
		json_object_set_new(e, "body", json_string(s[i].body));
		json_object_set_new(e, "meta", json_boolean(s[i].is_meta));
		json_object_set_new(e, "seed", json_boolean(s[i].is_seed));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "accepted_statements", a);
	kn_api_send(r, 200, o);
}

void kn_api_consultation_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *k;
	enum kn_err rc = kn_tx_begin(r, &x);
	int64_t id = 0;
	if (!rc)
		rc = kn_council_get(&x, kn_req_param(r, "council"), &k);
	if (!rc) {
		struct kn_consultation_in in = {.statements_open = true};
		in.question = kn_api_str(r, &x, "question");
		in.description = kn_api_str(r, &x, "description");
		in.opens_on = kn_api_str(r, &x, "opens_on");
		in.closes_on = kn_api_str(r, &x, "closes_on");
		in.who = kn_api_str(r, &x, "who");
		in.group = kn_api_str(r, &x, "group");
		int64_t p = kn_api_int(r, &x, "proposal_id", 0);
		if (p)
			in.proposal = kn_printf(r->a, "%lld", (long long)p);
		json_t *so = json_object_get(r->json, "statements_open");
		if (so && !json_is_boolean(so))
			kn_ferr_add(&x, "statements_open", "This field must be true or false.");
		else if (so)
			in.statements_open = json_is_true(so);
		json_t *seeds = json_object_get(r->json, "seeds");
		if (seeds && !json_is_array(seeds)) {
			kn_ferr_add(&x, "seeds", "This field must be an array of strings.");
		} else if (seeds) {
			struct kn_buf b;
			kn_buf_arena(&b, r->a, 1 << 20);
			size_t i;
			json_t *v;
			json_array_foreach(seeds, i, v)
			{
				const char *t = json_string_value(v);
				if (!t || strchr(t, '\n')) {
					kn_ferr_add(&x, "seeds", "Each seed statement must be a string on one line.");
					break;
				}
				kn_buf_adds(&b, t);
				kn_buf_addc(&b, '\n');
			}
			in.seeds = kn_buf_str(&b);
		}
		rc = x.errs ? KN_EINVAL : kn_consultation_create(&x, k, &in, &id);
	}
	rc = kn_tx_end(&x, rc);
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_consultation *c;
	if ((rc = kn_consultation_get(&x, 0, id, &c))) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, 201, cons_json(c, r->now));
}

static json_t *statement_json(const struct kn_statement *s)
{
	json_t *e = json_object();
	json_object_set_new(e, "number", json_integer(s->number));
	json_object_set_new(e, "body", json_string(s->body));
	json_object_set_new(e, "meta", json_boolean(s->is_meta));
	return e;
}

void kn_api_consultation_next(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	int64_t pid = 0;
	enum kn_err rc = kn_consult_actor(r, &x, c, false, &pid);
	if (rc == KN_EPERM) {
		kn_api_error(r, 401, "unauthorized", NULL, "Log in to take part: this consultation is open to registered citizens.",
		             NULL);
		return;
	}
	struct kn_statement *s;
	int left;
	if ((rc && rc != KN_ENOTFOUND) || kn_consultation_next(&x, c, rc ? 0 : pid, &s, &left)) {
		kn_fail_err(r, KN_EDB);
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "statement", s ? statement_json(s) : json_null());
	json_object_set_new(o, "left", json_integer(left));
	json_object_set_new(o, "open", json_boolean(kn_consultation_is_open(c, r->now)));
	r->cache = "no-store";
	kn_api_send(r, 200, o);
}

/* What a vote needs of its consultation, kept for a second: the vote path
 * then reads nothing before it queues the vote (the writer's insert checks
 * again that the consultation is open and the statement accepted). */
#define RULES_SLOTS 64
static struct {
	char key[80];
	int64_t id, council_id, opens_at, closes_at, seed;
	char who[16], slug[72];
	bool closed;
	double until;
} rules_cache[RULES_SLOTS];
static pthread_mutex_t rules_mu = PTHREAD_MUTEX_INITIALIZER;

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum kn_err vote_rules(struct kn_req *r, struct kn_ctx *x, int64_t cid, struct kn_consultation **out)
{
	const char *ck = kn_req_param(r, "council");
	char key[80];
	snprintf(key, sizeof(key), "%lld/%.60s", (long long)cid, ck ? ck : "");
	size_t h = 5381;
	for (const char *p = key; *p; p++)
		h = h * 33 + (unsigned char)*p;
	size_t i = h % RULES_SLOTS;
	double now = mono();
	pthread_mutex_lock(&rules_mu);
	if (rules_cache[i].until > now && !strcmp(rules_cache[i].key, key)) {
		struct kn_consultation *c = kn_zalloc(r->a, sizeof(*c));
		c->id = rules_cache[i].id;
		c->council_id = rules_cache[i].council_id;
		c->opens_at = rules_cache[i].opens_at;
		c->closes_at = rules_cache[i].closes_at;
		c->seed = rules_cache[i].seed;
		c->closed = rules_cache[i].closed;
		c->who = kn_strdup(r->a, rules_cache[i].who);
		c->council_slug = kn_strdup(r->a, rules_cache[i].slug);
		c->question = c->description = c->opens_on = c->closes_on = c->source = "";
		pthread_mutex_unlock(&rules_mu);
		*out = c;
		return KN_OK;
	}
	pthread_mutex_unlock(&rules_mu);
	enum kn_err rc = kn_consultation_rules(x, ck, cid, out);
	if (rc || strlen((*out)->council_slug) >= sizeof(rules_cache[0].slug))
		return rc;
	pthread_mutex_lock(&rules_mu);
	snprintf(rules_cache[i].key, sizeof(rules_cache[i].key), "%s", key);
	rules_cache[i].id = (*out)->id;
	rules_cache[i].council_id = (*out)->council_id;
	rules_cache[i].opens_at = (*out)->opens_at;
	rules_cache[i].closes_at = (*out)->closes_at;
	rules_cache[i].seed = (*out)->seed;
	rules_cache[i].closed = (*out)->closed;
	snprintf(rules_cache[i].who, sizeof(rules_cache[i].who), "%s", (*out)->who);
	snprintf(rules_cache[i].slug, sizeof(rules_cache[i].slug), "%s", (*out)->council_slug);
	rules_cache[i].until = now + 1.0;
	pthread_mutex_unlock(&rules_mu);
	return KN_OK;
}

/* The answer to a cast vote (rc: the writer's outcome). */
static void vote_answer(struct kn_req *r, const struct kn_vote *v, enum kn_err rc)
{
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	switch (v->outcome) {
	case KN_VOTE_SAVED: {
		json_t *o = json_object();
		json_object_set_new(o, "statement", json_integer(v->statement));
		json_object_set_new(o, "vote", json_integer(v->value));
		json_object_set_new(o, "saved", json_true());
		kn_api_send(r, 201, o);
		return;
	}
	case KN_VOTE_DUPLICATE:
		kn_api_error(r, 409, "duplicate_vote", "vote", "You already gave this vote on this statement.", NULL);
		return;
	case KN_VOTE_NO_STATEMENT:
		kn_api_error(r, 404, "no_statement", "statement", "There is no such statement in this consultation.", NULL);
		return;
	case KN_VOTE_NOT_VOTABLE:
		kn_api_error(r, 422, "not_votable", "statement", "This statement is not open for voting.", NULL);
		return;
	case KN_VOTE_CLOSED:
		kn_api_error(r, 409, "closed", NULL, "This consultation is not open for voting.", NULL);
		return;
	default: kn_fail_err(r, KN_EDB); return;
	}
}

/* A vote waiting for its batch: the request sleeps without a thread. */
struct pending_vote {
	struct kn_req *r;
	struct kn_vote v;
	const char *lang;
};

static void vote_committed(void *arg, enum kn_err rc)
{
	struct pending_vote *p = arg;
	kn_i18n_set(p->lang); /* the writer thread answers in the voter's language */
	vote_answer(p->r, &p->v, rc);
	kn_req_resume(p->r);
}

void kn_api_consultation_vote(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_consultation *c;
	int64_t cid = kn_parse_id(kn_req_param(r, "id"));
	enum kn_err lrc = cid ? vote_rules(r, &x, cid, &c) : KN_ENOTFOUND;
	if (lrc) {
		kn_fail_err(r, lrc);
		return;
	}
	json_t *sv = json_object_get(r->json, "statement"), *vv = json_object_get(r->json, "vote");
	int value = -2;
	if (json_is_integer(vv) && json_integer_value(vv) >= -1 && json_integer_value(vv) <= 1)
		value = (int)json_integer_value(vv);
	else if (json_is_string(vv))
		value = kn_vote_value(json_string_value(vv));
	if (!json_is_integer(sv) || json_integer_value(sv) < 0)
		kn_ferr_add(&x, "statement", "Give the statement's number (a whole number, 0 or more).");
	if (value < -1)
		kn_ferr_add(&x, "vote", "The vote must be agree, disagree or pass (1, -1 or 0).");
	if (x.errs) {
		kn_api_invalid(r, x.errs);
		return;
	}
	int64_t pid;
	enum kn_err rc = kn_consult_actor(r, &x, c, true, &pid);
	if (rc == KN_EPERM) {
		kn_api_error(r, 401, "unauthorized", NULL, "Log in to take part: this consultation is open to registered citizens.",
		             NULL);
		return;
	}
	struct kn_vote v = {.consultation_id = c->id, .participant_id = pid, .statement = json_integer_value(sv),
	                    .value = value, .now = r->now};
	if (!rc) {
		kn_db_release(x.c); /* do not hold a connection while the batch commits */
		r->db = NULL;
		/* answered when the batch has committed, holding no thread meanwhile */
		struct pending_vote *p = kn_zalloc(r->a, sizeof(*p));
		p->r = r;
		p->v = v;
		p->lang = r->lang;
		kn_req_suspend(r);
		if (kn_vote_cast_async(kn_app.db, &p->v, vote_committed, p))
			return;
		r->suspended = false;
		rc = kn_vote_cast(kn_app.db, &v);
	}
	vote_answer(r, &v, rc);
}

void kn_api_consultation_statement(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	const char *body = kn_api_str(r, &x, "body");
	int64_t pid = 0;
	enum kn_err rc = kn_consult_actor(r, &x, c, true, &pid);
	if (rc == KN_EPERM) {
		kn_api_error(r, 401, "unauthorized", NULL, "Log in to take part: this consultation is open to registered citizens.",
		             NULL);
		return;
	}
	int number = 0;
	if (!rc)
		rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_statement_add(&x, c, pid, body, false, &number));
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "number", json_integer(number));
	json_object_set_new(o, "moderation", json_string("pending"));
	kn_api_send(r, 201, o);
}

void kn_api_consultation_moderate(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	const char *ns = kn_req_param(r, "number");
	int number = ns && !strcmp(ns, "0") ? 0 : (int)kn_parse_id(ns);
	if (number <= 0 && !(ns && !strcmp(ns, "0"))) {
		kn_fail_err(r, KN_ENOTFOUND);
		return;
	}
	const char *action = kn_api_str(r, &x, "action");
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_statement_moderate(&x, c, number, action));
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_consult_touch(c->id);
	json_t *o = json_object();
	json_object_set_new(o, "number", json_integer(number));
	json_object_set_new(o, "action", json_string(action));
	kn_api_send(r, 200, o);
}

void kn_api_consultation_close(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_consultation_close(&x, c));
	if (rc == KN_EINVAL) {
		kn_api_error(r, 409, "closed", NULL, "This consultation is not open.", NULL);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, 200, json_pack("{s:b}", "closed", 1));
}

static json_t *rep_json(int64_t statement, const struct kn_statement *st, int n, int agree, int ns, int nt)
{
	json_t *e = json_object();
	for (int i = 0; i < n; i++)
		if (st[i].id == statement) {
			json_object_set_new(e, "number", json_integer(st[i].number));
			json_object_set_new(e, "body", json_string(st[i].body));
		}
	json_object_set_new(e, "side", json_string(agree ? "agree" : "disagree"));
	json_object_set_new(e, "n_success", json_integer(ns));
	json_object_set_new(e, "n_trials", json_integer(nt));
	return e;
}

struct res_ctx {
	json_t *o;
	const struct kn_statement *st;
	int n;
};

static void res_fill(const struct kn_opinion_result *res, int64_t at, void *arg)
{
	struct res_ctx *c = arg;
	if (!res)
		return;
	json_object_set_new(c->o, "computed_at", json_integer(at));
	json_object_set_new(c->o, "participants", json_integer((json_int_t)res->n_participants));
	json_object_set_new(c->o, "in_conversation", json_integer((json_int_t)res->n_in_conv));
	json_t *gs = json_array();
	for (size_t g = 0; g < res->n_groups; g++) {
		json_t *e = json_object(), *reps = json_array();
		json_object_set_new(e, "id", json_integer(res->groups[g].id));
		json_object_set_new(e, "members", json_integer((json_int_t)res->groups[g].n_members));
		for (size_t k = 0; k < res->groups[g].n_repness; k++) {
			const struct kn_opinion_repness *p = &res->groups[g].repness[k];
			json_array_append_new(reps, rep_json(p->statement, c->st, c->n, p->agree, p->n_success, p->n_trials));
		}
		json_object_set_new(e, "representative", reps);
		json_array_append_new(gs, e);
	}
	json_object_set_new(c->o, "groups", gs);
	json_t *cons = json_array();
	for (size_t k = 0; k < res->n_consensus_agree; k++)
		json_array_append_new(cons, rep_json(res->consensus_agree[k].statement, c->st, c->n, 1,
		                                     res->consensus_agree[k].n_success, res->consensus_agree[k].n_trials));
	for (size_t k = 0; k < res->n_consensus_disagree; k++)
		json_array_append_new(cons, rep_json(res->consensus_disagree[k].statement, c->st, c->n, 0,
		                                     res->consensus_disagree[k].n_success, res->consensus_disagree[k].n_trials));
	json_object_set_new(c->o, "consensus", cons);
}

void kn_api_consultation_results(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	struct kn_statement *st;
	int n;
	if (!load(r, &x, &k, &c))
		return;
	if (kn_consultation_texts(&x, c->id, &st, &n)) {
		kn_fail_err(r, KN_EDB);
		return;
	}
	struct res_ctx rc = {.o = json_object(), .st = st, .n = n};
	kn_consult_with_result(c->id, res_fill, &rc);
	if (!json_object_get(rc.o, "groups")) {
		kn_consult_refresh(kn_app.db, c->id);
		kn_consult_with_result(c->id, res_fill, &rc);
	} else {
		kn_consult_touch(c->id);
	}
	if (!json_object_get(rc.o, "groups"))
		json_object_set_new(rc.o, "groups", json_array());
	r->cache = "no-cache";
	kn_api_send(r, 200, rc.o);
}
