/* api_appeals.c: appeals over JSON, through the same domain functions as
 * the pages. Confidential appeals are answered only to those involved;
 * lists never include them; statistics count them. */
#include "api/api_appeals.h"
#include "api/json.h"
#include "api/jw.h"
#include "app/app.h"
#include "core/arena.h"
#include "domain/appeal.h"
#include "domain/registry.h"
#include <sodium.h>
#include <string.h>

/* A text member as jansson's json_string wrote it: left out when there is
 * no text (the list's rows do not read every column). */
static void kstr_if(struct kn_jw *w, const char *frag, size_t n, const char *s)
{
	if (s)
		kn_jw_kstr_(w, frag, n, s);
}
#define KSTR_IF(w, key, s) kstr_if((w), KN_JW_KEY(key), (s))
/* the same, or null when the reader may not see it */
static void kstr_unless(struct kn_jw *w, const char *frag, size_t n, bool withheld, const char *s)
{
	if (withheld)
		kn_jw_kstr_(w, frag, n, NULL);
	else
		kstr_if(w, frag, n, s);
}
#define KSTR_UNLESS(w, key, withheld, s) kstr_unless((w), KN_JW_KEY(key), (withheld), (s))

/* An appeal as a JSON object, written straight into the answer (a list of
 * a hundred appeals builds no tree of hash-table objects first); the
 * object is left open for the caller to add to and end. */
static void appeal_write(struct kn_jw *w, const struct kn_appeal *a,
                         const struct kn_appeal_access *acc, int64_t now, bool full)
{
	bool hide = a->hidden && !(acc && acc->see_hidden);
	kn_jw_obj(w);
	KSTR_IF(w, "reference", a->reference);
	KSTR_IF(w, "council", a->council_slug);
	KSTR_UNLESS(w, "subject", hide, a->subject);
	kn_jw_kbool(w, "hidden", a->hidden);
	KSTR_IF(w, "category", a->category);
	KSTR_IF(w, "urgency", a->urgency);
	KSTR_IF(w, "scale", a->scale);
	KSTR_IF(w, "visibility", a->visibility);
	KSTR_IF(w, "state", a->state);
	kn_jw_kstr(w, "agency", a->agency_slug);
	kn_jw_kint(w, "filed_at", a->filed_at);
	kn_jw_kref(w, "forwarded_at", a->forwarded_at);
	kn_jw_kref(w, "ack_due", a->ack_due);
	kn_jw_kref(w, "acknowledged_at", a->ack_at);
	kn_jw_kref(w, "resolve_due", a->resolve_due);
	kn_jw_kref(w, "resolved_at", a->resolved_at);
	kn_jw_kbool(w, "overdue", a->overdue_flag);
	kn_jw_kstr(w, "duplicate_of", a->duplicate_ref);
	kn_jw_kint(w, "raised_by", a->duplicates + 1);
	kn_jw_kbool(w, "reopened", a->reopened);
	kn_jw_krecord_url(w, a->council_slug, "appeals", a->reference);
	if (full) {
		KSTR_UNLESS(w, "body", hide, a->body);
		KSTR_UNLESS(w, "affected", hide, a->affected);
		KSTR_IF(w, "concerns", a->concerns);
		KSTR_UNLESS(w, "filer", !(acc && acc->see_filer), a->filer_name);
		KSTR_IF(w, "reason", a->reason);
		kn_jw_kbool(w, "past_deadline", kn_appeal_overdue_now(a, now));
		if (a->ext_state) {
			kn_jw_key(w, "extension");
			kn_jw_obj(w);
			kn_jw_kstr(w, "state", a->ext_state);
			kn_jw_kint(w, "days", a->ext_days);
			kn_jw_kstr(w, "reason", a->ext_reason);
			kn_jw_end(w);
		}
	}
}

static bool council_of(struct kn_req *r, struct kn_ctx *x, struct kn_council **c)
{
	enum kn_err rc = kn_council_get(x, kn_req_param(r, "council"), c);
	if (rc)
		kn_fail_err(r, rc);
	return rc == KN_OK;
}

/* an appeals' list being written, one appeal at a time as it is read */
struct appeal_page {
	struct kn_jw w;
	const struct kn_appeal_access *acc;
	int64_t now;
};

static bool write_appeal(void *arg, const struct kn_appeal *a)
{
	struct appeal_page *p = arg;
	appeal_write(&p->w, a, p->acc, p->now, p->acc != NULL);
	kn_jw_end(&p->w);
	return true;
}

/* A filter's appeals a page at a time (?limit= up to 500, ?offset=), with
 * total, offset and limit; acc NULL: brief, as the public sees them. */
static void send_appeal_page(struct kn_req *r, struct kn_ctx *x, struct kn_appeal_filter *f,
                             const struct kn_appeal_access *acc)
{
	if (!kn_req_window(r, 100, 500, &f->offset, &f->limit))
		return;
	int total;
	enum kn_err rc = kn_appeal_count(x, f, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct appeal_page p = {.acc = acc, .now = r->now};
	kn_api_list_begin(r, &p.w, "appeals");
	if ((rc = kn_appeal_each(x, f, write_appeal, &p))) {
		kn_fail_err(r, rc); /* the answer begun is dropped */
		return;
	}
	kn_api_list_end(r, &p.w, total, f->offset, f->limit);
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
	struct kn_jw w;
	kn_api_begin(r, &w);
	appeal_write(&w, a, &acc, r->now, true);
	kn_jw_end(&w);
	kn_api_finish(r, 201);
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

/* An appeal with its messages, files and escalation steps, as those
 * involved see it, as the answer with status. */
static void send_full(struct kn_req *r, struct kn_ctx *x, const struct kn_appeal *a,
                      const struct kn_appeal_access *acc, int status)
{
	struct kn_jw w;
	kn_api_begin(r, &w);
	appeal_write(&w, a, acc, r->now, true);
	struct kn_appeal_msg *m;
	int n;
	kn_jw_key(&w, "messages");
	kn_jw_arr(&w);
	if (!kn_appeal_messages(x, a->id, &m, &n))
		for (int i = 0; i < n; i++) {
			bool filer = !strcmp(m[i].author_role, "filer");
			bool hide = m[i].hidden && !acc->see_hidden;
			kn_jw_obj(&w);
			kn_jw_kint(&w, "id", m[i].id);
			kn_jw_kstr(&w, "role", m[i].author_role);
			kn_jw_kstr(&w, "author", filer && !acc->see_filer ? NULL : m[i].author_name);
			kn_jw_kstr(&w, "kind", m[i].kind);
			kn_jw_kstr(&w, "text", hide ? NULL : m[i].body);
			kn_jw_kbool(&w, "hidden", m[i].hidden);
			kn_jw_kint(&w, "at", m[i].created_at);
			kn_jw_end(&w);
		}
	kn_jw_end(&w);
	struct kn_appeal_attachment *f;
	kn_jw_key(&w, "attachments");
	kn_jw_arr(&w);
	if (!kn_appeal_attachments(x, a->id, &f, &n))
		for (int i = 0; i < n; i++) {
			kn_jw_obj(&w);
			kn_jw_kint(&w, "id", f[i].id);
			kn_jw_kstr(&w, "filename", f[i].filename);
			kn_jw_kstr(&w, "type", f[i].ctype);
			kn_jw_kint(&w, "size", f[i].size);
			kn_jw_kstr(&w, "sha256", f[i].sha256);
			kn_jw_kstr(&w, "url",
			           kn_printf(r->a, "/councils/%s/appeals/%s/files/%lld", a->council_slug, a->reference,
			                     (long long)f[i].id));
			kn_jw_end(&w);
		}
	kn_jw_end(&w);
	struct kn_appeal_step *s;
	kn_jw_key(&w, "escalation");
	kn_jw_arr(&w);
	if (!kn_appeal_steps(x, a->id, &s, &n))
		for (int i = 0; i < n; i++) {
			kn_jw_obj(&w);
			kn_jw_kstr(&w, "step", s[i].step);
			kn_jw_kint(&w, "due_at", s[i].due_at);
			kn_jw_kint(&w, "at", s[i].at);
			kn_jw_kref(&w, "meeting_id", s[i].meeting_id);
			kn_jw_end(&w);
		}
	kn_jw_end(&w);
	kn_jw_end(&w);
	kn_api_finish(r, status);
}

void kn_api_appeal(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_appeal *a;
	struct kn_appeal_access acc;
	if (!load(r, &x, &a, &acc))
		return;
	send_full(r, &x, a, &acc, 200);
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
	send_full(r, &x, a, &acc, 200);
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
	struct kn_jw w;
	kn_api_list_begin(r, &w, "notifications");
	for (int i = 0; i < n; i++) {
		kn_jw_obj(&w);
		kn_jw_kint(&w, "id", m[i].id);
		kn_jw_kstr(&w, "kind", m[i].kind);
		kn_jw_kstr(&w, "reference", m[i].body);
		kn_jw_kstr(&w, "url", m[i].link);
		kn_jw_kint(&w, "at", m[i].created_at);
		kn_jw_kbool(&w, "read", m[i].read_at != 0);
		kn_jw_end(&w);
	}
	kn_jw_end(&w);
	kn_jw_kint(&w, "unread", unread);
	kn_api_page_keys(&w, total, off, lim);
	kn_jw_end(&w);
	kn_api_finish(r, 200);
}
