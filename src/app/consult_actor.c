/* consult_actor.c: the participant behind a request (consult_actor.h). */
#include "app/consult_actor.h"
#include "core/arena.h"
#include <string.h>

#define VOTER_COOKIE "kn_voter"

enum kn_err kn_consult_actor(struct kn_req *r, struct kn_ctx *x, const struct kn_consultation *c, bool create,
                             int64_t *pid)
{
	if (r->user)
		return kn_consultation_participant(x, c->id, r->user->id, NULL, create, pid);
	if (strcmp(c->who, "anyone"))
		return KN_EPERM;
	const char *hash = kn_consultation_browser_hash(r->a, kn_kv_get(r->cookies, VOTER_COOKIE));
	if (!hash) {
		if (!create)
			return KN_ENOTFOUND;
		const char *fresh = kn_consultation_browser_new(r->a);
		hash = kn_consultation_browser_hash(r->a, fresh);
		kn_req_set_cookie(r, VOTER_COOKIE, fresh, 365L * 86400);
	}
	return kn_consultation_participant(x, c->id, 0, hash, create, pid);
}
