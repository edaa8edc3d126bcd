/* api_appeals.c: appeals over JSON, through the same domain functions as
 * the pages. Confidential appeals are answered only to those involved;
 * lists never include them; statistics count them. */
#include "api/api_appeals.h"
#include "api/json.h"
#include "app/app.h"
#include "core/arena.h"
#include "domain/appeal.h"
#include "domain/registry.h"
#include <sodium.h>
#include <string.h>

static json_t *appeal_json(const struct kn_appeal *a, const struct kn_appeal_access *acc, int64_t now, bool full)
{
	json_t *o = json_object();
	bool hide = a->hidden && !(acc && acc->see_hidden);
	json_object_set_new(o, "reference", json_string(a->reference));
	json_object_set_new(o, "council", json_string(a->council_slug));
	json_object_set_new(o, "subject", hide ? json_null() : json_string(a->subject));
	json_object_set_new(o, "hidden", json_boolean(a->hidden));
	json_object_set_new(o, "category", json_string(a->category));
	json_object_set_new(o, "urgency", json_string(a->urgency));
	json_object_set_new(o, "scale", json_string(a->scale));
	json_object_set_new(o, "visibility", json_string(a->visibility));
	json_object_set_new(o, "state", json_string(a->state));
	json_object_set_new(o, "agency", kn_json_str(a->agency_slug));
	json_object_set_new(o, "filed_at", json_integer(a->filed_at));
	json_object_set_new(o, "forwarded_at", a->forwarded_at ? json_integer(a->forwarded_at) : json_null());
	json_object_set_new(o, "ack_due", a->ack_due ? json_integer(a->ack_due) : json_null());
	json_object_set_new(o, "acknowledged_at", a->ack_at ? json_integer(a->ack_at) : json_null());
	json_object_set_new(o, "resolve_due", a->resolve_due ? json_integer(a->resolve_due) : json_null());
	json_object_set_new(o, "resolved_at", a->resolved_at ? json_integer(a->resolved_at) : json_null());
	json_object_set_new(o, "overdue", json_boolean(a->overdue_flag));
	json_object_set_new(o, "duplicate_of", kn_json_str(a->duplicate_ref));
	json_object_set_new(o, "raised_by", json_integer(a->duplicates + 1));
	json_object_set_new(o, "reopened", json_boolean(a->reopened));
	json_object_set_new(o, "url", json_sprintf("/councils/%s/appeals/%s", a->council_slug, a->reference));
	if (full) {
		json_object_set_new(o, "body", hide ? json_null() : json_string(a->body));
		json_object_set_new(o, "affected", hide ? json_null() : json_string(a->affected));
		json_object_set_new(o, "concerns", json_string(a->concerns));
		json_object_set_new(o, "filer", acc && acc->see_filer ? json_string(a->filer_name) : json_null());
		json_object_set_new(o, "reason", json_string(a->reason));
		json_object_set_new(o, "past_deadline", json_boolean(kn_appeal_overdue_now(a, now)));
		if (a->ext_state) {
			json_object_set_new(o, "extension",
			                    json_pack("{s:s, s:i, s:s?}", "state", a->ext_state, "days", a->ext_days, "reason",
			                              a->ext_reason));
		}
	}
	return o;
}

static bool council_of(struct kn_req *r, struct kn_ctx *x, struct kn_council **c)
{
	enum kn_err rc = kn_council_get(x, kn_req_param(r, "council"), c);
	if (rc)
		kn_fail_err(r, rc);
	return rc == KN_OK;
}

/* A filter's appeals a page at a time (?limit= up to 500, ?offset=), with
 * total, offset and limit; acc NULL: brief, as the public sees them. */
static void send_appeal_page(struct kn_req *r, struct kn_ctx *x, struct kn_appeal_filter *f,
                             const struct kn_appeal_access *acc)
{
	if (!kn_req_window(r, 100, 500, &f->offset, &f->limit))
		return;
	struct kn_appeal *a;
	int n, total;
	enum kn_err rc = kn_appeal_count(x, f, &total);
	if (!rc)
		rc = kn_appeal_list(x, f, &a, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, appeal_json(&a[i], acc, r->now, acc != NULL));
	kn_api_send_page(r, "appeals", arr, total, f->offset, f->limit);
}

void kn_api_appeals(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	if (!council_of(r, &x, &c))
		return;
	struct kn_appeal_filter f = {.council_id = c->id, .public_only = true, .category = kn_req_arg(r, "category"),
	                             .state = kn_req_arg(r, "state")};
	send_appeal_page(r, &x, &f, NULL);
}

/* Attachments in JSON: [{"filename": "...", "data": "base64"}]. */
static struct kn_upload *json_files(struct kn_req *r, struct kn_ctx *x)
{
	json_t *fa = json_object_get(r->json, "attachments");
	if (!fa || json_is_null(fa))
		return NULL;
	if (!json_is_array(fa)) {
		kn_ferr_add(x, "attachments", "This field must be a list of {filename, data (base64)}.");
		return NULL;
	}
	struct kn_upload *head = NULL, **tail = &head;
	size_t i;
	json_t *v;
	json_array_foreach(fa, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "filename"));
		const char *b64 = json_string_value(json_object_get(v, "data"));
		if (!b64) {
			kn_ferr_add(x, "attachments", "This field must be a list of {filename, data (base64)}.");
			return NULL;
		}
		size_t bl = strlen(b64), len = 0;
		char *bin = kn_alloc(r->a, bl / 4 * 3 + 4);
		if (sodium_base642bin((unsigned char *)bin, bl / 4 * 3 + 4, b64, bl, " \r\n", &len, NULL,
		                      sodium_base64_VARIANT_ORIGINAL)) {
			kn_ferr_add(x, "attachments", "An attachment's data is not valid base64.");
			return NULL;
		}
		struct kn_upload *u = kn_zalloc(r->a, sizeof(*u));
		u->filename = name ? name : "attachment";
		u->data = bin;
		u->len = len;
		*tail = u;
		tail = &u->next;
	}
	return head;
}

void kn_api_appeal_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	if (!council_of(r, &x, &c))
		return;
	enum kn_err rc = kn_tx_begin(r, &x);
	int64_t id = 0;
	if (!rc) {
		struct kn_appeal_in in = {
		    .subject = kn_api_str(r, &x, "subject"),
		    .body = kn_api_str(r, &x, "body"),
		    .category = kn_api_str(r, &x, "category"),
		    .urgency = kn_api_str(r, &x, "urgency"),
		    .scale = kn_api_str(r, &x, "scale"),
		    .affected = kn_api_str(r, &x, "affected"),
		    .concerns = kn_api_str(r, &x, "concerns"),
		    .visibility = kn_api_str(r, &x, "visibility"),
		    .ip = r->remote_ip,
		};
		in.files = json_files(r, &x);
		rc = x.errs ? KN_EINVAL : kn_appeal_file(&x, c->id, &in, &id);
		rc = kn_tx_end(&x, rc);
	}
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc == KN_ELIMIT) {
		kn_api_error(r, 429, "rate_limited", NULL,
		             "You have filed too many appeals in a short time. Wait an hour and try again, or add to an "
		             "appeal you already filed.",
		             NULL);
		kn_req_add_header(r, "Retry-After", "3600");
		return;
	}
	struct kn_appeal *a;
	if (rc || (rc = kn_appeal_get(&x, kn_printf(r->a, "%lld", (long long)id), &a))) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_appeal_access acc;
	kn_appeal_access(&x, a, &acc);
	kn_api_send(r, 201, appeal_json(a, &acc, r->now, true));
}

static bool load(struct kn_req *r, struct kn_ctx *x, struct kn_appeal **a, struct kn_appeal_access *acc)
{
	enum kn_err rc = kn_appeal_get(x, kn_req_param(r, "ref"), a);
	const char *ck = kn_req_param(r, "council"), *gk = kn_req_param(r, "agency");
	if (!rc && ck) {
		struct kn_council *c;
		if ((rc = kn_council_get(x, ck, &c)) == KN_OK && c->id != (*a)->council_id)
			rc = KN_ENOTFOUND;
	}
	if (!rc && gk) {
		struct kn_agency *g;
		if ((rc = kn_agency_get(x, gk, &g)) == KN_OK && g->id != (*a)->agency_id)
			rc = KN_ENOTFOUND;
	}
	if (!rc)
		rc = kn_appeal_access(x, *a, acc);
	if (rc) {
		kn_fail_err(r, rc);
		return false;
	}
	if (!acc->see) {
		kn_api_error(r, 403, "confidential", NULL,
		             "This appeal is confidential: only the filer, the secretariat and the agency see it.", NULL);
		return false;
	}
	return true;
}

static json_t *full_json(struct kn_ctx *x, const struct kn_appeal *a, const struct kn_appeal_access *acc, int64_t now)
{
	json_t *o = appeal_json(a, acc, now, true);
	json_t *ms = json_array();
	struct kn_appeal_msg *m;
	int n;
	if (!kn_appeal_messages(x, a->id, &m, &n))
		for (int i = 0; i < n; i++) {
			bool filer = !strcmp(m[i].author_role, "filer");
			bool hide = m[i].hidden && !acc->see_hidden;
			json_array_append_new(
			    ms, json_pack("{s:I, s:s, s:o, s:s, s:o, s:b, s:I}", "id", (json_int_t)m[i].id, "role",
			                  m[i].author_role, "author",
			                  filer && !acc->see_filer ? json_null() : kn_json_str(m[i].author_name), "kind", m[i].kind,
			                  "text", hide ? json_null() : json_string(m[i].body), "hidden", m[i].hidden, "at",
			                  (json_int_t)m[i].created_at));
		}
	json_object_set_new(o, "messages", ms);
	json_t *fs = json_array();
	struct kn_appeal_attachment *f;
	if (!kn_appeal_attachments(x, a->id, &f, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(
			    fs, json_pack("{s:I, s:s, s:s, s:I, s:s, s:o}", "id", (json_int_t)f[i].id, "filename", f[i].filename,
			                  "type", f[i].ctype, "size", (json_int_t)f[i].size, "sha256", f[i].sha256, "url",
			                  json_sprintf("/councils/%s/appeals/%s/files/%lld", a->council_slug, a->reference,
			                               (long long)f[i].id)));
	json_object_set_new(o, "attachments", fs);
	json_t *ss = json_array();
	struct kn_appeal_step *s;
	if (!kn_appeal_steps(x, a->id, &s, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(ss, json_pack("{s:s, s:I, s:I, s:o}", "step", s[i].step, "due_at",
			                                    (json_int_t)s[i].due_at, "at", (json_int_t)s[i].at, "meeting_id",
			                                    s[i].meeting_id ? json_integer(s[i].meeting_id) : json_null()));
	json_object_set_new(o, "escalation", ss);
	return o;
}

void kn_api_appeal(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_appeal *a;
	struct kn_appeal_access acc;
	if (!load(r, &x, &a, &acc))
		return;
	kn_api_send(r, 200, full_json(&x, a, &acc, r->now));
}

enum kn_err kn_appeal_do(struct kn_req *r, struct kn_ctx *x, const struct kn_appeal *a, const char *act,
                         const char *(*get)(struct kn_req *r, const char *name), const struct kn_upload *files);

/* A member of the JSON body as text (numbers too, for "days"). */
static const char *json_get(struct kn_req *r, const char *name)
{
	json_t *v = r->json ? json_object_get(r->json, name) : NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return kn_printf(r->a, "%lld", (long long)json_integer_value(v));
	return NULL;
}

void kn_api_appeal_act(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	/* the members of S_APPEAL_ACT checked whichever action they came with
	 * ("message": [] read as absent would hide the whole appeal) */
	if (!kn_api_members_typed(r, &x))
		return;
	struct kn_appeal *a;
	struct kn_appeal_access acc;
	if (!load(r, &x, &a, &acc))
		return;
	const char *act = strrchr(r->path, '/') + 1;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		struct kn_upload *files = json_files(r, &x);
		rc = x.errs ? KN_EINVAL : kn_appeal_do(r, &x, a, act, json_get, files);
		rc = kn_tx_end(&x, rc);
	}
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc == KN_ECONFLICT) {
		kn_api_error(r, 409, "wrong_state", NULL, "The appeal is not in a state that allows this.", NULL);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_ctx_init(r, &x);
	if ((rc = kn_appeal_get(&x, a->reference, &a)) || (rc = kn_appeal_access(&x, a, &acc))) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, 200, full_json(&x, a, &acc, r->now));
}

/* The secretariat's lists: waiting for it (submitted, or waiting for the
 * filer) or with agencies (forwarded, acknowledged), confidential ones too. */
void kn_api_appeal_triage(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	if (!council_of(r, &x, &c))
		return;
	struct kn_appeal_filter f;
	if (!kn_appeal_triage_filter(c->id, kn_req_arg(r, "list"), &f)) {
		kn_api_error(r, 400, "invalid", "list", "Unknown list; use waiting or agencies.", NULL);
		return;
	}
	const struct kn_appeal_access acc = {.secretary = true, .see = true, .see_filer = true, .see_hidden = true};
	send_appeal_page(r, &x, &f, &acc);
}

void kn_api_agency_appeal_queue(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g;
	enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &g);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_appeal_filter f = {.agency_id = g->id, .open = true};
	const struct kn_appeal_access acc = {.officer = true, .see = true, .see_filer = true};
	send_appeal_page(r, &x, &f, &acc);
}

static json_t *stat_json(const struct kn_appeal_stat *s)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o}", "key", s->key, "label", s->label,
	                 "received", s->received, "acknowledged_counted", s->ack_counted, "acknowledged_on_time",
	                 s->ack_on_time, "resolved_counted", s->res_counted, "resolved_on_time", s->res_on_time,
	                 "resolved", s->resolved, "overdue_now", s->overdue_now, "median_working_days",
	                 s->median_days >= 0 ? json_real(s->median_days) : json_null(), "p90_working_days",
	                 s->p90_days >= 0 ? json_real(s->p90_days) : json_null());
}

void kn_api_appeal_stats(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	int64_t cid = 0, gid = 0;
	if (kn_req_param(r, "council")) {
		struct kn_council *c;
		if (!council_of(r, &x, &c))
			return;
		cid = c->id;
	} else {
		struct kn_agency *g;
		enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &g);
		if (rc) {
			kn_fail_err(r, rc);
			return;
		}
		gid = g->id;
	}
	struct kn_appeal_stats sa, sc;
	enum kn_err rc = kn_appeal_stats(&x, cid, gid, &sa, &sc);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = json_object();
	for (int k = 0; k < 2; k++) {
		const struct kn_appeal_stats *st = k ? &sc : &sa;
		json_t *arr = json_array();
		for (int i = 0; i < st->n; i++)
			json_array_append_new(arr, stat_json(&st->groups[i]));
		json_object_set_new(o, k ? "by_category" : "by_agency", arr);
	}
	/* every appeal has a category; not every one an agency yet */
	json_object_set_new(o, "total", stat_json(&sc.total));
	kn_api_send(r, 200, o);
}

void kn_api_inbox(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_note *m;
	int n, unread, total, off, lim;
	if (!kn_req_window(r, 100, 500, &off, &lim))
		return;
	enum kn_err rc = kn_inbox_list(&x, r->user->id, off, lim, &m, &n, &total, &unread);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)m[i].id, "kind",
		                                     m[i].kind, "reference", m[i].body, "url", m[i].link, "at",
		                                     (json_int_t)m[i].created_at, "read", m[i].read_at != 0));
	kn_api_send(r, 200, json_pack("{s:o, s:i, s:i, s:i, s:i}", "notifications", arr, "unread", unread, "total", total,
	                              "offset", off, "limit", lim));
}
