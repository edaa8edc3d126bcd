/* pages_registry.c: councils and agencies: public pages and operator forms. */
#include "app/app.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "domain/loop.h"
#include "domain/composition.h"
#include "domain/registry.h"
#include "view/pages_composition.h"
#include "view/view.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- councils ------------------------------------------------------------ */

/* A registry form's POST: save in one transaction. Returns true when the
 * request is answered (a redirect to prefix + id, or an error page); false
 * when the input was refused: status 422, x->errs hold why, and the caller
 * shows the form again. */
static bool saved(struct kn_req *r, struct kn_ctx *x, enum kn_err (*save)(struct kn_ctx *, const void *, int64_t *),
                  const void *record, const char *prefix)
{
	int64_t id;
	enum kn_err rc = kn_tx_begin(r, x);
	if (!rc)
		rc = kn_tx_end(x, save(x, record, &id));
	if (!rc) {
		kn_redirect(r, kn_printf(r->a, "%s%lld", prefix, (long long)id));
		return true;
	}
	if (rc != KN_EINVAL) {
		kn_fail_err(r, rc);
		return true;
	}
	r->status = 422;
	return false;
}

static enum kn_err save_council(struct kn_ctx *x, const void *in, int64_t *id)
{
	return kn_council_save(x, in, id);
}

static enum kn_err save_agency(struct kn_ctx *x, const void *in, int64_t *id)
{
	return kn_agency_save(x, in, id);
}


/* A council's sections: path under /councils/{slug}/ and label. A section
 * appears once its route exists. */
static const struct {
	const char *path, *label;
} sections[] = {
    {"composition", N_("Composition")}, {"rotations", N_("Rotations")},   {"groups", N_("Working groups")},
    {"meetings", N_("Meetings")},       {"proposals", N_("Proposals")},   {"assignments", N_("Assignments")},
    {"reforms", N_("Reforms and laws")}, {"statistics", N_("Statistics")}, {"appeals", N_("Appeals")},
    {"consultations", N_("Consultations")},
};

#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))
static bool section_exists[NSECTIONS];
static pthread_once_t sections_once = PTHREAD_ONCE_INIT;

/* The route table does not change while running: look the sections up once. */
static void find_sections(void)
{
	struct kn_arena *a = kn_arena_new();
	for (size_t i = 0; a && i < NSECTIONS; i++) {
		char probe[128];
		snprintf(probe, sizeof(probe), "/councils/x/%s", sections[i].path);
		for (int k = 0; k < kn_nroutes && !section_exists[i]; k++) {
			struct kn_kv *p = NULL;
			section_exists[i] = (kn_routes[k].methods & KN_GET) && !(kn_routes[k].flags & KN_RF_API) &&
			                    kn_route_match(a, kn_routes[k].pattern, probe, &p);
		}
	}
	kn_arena_free(a);
}

void kn_council_nav(struct kn_req *r, const char *slug)
{
	bool open = false;
	pthread_once(&sections_once, find_sections);
	for (size_t i = 0; i < NSECTIONS; i++) {
		if (!section_exists[i])
			continue;
		if (!open)
			kn_h(&r->out, "<nav class=\"sections\" aria-label=\"%t\"><ul>", N_("Sections"));
		open = true;
		kn_h(&r->out, "<li><a href=\"/councils/%u/%s\">%t</a></li>", slug, sections[i].path, sections[i].label);
	}
	if (open)
		kn_h(&r->out, "</ul></nav>");
}

void kn_page_home(struct kn_req *r)
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
	kn_view_begin(r, _("Public trust councils"));
	kn_h(&r->out, "<h1>%t</h1><p>%t</p>", N_("Public trust councils"),
	     N_("Civil society meets the head of state or of a government body, raises problems, and follows them "
	        "through to what the ministries actually did, in public."));
	kn_h(&r->out, "<ul>");
	for (int i = 0; i < n; i++) {
		kn_h(&r->out, "<li><a href=\"/councils/%u\">%s</a>", c[i].slug, kn_council_name(&c[i], r->lang));
		if (c[i].dissolved_on)
			kn_h(&r->out, " <span class=\"muted\">(%t %s)</span>", N_("dissolved"), c[i].dissolved_on);
		kn_h(&r->out, "</li>");
	}
	kn_h(&r->out, "</ul><p><a href=\"/agencies\">%t</a></p>", N_("Government agencies"));
	kn_view_end(r);
}

void kn_page_councils(struct kn_req *r)
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
	kn_view_begin(r, _("Councils"));
	kn_h(&r->out, "<h1>%t</h1>", N_("Councils"));
	if (r->user && r->user->is_operator)
		kn_h(&r->out, "<p><a href=\"/councils/new\">%t</a></p>", N_("Add a council"));
	kn_h(&r->out, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
	     N_("Council"), N_("Chair"), N_("Founded"), N_("Seats"));
	for (int i = 0; i < n; i++) {
		kn_h(&r->out, "<tr><td><a href=\"/councils/%u\">%s</a>", c[i].slug, kn_council_name(&c[i], r->lang));
		if (c[i].dissolved_on)
			kn_h(&r->out, "<br><span class=\"muted\">%t %s</span>", N_("dissolved"), c[i].dissolved_on);
		kn_h(&r->out, "</td><td>%s</td><td>%s</td><td>%D</td></tr>", c[i].chair_name ? c[i].chair_name : "",
		     c[i].founded_on ? c[i].founded_on : "", (int64_t)c[i].seats);
	}
	kn_h(&r->out, "</tbody></table>");
	kn_view_end(r);
}

void kn_page_council(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, kn_council_name(c, r->lang));
	kn_h(b, "<h1>%s</h1><dl class=\"facts\">", kn_council_name(c, r->lang));
	kn_h(b, "<dt>%t</dt><dd lang=\"en\">%s</dd>", N_("Name in English"), c->name_en);
	if (*c->name_ru)
		kn_h(b, "<dt>%t</dt><dd lang=\"ru\">%s</dd>", N_("Name in Russian"), c->name_ru);
	if (*c->name_kk)
		kn_h(b, "<dt>%t</dt><dd lang=\"kk\">%s</dd>", N_("Name in Kazakh"), c->name_kk);
	if (c->chair_name)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Chair"), c->chair_name);
	if (c->founded_on)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Founded"), c->founded_on);
	if (c->seats)
		kn_h(b, "<dt>%t</dt><dd>%D</dd>", N_("Seats"), (int64_t)c->seats);
	if (c->dissolved_on)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Dissolved"), c->dissolved_on);
	/* successor and predecessors in one read */
	struct kn_council *all;
	int n;
	if (kn_council_lineage(&x, c, &all, &n))
		n = 0;
	for (int i = 0; i < n; i++)
		if (c->succeeded_by && all[i].id == c->succeeded_by)
			kn_h(b, "<dt>%t</dt><dd><a href=\"/councils/%u\">%s</a></dd>", N_("Succeeded by"), all[i].slug,
			     kn_council_name(&all[i], r->lang));
	for (int i = 0; i < n; i++)
		if (all[i].succeeded_by == c->id)
			kn_h(b, "<dt>%t</dt><dd><a href=\"/councils/%u\">%s</a></dd>", N_("Preceded by"), all[i].slug,
			     kn_council_name(&all[i], r->lang));
	kn_h(b, "<dt>%t</dt><dd>%s</dd></dl>", N_("Time zone"), c->timezone);
	kn_council_nav(r, c->slug);
	kn_composition_summary(r, &x, c);
	if (*c->description)
		kn_h(b, "<section>%M</section>", c->description);
	if (r->user && r->user->is_operator)
		kn_h(b, "<p><a href=\"/councils/%u/edit\">%t</a></p>", c->slug, N_("Edit this council"));
	kn_view_history(r, &x, "council", c->id);
	kn_view_end(r);
}

/* Saves the posted council: true when the answer is complete (a redirect,
 * or an error page); false when the form comes back with its errors (422).
 * The chair names a person by words (kn_person_pick); the name of the chair
 * already set (old), sent back unchanged, keeps that chair even if another
 * person shares the name. */
static bool council_posted(struct kn_req *r, struct kn_ctx *x, const struct kn_council *old, struct kn_council *c)
{
	const char *key = kn_trim(x, kn_req_form(r, "chair_person_id"));
	enum kn_err rc = KN_OK;
	if (old && old->chair_person_id && key && old->chair_name && !strcmp(key, old->chair_name))
		c->chair_person_id = old->chair_person_id;
	else
		rc = kn_person_pick(x, 0, KN_CHOICE_ANY, "chair_person_id", key, &c->chair_person_id);
	if (!rc)
		return saved(r, x, save_council, c, "/councils/");
	if (rc != KN_EINVAL) {
		kn_fail_err(r, rc);
		return true;
	}
	r->status = 422;
	return false;
}

static void council_from_form(struct kn_req *r, struct kn_council *c)
{
	c->slug = kn_req_form(r, "slug");
	c->name_en = kn_req_form(r, "name_en");
	c->name_ru = kn_req_form(r, "name_ru");
	c->name_kk = kn_req_form(r, "name_kk");
	c->description = kn_req_form(r, "description");
	c->founded_on = kn_req_form(r, "founded_on");
	c->dissolved_on = kn_req_form(r, "dissolved_on");
	c->succeeded_by_key = kn_req_form(r, "succeeded_by");
	const char *seats = kn_req_form(r, "seats");
	c->seats = seats && *seats ? (long)kn_parse_id(seats) : 0;
	if (seats && *seats && strcmp(seats, "0") && !c->seats)
		c->seats = -1; /* not a number: the domain check reports it */
	c->timezone = kn_req_form(r, "timezone");
}

static void council_form(struct kn_req *r, const struct kn_council *c, const char *action,
                         const struct kn_ferr *errs)
{
	struct kn_buf *b = &r->out;
	kn_form_errors(r, errs);
	kn_form_begin(r, action, false);
	kn_form_input(r, errs, "slug", N_("Short name (in addresses)"), c->slug, NULL, true,
	              N_("Lowercase Latin letters, digits and hyphens, e.g. ncpt."));
	kn_form_input(r, errs, "name_en", N_("Name in English"), c->name_en, NULL, true, NULL);
	kn_form_input(r, errs, "name_ru", N_("Name in Russian"), c->name_ru, NULL, false, NULL);
	kn_form_input(r, errs, "name_kk", N_("Name in Kazakh"), c->name_kk, NULL, false, NULL);
	kn_form_textarea(r, errs, "description", N_("Description"), c->description, N_("Markdown."));
	/* the chair as typed when the form comes back, else the chair's name */
	const char *chair = r->method == KN_POST ? kn_req_form(r, "chair_person_id") : c->chair_name;
	kn_form_input_list(r, errs, "chair_person_id", N_("Chair"), chair ? chair : "",
	                   kn_view_people_datalist(r, 0, KN_CHOICE_ANY),
	                   N_("Someone in the registry of people: the name, words of it that only this person has, or the "
	                      "person's number. Empty: none."));
	kn_form_input(r, errs, "founded_on", N_("Founded on"), c->founded_on, "date", false, N_("YYYY-MM-DD"));
	kn_form_input(r, errs, "dissolved_on", N_("Dissolved on"), c->dissolved_on, "date", false, N_("YYYY-MM-DD"));
	kn_form_input(r, errs, "succeeded_by", N_("Succeeded by (short name of the successor council)"),
	              c->succeeded_by_key ? c->succeeded_by_key : c->succeeded_by_slug, NULL, false, NULL);
	kn_form_input(r, errs, "seats", N_("Number of seats"),
	              c->seats > 0 ? kn_printf(r->a, "%ld", c->seats) : (c->seats < 0 ? "" : "0"), "number", false,
	              NULL);
	kn_form_input(r, errs, "timezone", N_("Time zone"), c->timezone ? c->timezone : "Asia/Almaty", NULL, false,
	              N_("An IANA time zone, e.g. Asia/Almaty."));
	kn_form_end(r, N_("Save"));
	(void)b;
}

void kn_page_council_new(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council c = {.timezone = "Asia/Almaty"};
	kn_ctx_init(r, &x);
	if (r->method == KN_POST) {
		council_from_form(r, &c);
		if (council_posted(r, &x, NULL, &c))
			return;
	}
	kn_view_begin(r, _("Add a council"));
	kn_h(&r->out, "<h1>%t</h1>", N_("Add a council"));
	council_form(r, &c, "/councils/new", x.errs);
	kn_view_end(r);
}

void kn_page_council_edit(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *old;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &old);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_council c = *old;
	const char *action = kn_printf(r->a, "/councils/%s/edit", old->slug);
	if (r->method == KN_POST) {
		council_from_form(r, &c);
		c.id = old->id;
		if (council_posted(r, &x, old, &c))
			return;
	}
	kn_view_begin(r, _("Edit council"));
	kn_h(&r->out, "<h1>%t: %s</h1>", N_("Edit council"), kn_council_name(old, r->lang));
	council_form(r, &c, action, x.errs);
	kn_view_end(r);
}

/* ---- agencies ------------------------------------------------------------ */

/* the registry's filter offers "(any kind)" before the kinds; the agency form the kinds alone */
static const char *const kind_filter[] = {"",      N_("(any kind)"), "ministry", N_("ministry"), "committee",
                                          N_("committee"), "agency", N_("agency"), "administration",
                                          N_("administration"), "akimat", N_("akimat"), "court", N_("court"),
                                          "other", N_("other"), NULL};
static const char *const *const kind_opts = kind_filter + 2;

#define UNITS_SHOWN 5 /* units listed under each agency of the registry's page */

/* The registry, 50 agencies a page by name: those under no other with
 * their first units (the rest on each agency's page), or every agency of
 * one kind, or those a search (?q=) finds, with what each is part of. Unbounded, a national registry (some
 * hundreds of akimats) would pass the 60 KB bar of a public page. */
void kn_page_agencies(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	const char *kind = kn_req_arg(r, "kind");
	if (kind && *kind && !kn_loop_in(kind, kn_agency_kinds)) {
		kn_fail(r, 400, "invalid", "kind", "Unknown kind of agency.");
		return;
	}
	const char *q;
	if (!kn_req_search(r, &q))
		return;
	bool searching = q != NULL;
	bool by_kind = kind && *kind, flat = by_kind || searching;
	int off, lim, n, total, nu = 0;
	if (!kn_req_window(r, 50, 50, &off, &lim))
		return;
	struct kn_agency *g, *u = NULL;
	enum kn_err rc = searching ? kn_agency_search(&x, kind, q, off, lim, &g, &n, &total)
	                           : kn_agency_page(&x, kind, !by_kind, off, lim, &g, &n, &total);
	if (!rc && !flat)
		rc = kn_agency_first_units(&x, off, lim, UNITS_SHOWN, &u, &nu);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Government agencies"));
	kn_h(b, "<h1>%t</h1>", N_("Government agencies"));
	if (r->user && r->user->is_operator)
		kn_h(b, "<p><a href=\"/agencies/new\">%t</a></p>", N_("Add an agency"));
	kn_h(b, "<form method=\"get\" action=\"/agencies\" class=\"filters\" role=\"search\">");
	kn_form_input(r, NULL, "q", N_("Name"), kn_req_arg(r, "q"), "search", false, N_("Words of its name in any language (their first letters are enough), or its short name."));
	kn_form_select(r, NULL, "kind", N_("Kind"), by_kind ? kind : "", kind_filter);
	kn_h(b, "<p><button type=\"submit\">%t</button></p></form>", N_("Show"));
	if (!total)
		kn_h(b, "<p>%t</p>", N_("No agencies match."));
	if (n)
		kn_h(b, "<ul class=\"tree\">");
	for (int i = 0; i < n; i++) {
		kn_h(b, "<li><a href=\"/agencies/%u\">%s</a> <span class=\"badge\">%t</span>", g[i].slug,
		     kn_agency_name(&g[i], r->lang), g[i].kind);
		if (flat && g[i].parent_id)
			kn_h(b, " · %t <a href=\"/agencies/%u\">%s</a>", N_("part of"), g[i].parent_slug,
			     kn_view_agency_name(r, g[i].parent_id, g[i].parent_name));
		int shown = 0;
		for (int j = 0; j < nu; j++) {
			if (u[j].parent_id != g[i].id)
				continue;
			if (!shown)
				kn_h(b, "<ul class=\"tree\">");
			kn_h(b, "<li><a href=\"/agencies/%u\">%s</a> <span class=\"badge\">%t</span></li>", u[j].slug,
			     kn_agency_name(&u[j], r->lang), u[j].kind);
			shown++;
		}
		if (shown && g[i].units > shown)
			kn_h(b, "<li><a href=\"/agencies/%u\">%t %d %s</a></li>", g[i].slug, N_("All"), g[i].units,
			     NG_("unit", "units", g[i].units));
		if (shown)
			kn_h(b, "</ul>");
		kn_h(b, "</li>");
	}
	if (n)
		kn_h(b, "</ul>");
	if (total) {
		struct kn_buf base;
		kn_buf_arena(&base, r->a, 4096);
		kn_h(&base, "/agencies?kind=%u&q=%u", by_kind ? kind : "", searching ? q : "");
		kn_view_pager(r, flat ? kn_buf_str(&base) : "/agencies", off, lim, total);
	}
	kn_view_end(r);
}

void kn_page_agency(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g, *kids;
	int n, total, off, lim;
	if (!kn_req_window(r, 100, 100, &off, &lim))
		return;
	enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &g);
	if (!rc) /* a page of units at a time: a region's akimat may have hundreds */
		rc = kn_agency_children(&x, g->id, off, lim, &kids, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, kn_agency_name(g, r->lang));
	kn_h(b, "<h1>%s</h1><dl class=\"facts\">", kn_agency_name(g, r->lang));
	kn_h(b, "<dt>%t</dt><dd lang=\"en\">%s</dd>", N_("Name in English"), g->name_en);
	if (*g->name_ru)
		kn_h(b, "<dt>%t</dt><dd lang=\"ru\">%s</dd>", N_("Name in Russian"), g->name_ru);
	if (*g->name_kk)
		kn_h(b, "<dt>%t</dt><dd lang=\"kk\">%s</dd>", N_("Name in Kazakh"), g->name_kk);
	kn_h(b, "<dt>%t</dt><dd>%t</dd>", N_("Kind"), g->kind);
	if (g->parent_id)
		kn_h(b, "<dt>%t</dt><dd><a href=\"/agencies/%u\">%s</a></dd>", N_("Part of"), g->parent_slug, g->parent_name);
	if (*g->website)
		kn_h(b, "<dt>%t</dt><dd><a href=\"%s\" rel=\"nofollow\">%s</a></dd>", N_("Website"), g->website, g->website);
	kn_h(b, "</dl>");
	if (total) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Units"));
		for (int i = 0; i < n; i++)
			kn_h(b, "<li><a href=\"/agencies/%u\">%s</a></li>", kids[i].slug, kn_agency_name(&kids[i], r->lang));
		kn_h(b, "</ul>");
		kn_view_pager(r, kn_printf(r->a, "/agencies/%s", g->slug), off, lim, total);
	}
	if (r->user && r->user->is_operator)
		kn_h(b, "<p><a href=\"/agencies/%u/edit\">%t</a></p>", g->slug, N_("Edit this agency"));
	kn_view_history(r, &x, "agency", g->id);
	kn_view_end(r);
}

static void agency_from_form(struct kn_req *r, struct kn_agency *g)
{
	g->slug = kn_req_form(r, "slug");
	g->name_en = kn_req_form(r, "name_en");
	g->name_ru = kn_req_form(r, "name_ru");
	g->name_kk = kn_req_form(r, "name_kk");
	g->kind = kn_req_form(r, "kind");
	g->website = kn_req_form(r, "website");
	g->parent_key = kn_req_form(r, "parent");
}

static void agency_form(struct kn_req *r, const struct kn_agency *g, const char *action, const struct kn_ferr *errs)
{
	kn_form_errors(r, errs);
	kn_form_begin(r, action, false);
	kn_form_input(r, errs, "slug", N_("Short name (in addresses)"), g->slug, NULL, true,
	              N_("Lowercase Latin letters, digits and hyphens, e.g. ncpt."));
	kn_form_input(r, errs, "name_en", N_("Name in English"), g->name_en, NULL, true, NULL);
	kn_form_input(r, errs, "name_ru", N_("Name in Russian"), g->name_ru, NULL, false, NULL);
	kn_form_input(r, errs, "name_kk", N_("Name in Kazakh"), g->name_kk, NULL, false, NULL);
	kn_form_select(r, errs, "kind", N_("Kind"), g->kind, kind_opts);
	kn_form_input(r, errs, "parent", N_("Part of (short name of the parent agency)"),
	              g->parent_key ? g->parent_key : g->parent_slug, NULL, false, NULL);
	kn_form_input(r, errs, "website", N_("Website"), g->website, "url", false, NULL);
	kn_form_end(r, N_("Save"));
}

void kn_page_agency_new(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_agency g = {.kind = "ministry"};
	kn_ctx_init(r, &x);
	if (r->method == KN_POST) {
		agency_from_form(r, &g);
		if (saved(r, &x, save_agency, &g, "/agencies/"))
			return;
	}
	kn_view_begin(r, _("Add an agency"));
	kn_h(&r->out, "<h1>%t</h1>", N_("Add an agency"));
	agency_form(r, &g, "/agencies/new", x.errs);
	kn_view_end(r);
}

void kn_page_agency_edit(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *old;
	enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &old);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_agency g = *old;
	if (r->method == KN_POST) {
		agency_from_form(r, &g);
		g.id = old->id;
		if (saved(r, &x, save_agency, &g, "/agencies/"))
			return;
	}
	kn_view_begin(r, _("Edit agency"));
	kn_h(&r->out, "<h1>%t: %s</h1>", N_("Edit agency"), kn_agency_name(old, r->lang));
	agency_form(r, &g, kn_printf(r->a, "/agencies/%s/edit", old->slug), x.errs);
	kn_view_end(r);
}
