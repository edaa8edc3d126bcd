/* api_loop.c: the council loop over JSON (meetings, proposals, assignments,
 * the agency's queue, reports and extensions, reforms and laws, scorecard,
 * statistics), through the same domain functions as the pages. Writes run
 * in one transaction; a refusal changes nothing. */
#include "api/api_loop.h"
#include "api/json.h"
#include "api/jw.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "domain/loop.h"
#include "domain/registry.h"
#include <string.h>

/* ---- plumbing -------------------------------------------------------------- */

static int64_t id_param(struct kn_req *r, const char *name)
{
	return kn_parse_id(kn_req_param(r, name));
}

static const char *last_segment(struct kn_req *r)
{
	const char *s = strrchr(r->path, '/');
	return s ? s + 1 : r->path;
}

/* Parses the body when there is one (actions may send none). */
static bool body_opt(struct kn_req *r)
{
	return r->body_len == 0 || kn_api_body(r);
}

static struct kn_council *council_of(struct kn_req *r, struct kn_ctx *x)
{
	struct kn_council *c;
	enum kn_err rc = kn_council_get(x, kn_req_param(r, "council"), &c);
	if (rc) {
		kn_fail_err(r, rc);
		return NULL;
	}
	return c;
}

/* Ends a write: 422 with the field errors, another error, or NULL to go on. */
static bool write_failed(struct kn_req *r, struct kn_ctx *x, enum kn_err rc)
{
	if (rc == KN_EINVAL && x->errs) {
		kn_api_invalid(r, x->errs);
		return true;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return true;
	}
	return false;
}

static bool json_bool(struct kn_req *r, struct kn_ctx *x, const char *key)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	if (!v || json_is_null(v))
		return false;
	if (!json_is_boolean(v)) {
		kn_ferr_add(x, key, "This field must be true or false.");
		return false;
	}
	return json_is_true(v);
}

/* ---- serializers ------------------------------------------------------------- */

static json_t *meeting_json(struct kn_ctx *x, const struct kn_council *c, const struct kn_meeting *m, bool full)
{
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b}", "id", (json_int_t)m->id, "kind",
	                      m->kind, "number", (json_int_t)m->number, "title", m->title, "date", m->date, "time", m->time,
	                      "timezone", c->timezone, "place", m->place, "online", m->online, "status", m->status,
	                      "illustrative", m->illustrative);
	json_object_set_new(o, "starts_at", json_integer(m->starts_at));
	json_object_set_new(o, "group_id", m->group_id ? json_integer(m->group_id) : json_null());
	json_object_set_new(o, "person_id", m->person_id ? json_integer(m->person_id) : json_null());
	json_object_set_new(o, "person_name", kn_json_str(m->person_name));
	json_object_set_new(o, "url", json_sprintf("/councils/%s/meetings/%lld", c->slug, (long long)m->id));
	if (!full)
		return o;
	json_object_set_new(o, "cancel_reason", json_string(m->cancel_reason));
	json_object_set_new(o, "minutes", json_string(m->minutes));
	struct kn_agenda_item *it;
	int n;
	json_t *ag = json_array();
	if (!kn_meeting_agenda(x, m->id, &it, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(ag, json_pack("{s:I, s:I, s:s, s:o}", "id", (json_int_t)it[i].id, "position",
			                                    (json_int_t)it[i].position, "title", it[i].title, "proposal_id",
			                                    it[i].proposal_id ? json_integer(it[i].proposal_id) : json_null()));
	json_object_set_new(o, "agenda", ag);
	struct kn_attendance *at;
	json_t *aa = json_array();
	if (!kn_meeting_attendance(x, c, m, &at, &n))
		for (int i = 0; i < n; i++)
			if (at[i].status)
				json_array_append_new(aa, json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)at[i].person_id, "name",
				                                    at[i].name, "status", at[i].status));
	json_object_set_new(o, "attendance", aa);
	return o;
}

static json_t *proposal_json(struct kn_ctx *x, const struct kn_council *c, const struct kn_proposal *p, bool full)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)p->id, "title", p->title, "state", p->state,
	                      "origin", p->origin, "illustrative", p->illustrative);
	json_object_set_new(o, "group_id", p->group_id ? json_integer(p->group_id) : json_null());
	json_object_set_new(o, "group_name", kn_json_str(p->group_name));
	json_object_set_new(o, "url", json_sprintf("/councils/%s/proposals/%lld", c->slug, (long long)p->id));
	if (!full)
		return o;
	json_object_set_new(o, "body", json_string(p->body));
	json_object_set_new(o, "reject_reason", json_string(p->reject_reason));
	json_object_set_new(o, "taken_up_by", p->taken_up_by ? json_integer(p->taken_up_by) : json_null());
	struct kn_signer *s;
	int n;
	json_t *sa = json_array();
	if (!kn_proposal_signers(x, p->id, &s, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(sa, json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)s[i].person_id, "name",
			                                    s[i].name, "kind", s[i].kind));
	json_object_set_new(o, "signers", sa);
	struct kn_assignment *a;
	json_t *aa = json_array();
	if (!kn_proposal_assignments(x, p->id, &a, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(aa, json_integer(a[i].id));
	json_object_set_new(o, "assignments", aa);
	struct kn_link *l;
	json_t *la = json_array();
	if (!kn_reform_links_of(x, "proposal", p->id, &l, &n))
		for (int i = 0; i < n; i++)
			json_array_append_new(la, json_pack("{s:I, s:I}", "reform_id", (json_int_t)l[i].package_id, "item_id",
			                                    (json_int_t)l[i].id));
	json_object_set_new(o, "reform_items", la);
	return o;
}

static const char *timing_str(const struct kn_assignment *a)
{
	return a->timing == KN_TIMING_ON_TIME ? "on_time" : a->timing == KN_TIMING_LATE ? "late" : NULL;
}

/* An assignment as JSON, written straight into the answer (a list page holds
 * up to 500); full adds the body, co-executors, reports and extensions;
 * role, when given, says how the agency of a queue is involved. */
static void assignment_write(struct kn_jw *w, struct kn_ctx *x, const struct kn_assignment *a, bool full,
                             const char *role)
{
	kn_jw_obj(w);
	kn_jw_kint(w, "id", a->id);
	kn_jw_kstr(w, "council", a->council_slug);
	kn_jw_kstr(w, "title", a->title);
	kn_jw_kstr(w, "agency", a->agency_slug);
	kn_jw_kstr(w, "issued_on", a->issued_on);
	kn_jw_kstr(w, "deadline", a->deadline);
	kn_jw_kstr(w, "original_deadline", a->original_deadline);
	kn_jw_kstr(w, "state", a->state);
	kn_jw_kbool(w, "open", a->open);
	kn_jw_kbool(w, "overdue", a->overdue);
	kn_jw_kbool(w, "illustrative", a->illustrative);
	kn_jw_kstr(w, "timing", timing_str(a));
	kn_jw_kstr(w, "completed_on", a->completed_on);
	kn_jw_kref(w, "proposal_id", a->proposal_id);
	kn_jw_kref(w, "meeting_id", a->meeting_id);
	char num[25];
	num[24] = 0; /* after kn_itoa's 24 */
	kn_jw_krecord_url(w, a->council_slug, "assignments", kn_itoa(num, (long long)a->id));
	if (full) {
		kn_jw_kstr(w, "body", a->body);
		kn_jw_kstr(w, "state_reason", a->state_reason);
		int n;
		struct kn_agency_ref *co;
		kn_jw_key(w, "coexecutors");
		kn_jw_arr(w);
		if (!kn_assignment_coexecutors(x, a->id, &co, &n))
			for (int i = 0; i < n; i++)
				kn_jw_str(w, co[i].slug);
		kn_jw_end(w);
		struct kn_report *t;
		kn_jw_key(w, "reports");
		kn_jw_arr(w);
		if (!kn_assignment_reports(x, a->id, &t, &n))
			for (int i = 0; i < n; i++) {
				kn_jw_obj(w);
				kn_jw_kint(w, "id", t[i].id);
				kn_jw_kint(w, "agency_id", t[i].agency_id);
				kn_jw_kstr(w, "body", t[i].body);
				kn_jw_kstr(w, "evidence", t[i].evidence);
				kn_jw_kbool(w, "final", t[i].final);
				kn_jw_kint(w, "created_at", t[i].created_at);
				kn_jw_key(w, "indicators");
				kn_jw_arr(w);
				for (int k = 0; k < t[i].nind; k++) {
					kn_jw_obj(w);
					kn_jw_kstr(w, "name", t[i].ind[k].name);
					kn_jw_kstr(w, "unit", t[i].ind[k].unit);
					kn_jw_kstr(w, "baseline", t[i].ind[k].baseline);
					kn_jw_kstr(w, "target", t[i].ind[k].target);
					kn_jw_kstr(w, "actual", t[i].ind[k].actual);
					kn_jw_end(w);
				}
				kn_jw_end(w);
				kn_jw_end(w);
			}
		kn_jw_end(w);
		struct kn_extension *e;
		kn_jw_key(w, "extensions");
		kn_jw_arr(w);
		if (!kn_assignment_extensions(x, a->id, &e, &n))
			for (int i = 0; i < n; i++) {
				kn_jw_obj(w);
				kn_jw_kint(w, "id", e[i].id);
				kn_jw_kstr(w, "reason", e[i].reason);
				kn_jw_kstr(w, "old_deadline", e[i].old_deadline);
				kn_jw_kstr(w, "requested_deadline", e[i].requested_deadline);
				kn_jw_kstr(w, "state", e[i].state);
				kn_jw_kstr(w, "note", e[i].decision_note);
				kn_jw_end(w);
			}
		kn_jw_end(w);
	}
	if (role)
		kn_jw_kstr(w, "role", role);
	kn_jw_end(w);
}

static json_t *law_json(const struct kn_law *l)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)l->id, "item_id", (json_int_t)l->item_id,
	                      "title", l->title, "number", l->number, "stage", l->stage, "illustrative", l->illustrative);
	json_t *d = json_object();
	for (int s = 0; kn_law_stages[s]; s++)
		json_object_set_new(d, kn_law_stages[s], kn_json_str(l->dates[s]));
	json_object_set_new(o, "dates", d);
	return o;
}

static json_t *reform_json(struct kn_ctx *x, const struct kn_council *c, const struct kn_reform *p, bool full)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:b, s:{s:I, s:I, s:I, s:I}}", "id", (json_int_t)p->id, "title", p->title,
	                      "description", p->description, "announced_on", kn_json_str(p->announced_on), "illustrative",
	                      p->illustrative, "progress", "items", (json_int_t)p->items, "items_implemented",
	                      (json_int_t)p->items_done, "laws", (json_int_t)p->laws, "laws_adopted",
	                      (json_int_t)p->laws_adopted);
	json_object_set_new(o, "url", json_sprintf("/councils/%s/reforms/%lld", c->slug, (long long)p->id));
	if (!full)
		return o;
	struct kn_reform_item *it;
	struct kn_law *l;
	int n, nl = 0;
	if (kn_law_list(x, p->id, 0, &l, &nl))
		nl = 0;
	json_t *ia = json_array();
	if (!kn_reform_items(x, p->id, &it, &n))
		for (int i = 0; i < n; i++) {
			json_t *laws = json_array(), *links = json_array();
			for (int k = 0; k < nl; k++)
				if (l[k].item_id == it[i].id)
					json_array_append_new(laws, law_json(&l[k]));
			struct kn_link *lk;
			int nk;
			if (!kn_reform_item_links(x, it[i].id, &lk, &nk))
				for (int k = 0; k < nk; k++)
					json_array_append_new(links, json_pack("{s:s, s:I}", "kind", lk[k].kind, "id", (json_int_t)lk[k].id));
			json_array_append_new(ia, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)it[i].id,
			                                    "position", (json_int_t)it[i].position, "title", it[i].title,
			                                    "description", it[i].description, "status", it[i].status, "laws", laws,
			                                    "links", links));
		}
	json_object_set_new(o, "items", ia);
	return o;
}

/* ---- meetings -------------------------------------------------------------- */

void kn_api_meetings(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	const char *kind = kn_req_arg(r, "kind");
	if (kind && *kind && !kn_loop_in(kind, kn_meeting_kinds)) {
		kn_api_error(r, 400, "invalid", "kind", "Choose plenary, working group or individual.", NULL);
		return;
	}
	struct kn_meeting *m;
	int n, total, off, lim;
	if (!kn_req_window(r, 100, 500, &off, &lim))
		return;
	enum kn_err rc = kn_meeting_page(&x, c, kind && *kind ? kind : NULL, off, lim, &m, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, meeting_json(&x, c, &m[i], false));
	kn_api_send_page(r, "meetings", a, total, off, lim);
}

static void send_meeting(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, int64_t id, int status)
{
	struct kn_meeting *m;
	enum kn_err rc = kn_meeting_get(x, c, id, &m);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, status, meeting_json(x, c, m, true));
}

void kn_api_meeting(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (c)
		send_meeting(r, &x, c, id_param(r, "id"), 200);
}

static void meeting_from_json(struct kn_req *r, struct kn_ctx *x, struct kn_meeting *m)
{
	const char *s;
	if ((s = kn_api_str(r, x, "kind")))
		m->kind = s;
	m->number = (long)kn_api_int(r, x, "number", m->number);
	m->group_id = kn_api_int(r, x, "group_id", m->group_id);
	m->person_id = kn_api_int(r, x, "person_id", m->person_id);
	if ((s = kn_api_str(r, x, "title")))
		m->title = s;
	if ((s = kn_api_str(r, x, "date")))
		m->date = s;
	if ((s = kn_api_str(r, x, "time")))
		m->time = s;
	if ((s = kn_api_str(r, x, "place")))
		m->place = s;
	if (r->json && json_object_get(r->json, "online"))
		m->online = json_bool(r, x, "online");
}

void kn_api_meeting_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_meeting m = {0};
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		meeting_from_json(r, &x, &m);
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_meeting_create(&x, c, &m, &id));
	}
	if (!write_failed(r, &x, rc))
		send_meeting(r, &x, c, id, 201);
}

void kn_api_meeting_update(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_meeting *old;
	int64_t id = id_param(r, "id");
	enum kn_err rc = kn_meeting_get(&x, c, id, &old);
	if (!rc)
		rc = kn_tx_begin(r, &x);
	if (!rc) {
		struct kn_meeting m = *old;
		meeting_from_json(r, &x, &m);
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_meeting_update(&x, c, id, &m));
	}
	if (!write_failed(r, &x, rc))
		send_meeting(r, &x, c, id, 200);
}

void kn_api_meeting_action(struct kn_req *r)
{
	if (!body_opt(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	const char *act = last_segment(r);
	enum kn_err rc = kn_tx_begin(r, &x);
	int status = 200;
	if (!rc) {
		if (r->method == KN_DELETE) {
			rc = kn_meeting_agenda_remove(&x, c, id, id_param(r, "item"));
		} else if (!strcmp(act, "agenda")) {
			int64_t item;
			const char *title = kn_api_str(r, &x, "title");
			int64_t pid = kn_api_int(r, &x, "proposal_id", 0);
			rc = x.errs ? KN_EINVAL : kn_meeting_agenda_add(&x, c, id, title, pid, &item);
			status = 201;
		} else if (!strcmp(act, "attendance")) {
			json_t *arr = r->json ? json_object_get(r->json, "attendance") : NULL;
			if (!json_is_array(arr) || !json_array_size(arr)) {
				kn_ferr_add(&x, "attendance", "Send attendance as a list of {person_id, status}.");
				rc = KN_EINVAL;
			}
			size_t i;
			json_t *e;
			json_array_foreach(arr, i, e) {
				if (rc)
					break;
				json_t *pid = json_object_get(e, "person_id"), *st = json_object_get(e, "status");
				if (!json_is_integer(pid) || !json_is_string(st)) {
					kn_ferr_add(&x, "attendance", "Send attendance as a list of {person_id, status}.");
					rc = KN_EINVAL;
					break;
				}
				rc = kn_meeting_attend(&x, c, id, json_integer_value(pid), json_string_value(st));
			}
		} else if (!strcmp(act, "minutes")) {
			const char *md = kn_api_str(r, &x, "minutes");
			rc = x.errs ? KN_EINVAL : kn_meeting_set_minutes(&x, c, id, md);
		} else if (!strcmp(act, "held")) {
			rc = kn_meeting_hold(&x, c, id);
		} else if (!strcmp(act, "cancel")) {
			const char *reason = kn_api_str(r, &x, "reason");
			rc = x.errs ? KN_EINVAL : kn_meeting_cancel(&x, c, id, reason);
		} else {
			rc = KN_ENOTFOUND;
		}
		rc = kn_tx_end(&x, rc);
	}
	if (!write_failed(r, &x, rc))
		send_meeting(r, &x, c, id, status);
}

/* ---- proposals --------------------------------------------------------------- */

void kn_api_proposals(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	const char *state = kn_req_arg(r, "state");
	if (state && *state && !kn_loop_in(state, kn_proposal_states)) {
		kn_api_error(r, 400, "invalid", "state", "Unknown proposal state.", NULL);
		return;
	}
	struct kn_proposal *p;
	int n, total, off, lim;
	if (!kn_req_window(r, 100, 500, &off, &lim))
		return;
	enum kn_err rc = kn_proposal_page(&x, c->id, state && *state ? state : NULL, off, lim, &p, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, proposal_json(&x, c, &p[i], false));
	kn_api_send_page(r, "proposals", a, total, off, lim);
}

static void send_proposal(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, int64_t id, int status)
{
	struct kn_proposal *p;
	enum kn_err rc = kn_proposal_get(x, c->id, id, &p);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, status, proposal_json(x, c, p, true));
}

void kn_api_proposal(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (c)
		send_proposal(r, &x, c, id_param(r, "id"), 200);
}

static void proposal_from_json(struct kn_req *r, struct kn_ctx *x, struct kn_proposal *p)
{
	const char *s;
	if ((s = kn_api_str(r, x, "title")))
		p->title = s;
	if ((s = kn_api_str(r, x, "body")))
		p->body = s;
	p->group_id = kn_api_int(r, x, "group_id", p->group_id);
}

void kn_api_proposal_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	bool member = kn_has_council_role(r, c->id, "member") || kn_has_council_role(r, c->id, "chair") ||
	              kn_has_council_role(r, c->id, "secretary");
	struct kn_proposal p = {0};
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	x.actor_role = member ? "member" : "citizen";
	if (!rc) {
		proposal_from_json(r, &x, &p);
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_proposal_create(&x, c, &p, member, &id));
	}
	if (!write_failed(r, &x, rc))
		send_proposal(r, &x, c, id, 201);
}

void kn_api_proposal_update(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	struct kn_proposal *old;
	enum kn_err rc = kn_proposal_get(&x, c->id, id, &old);
	if (!rc)
		rc = kn_tx_begin(r, &x);
	if (!rc) {
		struct kn_proposal p = *old;
		proposal_from_json(r, &x, &p);
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_proposal_edit(&x, c, id, &p));
	}
	if (!write_failed(r, &x, rc))
		send_proposal(r, &x, c, id, 200);
}

void kn_api_proposal_action(struct kn_req *r)
{
	if (!body_opt(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	const char *act = last_segment(r);
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		if (!strcmp(act, "submit"))
			rc = kn_proposal_submit(&x, c, id);
		else if (!strcmp(act, "cosign"))
			rc = kn_proposal_cosign(&x, c, id);
		else if (!strcmp(act, "take-up"))
			rc = kn_proposal_take_up(&x, c, id);
		else if (!strcmp(act, "withdraw"))
			rc = kn_proposal_withdraw(&x, c, id);
		else if (!strcmp(act, "review")) {
			int64_t g = kn_api_int(r, &x, "group_id", 0);
			rc = x.errs ? KN_EINVAL : kn_proposal_review(&x, c, id, g);
		} else if (!strcmp(act, "accept"))
			rc = kn_proposal_accept(&x, c, id);
		else if (!strcmp(act, "reject")) {
			const char *reason = kn_api_str(r, &x, "reason");
			rc = x.errs ? KN_EINVAL : kn_proposal_reject(&x, c, id, reason);
		} else
			rc = KN_ENOTFOUND;
		rc = kn_tx_end(&x, rc);
	}
	if (!write_failed(r, &x, rc))
		send_proposal(r, &x, c, id, 200);
}

/* ---- assignments -------------------------------------------------------------- */

/* a council's list being written, one record at a time */
struct listed {
	struct kn_jw w;
	struct kn_ctx *x;
	struct kn_agency *g;
	int ng;
};

static bool write_listed(void *arg, const struct kn_assignment *a)
{
	struct listed *l = arg;
	struct kn_assignment t = *a;
	for (int k = 0; k < l->ng && !t.agency_slug; k++)
		if (l->g[k].id == t.agency_id)
			t.agency_slug = l->g[k].slug;
	assignment_write(&l->w, l->x, &t, false, NULL);
	return true;
}

void kn_api_assignments(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_assignment_filter f = {.council_id = c->id};
	const char *agency = kn_req_arg(r, "agency"), *state = kn_req_arg(r, "status"), *od = kn_req_arg(r, "overdue");
	if (agency && *agency) {
		struct kn_agency *g;
		if (kn_agency_get(&x, agency, &g)) {
			kn_api_error(r, 404, "not_found", "agency", "No such agency.", NULL);
			return;
		}
		f.agency_id = g->id;
		f.with_coexec = true;
	}
	if (state && *state && strcmp(state, "open") && !kn_loop_in(state, kn_assignment_states)) {
		kn_api_error(r, 400, "invalid", "status", "Unknown status; use open or one of the assignment states.", NULL);
		return;
	}
	if (od && *od && strcmp(od, "0") && strcmp(od, "1")) {
		kn_api_error(r, 400, "invalid", "overdue", "Use overdue=1 or overdue=0.", NULL);
		return;
	}
	f.state = state;
	f.overdue = od && !strcmp(od, "1");
	int off, lim;
	if (!kn_req_window(r, 100, 500, &off, &lim))
		return;
	/* the list's rows carry agency ids: their slugs from one read of the
	 * agencies this council gave assignments to, made first, so each row
	 * is written into the answer as it is read */
	struct listed l = {.x = &x};
	enum kn_err rc = kn_council_agencies(&x, c->id, &l.g, &l.ng);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_list_begin(r, &l.w, "assignments");
	int total;
	if ((rc = kn_assignment_each(&x, c, &f, off, lim, write_listed, &l, &total))) {
		kn_fail_err(r, rc); /* the answer begun is dropped */
		return;
	}
	kn_api_list_end(r, &l.w, total, off, lim);
}

static void send_assignment(struct kn_req *r, struct kn_ctx *x, int64_t council_id, int64_t id, int status)
{
	struct kn_assignment *a;
	enum kn_err rc = kn_assignment_get(x, council_id, id, &a);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_jw w;
	kn_api_begin(r, &w);
	assignment_write(&w, x, a, true, NULL);
	kn_api_finish(r, status);
}

void kn_api_assignment(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (c)
		send_assignment(r, &x, c->id, id_param(r, "id"), 200);
}

void kn_api_assignment_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_assignment a = {0};
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		a.title = kn_api_str(r, &x, "title");
		a.body = kn_api_str(r, &x, "body");
		a.agency_key = kn_api_str(r, &x, "agency");
		a.deadline = kn_api_str(r, &x, "deadline");
		a.issued_on = kn_api_str(r, &x, "issued_on");
		a.proposal_id = kn_api_int(r, &x, "proposal_id", 0);
		a.meeting_id = kn_api_int(r, &x, "meeting_id", 0);
		json_t *co = json_object_get(r->json, "coexecutors");
		if (json_is_array(co)) {
			const char *s = "";
			size_t i;
			json_t *e;
			json_array_foreach(co, i, e) {
				if (!json_is_string(e)) {
					kn_ferr_add(&x, "coexecutors", "Send co-executors as a list of agency short names.");
					break;
				}
				s = kn_printf(r->a, "%s %s", s, json_string_value(e));
			}
			a.coexecutors = s;
		} else if (co && !json_is_null(co)) {
			kn_ferr_add(&x, "coexecutors", "Send co-executors as a list of agency short names.");
		}
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_assignment_issue(&x, c, &a, &id));
	}
	if (!write_failed(r, &x, rc))
		send_assignment(r, &x, c->id, id, 201);
}

/* accept, return (staff); withdraw, extensions/{ext}/grant|refuse (chair) */
void kn_api_assignment_action(struct kn_req *r)
{
	if (!body_opt(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	const char *act = last_segment(r);
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		const char *reason = kn_api_str(r, &x, "reason"), *note = kn_api_str(r, &x, "note");
		if (x.errs)
			rc = KN_EINVAL;
		else if (!strcmp(act, "accept"))
			rc = kn_assignment_accept(&x, c, id);
		else if (!strcmp(act, "return"))
			rc = kn_assignment_return(&x, c, id, reason);
		else if (!strcmp(act, "withdraw"))
			rc = kn_assignment_withdraw(&x, c, id, reason);
		else if (!strcmp(act, "grant") || !strcmp(act, "refuse"))
			rc = kn_assignment_decide_extension(&x, c, id, id_param(r, "ext"), !strcmp(act, "grant"), note);
		else
			rc = KN_ENOTFOUND;
		rc = kn_tx_end(&x, rc);
	}
	if (!write_failed(r, &x, rc))
		send_assignment(r, &x, c->id, id, 200);
}

/* ---- the agency's side ------------------------------------------------------------ */

static struct kn_agency *agency_of(struct kn_req *r, struct kn_ctx *x)
{
	struct kn_agency *g;
	enum kn_err rc = kn_agency_get(x, kn_req_param(r, "agency"), &g);
	if (rc) {
		kn_fail_err(r, rc);
		return NULL;
	}
	return g;
}

void kn_api_agency_queue(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g = agency_of(r, &x);
	if (!g)
		return;
	struct kn_assignment_filter f = {.agency_id = g->id, .with_coexec = true, .state = "open"};
	if (!kn_req_window(r, 100, 500, &f.offset, &f.limit))
		return;
	struct kn_assignment *a;
	int n, total;
	enum kn_err rc = kn_assignment_count(&x, &f, &total);
	if (!rc)
		rc = kn_assignment_list(&x, &f, &a, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_jw w;
	kn_api_list_begin(r, &w, "assignments");
	for (int i = 0; i < n; i++)
		assignment_write(&w, &x, &a[i], false, a[i].agency_id == g->id ? "responsible" : "coexecutor");
	kn_api_list_end(r, &w, total, f.offset, f.limit);
}

void kn_api_agency_scorecard(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g = agency_of(r, &x);
	if (!g)
		return;
	struct kn_scorecard s;
	enum kn_err rc = kn_agency_scorecard(&x, g->id, &s);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "agency", g->slug, "issued", (json_int_t)s.issued,
	                      "completed", (json_int_t)s.completed, "on_time", (json_int_t)s.on_time, "late",
	                      (json_int_t)s.late, "open", (json_int_t)s.open, "overdue", (json_int_t)s.overdue, "withdrawn",
	                      (json_int_t)s.withdrawn);
	json_object_set_new(o, "on_time_percent",
	                    s.completed ? json_real((double)s.on_time * 100.0 / (double)s.completed) : json_null());
	json_object_set_new(o, "median_days_to_completion", s.median_days >= 0 ? json_real(s.median_days) : json_null());
	kn_api_send(r, 200, o);
}

/* start, reports, extensions */
void kn_api_agency_action(struct kn_req *r)
{
	if (!body_opt(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g = agency_of(r, &x);
	if (!g)
		return;
	int64_t id = id_param(r, "id"), nid;
	const char *act = last_segment(r);
	int status = 200;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		if (!strcmp(act, "start")) {
			rc = kn_assignment_start(&x, id, g->id);
		} else if (!strcmp(act, "extensions")) {
			const char *d = kn_api_str(r, &x, "deadline"), *reason = kn_api_str(r, &x, "reason");
			rc = x.errs ? KN_EINVAL : kn_assignment_ask_extension(&x, id, g->id, d, reason, &nid);
			status = 201;
		} else if (!strcmp(act, "reports")) {
			status = 201;
			const char *body = kn_api_str(r, &x, "body");
			bool final = json_bool(r, &x, "final");
			const char *ev = NULL;
			json_t *e = r->json ? json_object_get(r->json, "evidence") : NULL;
			if (json_is_array(e)) {
				ev = "";
				size_t i;
				json_t *v;
				json_array_foreach(e, i, v) {
					if (!json_is_string(v)) {
						kn_ferr_add(&x, "evidence", "Send evidence as a list of web addresses.");
						break;
					}
					ev = kn_printf(r->a, "%s%s\n", ev, json_string_value(v));
				}
			} else if (e && !json_is_null(e)) {
				ev = kn_api_str(r, &x, "evidence");
			}
			json_t *ia = r->json ? json_object_get(r->json, "indicators") : NULL;
			struct kn_indicator *ind = NULL;
			int nind = 0;
			if (ia && !json_is_null(ia) && !json_is_array(ia))
				kn_ferr_add(&x, "indicators", "Send indicators as a list of {name, unit, baseline, target, actual}.");
			if (json_is_array(ia)) {
				size_t cnt = json_array_size(ia);
				ind = kn_zalloc(r->a, sizeof(*ind) * (cnt + 1));
				size_t i;
				json_t *v;
				json_array_foreach(ia, i, v) {
					if (!json_is_object(v)) {
						kn_ferr_add(&x, "indicators", "Send indicators as a list of {name, unit, baseline, target, actual}.");
						break;
					}
					const char *keys[5] = {"name", "unit", "baseline", "target", "actual"};
					const char *vals[5] = {NULL};
					bool bad = false;
					for (int k = 0; k < 5; k++) {
						json_t *f = json_object_get(v, keys[k]);
						if (!f || json_is_null(f))
							continue;
						if (json_is_string(f))
							vals[k] = json_string_value(f);
						else if (json_is_integer(f))
							vals[k] = kn_printf(r->a, "%lld", (long long)json_integer_value(f));
						else if (json_is_real(f) && k >= 2)
							vals[k] = kn_printf(r->a, "%g", json_real_value(f));
						else
							bad = true;
					}
					if (bad) {
						kn_ferr_add(&x, "indicators", "Indicator fields are text; baseline, target and actual are numbers.");
						break;
					}
					ind[nind++] = (struct kn_indicator){vals[0], vals[1], vals[2], vals[3], vals[4]};
				}
			}
			rc = x.errs ? KN_EINVAL : kn_assignment_report(&x, id, g->id, body, ev, final, ind, nind, &nid);
		} else {
			rc = KN_ENOTFOUND;
		}
		rc = kn_tx_end(&x, rc);
	}
	if (!write_failed(r, &x, rc))
		send_assignment(r, &x, 0, id, status);
}

/* ---- reforms and laws ------------------------------------------------------------- */

void kn_api_reforms(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_reform *p;
	int n, total, off, lim;
	if (!kn_req_window(r, 100, 500, &off, &lim))
		return;
	enum kn_err rc = kn_reform_page(&x, c->id, off, lim, &p, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, reform_json(&x, c, &p[i], false));
	kn_api_send_page(r, "reforms", a, total, off, lim);
}

static void send_reform(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, int64_t id, int status)
{
	struct kn_reform *p;
	enum kn_err rc = kn_reform_get(x, c->id, id, &p);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, status, reform_json(x, c, p, true));
}

void kn_api_reform(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (c)
		send_reform(r, &x, c, id_param(r, "id"), 200);
}

void kn_api_reform_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_reform p = {0};
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		p.title = kn_api_str(r, &x, "title");
		p.description = kn_api_str(r, &x, "description");
		p.announced_on = kn_api_str(r, &x, "announced_on");
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_reform_create(&x, c, &p, &id));
	}
	if (!write_failed(r, &x, rc))
		send_reform(r, &x, c, id, 201);
}

void kn_api_reform_action(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id"), nid;
	const char *act = last_segment(r);
	struct kn_reform *p;
	enum kn_err rc = kn_reform_get(&x, c->id, id, &p);
	if (!rc)
		rc = kn_tx_begin(r, &x);
	if (!rc) {
		const char *title = kn_api_str(r, &x, "title");
		if (!strcmp(act, "items")) {
			const char *d = kn_api_str(r, &x, "description"), *links = kn_api_str(r, &x, "links");
			rc = x.errs ? KN_EINVAL : kn_reform_item_add(&x, c, id, title, d, links, &nid);
		} else {
			int64_t item = kn_api_int(r, &x, "item_id", 0);
			const char *num = kn_api_str(r, &x, "number"), *stage = kn_api_str(r, &x, "stage"),
			           *date = kn_api_str(r, &x, "date");
			struct kn_reform_item *it;
			int n = 0;
			bool mine = false;
			if (!x.errs && !(rc = kn_reform_items(&x, id, &it, &n)))
				for (int i = 0; i < n; i++)
					mine = mine || it[i].id == item;
			if (!rc)
				rc = x.errs ? KN_EINVAL : kn_law_add(&x, c, mine ? item : 0, title, num, stage, date, false, &nid);
		}
		rc = kn_tx_end(&x, rc);
	}
	if (!write_failed(r, &x, rc))
		send_reform(r, &x, c, id, 201);
}

void kn_api_law(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_law *l;
	enum kn_err rc = kn_law_get(&x, c->id, id_param(r, "id"), &l);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, 200, law_json(l));
}

void kn_api_law_stage(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		const char *stage = kn_api_str(r, &x, "stage"), *date = kn_api_str(r, &x, "date"),
		           *num = kn_api_str(r, &x, "number");
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_law_advance(&x, c, id, stage, date, num));
	}
	if (write_failed(r, &x, rc))
		return;
	struct kn_law *l;
	if ((rc = kn_law_get(&x, c->id, id, &l))) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, 200, law_json(l));
}

void kn_api_statistics(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_loop_stats s;
	enum kn_err rc = kn_loop_stats(&x, c, &s);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = json_object();
	struct {
		const char *k;
		long v;
	} f[] = {{"plenary_meetings_held", s.plenary_held},
	         {"group_meetings_held", s.group_held},
	         {"individual_meetings_held", s.individual_held},
	         {"meetings_scheduled", s.scheduled},
	         {"proposals", s.proposals},
	         {"proposals_accepted", s.proposals_accepted},
	         {"proposals_from_citizens", s.proposals_citizen},
	         {"assignments", s.assignments},
	         {"assignments_completed", s.completed},
	         {"assignments_on_time", s.on_time},
	         {"assignments_late", s.late},
	         {"assignments_open", s.open},
	         {"assignments_overdue", s.overdue},
	         {"reform_packages", s.reforms},
	         {"laws", s.laws},
	         {"laws_adopted", s.laws_adopted},
	         {"rotations", s.rotations},
	         {"members_elected_to_parliament", s.deputies}};
	for (size_t i = 0; i < KN_ARRAY_LEN(f); i++)
		json_object_set_new(o, f[i].k, json_integer(f[i].v));
	json_object_set_new(o, "council", json_string(c->slug));
	json_object_set_new(o, "includes_illustrative", json_boolean(s.illustrative));
	kn_api_send(r, 200, o);
}
