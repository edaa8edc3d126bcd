/* api_account.c: accounts and API tokens over JSON. */
#include "api/api.h"
#include "api/json.h"
#include "app/app.h"
#include "core/arena.h"
#include "domain/account.h"
#include <string.h>

void kn_api_register(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		const char *login = kn_api_str(r, &x, "login"), *name = kn_api_str(r, &x, "display_name"),
		           *email = kn_api_str(r, &x, "email"), *pw = kn_api_str(r, &x, "password");
		rc = x.errs ? KN_EINVAL : kn_account_register(&x, login, name, email, pw, &id);
		rc = kn_tx_end(&x, rc);
	}
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	kn_api_send(r, 201, o);
}

void kn_api_me(struct kn_req *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->user->id));
	json_object_set_new(o, "login", json_string(r->user->login));
	json_object_set_new(o, "display_name", json_string(r->user->display_name));
	json_object_set_new(o, "operator", json_boolean(r->user->is_operator));
	json_t *roles = json_array();
	for (int i = 0; i < r->user->nroles; i++) {
		const struct kn_role *ro = &r->user->roles[i];
		json_t *e = json_object();
		json_object_set_new(e, "role", json_string(ro->role));
		json_object_set_new(e, "council_id", ro->council_id ? json_integer(ro->council_id) : json_null());
		json_object_set_new(e, "agency_id", ro->agency_id ? json_integer(ro->agency_id) : json_null());
		json_array_append_new(roles, e);
	}
	json_object_set_new(o, "roles", roles);
	json_object_set_new(o, "via_token", json_boolean(r->via_token));
	kn_api_send(r, 200, o);
	r->cache = "private, no-store";
}

void kn_api_password(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		const char *old = kn_api_str(r, &x, "old_password"), *new = kn_api_str(r, &x, "new_password");
		rc = x.errs ? KN_EINVAL : kn_account_passwd(&x, r->user->id, old, new, r->session_id);
		rc = kn_tx_end(&x, rc);
	}
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	r->status = 204;
	r->cache = "no-store";
}

static json_t *token_json(const struct kn_token *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "prefix", json_string(t->prefix));
	json_object_set_new(o, "created_at", json_integer(t->created_at));
	json_object_set_new(o, "last_used_at", t->last_used_at ? json_integer(t->last_used_at) : json_null());
	json_object_set_new(o, "revoked_at", t->revoked_at ? json_integer(t->revoked_at) : json_null());
	return o;
}

void kn_api_tokens(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_token *t;
	int n;
	enum kn_err rc = kn_token_list(&x, r->user->id, &t, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, token_json(&t[i]));
	json_t *o = json_object();
	json_object_set_new(o, "tokens", a);
	kn_api_send(r, 200, o);
	r->cache = "private, no-store";
}

/* A token is issued to the signed-in account, or, for a system that has
 * none yet, to the account whose login and password are in the body
 * (rate-limited like the login form). */
void kn_api_token_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	int64_t uid = r->user ? r->user->id : 0;
	/* checked even when signed in (they are not needed then): a login or
	 * password that is not a string is bad input either way */
	const char *login = kn_api_str(r, &x, "login"), *pw = kn_api_str(r, &x, "password");
	if (x.errs) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (!uid) {
		enum kn_err rc = kn_login_attempt(r, &x, login, pw, &uid);
		if (rc == KN_EPERM) {
			kn_api_error(r, 401, "unauthorized", NULL, "Wrong login or password.", NULL);
			return;
		}
		if (rc) {
			kn_fail_err(r, rc);
			return;
		}
	}
	const char *token = NULL;
	int64_t id = 0;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc) {
		const char *name = kn_api_str(r, &x, "name");
		rc = kn_tx_end(&x, x.errs ? KN_EINVAL : kn_token_new(&x, uid, name, &token, &id));
	}
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "token", json_string(token));
	json_object_set_new(o, "note", json_string("Shown once: store it now. Send it as 'Authorization: Bearer <token>'."));
	kn_api_send(r, 201, o);
	r->cache = "no-store";
}

void kn_api_token_revoke(struct kn_req *r)
{
	struct kn_ctx x;
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_token_revoke(&x, r->user->id, kn_parse_id(kn_req_param(r, "id"))));
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	r->status = 204;
	r->cache = "no-store";
}
