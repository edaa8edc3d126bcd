/* consult_actor.c: the participant behind a request (consult_actor.h). */
#include "app/consult_actor.h"
#include "core/arena.h"
#include "store/store.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define VOTER_COOKIE "kn_voter"

/* A small cache of participant ids: (consultation, account or browser) ->
 * participant. Participants are never deleted, so an entry never goes
 * stale; a collision just evicts. */
#define PCACHE 16384
static struct {
	int64_t cid, uid, pid;
	char browser[36];
} pcache[PCACHE];
static pthread_mutex_t pcache_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t slot(int64_t cid, int64_t uid, const char *browser)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)cid * 31 ^ (uint64_t)uid * 1000003;
	for (const char *p = browser ? browser : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)(h % PCACHE);
}

static bool cached(int64_t cid, int64_t uid, const char *browser, int64_t *pid)
{
	size_t i = slot(cid, uid, browser);
	pthread_mutex_lock(&pcache_mu);
	bool hit = pcache[i].pid && pcache[i].cid == cid && pcache[i].uid == uid &&
	           !strcmp(pcache[i].browser, browser ? browser : "");
	if (hit)
		*pid = pcache[i].pid;
	pthread_mutex_unlock(&pcache_mu);
	return hit;
}

static void remember(int64_t cid, int64_t uid, const char *browser, int64_t pid)
{
	if (browser && strlen(browser) >= sizeof(pcache[0].browser))
		return;
	size_t i = slot(cid, uid, browser);
	pthread_mutex_lock(&pcache_mu);
	pcache[i].cid = cid;
	pcache[i].uid = uid;
	pcache[i].pid = pid;
	snprintf(pcache[i].browser, sizeof(pcache[i].browser), "%s", browser ? browser : "");
	pthread_mutex_unlock(&pcache_mu);
}

static enum kn_err participant(struct kn_ctx *x, int64_t cid, int64_t uid, const char *browser, bool create,
                               int64_t *pid)
{
	if (cached(cid, uid, browser, pid))
		return KN_OK;
	enum kn_err rc = kn_consultation_participant(x, cid, uid, browser, create, pid);
	/* only a committed participant is remembered (not one inside an open
	 * transaction that may still roll back) */
	if (!rc && !kn_db_in_tx(x->c))
		remember(cid, uid, browser, *pid);
	return rc;
}

enum kn_err kn_consult_actor(struct kn_req *r, struct kn_ctx *x, const struct kn_consultation *c, bool create,
                             int64_t *pid)
{
	if (r->user)
		return participant(x, c->id, r->user->id, NULL, create, pid);
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
	return participant(x, c->id, 0, hash, create, pid);
}
