/* consult_actor.h: who takes part in a consultation in this request: the
 * signed-in account, or (when the consultation's rules allow anyone) the
 * browser's random HttpOnly id cookie "kn_voter" (never a fingerprint). */
#ifndef KN_APP_CONSULT_ACTOR_H
#define KN_APP_CONSULT_ACTOR_H
#include "app/app.h"
#include "domain/consultation.h"

/* The participant id in *pid. create: make the participant (and the cookie)
 * when there is none. KN_EPERM when the rules need a registered citizen and
 * nobody is signed in; KN_ENOTFOUND when there is none yet and create is
 * false. */
enum kn_err kn_consult_actor(struct kn_req *r, struct kn_ctx *x, const struct kn_consultation *c, bool create,
                             int64_t *pid);

#endif
