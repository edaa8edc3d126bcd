/* pages_consultation.c: consultations on the portal: the list, the
 * consultation page (one statement at a time with agree / disagree / pass
 * buttons, and a statement form: plain HTML forms, no JavaScript), the
 * results page (an SVG map of participants and opinion groups drawn here,
 * binned so the page stays small at any size; each group's representative
 * statements; the consensus), the Pol.is-format downloads, and the
 * secretary's forms (new, import, moderation, close). */
#include "view/pages_consultation.h"
#include "app/app.h"
#include "app/consult_actor.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "domain/consultation.h"
#include "domain/registry.h"
#include "opinion/opinion.h"
#include "store/store.h"
#include "view/view.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The council and consultation named by the route; fails the request. */
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

static const char *base(struct kn_req *r, const struct kn_consultation *c)
{
	return kn_printf(r->a, "/councils/%s/consultations/%lld", c->council_slug, (long long)c->id);
}

static bool is_secretary(struct kn_req *r, int64_t council_id)
{
	return kn_has_council_role(r, council_id, "secretary");
}

static const char *status_label(const struct kn_consultation *c, int64_t now)
{
	if (kn_consultation_is_open(c, now))
		return N_("open");
	if (!c->closed && now < c->opens_at)
		return N_("not open yet");
	return N_("closed");
}

/* ---- the list -------------------------------------------------------------- */

void kn_page_consultations(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	int n, total, off, lim;
	if (!kn_req_window(r, 50, 50, &off, &lim))
		return;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &k);
	if (!rc)
		rc = kn_consultation_page(&x, k->id, off, lim, &c, &n, &total);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_view_begin(r, _("Consultations"));
	kn_h(&r->out, "<h1>%t: %s</h1>", N_("Consultations"), kn_council_name(k, r->lang));
	kn_council_nav(r, k->slug);
	kn_h(&r->out, "<p>%t</p>",
	     N_("Different opinions, but one nation: the council asks a question, people write short statements and "
	        "vote agree, disagree or pass, and the map shows the groups of opinion and what unites them."));
	if (is_secretary(r, k->id))
		kn_h(&r->out, "<p><a href=\"/councils/%u/consultations/new\">%t</a> · <a href=\"/councils/%u/consultations/import\">%t</a></p>",
		     k->slug, N_("Start a consultation"), k->slug, N_("Import a Pol.is export"));
	if (!total) {
		kn_h(&r->out, "<p>%t</p>", N_("No consultations yet."));
	} else if (n) {
		kn_h(&r->out, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
		     N_("Question"), N_("Dates"), N_("Status"), N_("Participants"));
		for (int i = 0; i < n; i++) {
			kn_h(&r->out, "<tr><td><a href=\"%s\">%s</a>", base(r, &c[i]), c[i].question);
			if (c[i].illustrative)
				kn_h(&r->out, " <span class=\"badge\">%t</span>", N_("illustrative"));
			kn_h(&r->out, "</td><td>%s – %s</td><td>%t</td><td>%d</td></tr>", c[i].opens_on, c[i].closes_on,
			     status_label(&c[i], r->now), c[i].n_participants);
		}
		kn_h(&r->out, "</tbody></table>");
	}
	if (total)
		kn_view_pager(r, kn_printf(r->a, "/councils/%s/consultations", k->slug), off, lim, total);
	kn_view_end(r);
}

/* ---- the consultation page --------------------------------------------------- */

static void vote_box(struct kn_req *r, struct kn_ctx *x, const struct kn_consultation *c)
{
	struct kn_buf *b = &r->out;
	int64_t pid = 0;
	enum kn_err rc = kn_consult_actor(r, x, c, false, &pid);
	if (rc == KN_EPERM) {
		kn_h(b, "<p><a href=\"/login?next=%u\">%t</a></p>", base(r, c),
		     N_("Log in to take part: this consultation is open to registered citizens."));
		return;
	}
	struct kn_statement *s = NULL;
	int left = 0;
	if ((rc && rc != KN_ENOTFOUND) || kn_consultation_next(x, c, rc ? 0 : pid, &s, &left)) {
		kn_h(b, "<p>%t</p>", N_("The statements cannot be shown right now."));
		return;
	}
	kn_h(b, "<section class=\"vote\" aria-labelledby=\"vote-h\"><h2 id=\"vote-h\">%t</h2>", N_("Your vote"));
	if (!s) {
		kn_h(b, "<p>%t</p></section>", N_("You have voted on every statement. Thank you! Come back later for new ones."));
		return;
	}
	kn_h(b, "<blockquote><p lang=\"\">%s</p></blockquote>", s->body);
	if (s->is_meta)
		kn_h(b, "<p class=\"muted\">%t</p>", N_("A remark about the consultation itself: not part of the map."));
	kn_form_begin(r, kn_printf(r->a, "%s/vote", base(r, c)), false);
	kn_h(b, "<input type=\"hidden\" name=\"statement\" value=\"%d\">", s->number);
	kn_h(b, "<p class=\"buttons\"><button type=\"submit\" name=\"vote\" value=\"agree\">%t</button> "
	        "<button type=\"submit\" name=\"vote\" value=\"disagree\">%t</button> "
	        "<button type=\"submit\" name=\"vote\" value=\"pass\">%t</button></p></form>",
	     N_("Agree"), N_("Disagree"), N_("Pass / unsure"));
	kn_h(b, "<p class=\"muted\">%t %d</p></section>", N_("Statements left for you:"), left);
}

static void consultation_page(struct kn_req *r, struct kn_ctx *x, const struct kn_consultation *c,
                              const struct kn_ferr *errs, const char *body)
{
	struct kn_buf *b = &r->out;
	kn_view_begin(r, c->question);
	kn_h(b, "<p><a href=\"/councils/%u/consultations\">%t</a></p>", c->council_slug, N_("All consultations"));
	kn_h(b, "<h1>%s</h1>", c->question);
	if (c->illustrative)
		kn_h(b, "<p class=\"muted\">%t</p>", N_("Illustrative demo data: the statements and votes were written for the demo."));
	const char *ok = kn_req_arg(r, "done");
	if (ok && !strcmp(ok, "vote"))
		kn_h(b, "<p role=\"status\">%t</p>", N_("Your vote was saved."));
	else if (ok && !strcmp(ok, "statement"))
		kn_h(b, "<p role=\"status\">%t</p>", N_("Thank you: your statement will appear once the secretary has moderated it."));
	kn_form_errors(r, errs);
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>%s – %s</dd><dt>%t</dt><dd>%t</dd><dt>%t</dt><dd>%t</dd>",
	     N_("Dates"), c->opens_on, c->closes_on, N_("Status"), status_label(c, r->now), N_("Who may take part"),
	     strcmp(c->who, "anyone") ? N_("registered citizens") : N_("anyone (no account needed)"));
	kn_h(b, "<dt>%t</dt><dd>%d</dd><dt>%t</dt><dd>%d</dd>", N_("Statements"), c->n_accepted, N_("Participants"),
	     c->n_participants);
	if (c->group_slug)
		kn_h(b, "<dt>%t</dt><dd><a href=\"/councils/%u/groups/%u\">%s</a></dd>", N_("Working group"), c->council_slug,
		     c->group_slug, c->group_name);
	if (c->proposal_id)
		kn_h(b, "<dt>%t</dt><dd><a href=\"/councils/%u/proposals/%D\">%s</a></dd>", N_("Proposal"), c->council_slug,
		     c->proposal_id, c->proposal_title);
	kn_h(b, "</dl>");
	if (*c->description)
		kn_h(b, "<section>%M</section>", c->description);
	if (*c->source)
		kn_h(b, "<p class=\"muted\">%s</p>", c->source);
	kn_h(b, "<p><a href=\"%s/results\">%t</a></p>", base(r, c), N_("See the results: opinion groups and consensus"));
	if (kn_consultation_is_open(c, r->now)) {
		vote_box(r, x, c);
		if (c->statements_open && (r->user || !strcmp(c->who, "anyone"))) {
			kn_h(b, "<section aria-labelledby=\"add-h\"><h2 id=\"add-h\">%t</h2>", N_("Add a statement"));
			kn_form_begin(r, kn_printf(r->a, "%s/statements", base(r, c)), false);
			kn_form_textarea(r, errs, "body", N_("Your statement"), body,
			                 N_("One idea, at most 280 characters. The secretary moderates statements before they appear."));
			kn_form_end(r, N_("Send the statement"));
			kn_h(b, "</section>");
		}
	}
	if (is_secretary(r, c->council_id)) {
		kn_h(b, "<h2>%t</h2><p><a href=\"%s/moderation\">%t</a> (%d %t)</p>", N_("Secretary"), base(r, c),
		     N_("Moderate statements"), c->n_pending, N_("waiting"));
		if (kn_consultation_is_open(c, r->now))
			kn_form_button(r, kn_printf(r->a, "%s/close", base(r, c)), N_("Close this consultation now"));
	}
	kn_view_history(r, x, "consultation", c->id);
	kn_view_end(r);
}

void kn_page_consultation(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	kn_consult_touch(c->id);
	consultation_page(r, &x, c, NULL, NULL);
}

/* A refused vote or statement: the page again with the message. */
static void refuse(struct kn_req *r, struct kn_ctx *x, const struct kn_consultation *c, int status, const char *field,
                   const char *msg, const char *body)
{
	struct kn_ferr *e = kn_zalloc(r->a, sizeof(*e));
	e->field = field;
	e->msg = msg;
	r->status = status;
	consultation_page(r, x, c, e, body);
}

void kn_page_consultation_vote(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	int value = kn_vote_value(kn_req_form(r, "vote"));
	int64_t number = -1;
	const char *sn = kn_req_form(r, "statement");
	if (sn && !strcmp(sn, "0"))
		number = 0;
	else if (sn && kn_parse_id(sn) > 0)
		number = kn_parse_id(sn);
	if (value < -1 || number < 0) {
		refuse(r, &x, c, 422, NULL, N_("Choose agree, disagree or pass on a statement."), NULL);
		return;
	}
	int64_t pid;
	enum kn_err rc = kn_consult_actor(r, &x, c, true, &pid);
	if (rc == KN_EPERM) {
		kn_fail(r, 403, "forbidden", NULL, "Log in to take part: this consultation is open to registered citizens.");
		return;
	}
	struct kn_vote v = {.consultation_id = c->id, .participant_id = pid, .statement = number, .value = value,
	                    .now = r->now};
	if (!rc) {
		kn_db_release(x.c); /* do not hold a connection while the batch commits */
		r->db = NULL;
		rc = kn_vote_cast(kn_app.db, &v);
		x.c = kn_req_db(r);
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	switch (v.outcome) {
	case KN_VOTE_SAVED: kn_redirect(r, kn_printf(r->a, "%s?done=vote", base(r, c))); return;
	case KN_VOTE_DUPLICATE: refuse(r, &x, c, 409, NULL, N_("You already gave this vote on this statement."), NULL); return;
	case KN_VOTE_NO_STATEMENT: refuse(r, &x, c, 404, NULL, N_("There is no such statement in this consultation."), NULL); return;
	case KN_VOTE_NOT_VOTABLE: refuse(r, &x, c, 422, NULL, N_("This statement is not open for voting."), NULL); return;
	case KN_VOTE_CLOSED: refuse(r, &x, c, 409, NULL, N_("This consultation is not open for voting."), NULL); return;
	default: kn_fail_err(r, KN_EDB); return;
	}
}

void kn_page_consultation_statement(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	const char *body = kn_req_form(r, "body");
	int64_t pid;
	enum kn_err rc = kn_consult_actor(r, &x, c, true, &pid);
	if (rc == KN_EPERM) {
		kn_fail(r, 403, "forbidden", NULL, "Log in to take part: this consultation is open to registered citizens.");
		return;
	}
	int number = 0;
	if (!rc)
		rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_statement_add(&x, c, pid, body, false, &number));
	if (rc == KN_EINVAL) {
		r->status = 422;
		consultation_page(r, &x, c, x.errs, body);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_redirect(r, kn_printf(r->a, "%s?done=statement", base(r, c)));
}

/* ---- secretary: moderation, close ------------------------------------------------ */

void kn_page_consultation_moderation(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	struct kn_statement *s;
	int n;
	if (!load(r, &x, &k, &c))
		return;
	enum kn_err rc = kn_consultation_texts(&x, c->id, &s, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Moderate statements"));
	kn_h(b, "<p><a href=\"%s\">%s</a></p><h1>%t</h1>", base(r, c), c->question, N_("Moderate statements"));
	kn_h(b, "<p>%t</p>", N_("Accept statements that are one clear idea; reject abuse, personal data and duplicates; "
	                        "mark remarks about the consultation itself as meta (shown, but left out of the map)."));
	for (int pass = 0; pass < 2; pass++) {
		kn_h(b, "<h2>%t</h2>", pass ? N_("Decided") : N_("Waiting"));
		int shown = 0;
		/* at most 300 per list keeps the page small; the rest come next time */
		for (int i = 0; i < n && shown < 300; i++) {
			bool pending = !strcmp(s[i].moderation, "pending");
			if (pending == (pass == 1))
				continue;
			shown++;
			kn_h(b, "<div class=\"statement\"><p>#%d %s <span class=\"badge\">%t</span></p>", s[i].number, s[i].body,
			     s[i].is_meta ? N_("meta") : s[i].moderation);
			const char *act = kn_printf(r->a, "%s/statements/%d/moderate", base(r, c), s[i].number);
			kn_form_begin(r, act, false);
			kn_h(b, "<button type=\"submit\" name=\"action\" value=\"accept\">%t</button> "
			        "<button type=\"submit\" name=\"action\" value=\"reject\">%t</button> "
			        "<button type=\"submit\" name=\"action\" value=\"meta\">%t</button></form></div>",
			     N_("Accept"), N_("Reject"), N_("Meta"));
		}
		if (!shown)
			kn_h(b, "<p>%t</p>", N_("None."));
	}
	kn_view_end(r);
}

void kn_page_consultation_moderate(struct kn_req *r)
{
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
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_statement_moderate(&x, c, number, kn_req_form(r, "action")));
	if (rc == KN_EINVAL) {
		kn_fail(r, 422, "invalid", "action", x.errs ? x.errs->msg : "The request is not valid.");
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_consult_touch(c->id);
	kn_redirect(r, kn_printf(r->a, "%s/moderation", base(r, c)));
}

void kn_page_consultation_close(struct kn_req *r)
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
		kn_fail(r, 409, "conflict", NULL, "This consultation is not open.");
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_redirect(r, base(r, c));
}

/* ---- secretary: new, import ---------------------------------------------------------- */

static const char *const who_opts[] = {"citizens", N_("registered citizens"), "anyone", N_("anyone (no account needed)"), NULL};
static const char *const yes_no[] = {"1", N_("yes"), "0", N_("no"), NULL};

void kn_page_consultation_new(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &k);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_consultation_in in = {.who = "citizens", .statements_open = true};
	if (r->method == KN_POST) {
		in.question = kn_req_form(r, "question");
		in.description = kn_req_form(r, "description");
		in.opens_on = kn_req_form(r, "opens_on");
		in.closes_on = kn_req_form(r, "closes_on");
		in.who = kn_req_form(r, "who");
		in.proposal = kn_req_form(r, "proposal");
		in.group = kn_req_form(r, "group");
		in.seeds = kn_req_form(r, "seeds");
		const char *so = kn_req_form(r, "statements_open");
		in.statements_open = !so || strcmp(so, "0");
		int64_t id;
		rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_consultation_create(&x, k, &in, &id));
		if (!rc) {
			kn_redirect(r, kn_printf(r->a, "/councils/%s/consultations/%lld", k->slug, (long long)id));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	kn_view_begin(r, _("Start a consultation"));
	kn_h(&r->out, "<h1>%t</h1>", N_("Start a consultation"));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/consultations/new", k->slug), false);
	kn_form_input(r, x.errs, "question", N_("Question"), in.question, NULL, true, NULL);
	kn_form_textarea(r, x.errs, "description", N_("Description"), in.description, N_("Markdown."));
	kn_form_input(r, x.errs, "opens_on", N_("Opens on"), in.opens_on, "date", true, N_("YYYY-MM-DD"));
	kn_form_input(r, x.errs, "closes_on", N_("Closes on (last day)"), in.closes_on, "date", true, N_("YYYY-MM-DD"));
	kn_form_select(r, x.errs, "who", N_("Who may take part"), in.who, who_opts);
	kn_form_select(r, x.errs, "statements_open", N_("Participants may add statements"), in.statements_open ? "1" : "0",
	               yes_no);
	kn_form_textarea(r, x.errs, "seeds", N_("Seed statements"), in.seeds,
	                 N_("One per line, at most 280 characters each; they are accepted at once."));
	kn_form_input(r, x.errs, "proposal", N_("Proposal (number, optional)"), in.proposal, NULL, false, NULL);
	kn_form_input(r, x.errs, "group", N_("Working group (short name, optional)"), in.group, NULL, false, NULL);
	kn_form_end(r, N_("Start the consultation"));
	kn_view_end(r);
}

static const struct kn_file *file_of(struct kn_req *r, const char *field)
{
	for (const struct kn_file *f = r->files; f; f = f->next)
		if (!strcmp(f->field, field) && f->len)
			return f;
	return NULL;
}

void kn_page_consultation_import(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &k);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	const char *question = NULL;
	if (r->method == KN_POST) {
		question = kn_req_form(r, "question");
		const struct kn_file *cm = file_of(r, "comments"), *vo = file_of(r, "votes"), *su = file_of(r, "summary");
		int64_t id = 0;
		rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_consultation_import(&x, k, question && *question ? question : NULL,
			                                           cm ? cm->data : NULL, cm ? cm->len : 0, vo ? vo->data : NULL,
			                                           vo ? vo->len : 0, su ? su->data : NULL, su ? su->len : 0, &id));
		if (!rc) {
			kn_consult_touch(id);
			kn_redirect(r, kn_printf(r->a, "/councils/%s/consultations/%lld/results", k->slug, (long long)id));
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	kn_view_begin(r, _("Import a Pol.is export"));
	kn_h(&r->out, "<h1>%t</h1><p>%t</p>", N_("Import a Pol.is export"),
	     N_("The files of a Pol.is export become a new, closed consultation of this council with its statements, "
	        "votes and results. Pol.is open data is licensed CC BY 4.0: the attribution is kept with the consultation."));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, kn_printf(r->a, "/councils/%s/consultations/import", k->slug), true);
	kn_form_input(r, x.errs, "comments", N_("comments.csv"), NULL, "file", true, NULL);
	kn_form_input(r, x.errs, "votes", N_("votes.csv"), NULL, "file", true, NULL);
	kn_form_input(r, x.errs, "summary", N_("summary.csv (optional)"), NULL, "file", false, NULL);
	kn_form_input(r, x.errs, "question", N_("Question (optional: the topic of summary.csv)"), question, NULL, false, NULL);
	kn_form_end(r, N_("Import"));
	kn_view_end(r);
}

/* ---- results ----------------------------------------------------------------------- */

#define MAP_W 600
#define MAP_H 360
#define GRID_X 30
#define GRID_Y 18
#define MAX_GROUPS 8

static const char *const palette[MAX_GROUPS] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                                "#66a61e", "#e6ab02", "#a6761d", "#666666"};

struct rep {
	int64_t statement;
	int agree, n_success, n_trials;
};
struct snap {
	struct kn_arena *a;
	bool have;
	int64_t computed_at;
	size_t n_participants, n_in_conv, n_groups;
	int64_t n_votes;
	size_t members[MAX_GROUPS];
	int gx[MAX_GROUPS], gy[MAX_GROUPS];
	struct rep *reps[MAX_GROUPS];
	size_t n_reps[MAX_GROUPS];
	struct rep cons[10];
	size_t n_cons;
	int *cells; /* GRID_X * GRID_Y * MAX_GROUPS counts */
};

static int scale(double v, double lo, double hi, int size)
{
	if (!(hi > lo))
		return size / 2;
	double t = (v - lo) / (hi - lo);
	int px = 20 + (int)lround(t * (size - 40));
	return px < 0 ? 0 : px > size ? size : px;
}

/* Copies what the page needs from the result (called under its lock). */
static void take(const struct kn_opinion_result *res, int64_t computed_at, void *arg)
{
	struct snap *s = arg;
	if (!res)
		return;
	s->have = true;
	s->computed_at = computed_at;
	s->n_participants = res->n_participants;
	s->n_in_conv = res->n_in_conv;
	s->n_groups = res->n_groups < MAX_GROUPS ? res->n_groups : MAX_GROUPS;
	for (size_t i = 0; i < res->n_statements; i++)
		s->n_votes += res->statements[i].n_seen;
	double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
	bool first = true;
	for (size_t i = 0; i < res->n_participants; i++) {
		const struct kn_opinion_participant *p = &res->participants[i];
		if (p->group < 0)
			continue;
		if (first || p->x < x0)
			x0 = p->x;
		if (first || p->x > x1)
			x1 = p->x;
		if (first || p->y < y0)
			y0 = p->y;
		if (first || p->y > y1)
			y1 = p->y;
		first = false;
	}
	s->cells = kn_zalloc(s->a, sizeof(int) * GRID_X * GRID_Y * MAX_GROUPS);
	for (size_t i = 0; i < res->n_participants; i++) {
		const struct kn_opinion_participant *p = &res->participants[i];
		if (p->group < 0 || p->group >= MAX_GROUPS)
			continue;
		int cx = scale(p->x, x0, x1, MAP_W) * GRID_X / (MAP_W + 1);
		int cy = scale(p->y, y0, y1, MAP_H) * GRID_Y / (MAP_H + 1);
		s->cells[(cy * GRID_X + cx) * MAX_GROUPS + p->group]++;
	}
	for (size_t g = 0; g < s->n_groups; g++) {
		const struct kn_opinion_group *gr = &res->groups[g];
		s->members[g] = gr->n_members;
		s->gx[g] = scale(gr->x, x0, x1, MAP_W);
		s->gy[g] = scale(gr->y, y0, y1, MAP_H);
		s->n_reps[g] = gr->n_repness;
		s->reps[g] = kn_zalloc(s->a, sizeof(struct rep) * (gr->n_repness + 1));
		for (size_t k = 0; k < gr->n_repness; k++)
			s->reps[g][k] = (struct rep){gr->repness[k].statement, gr->repness[k].agree, gr->repness[k].n_success,
			                             gr->repness[k].n_trials};
	}
	for (size_t k = 0; k < res->n_consensus_agree && s->n_cons < 10; k++)
		s->cons[s->n_cons++] = (struct rep){res->consensus_agree[k].statement, 1, res->consensus_agree[k].n_success,
		                                    res->consensus_agree[k].n_trials};
	for (size_t k = 0; k < res->n_consensus_disagree && s->n_cons < 10; k++)
		s->cons[s->n_cons++] = (struct rep){res->consensus_disagree[k].statement, 0,
		                                    res->consensus_disagree[k].n_success, res->consensus_disagree[k].n_trials};
}

static const char *text_of(const struct kn_statement *st, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (st[i].id == id)
			return st[i].body;
	return "";
}

static void svg_map(struct kn_req *r, const struct snap *s)
{
	struct kn_buf *b = &r->out;
	kn_h(b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
	        "aria-labelledby=\"map-t\"><title id=\"map-t\">%t</title><rect width=\"%d\" height=\"%d\" fill=\"#f7f7f7\"/>",
	     MAP_W, MAP_H, N_("Map of participants: each dot is a group of nearby participants; its size shows how many"),
	     MAP_W, MAP_H);
	int cw = MAP_W / GRID_X, ch = MAP_H / GRID_Y;
	for (int cy = 0; cy < GRID_Y; cy++)
		for (int cx = 0; cx < GRID_X; cx++)
			for (int g = 0; g < MAX_GROUPS; g++) {
				int n = s->cells[(cy * GRID_X + cx) * MAX_GROUPS + g];
				if (!n)
					continue;
				int rad = 2 + (int)lround(sqrt((double)n) * 1.5);
				if (rad > 9)
					rad = 9;
				kn_h(b, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\" fill-opacity=\"0.7\"/>", cx * cw + cw / 2 + g,
				     cy * ch + ch / 2 + g, rad, palette[g]);
			}
	for (size_t g = 0; g < s->n_groups; g++) {
		char letter[2] = {(char)('A' + g), 0};
		kn_h(b, "<text x=\"%d\" y=\"%d\" font-size=\"28\" font-weight=\"bold\" fill=\"%s\" stroke=\"#fff\" "
		        "stroke-width=\"1\">%s</text>",
		     s->gx[g], s->gy[g], palette[g], letter);
	}
	kn_h(b, "</svg><figcaption>%t</figcaption></figure>",
	     N_("Participants who voted alike are close together; the letters mark the opinion groups."));
}

static void rep_line(struct kn_req *r, const struct rep *p, const char *text, const char *group)
{
	int pct = p->n_trials ? (int)lround(100.0 * p->n_success / p->n_trials) : 0;
	kn_h(&r->out, "<li><q>%s</q> <span class=\"muted\">", text);
	if (group)
		kn_h(&r->out, "%d%% %t %s %t (%d/%d)", pct, N_("of group"), group, p->agree ? N_("agreed") : N_("disagreed"),
		     p->n_success, p->n_trials);
	else
		kn_h(&r->out, "%d%% %t (%d/%d)", pct, p->agree ? N_("of all voters agreed") : N_("of all voters disagreed"),
		     p->n_success, p->n_trials);
	kn_h(&r->out, "</span></li>");
}

static const char *const export_files[] = {"comments.csv", "votes.csv", "participants-votes.csv", "summary.csv",
                                           "stats-history.csv"};

void kn_page_consultation_results(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	struct snap s = {.a = r->a};
	kn_consult_with_result(c->id, take, &s);
	if (!s.have) {
		/* the first view after a start: compute now (votes never wait for it) */
		kn_consult_refresh(kn_app.db, c->id);
		kn_consult_with_result(c->id, take, &s);
	} else {
		kn_consult_touch(c->id);
	}
	struct kn_statement *st;
	int nst;
	if (kn_consultation_texts(&x, c->id, &st, &nst)) {
		kn_fail_err(r, KN_EDB);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Results"));
	kn_h(b, "<p><a href=\"%s\">%s</a></p><h1>%t: %s</h1>", base(r, c), c->question, N_("Results"), c->question);
	if (c->illustrative)
		kn_h(b, "<p class=\"muted\">%t</p>", N_("Illustrative demo data: the statements and votes were written for the demo."));
	if (!s.have || !s.n_participants) {
		kn_h(b, "<p>%t</p>", N_("No votes yet."));
	} else {
		kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%D</dd>"
		        "<dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%s</dd></dl>",
		     N_("Participants"), (int64_t)s.n_participants, N_("In the map (enough votes)"), (int64_t)s.n_in_conv,
		     N_("Votes"), s.n_votes, N_("Opinion groups"), (int64_t)s.n_groups, N_("Computed"),
		     kn_view_time(r, s.computed_at));
		kn_h(b, "<p class=\"muted\">%t</p>",
		     N_("The map and groups are recomputed in the background a few seconds after new votes."));
		svg_map(r, &s);
		for (size_t g = 0; g < s.n_groups; g++) {
			char letter[2] = {(char)('A' + g), 0};
			kn_h(b, "<section class=\"group\"><h2>%t %s <span class=\"muted\">(%D %t)</span></h2>", N_("Group"), letter,
			     (int64_t)s.members[g], N_("participants"));
			kn_h(b, "<p>%t</p><ul>", N_("What sets this group apart:"));
			for (size_t i = 0; i < s.n_reps[g]; i++)
				rep_line(r, &s.reps[g][i], text_of(st, nst, s.reps[g][i].statement), letter);
			kn_h(b, "</ul></section>");
		}
		kn_h(b, "<section><h2>%t</h2>", N_("What unites the participants"));
		if (!s.n_cons)
			kn_h(b, "<p>%t</p>", N_("No statement is shared widely enough yet."));
		else
			kn_h(b, "<ul>");
		for (size_t i = 0; i < s.n_cons; i++)
			rep_line(r, &s.cons[i], text_of(st, nst, s.cons[i].statement), NULL);
		if (s.n_cons)
			kn_h(b, "</ul>");
		kn_h(b, "</section>");
	}
	kn_h(b, "<section><h2>%t</h2><p>%t</p><ul>", N_("Open data"),
	     N_("The whole consultation in Pol.is's export format (participants appear only by number):"));
	for (size_t i = 0; i < KN_ARRAY_LEN(export_files); i++)
		kn_h(b, "<li><a href=\"%s/export/%s\">%s</a></li>", base(r, c), export_files[i], export_files[i]);
	kn_h(b, "</ul>");
	if (*c->source)
		kn_h(b, "<p class=\"muted\">%s</p>", c->source);
	kn_h(b, "</section>");
	kn_view_end(r);
}

void kn_page_consultation_file(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *k;
	struct kn_consultation *c;
	if (!load(r, &x, &k, &c))
		return;
	const char *want = kn_req_param(r, "file");
	struct kn_polis_file *f;
	int n;
	enum kn_err rc = kn_consultation_export(&x, c, kn_req_base_url(r), &f, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	for (int i = 0; i < n; i++)
		if (want && !strcmp(f[i].name, want)) {
			kn_view_download(r, f[i].data, f[i].len, "text/csv; charset=utf-8");
			return;
		}
	kn_fail_err(r, KN_ENOTFOUND);
}
