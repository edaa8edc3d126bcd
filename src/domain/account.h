/* account.h: accounts, passwords (argon2id), sessions, API tokens, roles. */
#ifndef KN_ACCOUNT_H
#define KN_ACCOUNT_H
#include "domain/domain.h"
#include "http/req.h"

#define KN_PASSWORD_MIN 10
#define KN_PASSWORD_MAX 1024

/* Hashes a password with argon2id at the configured cost; out must hold
 * 128 bytes. Returns KN_ENOMEM if the hash cannot be computed. */
enum kn_err kn_password_hash(const char *pw, char out[128]);

/* Creates an account; errors in x->errs (KN_EINVAL) or KN_ECONFLICT for a
 * taken login. *id gets the new id. */
enum kn_err kn_account_register(struct kn_ctx *x, const char *login, const char *display_name,
                                const char *email, const char *password, int64_t *id);
/* Checks a login and password; KN_EPERM for any mismatch (unknown login,
 * wrong password, disabled account look the same, and take the same time). */
enum kn_err kn_account_check(struct kn_ctx *x, const char *login, const char *password, int64_t *id);
/* Changes a password after checking the old one; ends the account's other
 * sessions (keep_session stays). */
enum kn_err kn_account_passwd(struct kn_ctx *x, int64_t user_id, const char *old_pw, const char *new_pw,
                              int64_t keep_session);
/* Sets a password without the old one (operator CLI). */
enum kn_err kn_account_set_password(struct kn_ctx *x, const char *login, const char *new_pw);
enum kn_err kn_account_find(struct kn_ctx *x, const char *login, int64_t *id);

/* Sessions: the token goes in the cookie, only its hash is stored. */
enum kn_err kn_session_new(struct kn_ctx *x, int64_t user_id, const char *ip, long hours, const char **token);
enum kn_err kn_session_user(struct kn_ctx *x, const char *token, struct kn_user **user, int64_t *sid);
enum kn_err kn_session_end(struct kn_ctx *x, int64_t sid);

/* API bearer tokens: shown once at creation, stored hashed, revocable. */
struct kn_token {
	int64_t id;
	const char *name, *prefix;
	int64_t created_at, last_used_at, revoked_at;
};
enum kn_err kn_token_new(struct kn_ctx *x, int64_t user_id, const char *name, const char **token, int64_t *id);
enum kn_err kn_token_user(struct kn_ctx *x, const char *token, struct kn_user **user);
enum kn_err kn_token_list(struct kn_ctx *x, int64_t user_id, struct kn_token **out, int *n);
enum kn_err kn_token_revoke(struct kn_ctx *x, int64_t user_id, int64_t token_id);

/* Roles. scope is a council or agency id or slug; NULL for operator. */
enum kn_err kn_role_grant(struct kn_ctx *x, const char *login, const char *role, const char *scope);
enum kn_err kn_role_revoke(struct kn_ctx *x, const char *login, const char *role, const char *scope);
/* Every role held, operator included, for the operator's overview. */
struct kn_role_grant {
	const char *login, *display_name, *role, *scope; /* scope: council or agency slug, NULL */
};
enum kn_err kn_role_list(struct kn_ctx *x, struct kn_role_grant **out, int *n);
/* Loads a user with their roles; KN_ENOTFOUND if absent or disabled. */
enum kn_err kn_user_load(struct kn_ctx *x, int64_t id, struct kn_user **out);

#endif
