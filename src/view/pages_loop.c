/* pages_loop.c: the council loop as pages: meetings, proposals,
 * assignments (public list with filters, record pages with their history),
 * the agency's queue and scorecard, reforms and laws, statistics; and the
 * staff forms, shown on the record pages to the roles allowed to use them.
 * A refused action re-shows the record page with the messages (422). */
#include "view/pages_loop.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "domain/composition.h"
#include "domain/loop.h"
#include "domain/registry.h"
#include "view/view.h"
#include <stdio.h>
#include <string.h>

/* ---- shared pieces ------------------------------------------------------ */

static const char *const labels[] = {
    "draft", N_("draft"), "submitted", N_("submitted"), "group_review", N_("in group review"),
    "on_agenda", N_("on the agenda"), "accepted", N_("accepted"), "rejected", N_("rejected"),
    "withdrawn", N_("withdrawn"), "issued", N_("issued"), "in_progress", N_("in progress"),
    "reported", N_("reported as done"), "completed", N_("completed"), "returned", N_("returned for rework"),
    "scheduled", N_("scheduled"), "held", N_("held"), "cancelled", N_("cancelled"),
    "plenary", N_("plenary"), "group", N_("working group"), "individual", N_("individual"),
    "present", N_("present"), "remote", N_("remote"), "absent", N_("absent"),
    "drafted", N_("drafted"), "in_parliament", N_("in parliament"), "adopted", N_("adopted"),
    "signed", N_("signed"), "in_force", N_("in force"), "planned", N_("planned"),
    "implemented", N_("implemented"), "requested", N_("requested"), "granted", N_("granted"),
    "refused", N_("refused"), "member", N_("member"), "citizen", N_("citizen"), "author", N_("author"),
    "cosigner", N_("co-signer"), NULL};

static const char *label(const char *v)
{
	for (int i = 0; v && labels[i]; i += 2)
		if (!strcmp(v, labels[i]))
			return labels[i + 1];
	return v ? v : "";
}

static const char *const law_stage_opts[] = {"drafted", N_("drafted"), "in_parliament", N_("in parliament"),
                                             "adopted", N_("adopted"), "signed", N_("signed"),
                                             "in_force", N_("in force"), NULL};

static int64_t id_param(struct kn_req *r, const char *name)
{
	return kn_parse_id(kn_req_param(r, name));
}

static const char *idstr(struct kn_req *r, int64_t id)
{
	return id ? kn_printf(r->a, "%lld", (long long)id) : "";
}

/* The council in the route, or an error page and NULL. */
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

static bool is_chair(struct kn_req *r, const struct kn_council *c)
{
	return kn_has_council_role(r, c->id, "chair");
}
static bool is_secretary(struct kn_req *r, const struct kn_council *c)
{
	return kn_has_council_role(r, c->id, "secretary");
}
static bool is_staff(struct kn_req *r, const struct kn_council *c)
{
	return is_chair(r, c) || is_secretary(r, c);
}
static bool is_member(struct kn_req *r, const struct kn_council *c)
{
	return kn_has_council_role(r, c->id, "member") || is_staff(r, c);
}

/* "5th plenary meeting" in English; "plenary meeting No. 5" otherwise. */
static const char *meeting_label(struct kn_req *r, const char *kind, long n)
{
	const char *what = !strcmp(kind, "plenary")   ? _("plenary meeting")
	                   : !strcmp(kind, "group")   ? _("working-group meeting")
	                                              : _("individual meeting");
	if (!strcmp(r->lang, "en")) {
		const char *suf = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
		return kn_printf(r->a, "%ld%s %s", n, suf, what);
	}
	return kn_printf(r->a, "%s № %ld", what, n);
}

static void illustrative_note(struct kn_req *r)
{
	kn_h(&r->out, "<p class=\"note illustrative\" role=\"note\"><strong>%t</strong> %t</p>", N_("Illustrative."),
	     N_("The source article does not give some details of this record (exact dates, titles or numbers); "
	        "those shown here stand in for them."));
}

static void council_head(struct kn_req *r, const struct kn_council *c, const char *section, const char *href)
{
	kn_h(&r->out, "<p class=\"crumbs\"><a href=\"/councils/%u\">%s</a>", c->slug, kn_council_name(c, r->lang));
	if (section)
		kn_h(&r->out, " › <a href=\"/councils/%u/%s\">%t</a>", c->slug, href, section);
	kn_h(&r->out, "</p>");
}

static void badge(struct kn_req *r, const char *state)
{
	kn_h(&r->out, "<span class=\"badge state-%s\">%t</span>", state, label(state));
}

static void timing_badges(struct kn_req *r, const struct kn_assignment *a)
{
	badge(r, a->state);
	if (a->overdue)
		kn_h(&r->out, " <span class=\"badge overdue\">%t</span>", N_("OVERDUE"));
	if (a->timing == KN_TIMING_ON_TIME)
		kn_h(&r->out, " <span class=\"badge ontime\">%t</span>", N_("ON TIME"));
	if (a->timing == KN_TIMING_LATE)
		kn_h(&r->out, " <span class=\"badge late\">%t</span>", N_("LATE"));
}

/* A one-button form, optionally with one required text field. */
static void action_form(struct kn_req *r, const struct kn_ferr *errs, const char *action, const char *button,
                        const char *field, const char *field_label)
{
	kn_form_begin(r, action, false);
	if (field)
		kn_form_textarea(r, errs, field, field_label, kn_req_form(r, field), NULL);
	kn_form_end(r, button);
}

/* Re-show after a refused action: the page with its messages, 422. */
static void finish(struct kn_req *r, enum kn_err rc, const char *to, void (*page)(struct kn_req *, const struct kn_ferr *),
                   const struct kn_ferr *errs)
{
	if (!rc) {
		kn_redirect(r, to);
		return;
	}
	if (rc == KN_EINVAL) {
		r->status = 422;
		page(r, errs);
		return;
	}
	kn_fail_err(r, rc);
}

static const char **group_opts(struct kn_req *r, struct kn_ctx *x, int64_t council_id)
{
	struct kn_group_ref *g;
	int n = 0;
	if (kn_loop_groups(x, council_id, &g, &n))
		n = 0;
	const char **o = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * n + 3));
	o[0] = "";
	o[1] = N_("(no working group)");
	for (int i = 0; i < n; i++) {
		o[2 + 2 * i] = idstr(r, g[i].id);
		o[3 + 2 * i] = g[i].name;
	}
	return o;
}

static void checkbox(struct kn_req *r, const char *name, const char *lbl, bool checked)
{
	kn_h(&r->out,
	     "<div class=\"field check\"><input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"1\"%s> "
	     "<label for=\"f-%s\">%t</label></div>",
	     name, name, checked ? " checked" : "", name, lbl);
}

static bool form_flag(struct kn_req *r, const char *name)
{
	const char *v = kn_req_form(r, name);
	return v && (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true"));
}

/* ---- meetings ------------------------------------------------------------ */

void kn_page_meetings(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	const char *kind = kn_req_arg(r, "kind");
	if (kind && !kn_loop_in(kind, kn_meeting_kinds))
		kind = NULL;
	struct kn_meeting *m;
	int n, total, off, lim;
	if (!kn_req_window(r, 50, 50, &off, &lim))
		return;
	enum kn_err rc = kn_meeting_page(&x, c, kind, off, lim, &m, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Meetings"));
	council_head(r, c, NULL, NULL);
	kn_h(b, "<h1>%t</h1>", N_("Meetings"));
	kn_h(b, "<p class=\"filters\">");
	kn_view_filter_link(r, true, kn_printf(r->a, "/councils/%s/meetings", c->slug), !kind || !*kind, _("all"));
	for (int i = 0; kn_meeting_kinds[i]; i++)
		kn_view_filter_link(r, false, kn_printf(r->a, "/councils/%s/meetings?kind=%s", c->slug, kn_meeting_kinds[i]),
		                    kind && !strcmp(kind, kn_meeting_kinds[i]), _(label(kn_meeting_kinds[i])));
	kn_h(b, "</p>");
	if (is_secretary(r, c))
		kn_h(b, "<p><a class=\"button\" href=\"/councils/%u/meetings/new\">%t</a></p>", c->slug, N_("Schedule a meeting"));
	if (!n) {
		kn_h(b, "<p>%t</p>", N_("No meetings yet."));
	} else {
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("Meeting"),
		     N_("When"), N_("Where"), N_("Status"));
		for (int i = 0; i < n; i++) {
			kn_h(b, "<tr><td><a href=\"/councils/%u/meetings/%D\">%s</a>", c->slug, m[i].id,
			     meeting_label(r, m[i].kind, m[i].number));
			if (m[i].person_name)
				kn_h(b, "<br><span class=\"muted\">%s</span>", m[i].person_name);
			else if (*m[i].title)
				kn_h(b, "<br><span class=\"muted\">%s</span>", m[i].title);
			kn_h(b, "</td><td>%s %s%s</td><td>%s%s%t</td><td>", m[i].date, m[i].time, m[i].illustrative ? " *" : "",
			     m[i].place, *m[i].place && m[i].online ? " · " : "", m[i].online ? N_("online") : "");
			badge(r, m[i].status);
			kn_h(b, "</td></tr>");
		}
		kn_h(b, "</tbody></table><p class=\"muted\">%t %s. %t</p>", N_("Times are in the council's time zone,"),
		     c->timezone, N_("* illustrative date: the source does not give it."));
	}
	kn_view_pager(r, kn_printf(r->a, "/councils/%s/meetings%s%s", c->slug, kind ? "?kind=" : "", kind ? kind : ""), off,
	              lim, total);
	kn_view_end(r);
}

static void meeting_page(struct kn_req *r, const struct kn_ferr *errs)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_meeting *m;
	struct kn_agenda_item *it;
	struct kn_attendance *at;
	int nit, nat;
	enum kn_err rc = kn_meeting_get(&x, c, id_param(r, "id"), &m);
	if (!rc)
		rc = kn_meeting_agenda(&x, m->id, &it, &nit);
	if (!rc)
		rc = kn_meeting_attendance(&x, c, m, &at, &nat);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	int status = r->status;
	struct kn_buf *b = &r->out;
	const char *name = meeting_label(r, m->kind, m->number);
	kn_buf_reset(b);
	kn_view_begin(r, name);
	council_head(r, c, N_("Meetings"), "meetings");
	kn_h(b, "<h1>%s</h1>", name);
	if (m->illustrative)
		illustrative_note(r);
	kn_form_errors(r, errs);
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>", N_("Status"));
	badge(r, m->status);
	kn_h(b, "</dd>");
	if (*m->title)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Title"), m->title);
	kn_h(b, "<dt>%t</dt><dd><time datetime=\"%sT%s\">%s %s</time> <span class=\"muted\">(%s)</span></dd>", N_("When"),
	     m->date, m->time, m->date, m->time, c->timezone);
	kn_h(b, "<dt>%t</dt><dd>%s%s%t</dd>", N_("Where"), m->place, *m->place && m->online ? " · " : "",
	     m->online ? N_("online") : "");
	if (m->group_name)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Working group"),
		     kn_view_group_name(r, c->id, m->group_id, m->group_name));
	if (!strcmp(m->kind, "individual"))
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("The chair met"), m->person_name ? m->person_name : _("(not given by the source)"));
	if (*m->cancel_reason)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Why cancelled"), m->cancel_reason);
	kn_h(b, "</dl>");

	bool sec = is_secretary(r, c);
	const char *base = kn_printf(r->a, "/councils/%s/meetings/%lld", c->slug, (long long)m->id);
	kn_h(b, "<h2>%t</h2>", N_("Agenda"));
	if (!nit)
		kn_h(b, "<p>%t</p>", N_("No agenda items."));
	else
		kn_h(b, "<ol class=\"agenda\">");
	for (int i = 0; i < nit; i++) {
		kn_h(b, "<li>%s", it[i].title);
		if (it[i].proposal_id) {
			kn_h(b, " — <a href=\"/councils/%u/proposals/%D\">%t #%D</a> ", c->slug, it[i].proposal_id, N_("proposal"),
			     it[i].proposal_id);
			badge(r, it[i].proposal_state);
		}
		if (sec && !strcmp(m->status, "scheduled"))
			kn_form_button(r, kn_printf(r->a, "%s/agenda/%lld/remove", base, (long long)it[i].id), N_("Remove"));
		kn_h(b, "</li>");
	}
	if (nit)
		kn_h(b, "</ol>");
	if (sec && !strcmp(m->status, "scheduled")) {
		struct kn_proposal *p;
		int np = 0;
		if (kn_proposal_list(&x, c->id, "group_review", &p, &np))
			np = 0;
		const char **o = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * np + 3));
		o[0] = "";
		o[1] = N_("(no proposal)");
		for (int i = 0; i < np; i++) {
			o[2 + 2 * i] = idstr(r, p[i].id);
			o[3 + 2 * i] = kn_printf(r->a, "#%lld %s", (long long)p[i].id, p[i].title);
		}
		kn_h(b, "<section class=\"staff\"><h3>%t</h3>", N_("Add an agenda item"));
		kn_form_begin(r, kn_printf(r->a, "%s/agenda", base), false);
		kn_form_input(r, errs, "title", N_("Item"), kn_req_form(r, "title"), NULL, false,
		              N_("May be left empty when a proposal is chosen: its title is used."));
		kn_form_select(r, errs, "proposal_id", N_("Proposal in group review"), kn_req_form(r, "proposal_id"), o);
		kn_form_end(r, N_("Add to the agenda"));
		kn_h(b, "<h3>%t</h3>", N_("After the meeting"));
		kn_form_button(r, kn_printf(r->a, "%s/held", base), N_("Mark as held"));
		kn_h(b, "<p><a href=\"%s/edit\">%t</a></p><h3>%t</h3>", base, N_("Change date, time or place"), N_("Cancel the meeting"));
		action_form(r, errs, kn_printf(r->a, "%s/cancel", base), N_("Cancel the meeting"), "reason", N_("Reason"));
		kn_h(b, "</section>");
	}

	if (!strcmp(m->status, "held")) {
		kn_h(b, "<h2>%t</h2>", N_("Attendance"));
		bool any = false;
		for (int i = 0; i < nat; i++)
			any = any || at[i].status;
		if (sec && nat) {
			static const char *const marks[] = {"", N_("(not recorded)"), "present", N_("present"),
			                                    "remote", N_("remote"), "absent", N_("absent"), NULL};
			kn_form_begin(r, kn_printf(r->a, "%s/attendance", base), false);
			kn_h(b, "<fieldset><legend>%t</legend>", N_("Who attended"));
			for (int i = 0; i < nat; i++)
				kn_form_select(r, NULL, kn_printf(r->a, "att_%lld", (long long)at[i].person_id), at[i].name,
				               at[i].status ? at[i].status : "", marks);
			kn_h(b, "</fieldset>");
			kn_form_end(r, N_("Save attendance"));
		} else if (any) {
			kn_h(b, "<ul>");
			for (int i = 0; i < nat; i++)
				if (at[i].status)
					kn_h(b, "<li>%s: %t</li>", at[i].name, label(at[i].status));
			kn_h(b, "</ul>");
		} else {
			kn_h(b, "<p>%t</p>", N_("Attendance was not recorded."));
		}
		kn_h(b, "<h2>%t</h2>", N_("Minutes"));
		if (*m->minutes)
			kn_h(b, "<section class=\"minutes\">%M</section>", m->minutes);
		else
			kn_h(b, "<p>%t</p>", N_("The minutes are not published yet."));
		if (sec) {
			kn_form_begin(r, kn_printf(r->a, "%s/minutes", base), false);
			const char *v = kn_req_form(r, "minutes");
			kn_form_textarea(r, errs, "minutes", N_("Minutes (Markdown)"), v ? v : m->minutes, NULL);
			kn_form_end(r, N_("Publish the minutes"));
		}
	}
	/* the meeting's own assignments, found by the database (not every
	 * assignment of the council read to pick them out) */
	struct kn_assignment_filter f = {.council_id = c->id, .meeting_id = m->id};
	struct kn_assignment *a;
	int na = 0;
	if (!kn_assignment_list(&x, &f, &a, &na) && na) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Assignments issued at this meeting"));
		for (int i = 0; i < na; i++) {
			kn_h(b, "<li><a href=\"/councils/%u/assignments/%D\">%s</a> — %s ", c->slug, a[i].id, a[i].title,
			     kn_view_agency_name(r, a[i].agency_id, a[i].agency_name));
			timing_badges(r, &a[i]);
			kn_h(b, "</li>");
		}
		kn_h(b, "</ul>");
	}
	if (is_staff(r, c) && strcmp(m->status, "cancelled"))
		kn_h(b, "<p><a class=\"button\" href=\"/councils/%u/assignments/new?meeting=%D\">%t</a></p>", c->slug, m->id,
		     N_("Issue an assignment at this meeting"));
	kn_view_history(r, &x, "meeting", m->id);
	kn_view_end(r);
	if (status)
		r->status = status;
}

void kn_page_meeting(struct kn_req *r)
{
	meeting_page(r, NULL);
}

static void meeting_form(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, const struct kn_meeting *m,
                         const char *action, bool create, const struct kn_ferr *errs)
{
	kn_form_errors(r, errs);
	kn_form_begin(r, action, false);
	if (create) {
		static const char *const kinds[] = {"plenary", N_("plenary"), "group", N_("working group"), "individual",
		                                    N_("individual (the chair with one member)"), NULL};
		kn_form_select(r, errs, "kind", N_("Kind"), m->kind, kinds);
		kn_form_input(r, errs, "number", N_("Number"), m->number ? kn_printf(r->a, "%ld", m->number) : "", "number",
		              false, N_("Leave empty for the next number of this kind."));
		kn_form_select(r, errs, "group_id", N_("Working group (for a working-group meeting)"), idstr(r, m->group_id),
		               group_opts(r, x, c->id));
		const char *who = r->method == KN_POST ? kn_req_form(r, "person_id") : m->person_name;
		kn_form_input_list(r, errs, "person_id", N_("Member (for an individual meeting)"), who ? who : "",
		                   kn_view_people_datalist(r, c->id, KN_CHOICE_SAT),
		                   N_("Someone who sits or sat on the council: the name, words of it that only this person "
		                      "has, or the person's number."));
	}
	kn_form_input(r, errs, "title", N_("Title"), m->title, NULL, false, NULL);
	kn_form_input(r, errs, "date", N_("Date"), m->date, "date", true, N_("YYYY-MM-DD, in the council's time zone."));
	kn_form_input(r, errs, "time", N_("Time"), m->time, "time", true,
	              kn_printf(r->a, "%s %s", _("HH:MM, 24-hour clock, time zone"), c->timezone));
	kn_form_input(r, errs, "place", N_("Place"), m->place, NULL, false, NULL);
	checkbox(r, "online", N_("Online (remote participation)"), m->online);
	kn_form_end(r, N_("Save"));
}

static void meeting_from_form(struct kn_req *r, struct kn_meeting *m)
{
	m->kind = kn_req_form(r, "kind");
	const char *num = kn_req_form(r, "number");
	m->number = num && *num ? (long)kn_parse_id(num) : 0;
	if (num && *num && !m->number)
		m->number = -1;
	m->group_id = kn_parse_id(kn_req_form(r, "group_id"));
	m->title = kn_req_form(r, "title");
	m->date = kn_req_form(r, "date");
	m->time = kn_req_form(r, "time");
	m->place = kn_req_form(r, "place");
	m->online = form_flag(r, "online");
}

void kn_page_meeting_new(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_meeting m = {.kind = "plenary", .time = "10:00"};
	if (r->method == KN_POST) {
		meeting_from_form(r, &m);
		int64_t id;
		enum kn_err rc = kn_person_pick(&x, c->id, KN_CHOICE_SAT, "person_id", kn_req_form(r, "person_id"),
		                                &m.person_id);
		if (!rc)
			rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_meeting_create(&x, c, &m, &id));
		if (!rc) {
			kn_redirect(r, kn_printf(r->a, "/councils/%s/meetings/%lld", c->slug, (long long)id));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	kn_view_begin(r, _("Schedule a meeting"));
	council_head(r, c, N_("Meetings"), "meetings");
	kn_h(&r->out, "<h1>%t</h1>", N_("Schedule a meeting"));
	meeting_form(r, &x, c, &m, kn_printf(r->a, "/councils/%s/meetings/new", c->slug), true, x.errs);
	kn_view_end(r);
}

void kn_page_meeting_edit(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_meeting *old;
	enum kn_err rc = kn_meeting_get(&x, c, id_param(r, "id"), &old);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_meeting m = *old;
	const char *back = kn_printf(r->a, "/councils/%s/meetings/%lld", c->slug, (long long)old->id);
	if (r->method == KN_POST) {
		meeting_from_form(r, &m);
		rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_meeting_update(&x, c, old->id, &m));
		if (!rc) {
			kn_redirect(r, back);
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	const char *name = meeting_label(r, old->kind, old->number);
	kn_view_begin(r, name);
	council_head(r, c, N_("Meetings"), "meetings");
	kn_h(&r->out, "<h1>%t: <a href=\"%s\">%s</a></h1>", N_("Change"), back, name);
	meeting_form(r, &x, c, &m, kn_printf(r->a, "%s/edit", back), false, x.errs);
	kn_view_end(r);
}

static const char *last_segment(struct kn_req *r)
{
	const char *s = strrchr(r->path, '/');
	return s ? s + 1 : r->path;
}

void kn_page_meeting_action(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	const char *act = last_segment(r);
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		if (!strcmp(act, "agenda")) {
			int64_t item;
			const char *pid = kn_req_form(r, "proposal_id");
			int64_t p = kn_parse_id(pid);
			if (pid && *pid && !p)
				p = -1; /* not a number: reported as no such proposal */
			rc = kn_meeting_agenda_add(&x, c, id, kn_req_form(r, "title"), p, &item);
		} else if (!strcmp(act, "remove")) {
			rc = kn_meeting_agenda_remove(&x, c, id, id_param(r, "item"));
		} else if (!strcmp(act, "attendance")) {
			struct kn_meeting *m;
			struct kn_attendance *at;
			int n = 0;
			rc = kn_meeting_get(&x, c, id, &m);
			if (!rc)
				rc = kn_meeting_attendance(&x, c, m, &at, &n);
			bool any = false;
			for (int i = 0; !rc && i < n; i++) {
				const char *v = kn_req_form(r, kn_printf(r->a, "att_%lld", (long long)at[i].person_id));
				if (!v || !*v)
					continue;
				any = true;
				rc = kn_meeting_attend(&x, c, id, at[i].person_id, v);
			}
			if (!rc && !any) {
				kn_ferr_add(&x, NULL, "Mark at least one person as present, remote or absent.");
				rc = KN_EINVAL;
			}
		} else if (!strcmp(act, "minutes")) {
			rc = kn_meeting_set_minutes(&x, c, id, kn_req_form(r, "minutes"));
		} else if (!strcmp(act, "held")) {
			rc = kn_meeting_hold(&x, c, id);
		} else if (!strcmp(act, "cancel")) {
			rc = kn_meeting_cancel(&x, c, id, kn_req_form(r, "reason"));
		} else {
			rc = KN_ENOTFOUND;
		}
		rc = kn_tx_end(&x, rc);
	}
	finish(r, rc, kn_printf(r->a, "/councils/%s/meetings/%lld", c->slug, (long long)id), meeting_page, x.errs);
}

/* ---- proposals ----------------------------------------------------------- */

void kn_page_proposals(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	const char *state = kn_req_arg(r, "state");
	if (state && !kn_loop_in(state, kn_proposal_states))
		state = NULL;
	struct kn_proposal *p;
	int n, total, off, lim;
	if (!kn_req_window(r, 50, 50, &off, &lim))
		return;
	enum kn_err rc = kn_proposal_page(&x, c->id, state, off, lim, &p, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Proposals"));
	council_head(r, c, NULL, NULL);
	kn_h(b, "<h1>%t</h1>", N_("Proposals"));
	kn_h(b, "<p class=\"filters\">");
	kn_view_filter_link(r, true, kn_printf(r->a, "/councils/%s/proposals", c->slug), !state || !*state, _("all"));
	for (int i = 0; kn_proposal_states[i]; i++)
		kn_view_filter_link(r, false,
		                    kn_printf(r->a, "/councils/%s/proposals?state=%s", c->slug, kn_proposal_states[i]),
		                    state && !strcmp(state, kn_proposal_states[i]), _(label(kn_proposal_states[i])));
	kn_h(b, "</p>");
	if (is_member(r, c))
		kn_h(b, "<p><a class=\"button\" href=\"/councils/%u/proposals/new\">%t</a></p>", c->slug, N_("Draft a proposal"));
	else if (r->user)
		kn_h(b, "<p><a class=\"button\" href=\"/councils/%u/proposals/new\">%t</a></p>", c->slug,
		     N_("Submit a proposal to this council"));
	else
		kn_h(b, "<p><a href=\"/login?next=/councils/%u/proposals/new\">%t</a></p>", c->slug,
		     N_("Log in to submit a proposal to this council."));
	if (!n) {
		kn_h(b, "<p>%t</p>", N_("No proposals."));
	} else {
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("Proposal"),
		     N_("Working group"), N_("From"), N_("Status"));
		for (int i = 0; i < n; i++) {
			/* drafts are their authors' work in progress: listed, titles public */
			kn_h(b, "<tr><td><a href=\"/councils/%u/proposals/%D\">%s</a></td><td>%s</td><td>%t</td><td>", c->slug, p[i].id,
			     p[i].title, p[i].group_name ? kn_view_group_name(r, c->id, p[i].group_id, p[i].group_name) : "—",
			     label(p[i].origin));
			badge(r, p[i].state);
			kn_h(b, "</td></tr>");
		}
		kn_h(b, "</tbody></table>");
	}
	kn_view_pager(r, kn_printf(r->a, "/councils/%s/proposals%s%s", c->slug, state ? "?state=" : "", state ? state : ""),
	              off, lim, total);
	kn_view_end(r);
}

static void proposal_page(struct kn_req *r, const struct kn_ferr *errs)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_proposal *p;
	struct kn_signer *s;
	int ns;
	enum kn_err rc = kn_proposal_get(&x, c->id, id_param(r, "id"), &p);
	if (!rc)
		rc = kn_proposal_signers(&x, p->id, &s, &ns);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	int status = r->status;
	struct kn_buf *b = &r->out;
	kn_buf_reset(b);
	kn_view_begin(r, p->title);
	council_head(r, c, N_("Proposals"), "proposals");
	kn_h(b, "<h1>%s</h1>", p->title);
	if (p->illustrative)
		illustrative_note(r);
	kn_form_errors(r, errs);
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>", N_("Status"));
	badge(r, p->state);
	kn_h(b, "</dd><dt>%t</dt><dd>%s</dd>", N_("Working group"), p->group_name ? p->group_name : "—");
	if (!strcmp(p->origin, "citizen")) {
		kn_h(b, "<dt>%t</dt><dd>%t", N_("Raised by"), N_("a citizen"));
		if (p->taken_up_name)
			kn_h(b, "; %t %s", N_("taken up by"), p->taken_up_name);
		else
			kn_h(b, "; %t", N_("waiting for a member to take it up"));
		kn_h(b, "</dd>");
	}
	for (int i = 0; i < ns; i++)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", label(s[i].kind), s[i].name);
	if (*p->reject_reason)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Why rejected"), p->reject_reason);
	kn_h(b, "</dl>");
	if (*p->body)
		kn_h(b, "<section class=\"body\">%M</section>", p->body);

	/* links both ways: agendas, assignments, reform items */
	struct kn_assignment *a;
	int na = 0;
	if (!kn_proposal_assignments(&x, p->id, &a, &na) && na) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Assignments that followed"));
		for (int i = 0; i < na; i++) {
			kn_h(b, "<li><a href=\"/councils/%u/assignments/%D\">%s</a> — %s ", c->slug, a[i].id, a[i].title,
			     kn_view_agency_name(r, a[i].agency_id, a[i].agency_name));
			timing_badges(r, &a[i]);
			kn_h(b, "</li>");
		}
		kn_h(b, "</ul>");
	}
	struct kn_link *l;
	int nl = 0;
	if (!kn_reform_links_of(&x, "proposal", p->id, &l, &nl) && nl) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Reform items that followed"));
		for (int i = 0; i < nl; i++)
			kn_h(b, "<li><a href=\"/councils/%u/reforms/%D\">%s</a></li>", c->slug, l[i].package_id, l[i].title);
		kn_h(b, "</ul>");
	}

	const char *base = kn_printf(r->a, "/councils/%s/proposals/%lld", c->slug, (long long)p->id);
	bool open = kn_loop_in(p->state, (const char *const[]){"draft", "submitted", "group_review", "on_agenda", NULL});
	if (is_member(r, c) && open) {
		kn_h(b, "<section class=\"staff\"><h2>%t</h2>", N_("Members"));
		bool mine = false;
		for (int i = 0; i < ns; i++)
			if (!strcmp(s[i].kind, "author") && r->user && !strcmp(s[i].name, r->user->display_name))
				mine = true;
		if (!strcmp(p->state, "draft")) {
			kn_h(b, "<p><a href=\"%s/edit\">%t</a></p>", base, N_("Edit the draft"));
			kn_form_button(r, kn_printf(r->a, "%s/submit", base), N_("Submit to the council"));
		}
		if (!strcmp(p->origin, "citizen") && !p->taken_up_by)
			kn_form_button(r, kn_printf(r->a, "%s/take-up", base), N_("Take up this citizen's proposal"));
		else if (!mine)
			kn_form_button(r, kn_printf(r->a, "%s/cosign", base), N_("Co-sign"));
		kn_form_button(r, kn_printf(r->a, "%s/withdraw", base), N_("Withdraw (authors only)"));
		kn_h(b, "</section>");
	}
	if (is_staff(r, c)) {
		kn_h(b, "<section class=\"staff\"><h2>%t</h2>", N_("Secretariat and chair"));
		if (!strcmp(p->state, "submitted")) {
			kn_form_begin(r, kn_printf(r->a, "%s/review", base), false);
			kn_form_select(r, errs, "group_id", N_("Working group"), idstr(r, p->group_id), group_opts(r, &x, c->id));
			kn_form_end(r, N_("Send to the working group for review"));
		}
		if (!strcmp(p->state, "group_review"))
			kn_h(b, "<p>%t</p>", N_("To put it on a meeting's agenda, add it from the meeting's page."));
		if (!strcmp(p->state, "on_agenda"))
			kn_form_button(r, kn_printf(r->a, "%s/accept", base), N_("Accept the proposal"));
		if (!strcmp(p->state, "submitted") || !strcmp(p->state, "group_review") || !strcmp(p->state, "on_agenda")) {
			kn_h(b, "<h3>%t</h3>", N_("Reject"));
			action_form(r, errs, kn_printf(r->a, "%s/reject", base), N_("Reject the proposal"), "reason",
			            N_("Reason (published)"));
		}
		if (!strcmp(p->state, "accepted"))
			kn_h(b, "<p><a class=\"button\" href=\"/councils/%u/assignments/new?proposal=%D\">%t</a></p>", c->slug, p->id,
			     N_("Issue an assignment following this proposal"));
		kn_h(b, "</section>");
	}
	kn_view_history(r, &x, "proposal", p->id);
	kn_view_end(r);
	if (status)
		r->status = status;
}

void kn_page_proposal(struct kn_req *r)
{
	proposal_page(r, NULL);
}

static void proposal_form(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, const struct kn_proposal *p,
                          const char *action, const char *button, const struct kn_ferr *errs)
{
	kn_form_errors(r, errs);
	kn_form_begin(r, action, false);
	kn_form_input(r, errs, "title", N_("Title"), p->title, NULL, true, NULL);
	kn_form_textarea(r, errs, "body", N_("The proposal"), p->body,
	                 N_("Markdown. What is the problem, what do you propose, who should act."));
	kn_form_select(r, errs, "group_id", N_("Working group"), idstr(r, p->group_id), group_opts(r, x, c->id));
	kn_form_end(r, button);
}

void kn_page_proposal_new(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	bool member = is_member(r, c);
	struct kn_proposal p = {0};
	if (r->method == KN_POST) {
		p.title = kn_req_form(r, "title");
		p.body = kn_req_form(r, "body");
		p.group_id = kn_parse_id(kn_req_form(r, "group_id"));
		int64_t id;
		enum kn_err rc = kn_tx_begin(r, &x);
		x.actor_role = member ? "member" : "citizen";
		if (!rc)
			rc = kn_tx_end(&x, kn_proposal_create(&x, c, &p, member, &id));
		if (!rc) {
			kn_redirect(r, kn_printf(r->a, "/councils/%s/proposals/%lld", c->slug, (long long)id));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	const char *title = member ? _("Draft a proposal") : _("Submit a proposal to this council");
	kn_view_begin(r, title);
	council_head(r, c, N_("Proposals"), "proposals");
	kn_h(&r->out, "<h1>%s</h1><p>%t</p>", title,
	     member ? N_("A draft is yours until you submit it; other members can co-sign it.")
	            : N_("Your proposal is published and waits for a council member to take it up."));
	proposal_form(r, &x, c, &p, kn_printf(r->a, "/councils/%s/proposals/new", c->slug),
	              member ? N_("Save the draft") : N_("Submit"), x.errs);
	kn_view_end(r);
}

void kn_page_proposal_edit(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_proposal *old;
	enum kn_err rc = kn_proposal_get(&x, c->id, id_param(r, "id"), &old);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_proposal p = *old;
	const char *back = kn_printf(r->a, "/councils/%s/proposals/%lld", c->slug, (long long)old->id);
	if (r->method == KN_POST) {
		p.title = kn_req_form(r, "title");
		p.body = kn_req_form(r, "body");
		p.group_id = kn_parse_id(kn_req_form(r, "group_id"));
		rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_proposal_edit(&x, c, old->id, &p));
		if (!rc) {
			kn_redirect(r, back);
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	kn_view_begin(r, old->title);
	council_head(r, c, N_("Proposals"), "proposals");
	kn_h(&r->out, "<h1>%t: <a href=\"%s\">%s</a></h1>", N_("Edit the draft"), back, old->title);
	proposal_form(r, &x, c, &p, kn_printf(r->a, "%s/edit", back), N_("Save the draft"), x.errs);
	kn_view_end(r);
}

void kn_page_proposal_member(struct kn_req *r)
{
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
		else
			rc = KN_ENOTFOUND;
		rc = kn_tx_end(&x, rc);
	}
	finish(r, rc, kn_printf(r->a, "/councils/%s/proposals/%lld", c->slug, (long long)id), proposal_page, x.errs);
}

void kn_page_proposal_staff(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	const char *act = last_segment(r);
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		if (!strcmp(act, "review"))
			rc = kn_proposal_review(&x, c, id, kn_parse_id(kn_req_form(r, "group_id")));
		else if (!strcmp(act, "accept"))
			rc = kn_proposal_accept(&x, c, id);
		else if (!strcmp(act, "reject"))
			rc = kn_proposal_reject(&x, c, id, kn_req_form(r, "reason"));
		else
			rc = KN_ENOTFOUND;
		rc = kn_tx_end(&x, rc);
	}
	finish(r, rc, kn_printf(r->a, "/councils/%s/proposals/%lld", c->slug, (long long)id), proposal_page, x.errs);
}

/* ---- assignments --------------------------------------------------------- */

/* The badges of a list's rows: few kinds (state, overdue, on time or late),
 * each rendered once per list and copied for the rows that share it. */
struct badge_memo {
	const char *state[12];
	bool overdue[12];
	enum kn_timing timing[12];
	struct kn_html_piece html[12];
	int n;
};

static void list_badges(struct kn_req *r, struct badge_memo *m, const struct kn_assignment *a)
{
	for (int i = 0; i < m->n; i++)
		if (m->overdue[i] == a->overdue && m->timing[i] == a->timing && !strcmp(m->state[i], a->state)) {
			kn_html_again(&r->out, &m->html[i]);
			return;
		}
	size_t start = r->out.len;
	timing_badges(r, a);
	if (m->n == (int)(sizeof(m->state) / sizeof(m->state[0])) || r->out.len < start)
		return;
	int i = m->n++;
	m->state[i] = a->state;
	m->overdue[i] = a->overdue;
	m->timing[i] = a->timing;
	kn_html_keep(&m->html[i], r->a, &r->out, start);
}

static void assignment_rows_table(struct kn_req *r, const struct kn_assignment *a, int n, bool council_col)
{
	struct kn_buf *b = &r->out;
	struct badge_memo bm = {.n = 0};
	kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("Assignment"),
	     council_col ? N_("Council") : N_("Agency"), N_("Deadline"), N_("Status"));
	for (int i = 0; i < n; i++) {
		if (council_col)
			kn_h(b, "<tr><td><a href=\"/councils/%u/assignments/%D\">%s</a></td><td><a href=\"/councils/%u\">%s</a>"
			        "</td><td>%s</td><td>",
			     a[i].council_slug, a[i].id, a[i].title, a[i].council_slug, a[i].council_slug, a[i].deadline);
		else {
			/* a council's list (kn_assignment_page) carries the agency's id alone */
			const struct kn_agency *g = kn_view_agency(r, a[i].agency_id);
			const char *slug = g ? g->slug : a[i].agency_slug, *name = g ? kn_agency_name(g, r->lang) : a[i].agency_name;
			kn_h(b, "<tr><td><a href=\"/councils/%u/assignments/%D\">%s</a></td><td><a href=\"/agencies/%u/scorecard\">%s</a>"
			        "</td><td>%s</td><td>",
			     a[i].council_slug, a[i].id, a[i].title, slug ? slug : "", name ? name : "", a[i].deadline);
		}
		list_badges(r, &bm, &a[i]);
		kn_h(b, "</td></tr>");
	}
	kn_h(b, "</tbody></table>");
}

void kn_page_assignments(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_assignment_filter f = {.council_id = c->id, .brief = true};
	const char *agency = kn_req_arg(r, "agency"), *state = kn_req_arg(r, "status"), *od = kn_req_arg(r, "overdue");
	struct kn_agency *ag = NULL;
	if (agency && *agency) {
		if (kn_agency_get(&x, agency, &ag)) {
			kn_fail(r, 404, "not_found", NULL, "No such agency.");
			return;
		}
		f.agency_id = ag->id;
		f.with_coexec = true;
	}
	if (state && *state && strcmp(state, "open") && !kn_loop_in(state, kn_assignment_states)) {
		kn_fail(r, 400, "invalid", "status", "Unknown status; use open or one of the assignment states.");
		return;
	}
	f.state = state;
	f.overdue = od && !strcmp(od, "1");
	struct kn_assignment *a;
	int n, off, lim;
	if (!kn_req_window(r, 50, 50, &off, &lim))
		return;
	int total;
	enum kn_err rc = kn_assignment_page(&x, c, &f, off, lim, &a, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Assignments"));
	council_head(r, c, NULL, NULL);
	kn_h(b, "<h1>%t</h1><p>%t</p>", N_("Assignments"),
	     N_("The chair's instructions to government agencies, with their deadlines and what the agencies reported."));
	/* the filter form: GET, works without JavaScript */
	kn_h(b, "<form method=\"get\" action=\"/councils/%u/assignments\" class=\"filters\">", c->slug);
	const struct kn_agency *all; /* the agencies this council gave assignments to, not the whole registry */
	int na = kn_view_council_agencies(r, c->id, &all);
	const char **ao = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * na + 5));
	ao[0] = "";
	ao[1] = N_("(any agency)");
	int k = 2;
	bool listed = !ag;
	for (int i = 0; i < na; i++) {
		ao[k++] = all[i].slug;
		ao[k++] = kn_agency_name(&all[i], r->lang);
		listed = listed || all[i].id == ag->id;
	}
	if (!listed) { /* an agency chosen by its address that has no assignment here */
		ao[k++] = ag->slug;
		ao[k++] = kn_agency_name(ag, r->lang);
	}
	kn_form_select(r, NULL, "agency", N_("Agency"), ag ? ag->slug : "", ao);
	static const char *const so[] = {"", N_("(any status)"), "open", N_("open"), "issued", N_("issued"),
	                                 "in_progress", N_("in progress"), "reported", N_("reported as done"),
	                                 "completed", N_("completed"), "returned", N_("returned for rework"),
	                                 "withdrawn", N_("withdrawn"), NULL};
	kn_form_select(r, NULL, "status", N_("Status"), state, so);
	checkbox(r, "overdue", N_("Only overdue"), f.overdue);
	kn_h(b, "<p><button type=\"submit\">%t</button></p></form>", N_("Show"));
	if (is_staff(r, c))
		kn_h(b, "<p><a class=\"button\" href=\"/councils/%u/assignments/new\">%t</a></p>", c->slug,
		     N_("Issue an assignment"));
	if (!n)
		kn_h(b, "<p>%t</p>", N_("No assignments match."));
	else
		assignment_rows_table(r, a, n, false);
	struct kn_buf base;
	kn_buf_arena(&base, r->a, 4096);
	kn_h(&base, "/councils/%u/assignments?agency=%u&status=%u&overdue=%s", c->slug, agency ? agency : "",
	     state ? state : "", f.overdue ? "1" : "");
	kn_view_pager(r, kn_buf_str(&base), off, lim, total);
	kn_h(b, "<p class=\"muted\">%t</p>",
	     N_("Overdue: open past its deadline today in the council's time zone. On time or late: the day the "
	        "completion was accepted, against the deadline in force."));
	kn_view_end(r);
}

static void indicators_table(struct kn_req *r, const struct kn_report *t)
{
	struct kn_buf *b = &r->out;
	kn_h(b, "<table class=\"indicators\"><caption>%t</caption><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th>"
	        "<th>%t</th></tr></thead><tbody>",
	     N_("Outcome indicators"), N_("Indicator"), N_("Unit"), N_("Baseline"), N_("Target"), N_("Actual"));
	for (int k = 0; k < t->nind; k++)
		kn_h(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td><strong>%s</strong></td></tr>", t->ind[k].name,
		     t->ind[k].unit, t->ind[k].baseline ? t->ind[k].baseline : "—", t->ind[k].target ? t->ind[k].target : "—",
		     t->ind[k].actual);
	kn_h(b, "</tbody></table>");
}

static void assignment_page(struct kn_req *r, const struct kn_ferr *errs)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_assignment *a;
	struct kn_agency_ref *co;
	struct kn_report *t;
	struct kn_extension *e;
	int nco, nt, ne;
	enum kn_err rc = kn_assignment_get(&x, c->id, id_param(r, "id"), &a);
	if (!rc)
		rc = kn_assignment_coexecutors(&x, a->id, &co, &nco);
	if (!rc)
		rc = kn_assignment_reports(&x, a->id, &t, &nt);
	if (!rc)
		rc = kn_assignment_extensions(&x, a->id, &e, &ne);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	int status = r->status;
	struct kn_buf *b = &r->out;
	kn_buf_reset(b);
	kn_view_begin(r, a->title);
	council_head(r, c, N_("Assignments"), "assignments");
	kn_h(b, "<h1>%s</h1><p class=\"status\">", a->title);
	timing_badges(r, a);
	kn_h(b, "</p>");
	if (a->illustrative)
		illustrative_note(r);
	kn_form_errors(r, errs);
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd><a href=\"/agencies/%u/scorecard\">%s</a></dd>", N_("Responsible agency"),
	     a->agency_slug, kn_view_agency_name(r, a->agency_id, a->agency_name));
	if (nco) {
		kn_h(b, "<dt>%t</dt><dd>", N_("Co-executors"));
		for (int i = 0; i < nco; i++)
			kn_h(b, "%s<a href=\"/agencies/%u/scorecard\">%s</a>", i ? ", " : "", co[i].slug, co[i].name);
		kn_h(b, "</dd>");
	}
	kn_h(b, "<dt>%t</dt><dd>%s</dd><dt>%t</dt><dd><strong>%s</strong>", N_("Issued on"), a->issued_on, N_("Deadline"),
	     a->deadline);
	if (strcmp(a->deadline, a->original_deadline))
		kn_h(b, " <span class=\"muted\">(%t %s)</span>", N_("extended; first deadline"), a->original_deadline);
	kn_h(b, " <span class=\"muted\">%s</span></dd>", c->timezone);
	if (a->completed_on)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Completion accepted on"), a->completed_on);
	if (*a->state_reason)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Reason"), a->state_reason);
	if (a->meeting_id)
		kn_h(b, "<dt>%t</dt><dd><a href=\"/councils/%u/meetings/%D\">%s</a></dd>", N_("Issued at"), c->slug, a->meeting_id,
		     meeting_label(r, a->meeting_kind, a->meeting_number));
	if (a->proposal_id)
		kn_h(b, "<dt>%t</dt><dd><a href=\"/councils/%u/proposals/%D\">%s</a></dd>", N_("Following the proposal"), c->slug,
		     a->proposal_id, a->proposal_title);
	kn_h(b, "</dl>");
	if (*a->body)
		kn_h(b, "<section class=\"body\">%M</section>", a->body);
	struct kn_link *l;
	int nl = 0;
	if (!kn_reform_links_of(&x, "assignment", a->id, &l, &nl) && nl) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Reform items that followed"));
		for (int i = 0; i < nl; i++)
			kn_h(b, "<li><a href=\"/councils/%u/reforms/%D\">%s</a></li>", c->slug, l[i].package_id, l[i].title);
		kn_h(b, "</ul>");
	}

	kn_h(b, "<h2>%t</h2>", N_("Reports"));
	if (!nt)
		kn_h(b, "<p>%t</p>", N_("No report yet."));
	for (int i = 0; i < nt; i++) {
		kn_h(b, "<article class=\"report\"><h3>%s · %s%s</h3>", kn_view_time(r, t[i].created_at),
		     kn_view_agency_name(r, t[i].agency_id, t[i].agency_name),
		     t[i].final ? _(" · reports the work as done") : "");
		if (t[i].illustrative)
			illustrative_note(r);
		kn_h(b, "%M", t[i].body);
		if (t[i].nind)
			indicators_table(r, &t[i]);
		if (*t[i].evidence) {
			kn_h(b, "<p>%t</p><ul class=\"evidence\">", N_("Evidence:"));
			char *ev = kn_strdup(r->a, t[i].evidence);
			for (char *p = ev; p && *p;) {
				char *nl2 = strchr(p, '\n');
				if (nl2)
					*nl2 = 0;
				const char *u = x.a ? kn_trim(&x, p) : p;
				if (*u)
					kn_h(b, "<li><a href=\"%s\" rel=\"nofollow noopener\">%s</a></li>", u, u);
				p = nl2 ? nl2 + 1 : NULL;
			}
			kn_h(b, "</ul>");
		}
		kn_h(b, "</article>");
	}
	if (ne) {
		kn_h(b, "<h2>%t</h2><table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
		     N_("Extension requests"), N_("Asked"), N_("Deadline"), N_("Reason"), N_("Decision"));
		for (int i = 0; i < ne; i++) {
			kn_h(b, "<tr><td>%s</td><td>%s → %s</td><td>%s</td><td>", kn_view_time(r, e[i].requested_at), e[i].old_deadline,
			     e[i].requested_deadline, e[i].reason);
			badge(r, e[i].state);
			if (*e[i].decision_note)
				kn_h(b, "<br>%s", e[i].decision_note);
			if (!strcmp(e[i].state, "requested") && is_chair(r, c)) {
				const char *eb = kn_printf(r->a, "/councils/%s/assignments/%lld/extensions/%lld", c->slug,
				                           (long long)a->id, (long long)e[i].id);
				kn_form_begin(r, kn_printf(r->a, "%s/grant", eb), false);
				kn_form_input(r, errs, "note", N_("Note (optional, published)"), NULL, NULL, false, NULL);
				kn_form_end(r, N_("Grant the extension"));
				kn_form_begin(r, kn_printf(r->a, "%s/refuse", eb), false);
				kn_form_input(r, errs, "note", N_("Note (optional, published)"), NULL, NULL, false, NULL);
				kn_form_end(r, N_("Refuse the extension"));
			}
			kn_h(b, "</td></tr>");
		}
		kn_h(b, "</tbody></table>");
	}
	const char *base = kn_printf(r->a, "/councils/%s/assignments/%lld", c->slug, (long long)a->id);
	if (is_staff(r, c) && a->open) {
		kn_h(b, "<section class=\"staff\"><h2>%t</h2>", N_("Chair and secretariat"));
		if (!strcmp(a->state, "reported")) {
			kn_form_button(r, kn_printf(r->a, "%s/accept", base), N_("Accept completion"));
			kn_h(b, "<h3>%t</h3>", N_("Return for rework"));
			action_form(r, errs, kn_printf(r->a, "%s/return", base), N_("Return for rework"), "reason",
			            N_("What is missing (published)"));
		} else {
			kn_h(b, "<p>%t</p>", N_("Completion can be accepted once the agency reports the work as done."));
		}
		if (is_chair(r, c)) {
			kn_h(b, "<h3>%t</h3>", N_("Withdraw the assignment"));
			action_form(r, errs, kn_printf(r->a, "%s/withdraw", base), N_("Withdraw"), "wreason", N_("Reason (published)"));
		}
		kn_h(b, "</section>");
	}
	if (a->open && r->user) {
		bool officer = kn_has_agency_role(r, a->agency_id);
		for (int i = 0; i < nco && !officer; i++)
			officer = kn_has_agency_role(r, co[i].id);
		if (officer)
			kn_h(b, "<p><a class=\"button\" href=\"/agencies/%u/queue\">%t</a></p>", a->agency_slug,
			     N_("Report or ask for an extension (your agency's queue)"));
	}
	kn_view_history(r, &x, "assignment", a->id);
	kn_view_end(r);
	if (status)
		r->status = status;
}

void kn_page_assignment(struct kn_req *r)
{
	assignment_page(r, NULL);
}

#define CHOICES_MAX 100 /* meetings and proposals offered in the assignment form */

static void assignment_form(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, const struct kn_assignment *a,
                            const struct kn_ferr *errs)
{
	kn_form_errors(r, errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/assignments/new", c->slug), false);
	kn_form_input(r, errs, "title", N_("The instruction"), a->title, NULL, true, N_("One sentence: what must be done."));
	kn_form_textarea(r, errs, "body", N_("Details"), a->body, N_("Markdown."));
	kn_form_input_list(r, errs, "agency", N_("Responsible agency"), a->agency_key, kn_view_agency_datalist(r),
	                   N_("Its short name (e.g. kgd), or words of its name that only it has (e.g. state revenue)."));
	kn_form_input(r, errs, "coexecutors", N_("Co-executors"), a->coexecutors, NULL, false,
	              N_("Short names of other agencies, separated by commas, e.g. kgd, minjust."));
	kn_form_input(r, errs, "deadline", N_("Deadline"), a->deadline, "date", true,
	              kn_printf(r->a, "%s %s", _("A date in the council's time zone:"), c->timezone));
	kn_form_input(r, errs, "issued_on", N_("Issued on"), a->issued_on, "date", false,
	              N_("Leave empty for today, or the meeting's date."));
	/* the latest CHOICES_MAX meetings and accepted proposals, and the one
	 * chosen if it is older: a council's years of meetings would be the
	 * form; an older one is chosen from its own page (?meeting=, ?proposal=) */
	struct kn_meeting *m, *older = NULL;
	int nm = 0, total_m = 0;
	if (kn_meeting_page(x, c, NULL, 0, CHOICES_MAX, &m, &nm, &total_m))
		nm = total_m = 0;
	bool listed = false;
	for (int i = 0; i < nm; i++)
		listed = listed || m[i].id == a->meeting_id;
	if (a->meeting_id && !listed && kn_meeting_get(x, c, a->meeting_id, &older))
		older = NULL;
	const char **mo = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * nm + 5));
	int k = 0;
	mo[k++] = "";
	mo[k++] = N_("(outside a meeting)");
	for (int i = 0; i <= nm; i++) {
		const struct kn_meeting *mi = i < nm ? &m[i] : older;
		if (!mi || !strcmp(mi->status, "cancelled"))
			continue;
		mo[k++] = idstr(r, mi->id);
		mo[k++] = kn_printf(r->a, "%s, %s", meeting_label(r, mi->kind, mi->number), mi->date);
	}
	kn_form_select(r, errs, "meeting_id", N_("Issued at the meeting"), idstr(r, a->meeting_id), mo);
	if (total_m > nm)
		kn_h(&r->out, "<p class=\"hint\">%t</p>",
		     N_("The latest 100 meetings are listed; for an older one, open its page and issue the assignment "
		        "from there."));
	struct kn_proposal *p, *pchosen = NULL;
	int np = 0, total_p = 0;
	if (kn_proposal_page(x, c->id, "accepted", 0, CHOICES_MAX, &p, &np, &total_p))
		np = total_p = 0;
	listed = false;
	for (int i = 0; i < np; i++)
		listed = listed || p[i].id == a->proposal_id;
	if (a->proposal_id && !listed &&
	    (kn_proposal_get(x, c->id, a->proposal_id, &pchosen) || strcmp(pchosen->state, "accepted")))
		pchosen = NULL;
	const char **po = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * np + 5));
	k = 0;
	po[k++] = "";
	po[k++] = N_("(no proposal)");
	for (int i = 0; i <= np; i++) {
		const struct kn_proposal *pi = i < np ? &p[i] : pchosen;
		if (!pi)
			continue;
		po[k++] = idstr(r, pi->id);
		po[k++] = kn_printf(r->a, "#%lld %s", (long long)pi->id, pi->title);
	}
	kn_form_select(r, errs, "proposal_id", N_("Following the accepted proposal"), idstr(r, a->proposal_id), po);
	if (total_p > np)
		kn_h(&r->out, "<p class=\"hint\">%t</p>",
		     N_("The latest 100 accepted proposals are listed; for an older one, open its page and issue the "
		        "assignment from there."));
	kn_form_end(r, N_("Issue the assignment"));
}

void kn_page_assignment_new(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_assignment a = {.meeting_id = kn_parse_id(kn_req_arg(r, "meeting")),
	                          .proposal_id = kn_parse_id(kn_req_arg(r, "proposal"))};
	if (r->method == KN_POST) {
		a.title = kn_req_form(r, "title");
		a.body = kn_req_form(r, "body");
		a.agency_key = kn_req_form(r, "agency");
		a.coexecutors = kn_req_form(r, "coexecutors");
		a.deadline = kn_req_form(r, "deadline");
		a.issued_on = kn_req_form(r, "issued_on");
		const char *mid = kn_req_form(r, "meeting_id"), *pid = kn_req_form(r, "proposal_id");
		a.meeting_id = kn_parse_id(mid);
		a.proposal_id = kn_parse_id(pid);
		if (mid && *mid && !a.meeting_id)
			a.meeting_id = -1;
		if (pid && *pid && !a.proposal_id)
			a.proposal_id = -1;
		int64_t id;
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_assignment_issue(&x, c, &a, &id));
		if (!rc) {
			kn_redirect(r, kn_printf(r->a, "/councils/%s/assignments/%lld", c->slug, (long long)id));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	kn_view_begin(r, _("Issue an assignment"));
	council_head(r, c, N_("Assignments"), "assignments");
	kn_h(&r->out, "<h1>%t</h1>", N_("Issue an assignment"));
	if (!is_chair(r, c))
		kn_h(&r->out, "<p class=\"note\">%t</p>", N_("You record the chair's instruction as the secretariat."));
	assignment_form(r, &x, c, &a, x.errs);
	kn_view_end(r);
}

static void assignment_action(struct kn_req *r, bool chair_route)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	const char *act = last_segment(r);
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		if (!chair_route && !strcmp(act, "accept"))
			rc = kn_assignment_accept(&x, c, id);
		else if (!chair_route && !strcmp(act, "return"))
			rc = kn_assignment_return(&x, c, id, kn_req_form(r, "reason"));
		else if (chair_route && !strcmp(act, "withdraw"))
			rc = kn_assignment_withdraw(&x, c, id, kn_req_form(r, "wreason"));
		else if (chair_route && (!strcmp(act, "grant") || !strcmp(act, "refuse")))
			rc = kn_assignment_decide_extension(&x, c, id, id_param(r, "ext"), !strcmp(act, "grant"),
			                                    kn_req_form(r, "note"));
		else
			rc = KN_ENOTFOUND;
		if (rc == KN_EINVAL && x.errs && x.errs->field && !strcmp(x.errs->field, "reason") && !strcmp(act, "withdraw"))
			x.errs->field = "wreason";
		rc = kn_tx_end(&x, rc);
	}
	finish(r, rc, kn_printf(r->a, "/councils/%s/assignments/%lld", c->slug, (long long)id), assignment_page, x.errs);
}

void kn_page_assignment_staff(struct kn_req *r)
{
	assignment_action(r, false);
}

void kn_page_assignment_chair(struct kn_req *r)
{
	assignment_action(r, true);
}

/* ---- the agency's side ----------------------------------------------------- */

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

void kn_page_agency_queue(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g = agency_of(r, &x);
	if (!g)
		return;
	/* a page at a time: a ministry may have hundreds open */
	struct kn_assignment_filter f = {.agency_id = g->id, .with_coexec = true, .state = "open"};
	if (!kn_req_window(r, 50, 50, &f.offset, &f.limit))
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
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Assignments to act on"));
	kn_h(b, "<p class=\"crumbs\"><a href=\"/agencies/%u\">%s</a></p><h1>%t</h1>", g->slug, kn_agency_name(g, r->lang),
	     N_("Assignments to act on"));
	if (!n)
		kn_h(b, "<p>%t</p>", N_("Nothing open is addressed to this agency."));
	for (int i = 0; i < n; i++) {
		const char *base = kn_printf(r->a, "/agencies/%s/assignments/%lld", g->slug, (long long)a[i].id);
		kn_h(b, "<article class=\"queue\"><h2><a href=\"/councils/%u/assignments/%D\">%s</a></h2><p>", a[i].council_slug,
		     a[i].id, a[i].title);
		timing_badges(r, &a[i]);
		kn_h(b, " %t <strong>%s</strong>%s</p><p>", N_("deadline"), a[i].deadline,
		     a[i].agency_id == g->id ? "" : _(" · as co-executor"));
		if (a[i].agency_id == g->id && (!strcmp(a[i].state, "issued") || !strcmp(a[i].state, "returned")))
			kn_form_button(r, kn_printf(r->a, "%s/start", base), N_("Acknowledge and start work"));
		kn_h(b, " <a href=\"%s/report\">%t</a>", base, N_("Post a report"));
		if (a[i].agency_id == g->id)
			kn_h(b, " · <a href=\"%s/extension\">%t</a>", base, N_("Ask for an extension"));
		kn_h(b, "</p></article>");
	}
	kn_view_pager(r, kn_printf(r->a, "/agencies/%s/queue", g->slug), f.offset, f.limit, total);
	kn_h(b, "<p><a href=\"/agencies/%u/scorecard\">%t</a></p>", g->slug, N_("This agency's scorecard"));
	kn_view_end(r);
}

void kn_page_agency_start(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g = agency_of(r, &x);
	if (!g)
		return;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_assignment_start(&x, id_param(r, "id"), g->id));
	if (rc == KN_EINVAL) {
		kn_fail(r, 409, "conflict", "state", x.errs ? x.errs->msg : "This conflicts with the current state of the record.");
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_redirect(r, kn_printf(r->a, "/agencies/%s/queue", g->slug));
}

#define NIND 5

void kn_page_agency_report(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g = agency_of(r, &x);
	if (!g)
		return;
	struct kn_assignment *a;
	enum kn_err rc = kn_assignment_get(&x, 0, id_param(r, "id"), &a);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	if (r->method == KN_POST) {
		struct kn_indicator ind[NIND];
		int n = 0;
		for (int i = 1; i <= NIND; i++) {
			struct kn_indicator d = {
			    .name = kn_req_form(r, kn_printf(r->a, "ind_name_%d", i)),
			    .unit = kn_req_form(r, kn_printf(r->a, "ind_unit_%d", i)),
			    .baseline = kn_req_form(r, kn_printf(r->a, "ind_baseline_%d", i)),
			    .target = kn_req_form(r, kn_printf(r->a, "ind_target_%d", i)),
			    .actual = kn_req_form(r, kn_printf(r->a, "ind_actual_%d", i)),
			};
			d.name = kn_trim(&x, d.name);
			d.actual = kn_trim(&x, d.actual);
			d.baseline = kn_trim(&x, d.baseline);
			d.target = kn_trim(&x, d.target);
			if ((d.name && *d.name) || (d.actual && *d.actual))
				ind[n++] = d;
		}
		int64_t rid;
		rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_assignment_report(&x, a->id, g->id, kn_req_form(r, "body"), kn_req_form(r, "evidence"),
			                                        form_flag(r, "final"), ind, n, &rid));
		if (!rc) {
			kn_redirect(r, kn_printf(r->a, "/councils/%s/assignments/%lld", a->council_slug, (long long)a->id));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Post a report"));
	kn_h(b, "<p class=\"crumbs\"><a href=\"/agencies/%u/queue\">%t</a></p><h1>%t</h1><p><a href=\"/councils/%u/assignments/%D\">%s</a> — %t %s</p>",
	     g->slug, N_("Assignments to act on"), N_("Post a report"), a->council_slug, a->id, a->title, N_("deadline"),
	     a->deadline);
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/agencies/%s/assignments/%lld/report", g->slug, (long long)a->id), false);
	kn_form_textarea(r, x.errs, "body", N_("What was done"), kn_req_form(r, "body"), N_("Markdown. Published."));
	kn_form_textarea(r, x.errs, "evidence", N_("Evidence links"), kn_req_form(r, "evidence"),
	                 N_("Web addresses (https://...), one a line: orders, publications, announcements."));
	kn_h(b, "<fieldset><legend>%t</legend><p class=\"hint\">%t</p>", N_("Outcome indicators"),
	     N_("What changed, measurably: e.g. staff units, women's protection units, actual +129. Baseline and target are optional numbers."));
	for (int i = 1; i <= NIND; i++) {
		kn_h(b, "<div class=\"indicator\"><h3>%t %d</h3>", N_("Indicator"), i);
		kn_form_input(r, NULL, kn_printf(r->a, "ind_name_%d", i), N_("Name"),
		              kn_req_form(r, kn_printf(r->a, "ind_name_%d", i)), NULL, false, NULL);
		kn_form_input(r, NULL, kn_printf(r->a, "ind_unit_%d", i), N_("Unit"),
		              kn_req_form(r, kn_printf(r->a, "ind_unit_%d", i)), NULL, false, NULL);
		kn_form_input(r, NULL, kn_printf(r->a, "ind_baseline_%d", i), N_("Baseline"),
		              kn_req_form(r, kn_printf(r->a, "ind_baseline_%d", i)), NULL, false, NULL);
		kn_form_input(r, NULL, kn_printf(r->a, "ind_target_%d", i), N_("Target"),
		              kn_req_form(r, kn_printf(r->a, "ind_target_%d", i)), NULL, false, NULL);
		kn_form_input(r, NULL, kn_printf(r->a, "ind_actual_%d", i), N_("Actual"),
		              kn_req_form(r, kn_printf(r->a, "ind_actual_%d", i)), NULL, false, NULL);
		kn_h(b, "</div>");
	}
	kn_h(b, "</fieldset>");
	checkbox(r, "final", N_("The work is done: ask the council to accept completion"), form_flag(r, "final"));
	kn_form_end(r, N_("Publish the report"));
	kn_view_end(r);
}

void kn_page_agency_extension(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g = agency_of(r, &x);
	if (!g)
		return;
	struct kn_assignment *a;
	enum kn_err rc = kn_assignment_get(&x, 0, id_param(r, "id"), &a);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	if (r->method == KN_POST) {
		int64_t eid;
		rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_assignment_ask_extension(&x, a->id, g->id, kn_req_form(r, "deadline"),
			                                               kn_req_form(r, "reason"), &eid));
		if (!rc) {
			kn_redirect(r, kn_printf(r->a, "/councils/%s/assignments/%lld", a->council_slug, (long long)a->id));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Ask for an extension"));
	kn_h(b, "<p class=\"crumbs\"><a href=\"/agencies/%u/queue\">%t</a></p><h1>%t</h1><p><a href=\"/councils/%u/assignments/%D\">%s</a> — %t %s</p>",
	     g->slug, N_("Assignments to act on"), N_("Ask for an extension"), a->council_slug, a->id, a->title,
	     N_("deadline in force"), a->deadline);
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/agencies/%s/assignments/%lld/extension", g->slug, (long long)a->id), false);
	kn_form_input(r, x.errs, "deadline", N_("New deadline"), kn_req_form(r, "deadline"), "date", true, N_("YYYY-MM-DD"));
	kn_form_textarea(r, x.errs, "reason", N_("Reason (published with the request)"), kn_req_form(r, "reason"), NULL);
	kn_form_end(r, N_("Send the request to the chair"));
	kn_view_end(r);
}

void kn_page_scorecard(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g = agency_of(r, &x);
	if (!g)
		return;
	struct kn_scorecard s;
	/* the figures count every assignment; the table shows a page of them */
	struct kn_assignment_filter f = {.agency_id = g->id};
	if (!kn_req_window(r, 50, 50, &f.offset, &f.limit))
		return;
	struct kn_assignment *a;
	int n, total;
	enum kn_err rc = kn_agency_scorecard(&x, g->id, &s);
	if (!rc)
		rc = kn_assignment_count(&x, &f, &total);
	if (!rc)
		rc = kn_assignment_list(&x, &f, &a, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Scorecard"));
	kn_h(b, "<p class=\"crumbs\"><a href=\"/agencies/%u\">%s</a></p><h1>%t: %s</h1>", g->slug, kn_agency_name(g, r->lang),
	     N_("Scorecard"), kn_agency_name(g, r->lang));
	kn_h(b, "<table class=\"figures\"><tbody><tr><th scope=\"row\">%t</th><td>%D</td></tr><tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Assignments issued"),
	     (int64_t)s.issued, N_("Completed"), (int64_t)s.completed);
	if (s.completed)
		kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D%%</td></tr>", N_("Completed on time"), (int64_t)((s.on_time * 100 + s.completed / 2) / s.completed));
	else
		kn_h(b, "<tr><th scope=\"row\">%t</th><td>—</td></tr>", N_("Completed on time"));
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr><tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Open"), (int64_t)s.open, N_("Overdue now"), (int64_t)s.overdue);
	if (s.median_days >= 0)
		kn_h(b, "<tr><th scope=\"row\">%t</th><td>%s</td></tr>", N_("Median days to completion"), kn_printf(r->a, "%.1f", s.median_days));
	else
		kn_h(b, "<tr><th scope=\"row\">%t</th><td>—</td></tr>", N_("Median days to completion"));
	kn_h(b, "</tbody></table>");
	if (s.withdrawn)
		kn_h(b, "<p class=\"muted\">%t %D</p>", N_("Withdrawn assignments, not counted:"), (int64_t)s.withdrawn);
	if (n) {
		kn_h(b, "<h2>%t</h2>", N_("Assignments"));
		assignment_rows_table(r, a, n, true);
	}
	kn_view_pager(r, kn_printf(r->a, "/agencies/%s/scorecard", g->slug), f.offset, f.limit, total);
	if (kn_has_agency_role(r, g->id))
		kn_h(b, "<p><a class=\"button\" href=\"/agencies/%u/queue\">%t</a></p>", g->slug, N_("Assignments to act on"));
	kn_view_end(r);
}

/* ---- reforms and laws ------------------------------------------------------ */

static void progress(struct kn_req *r, const struct kn_reform *p)
{
	kn_h(&r->out,
	     "<p class=\"progress\"><progress max=\"%D\" value=\"%D\"></progress> %D / %D %t · %D / %D %t</p>",
	     (int64_t)(p->items ? p->items : 1), (int64_t)p->items_done, (int64_t)p->items_done, (int64_t)p->items,
	     N_("items implemented"), (int64_t)p->laws_adopted, (int64_t)p->laws, N_("laws adopted"));
}

void kn_page_reforms(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_reform *p;
	int n, total, off, lim;
	if (!kn_req_window(r, 50, 50, &off, &lim))
		return;
	enum kn_err rc = kn_reform_page(&x, c->id, off, lim, &p, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Reforms and laws"));
	council_head(r, c, NULL, NULL);
	kn_h(b, "<h1>%t</h1>", N_("Reforms and laws"));
	if (is_secretary(r, c))
		kn_h(b, "<p><a class=\"button\" href=\"/councils/%u/reforms/new\">%t</a></p>", c->slug, N_("Add a reform package"));
	if (!total)
		kn_h(b, "<p>%t</p>", N_("No reform packages yet."));
	for (int i = 0; i < n; i++) {
		kn_h(b, "<article><h2><a href=\"/councils/%u/reforms/%D\">%s</a></h2>", c->slug, p[i].id, p[i].title);
		progress(r, &p[i]);
		kn_h(b, "</article>");
	}
	if (total)
		kn_view_pager(r, kn_printf(r->a, "/councils/%s/reforms", c->slug), off, lim, total);
	kn_view_end(r);
}

static void reform_page(struct kn_req *r, const struct kn_ferr *errs)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_reform *p;
	struct kn_reform_item *it;
	struct kn_law *l;
	int nit, nl;
	enum kn_err rc = kn_reform_get(&x, c->id, id_param(r, "id"), &p);
	if (!rc)
		rc = kn_reform_items(&x, p->id, &it, &nit);
	if (!rc)
		rc = kn_law_list(&x, p->id, 0, &l, &nl);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	int status = r->status;
	struct kn_buf *b = &r->out;
	kn_buf_reset(b);
	kn_view_begin(r, p->title);
	council_head(r, c, N_("Reforms and laws"), "reforms");
	kn_h(b, "<h1>%s</h1>", p->title);
	if (p->illustrative)
		illustrative_note(r);
	kn_form_errors(r, errs);
	progress(r, p);
	if (p->announced_on)
		kn_h(b, "<p>%t %s</p>", N_("Announced on"), p->announced_on);
	if (*p->description)
		kn_h(b, "<section>%M</section>", p->description);
	kn_h(b, "<h2>%t</h2>", N_("Items"));
	if (!nit)
		kn_h(b, "<p>%t</p>", N_("No items yet."));
	for (int i = 0; i < nit; i++) {
		kn_h(b, "<section class=\"item\"><h3>%D. %s ", (int64_t)it[i].position, it[i].title);
		badge(r, it[i].status);
		kn_h(b, "</h3>");
		if (*it[i].description)
			kn_h(b, "%M", it[i].description);
		struct kn_link *lk;
		int nk = 0;
		if (!kn_reform_item_links(&x, it[i].id, &lk, &nk) && nk) {
			kn_h(b, "<p>%t</p><ul>", N_("Behind it:"));
			for (int k = 0; k < nk; k++)
				kn_h(b, "<li><a href=\"/councils/%u/%ss/%D\">%s</a></li>", c->slug, lk[k].kind, lk[k].id, lk[k].title);
			kn_h(b, "</ul>");
		}
		bool head = false;
		for (int k = 0; k < nl; k++) {
			if (l[k].item_id != it[i].id)
				continue;
			if (!head)
				kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("Law"), N_("Number"),
				     N_("Stage"));
			head = true;
			int si = 0;
			for (int s = 0; kn_law_stages[s]; s++)
				if (!strcmp(kn_law_stages[s], l[k].stage))
					si = s;
			kn_h(b, "<tr><td><a href=\"/councils/%u/laws/%D\">%s</a>%s</td><td>%s</td><td>", c->slug, l[k].id, l[k].title,
			     l[k].illustrative ? " *" : "", l[k].number);
			badge(r, l[k].stage);
			kn_h(b, " %s</td></tr>", l[k].dates[si] ? l[k].dates[si] : "");
		}
		if (head)
			kn_h(b, "</tbody></table>");
		kn_h(b, "</section>");
	}
	if (nl)
		kn_h(b, "<p class=\"muted\">%t</p>", N_("* illustrative: the source gives the number of laws, not their titles, numbers or dates."));
	if (is_secretary(r, c)) {
		const char *base = kn_printf(r->a, "/councils/%s/reforms/%lld", c->slug, (long long)p->id);
		kn_h(b, "<section class=\"staff\"><h2>%t</h2>", N_("Add an item"));
		kn_form_begin(r, kn_printf(r->a, "%s/items", base), false);
		kn_form_input(r, errs, "title", N_("Item"), kn_req_form(r, "title"), NULL, true, NULL);
		kn_form_textarea(r, errs, "description", N_("Description"), kn_req_form(r, "description"), N_("Markdown."));
		kn_form_input(r, errs, "links", N_("Behind it"), kn_req_form(r, "links"), NULL, false,
		              N_("Accepted proposals and assignments of this council, e.g. p12 a7."));
		kn_form_end(r, N_("Add the item"));
		if (nit) {
			const char **io = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * nit + 1));
			for (int i = 0; i < nit; i++) {
				io[2 * i] = idstr(r, it[i].id);
				io[2 * i + 1] = kn_printf(r->a, "%ld. %s", it[i].position, it[i].title);
			}
			kn_h(b, "<h2>%t</h2>", N_("Add a law"));
			kn_form_begin(r, kn_printf(r->a, "%s/laws", base), false);
			kn_form_select(r, errs, "item_id", N_("Reform item"), kn_req_form(r, "item_id"), io);
			kn_form_input(r, errs, "law_title", N_("Title of the law"), kn_req_form(r, "law_title"), NULL, true, NULL);
			kn_form_input(r, errs, "number", N_("Number"), kn_req_form(r, "number"), NULL, false, NULL);
			kn_form_select(r, errs, "stage", N_("Stage"), kn_req_form(r, "stage"), law_stage_opts);
			kn_form_input(r, errs, "date", N_("Date of that stage"), kn_req_form(r, "date"), "date", true, N_("YYYY-MM-DD"));
			kn_form_end(r, N_("Add the law"));
		}
		kn_h(b, "</section>");
	}
	kn_view_history(r, &x, "reform", p->id);
	kn_view_end(r);
	if (status)
		r->status = status;
}

void kn_page_reform(struct kn_req *r)
{
	reform_page(r, NULL);
}

void kn_page_reform_new(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	struct kn_reform p = {0};
	if (r->method == KN_POST) {
		p.title = kn_req_form(r, "title");
		p.description = kn_req_form(r, "description");
		p.announced_on = kn_req_form(r, "announced_on");
		int64_t id;
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_reform_create(&x, c, &p, &id));
		if (!rc) {
			kn_redirect(r, kn_printf(r->a, "/councils/%s/reforms/%lld", c->slug, (long long)id));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	kn_view_begin(r, _("Add a reform package"));
	council_head(r, c, N_("Reforms and laws"), "reforms");
	kn_h(&r->out, "<h1>%t</h1>", N_("Add a reform package"));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/reforms/new", c->slug), false);
	kn_form_input(r, x.errs, "title", N_("Title"), p.title, NULL, true, NULL);
	kn_form_textarea(r, x.errs, "description", N_("Description"), p.description, N_("Markdown."));
	kn_form_input(r, x.errs, "announced_on", N_("Announced on"), p.announced_on, "date", false, N_("YYYY-MM-DD"));
	kn_form_end(r, N_("Save"));
	kn_view_end(r);
}

void kn_page_reform_action(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	const char *act = last_segment(r);
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		struct kn_reform *p;
		int64_t nid;
		rc = kn_reform_get(&x, c->id, id, &p);
		if (!rc && !strcmp(act, "items")) {
			rc = kn_reform_item_add(&x, c, id, kn_req_form(r, "title"), kn_req_form(r, "description"),
			                        kn_req_form(r, "links"), &nid);
		} else if (!rc && !strcmp(act, "laws")) {
			int64_t item = kn_parse_id(kn_req_form(r, "item_id"));
			struct kn_reform_item *it;
			int n = 0;
			bool mine = false;
			if (!(rc = kn_reform_items(&x, id, &it, &n)))
				for (int i = 0; i < n; i++)
					mine = mine || it[i].id == item;
			if (!rc)
				rc = kn_law_add(&x, c, mine ? item : 0, kn_req_form(r, "law_title"), kn_req_form(r, "number"),
				                kn_req_form(r, "stage"), kn_req_form(r, "date"), false, &nid);
			for (struct kn_ferr *e = x.errs; e; e = e->next)
				if (e->field && !strcmp(e->field, "title"))
					e->field = "law_title";
		} else if (!rc) {
			rc = KN_ENOTFOUND;
		}
		rc = kn_tx_end(&x, rc);
	}
	finish(r, rc, kn_printf(r->a, "/councils/%s/reforms/%lld", c->slug, (long long)id), reform_page, x.errs);
}

static void law_page(struct kn_req *r, const struct kn_ferr *errs)
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
	int status = r->status;
	struct kn_buf *b = &r->out;
	kn_buf_reset(b);
	kn_view_begin(r, l->title);
	council_head(r, c, N_("Reforms and laws"), "reforms");
	kn_h(b, "<h1>%s</h1>", l->title);
	if (l->illustrative)
		illustrative_note(r);
	kn_form_errors(r, errs);
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>", N_("Stage"));
	badge(r, l->stage);
	kn_h(b, "</dd><dt>%t</dt><dd>%s</dd><dt>%t</dt><dd><a href=\"/councils/%u/reforms/%D\">%s</a> › %s</dd></dl>",
	     N_("Number"), *l->number ? l->number : "—", N_("Reform"), c->slug, l->package_id, l->package_title,
	     l->item_title);
	kn_h(b, "<h2>%t</h2><ol class=\"stages\">", N_("Stages"));
	for (int s = 0; kn_law_stages[s]; s++)
		kn_h(b, "<li>%t: %s</li>", label(kn_law_stages[s]), l->dates[s] ? l->dates[s] : "—");
	kn_h(b, "</ol>");
	struct kn_link *lk;
	int nk = 0;
	if (!kn_reform_item_links(&x, l->item_id, &lk, &nk) && nk) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Behind it"));
		for (int k = 0; k < nk; k++)
			kn_h(b, "<li><a href=\"/councils/%u/%ss/%D\">%s</a></li>", c->slug, lk[k].kind, lk[k].id, lk[k].title);
		kn_h(b, "</ul>");
	}
	if (is_secretary(r, c) && strcmp(l->stage, "in_force")) {
		kn_h(b, "<section class=\"staff\"><h2>%t</h2>", N_("Next stage"));
		kn_form_begin(r, kn_printf(r->a, "/councils/%s/laws/%lld/stage", c->slug, (long long)l->id), false);
		kn_form_select(r, errs, "stage", N_("Stage"), kn_req_form(r, "stage"), law_stage_opts);
		kn_form_input(r, errs, "date", N_("Date"), kn_req_form(r, "date"), "date", true, N_("YYYY-MM-DD"));
		kn_form_input(r, errs, "number", N_("Number (when assigned)"), kn_req_form(r, "number"), NULL, false, NULL);
		kn_form_end(r, N_("Record the stage"));
		kn_h(b, "</section>");
	}
	kn_view_history(r, &x, "law", l->id);
	kn_view_end(r);
	if (status)
		r->status = status;
}

void kn_page_law(struct kn_req *r)
{
	law_page(r, NULL);
}

void kn_page_law_stage(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c = council_of(r, &x);
	if (!c)
		return;
	int64_t id = id_param(r, "id");
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_law_advance(&x, c, id, kn_req_form(r, "stage"), kn_req_form(r, "date"),
		                                  kn_req_form(r, "number")));
	finish(r, rc, kn_printf(r->a, "/councils/%s/laws/%lld", c->slug, (long long)id), law_page, x.errs);
}

/* ---- statistics ------------------------------------------------------------ */

void kn_page_statistics(struct kn_req *r)
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
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Statistics"));
	council_head(r, c, NULL, NULL);
	kn_h(b, "<h1>%t</h1><table class=\"figures\"><tbody>", N_("Statistics"));
	kn_h(b, "<tr><th scope=\"row\"><a href=\"/councils/%u/meetings?kind=plenary\">%t</a></th><td>%D</td></tr>", c->slug, N_("Plenary meetings held"),
	     (int64_t)s.plenary_held);
	kn_h(b, "<tr><th scope=\"row\"><a href=\"/councils/%u/meetings?kind=individual\">%t</a></th><td>%D</td></tr>", c->slug,
	     N_("Individual meetings of the chair with members"), (int64_t)s.individual_held);
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Working-group meetings held"), (int64_t)s.group_held);
	kn_h(b, "<tr><th scope=\"row\"><a href=\"/councils/%u/proposals\">%t</a></th><td>%D</td></tr>", c->slug, N_("Proposals submitted"),
	     (int64_t)s.proposals);
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Proposals accepted"), (int64_t)s.proposals_accepted);
	kn_h(b, "<tr><th scope=\"row\"><a href=\"/councils/%u/assignments\">%t</a></th><td>%D</td></tr>", c->slug, N_("Assignments issued"),
	     (int64_t)s.assignments);
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Assignments completed"), (int64_t)s.completed);
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Assignments completed on time"), (int64_t)s.on_time);
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Assignments completed late"), (int64_t)s.late);
	kn_h(b, "<tr><th scope=\"row\"><a href=\"/councils/%u/assignments?status=open&amp;overdue=1\">%t</a></th><td>%D</td></tr>", c->slug,
	     N_("Assignments overdue now"), (int64_t)s.overdue);
	kn_h(b, "<tr><th scope=\"row\"><a href=\"/councils/%u/reforms\">%t</a></th><td>%D</td></tr>", c->slug, N_("Reform packages"),
	     (int64_t)s.reforms);
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Laws adopted"), (int64_t)s.laws_adopted);
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr>", N_("Rotations of the composition"), (int64_t)s.rotations);
	kn_h(b, "<tr><th scope=\"row\">%t</th><td>%D</td></tr></tbody></table>", N_("Members elected to parliament"), (int64_t)s.deputies);
	if (s.illustrative)
		kn_h(b, "<p class=\"note\">%t</p>",
		     N_("Counts include records whose dates are illustrative (the source gives the numbers, not every date)."));
	kn_h(b, "<p class=\"muted\">%t</p>", N_("Computed from the published records when the page is shown."));
	kn_view_end(r);
}
