/* api_composition.c: composition, rotations, quotas, working groups and
 * people over JSON, through the same domain functions as the pages. */
#include "api/api_composition.h"
#include "api/json.h"
#include "app/app.h"
#include "core/arena.h"
#include "domain/composition.h"
#include "domain/registry.h"
#include <string.h>

/* ---- JSON shapes ---------------------------------------------------------------- */

static json_t *seat_json(const struct kn_seat *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "council", json_string(s->council_slug));
	json_object_set_new(o, "person_id", json_integer(s->person_id));
	json_object_set_new(o, "person", json_string(s->person_name));
	json_object_set_new(o, "person_illustrative", json_boolean(s->person_illustrative));
	json_object_set_new(o, "role", json_string(s->role));
	json_object_set_new(o, "sector", json_string(s->sector));
	json_object_set_new(o, "region", json_string(s->region));
	json_object_set_new(o, "joined_on", json_string(s->joined_on));
	json_object_set_new(o, "left_on", kn_json_str(s->left_on));
	json_object_set_new(o, "left_reason", kn_json_str(s->left_reason));
	json_object_set_new(o, "left_body", kn_json_str(s->left_body && *s->left_body ? s->left_body : NULL));
	json_object_set_new(o, "left_note", kn_json_str(s->left_note && *s->left_note ? s->left_note : NULL));
	json_object_set_new(o, "joined_rotation", s->joined_rotation_no ? json_integer(s->joined_rotation_no) : json_null());
	json_object_set_new(o, "left_rotation", s->left_rotation_no ? json_integer(s->left_rotation_no) : json_null());
	json_object_set_new(o, "illustrative", json_boolean(s->illustrative));
	json_object_set_new(o, "url", json_sprintf("/councils/%s/seats/%lld", s->council_slug, (long long)s->id));
	return o;
}

static json_t *seats_json(const struct kn_seat *s, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, seat_json(&s[i]));
	return a;
}

static json_t *quotas_json(const struct kn_quota q[KN_NSECTORS], json_t **warnings)
{
	json_t *a = json_array();
	*warnings = json_array();
	for (int i = 0; i < KN_NSECTORS; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "sector", json_string(q[i].sector));
		json_object_set_new(o, "seats", json_integer(q[i].have));
		json_object_set_new(o, "min_seats", q[i].min_seats >= 0 ? json_integer(q[i].min_seats) : json_null());
		bool unmet = q[i].min_seats > 0 && q[i].have < q[i].min_seats;
		json_object_set_new(o, "met", json_boolean(!unmet));
		json_object_set_new(o, "illustrative", json_boolean(q[i].illustrative));
		json_array_append_new(a, o);
		if (unmet) {
			json_t *w = json_object();
			json_object_set_new(w, "code", json_string("quota_not_met"));
			json_object_set_new(w, "sector", json_string(q[i].sector));
			json_object_set_new(w, "seats", json_integer(q[i].have));
			json_object_set_new(w, "min_seats", json_integer(q[i].min_seats));
			json_object_set_new(w, "message", json_sprintf("The %s quota is not met: %ld of at least %ld seats.",
			                                                 q[i].sector, q[i].have, q[i].min_seats));
			json_array_append_new(*warnings, w);
		}
	}
	return a;
}

static json_t *rotation_json(const struct kn_council *c, const struct kn_rotation *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "number", json_integer(t->number));
	json_object_set_new(o, "held_on", json_string(t->held_on));
	json_object_set_new(o, "basis", json_string(t->basis));
	json_object_set_new(o, "illustrative", json_boolean(t->illustrative));
	json_object_set_new(o, "left", seats_json(t->left, t->nleft));
	json_object_set_new(o, "joined", seats_json(t->joined, t->njoined));
	json_object_set_new(o, "url", json_sprintf("/councils/%s/rotations/%lld", c->slug, (long long)t->id));
	return o;
}

static json_t *name_json(const char *en, const char *ru, const char *kk)
{
	json_t *n = json_object();
	json_object_set_new(n, "en", json_string(en));
	json_object_set_new(n, "ru", json_string(ru ? ru : ""));
	json_object_set_new(n, "kk", json_string(kk ? kk : ""));
	return n;
}

static json_t *group_json(struct kn_ctx *x, const struct kn_council *c, const struct kn_group *g, bool full)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(g->id));
	json_object_set_new(o, "slug", json_string(g->slug));
	json_object_set_new(o, "name", name_json(g->name_en, g->name_ru, g->name_kk));
	json_object_set_new(o, "theme", json_string(g->theme));
	json_object_set_new(o, "leader_person_id", g->leader_person_id ? json_integer(g->leader_person_id) : json_null());
	json_object_set_new(o, "leader", kn_json_str(g->leader_name));
	json_object_set_new(o, "created_on", json_string(g->created_on));
	json_object_set_new(o, "closed_on", kn_json_str(g->closed_on));
	json_object_set_new(o, "closed_reason", kn_json_str(g->closed_reason));
	json_object_set_new(o, "illustrative", json_boolean(g->illustrative));
	json_object_set_new(o, "url", json_sprintf("/councils/%s/groups/%s", c->slug, g->slug));
	struct kn_group_link *par, *kids;
	int np = 0, nk = 0;
	if (!kn_group_lineage(x, g->id, &par, &np, &kids, &nk)) {
		json_t *a = json_array(), *b = json_array();
		for (int i = 0; i < np; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "slug", par[i].slug, "kind", par[i].kind, "on",
			                                   par[i].happened_on));
		for (int i = 0; i < nk; i++)
			json_array_append_new(b, json_pack("{s:s, s:s, s:s}", "slug", kids[i].slug, "kind", kids[i].kind, "on",
			                                   kids[i].happened_on));
		json_object_set_new(o, "came_from", a);
		json_object_set_new(o, "became", b);
	}
	if (full) {
		struct kn_group_member *m;
		int nm = 0;
		if (!kn_group_members(x, g->id, NULL, &m, &nm)) {
			json_t *a = json_array();
			for (int i = 0; i < nm; i++) {
				json_t *e = json_object();
				json_object_set_new(e, "person_id", json_integer(m[i].person_id));
				json_object_set_new(e, "person", json_string(m[i].name));
				json_object_set_new(e, "joined_on", json_string(m[i].joined_on));
				json_object_set_new(e, "left_on", kn_json_str(m[i].left_on));
				json_object_set_new(e, "illustrative", json_boolean(m[i].illustrative));
				json_array_append_new(a, e);
			}
			json_object_set_new(o, "members", a);
		}
	}
	return o;
}

/* ---- helpers ------------------------------------------------------------------------ */

static struct kn_council *council(struct kn_req *r, struct kn_ctx *x)
{
	kn_ctx_init(r, x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(x, kn_req_param(r, "council"), &c);
	if (rc) {
		kn_fail_err(r, rc);
		return NULL;
	}
	return c;
}

/* A string member of obj; a wrong type is an error on field. */
static const char *jstr(struct kn_ctx *x, json_t *obj, const char *key, const char *field)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v) || memchr(json_string_value(v), 0, json_string_length(v))) {
		kn_ferr_add(x, field, "This field must be a string.");
		return NULL;
	}
	return json_string_value(v);
}

static int64_t jint(struct kn_ctx *x, json_t *obj, const char *key, const char *field)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		kn_ferr_add(x, field, "This field must be a whole number.");
		return 0;
	}
	return json_integer_value(v);
}

/* An array member (absent: empty); another type is an error. */
static json_t *jarr(struct kn_ctx *x, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v) || json_array_size(v) > 500) {
		kn_ferr_add(x, key, "This field must be a list (at most 500 entries).");
		return NULL;
	}
	return v;
}

/* Ends a write: 422 with the fields, other errors mapped; true on success. */
static bool write_ok(struct kn_req *r, struct kn_ctx *x, enum kn_err rc)
{
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x->errs);
		return false;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return false;
	}
	return true;
}

/* Runs fn inside a transaction after the body has been read into x. */
#define TX(r, x, call)                                           \
	do {                                                         \
		enum kn_err rc_ = kn_tx_begin((r), (x));                 \
		if (!rc_)                                                \
			rc_ = kn_tx_end((x), (x)->errs ? KN_EINVAL : (call)); \
		if (!write_ok((r), (x), rc_))                            \
			return;                                              \
	} while (0)

/* ---- composition and seats ------------------------------------------------------------ */

void kn_api_composition(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	const char *on = kn_req_arg(r, "on");
	if (on && *on && !kn_check_date(&x, "on", on, true)) {
		kn_api_invalid(r, x.errs);
		return;
	}
	bool last_day = false;
	const char *day = on && *on ? on : kn_composition_default_day(&x, c, &last_day);
	struct kn_seat *s;
	int n;
	struct kn_quota q[KN_NSECTORS];
	enum kn_err rc = kn_composition_on(&x, c->id, day, &s, &n);
	if (!rc)
		rc = kn_quota_status(&x, c->id, day, q);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	long members = 0;
	for (int i = 0; i < n; i++)
		members += !strcmp(s[i].role, "member");
	json_t *o = json_object(), *w;
	json_object_set_new(o, "council", json_string(c->slug));
	json_object_set_new(o, "on", json_string(day));
	json_object_set_new(o, "last_day_before_dissolution", json_boolean(last_day));
	json_object_set_new(o, "member_seats", json_integer(c->seats));
	json_object_set_new(o, "members", json_integer(members));
	json_object_set_new(o, "seats", seats_json(s, n));
	json_object_set_new(o, "quotas", quotas_json(q, &w));
	json_object_set_new(o, "warnings", w);
	kn_api_send(r, 200, o);
}

void kn_api_seats(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	struct kn_seat *s;
	int n;
	enum kn_err rc = kn_seat_history(&x, c->id, &s, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "seats", seats_json(s, n));
	kn_api_send(r, 200, o);
}

static void send_seat(struct kn_req *r, struct kn_ctx *x, int64_t council_id, int64_t id, int status)
{
	struct kn_seat *s;
	enum kn_err rc = kn_seat_get(x, council_id, id, &s);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, status, seat_json(s));
}

void kn_api_seat(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (c)
		send_seat(r, &x, c->id, kn_parse_id(kn_req_param(r, "id")), 200);
}

static enum kn_err seat_add(struct kn_ctx *x, struct kn_seat *s, json_t *person, int64_t *id)
{
	if (person) {
		if (s->person_id) {
			kn_ferr_add(x, "person", "Give person_id or person, not both.");
			return KN_EINVAL;
		}
		struct kn_person_info p = {.full_name = jstr(x, person, "full_name", "person.full_name"),
		                           .full_name_ru = jstr(x, person, "full_name_ru", "person.full_name_ru"),
		                           .full_name_kk = jstr(x, person, "full_name_kk", "person.full_name_kk"),
		                           .bio = jstr(x, person, "bio", "person.bio")};
		enum kn_err rc = x->errs ? KN_EINVAL : kn_person_add(x, s->council_id, &p, &s->person_id);
		if (rc)
			return rc;
	}
	return kn_seat_add(x, s, id);
}

void kn_api_seat_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		struct kn_seat s = {.council_id = c->id,
		                    .person_id = kn_api_int(r, &x, "person_id", 0),
		                    .role = kn_api_str(r, &x, "role"),
		                    .sector = kn_api_str(r, &x, "sector"),
		                    .region = kn_api_str(r, &x, "region"),
		                    .joined_on = kn_api_str(r, &x, "joined_on"),
		                    .left_on = kn_api_str(r, &x, "left_on"),
		                    .left_reason = kn_api_str(r, &x, "left_reason"),
		                    .left_body = kn_api_str(r, &x, "left_body"),
		                    .left_note = kn_api_str(r, &x, "left_note")};
		json_t *person = json_object_get(r->json, "person");
		if (person && !json_is_object(person)) {
			kn_ferr_add(&x, "person", "This field must be an object with full_name.");
			person = NULL;
		}
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : seat_add(&x, &s, person, &id));
	}
	if (write_ok(r, &x, rc))
		send_seat(r, &x, c->id, id, 201);
}

void kn_api_seat_end(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	int64_t id = kn_parse_id(kn_req_param(r, "id"));
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		const char *left = kn_api_str(r, &x, "left_on"), *reason = kn_api_str(r, &x, "reason");
		const char *body = kn_api_str(r, &x, "body"), *note = kn_api_str(r, &x, "note");
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_seat_end(&x, c->id, id, left, reason, body, note));
	}
	if (write_ok(r, &x, rc))
		send_seat(r, &x, c->id, id, 200);
}

/* ---- rotations ----------------------------------------------------------------------------- */

void kn_api_rotations(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	struct kn_rotation *t;
	int n;
	enum kn_err rc = kn_rotation_list(&x, c->id, &t, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, rotation_json(c, &t[i]));
	json_t *o = json_object();
	json_object_set_new(o, "count", json_integer(n));
	json_object_set_new(o, "rotations", a);
	kn_api_send(r, 200, o);
}

static void send_rotation(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, int64_t id, int status)
{
	struct kn_rotation *t;
	struct kn_quota q[KN_NSECTORS];
	enum kn_err rc = kn_rotation_get(x, c->id, id, &t);
	if (!rc)
		rc = kn_quota_status(x, c->id, t->held_on, q);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = rotation_json(c, t), *w;
	json_decref(quotas_json(q, &w));
	json_object_set_new(o, "warnings", w);
	kn_api_send(r, status, o);
}

void kn_api_rotation(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (c)
		send_rotation(r, &x, c, kn_parse_id(kn_req_param(r, "id")), 200);
}

void kn_api_rotation_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		struct kn_rotation t = {.council_id = c->id, .held_on = kn_api_str(r, &x, "held_on"),
		                        .basis = kn_api_str(r, &x, "basis")};
		json_t *la = jarr(&x, r->json, "leaving"), *ja = jarr(&x, r->json, "joining");
		int nl = la ? (int)json_array_size(la) : 0, nj = ja ? (int)json_array_size(ja) : 0;
		struct kn_rotation_leave *l = kn_zalloc(r->a, sizeof(*l) * (size_t)(nl + 1));
		struct kn_rotation_join *j = kn_zalloc(r->a, sizeof(*j) * (size_t)(nj + 1));
		for (int i = 0; i < nl; i++) {
			json_t *e = json_array_get(la, (size_t)i);
			const char *p = kn_printf(r->a, "leaving.%d", i + 1);
			if (!json_is_object(e)) {
				kn_ferr_add(&x, p, "Each entry must be an object.");
				continue;
			}
			l[i].seat_id = jint(&x, e, "seat_id", kn_printf(r->a, "%s.seat_id", p));
			l[i].reason = jstr(&x, e, "reason", kn_printf(r->a, "%s.reason", p));
			l[i].body = jstr(&x, e, "body", kn_printf(r->a, "%s.body", p));
			l[i].note = jstr(&x, e, "note", kn_printf(r->a, "%s.note", p));
		}
		for (int i = 0; i < nj; i++) {
			json_t *e = json_array_get(ja, (size_t)i);
			const char *p = kn_printf(r->a, "joining.%d", i + 1);
			if (!json_is_object(e)) {
				kn_ferr_add(&x, p, "Each entry must be an object.");
				continue;
			}
			j[i].person_id = jint(&x, e, "person_id", kn_printf(r->a, "%s.person_id", p));
			j[i].new_name = jstr(&x, e, "name", kn_printf(r->a, "%s.name", p));
			j[i].role = jstr(&x, e, "role", kn_printf(r->a, "%s.role", p));
			j[i].sector = jstr(&x, e, "sector", kn_printf(r->a, "%s.sector", p));
			j[i].region = jstr(&x, e, "region", kn_printf(r->a, "%s.region", p));
			if (!j[i].role)
				j[i].role = "member";
		}
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_rotation_record(&x, &t, l, nl, j, nj, &id));
	}
	if (write_ok(r, &x, rc))
		send_rotation(r, &x, c, id, 201);
}

/* ---- quotas ----------------------------------------------------------------------------------- */

static void send_quotas(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c)
{
	struct kn_quota q[KN_NSECTORS];
	enum kn_err rc = kn_quota_status(x, c->id, NULL, q);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = json_object(), *w;
	json_object_set_new(o, "quotas", quotas_json(q, &w));
	json_object_set_new(o, "warnings", w);
	kn_api_send(r, 200, o);
}

void kn_api_quotas(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (c)
		send_quotas(r, &x, c);
}

void kn_api_quotas_set(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	long min[KN_NSECTORS];
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		const char *key;
		json_t *v;
		json_object_foreach(r->json, key, v)
		{
			bool known = false;
			for (int i = 0; kn_sectors[i]; i++)
				known = known || !strcmp(key, kn_sectors[i]);
			if (!known)
				kn_ferr_add(&x, kn_strdup(r->a, key), "Unknown sector.");
		}
		for (int i = 0; i < KN_NSECTORS; i++) {
			v = json_object_get(r->json, kn_sectors[i]);
			min[i] = -1;
			if (v && !json_is_null(v)) {
				if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 100000)
					min[i] = (long)json_integer_value(v);
				else
					kn_ferr_add(&x, kn_sectors[i], "Enter a whole number of seats, or null for no quota.");
			}
		}
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_quota_set(&x, c->id, min, false));
	}
	if (write_ok(r, &x, rc))
		send_quotas(r, &x, c);
}

/* ---- groups --------------------------------------------------------------------------------------- */

void kn_api_groups(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	struct kn_group *g;
	int n;
	enum kn_err rc = kn_group_list(&x, c->id, &g, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, group_json(&x, c, &g[i], false));
	json_t *o = json_object();
	json_object_set_new(o, "groups", a);
	kn_api_send(r, 200, o);
}

static void send_group(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, const char *key, int status)
{
	struct kn_group *g;
	enum kn_err rc = kn_group_get(x, c->id, key, &g);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, status, group_json(x, c, g, true));
}

void kn_api_group(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (c)
		send_group(r, &x, c, kn_req_param(r, "group"), 200);
}

/* A group's fields from obj; fields under prefix ("" or "parts.N."). */
static void group_in(struct kn_req *r, struct kn_ctx *x, json_t *obj, const char *prefix, struct kn_group *g)
{
	g->slug = jstr(x, obj, "slug", kn_printf(r->a, "%sslug", prefix));
	json_t *name = json_object_get(obj, "name");
	if (json_is_object(name)) {
		g->name_en = jstr(x, name, "en", kn_printf(r->a, "%sname_en", prefix));
		g->name_ru = jstr(x, name, "ru", kn_printf(r->a, "%sname_ru", prefix));
		g->name_kk = jstr(x, name, "kk", kn_printf(r->a, "%sname_kk", prefix));
	} else {
		if (name && !json_is_null(name))
			kn_ferr_add(x, kn_printf(r->a, "%sname", prefix), "This field must be an object with en, ru and kk.");
		g->name_en = jstr(x, obj, "name_en", kn_printf(r->a, "%sname_en", prefix));
		g->name_ru = jstr(x, obj, "name_ru", kn_printf(r->a, "%sname_ru", prefix));
		g->name_kk = jstr(x, obj, "name_kk", kn_printf(r->a, "%sname_kk", prefix));
	}
	g->theme = jstr(x, obj, "theme", kn_printf(r->a, "%stheme", prefix));
	g->leader_person_id = jint(x, obj, "leader_person_id", kn_printf(r->a, "%sleader_person_id", prefix));
}

void kn_api_group_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	struct kn_group g = {.council_id = c->id};
	int64_t id;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		group_in(r, &x, r->json, "", &g);
		g.created_on = kn_api_str(r, &x, "created_on");
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_group_create(&x, &g, &id));
	}
	if (write_ok(r, &x, rc))
		send_group(r, &x, c, g.slug, 201);
}

static struct kn_group *path_group(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c)
{
	struct kn_group *g;
	enum kn_err rc = kn_group_get(x, c->id, kn_req_param(r, "group"), &g);
	if (rc) {
		kn_fail_err(r, rc);
		return NULL;
	}
	return g;
}

void kn_api_group_split(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	struct kn_group *g = c ? path_group(r, &x, c) : NULL;
	if (!g)
		return;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		json_t *pa = jarr(&x, r->json, "parts");
		int np = pa ? (int)json_array_size(pa) : 0;
		if (np > 20) {
			kn_ferr_add(&x, "parts", "At most 20 new groups.");
			np = 0;
		}
		struct kn_group *parts = kn_zalloc(r->a, sizeof(*parts) * (size_t)(np + 1));
		int64_t *mid = kn_zalloc(r->a, sizeof(*mid) * 1024);
		int *mpart = kn_zalloc(r->a, sizeof(*mpart) * 1024);
		int nm = 0;
		for (int i = 0; i < np; i++) {
			json_t *e = json_array_get(pa, (size_t)i);
			const char *p = kn_printf(r->a, "part.%d.", i + 1);
			if (!json_is_object(e)) {
				kn_ferr_add(&x, kn_printf(r->a, "part.%d", i + 1), "Each entry must be an object.");
				continue;
			}
			group_in(r, &x, e, p, &parts[i]);
			json_t *ma = json_object_get(e, "members");
			if (ma && !json_is_array(ma)) {
				kn_ferr_add(&x, kn_printf(r->a, "%smembers", p), "This field must be a list of person ids.");
				continue;
			}
			for (size_t k = 0; ma && k < json_array_size(ma); k++) {
				json_t *v = json_array_get(ma, k);
				if (!json_is_integer(v) || nm >= 1024) {
					kn_ferr_add(&x, kn_printf(r->a, "%smembers", p), "This field must be a list of person ids.");
					break;
				}
				mid[nm] = json_integer_value(v);
				mpart[nm++] = i;
			}
		}
		int64_t *ids = kn_zalloc(r->a, sizeof(*ids) * (size_t)(np + 1));
		const char *on = kn_api_str(r, &x, "on");
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_group_split(&x, c->id, g->id, on, parts, np, mid, mpart, nm, ids));
	}
	if (write_ok(r, &x, rc))
		send_group(r, &x, c, g->slug, 200);
}

void kn_api_group_merge(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	struct kn_group into = {.council_id = c->id};
	int64_t id;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		group_in(r, &x, r->json, "", &into);
		into.created_on = kn_api_str(r, &x, "created_on");
		json_t *ga = jarr(&x, r->json, "groups");
		int ng = ga ? (int)json_array_size(ga) : 0;
		int64_t *gids = kn_zalloc(r->a, sizeof(*gids) * (size_t)(ng + 1));
		for (int i = 0; i < ng; i++) {
			json_t *v = json_array_get(ga, (size_t)i);
			struct kn_group *sg;
			const char *key = json_is_string(v) ? json_string_value(v)
			                  : json_is_integer(v) ? kn_printf(r->a, "%lld", (long long)json_integer_value(v))
			                                       : NULL;
			if (!key || kn_group_get(&x, c->id, key, &sg)) {
				kn_ferr_add(&x, "groups", "Choose groups of this council (slugs or ids).");
				break;
			}
			gids[i] = sg->id;
		}
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_group_merge(&x, c->id, gids, ng, &into, &id));
	}
	if (write_ok(r, &x, rc))
		send_group(r, &x, c, into.slug, 201);
}

void kn_api_group_close(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	struct kn_group *g = c ? path_group(r, &x, c) : NULL;
	if (!g)
		return;
	TX(r, &x, kn_group_close(&x, c->id, g->id, kn_api_str(r, &x, "closed_on")));
	send_group(r, &x, c, g->slug, 200);
}

void kn_api_group_member_add(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	struct kn_group *g = c ? path_group(r, &x, c) : NULL;
	if (!g)
		return;
	TX(r, &x,
	   kn_group_member_add(&x, c->id, g->id, kn_api_int(r, &x, "person_id", 0), kn_api_str(r, &x, "joined_on"), false));
	send_group(r, &x, c, g->slug, 200);
}

void kn_api_group_member_remove(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	struct kn_group *g = c ? path_group(r, &x, c) : NULL;
	if (!g)
		return;
	int64_t pid = kn_parse_id(kn_req_param(r, "person"));
	TX(r, &x, kn_group_member_remove(&x, c->id, g->id, pid, kn_api_str(r, &x, "left_on")));
	send_group(r, &x, c, g->slug, 200);
}

void kn_api_group_leader(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	struct kn_group *g = c ? path_group(r, &x, c) : NULL;
	if (!g)
		return;
	TX(r, &x, kn_group_set_leader(&x, c->id, g->id, kn_api_int(r, &x, "person_id", 0)));
	send_group(r, &x, c, g->slug, 200);
}

/* ---- people ------------------------------------------------------------------------------------------ */

static json_t *person_json(struct kn_ctx *x, const struct kn_person_info *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "name", name_json(p->full_name, p->full_name_ru, p->full_name_kk));
	json_object_set_new(o, "bio", json_string(p->bio));
	json_object_set_new(o, "has_account", json_boolean(p->user_id != 0));
	json_object_set_new(o, "illustrative", json_boolean(p->illustrative));
	json_object_set_new(o, "url", json_sprintf("/people/%lld", (long long)p->id));
	struct kn_seat *s;
	struct kn_career *cr;
	struct kn_group *g;
	struct kn_group_member *gm;
	int ns, nc, ng;
	if (!kn_seats_of_person(x, p->id, &s, &ns))
		json_object_set_new(o, "seats", seats_json(s, ns));
	if (!kn_career_list(x, p->id, &cr, &nc)) {
		json_t *a = json_array();
		for (int i = 0; i < nc; i++) {
			json_t *e = json_object();
			json_object_set_new(e, "id", json_integer(cr[i].id));
			json_object_set_new(e, "position", json_string(cr[i].position));
			json_object_set_new(e, "body", json_string(cr[i].body));
			json_object_set_new(e, "started_on", kn_json_str(cr[i].started_on));
			json_object_set_new(e, "ended_on", kn_json_str(cr[i].ended_on));
			json_object_set_new(e, "illustrative", json_boolean(cr[i].illustrative));
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "careers", a);
	}
	if (!kn_groups_of_person(x, p->id, &g, &gm, &ng)) {
		json_t *a = json_array();
		for (int i = 0; i < ng; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o}", "council", gm[i].name, "group", g[i].slug,
			                                   "joined_on", gm[i].joined_on, "left_on", kn_json_str(gm[i].left_on)));
		json_object_set_new(o, "groups", a);
	}
	return o;
}

void kn_api_people(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_person *p;
	int n, total, off, lim;
	const char *q;
	if (!kn_req_search(r, &q) || !kn_req_window(r, 100, 500, &off, &lim))
		return;
	enum kn_err rc = q ? kn_person_search(&x, q, off, lim, &p, &n, &total) : kn_person_page(&x, off, lim, &p, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)p[i].id, "name", p[i].full_name,
		                                   "url", json_sprintf("/people/%lld", (long long)p[i].id)));
	kn_api_send_page(r, "people", a, total, off, lim);
}

static void send_person(struct kn_req *r, struct kn_ctx *x, int64_t id, int status)
{
	struct kn_person_info *p;
	enum kn_err rc = kn_person_get(x, id, &p);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, status, person_json(x, p));
}

void kn_api_person(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	send_person(r, &x, kn_parse_id(kn_req_param(r, "id")), 200);
}

void kn_api_person_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	if (!c)
		return;
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		struct kn_person_info p = {.full_name = kn_api_str(r, &x, "full_name"),
		                           .full_name_ru = kn_api_str(r, &x, "full_name_ru"),
		                           .full_name_kk = kn_api_str(r, &x, "full_name_kk"),
		                           .bio = kn_api_str(r, &x, "bio")};
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_person_add(&x, c->id, &p, &id));
	}
	if (write_ok(r, &x, rc))
		send_person(r, &x, id, 201);
}

/* The person in {person}; 404 unless they sat on the council. */
static int64_t council_person(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c)
{
	struct kn_person_info *p;
	bool in = false;
	enum kn_err rc = kn_person_get(x, kn_parse_id(kn_req_param(r, "person")), &p);
	if (!rc)
		rc = kn_person_in_council(x, c->id, p->id, &in);
	if (!rc && !in)
		rc = KN_ENOTFOUND;
	if (rc) {
		kn_fail_err(r, rc);
		return 0;
	}
	return p->id;
}

void kn_api_career_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	int64_t pid = c ? council_person(r, &x, c) : 0;
	if (!pid)
		return;
	int64_t id;
	struct kn_career k = {.person_id = pid, .council_id = c->id};
	k.position = kn_api_str(r, &x, "position");
	k.body = kn_api_str(r, &x, "body");
	k.started_on = kn_api_str(r, &x, "started_on");
	k.ended_on = kn_api_str(r, &x, "ended_on");
	struct kn_ferr *pre = x.errs;
	enum kn_err rc = kn_tx_begin(r, &x);
	x.errs = pre;
	if (!rc)
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_career_add(&x, &k, &id));
	if (write_ok(r, &x, rc))
		send_person(r, &x, pid, 201);
}

void kn_api_person_account(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	struct kn_council *c = council(r, &x);
	int64_t pid = c ? council_person(r, &x, c) : 0;
	if (!pid)
		return;
	TX(r, &x, kn_person_link_account(&x, c->id, pid, kn_api_str(r, &x, "login")));
	send_person(r, &x, pid, 200);
}
