/* account.c: accounts, sessions, API tokens and roles. */
#include "domain/account.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/i18n.h"
#include "domain/event.h"
#include "store/store.h"
#include <pthread.h>
#include <sodium.h>
#include <string.h>

static void cost(unsigned long long *ops, size_t *mem)
{
	const char *c = kn_cfg.password_cost ? kn_cfg.password_cost : "interactive";
	if (!strcmp(c, "sensitive")) {
		*ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
		*mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
	} else if (!strcmp(c, "moderate")) {
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
	} else {
		/* OWASP's argon2id minimum (m = 19 MiB, t = 2): a login costs
		 * tens of milliseconds and keeps the server small */
		*ops = 2;
		*mem = 19u << 20;
	}
}

/* At most two password hashes at once: each holds its memory cost. */
static pthread_mutex_t hash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_cv = PTHREAD_COND_INITIALIZER;
static int hashing;

static void hash_enter(void)
{
	pthread_mutex_lock(&hash_mu);
	while (hashing >= 2)
		pthread_cond_wait(&hash_cv, &hash_mu);
	hashing++;
	pthread_mutex_unlock(&hash_mu);
}

static void hash_leave(void)
{
	pthread_mutex_lock(&hash_mu);
	hashing--;
	pthread_cond_signal(&hash_cv);
	pthread_mutex_unlock(&hash_mu);
}

/* crypto_pwhash_str_verify under the same bound. */
static int verify(const char *hash, const char *pw)
{
	hash_enter();
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	hash_leave();
	return rc;
}

enum kn_err kn_password_hash(const char *pw, char out[128])
{
	_Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
	unsigned long long ops;
	size_t mem;
	cost(&ops, &mem);
	hash_enter();
	int rc = crypto_pwhash_str_alg(out, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13);
	hash_leave();
	return rc ? KN_ENOMEM : KN_OK;
}

/* hex of BLAKE2b-256 of a secret token: what is stored instead of it */
static char *token_hash(struct kn_arena *a, const char *token)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	char *hex = kn_alloc(a, 65);
	sodium_bin2hex(hex, 65, h, sizeof(h));
	return hex;
}

static char *random_token(struct kn_arena *a, const char *prefix)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	size_t b64len = sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *b64 = kn_alloc(a, b64len);
	sodium_bin2base64(b64, b64len, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return kn_printf(a, "%s%s", prefix, b64);
}

static bool login_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

static void check_password(struct kn_ctx *x, const char *field, const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < KN_PASSWORD_MIN)
		kn_ferr_add(x, field, "The password must have at least 10 characters.");
	else if (n > KN_PASSWORD_MAX)
		kn_ferr_add(x, field, "The password is too long.");
	else if (!kn_utf8_valid(pw, n))
		kn_ferr_add(x, field, "This text is not valid UTF-8.");
}

enum kn_err kn_account_register(struct kn_ctx *x, const char *login, const char *display_name,
                                const char *email, const char *password, int64_t *id)
{
	login = kn_trim(x, login);
	display_name = kn_trim(x, display_name);
	email = kn_trim(x, email);
	if (!login || !*login)
		kn_ferr_add(x, "login", "This field is required.");
	else if (!login_ok(login))
		kn_ferr_add(x, "login", "Use 3 to 32 lowercase Latin letters, digits, dots, hyphens or underscores.");
	kn_check_text(x, "display_name", display_name, 200, true, false);
	if (email && *email) {
		const char *at = strchr(email, '@');
		if (kn_check_text(x, "email", email, 254, false, false) &&
		    (!at || at == email || !strchr(at, '.') || strchr(email, ' ')))
			kn_ferr_add(x, "email", "Enter an e-mail address like name@example.org.");
	}
	check_password(x, "password", password);
	if (x->errs)
		return KN_EINVAL;
	char hash[128];
	if (kn_password_hash(password, hash))
		return KN_ENOMEM;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO users (login, display_name, email, password_hash, created_at, password_changed_at) "
	                        "VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
	                        KN_TEXT(login), KN_TEXT(display_name), KN_TEXT(email && *email ? email : NULL),
	                        KN_TEXT(hash), KN_INT(x->now));
	if (rc == KN_ECONFLICT) {
		kn_ferr_add(x, "login", "This login is taken; choose another.");
		return KN_EINVAL;
	}
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	return KN_OK;
}

static char dummy[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
	if (kn_password_hash("kenes-dummy-password", dummy))
		dummy[0] = 0;
}

enum kn_err kn_account_check(struct kn_ctx *x, const char *login, const char *password, int64_t *id)
{
	/* a fixed hash to verify against when the login does not exist, so
	 * an unknown login costs the same time as a wrong password */
	pthread_once(&dummy_once, make_dummy);
	if (!dummy[0])
		return KN_ENOMEM;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, password_hash, disabled FROM users WHERE login = $1",
	                        KN_TEXT(login ? login : ""));
	if (rc)
		return rc;
	const char *hash = r->n ? kn_row_s(r, 0, 1) : dummy;
	const char *pw = password ? password : "";
	bool ok = verify(hash, pw) == 0;
	if (!r->n || !ok || kn_row_i(r, 0, 2))
		return KN_EPERM;
	*id = kn_row_i(r, 0, 0);
	return KN_OK;
}

static enum kn_err store_password(struct kn_ctx *x, int64_t user_id, const char *pw, int64_t keep_session)
{
	char hash[128];
	if (kn_password_hash(pw, hash))
		return KN_ENOMEM;
	enum kn_err rc = kn_sql(x->c, x->a, NULL,
	                        "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
	                        KN_TEXT(hash), KN_INT(x->now), KN_INT(user_id));
	if (!rc)
		rc = kn_sql(x->c, x->a, NULL, "DELETE FROM sessions WHERE user_id = $1 AND id <> $2",
		            KN_INT(user_id), KN_INT(keep_session));
	return rc;
}

enum kn_err kn_account_passwd(struct kn_ctx *x, int64_t user_id, const char *old_pw, const char *new_pw,
                              int64_t keep_session)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT password_hash FROM users WHERE id = $1", KN_INT(user_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	const char *old = old_pw ? old_pw : "";
	if (verify(kn_row_s(r, 0, 0), old) != 0)
		kn_ferr_add(x, "old_password", "The current password is wrong.");
	check_password(x, "new_password", new_pw);
	if (x->errs)
		return KN_EINVAL;
	return store_password(x, user_id, new_pw, keep_session);
}

enum kn_err kn_account_find(struct kn_ctx *x, const char *login, int64_t *id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT id FROM users WHERE login = $1", KN_TEXT(login));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*id = kn_row_i(r, 0, 0);
	return KN_OK;
}

enum kn_err kn_account_set_password(struct kn_ctx *x, const char *login, const char *new_pw)
{
	int64_t id;
	enum kn_err rc = kn_account_find(x, login, &id);
	if (rc)
		return rc;
	check_password(x, "password", new_pw);
	if (x->errs)
		return KN_EINVAL;
	return store_password(x, id, new_pw, 0);
}

enum kn_err kn_session_new(struct kn_ctx *x, int64_t user_id, const char *ip, long hours, const char **token)
{
	char *t = random_token(x->a, "");
	enum kn_err rc = kn_sql(x->c, x->a, NULL,
	                        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5)",
	                        KN_TEXT(token_hash(x->a, t)), KN_INT(user_id), KN_INT(x->now),
	                        KN_INT(x->now + (int64_t)hours * 3600), KN_TEXT(ip ? ip : ""));
	if (!rc)
		rc = kn_sql(x->c, x->a, NULL, "DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2",
		            KN_INT(user_id), KN_INT(x->now));
	if (!rc)
		*token = t;
	return rc;
}

enum kn_err kn_user_load(struct kn_ctx *x, int64_t id, struct kn_user **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, login, display_name, is_operator FROM users WHERE id = $1 AND disabled = 0",
	                        KN_INT(id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	struct kn_user *u = kn_zalloc(x->a, sizeof(*u));
	u->id = kn_row_i(r, 0, 0);
	u->login = kn_row_s(r, 0, 1);
	u->display_name = kn_row_s(r, 0, 2);
	u->is_operator = kn_row_i(r, 0, 3) != 0;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT role, council_id, agency_id FROM roles WHERE user_id = $1 ORDER BY id",
	                 KN_INT(id))))
		return rc;
	u->nroles = r->n;
	u->roles = kn_zalloc(x->a, sizeof(*u->roles) * (size_t)(r->n ? r->n : 1));
	for (int i = 0; i < r->n; i++) {
		u->roles[i].role = kn_row_s(r, i, 0);
		u->roles[i].council_id = kn_row_i(r, i, 1);
		u->roles[i].agency_id = kn_row_i(r, i, 2);
	}
	*out = u;
	return KN_OK;
}

enum kn_err kn_session_user(struct kn_ctx *x, const char *token, struct kn_user **user, int64_t *sid)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT id, user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2",
	                        KN_TEXT(token_hash(x->a, token)), KN_INT(x->now));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*sid = kn_row_i(r, 0, 0);
	return kn_user_load(x, kn_row_i(r, 0, 1), user);
}

enum kn_err kn_session_end(struct kn_ctx *x, int64_t sid)
{
	return kn_sql(x->c, x->a, NULL, "DELETE FROM sessions WHERE id = $1", KN_INT(sid));
}

enum kn_err kn_token_new(struct kn_ctx *x, int64_t user_id, const char *name, const char **token, int64_t *id)
{
	name = kn_trim(x, name);
	kn_check_text(x, "name", name, 100, true, false);
	if (x->errs)
		return KN_EINVAL;
	char *t = random_token(x->a, "kn_");
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
	                        KN_INT(user_id), KN_TEXT(name), KN_TEXT(token_hash(x->a, t)),
	                        KN_TEXT(kn_strndup(x->a, t, 10)), KN_INT(x->now));
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	*token = t;
	return KN_OK;
}

enum kn_err kn_token_user(struct kn_ctx *x, const char *token, struct kn_user **user)
{
	struct kn_rows *r;
	const char *h = token_hash(x->a, token);
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, user_id, COALESCE(last_used_at, 0) FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
	                        KN_TEXT(h));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	/* "last used" to the nearest five minutes: not a disk write per request */
	if (kn_row_i(r, 0, 2) < x->now - 300 &&
	    (rc = kn_sql(x->c, x->a, NULL, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", KN_INT(kn_row_i(r, 0, 0)),
	                 KN_INT(x->now))))
		return rc;
	return kn_user_load(x, kn_row_i(r, 0, 1), user);
}

enum kn_err kn_token_list(struct kn_ctx *x, int64_t user_id, struct kn_token **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens "
	                        "WHERE user_id = $1 ORDER BY id",
	                        KN_INT(user_id));
	if (rc)
		return rc;
	struct kn_token *t = kn_zalloc(x->a, sizeof(*t) * (size_t)(r->n ? r->n : 1));
	for (int i = 0; i < r->n; i++) {
		t[i].id = kn_row_i(r, i, 0);
		t[i].name = kn_row_s(r, i, 1);
		t[i].prefix = kn_row_s(r, i, 2);
		t[i].created_at = kn_row_i(r, i, 3);
		t[i].last_used_at = kn_row_i(r, i, 4);
		t[i].revoked_at = kn_row_i(r, i, 5);
	}
	*out = t;
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_token_revoke(struct kn_ctx *x, int64_t user_id, int64_t token_id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
	                        KN_INT(token_id), KN_INT(user_id), KN_INT(x->now));
	if (rc)
		return rc;
	return r->n ? KN_OK : KN_ENOTFOUND;
}

/* Resolves a council or agency by id or slug. */
static enum kn_err scope_id(struct kn_ctx *x, bool agency, const char *scope, int64_t *id)
{
	struct kn_rows *r;
	enum kn_err rc;
	int64_t n = kn_parse_id(scope);
	if (agency)
		rc = kn_sql(x->c, x->a, &r, "SELECT id FROM agencies WHERE id = $1 OR slug = $2", KN_INT(n), KN_TEXT(scope));
	else
		rc = kn_sql(x->c, x->a, &r, "SELECT id FROM councils WHERE id = $1 OR slug = $2", KN_INT(n), KN_TEXT(scope));
	if (rc)
		return rc;
	if (!r->n) {
		kn_ferr_add(x, agency ? "agency" : "council", agency ? N_("No such agency.") : N_("No such council."));
		return KN_EINVAL;
	}
	*id = kn_row_i(r, 0, 0);
	return KN_OK;
}

static enum kn_err role_change(struct kn_ctx *x, const char *login, const char *role, const char *scope, bool grant)
{
	int64_t uid;
	enum kn_err rc = kn_account_find(x, login, &uid);
	if (rc == KN_ENOTFOUND) {
		kn_ferr_add(x, "login", "No such account.");
		return KN_EINVAL;
	}
	if (rc)
		return rc;
	if (!strcmp(role, "operator")) {
		rc = kn_sql(x->c, x->a, NULL, "UPDATE users SET is_operator = $1 WHERE id = $2", KN_INT(grant), KN_INT(uid));
		return rc;
	}
	bool officer = !strcmp(role, "officer");
	if (!officer && strcmp(role, "chair") && strcmp(role, "secretary") && strcmp(role, "member")) {
		kn_ferr_add(x, "role", "The role must be operator, chair, secretary, member or officer.");
		return KN_EINVAL;
	}
	if (!scope || !*scope) {
		kn_ferr_add(x, officer ? "agency" : "council",
		            officer ? N_("An officer role needs an agency.") : N_("A council role needs a council."));
		return KN_EINVAL;
	}
	int64_t sid;
	if ((rc = scope_id(x, officer, scope, &sid)))
		return rc;
	struct kn_rows *r;
	if (grant) {
		if (officer)
			rc = kn_sql(x->c, x->a, &r,
			            "INSERT INTO roles (user_id, role, agency_id, granted_at) VALUES ($1, $2, $3, $4) RETURNING id",
			            KN_INT(uid), KN_TEXT(role), KN_INT(sid), KN_INT(x->now));
		else
			rc = kn_sql(x->c, x->a, &r,
			            "INSERT INTO roles (user_id, role, council_id, granted_at) VALUES ($1, $2, $3, $4) RETURNING id",
			            KN_INT(uid), KN_TEXT(role), KN_INT(sid), KN_INT(x->now));
		if (rc == KN_ECONFLICT) {
			kn_ferr_add(x, "role", "The account already has this role.");
			return KN_EINVAL;
		}
	} else {
		rc = kn_sql(x->c, x->a, &r,
		            "DELETE FROM roles WHERE user_id = $1 AND role = $2 AND (council_id = $3 OR agency_id = $3) RETURNING id",
		            KN_INT(uid), KN_TEXT(role), KN_INT(sid));
		if (!rc && !r->n) {
			kn_ferr_add(x, "role", "The account does not have this role.");
			return KN_EINVAL;
		}
	}
	if (rc)
		return rc;
	/* staff roles are public (who is the secretary, who answers for an
	 * agency); the public name is the account's display name */
	struct kn_rows *u;
	if ((rc = kn_sql(x->c, x->a, &u, "SELECT display_name FROM users WHERE id = $1", KN_INT(uid))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "role", NULL, role);
	kn_change_str(ch, "holder", NULL, kn_row_s(u, 0, 0));
	return kn_event(x, officer ? "agency" : "council", sid, grant ? "role granted" : "role revoked",
	                officer ? 0 : sid, officer ? sid : 0, ch);
}

enum kn_err kn_role_grant(struct kn_ctx *x, const char *login, const char *role, const char *scope)
{
	return role_change(x, login, role, scope, true);
}

enum kn_err kn_role_revoke(struct kn_ctx *x, const char *login, const char *role, const char *scope)
{
	return role_change(x, login, role, scope, false);
}

enum kn_err kn_role_list(struct kn_ctx *x, struct kn_role_grant **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r,
	                         "SELECT u.login, u.display_name, ro.role, COALESCE(c.slug, g.slug) FROM roles ro "
	                         "JOIN users u ON u.id = ro.user_id LEFT JOIN councils c ON c.id = ro.council_id "
	                         "LEFT JOIN agencies g ON g.id = ro.agency_id "
	                         "UNION ALL SELECT login, display_name, 'operator', NULL FROM users WHERE is_operator = 1 "
	                         "ORDER BY 1, 3");
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		(*out)[i].login = kn_row_s(r, i, 0);
		(*out)[i].display_name = kn_row_s(r, i, 1);
		(*out)[i].role = kn_row_s(r, i, 2);
		(*out)[i].scope = kn_row_s(r, i, 3);
	}
	*n = r->n;
	return KN_OK;
}
