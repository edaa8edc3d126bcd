/* pages_appeals.c: appeals as web pages: filing (multipart, attachments),
 * the appeal with the actions each role may take, the secretariat's and
 * agencies' queues, settings, statistics, the inbox, the calendar page. */
#include "view/pages_appeals.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/calendar.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "domain/appeal.h"
#include "domain/registry.h"
#include "domain/workcal.h"
#include "view/view.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small pieces ---------------------------------------------------------- */

/* t as local time of zone tz: "YYYY-MM-DD HH:MM". */
static const char *local_time(struct kn_req *r, const char *tz, int64_t t)
{
	if (!t)
		return "";
	const struct kn_tz *z = kn_workcal_tz(tz);
	int64_t l = t + (z ? kn_tz_offset(z, t) : 0);
	int64_t days = l >= 0 ? l / 86400 : (l - 86399) / 86400;
	int sec = (int)(l - days * 86400);
	char d[KN_DATE_STRLEN];
	kn_date_format((int32_t)days, d, sizeof(d));
	return kn_printf(r->a, "%s %02d:%02d", d, sec / 3600, sec / 60 % 60);
}

/* A deadline (exclusive end) as the local date it ends. */
static const char *due_date(struct kn_req *r, const char *tz, int64_t due)
{
	if (!due)
		return "";
	const struct kn_tz *z = kn_workcal_tz(tz);
	char d[KN_DATE_STRLEN];
	kn_date_format(z ? kn_tz_local_date(z, due - 1) : (int32_t)((due - 1) / 86400), d, sizeof(d));
	return kn_strdup(r->a, d);
}

static const char *pct(struct kn_req *r, int part, int whole)
{
	if (!whole)
		return "—";
	return kn_printf(r->a, "%d%%", (int)((part * 100.0) / whole + 0.5));
}

static const char *days_str(struct kn_req *r, double d)
{
	if (d < 0)
		return "—";
	return kn_printf(r->a, "%.1f", d);
}

static const char *subject_for(const struct kn_appeal *a, bool see_hidden)
{
	if (a->hidden && !see_hidden)
		return _("(text hidden by moderation)");
	return a->subject;
}

static void state_badge(struct kn_req *r, const struct kn_appeal *a)
{
	kn_h(&r->out, "<span class=\"badge\">%t</span>", kn_appeal_state_label(a->state));
	if (!strcmp(a->urgency, "urgent"))
		kn_h(&r->out, " <span class=\"badge\">%t</span>", N_("Urgent"));
	if (a->overdue_flag)
		kn_h(&r->out, " <span class=\"badge overdue\">%t</span>", N_("Overdue"));
}

static struct kn_upload *uploads(struct kn_req *r)
{
	struct kn_upload *head = NULL, **tail = &head;
	for (struct kn_file *f = r->files; f; f = f->next) {
		if (!f->field || strcmp(f->field, "files"))
			continue;
		struct kn_upload *u = kn_zalloc(r->a, sizeof(*u));
		u->filename = f->filename;
		u->data = f->data;
		u->len = f->len;
		*tail = u;
		tail = &u->next;
	}
	return head;
}

static void file_input(struct kn_req *r, const struct kn_ferr *errs)
{
	bool err = false;
	for (const struct kn_ferr *e = errs; e; e = e->next)
		if (e->field && !strcmp(e->field, "files"))
			err = true;
	kn_h(&r->out,
	     "<div class=\"field%s\"><label for=\"f-files\">%t</label><p class=\"hint\" id=\"h-files\">%t %D %s, %D KiB %t</p>"
	     "<input id=\"f-files\" name=\"files\" type=\"file\" multiple "
	     "accept=\"application/pdf,image/png,image/jpeg,image/webp\" aria-describedby=\"h-files\"></div>",
	     err ? " has-error" : "", N_("Attachments"), N_("PDF, PNG, JPEG or WebP; at most"),
	     (int64_t)kn_cfg.appeal_files, NG_("file", "files", kn_cfg.appeal_files),
	     (int64_t)(kn_cfg.appeal_file_bytes / 1024), N_("each"));
}

static const char *const *options_from(struct kn_req *r, const char *const *list, bool blank)
{
	int n = 0;
	while (list[n])
		n++;
	const char **o = kn_zalloc(r->a, sizeof(char *) * (size_t)(n + 3));
	int k = 0;
	if (blank) {
		o[k++] = "";
		o[k++] = N_("(choose)");
	}
	for (int i = 0; i < n; i++)
		o[k++] = list[i];
	return o;
}

static bool load_council(struct kn_req *r, struct kn_ctx *x, struct kn_council **c)
{
	enum kn_err rc = kn_council_get(x, kn_req_param(r, "council"), c);
	if (rc) {
		kn_fail_err(r, rc);
		return false;
	}
	return true;
}

/* ---- lists ------------------------------------------------------------------ */

static void appeal_table(struct kn_req *r, struct kn_appeal *a, int n, bool see_hidden, bool show_agency)
{
	struct kn_buf *b = &r->out;
	if (!n) {
		kn_h(b, "<p>%t</p>", N_("No appeals here yet."));
		return;
	}
	kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th>", N_("Reference"), N_("Subject"), N_("State"));
	if (show_agency)
		kn_h(b, "<th>%t</th>", N_("Agency"));
	kn_h(b, "<th>%t</th></tr></thead><tbody>", N_("Filed"));
	for (int i = 0; i < n; i++) {
		kn_h(b, "<tr><td><a href=\"/councils/%u/appeals/%u\">%s</a></td><td>%s</td><td>", a[i].council_slug,
		     a[i].reference, a[i].reference, subject_for(&a[i], see_hidden));
		state_badge(r, &a[i]);
		kn_h(b, "</td>");
		if (show_agency)
			kn_h(b, "<td>%s</td>", a[i].agency_name ? kn_view_agency_name(r, a[i].agency_id, a[i].agency_name) : "—");
		kn_h(b, "<td>%s</td></tr>", local_time(r, a[i].council_tz, a[i].filed_at));
	}
	kn_h(b, "</tbody></table>");
}

void kn_page_appeals(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	if (!load_council(r, &x, &c))
		return;
	const char *cat = kn_req_arg(r, "category"), *state = kn_req_arg(r, "state");
	int64_t page = kn_parse_id(kn_req_arg(r, "page"));
	if (page < 1 || page > 100000)
		page = 1;
	struct kn_appeal_filter f = {.council_id = c->id, .public_only = true, .category = cat, .state = state,
	                             .limit = 51, .offset = (int)((page - 1) * 50)};
	struct kn_appeal *a;
	int n;
	enum kn_err rc = kn_appeal_list(&x, &f, &a, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Appeals"));
	kn_h(b, "<h1>%t: %s</h1>", N_("Appeals"), kn_council_name(c, r->lang));
	kn_h(b, "<p>%t</p>",
	     N_("Anyone registered can raise an urgent problem with this council. The secretariat forwards it to the "
	        "responsible agency, which must acknowledge and resolve it within deadlines counted in working days. "
	        "Confidential appeals are not listed; they count in the statistics."));
	kn_h(b, "<p><a href=\"/councils/%u/appeals/new\">%t</a> · <a href=\"/councils/%u/appeals/statistics\">%t</a>",
	     c->slug, N_("File an appeal"), c->slug, N_("Response statistics"));
	if (r->user && kn_has_council_role(r, c->id, "secretary"))
		kn_h(b, " · <a href=\"/councils/%u/appeals/triage\">%t</a> · <a href=\"/councils/%u/appeals/settings\">%t</a>",
		     c->slug, N_("Triage queue"), c->slug, N_("Deadlines and routing"));
	kn_h(b, "</p>");
	kn_h(b, "<form method=\"get\" action=\"/councils/%u/appeals\" class=\"filters\">", c->slug);
	kn_form_select(r, NULL, "category", N_("Category"), cat, options_from(r, kn_appeal_categories, true));
	kn_h(b, "<p><button type=\"submit\">%t</button></p></form>", N_("Filter"));
	appeal_table(r, a, n > 50 ? 50 : n, false, true);
	kn_h(b, "<p>");
	if (page > 1)
		kn_h(b, "<a href=\"/councils/%u/appeals?category=%u&amp;page=%D\" rel=\"prev\">%t</a> ", c->slug,
		     cat ? cat : "", page - 1, N_("Newer appeals"));
	if (n > 50)
		kn_h(b, "<a href=\"/councils/%u/appeals?category=%u&amp;page=%D\" rel=\"next\">%t</a>", c->slug,
		     cat ? cat : "", page + 1, N_("Older appeals"));
	kn_h(b, "</p>");
	kn_view_end(r);
}

/* A filter's appeals a page at a time (50), with its total for the pager; false when the
 * request was answered (a bad page number, a database error). */
static bool appeal_window(struct kn_req *r, struct kn_ctx *x, struct kn_appeal_filter *f, struct kn_appeal **a,
                          int *n, int *total)
{
	if (!kn_req_window(r, 50, 50, &f->offset, &f->limit))
		return false;
	enum kn_err rc = kn_appeal_count(x, f, total);
	if (!rc)
		rc = kn_appeal_list(x, f, a, n);
	if (rc) {
		kn_fail_err(r, rc);
		return false;
	}
	return true;
}

void kn_page_my_appeals(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_appeal_filter f = {.filer_id = r->user->id};
	struct kn_appeal *a;
	int n, total;
	if (!appeal_window(r, &x, &f, &a, &n, &total))
		return;
	kn_view_begin(r, _("My appeals"));
	kn_h(&r->out, "<h1>%t</h1>", N_("My appeals"));
	appeal_table(r, a, n, false, true);
	kn_view_pager(r, "/appeals/mine", f.offset, f.limit, total);
	kn_view_end(r);
}

/* The secretariat's two lists, one shown at a time with both counts: the
 * appeals waiting for it (submitted, or waiting for the filer's answer), and
 * those with agencies (forwarded, acknowledged). */
void kn_page_appeal_triage(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	if (!load_council(r, &x, &c))
		return;
	struct kn_appeal_filter listed, other;
	if (!kn_appeal_triage_filter(c->id, kn_req_arg(r, "list"), &listed)) {
		kn_fail(r, 400, "invalid", "list", "Unknown list; use waiting or agencies.");
		return;
	}
	bool with_agencies = listed.open;
	kn_appeal_triage_filter(c->id, with_agencies ? "waiting" : "agencies", &other);
	struct kn_appeal *a;
	int n, total, other_total;
	if (!appeal_window(r, &x, &listed, &a, &n, &total))
		return;
	enum kn_err rc = kn_appeal_count(&x, &other, &other_total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	const char *base = kn_printf(r->a, "/councils/%s/appeals/triage", c->slug);
	kn_view_begin(r, _("Triage queue"));
	kn_h(b, "<h1>%t: %s</h1><p class=\"filters\">", N_("Triage queue"), kn_council_name(c, r->lang));
	static const char *const names[] = {N_("Waiting for the secretariat"), N_("With agencies")};
	for (int k = 0; k < 2; k++) {
		bool shown = k == (with_agencies ? 1 : 0);
		kn_view_filter_link(r, !k, k ? kn_printf(r->a, "%s?list=agencies", base) : base, shown,
		                    kn_printf(r->a, "%s (%d)", _(names[k]), shown ? total : other_total));
	}
	kn_h(b, "</p><h2>%t</h2>", names[with_agencies ? 1 : 0]);
	appeal_table(r, a, n, true, with_agencies);
	kn_view_pager(r, with_agencies ? kn_printf(r->a, "%s?list=agencies", base) : base, listed.offset, listed.limit, total);
	kn_view_end(r);
}

void kn_page_agency_appeal_queue(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g;
	enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &g);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_appeal *a;
	int n, total;
	struct kn_appeal_filter f = {.agency_id = g->id, .open = true};
	if (!appeal_window(r, &x, &f, &a, &n, &total))
		return;
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Appeals to answer"));
	kn_h(b, "<h1>%t: %s</h1>", N_("Appeals to answer"), kn_agency_name(g, r->lang));
	if (!n)
		kn_h(b, "<p>%t</p>", N_("Nothing is waiting for this agency."));
	else {
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
		     N_("Reference"), N_("Subject"), N_("State"), N_("Acknowledge by"), N_("Resolve by"));
		for (int i = 0; i < n; i++) {
			kn_h(b, "<tr><td><a href=\"/councils/%u/appeals/%u\">%s</a></td><td>%s</td><td>", a[i].council_slug,
			     a[i].reference, a[i].reference, subject_for(&a[i], false));
			state_badge(r, &a[i]);
			if (kn_appeal_overdue_now(&a[i], r->now) && !a[i].overdue_flag)
				kn_h(b, " <span class=\"badge overdue\">%t</span>", N_("Past deadline"));
			kn_h(b, "</td><td>%s</td><td>%s</td></tr>",
			     a[i].ack_at ? _("done") : due_date(r, a[i].council_tz, a[i].ack_due),
			     due_date(r, a[i].council_tz, a[i].resolve_due));
		}
		kn_h(b, "</tbody></table>");
	}
	kn_view_pager(r, kn_printf(r->a, "/agencies/%s/appeals/queue", g->slug), f.offset, f.limit, total);
	kn_view_end(r);
}

/* ---- filing ---------------------------------------------------------------------- */

static void filing_form(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c, const struct kn_appeal_in *in,
                        const struct kn_ferr *errs)
{
	(void)x;
	kn_form_errors(r, errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/appeals/new", c->slug), true);
	kn_form_input(r, errs, "subject", N_("Subject"), in->subject, NULL, true, N_("One line: what is wrong."));
	kn_form_textarea(r, errs, "body", N_("The problem"), in->body,
	                 N_("What happened, since when, what you already tried. Markdown."));
	kn_form_select(r, errs, "category", N_("Category"), in->category, options_from(r, kn_appeal_categories, true));
	kn_form_select(r, errs, "urgency", N_("Urgency"), in->urgency ? in->urgency : "normal",
	               options_from(r, kn_appeal_urgencies, false));
	kn_form_select(r, errs, "scale", N_("Who is affected"), in->scale, options_from(r, kn_appeal_scales, true));
	kn_form_textarea(r, errs, "affected", N_("Who is affected, in your words"), in->affected,
	                 N_("E.g. all trading and manufacturing companies."));
	kn_form_input(r, errs, "concerns", N_("The body it concerns, if you know"), in->concerns, NULL, false,
	              N_("E.g. Ministry of Finance."));
	kn_form_select(r, errs, "visibility", N_("Visibility"), in->visibility ? in->visibility : "public",
	               options_from(r, kn_appeal_visibilities, false));
	file_input(r, errs);
	kn_form_end(r, N_("File the appeal"));
}

void kn_page_appeal_new(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	if (!load_council(r, &x, &c))
		return;
	struct kn_appeal_in in = {0};
	if (r->method == KN_POST) {
		in.subject = kn_req_form(r, "subject");
		in.body = kn_req_form(r, "body");
		in.category = kn_req_form(r, "category");
		in.urgency = kn_req_form(r, "urgency");
		in.scale = kn_req_form(r, "scale");
		in.affected = kn_req_form(r, "affected");
		in.concerns = kn_req_form(r, "concerns");
		in.visibility = kn_req_form(r, "visibility");
		in.ip = r->remote_ip;
		in.files = uploads(r);
		int64_t id;
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_appeal_file(&x, c->id, &in, &id));
		if (!rc) {
			struct kn_appeal *a;
			if ((rc = kn_appeal_get(&x, kn_printf(r->a, "%lld", (long long)id), &a))) {
				kn_fail_err(r, rc);
				return;
			}
			kn_redirect(r, kn_printf(r->a, "/councils/%s/appeals/%s?filed=1", c->slug, a->reference));
			return;
		}
		if (rc == KN_ELIMIT) {
			kn_fail(r, 429, "rate_limited", NULL,
			        "You have filed too many appeals in a short time. Wait an hour and try again, or add to an "
			        "appeal you already filed.");
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	kn_view_begin(r, _("File an appeal"));
	kn_h(&r->out, "<h1>%t</h1><p>%t %s.</p>", N_("File an appeal"), N_("To the secretariat of"),
	     kn_council_name(c, r->lang));
	filing_form(r, &x, c, &in, x.errs);
	kn_view_end(r);
}

/* ---- one appeal -------------------------------------------------------------------------- */

static const char *role_label(const char *role)
{
	if (!strcmp(role, "filer"))
		return N_("Filer");
	if (!strcmp(role, "secretariat"))
		return N_("Secretariat");
	if (!strcmp(role, "officer"))
		return N_("Agency");
	return N_("System");
}

static const char *step_label(const char *step)
{
	const char *p = strchr(step, '_');
	p = p ? p + 1 : step;
	if (!strcmp(p, "reminder"))
		return N_("Reminder sent to the agency");
	if (!strcmp(p, "breach"))
		return N_("Deadline missed: secretariat and agency notified");
	if (!strcmp(p, "flagged"))
		return N_("Flagged overdue in public");
	return N_("Proposed for the next meeting's agenda");
}

static void action_forms(struct kn_req *r, struct kn_ctx *x, const struct kn_appeal *a,
                         const struct kn_appeal_access *acc, const struct kn_ferr *errs)
{
	struct kn_buf *b = &r->out;
	const char *base = kn_printf(r->a, "/councils/%s/appeals/%s", a->council_slug, a->reference);
	bool triage = !strcmp(a->state, "submitted") || !strcmp(a->state, "info_requested");
	bool open = !strcmp(a->state, "forwarded") || !strcmp(a->state, "acknowledged");
	if (acc->secretary) {
		kn_h(b, "<section class=\"actions\"><h2>%t</h2>", N_("Secretariat"));
		if (triage || open) {
			const char *sugg = kn_appeal_suggest(x, a->council_id, a->category);
			kn_h(b, "<h3>%t</h3>", open ? N_("Forward to another agency") : N_("Accept and forward"));
			if (sugg)
				kn_h(b, "<p class=\"hint\">%t: %s</p>", N_("Routing rule suggests"), sugg);
			kn_form_begin(r, kn_printf(r->a, "%s/forward", base), false);
			const char *posted = r->method == KN_POST ? kn_req_form(r, "agency") : NULL;
			kn_form_input_list(r, errs, "agency", N_("Agency"), posted ? posted : sugg, kn_view_agency_datalist(r),
			                   N_("Its short name (e.g. kgd), or words of its name that only it has (e.g. state "
			                      "revenue)."));
			kn_form_textarea(r, errs, "note", N_("Note to the agency (optional)"), NULL, NULL);
			kn_form_end(r, N_("Forward"));
		}
		if (triage) {
			kn_h(b, "<h3>%t</h3>", N_("Mark as a duplicate"));
			kn_form_begin(r, kn_printf(r->a, "%s/duplicate", base), false);
			kn_form_input(r, errs, "of", N_("Reference of the original appeal"), NULL, NULL, true, NULL);
			kn_form_textarea(r, errs, "note", N_("Note (optional)"), NULL, NULL);
			kn_form_end(r, N_("Mark as duplicate"));
		}
		if (!strcmp(a->state, "submitted")) {
			kn_h(b, "<h3>%t</h3>", N_("Ask the filer for more information"));
			kn_form_begin(r, kn_printf(r->a, "%s/ask", base), false);
			kn_form_textarea(r, errs, "text", N_("Question"), NULL, NULL);
			kn_form_end(r, N_("Ask"));
		}
		if (triage) {
			kn_h(b, "<h3>%t</h3>", N_("Reject"));
			kn_form_begin(r, kn_printf(r->a, "%s/reject", base), false);
			kn_form_textarea(r, errs, "text", N_("Reason (shown to the filer)"), NULL, NULL);
			kn_form_end(r, N_("Reject"));
		}
		if (open && a->ext_state && !strcmp(a->ext_state, "requested")) {
			kn_h(b, "<h3>%t</h3><p>%D %s: %s</p>", N_("Extension asked"), (int64_t)a->ext_days,
			     NG_("working day", "working days", a->ext_days), a->ext_reason ? a->ext_reason : "");
			static const char *const dec[] = {"grant", N_("Grant"), "refuse", N_("Refuse"), NULL};
			kn_form_begin(r, kn_printf(r->a, "%s/extension", base), false);
			kn_form_select(r, errs, "decision", N_("Decision"), "grant", dec);
			kn_form_textarea(r, errs, "note", N_("Note (optional)"), NULL, NULL);
			kn_form_end(r, N_("Decide"));
		}
		if (!a->hidden) {
			kn_h(b, "<h3>%t</h3>", N_("Moderation"));
			kn_form_begin(r, kn_printf(r->a, "%s/hide", base), false);
			kn_form_input(r, errs, "message", N_("Message number (empty: the appeal's own subject and text)"), NULL,
			              "number", false, NULL);
			kn_form_input(r, errs, "reason", N_("Reason for hiding"), NULL, NULL, true,
			              N_("The original is kept for the record and seen by the secretariat only."));
			kn_form_end(r, N_("Hide text"));
		}
		kn_h(b, "</section>");
	}
	if (acc->officer && open) {
		const char *abase = kn_printf(r->a, "/agencies/%s/appeals/%s", a->agency_slug, a->reference);
		kn_h(b, "<section class=\"actions\"><h2>%t</h2>", N_("Agency"));
		if (!strcmp(a->state, "forwarded")) {
			kn_form_begin(r, kn_printf(r->a, "%s/acknowledge", abase), false);
			kn_form_textarea(r, errs, "text", N_("Acknowledgement (optional)"), NULL,
			                 N_("E.g. who handles it and what happens next."));
			kn_form_end(r, N_("Acknowledge"));
		}
		kn_h(b, "<h3>%t</h3>", N_("Reply"));
		kn_form_begin(r, kn_printf(r->a, "%s/reply", abase), true);
		kn_form_textarea(r, errs, "text", N_("Reply"), NULL, N_("Markdown."));
		file_input(r, errs);
		kn_form_end(r, N_("Send reply"));
		if (!a->ext_state || strcmp(a->ext_state, "requested")) {
			kn_h(b, "<h3>%t</h3>", N_("Ask for an extension"));
			kn_form_begin(r, kn_printf(r->a, "%s/extension", abase), false);
			kn_form_input(r, errs, "days", N_("Extra working days"), NULL, "number", true, NULL);
			kn_form_textarea(r, errs, "reason", N_("Reason"), NULL, NULL);
			kn_form_end(r, N_("Ask"));
		}
		kn_h(b, "<h3>%t</h3>", N_("Resolve"));
		kn_form_begin(r, kn_printf(r->a, "%s/resolve", abase), false);
		kn_form_textarea(r, errs, "text", N_("What was done"), NULL, N_("Markdown."));
		kn_form_end(r, N_("Resolve"));
		kn_h(b, "</section>");
	}
	if (acc->filer) {
		bool closed = !strcmp(a->state, "rejected") || !strcmp(a->state, "duplicate");
		if (!closed && strcmp(a->state, "resolved")) {
			kn_h(b, "<section class=\"actions\"><h2>%t</h2>",
			     !strcmp(a->state, "info_requested") ? N_("Answer the secretariat") : N_("Add a message"));
			kn_form_begin(r, kn_printf(r->a, "%s/answer", base), true);
			kn_form_textarea(r, errs, "text", N_("Message"), NULL, NULL);
			file_input(r, errs);
			kn_form_end(r, N_("Send"));
			kn_h(b, "</section>");
		}
		if (!strcmp(a->state, "resolved") && !a->reopened) {
			kn_h(b, "<section class=\"actions\"><h2>%t</h2><p>%t</p>", N_("Not resolved for you?"),
			     N_("You can reopen this appeal once, saying why."));
			kn_form_begin(r, kn_printf(r->a, "%s/reopen", base), false);
			kn_form_textarea(r, errs, "reason", N_("Why it is not resolved"), NULL, NULL);
			kn_form_end(r, N_("Reopen"));
			kn_h(b, "</section>");
		}
	}
}

static void render_appeal(struct kn_req *r, struct kn_ctx *x, const struct kn_appeal *a,
                          const struct kn_appeal_access *acc, const struct kn_ferr *errs)
{
	struct kn_buf *b = &r->out;
	const char *tz = a->council_tz;
	kn_view_begin(r, a->reference);
	kn_h(b, "<p class=\"muted\"><a href=\"/councils/%u/appeals\">%t</a></p>", a->council_slug, N_("Appeals"));
	kn_h(b, "<h1>%s: %s</h1><p>", a->reference, subject_for(a, acc->see_hidden));
	state_badge(r, a);
	if (acc->filer || acc->secretary || acc->officer)
		if (kn_appeal_overdue_now(a, r->now) && !a->overdue_flag)
			kn_h(b, " <span class=\"badge overdue\">%t</span>", N_("Past deadline"));
	kn_h(b, " <span class=\"badge\">%t</span></p>", kn_appeal_label(kn_appeal_visibilities, a->visibility));
	if (kn_req_arg(r, "filed"))
		kn_h(b, "<p class=\"notice\" role=\"status\">%t %s. %t</p>", N_("Your appeal was filed with the reference"),
		     a->reference, N_("Keep it; this page shows every step."));
	kn_form_errors(r, errs);
	if (a->illustrative)
		kn_h(b, "<p class=\"muted\"><em>%t</em></p>",
		     N_("Demo record: the dates and times are illustrative, chosen to match the source article."));
	kn_h(b, "<dl class=\"facts\">");
	kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Filed"), local_time(r, tz, a->filed_at));
	kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Filed by"), acc->see_filer ? a->filer_name : _("Name withheld"));
	kn_h(b, "<dt>%t</dt><dd>%t</dd>", N_("Category"), kn_appeal_label(kn_appeal_categories, a->category));
	kn_h(b, "<dt>%t</dt><dd>%t", N_("Who is affected"), kn_appeal_label(kn_appeal_scales, a->scale));
	if (*a->affected && (!a->hidden || acc->see_hidden))
		kn_h(b, ": %s", a->affected);
	kn_h(b, "</dd>");
	if (*a->concerns)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Concerns"), a->concerns);
	if (a->agency_slug)
		kn_h(b, "<dt>%t</dt><dd><a href=\"/agencies/%u/appeals\">%s</a> (%t %s)</dd>", N_("With agency"),
		     a->agency_slug, kn_view_agency_name(r, a->agency_id, a->agency_name), N_("since"),
		     local_time(r, tz, a->forwarded_at));
	if (a->ack_due) {
		kn_h(b, "<dt>%t</dt><dd>%t %s", N_("Acknowledgement"), N_("due by the end of"), due_date(r, tz, a->ack_due));
		if (a->ack_at)
			kn_h(b, "; %t %s (%t)", N_("acknowledged"), local_time(r, tz, a->ack_at),
			     a->ack_at < a->ack_due ? N_("on time") : N_("late"));
		kn_h(b, "</dd>");
	}
	if (a->resolve_due) {
		kn_h(b, "<dt>%t</dt><dd>%t %s", N_("Resolution"), N_("due by the end of"), due_date(r, tz, a->resolve_due));
		if (a->resolved_at)
			kn_h(b, "; %t %s (%t)", N_("resolved"), local_time(r, tz, a->resolved_at),
			     a->resolved_at < a->resolve_due ? N_("on time") : N_("late"));
		kn_h(b, "</dd>");
	}
	if (a->ext_state)
		kn_h(b, "<dt>%t</dt><dd>%D %s, %t</dd>", N_("Extension"), (int64_t)a->ext_days,
		     NG_("working day", "working days", a->ext_days),
		     !strcmp(a->ext_state, "requested") ? N_("asked") : !strcmp(a->ext_state, "granted") ? N_("granted")
		                                                                                        : N_("refused"));
	if (a->reopened)
		kn_h(b, "<dt>%t</dt><dd>%t</dd>", N_("Reopened"), N_("once, by the filer"));
	if (a->duplicate_ref)
		kn_h(b, "<dt>%t</dt><dd><a href=\"/councils/%u/appeals/%u\">%s</a></dd>", N_("Duplicate of"), a->council_slug,
		     a->duplicate_ref, a->duplicate_ref);
	if (a->duplicates)
		kn_h(b, "<dt>%t</dt><dd>%D</dd>", N_("People who raised this"), (int64_t)a->duplicates + 1);
	if (!strcmp(a->state, "rejected") && *a->reason)
		kn_h(b, "<dt>%t</dt><dd>%s</dd>", N_("Reason for rejection"), a->reason);
	kn_h(b, "</dl>");
	if (a->hidden) {
		kn_h(b, "<p class=\"notice\">%t: %s</p>", N_("Text hidden by moderation"), a->hidden_reason);
		if (acc->see_hidden)
			kn_h(b, "<section class=\"hidden-original\"><h2>%t</h2><p><strong>%s</strong></p>%M</section>",
			     N_("Original (secretariat only)"), a->subject, a->body);
	} else {
		kn_h(b, "<section class=\"appeal-body\">%M</section>", a->body);
	}
	struct kn_appeal_attachment *f;
	int nf;
	if (!kn_appeal_attachments(x, a->id, &f, &nf) && nf) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Attachments"));
		for (int i = 0; i < nf; i++)
			kn_h(b, "<li><a href=\"/councils/%u/appeals/%u/files/%D\">%s</a> <span class=\"muted\">(%s, %D KiB)</span></li>",
			     a->council_slug, a->reference, f[i].id, f[i].filename, f[i].ctype, (f[i].size + 1023) / 1024);
		kn_h(b, "</ul>");
	}
	struct kn_appeal_msg *m;
	int nm;
	if (!kn_appeal_messages(x, a->id, &m, &nm) && nm) {
		kn_h(b, "<h2>%t</h2><ol class=\"messages\">", N_("Conversation"));
		for (int i = 0; i < nm; i++) {
			bool filer = !strcmp(m[i].author_role, "filer");
			const char *who = filer && !acc->see_filer ? "" : m[i].author_name ? m[i].author_name : "";
			kn_h(b, "<li id=\"m%D\"><p class=\"muted\">#%D · %t%s%s · %s</p>", m[i].id, m[i].id,
			     role_label(m[i].author_role), *who ? ": " : "", who, local_time(r, a->council_tz, m[i].created_at));
			if (m[i].hidden) {
				kn_h(b, "<p class=\"notice\">%t: %s</p>", N_("Text hidden by moderation"), m[i].hidden_reason);
				if (acc->see_hidden)
					kn_h(b, "<div class=\"hidden-original\">%M</div>", m[i].body);
			} else {
				kn_h(b, "%M", m[i].body);
			}
			kn_h(b, "</li>");
		}
		kn_h(b, "</ol>");
	}
	struct kn_appeal_step *s;
	int ns;
	if (!kn_appeal_steps(x, a->id, &s, &ns) && ns) {
		kn_h(b, "<h2>%t</h2><ul>", N_("Escalation"));
		for (int i = 0; i < ns; i++) {
			kn_h(b, "<li>%s: %t (%t %s)", local_time(r, tz, s[i].at), step_label(s[i].step),
			     !strncmp(s[i].step, "ack", 3) ? N_("acknowledgement deadline") : N_("resolution deadline"),
			     due_date(r, tz, s[i].due_at));
			if (s[i].meeting_id)
				kn_h(b, " — <a href=\"/councils/%u/meetings/%D\">%t</a>", a->council_slug, s[i].meeting_id,
				     N_("the next meeting"));
			else if (!strcmp(step_label(s[i].step), "Proposed for the next meeting's agenda"))
				kn_h(b, " — %t", N_("no meeting is scheduled yet; the secretariat puts it on the next one"));
			kn_h(b, "</li>");
		}
		kn_h(b, "</ul>");
	}
	action_forms(r, x, a, acc, errs);
	kn_view_history(r, x, "appeal", a->id);
	kn_view_end(r);
}

/* Loads the appeal named in the route, in the route's council (or agency). */
static bool load_appeal(struct kn_req *r, struct kn_ctx *x, struct kn_appeal **a, struct kn_appeal_access *acc)
{
	enum kn_err rc = kn_appeal_get(x, kn_req_param(r, "ref"), a);
	if (!rc) {
		const char *ck = kn_req_param(r, "council"), *gk = kn_req_param(r, "agency");
		if (ck) {
			struct kn_council *c;
			if ((rc = kn_council_get(x, ck, &c)) == KN_OK && c->id != (*a)->council_id)
				rc = KN_ENOTFOUND;
		} else if (gk) {
			struct kn_agency *g;
			if ((rc = kn_agency_get(x, gk, &g)) == KN_OK && g->id != (*a)->agency_id)
				rc = KN_ENOTFOUND;
		}
	}
	if (!rc)
		rc = kn_appeal_access(x, *a, acc);
	if (rc) {
		kn_fail_err(r, rc);
		return false;
	}
	if (!acc->see) {
		kn_fail(r, 403, "confidential", NULL,
		        "This appeal is confidential: only the filer, the secretariat and the agency see it.");
		return false;
	}
	return true;
}

void kn_page_appeal(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_appeal *a;
	struct kn_appeal_access acc;
	if (!load_appeal(r, &x, &a, &acc))
		return;
	render_appeal(r, &x, a, &acc, NULL);
}

/* The action at the end of the path: .../{ref}/forward -> "forward". */
static const char *path_action(struct kn_req *r)
{
	const char *s = strrchr(r->path, '/');
	return s ? s + 1 : "";
}

/* Runs one action in a transaction; the actor's role is the route's. */
enum kn_err kn_appeal_do(struct kn_req *r, struct kn_ctx *x, const struct kn_appeal *a, const char *act,
                         const char *(*get)(struct kn_req *r, const char *name), const struct kn_upload *files);

enum kn_err kn_appeal_do(struct kn_req *r, struct kn_ctx *x, const struct kn_appeal *a, const char *act,
                         const char *(*get)(struct kn_req *r, const char *name), const struct kn_upload *files)
{
	bool agency_route = kn_req_param(r, "agency") != NULL;
	if (!strcmp(act, "forward"))
		return kn_appeal_forward(x, a->id, get(r, "agency"), get(r, "note"));
	if (!strcmp(act, "duplicate"))
		return kn_appeal_mark_duplicate(x, a->id, get(r, "of"), get(r, "note"));
	if (!strcmp(act, "ask"))
		return kn_appeal_ask_info(x, a->id, get(r, "text"));
	if (!strcmp(act, "reject"))
		return kn_appeal_reject(x, a->id, get(r, "text"));
	if (!strcmp(act, "hide")) {
		const char *m = get(r, "message");
		int64_t mid = m && *m ? kn_parse_id(m) : 0;
		if (m && *m && !mid) {
			kn_ferr_add(x, "message", "Enter the number of a message, or leave it empty.");
			return KN_EINVAL;
		}
		return kn_appeal_hide(x, a->id, mid, get(r, "reason"));
	}
	if (!strcmp(act, "extension") && !agency_route) {
		const char *d = get(r, "decision");
		if (!d || (strcmp(d, "grant") && strcmp(d, "refuse"))) {
			kn_ferr_add(x, "decision", "Choose grant or refuse.");
			return KN_EINVAL;
		}
		return kn_appeal_extension_decide(x, a->id, !strcmp(d, "grant"), get(r, "note"));
	}
	if (!strcmp(act, "extension")) {
		const char *d = get(r, "days");
		int64_t days = kn_parse_id(d);
		return kn_appeal_extension_ask(x, a->id, days > 0 && days < 1000 ? (int)days : 0, get(r, "reason"));
	}
	if (!strcmp(act, "acknowledge"))
		return kn_appeal_acknowledge(x, a->id, get(r, "text"));
	if (!strcmp(act, "reply"))
		return kn_appeal_reply(x, a->id, get(r, "text"), files);
	if (!strcmp(act, "resolve"))
		return kn_appeal_resolve(x, a->id, get(r, "text"));
	if (!strcmp(act, "answer"))
		return kn_appeal_answer(x, a->id, get(r, "text"), files);
	if (!strcmp(act, "reopen"))
		return kn_appeal_reopen(x, a->id, get(r, "reason"));
	return KN_ENOTFOUND;
}

void kn_page_appeal_act(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_appeal *a;
	struct kn_appeal_access acc;
	if (!load_appeal(r, &x, &a, &acc))
		return;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_appeal_do(r, &x, a, path_action(r), kn_req_form, uploads(r)));
	if (!rc) {
		kn_redirect(r, kn_printf(r->a, "/councils/%s/appeals/%s", a->council_slug, a->reference));
		return;
	}
	if (rc == KN_ECONFLICT) {
		kn_fail(r, 409, "conflict", NULL,
		        "The appeal is not in a state that allows this (it may have changed meanwhile). Reload the page.");
		return;
	}
	if (rc != KN_EINVAL) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_ferr *errs = x.errs;
	kn_ctx_init(r, &x);
	if (kn_appeal_get(&x, a->reference, &a) || kn_appeal_access(&x, a, &acc)) {
		kn_fail_err(r, KN_EDB);
		return;
	}
	r->status = 422;
	render_appeal(r, &x, a, &acc, errs);
}

void kn_page_appeal_file(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_appeal *a;
	struct kn_appeal_access acc;
	if (!load_appeal(r, &x, &a, &acc))
		return;
	struct kn_appeal_attachment *f;
	enum kn_err rc = kn_appeal_attachment_get(&x, a->id, kn_parse_id(kn_req_param(r, "file")), &f);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	/* the sniffed type, and always as a download: never rendered inline */
	kn_view_download(r, f->data, (size_t)f->size, f->ctype);
	r->cache = "private, no-cache";
	char ascii[130], pct[400];
	size_t na = 0, np = 0;
	static const char hex[] = "0123456789ABCDEF";
	for (const char *p = f->filename; *p && na < sizeof(ascii) - 1 && np < sizeof(pct) - 4; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
			ascii[na++] = (char)ch;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
		    ch == '-' || ch == '_') {
			pct[np++] = (char)ch;
		} else {
			pct[np++] = '%';
			pct[np++] = hex[ch >> 4];
			pct[np++] = hex[ch & 15];
		}
	}
	ascii[na] = 0;
	pct[np] = 0;
	kn_req_add_header(r, "Content-Disposition",
	                  kn_printf(r->a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, pct));
}

/* ---- statistics ------------------------------------------------------------------------ */

static void stats_table(struct kn_req *r, const char *caption, const char *head, struct kn_appeal_stat *s, int n,
                        const struct kn_appeal_stat *total, bool agency_links, bool category)
{
	struct kn_buf *b = &r->out;
	kn_h(b,
	     "<table class=\"stats\"><caption>%t</caption><thead><tr><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
	     "<th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
	     "<th scope=\"col\">%t</th></tr></thead><tbody>",
	     caption, head, N_("Received"), N_("Acknowledged on time"), N_("Resolved on time"),
	     N_("Median working days to resolution"), N_("90th percentile"), N_("Overdue now"));
	for (int i = 0; i <= n; i++) {
		const struct kn_appeal_stat *t = i < n ? &s[i] : total;
		if (i == n)
			kn_h(b, "<tr class=\"total\"><th scope=\"row\">%t</th>", N_("All"));
		else if (agency_links)
			kn_h(b, "<tr><th scope=\"row\"><a href=\"/agencies/%u/appeals\">%s</a></th>", t->key, t->label);
		else
			kn_h(b, "<tr><th scope=\"row\">%t</th>", category ? t->label : t->label);
		kn_h(b, "<td>%D</td><td>%s <span class=\"muted\">(%D/%D)</span></td><td>%s <span class=\"muted\">(%D/%D)</span></td>"
		        "<td>%s</td><td>%s</td><td>%D</td></tr>",
		     (int64_t)t->received, pct(r, t->ack_on_time, t->ack_counted), (int64_t)t->ack_on_time,
		     (int64_t)t->ack_counted, pct(r, t->res_on_time, t->res_counted), (int64_t)t->res_on_time,
		     (int64_t)t->res_counted, days_str(r, t->median_days), days_str(r, t->p90_days), (int64_t)t->overdue_now);
	}
	kn_h(b, "</tbody></table>");
}

static void stats_note(struct kn_req *r)
{
	kn_h(&r->out, "<p class=\"muted\">%t</p>",
	     N_("On time: acknowledged or resolved before the end of the deadline day, counted in working days in the "
	        "council's time zone from the day the appeal was forwarded. An appeal counts once its deadline has "
	        "passed or it was answered. Confidential appeals are counted but never listed."));
}

void kn_page_appeal_stats(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	if (!load_council(r, &x, &c))
		return;
	struct kn_appeal_stats sa, sc;
	enum kn_err rc = kn_appeal_stats(&x, c->id, 0, &sa, &sc);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_view_begin(r, _("Response statistics"));
	kn_h(&r->out, "<h1>%t: %s</h1>", N_("Response statistics"), kn_council_name(c, r->lang));
	stats_note(r);
	stats_table(r, N_("By agency"), N_("Agency"), sa.groups, sa.n, &sa.total, true, false);
	for (int i = 0; i < sc.n; i++)
		sc.groups[i].label = _(sc.groups[i].label);
	stats_table(r, N_("By category"), N_("Category"), sc.groups, sc.n, &sc.total, false, true);
	kn_h(&r->out, "<p><a href=\"/councils/%u/appeals\">%t</a></p>", c->slug, N_("All public appeals"));
	kn_view_end(r);
}

void kn_page_agency_appeals(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g;
	enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &g);
	struct kn_appeal_stats sc;
	int n, total;
	struct kn_appeal *a;
	if (!rc)
		rc = kn_appeal_stats(&x, 0, g->id, NULL, &sc);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_appeal_filter f = {.agency_id = g->id, .public_only = true};
	if (!appeal_window(r, &x, &f, &a, &n, &total))
		return;
	kn_view_begin(r, _("Appeals"));
	kn_h(&r->out, "<h1>%t: %s</h1>", N_("Appeals"), kn_agency_name(g, r->lang));
	if (r->user && kn_has_agency_role(r, g->id))
		kn_h(&r->out, "<p><a href=\"/agencies/%u/appeals/queue\">%t</a></p>", g->slug, N_("Appeals to answer"));
	stats_note(r);
	for (int i = 0; i < sc.n; i++)
		sc.groups[i].label = _(sc.groups[i].label);
	stats_table(r, N_("By category"), N_("Category"), sc.groups, sc.n, &sc.total, false, true);
	kn_h(&r->out, "<h2>%t</h2>", N_("Public appeals"));
	appeal_table(r, a, n, false, false);
	kn_view_pager(r, kn_printf(r->a, "/agencies/%s/appeals", g->slug), f.offset, f.limit, total);
	kn_view_end(r);
}

/* ---- settings ---------------------------------------------------------------------------- */

static int form_int(struct kn_req *r, const char *name, int def)
{
	const char *v = kn_req_form(r, name);
	if (!v)
		return def;
	if (!strcmp(v, "0"))
		return 0;
	int64_t n = kn_parse_id(v);
	return n > 0 && n < 100000 ? (int)n : -1;
}

void kn_page_appeal_settings(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	if (!load_council(r, &x, &c))
		return;
	struct kn_appeal_settings s;
	enum kn_err rc = kn_appeal_settings_get(&x, c->id, &s);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	if (r->method == KN_POST) {
		s.ack_urgent = form_int(r, "ack_urgent", s.ack_urgent);
		s.resolve_urgent = form_int(r, "resolve_urgent", s.resolve_urgent);
		s.ack_normal = form_int(r, "ack_normal", s.ack_normal);
		s.resolve_normal = form_int(r, "resolve_normal", s.resolve_normal);
		s.remind_hours = form_int(r, "remind_hours", s.remind_hours);
		s.flag_days = form_int(r, "flag_days", s.flag_days);
		s.agenda_days = form_int(r, "agenda_days", s.agenda_days);
		rc = kn_tx_begin(r, &x);
		if (!rc) {
			rc = kn_appeal_settings_save(&x, c->id, &s);
			for (int i = 0; !rc && kn_appeal_categories[i]; i += 2) {
				const char *v = kn_req_form(r, kn_printf(r->a, "route_%s", kn_appeal_categories[i]));
				if (v)
					rc = kn_appeal_route_set(&x, c->id, kn_appeal_categories[i], v);
			}
			rc = kn_tx_end(&x, rc);
		}
		if (!rc) {
			kn_redirect(r, kn_printf(r->a, "/councils/%s/appeals/settings?saved=1", c->slug));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	struct kn_appeal_route *rt;
	int nr = 0;
	if (kn_appeal_routes(&x, c->id, &rt, &nr))
		nr = 0;
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Deadlines and routing"));
	kn_h(b, "<h1>%t: %s</h1>", N_("Deadlines and routing"), kn_council_name(c, r->lang));
	if (kn_req_arg(r, "saved") && r->method == KN_GET)
		kn_h(b, "<p class=\"notice\" role=\"status\">%t</p>", N_("Saved."));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/appeals/settings", c->slug), false);
	kn_h(b, "<fieldset><legend>%t</legend>", N_("Targets in working days (new forwardings)"));
	const char *v;
#define NUM(name, label, val)                                   \
	v = (val) >= 0 ? kn_printf(r->a, "%d", (val)) : kn_req_form(r, name); \
	kn_form_input(r, x.errs, name, label, v, "number", true, NULL)
	NUM("ack_urgent", N_("Urgent: acknowledge within"), s.ack_urgent);
	NUM("resolve_urgent", N_("Urgent: resolve within"), s.resolve_urgent);
	NUM("ack_normal", N_("Normal: acknowledge within"), s.ack_normal);
	NUM("resolve_normal", N_("Normal: resolve within"), s.resolve_normal);
	kn_h(b, "</fieldset><fieldset><legend>%t</legend>", N_("Escalation ladder"));
	NUM("remind_hours", N_("Remind the agency this many hours before a deadline (0: no reminder)"), s.remind_hours);
	NUM("flag_days", N_("Flag overdue in public this many working days after the deadline day"), s.flag_days);
	NUM("agenda_days", N_("Propose for the next meeting's agenda after this many working days"), s.agenda_days);
#undef NUM
	kn_h(b, "</fieldset><fieldset><legend>%t</legend><p class=\"hint\">%t</p>", N_("Routing rules: category to agency"),
	     N_("For each category, the agency to suggest: its short name, or words of its name that only it has; "
	        "empty: no rule."));
	/* one list of the registry for the eleven fields, while it is small:
	 * eleven selects of a national registry made this page 595 KB */
	const char *list = kn_view_agency_datalist(r);
	for (int i = 0; kn_appeal_categories[i]; i += 2) {
		const char *cur = "";
		for (int k = 0; k < nr; k++)
			if (!strcmp(rt[k].category, kn_appeal_categories[i]))
				cur = rt[k].agency_slug;
		const char *posted = r->method == KN_POST ? kn_req_form(r, kn_printf(r->a, "route_%s", kn_appeal_categories[i]))
		                                          : NULL;
		kn_form_input_list(r, x.errs, kn_printf(r->a, "route_%s", kn_appeal_categories[i]), kn_appeal_categories[i + 1],
		                   posted ? posted : cur, list, NULL);
	}
	kn_h(b, "</fieldset>");
	kn_form_end(r, N_("Save"));
	kn_view_end(r);
}

/* ---- inbox ------------------------------------------------------------------------------ */

void kn_page_inbox(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_note *m;
	int n, unread, total, off, lim;
	if (!kn_req_window(r, 50, 50, &off, &lim))
		return;
	enum kn_err rc = kn_inbox_list(&x, r->user->id, off, lim, &m, &n, &total, &unread);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Inbox"));
	kn_h(b, "<h1>%t</h1><p>%D %s · <a href=\"/appeals/mine\">%t</a></p>", N_("Inbox"), (int64_t)unread,
	     NG_("unread", "unread", unread),
	     N_("My appeals"));
	if (unread)
		kn_form_button(r, "/inbox/read", N_("Mark all as read"));
	if (!n)
		kn_h(b, "<p>%t</p>", N_("Nothing here yet."));
	else {
		kn_h(b, "<ul class=\"inbox\">");
		for (int i = 0; i < n; i++) {
			if (m[i].read_at)
				kn_h(b, "<li>");
			else
				kn_h(b, "<li class=\"unread\">");
			kn_h(b, "%s%s · %t: <a href=\"%s\">%s</a></li>", kn_view_time(r, m[i].created_at),
			     m[i].read_at ? "" : " ●", kn_note_label(m[i].kind), m[i].link, m[i].body);
		}
		kn_h(b, "</ul>");
	}
	kn_view_pager(r, "/inbox", off, lim, total);
	kn_view_end(r);
}

void kn_page_inbox_read(struct kn_req *r)
{
	struct kn_ctx x;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_inbox_mark_read(&x, r->user->id, kn_parse_id(kn_req_form(r, "id"))));
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_redirect(r, "/inbox");
}

/* ---- the calendar (operator) ---------------------------------------------------------------- */

void kn_page_admin_calendar(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	const char *text;
	bool builtin;
	int64_t at;
	enum kn_err rc = kn_workcal_text(&x, &text, &builtin, &at);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	if (r->method == KN_POST) {
		bool reset = kn_req_form(r, "reset") != NULL;
		const char *posted = kn_req_form(r, "text");
		rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, reset ? kn_workcal_reset(&x) : kn_workcal_save(&x, posted));
		if (!rc) {
			kn_redirect(r, "/admin/calendar?saved=1");
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
		text = posted;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Working-day calendar"));
	kn_h(b, "<h1>%t</h1><p>%t</p>", N_("Working-day calendar"),
	     N_("Holidays, moved days off and working Saturdays used to count every deadline in working days. One "
	        "directive a line (weekend, fixed, holiday, off, work); see docs/calendar.md. Changes apply to "
	        "deadlines computed from now on; deadlines already set keep their value."));
	if (kn_req_arg(r, "saved") && r->method == KN_GET)
		kn_h(b, "<p class=\"notice\" role=\"status\">%t</p>", N_("Saved."));
	kn_h(b, "<p>%t: %t</p>", N_("In force"), builtin ? N_("the built-in Kazakhstan calendar") : N_("edited here"));
	if (!builtin)
		kn_h(b, "<p class=\"muted\">%t %s</p>", N_("Last changed"), kn_view_time(r, at));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, "/admin/calendar", false);
	kn_form_textarea(r, x.errs, "text", N_("Calendar"), text, NULL);
	kn_form_end(r, N_("Save the calendar"));
	if (!builtin) {
		kn_form_begin(r, "/admin/calendar", false);
		kn_h(b, "<input type=\"hidden\" name=\"reset\" value=\"1\">");
		kn_form_end(r, N_("Go back to the built-in calendar"));
	}
	kn_view_end(r);
}
