/* pages_composition.c: a council's composition, rotations, working groups
 * and people: public pages, and the secretary's forms (each works without
 * JavaScript: fixed rows, more on request). */
#include "app/app.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "domain/composition.h"
#include "domain/registry.h"
#include "view/pages_composition.h"
#include "view/view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 12
#define MAX_PARTS 6

/* ---- shared pieces ---------------------------------------------------------- */

/* A lineage link's group name in the visitor's language. */
static const char *link_name(const struct kn_group_link *l, const char *lang)
{
	struct kn_group g = {.name_en = l->name_en, .name_ru = l->name_ru, .name_kk = l->name_kk};
	return kn_group_name(&g, lang);
}

static struct kn_council *load_council(struct kn_req *r, struct kn_ctx *x)
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

static bool is_secretary(struct kn_req *r, int64_t council_id)
{
	return r->user && kn_has_council_role(r, council_id, "secretary");
}

static void illu(struct kn_req *r, bool yes)
{
	if (yes)
		kn_h(&r->out, " <span class=\"illustrative\">(%t)</span>", N_("illustrative"));
}

static void illu_note(struct kn_req *r)
{
	kn_h(&r->out, "<p class=\"illustrative\">%t</p>",
	     N_("Marked \"illustrative\": dates, people and figures the source does not give; they stand in for the "
	        "demonstration and are not facts."));
}

static const char *ids(struct kn_req *r, int64_t id)
{
	return kn_printf(r->a, "%lld", (long long)id);
}

static const char *form_or(struct kn_req *r, const char *name, const char *def)
{
	const char *v = r->method == KN_POST ? kn_req_form(r, name) : NULL;
	return v ? v : def;
}

/* value/label pairs from a value list and its label function. */
static const char **enum_opts(struct kn_req *r, const char *const *vals, const char *(*label)(const char *),
                              const char *none)
{
	int n = 0;
	while (vals[n])
		n++;
	const char **o = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * n + 3));
	int k = 0;
	if (none) {
		o[k++] = "";
		o[k++] = none;
	}
	for (int i = 0; i < n; i++) {
		o[k++] = vals[i];
		o[k++] = label(vals[i]);
	}
	return o;
}

static void person_field(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                         const char *list, const char *hint)
{
	kn_form_input_list(r, errs, name, label, form_or(r, name, ""), list,
	                   hint ? hint : N_("The name, words of it that only this person has, or the person's number."));
}

static const char **member_opts(struct kn_req *r, const struct kn_group_member *m, int n, const char *none)
{
	const char **o = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * n + 3));
	int k = 0;
	o[k++] = "";
	o[k++] = none;
	for (int i = 0; i < n; i++) {
		o[k++] = ids(r, m[i].person_id);
		o[k++] = m[i].name;
	}
	return o;
}

/* Runs after a write: redirect on success, re-show with 422 on bad input,
 * an error page otherwise. Returns true when the response is complete. */
static bool write_done(struct kn_req *r, enum kn_err rc, const char *location)
{
	if (!rc) {
		kn_redirect(r, location);
		return true;
	}
	if (rc != KN_EINVAL) {
		kn_fail_err(r, rc);
		return true;
	}
	r->status = 422;
	return false;
}

static void staff_link(struct kn_req *r, const char *slug, const char *path, const char *label)
{
	kn_h(&r->out, "<li><a href=\"/councils/%u/%s\">%t</a></li>", slug, path, label);
}

static void section_head(struct kn_req *r, const struct kn_council *c, const char *title)
{
	kn_view_begin(r, kn_printf(r->a, "%s · %s", _(title), kn_council_name(c, r->lang)));
	kn_h(&r->out, "<p class=\"muted\"><a href=\"/councils/%u\">%s</a></p><h1>%t</h1>", c->slug,
	     kn_council_name(c, r->lang), title);
	kn_council_nav(r, c->slug);
}

static void person_link(struct kn_req *r, int64_t id, const char *name, bool illustrative)
{
	kn_h(&r->out, "<a href=\"/people/%D\">%s</a>", id, name);
	illu(r, illustrative && !strstr(name, "illustrative")); /* demo names say it already */
}

/* ---- composition -------------------------------------------------------------- */

void kn_page_composition(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_buf *b = &r->out;
	const char *on = kn_req_arg(r, "on");
	bool last_day = false;
	if (on && !*on)
		on = NULL;
	if (on && !kn_check_date(&x, "on", on, true))
		r->status = 422;
	const char *day = on && !x.errs ? on : kn_composition_default_day(&x, c, &last_day);
	section_head(r, c, N_("Composition"));
	kn_h(b, "<form method=\"get\" action=\"/councils/%u/composition\" class=\"inline\">", c->slug);
	kn_form_errors(r, x.errs);
	kn_form_input(r, x.errs, "on", N_("Who sat on this date?"), on ? on : day, "date", false, N_("YYYY-MM-DD"));
	kn_h(b, "<p><button type=\"submit\">%t</button></p></form>", N_("Show"));
	if (x.errs) {
		kn_view_end(r);
		return;
	}
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
	if (last_day)
		kn_h(b, "<p class=\"notice\">%t %s. %t %s.</p>", N_("The council was dissolved on"), c->dissolved_on,
		     N_("Shown: its composition on its last day,"), day);
	kn_h(b, "<h2>%t %s</h2>", N_("Composition on"), day);
	long members = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(s[i].role, "member"))
			members++;
	if (c->seats)
		kn_h(b, "<p><strong>%D</strong> %t <strong>%D</strong> %t</p>", (int64_t)members, N_("of"),
		     (int64_t)c->seats, N_("member seats filled (the chair and the secretary are not counted)."));
	else
		kn_h(b, "<p><strong>%D</strong> %t</p>", (int64_t)members, N_("members."));
	if (!n)
		kn_h(b, "<p>%t</p>", N_("Nobody sat on the council on this date."));
	/* chair and secretary, then members by sector */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			bool office = strcmp(s[i].role, "member") != 0;
			if ((pass == 0) != office)
				continue;
			if (pass == 0) {
				kn_h(b, "<p><strong>%t</strong>: ", kn_role_label(s[i].role));
				person_link(r, s[i].person_id, s[i].person_name, s[i].person_illustrative);
				kn_h(b, "</p>");
			}
		}
	}
	for (int k = 0; k < KN_NSECTORS; k++) {
		bool open = false;
		for (int i = 0; i < n; i++) {
			if (strcmp(s[i].role, "member") || strcmp(s[i].sector, kn_sectors[k]))
				continue;
			if (!open)
				kn_h(b, "<h3>%t (%D)</h3><ul>", kn_sector_label(kn_sectors[k]), (int64_t)q[k].have);
			open = true;
			kn_h(b, "<li>");
			person_link(r, s[i].person_id, s[i].person_name, s[i].person_illustrative);
			if (*s[i].region)
				kn_h(b, ", %s", s[i].region);
			kn_h(b, " <span class=\"muted\">%t <a href=\"/councils/%u/seats/%D\">%s</a>", N_("since"), c->slug,
			     s[i].id, s[i].joined_on);
			if (s[i].joined_rotation_no)
				kn_h(b, ", %t %D", N_("rotation"), (int64_t)s[i].joined_rotation_no);
			kn_h(b, "</span>");
			illu(r, s[i].illustrative);
			kn_h(b, "</li>");
		}
		if (open)
			kn_h(b, "</ul>");
	}
	kn_h(b, "<h2>%t</h2><table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
	     N_("Sectors and quotas"), N_("Sector"), N_("Seats"), N_("Quota (at least)"), N_("Status"));
	bool quota_illu = false;
	for (int k = 0; k < KN_NSECTORS; k++) {
		kn_h(b, "<tr><td>%t</td><td>%D</td><td>", kn_sector_label(q[k].sector), (int64_t)q[k].have);
		if (q[k].min_seats >= 0)
			kn_h(b, "%D", (int64_t)q[k].min_seats);
		else
			kn_h(b, "—");
		quota_illu = quota_illu || q[k].illustrative;
		kn_h(b, "</td><td>");
		if (q[k].min_seats > 0 && q[k].have < q[k].min_seats)
			kn_h(b, "<strong class=\"error\">%t</strong>", N_("quota not met"));
		else if (q[k].min_seats > 0)
			kn_h(b, "%t", N_("met"));
		kn_h(b, "</td></tr>");
	}
	kn_h(b, "</tbody></table>");
	if (quota_illu)
		kn_h(b, "<p class=\"illustrative\">%t</p>", N_("The quotas are illustrative."));
	if (kn_quota_gaps(q))
		kn_h(b, "<p class=\"error\" role=\"status\">%t</p>",
		     N_("Warning: on this date the council does not meet every sector quota."));
	kn_h(b, "<p class=\"muted\">%t</p>", N_("Quotas are compared with member seats; they are the quotas set now."));
	illu_note(r);
	if (is_secretary(r, c->id)) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Secretary"));
		staff_link(r, c->slug, "rotations/new", N_("Record a rotation"));
		staff_link(r, c->slug, "seats/new", N_("Add a seat"));
		staff_link(r, c->slug, "people/new", N_("Add a person"));
		staff_link(r, c->slug, "quotas", N_("Set sector quotas"));
		kn_h(b, "</ul>");
	}
	kn_view_end(r);
}

void kn_composition_summary(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c)
{
	bool last_day;
	const char *day = kn_composition_default_day(x, c, &last_day);
	struct kn_rotation *t;
	int nt;
	long members;
	if (kn_members_on(x, c->id, day, &members) || kn_rotation_heads(x, c->id, &t, &nt) || (!members && !nt))
		return;
	struct kn_buf *b = &r->out;
	kn_h(b, "<p><a href=\"/councils/%u/composition\">%D %s</a> (%s)", c->slug, (int64_t)members,
	     NG_("council member", "council members", members), day);
	if (c->seats)
		kn_h(b, " %t %D %t", N_("of"), (int64_t)c->seats, N_("member seats"));
	kn_h(b, ". <a href=\"/councils/%u/rotations\">%D %s</a>", c->slug, (int64_t)nt, NG_("rotation", "rotations", nt));
	for (int i = 0; i < nt; i++)
		kn_h(b, "%s<a href=\"/councils/%u/rotations/%D\">%s</a>", i ? ", " : ": ", c->slug, t[i].id, t[i].held_on);
	kn_h(b, ".</p>");
}

/* ---- seats -------------------------------------------------------------------- */

static int64_t path_id(struct kn_req *r, const char *name)
{
	return kn_parse_id(kn_req_param(r, name));
}

void kn_page_seat(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_seat *s;
	enum kn_err rc = kn_seat_get(&x, c->id, path_id(r, "id"), &s);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	section_head(r, c, N_("Seat"));
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>", N_("Person"));
	person_link(r, s->person_id, s->person_name, s->person_illustrative);
	kn_h(b, "</dd><dt>%t</dt><dd>%t</dd><dt>%t</dt><dd>%t</dd>", N_("Role"), kn_role_label(s->role), N_("Sector"),
	     kn_sector_label(s->sector));
	if (*s->region)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Region"), s->region);
	kn_h(b, "<dt>%t</dt><dd>%s", N_("Joined on"), s->joined_on);
	illu(r, s->illustrative);
	if (s->joined_rotation_id)
		kn_h(b, " (<a href=\"/councils/%u/rotations/%D\">%t %D</a>)", c->slug, s->joined_rotation_id, N_("rotation"),
		     (int64_t)s->joined_rotation_no);
	kn_h(b, "</dd>");
	if (s->left_on) {
		kn_h(b, "<dt>%t</dt><dd>%s", N_("Left on"), s->left_on);
		illu(r, s->illustrative);
		if (s->left_rotation_id)
			kn_h(b, " (<a href=\"/councils/%u/rotations/%D\">%t %D</a>)", c->slug, s->left_rotation_id,
			     N_("rotation"), (int64_t)s->left_rotation_no);
		kn_h(b, "</dd><dt>%t</dt><dd>%t", N_("Why"), kn_reason_label(s->left_reason));
		if (*s->left_body)
			kn_h(b, ": %s", s->left_body);
		kn_h(b, "</dd>");
		if (*s->left_note)
			kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Note"), s->left_note);
	}
	kn_h(b, "</dl>");
	if (!s->left_on && is_secretary(r, c->id))
		kn_h(b, "<p><a href=\"/councils/%u/seats/%D/end\">%t</a></p>", c->slug, s->id, N_("End this seat"));
	kn_view_history(r, &x, "seat", s->id);
	kn_view_end(r);
}

void kn_page_seat_new(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	const char *today = kn_council_today(&x, c);
	if (r->method == KN_POST) {
		struct kn_seat s = {.council_id = c->id,
		                    .role = kn_req_form(r, "role"), .sector = kn_req_form(r, "sector"),
		                    .region = kn_req_form(r, "region"), .joined_on = kn_req_form(r, "joined_on")};
		const char *newname = kn_req_form(r, "full_name");
		int64_t id = 0;
		enum kn_err rc = kn_person_pick(&x, c->id, KN_CHOICE_CAN_JOIN, "person_id", kn_req_form(r, "person_id"),
		                                &s.person_id);
		if (!rc)
			rc = kn_tx_begin(r, &x);
		if (!rc) {
			if (newname && *newname && s.person_id) {
				kn_ferr_add(&x, "full_name", "Choose an existing person or type a new name, not both.");
				rc = KN_EINVAL;
			} else if (newname && *newname) {
				struct kn_person_info p = {.full_name = newname};
				rc = kn_person_add(&x, c->id, &p, &s.person_id);
			}
			if (!rc)
				rc = kn_seat_add(&x, &s, &id);
			rc = kn_tx_end(&x, rc);
		}
		if (write_done(r, rc, kn_printf(r->a, "/councils/%s/seats/%lld", c->slug, (long long)id)))
			return;
	}
	section_head(r, c, N_("Add a seat"));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/seats/new", c->slug), false);
	person_field(r, x.errs, "person_id", N_("Person"), kn_view_people_datalist(r, c->id, KN_CHOICE_CAN_JOIN),
	             N_("Someone already in the registry: the name, words of it that only this person has, or the "
	                "person's number. Leave empty to add a new person below."));
	kn_form_input(r, x.errs, "full_name", N_("Or the full name of a new person"), form_or(r, "full_name", ""), NULL,
	              false, N_("People do not need an account to sit on a council."));
	kn_form_select(r, x.errs, "role", N_("Role"), form_or(r, "role", "member"),
	               enum_opts(r, kn_seat_roles, kn_role_label, NULL));
	kn_form_select(r, x.errs, "sector", N_("Sector"), form_or(r, "sector", ""),
	               enum_opts(r, kn_sectors, kn_sector_label, N_("(choose)")));
	kn_form_input(r, x.errs, "region", N_("Region"), form_or(r, "region", ""), NULL, false, NULL);
	kn_form_input(r, x.errs, "joined_on", N_("Joined on"), form_or(r, "joined_on", today), "date", true,
	              N_("YYYY-MM-DD"));
	kn_form_end(r, N_("Add the seat"));
	kn_view_end(r);
}

void kn_page_seat_end(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_seat *s;
	enum kn_err rc = kn_seat_get(&x, c->id, path_id(r, "id"), &s);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	if (r->method == KN_POST) {
		rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_seat_end(&x, c->id, s->id, kn_req_form(r, "left_on"), kn_req_form(r, "reason"),
			                               kn_req_form(r, "body"), kn_req_form(r, "note")));
		if (write_done(r, rc, kn_printf(r->a, "/councils/%s/seats/%lld", c->slug, (long long)s->id)))
			return;
	}
	section_head(r, c, N_("End a seat"));
	kn_h(&r->out, "<p>%s, %t, %t, %t %s</p>", s->person_name, kn_role_label(s->role), kn_sector_label(s->sector),
	     N_("since"), s->joined_on);
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/seats/%lld/end", c->slug, (long long)s->id), false);
	kn_form_input(r, x.errs, "left_on", N_("Left on"), form_or(r, "left_on", kn_council_today(&x, c)), "date",
	              true, N_("The first day the person no longer sits."));
	kn_form_select(r, x.errs, "reason", N_("Why"), form_or(r, "reason", ""),
	               enum_opts(r, kn_leave_reasons, kn_reason_label, N_("(choose)")));
	kn_form_input(r, x.errs, "body", N_("Elected to (body)"), form_or(r, "body", ""), NULL, false,
	              N_("Required when elected, e.g. Mazhilis of the Parliament, VII convocation."));
	kn_form_textarea(r, x.errs, "note", N_("Note"), form_or(r, "note", ""), NULL);
	kn_form_end(r, N_("End the seat"));
	kn_view_end(r);
}

/* ---- people --------------------------------------------------------------------- */

void kn_page_person(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_person_info *p;
	struct kn_seat *s;
	struct kn_career *cr;
	struct kn_group *g;
	struct kn_group_member *gm;
	int ns, nc, ng;
	enum kn_err rc = kn_person_get(&x, path_id(r, "id"), &p);
	if (!rc)
		rc = kn_seats_of_person(&x, p->id, &s, &ns);
	if (!rc)
		rc = kn_career_list(&x, p->id, &cr, &nc);
	if (!rc)
		rc = kn_groups_of_person(&x, p->id, &g, &gm, &ng);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	const char *name = kn_person_name(p, r->lang);
	kn_view_begin(r, name);
	kn_h(b, "<h1>%s</h1>", name);
	if (p->illustrative)
		kn_h(b, "<p class=\"illustrative\">%t</p>",
		     N_("Illustrative person: stands in for a member the source does not name."));
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd lang=\"en\">%s</dd>", N_("Name in English"), p->full_name);
	if (p->full_name_ru && *p->full_name_ru)
		kn_h(b, "<dt>%t</dt><dd lang=\"ru\">%s</dd>", N_("Name in Russian"), p->full_name_ru);
	if (p->full_name_kk && *p->full_name_kk)
		kn_h(b, "<dt>%t</dt><dd lang=\"kk\">%s</dd>", N_("Name in Kazakh"), p->full_name_kk);
	kn_h(b, "</dl>");
	if (*p->bio)
		kn_h(b, "<section>%M</section>", p->bio);
	kn_h(b, "<h2>%t</h2>", N_("Seats"));
	if (!ns)
		kn_h(b, "<p>%t</p>", N_("No seat on any council."));
	else
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
		     N_("Council"), N_("Role and sector"), N_("Joined on"), N_("Left on"), N_("Why"));
	for (int i = 0; i < ns; i++) {
		kn_h(b, "<tr><td><a href=\"/councils/%u\">%s</a></td><td><a href=\"/councils/%u/seats/%D\">%t, %t</a>",
		     s[i].council_slug, s[i].council_name, s[i].council_slug, s[i].id, kn_role_label(s[i].role),
		     kn_sector_label(s[i].sector));
		if (*s[i].region)
			kn_h(b, ", %s", s[i].region);
		kn_h(b, "</td><td>%s", s[i].joined_on);
		illu(r, s[i].illustrative);
		kn_h(b, "</td><td>%s", s[i].left_on ? s[i].left_on : "—");
		if (s[i].left_on)
			illu(r, s[i].illustrative);
		kn_h(b, "</td><td>%t", s[i].left_reason ? kn_reason_label(s[i].left_reason) : "");
		if (*s[i].left_body)
			kn_h(b, ": %s", s[i].left_body);
		kn_h(b, "</td></tr>");
	}
	if (ns)
		kn_h(b, "</tbody></table>");
	if (ng) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Working groups"));
		for (int i = 0; i < ng; i++) {
			kn_h(b, "<li><a href=\"/councils/%u/groups/%u\">%s</a> <span class=\"muted\">%s – %s</span>", gm[i].name,
			     g[i].slug, kn_group_name(&g[i], r->lang), gm[i].joined_on, gm[i].left_on ? gm[i].left_on : "");
			illu(r, gm[i].illustrative);
			kn_h(b, "</li>");
		}
		kn_h(b, "</ul>");
	}
	kn_h(b, "<h2>%t</h2>", N_("Later career"));
	if (!nc)
		kn_h(b, "<p>%t</p>", N_("Nothing recorded."));
	else
		kn_h(b, "<ul>");
	for (int i = 0; i < nc; i++) {
		kn_h(b, "<li><strong>%s</strong>", cr[i].position);
		if (*cr[i].body)
			kn_h(b, ", %s", cr[i].body);
		if (cr[i].started_on)
			kn_h(b, " <span class=\"muted\">%t %s</span>", N_("from"), cr[i].started_on);
		if (cr[i].ended_on)
			kn_h(b, " <span class=\"muted\">%t %s</span>", N_("to"), cr[i].ended_on);
		illu(r, cr[i].illustrative);
		kn_h(b, "</li>");
	}
	if (nc)
		kn_h(b, "</ul>");
	/* the secretary of a council this person sat on */
	bool shown = false;
	for (int i = 0; i < ns; i++) {
		bool dup = false;
		for (int k = 0; k < i; k++)
			dup = dup || s[k].council_id == s[i].council_id;
		if (dup || !is_secretary(r, s[i].council_id))
			continue;
		if (!shown)
			kn_h(b, "<h2>%t</h2><ul>", N_("Secretary"));
		shown = true;
		kn_h(b, "<li><a href=\"/councils/%u/people/%D/career\">%t</a> (%s)</li>", s[i].council_slug, p->id,
		     N_("Record a later career"), s[i].council_name);
		if (!p->user_id)
			kn_h(b, "<li><a href=\"/councils/%u/people/%D/account\">%t</a></li>", s[i].council_slug, p->id,
			     N_("Link to an account"));
	}
	if (shown)
		kn_h(b, "</ul>");
	int64_t *career_ids = kn_zalloc(x.a, sizeof(int64_t) * (size_t)(nc + 1));
	for (int i = 0; i < nc; i++)
		career_ids[i] = cr[i].id;
	kn_view_history_with(r, &x, "person", p->id, "career", career_ids, nc);
	kn_view_end(r);
}

void kn_page_person_new(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	if (r->method == KN_POST) {
		struct kn_person_info p = {.full_name = kn_req_form(r, "full_name"),
		                           .full_name_ru = kn_req_form(r, "full_name_ru"),
		                           .full_name_kk = kn_req_form(r, "full_name_kk"), .bio = kn_req_form(r, "bio")};
		int64_t id = 0;
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_person_add(&x, c->id, &p, &id));
		if (write_done(r, rc, kn_printf(r->a, "/people/%lld", (long long)id)))
			return;
	}
	section_head(r, c, N_("Add a person"));
	kn_h(&r->out, "<p>%t</p>", N_("A person may sit on a council without an account; link one later."));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/people/new", c->slug), false);
	kn_form_input(r, x.errs, "full_name", N_("Full name"), form_or(r, "full_name", ""), NULL, true, NULL);
	kn_form_input(r, x.errs, "full_name_ru", N_("Name in Russian"), form_or(r, "full_name_ru", ""), NULL, false, NULL);
	kn_form_input(r, x.errs, "full_name_kk", N_("Name in Kazakh"), form_or(r, "full_name_kk", ""), NULL, false, NULL);
	kn_form_textarea(r, x.errs, "bio", N_("Biography"), form_or(r, "bio", ""), N_("Markdown."));
	kn_form_end(r, N_("Add the person"));
	kn_view_end(r);
}

/* The person in {person}, who must have sat on the council. */
static struct kn_person_info *council_person(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c)
{
	struct kn_person_info *p;
	bool in = false;
	enum kn_err rc = kn_person_get(x, path_id(r, "person"), &p);
	if (!rc)
		rc = kn_person_in_council(x, c->id, p->id, &in);
	if (!rc && !in)
		rc = KN_ENOTFOUND;
	if (rc) {
		kn_fail_err(r, rc);
		return NULL;
	}
	return p;
}

void kn_page_career_new(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	struct kn_person_info *p = c ? council_person(r, &x, c) : NULL;
	if (!p)
		return;
	if (r->method == KN_POST) {
		struct kn_career k = {.person_id = p->id, .council_id = c->id, .position = kn_req_form(r, "position"),
		                      .body = kn_req_form(r, "body"), .started_on = kn_req_form(r, "started_on"),
		                      .ended_on = kn_req_form(r, "ended_on")};
		int64_t id;
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_career_add(&x, &k, &id));
		if (write_done(r, rc, kn_printf(r->a, "/people/%lld", (long long)p->id)))
			return;
	}
	section_head(r, c, N_("Record a later career"));
	kn_h(&r->out, "<p><a href=\"/people/%D\">%s</a></p>", p->id, p->full_name);
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/people/%lld/career", c->slug, (long long)p->id), false);
	kn_form_input(r, x.errs, "position", N_("Position"), form_or(r, "position", ""), NULL, true,
	              N_("E.g. Deputy of the Mazhilis."));
	kn_form_input(r, x.errs, "body", N_("Body"), form_or(r, "body", ""), NULL, false,
	              N_("E.g. Mazhilis of the Parliament, VII convocation."));
	kn_form_input(r, x.errs, "started_on", N_("From"), form_or(r, "started_on", ""), "date", false, N_("YYYY-MM-DD"));
	kn_form_input(r, x.errs, "ended_on", N_("To"), form_or(r, "ended_on", ""), "date", false, N_("YYYY-MM-DD"));
	kn_form_end(r, N_("Record"));
	kn_view_end(r);
}

void kn_page_person_account(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	struct kn_person_info *p = c ? council_person(r, &x, c) : NULL;
	if (!p)
		return;
	if (r->method == KN_POST) {
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_person_link_account(&x, c->id, p->id, kn_req_form(r, "login")));
		if (write_done(r, rc, kn_printf(r->a, "/people/%lld", (long long)p->id)))
			return;
	}
	section_head(r, c, N_("Link to an account"));
	kn_h(&r->out, "<p><a href=\"/people/%D\">%s</a></p>", p->id, p->full_name);
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/people/%lld/account", c->slug, (long long)p->id), false);
	kn_form_input(r, x.errs, "login", N_("Login of the person's account"), form_or(r, "login", ""), NULL, true,
	              N_("The person registers first; roles are granted by the operator."));
	kn_form_end(r, N_("Link"));
	kn_view_end(r);
}

/* ---- quotas ----------------------------------------------------------------------- */

void kn_page_quotas(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_quota q[KN_NSECTORS];
	enum kn_err rc = kn_quota_status(&x, c->id, NULL, q);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	if (r->method == KN_POST) {
		long min[KN_NSECTORS];
		bool bad[KN_NSECTORS];
		for (int i = 0; i < KN_NSECTORS; i++) {
			const char *v = kn_req_form(r, kn_printf(r->a, "quota_%s", kn_sectors[i]));
			bad[i] = false;
			min[i] = -1;
			if (v && *v) {
				min[i] = !strcmp(v, "0") ? 0 : (long)kn_parse_id(v);
				if (strcmp(v, "0") && !min[i])
					bad[i] = true;
			}
		}
		rc = kn_tx_begin(r, &x);
		if (!rc) {
			for (int i = 0; i < KN_NSECTORS; i++)
				if (bad[i])
					kn_ferr_add(&x, kn_printf(r->a, "quota_%s", kn_sectors[i]),
					            "Enter a whole number of seats, or leave it empty for no quota.");
			rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_quota_set(&x, c->id, min, false));
		}
		if (write_done(r, rc, kn_printf(r->a, "/councils/%s/composition", c->slug)))
			return;
	}
	section_head(r, c, N_("Sector quotas"));
	kn_h(&r->out, "<p>%t</p>",
	     N_("The least number of member seats each sector should hold. Leave a field empty for no quota. A "
	        "rotation that leaves a quota unmet is recorded with a warning."));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/quotas", c->slug), false);
	for (int i = 0; i < KN_NSECTORS; i++) {
		const char *name = kn_printf(r->a, "quota_%s", kn_sectors[i]);
		const char *cur = q[i].min_seats >= 0 ? kn_printf(r->a, "%ld", q[i].min_seats) : "";
		kn_form_input(r, x.errs, name, kn_sector_label(kn_sectors[i]), form_or(r, name, cur), "number", false, NULL);
	}
	kn_form_end(r, N_("Save the quotas"));
	kn_view_end(r);
}

/* ---- rotations ----------------------------------------------------------------------- */

static void seat_names(struct kn_req *r, const struct kn_seat *s, int n, bool left)
{
	if (!n) {
		kn_h(&r->out, "—");
		return;
	}
	kn_h(&r->out, "<ul>");
	for (int i = 0; i < n; i++) {
		kn_h(&r->out, "<li>");
		person_link(r, s[i].person_id, s[i].person_name, s[i].person_illustrative);
		if (left) {
			kn_h(&r->out, " <span class=\"muted\">(%t", kn_reason_label(s[i].left_reason));
			if (*s[i].left_body)
				kn_h(&r->out, ": %s", s[i].left_body);
			kn_h(&r->out, ")</span>");
		} else {
			kn_h(&r->out, " <span class=\"muted\">(%t, %t)</span>", kn_role_label(s[i].role),
			     kn_sector_label(s[i].sector));
		}
		kn_h(&r->out, "</li>");
	}
	kn_h(&r->out, "</ul>");
}

void kn_page_rotations(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_rotation *t;
	int n;
	enum kn_err rc = kn_rotation_list(&x, c->id, &t, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	section_head(r, c, N_("Rotations"));
	kn_h(b, "<p><strong>%D</strong> %s", (int64_t)n, NG_("rotation", "rotations", n));
	if (n)
		kn_h(b, ": %s – %s", t[0].held_on, t[n - 1].held_on);
	kn_h(b, "</p>");
	if (is_secretary(r, c->id))
		kn_h(b, "<p><a href=\"/councils/%u/rotations/new\">%t</a></p>", c->slug, N_("Record a rotation"));
	if (n)
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("Rotation"),
		     N_("Held on"), N_("Left"), N_("Joined"));
	bool any_illu = false;
	for (int i = 0; i < n; i++) {
		kn_h(b, "<tr><td><a href=\"/councils/%u/rotations/%D\">%D</a></td><td>%s", c->slug, t[i].id,
		     (int64_t)t[i].number, t[i].held_on);
		illu(r, t[i].illustrative);
		any_illu = any_illu || t[i].illustrative;
		kn_h(b, "</td><td>");
		seat_names(r, t[i].left, t[i].nleft, true);
		kn_h(b, "</td><td>");
		seat_names(r, t[i].joined, t[i].njoined, false);
		kn_h(b, "</td></tr>");
	}
	if (n)
		kn_h(b, "</tbody></table>");
	if (any_illu)
		illu_note(r);
	kn_view_end(r);
}

void kn_page_rotation(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_rotation *t;
	struct kn_quota q[KN_NSECTORS];
	enum kn_err rc = kn_rotation_get(&x, c->id, path_id(r, "id"), &t);
	if (!rc)
		rc = kn_quota_status(&x, c->id, t->held_on, q);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	section_head(r, c, N_("Rotation"));
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%s", N_("Number"), (int64_t)t->number,
	     N_("Held on"), t->held_on);
	illu(r, t->illustrative);
	kn_h(b, "</dd>");
	if (*t->basis)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Basis"), t->basis);
	kn_h(b, "</dl><h2>%t (%D)</h2>", N_("Left"), (int64_t)t->nleft);
	seat_names(r, t->left, t->nleft, true);
	kn_h(b, "<h2>%t (%D)</h2>", N_("Joined"), (int64_t)t->njoined);
	seat_names(r, t->joined, t->njoined, false);
	if (kn_quota_gaps(q)) {
		kn_h(b, "<p class=\"error\" role=\"status\">%t</p><ul>",
		     N_("Warning: after this rotation these sector quotas are not met:"));
		for (int k = 0; k < KN_NSECTORS; k++)
			if (q[k].min_seats > 0 && q[k].have < q[k].min_seats)
				kn_h(b, "<li>%t: %D / %D</li>", kn_sector_label(q[k].sector), (int64_t)q[k].have,
				     (int64_t)q[k].min_seats);
		kn_h(b, "</ul>");
	}
	kn_h(b, "<p><a href=\"/councils/%u/composition?on=%u\">%t</a></p>", c->slug, t->held_on,
	     N_("The composition after this rotation"));
	if (t->illustrative)
		illu_note(r);
	kn_view_history(r, &x, "rotation", t->id);
	kn_view_end(r);
}

/* Maps "prefix.K.rest" (the K-th row given to the domain) back to the
 * form's own names: to[K-1] + rest. */
static void remap_rows(struct kn_req *r, struct kn_ferr *e, const char *prefix, const char *const *to, int n)
{
	size_t pl = strlen(prefix);
	for (; e; e = e->next) {
		if (!e->field || strncmp(e->field, prefix, pl) || e->field[pl] != '.')
			continue;
		char *end;
		long k = strtol(e->field + pl + 1, &end, 10);
		if (k >= 1 && k <= n && *end == '.')
			e->field = kn_printf(r->a, "%s%s", to[k - 1], end);
	}
}

static int rows_wanted(struct kn_req *r)
{
	const char *v = r->method == KN_POST ? kn_req_form(r, "rows") : kn_req_arg(r, "rows");
	long n = v ? (long)kn_parse_id(v) : 0;
	return n < 1 ? 4 : n > MAX_ROWS ? MAX_ROWS : (int)n;
}

static const char *rowf(struct kn_req *r, const char *side, int i, const char *field)
{
	return kn_printf(r->a, "%s.%d.%s", side, i, field);
}

/* The errors of fields starting with prefix, as paragraphs (the first one
 * carries id="e-<field>" of the row's reason). */
static void row_errors(struct kn_req *r, const struct kn_ferr *e, const char *prefix)
{
	size_t pl = strlen(prefix);
	for (; e; e = e->next)
		if (e->field && !strncmp(e->field, prefix, pl))
			kn_h(&r->out, "<p class=\"field-error\" id=\"e-%s\">%t</p>", e->field, e->msg);
}

void kn_page_rotation_new(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	int rows = rows_wanted(r);
	if (r->method == KN_POST) {
		struct kn_rotation t = {.council_id = c->id, .held_on = kn_req_form(r, "held_on"),
		                        .basis = kn_req_form(r, "basis")};
		/* leaving: every seat row of the form with a reason or a body */
		int nf = 0;
		for (struct kn_kv *f = r->form; f; f = f->next)
			nf++;
		struct kn_rotation_leave *l = kn_zalloc(r->a, sizeof(*l) * (size_t)(nf + 1));
		const char **lname = kn_zalloc(r->a, sizeof(char *) * (size_t)(nf + 1));
		int nl = 0;
		for (struct kn_kv *f = r->form; f; f = f->next) {
			size_t kl = strlen(f->k), sl;
			if (strncmp(f->k, "leave.", 6))
				continue;
			if (kl > 13 && !strcmp(f->k + kl - 7, ".reason"))
				sl = kl - 7;
			else if (kl > 11 && !strcmp(f->k + kl - 5, ".body"))
				sl = kl - 5;
			else
				continue;
			const char *stem = kn_strndup(r->a, f->k, sl); /* "leave.<seat id>" */
			bool seen = false;
			for (int k = 0; k < nl && !seen; k++)
				seen = !strcmp(lname[k], stem);
			const char *reason = kn_req_form(r, kn_printf(r->a, "%s.reason", stem));
			const char *body = kn_req_form(r, kn_printf(r->a, "%s.body", stem));
			if (seen || (!(reason && *reason) && !(body && *body)))
				continue;
			l[nl] = (struct kn_rotation_leave){kn_parse_id(stem + 6), reason, body, NULL};
			lname[nl++] = stem;
		}
		struct kn_rotation_join *j = kn_zalloc(r->a, sizeof(*j) * MAX_ROWS);
		const char **jname = kn_zalloc(r->a, sizeof(char *) * MAX_ROWS);
		int nj = 0;
		enum kn_err picked = KN_OK;
		for (int i = 1; i <= rows; i++) {
			const char *pid = kn_req_form(r, rowf(r, "joining", i, "person_id"));
			const char *name = kn_req_form(r, rowf(r, "joining", i, "name"));
			const char *sector = kn_req_form(r, rowf(r, "joining", i, "sector"));
			const char *region = kn_req_form(r, rowf(r, "joining", i, "region"));
			if ((pid && *pid) || (name && *name) || (sector && *sector) || (region && *region)) {
				int64_t person = 0;
				/* named as the domain's rows are, remapped below */
				enum kn_err prc = kn_person_pick(&x, c->id, KN_CHOICE_CAN_JOIN,
				                                 kn_printf(r->a, "joining.%d.person_id", nj + 1), pid, &person);
				if (prc && prc != KN_EINVAL)
					picked = prc;
				j[nj] = (struct kn_rotation_join){person, name, kn_req_form(r, rowf(r, "joining", i, "role")), sector,
				                                  region};
				jname[nj++] = kn_printf(r->a, "joining.%d", i);
			}
		}
		int64_t id = 0;
		/* a person not found leaves the rotation unwritten, whatever else it holds */
		enum kn_err rc = picked ? picked : x.errs ? KN_EINVAL : kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_rotation_record(&x, &t, l, nl, j, nj, &id));
		remap_rows(r, x.errs, "leaving", lname, nl);
		remap_rows(r, x.errs, "joining", jname, nj);
		if (write_done(r, rc, kn_printf(r->a, "/councils/%s/rotations/%lld", c->slug, (long long)id)))
			return;
	}
	struct kn_buf *b = &r->out;
	section_head(r, c, N_("Record a rotation"));
	kn_h(b, "<p>%t</p>",
	     N_("Everyone leaving and everyone joining, in one go: the rotation is saved whole or not at all. Empty "
	        "joining rows are ignored."));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/rotations/new", c->slug), false);
	kn_h(b, "<input type=\"hidden\" name=\"rows\" value=\"%d\">", rows);
	kn_form_input(r, x.errs, "held_on", N_("Held on"), form_or(r, "held_on", kn_council_today(&x, c)), "date",
	              true, N_("YYYY-MM-DD. Leaving seats end on this day; joining seats start on it."));
	kn_form_textarea(r, x.errs, "basis", N_("Basis"), form_or(r, "basis", ""), N_("E.g. the decree or decision."));
	/* leaving: one row per open seat */
	struct kn_seat *s;
	int ns = 0;
	if (kn_seats_open(&x, c->id, &s, &ns))
		ns = 0;
	kn_h(b, "<h2>%t</h2>", N_("Leaving"));
	const char **reasons = enum_opts(r, kn_leave_reasons, kn_reason_label, N_("(stays)"));
	if (!ns)
		kn_h(b, "<p>%t</p>", N_("Nobody holds a seat now."));
	else
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("Seat"), N_("Leaves?"),
		     N_("Elected to (body)"));
	for (int i = 0; i < ns; i++) {
		const char *stem = kn_printf(r->a, "leave.%lld", (long long)s[i].id);
		const char *rf = kn_printf(r->a, "%s.reason", stem), *bf = kn_printf(r->a, "%s.body", stem);
		const char *rv = form_or(r, rf, "");
		kn_h(b, "<tr><td><label for=\"f-%s\">%s</label> <span class=\"muted\">(%t, %t)</span></td><td>", rf,
		     s[i].person_name, kn_role_label(s[i].role), kn_sector_label(s[i].sector));
		row_errors(r, x.errs, kn_printf(r->a, "%s.", stem));
		kn_h(b, "<select id=\"f-%s\" name=\"%s\">", rf, rf);
		for (int k = 0; reasons[k]; k += 2)
			kn_h(b, "<option value=\"%s\"%s>%t</option>", reasons[k], !strcmp(rv, reasons[k]) ? " selected" : "",
			     reasons[k + 1]);
		kn_h(b, "</select></td><td><input id=\"f-%s\" name=\"%s\" value=\"%s\" aria-label=\"%t\"></td></tr>", bf, bf,
		     form_or(r, bf, ""), N_("Elected to (body)"));
	}
	if (ns)
		kn_h(b, "</tbody></table>");
	const char *people = kn_view_people_datalist(r, c->id, KN_CHOICE_CAN_JOIN);
	const char **roles = enum_opts(r, kn_seat_roles, kn_role_label, NULL);
	const char **sectors = enum_opts(r, kn_sectors, kn_sector_label, N_("(choose)"));
	kn_h(b, "<h2>%t</h2>", N_("Joining"));
	if (rows < MAX_ROWS)
		kn_h(b, "<p><a href=\"/councils/%u/rotations/new?rows=%d\">%t</a></p>", c->slug,
		     rows + 4 > MAX_ROWS ? MAX_ROWS : rows + 4, N_("More rows for people joining"));
	for (int i = 1; i <= rows; i++) {
		kn_h(b, "<fieldset><legend>%t %d</legend>", N_("Joining"), i);
		const char *f = rowf(r, "joining", i, "person_id");
		person_field(r, x.errs, f, N_("Person"), people, NULL);
		f = rowf(r, "joining", i, "name");
		kn_form_input(r, x.errs, f, N_("Or the full name of a new person"), form_or(r, f, ""), NULL, false, NULL);
		f = rowf(r, "joining", i, "role");
		kn_form_select(r, x.errs, f, N_("Role"), form_or(r, f, "member"), roles);
		f = rowf(r, "joining", i, "sector");
		kn_form_select(r, x.errs, f, N_("Sector"), form_or(r, f, ""), sectors);
		f = rowf(r, "joining", i, "region");
		kn_form_input(r, x.errs, f, N_("Region"), form_or(r, f, ""), NULL, false, NULL);
		kn_h(b, "</fieldset>");
	}
	kn_form_end(r, N_("Record the rotation"));
	kn_view_end(r);
}

/* ---- working groups -------------------------------------------------------------------- */

static void group_badges(struct kn_req *r, const struct kn_group *g)
{
	if (g->closed_on)
		kn_h(&r->out, " <span class=\"badge\">%t %s</span>",
		     !strcmp(g->closed_reason, "split")    ? N_("split on")
		     : !strcmp(g->closed_reason, "merged") ? N_("merged on")
		                                           : N_("closed on"),
		     g->closed_on);
}

static void lineage_tree(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, const struct kn_group *g,
                         int ng, int64_t id, int depth)
{
	struct kn_group_link *par, *kids;
	int np, nk;
	if (depth > 8 || kn_group_lineage(x, id, &par, &np, &kids, &nk) || !nk)
		return;
	kn_h(&r->out, "<ul class=\"tree\">");
	for (int i = 0; i < nk; i++) {
		kn_h(&r->out, "<li><a href=\"/councils/%u/groups/%u\">%s</a> <span class=\"muted\">(%t %s)</span>", c->slug,
		     kids[i].slug, link_name(&kids[i], r->lang), !strcmp(kids[i].kind, "split") ? N_("split") : N_("merge"),
		     kids[i].happened_on);
		lineage_tree(r, x, c, g, ng, kids[i].group_id, depth + 1);
		kn_h(&r->out, "</li>");
	}
	kn_h(&r->out, "</ul>");
}

void kn_page_groups(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_group *g;
	int n;
	enum kn_err rc = kn_group_list(&x, c->id, &g, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	section_head(r, c, N_("Working groups"));
	if (is_secretary(r, c->id)) {
		kn_h(b, "<ul>");
		staff_link(r, c->slug, "groups/new", N_("Create a working group"));
		staff_link(r, c->slug, "groups/merge", N_("Merge groups"));
		kn_h(b, "</ul>");
	}
	bool any_illu = false;
	for (int pass = 0; pass < 2; pass++) {
		bool open = false;
		for (int i = 0; i < n; i++) {
			if ((pass == 0) != (g[i].closed_on == NULL))
				continue;
			if (!open)
				kn_h(b, "<h2>%t</h2><ul>", pass == 0 ? N_("Working now") : N_("Closed"));
			open = true;
			struct kn_group_member *m;
			int nm = 0;
			if (kn_group_members(&x, g[i].id, g[i].closed_on ? NULL : kn_council_today(&x, c), &m, &nm))
				nm = 0;
			kn_h(b, "<li><a href=\"/councils/%u/groups/%u\">%s</a> <span class=\"muted\">%t</span>", c->slug,
			     g[i].slug, kn_group_name(&g[i], r->lang), kn_theme_label(g[i].theme));
			group_badges(r, &g[i]);
			if (!g[i].closed_on)
				kn_h(b, " · %t: %D", N_("members"), (int64_t)nm);
			if (g[i].leader_name)
				kn_h(b, " · %t: %s", N_("leader"), g[i].leader_name);
			kn_h(b, " · %t %s", N_("since"), g[i].created_on);
			illu(r, g[i].illustrative);
			any_illu = any_illu || g[i].illustrative;
			kn_h(b, "</li>");
		}
		if (open)
			kn_h(b, "</ul>");
	}
	if (!n)
		kn_h(b, "<p>%t</p>", N_("No working groups yet."));
	/* lineage: from each group with no parent, what it became */
	bool head = false;
	for (int i = 0; i < n; i++) {
		struct kn_group_link *par, *kids;
		int np, nk;
		if (kn_group_lineage(&x, g[i].id, &par, &np, &kids, &nk) || np || !nk)
			continue;
		if (!head)
			kn_h(b, "<h2>%t</h2><ul class=\"tree\">", N_("Lineage"));
		head = true;
		kn_h(b, "<li><a href=\"/councils/%u/groups/%u\">%s</a>", c->slug, g[i].slug, kn_group_name(&g[i], r->lang));
		lineage_tree(r, &x, c, g, n, g[i].id, 0);
		kn_h(b, "</li>");
	}
	if (head)
		kn_h(b, "</ul>");
	if (any_illu)
		illu_note(r);
	kn_view_end(r);
}

static struct kn_group *load_group(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c)
{
	struct kn_group *g;
	enum kn_err rc = kn_group_get(x, c->id, kn_req_param(r, "group"), &g);
	if (rc) {
		kn_fail_err(r, rc);
		return NULL;
	}
	return g;
}

void kn_page_group(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	struct kn_group *g = c ? load_group(r, &x, c) : NULL;
	if (!g)
		return;
	struct kn_group_member *m;
	struct kn_group_link *par, *kids;
	int nm, np, nk;
	enum kn_err rc = kn_group_members(&x, g->id, NULL, &m, &nm);
	if (!rc)
		rc = kn_group_lineage(&x, g->id, &par, &np, &kids, &nk);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	const char *name = kn_group_name(g, r->lang);
	kn_view_begin(r, name);
	kn_h(b, "<p class=\"muted\"><a href=\"/councils/%u\">%s</a> · <a href=\"/councils/%u/groups\">%t</a></p><h1>%s</h1>",
	     c->slug, kn_council_name(c, r->lang), c->slug, N_("Working groups"), name);
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>%t</dd><dt>%t</dt><dd>%s", N_("Theme"), kn_theme_label(g->theme),
	     N_("Created on"), g->created_on);
	illu(r, g->illustrative);
	kn_h(b, "</dd>");
	if (g->closed_on) {
		kn_h(b, "<dt>%t</dt><dd>%s (%t)", N_("Closed on"), g->closed_on,
		     !strcmp(g->closed_reason, "split")    ? N_("split")
		     : !strcmp(g->closed_reason, "merged") ? N_("merged")
		                                           : N_("dissolved"));
		illu(r, g->illustrative);
		kn_h(b, "</dd>");
	}
	kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Leader"), g->leader_name ? g->leader_name : "—");
	if (np) {
		kn_h(b, "<dt>%t</dt><dd>", N_("Came from"));
		for (int i = 0; i < np; i++)
			kn_h(b, "%s<a href=\"/councils/%u/groups/%u\">%s</a> (%t %s)", i ? ", " : "", c->slug, par[i].slug,
			     link_name(&par[i], r->lang), !strcmp(par[i].kind, "split") ? N_("split") : N_("merge"), par[i].happened_on);
		kn_h(b, "</dd>");
	}
	if (nk) {
		kn_h(b, "<dt>%t</dt><dd>", N_("Became"));
		for (int i = 0; i < nk; i++)
			kn_h(b, "%s<a href=\"/councils/%u/groups/%u\">%s</a>", i ? ", " : "", c->slug, kids[i].slug,
			     link_name(&kids[i], r->lang));
		kn_h(b, "</dd>");
	}
	kn_h(b, "</dl><h2>%t</h2>", N_("Members"));
	if (!nm)
		kn_h(b, "<p>%t</p>", N_("No members recorded."));
	else
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("Member"),
		     N_("Joined on"), N_("Left on"));
	for (int i = 0; i < nm; i++) {
		kn_h(b, "<tr><td>");
		person_link(r, m[i].person_id, m[i].name, false);
		if (m[i].person_id == g->leader_person_id)
			kn_h(b, " <span class=\"badge\">%t</span>", N_("leader"));
		kn_h(b, "</td><td>%s", m[i].joined_on);
		illu(r, m[i].illustrative);
		kn_h(b, "</td><td>%s</td></tr>", m[i].left_on ? m[i].left_on : "—");
	}
	if (nm)
		kn_h(b, "</tbody></table>");
	if (g->illustrative)
		illu_note(r);
	if (!g->closed_on && is_secretary(r, c->id)) {
		const char *base = kn_printf(r->a, "groups/%s/", g->slug);
		kn_h(b, "<h2>%t</h2><ul>", N_("Secretary"));
		staff_link(r, c->slug, kn_printf(r->a, "%smembers/add", base), N_("Add a member"));
		staff_link(r, c->slug, kn_printf(r->a, "%smembers/remove", base), N_("Remove a member"));
		staff_link(r, c->slug, kn_printf(r->a, "%sleader", base), N_("Set the leader"));
		staff_link(r, c->slug, kn_printf(r->a, "%ssplit", base), N_("Split this group"));
		staff_link(r, c->slug, kn_printf(r->a, "%sclose", base), N_("Close this group"));
		kn_h(b, "</ul>");
	}
	kn_view_history(r, &x, "group", g->id);
	kn_view_end(r);
}

static const char **theme_opts(struct kn_req *r)
{
	return enum_opts(r, kn_group_themes, kn_theme_label, NULL);
}

/* The fields of a new group, named prefix + field. */
static void group_fields(struct kn_req *r, struct kn_ctx *x, const char *prefix, const char **leaders)
{
	const char *f = kn_printf(r->a, "%sslug", prefix);
	kn_form_input(r, x->errs, f, N_("Short name (in addresses)"), form_or(r, f, ""), NULL, true,
	              N_("Lowercase Latin letters, digits and hyphens, e.g. social."));
	f = kn_printf(r->a, "%sname_en", prefix);
	kn_form_input(r, x->errs, f, N_("Name in English"), form_or(r, f, ""), NULL, true, NULL);
	f = kn_printf(r->a, "%sname_ru", prefix);
	kn_form_input(r, x->errs, f, N_("Name in Russian"), form_or(r, f, ""), NULL, false, NULL);
	f = kn_printf(r->a, "%sname_kk", prefix);
	kn_form_input(r, x->errs, f, N_("Name in Kazakh"), form_or(r, f, ""), NULL, false, NULL);
	f = kn_printf(r->a, "%stheme", prefix);
	kn_form_select(r, x->errs, f, N_("Theme"), form_or(r, f, "other"), theme_opts(r));
	if (leaders) {
		f = kn_printf(r->a, "%sleader_person_id", prefix);
		kn_form_select(r, x->errs, f, N_("Leader"), form_or(r, f, ""), leaders);
	}
}

static void group_from_form(struct kn_req *r, const char *prefix, struct kn_group *g)
{
	g->slug = kn_req_form(r, kn_printf(r->a, "%sslug", prefix));
	g->name_en = kn_req_form(r, kn_printf(r->a, "%sname_en", prefix));
	g->name_ru = kn_req_form(r, kn_printf(r->a, "%sname_ru", prefix));
	g->name_kk = kn_req_form(r, kn_printf(r->a, "%sname_kk", prefix));
	g->theme = kn_req_form(r, kn_printf(r->a, "%stheme", prefix));
	g->created_on = kn_req_form(r, kn_printf(r->a, "%screated_on", prefix));
	g->leader_person_id = kn_parse_id(kn_req_form(r, kn_printf(r->a, "%sleader_person_id", prefix)));
}

void kn_page_group_new(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_group g = {.council_id = c->id};
	if (r->method == KN_POST) {
		group_from_form(r, "", &g);
		int64_t id;
		enum kn_err rc = kn_person_pick(&x, c->id, KN_CHOICE_SAT, "leader_person_id",
		                                kn_req_form(r, "leader_person_id"), &g.leader_person_id);
		if (!rc)
			rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_group_create(&x, &g, &id));
		if (write_done(r, rc, kn_printf(r->a, "/councils/%s/groups/%s", c->slug, g.slug)))
			return;
	}
	section_head(r, c, N_("Create a working group"));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/groups/new", c->slug), false);
	group_fields(r, &x, "", NULL);
	kn_form_input(r, x.errs, "created_on", N_("Created on"), form_or(r, "created_on", kn_council_today(&x, c)),
	              "date", true, N_("YYYY-MM-DD"));
	person_field(r, x.errs, "leader_person_id", N_("Leader"), kn_view_people_datalist(r, c->id, KN_CHOICE_SAT),
	             N_("Someone who sits or sat on the council: the name, words of it that only this person has, or the "
	                "person's number. Empty: none yet."));
	kn_form_end(r, N_("Create the group"));
	kn_view_end(r);
}

/* Member add / remove, leader, close: one small form each. */
enum group_action { GA_ADD, GA_REMOVE, GA_LEADER, GA_CLOSE };

static void group_action(struct kn_req *r, enum group_action act)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	struct kn_group *g = c ? load_group(r, &x, c) : NULL;
	if (!g)
		return;
	static const char *const paths[] = {"members/add", "members/remove", "leader", "close"};
	static const char *const titles[] = {N_("Add a member"), N_("Remove a member"), N_("Set the leader"),
	                                     N_("Close this group")};
	const char *today = kn_council_today(&x, c);
	if (r->method == KN_POST) {
		int64_t pid = kn_parse_id(kn_req_form(r, act == GA_LEADER ? "leader_person_id" : "person_id"));
		enum kn_err rc = KN_OK;
		if (act == GA_ADD) /* anyone who sat on the council, by name; the others choose a member */
			rc = kn_person_pick(&x, c->id, KN_CHOICE_SAT, "person_id", kn_req_form(r, "person_id"), &pid);
		if (!rc)
			rc = kn_tx_begin(r, &x);
		if (!rc) {
			switch (act) {
			case GA_ADD: rc = kn_group_member_add(&x, c->id, g->id, pid, kn_req_form(r, "joined_on"), false); break;
			case GA_REMOVE: rc = kn_group_member_remove(&x, c->id, g->id, pid, kn_req_form(r, "left_on")); break;
			case GA_LEADER: rc = kn_group_set_leader(&x, c->id, g->id, pid); break;
			case GA_CLOSE: rc = kn_group_close(&x, c->id, g->id, kn_req_form(r, "closed_on")); break;
			}
			rc = kn_tx_end(&x, rc);
		}
		if (write_done(r, rc, kn_printf(r->a, "/councils/%s/groups/%s", c->slug, g->slug)))
			return;
	}
	section_head(r, c, titles[act]);
	kn_h(&r->out, "<p><a href=\"/councils/%u/groups/%u\">%s</a></p>", c->slug, g->slug, kn_group_name(g, r->lang));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/groups/%s/%s", c->slug, g->slug, paths[act]), false);
	struct kn_group_member *m;
	int nm = 0;
	if (act != GA_ADD && act != GA_CLOSE && kn_group_members(&x, g->id, NULL, &m, &nm))
		nm = 0;
	/* open memberships only */
	int k = 0;
	for (int i = 0; i < nm; i++)
		if (!m[i].left_on)
			m[k++] = m[i];
	nm = k;
	switch (act) {
	case GA_ADD:
		person_field(r, x.errs, "person_id", N_("Person"), kn_view_people_datalist(r, c->id, KN_CHOICE_SAT),
		             N_("Someone who sits or sat on the council: the name, words of it that only this person has, or "
		                "the person's number."));
		kn_form_input(r, x.errs, "joined_on", N_("Joined on"), form_or(r, "joined_on", today), "date", true,
		              N_("YYYY-MM-DD"));
		break;
	case GA_REMOVE:
		kn_form_select(r, x.errs, "person_id", N_("Member"), form_or(r, "person_id", ""),
		               member_opts(r, m, nm, N_("(choose)")));
		kn_form_input(r, x.errs, "left_on", N_("Left on"), form_or(r, "left_on", today), "date", true,
		              N_("YYYY-MM-DD"));
		break;
	case GA_LEADER:
		kn_form_select(r, x.errs, "leader_person_id", N_("Leader"),
		               form_or(r, "leader_person_id", g->leader_person_id ? ids(r, g->leader_person_id) : ""),
		               member_opts(r, m, nm, N_("(no leader)")));
		break;
	case GA_CLOSE:
		kn_h(&r->out, "<p>%t</p>", N_("A closed group stays visible with its history; its members leave it."));
		kn_form_input(r, x.errs, "closed_on", N_("Closed on"), form_or(r, "closed_on", today), "date", true,
		              N_("YYYY-MM-DD"));
		break;
	}
	kn_form_end(r, titles[act]);
	kn_view_end(r);
}

void kn_page_group_member_add(struct kn_req *r)
{
	group_action(r, GA_ADD);
}
void kn_page_group_member_remove(struct kn_req *r)
{
	group_action(r, GA_REMOVE);
}
void kn_page_group_leader(struct kn_req *r)
{
	group_action(r, GA_LEADER);
}
void kn_page_group_close(struct kn_req *r)
{
	group_action(r, GA_CLOSE);
}

void kn_page_group_split(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	struct kn_group *g = c ? load_group(r, &x, c) : NULL;
	if (!g)
		return;
	const char *v = r->method == KN_POST ? kn_req_form(r, "parts") : kn_req_arg(r, "parts");
	int nparts = v ? (int)kn_parse_id(v) : 2;
	if (nparts < 2)
		nparts = 2;
	if (nparts > MAX_PARTS)
		nparts = MAX_PARTS;
	const char *today = kn_council_today(&x, c);
	struct kn_group_member *m;
	int nm = 0;
	if (kn_group_members(&x, g->id, today, &m, &nm))
		nm = 0;
	if (r->method == KN_POST) {
		struct kn_group parts[MAX_PARTS];
		memset(parts, 0, sizeof(parts));
		for (int i = 0; i < nparts; i++)
			group_from_form(r, kn_printf(r->a, "part.%d.", i + 1), &parts[i]);
		/* members: as listed in the form ("member.<person id>" = part number) */
		int k = 0;
		for (struct kn_kv *f = r->form; f; f = f->next)
			if (!strncmp(f->k, "member.", 7))
				k++;
		int64_t *mid = kn_zalloc(r->a, sizeof(*mid) * (size_t)(k + 1));
		int *mpart = kn_zalloc(r->a, sizeof(*mpart) * (size_t)(k + 1));
		int n = 0;
		for (struct kn_kv *f = r->form; f && n < k; f = f->next) {
			if (strncmp(f->k, "member.", 7))
				continue;
			mid[n] = kn_parse_id(f->k + 7);
			mpart[n] = f->v && *f->v ? (int)kn_parse_id(f->v) - 1 : -1;
			if (f->v && *f->v && !kn_parse_id(f->v))
				mpart[n] = -2;
			n++;
		}
		int64_t ids_out[MAX_PARTS];
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_group_split(&x, c->id, g->id, kn_req_form(r, "on"), parts, nparts, mid, mpart, n,
			                                  ids_out));
		if (write_done(r, rc, kn_printf(r->a, "/councils/%s/groups/%s", c->slug, g->slug)))
			return;
		if (kn_group_members(&x, g->id, today, &m, &nm))
			nm = 0;
	}
	struct kn_buf *b = &r->out;
	section_head(r, c, N_("Split this group"));
	kn_h(b, "<p><a href=\"/councils/%u/groups/%u\">%s</a></p><p>%t</p>", c->slug, g->slug, kn_group_name(g, r->lang),
	     N_("The group closes and the new groups take its place; choose where each member goes. The lineage is "
	        "kept."));
	if (nparts < MAX_PARTS)
		kn_h(b, "<p><a href=\"/councils/%u/groups/%u/split?parts=%d\">%t</a></p>", c->slug, g->slug, nparts + 1,
		     N_("One more new group"));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/groups/%s/split", c->slug, g->slug), false);
	kn_h(b, "<input type=\"hidden\" name=\"parts\" value=\"%d\">", nparts);
	kn_form_input(r, x.errs, "on", N_("Split on"), form_or(r, "on", today), "date", true, N_("YYYY-MM-DD"));
	const char **dest = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * nparts + 3));
	dest[0] = "";
	dest[1] = N_("(leaves the groups)");
	for (int i = 0; i < nparts; i++) {
		kn_h(b, "<fieldset><legend>%t %d</legend>", N_("New group"), i + 1);
		group_fields(r, &x, kn_printf(r->a, "part.%d.", i + 1), member_opts(r, m, nm, N_("(no leader)")));
		kn_h(b, "</fieldset>");
		dest[2 + 2 * i] = kn_printf(r->a, "%d", i + 1);
		const char *sl = kn_req_form(r, kn_printf(r->a, "part.%d.slug", i + 1));
		dest[3 + 2 * i] = sl && *sl && r->method == KN_POST ? kn_printf(r->a, "%s %d (%s)", _("New group"), i + 1, sl)
		                                                    : kn_printf(r->a, "%s %d", _("New group"), i + 1);
	}
	if (nm) {
		kn_h(b, "<fieldset><legend>%t</legend>", N_("Where each member goes"));
		for (int i = 0; i < nm; i++) {
			const char *f = kn_printf(r->a, "member.%lld", (long long)m[i].person_id);
			kn_form_select(r, x.errs, f, m[i].name, form_or(r, f, "1"), dest);
		}
		kn_h(b, "</fieldset>");
	}
	kn_form_end(r, N_("Split the group"));
	kn_view_end(r);
}

void kn_page_group_merge(struct kn_req *r)
{
	struct kn_ctx x;
	struct kn_council *c = load_council(r, &x);
	if (!c)
		return;
	struct kn_group *g;
	int n;
	enum kn_err rc = kn_group_list(&x, c->id, &g, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_group into = {.council_id = c->id};
	if (r->method == KN_POST) {
		group_from_form(r, "", &into);
		int64_t *gids = kn_zalloc(r->a, sizeof(*gids) * (size_t)(n + 1));
		int ng = 0;
		bool bad = false;
		for (struct kn_kv *f = r->form; f; f = f->next) {
			if (strcmp(f->k, "groups"))
				continue;
			if (ng < n)
				gids[ng++] = kn_parse_id(f->v);
			else
				bad = true;
		}
		int64_t id;
		rc = kn_tx_begin(r, &x);
		if (!rc) {
			if (bad)
				kn_ferr_add(&x, "groups", "A group is listed twice.");
			rc = kn_tx_end(&x, bad ? KN_EINVAL : kn_group_merge(&x, c->id, gids, ng, &into, &id));
		}
		if (write_done(r, rc, kn_printf(r->a, "/councils/%s/groups/%s", c->slug, into.slug)))
			return;
	}
	struct kn_buf *b = &r->out;
	section_head(r, c, N_("Merge groups"));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/groups/merge", c->slug), false);
	kn_h(b, "<fieldset id=\"f-groups\"><legend>%t</legend>", N_("Groups to merge (at least two)"));
	for (const struct kn_ferr *e = x.errs; e; e = e->next)
		if (e->field && !strcmp(e->field, "groups")) {
			kn_h(b, "<p class=\"field-error\" id=\"e-groups\">%t</p>", e->msg);
			break;
		}
	for (int i = 0; i < n; i++) {
		if (g[i].closed_on)
			continue;
		bool checked = false;
		if (r->method == KN_POST)
			for (struct kn_kv *f = r->form; f; f = f->next)
				if (!strcmp(f->k, "groups") && kn_parse_id(f->v) == g[i].id)
					checked = true;
		kn_h(b, "<div><input type=\"checkbox\" name=\"groups\" id=\"g-%D\" value=\"%D\"%s><label for=\"g-%D\">%s</label></div>",
		     g[i].id, g[i].id, checked ? " checked" : "", g[i].id, kn_group_name(&g[i], r->lang));
	}
	kn_h(b, "</fieldset><h2>%t</h2>", N_("The merged group"));
	group_fields(r, &x, "", NULL);
	kn_form_input(r, x.errs, "created_on", N_("Merged on"), form_or(r, "created_on", kn_council_today(&x, c)),
	              "date", true, N_("YYYY-MM-DD"));
	kn_form_end(r, N_("Merge"));
	kn_view_end(r);
}

/* ---- people list ------------------------------------------------------------------ */

void kn_page_people(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_person *p;
	int n, total, off, lim;
	const char *q;
	if (!kn_req_search(r, &q) || !kn_req_window(r, 100, 100, &off, &lim))
		return;
	enum kn_err rc = q ? kn_person_search(&x, q, off, lim, &p, &n, &total) : kn_person_page(&x, off, lim, &p, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("People"));
	kn_h(b, "<h1>%t</h1>", N_("People"));
	kn_h(b, "<form method=\"get\" action=\"/people\" class=\"filters\" role=\"search\">");
	kn_form_input(r, NULL, "q", N_("Name"), kn_req_arg(r, "q"), "search", false,
	              N_("Words of the name in any language; their first letters are enough."));
	kn_h(b, "<p><button type=\"submit\">%t</button></p></form>", N_("Show"));
	if (!total)
		kn_h(b, "<p>%t</p>", N_("No one matches."));
	kn_h(b, "<ul>");
	for (int i = 0; i < n; i++)
		kn_h(b, "<li><a href=\"/people/%D\">%s</a></li>", p[i].id, p[i].full_name);
	kn_h(b, "</ul>");
	if (total) {
		struct kn_buf base;
		kn_buf_arena(&base, r->a, 4096);
		kn_h(&base, "/people?q=%u", q ? q : "");
		kn_view_pager(r, q ? kn_buf_str(&base) : "/people", off, lim, total);
	}
	kn_view_end(r);
}
