/* pages_account.c: register, log in and out, the account page (password,
 * API tokens), and the operator's role management. */
#include "app/app.h"
#include "app/ratelimit.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/i18n.h"
#include "domain/account.h"
#include "domain/registry.h"
#include "view/view.h"
#include <string.h>

/* Only a path on this site may follow a login. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strpbrk(next, "\r\n"))
		return "/account";
	return next;
}

static enum kn_err start_session(struct kn_req *r, struct kn_ctx *x, int64_t uid)
{
	const char *token;
	enum kn_err rc = kn_session_new(x, uid, r->remote_ip, kn_cfg.session_hours, &token);
	if (rc)
		return rc;
	kn_req_set_cookie(r, "kn_session", token, kn_cfg.session_hours * 3600);
	/* a fresh CSRF token for the new session */
	r->csrf = NULL;
	kn_csrf_token(r);
	return KN_OK;
}

void kn_page_register(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	const char *login = kn_req_form(r, "login"), *name = kn_req_form(r, "display_name"),
	           *email = kn_req_form(r, "email");
	if (r->method == KN_POST) {
		int64_t id;
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc) {
			rc = kn_account_register(&x, login, name, email, kn_req_form(r, "password"), &id);
			if (!rc)
				rc = start_session(r, &x, id);
			rc = kn_tx_end(&x, rc);
		}
		if (!rc) {
			kn_redirect(r, "/account");
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		r->status = 422;
	}
	kn_view_begin(r, _("Register"));
	kn_h(&r->out, "<h1>%t</h1><p>%t</p>", N_("Register"),
	     N_("An account lets you file appeals, submit proposals and take part in consultations."));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, "/register", false);
	kn_form_input(r, x.errs, "login", N_("Login"), login, NULL, true,
	              N_("3 to 32 lowercase Latin letters, digits, dots, hyphens or underscores."));
	kn_form_input(r, x.errs, "display_name", N_("Your name, as others will see it"), name, NULL, true, NULL);
	kn_form_input(r, x.errs, "email", N_("E-mail (optional, never shown)"), email, "email", false, NULL);
	kn_form_input(r, x.errs, "password", N_("Password"), NULL, "password", true, N_("At least 10 characters."));
	kn_form_end(r, N_("Create the account"));
	kn_view_end(r);
}

/* Checks the rate limits, then the password. Shared with the API. */
enum kn_err kn_login_attempt(struct kn_req *r, struct kn_ctx *x, const char *login, const char *password, int64_t *uid)
{
	const char *kip = kn_printf(r->a, "ip:%s", r->remote_ip ? r->remote_ip : "");
	const char *klogin = kn_printf(r->a, "login:%s", login ? login : "");
	if (kn_rl_blocked(kip, kn_cfg.login_attempts, kn_cfg.login_window, r->now) ||
	    kn_rl_blocked(klogin, kn_cfg.login_attempts, kn_cfg.login_window, r->now))
		return KN_ELIMIT;
	enum kn_err rc = kn_account_check(x, login, password, uid);
	if (rc == KN_EPERM) {
		kn_rl_fail(kip, kn_cfg.login_window, r->now);
		kn_rl_fail(klogin, kn_cfg.login_window, r->now);
	} else if (!rc) {
		kn_rl_clear(klogin);
	}
	return rc;
}

void kn_page_login(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	const char *login = kn_req_form(r, "login");
	const char *next = r->method == KN_POST ? kn_req_form(r, "next") : kn_req_arg(r, "next");
	if (r->method == KN_POST) {
		int64_t uid;
		enum kn_err rc = kn_login_attempt(r, &x, login, kn_req_form(r, "password"), &uid);
		if (rc == KN_ELIMIT) {
			kn_fail_err(r, rc);
			return;
		}
		if (!rc) {
			rc = kn_tx_begin(r, &x);
			if (!rc)
				rc = kn_tx_end(&x, start_session(r, &x, uid));
			if (rc) {
				kn_fail_err(r, rc);
				return;
			}
			kn_redirect(r, safe_next(next));
			return;
		}
		if (rc != KN_EPERM) {
			kn_fail_err(r, rc);
			return;
		}
		/* the same words whether the login exists or not */
		kn_ferr_add(&x, NULL, "Wrong login or password.");
		r->status = 422;
	}
	kn_view_begin(r, _("Log in"));
	kn_h(&r->out, "<h1>%t</h1>", N_("Log in"));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, "/login", false);
	kn_h(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%s\">", safe_next(next));
	kn_form_input(r, NULL, "login", N_("Login"), login, NULL, true, NULL);
	kn_form_input(r, NULL, "password", N_("Password"), NULL, "password", true, NULL);
	kn_form_end(r, N_("Log in"));
	kn_h(&r->out, "<p>%t <a href=\"/register\">%t</a></p>", N_("No account yet?"), N_("Register"));
	kn_view_end(r);
}

void kn_page_logout(struct kn_req *r)
{
	struct kn_ctx x;
	if (r->session_id) {
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, kn_session_end(&x, r->session_id));
		if (rc) {
			kn_fail_err(r, rc);
			return;
		}
	}
	kn_req_set_cookie(r, "kn_session", "", 0);
	kn_redirect(r, "/");
}

static void account_page(struct kn_req *r, struct kn_ctx *x, const char *new_token, const char *notice)
{
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Your account"));
	kn_h(b, "<h1>%t</h1>", N_("Your account"));
	if (notice)
		kn_h(b, "<p class=\"notice\" role=\"status\">%t</p>", notice);
	kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>%s</dd><dt>%t</dt><dd>%s</dd></dl>", N_("Login"), r->user->login,
	     N_("Name"), r->user->display_name);
	kn_h(b, "<h2>%t</h2>", N_("Your roles"));
	if (!r->user->nroles && !r->user->is_operator)
		kn_h(b, "<p>%t</p>", N_("Registered citizen."));
	kn_h(b, "<ul>");
	if (r->user->is_operator)
		kn_h(b, "<li>%t</li>", N_("platform operator"));
	for (int i = 0; i < r->user->nroles; i++) {
		const struct kn_role *ro = &r->user->roles[i];
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)(ro->council_id ? ro->council_id : ro->agency_id));
		if (ro->council_id) {
			struct kn_council *c;
			if (!kn_council_get(x, key, &c))
				kn_h(b, "<li>%t, <a href=\"/councils/%u\">%s</a></li>", ro->role, c->slug, kn_council_name(c, r->lang));
		} else {
			struct kn_agency *g;
			if (!kn_agency_get(x, key, &g))
				kn_h(b, "<li>%t, <a href=\"/agencies/%u\">%s</a></li>", ro->role, g->slug, kn_agency_name(g, r->lang));
		}
	}
	kn_h(b, "</ul>");

	kn_h(b, "<h2 id=\"password\">%t</h2>", N_("Change your password"));
	const struct kn_ferr *perr = NULL;
	for (const struct kn_ferr *e = x->errs; e; e = e->next)
		if (e->field && strstr(e->field, "password"))
			perr = x->errs;
	kn_form_errors(r, perr);
	kn_form_begin(r, "/account/password", false);
	kn_form_input(r, perr, "old_password", N_("Current password"), NULL, "password", true, NULL);
	kn_form_input(r, perr, "new_password", N_("New password"), NULL, "password", true, N_("At least 10 characters."));
	kn_form_end(r, N_("Change the password"));

	kn_h(b, "<h2 id=\"tokens\">%t</h2><p>%t</p>", N_("API tokens"),
	     N_("A token lets another system (for example an agency's case system) use the API as you. "
	        "It is shown once; keep it secret, and revoke it when it is no longer needed."));
	if (new_token)
		kn_h(b, "<p class=\"notice\" role=\"status\">%t</p><p class=\"secret\">%s</p>",
		     N_("Your new token (copy it now, it will not be shown again):"), new_token);
	struct kn_token *t;
	int n;
	if (!kn_token_list(x, r->user->id, &t, &n) && n) {
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th><th></th></tr></thead><tbody>",
		     N_("Name"), N_("Starts with"), N_("Created"), N_("Last used"));
		for (int i = 0; i < n; i++) {
			kn_h(b, "<tr><td>%s</td><td><code>%s…</code></td><td>%s</td><td>%s</td><td>", t[i].name, t[i].prefix,
			     kn_view_time(r, t[i].created_at), kn_view_time(r, t[i].last_used_at));
			if (t[i].revoked_at)
				kn_h(b, "%t %s", N_("revoked"), kn_view_time(r, t[i].revoked_at));
			else
				kn_form_button(r, kn_printf(r->a, "/account/tokens/%lld/revoke", (long long)t[i].id), N_("Revoke"));
			kn_h(b, "</td></tr>");
		}
		kn_h(b, "</tbody></table>");
	}
	const struct kn_ferr *terr = NULL;
	for (const struct kn_ferr *e = x->errs; e; e = e->next)
		if (e->field && !strcmp(e->field, "name"))
			terr = e;
	kn_form_begin(r, "/account/tokens", false);
	kn_form_input(r, terr, "name", N_("Name of the new token"), NULL, NULL, true, N_("What it is for, e.g. case system."));
	kn_form_end(r, N_("Create a token"));
	kn_view_end(r);
}

void kn_page_account(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	account_page(r, &x, NULL, NULL);
}

void kn_page_account_password(struct kn_req *r)
{
	struct kn_ctx x;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_account_passwd(&x, r->user->id, kn_req_form(r, "old_password"),
		                                     kn_req_form(r, "new_password"), r->session_id));
	if (rc && rc != KN_EINVAL) {
		kn_fail_err(r, rc);
		return;
	}
	if (rc)
		r->status = 422;
	account_page(r, &x, NULL, rc ? NULL : N_("Your password was changed; your other sessions were ended."));
}

void kn_page_account_token_new(struct kn_req *r)
{
	struct kn_ctx x;
	const char *token = NULL;
	int64_t id;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_token_new(&x, r->user->id, kn_req_form(r, "name"), &token, &id));
	if (rc && rc != KN_EINVAL) {
		kn_fail_err(r, rc);
		return;
	}
	if (rc)
		r->status = 422;
	r->cache = "no-store";
	account_page(r, &x, rc ? NULL : token, NULL);
}

void kn_page_account_token_revoke(struct kn_req *r)
{
	struct kn_ctx x;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_token_revoke(&x, r->user->id, kn_parse_id(kn_req_param(r, "id"))));
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_redirect(r, "/account#tokens");
}

static const char *const role_opts[] = {"member",   N_("member"),   "secretary", N_("secretary"), "chair", N_("chair"),
                                        "officer",  N_("officer"),  "operator",  N_("operator"),  NULL};

void kn_page_admin_roles(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	const char *notice = NULL;
	const char *login = kn_req_form(r, "login"), *role = kn_req_form(r, "role"), *scope = kn_req_form(r, "scope");
	if (r->method == KN_POST) {
		bool revoke = kn_req_form(r, "revoke") != NULL;
		enum kn_err rc = kn_tx_begin(r, &x);
		if (!rc)
			rc = kn_tx_end(&x, revoke ? kn_role_revoke(&x, login ? login : "", role ? role : "", scope)
			                          : kn_role_grant(&x, login ? login : "", role ? role : "", scope));
		if (rc && rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		if (rc)
			r->status = 422;
		else
			notice = revoke ? N_("The role was revoked.") : N_("The role was granted.");
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Roles"));
	kn_h(b, "<h1>%t</h1>", N_("Roles"));
	if (notice)
		kn_h(b, "<p class=\"notice\" role=\"status\">%t</p>", notice);
	kn_form_errors(r, x.errs);
	kn_form_begin(r, "/admin/roles", false);
	kn_form_input(r, x.errs, "login", N_("Login of the account"), login, NULL, true, NULL);
	kn_form_select(r, x.errs, "role", N_("Role"), role, role_opts);
	kn_form_input(r, x.errs, "scope", N_("Council or agency (short name); empty for operator"), scope, NULL, false, NULL);
	kn_h(b, "<p><label><input type=\"checkbox\" name=\"revoke\" value=\"1\" style=\"width:auto\"> %t</label></p>",
	     N_("Revoke instead of grant"));
	kn_form_end(r, N_("Apply"));
	struct kn_role_grant *g;
	int n;
	if (!kn_role_list(&x, &g, &n)) {
		kn_h(b, "<h2>%t</h2><table><thead><tr><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
		     N_("Current roles"), N_("Account"), N_("Role"), N_("Where"));
		for (int i = 0; i < n; i++)
			kn_h(b, "<tr><td>%s (%s)</td><td>%t</td><td>%s</td></tr>", g[i].display_name, g[i].login, g[i].role,
			     g[i].scope ? g[i].scope : "");
		kn_h(b, "</tbody></table>");
	}
	kn_view_end(r);
}
