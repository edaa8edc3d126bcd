/* api_registry.c: councils and agencies over JSON, through the same domain
 * functions as the pages. */
#include "api/api.h"
#include "api/json.h"
#include "api/jw.h"
#include "app/app.h"
#include "core/arena.h"
#include "domain/loop.h"
#include "domain/registry.h"

/* A council's and an agency's members, written once each: lists and the
 * single record stream them (jw); a write's answer is parsed back into a
 * tree for what registry_write adds. */
/* What a council and an agency begin with: the object, its id, slug and
 * names in the three languages. */
static void record_head(struct kn_jw *w, int64_t id, const char *slug, const char *en, const char *ru, const char *kk)
{
	kn_jw_obj(w);
	kn_jw_kint(w, "id", id);
	kn_jw_kstr(w, "slug", slug);
	kn_jw_key(w, "name");
	kn_jw_obj(w);
	kn_jw_kstr(w, "en", en);
	kn_jw_kstr(w, "ru", ru);
	kn_jw_kstr(w, "kk", kk);
	kn_jw_end(w);
}

static void council_write(struct kn_jw *w, struct kn_arena *a, const struct kn_council *c)
{
	record_head(w, c->id, c->slug, c->name_en, c->name_ru, c->name_kk);
	kn_jw_kstr(w, "description", c->description);
	kn_jw_kref(w, "chair_person_id", c->chair_person_id);
	kn_jw_kstr(w, "chair_name", c->chair_name);
	kn_jw_kstr(w, "founded_on", c->founded_on);
	kn_jw_kstr(w, "dissolved_on", c->dissolved_on);
	kn_jw_kstr(w, "succeeded_by", c->succeeded_by_slug);
	kn_jw_kint(w, "seats", c->seats);
	kn_jw_kstr(w, "timezone", c->timezone);
	kn_jw_kstr(w, "url", kn_printf(a, "/councils/%s", c->slug));
	kn_jw_end(w);
}

/* An agency's members, written once: the list streams them (jw), a single
 * record is parsed back into a tree for what it adds. */
static void agency_write(struct kn_jw *w, struct kn_arena *a, const struct kn_agency *g)
{
	record_head(w, g->id, g->slug, g->name_en, g->name_ru, g->name_kk);
	kn_jw_kstr(w, "kind", g->kind);
	kn_jw_kstr(w, "parent", g->parent_slug);
	kn_jw_kstr(w, "website", g->website);
	kn_jw_kstr(w, "url", kn_printf(a, "/agencies/%s", g->slug));
	kn_jw_end(w);
}

static json_t *as_tree(struct kn_arena *a, void (*write)(struct kn_jw *, struct kn_arena *, const void *), const void *rec)
{
	struct kn_buf b;
	struct kn_jw w;
	kn_buf_arena(&b, a, 1 << 20);
	kn_jw_init(&w, &b);
	write(&w, a, rec);
	return json_loadb(kn_buf_str(&b), b.len, 0, NULL);
}

static void council_any(struct kn_jw *w, struct kn_arena *a, const void *c)
{
	council_write(w, a, c);
}

static void agency_any(struct kn_jw *w, struct kn_arena *a, const void *g)
{
	agency_write(w, a, g);
}

static json_t *council_json(struct kn_arena *a, const struct kn_council *c)
{
	return as_tree(a, council_any, c);
}

static json_t *agency_json(struct kn_arena *a, const struct kn_agency *g)
{
	return as_tree(a, agency_any, g);
}

void kn_api_councils(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	int n;
	enum kn_err rc = kn_council_list(&x, &c, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_jw w;
	kn_api_begin(r, &w);
	kn_jw_obj(&w);
	kn_jw_key(&w, "councils");
	kn_jw_arr(&w);
	for (int i = 0; i < n; i++)
		council_write(&w, r->a, &c[i]);
	kn_jw_end(&w);
	kn_jw_end(&w);
	kn_api_finish(r, 200);
}

void kn_api_council(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_jw w;
	kn_api_begin(r, &w);
	council_write(&w, r->a, c);
	kn_api_finish(r, 200);
}

/* The "name" member: an object with en, ru and kk strings (each optional:
 * what is absent keeps its value). */
static void names_from_json(struct kn_req *r, struct kn_ctx *x, const char **en, const char **ru, const char **kk)
{
	json_t *name = json_object_get(r->json, "name");
	if (name && !json_is_null(name) && !json_is_object(name)) {
		kn_ferr_add(x, "name", "This field must be an object with en, ru and kk.");
		return;
	}
	const char **slot[] = {en, ru, kk};
	static const char *const keys[] = {"en", "ru", "kk"};
	for (int i = 0; name && i < 3; i++) {
		json_t *v = json_object_get(name, keys[i]);
		if (v && json_is_string(v))
			*slot[i] = json_string_value(v);
		else if (v && !json_is_null(v))
			kn_ferr_add(x, "name", "This field must be an object with en, ru and kk.");
	}
}

/* Reads a council from the JSON body. */
static void council_from_json(struct kn_req *r, struct kn_ctx *x, struct kn_council *c)
{
	names_from_json(r, x, &c->name_en, &c->name_ru, &c->name_kk);
	const char *s;
	if ((s = kn_api_str(r, x, "slug")))
		c->slug = s;
	if ((s = kn_api_str(r, x, "description")))
		c->description = s;
	if ((s = kn_api_str(r, x, "founded_on")))
		c->founded_on = s;
	if (json_object_get(r->json, "dissolved_on"))
		c->dissolved_on = kn_api_str(r, x, "dissolved_on");
	if (json_object_get(r->json, "succeeded_by"))
		c->succeeded_by_key = kn_api_str(r, x, "succeeded_by");
	else if (c->succeeded_by)
		c->succeeded_by_key = c->succeeded_by_slug;
	if ((s = kn_api_str(r, x, "timezone")))
		c->timezone = s;
	c->seats = (long)kn_api_int(r, x, "seats", c->seats);
	c->chair_person_id = kn_api_int(r, x, "chair_person_id", c->chair_person_id);
}

/* How a registry record is read from JSON, saved and shown: councils and
 * agencies go through the same write path. */
struct registry_kind {
	void (*from_json)(struct kn_req *r, struct kn_ctx *x, void *rec);
	enum kn_err (*save)(struct kn_ctx *x, const void *rec, int64_t *id);
	enum kn_err (*show)(struct kn_ctx *x, int64_t id, json_t **out);
};

/* Saves rec (updated from the body) in one transaction and answers with
 * the stored record, or the field errors (422). */
static void registry_write(struct kn_req *r, const struct registry_kind *k, void *rec, int status)
{
	struct kn_ctx x;
	enum kn_err rc = kn_tx_begin(r, &x);
	int64_t id = 0;
	if (!rc) {
		k->from_json(r, &x, rec);
		rc = x.errs ? KN_EINVAL : k->save(&x, rec, &id);
		rc = kn_tx_end(&x, rc);
	}
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	json_t *out = NULL;
	if (!rc)
		rc = k->show(&x, id, &out);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, status, out);
}

static const char *id_key(struct kn_ctx *x, int64_t id)
{
	return kn_printf(x->a, "%lld", (long long)id);
}

static void council_in(struct kn_req *r, struct kn_ctx *x, void *rec)
{
	council_from_json(r, x, rec);
}

static enum kn_err council_save(struct kn_ctx *x, const void *rec, int64_t *id)
{
	return kn_council_save(x, rec, id);
}

static enum kn_err council_show(struct kn_ctx *x, int64_t id, json_t **out)
{
	struct kn_council *c;
	enum kn_err rc = kn_council_get(x, id_key(x, id), &c);
	if (!rc)
		*out = council_json(x->a, c);
	return rc;
}

static const struct registry_kind council_kind = {council_in, council_save, council_show};

void kn_api_council_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_council c = {0};
	registry_write(r, &council_kind, &c, 201);
}

void kn_api_council_update(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	registry_write(r, &council_kind, c, 200);
}

void kn_api_agencies(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	const char *kind = kn_req_arg(r, "kind");
	if (kind && *kind && !kn_loop_in(kind, kn_agency_kinds)) {
		kn_api_error(r, 400, "invalid", "kind", "Unknown kind of agency.", NULL);
		return;
	}
	const char *q;
	if (!kn_req_search(r, &q))
		return;
	struct kn_agency *g;
	int n, total, off, lim;
	if (!kn_req_window(r, 100, 500, &off, &lim))
		return;
	enum kn_err rc = q ? kn_agency_search(&x, kind, q, off, lim, &g, &n, &total)
	                   : kn_agency_page(&x, kind, false, off, lim, &g, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_jw w;
	kn_api_list_begin(r, &w, "agencies");
	for (int i = 0; i < n; i++)
		agency_write(&w, r->a, &g[i]);
	kn_api_list_end(r, &w, total, off, lim);
}

void kn_api_agency(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g, *kids;
	int n;
	enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &g);
	if (!rc)
		rc = kn_agency_children(&x, g->id, 0, 0, &kids, &n, NULL);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = agency_json(r->a, g);
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(kids[i].slug));
	json_object_set_new(o, "units", a);
	kn_api_send(r, 200, o);
}

static void agency_from_json(struct kn_req *r, struct kn_ctx *x, struct kn_agency *g)
{
	names_from_json(r, x, &g->name_en, &g->name_ru, &g->name_kk);
	const char *s;
	if ((s = kn_api_str(r, x, "slug")))
		g->slug = s;
	if ((s = kn_api_str(r, x, "kind")))
		g->kind = s;
	if ((s = kn_api_str(r, x, "website")))
		g->website = s;
	if (json_object_get(r->json, "parent"))
		g->parent_key = kn_api_str(r, x, "parent");
	else
		g->parent_key = g->parent_slug;
}

static void agency_in(struct kn_req *r, struct kn_ctx *x, void *rec)
{
	agency_from_json(r, x, rec);
}

static enum kn_err agency_save(struct kn_ctx *x, const void *rec, int64_t *id)
{
	return kn_agency_save(x, rec, id);
}

static enum kn_err agency_show(struct kn_ctx *x, int64_t id, json_t **out)
{
	struct kn_agency *g;
	enum kn_err rc = kn_agency_get(x, id_key(x, id), &g);
	if (!rc)
		*out = agency_json(x->a, g);
	return rc;
}

static const struct registry_kind agency_kind = {agency_in, agency_save, agency_show};

void kn_api_agency_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_agency g = {0};
	registry_write(r, &agency_kind, &g, 201);
}

void kn_api_agency_update(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g;
	enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &g);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	registry_write(r, &agency_kind, g, 200);
}
