/* dispatch.c: from a complete request to a response: language, route,
 * body, identity, the route's demands (login, role, CSRF), the handler,
 * then caching headers, metrics and the access log. */
#include "api/json.h"
#include "app/app.h"
#include "app/opendata.h"
#include "app/pagecache.h"
#include "app/ratelimit.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/registry.h"
#include "store/store.h"
#include "view/view.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <xxhash.h>
#if defined(__x86_64__)
/* libxxhash's entry that picks the widest vector unit the CPU has (AVX2,
 * AVX-512) at run time: the same hash, a few times faster than the SSE2
 * code of the plain entry on a page of 40 KB */
#include <xxh_x86dispatch.h>
#define ETAG_HASH XXH3_128bits_dispatch
#else
#define ETAG_HASH XXH3_128bits
#endif

struct kn_app kn_app;

int64_t kn_now(void)
{
	return (int64_t)time(NULL) + kn_app.clock_offset;
}

const char *kn_req_form(struct kn_req *r, const char *name)
{
	return kn_kv_get(r->form, name);
}

const char *kn_req_arg(struct kn_req *r, const char *name)
{
	return kn_kv_get(r->query, name);
}

const char *kn_req_param(struct kn_req *r, const char *name)
{
	return kn_kv_get(r->params, name);
}

struct kn_conn *kn_req_db(struct kn_req *r)
{
	if (!r->db) {
		r->db = kn_db_acquire(kn_app.db);
		/* a page reads one snapshot (writes on a GET end it) */
		if (r->method == KN_GET || r->method == KN_HEAD)
			kn_db_snapshot(r->db);
	}
	return r->db;
}

void kn_req_add_header(struct kn_req *r, const char *name, const char *value)
{
	struct kn_kv *e = kn_zalloc(r->a, sizeof(*e));
	e->k = name;
	e->v = value;
	e->next = r->headers;
	r->headers = e;
}

void kn_req_set_cookie(struct kn_req *r, const char *name, const char *value, long max_age)
{
	char age[48] = "";
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	kn_req_add_header(r, "Set-Cookie",
	                  kn_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value, age,
	                            r->https ? "; Secure" : ""));
}

void kn_req_body_source(struct kn_req *r, uint64_t size, ssize_t (*read)(void *cls, uint64_t pos, char *buf, size_t max),
                        void (*done)(void *cls), void *cls)
{
	kn_req_body_source_drop(r);
	kn_buf_reset(&r->out);
	r->src_size = size;
	r->src_read = read;
	r->src_done = done;
	r->src_cls = cls;
}

void kn_req_body_source_drop(struct kn_req *r)
{
	if (r->src_done)
		r->src_done(r->src_cls);
	r->src_read = NULL;
	r->src_done = NULL;
	r->src_size = 0;
}

const char *kn_req_base_url(struct kn_req *r)
{
	if (kn_cfg.base_url && *kn_cfg.base_url)
		return kn_cfg.base_url;
	const char *host = kn_req_header(r, "Host");
	if (!host || !*host || strpbrk(host, "\"<>\\ /"))
		host = kn_cfg.listen;
	return kn_printf(r->a, "%s://%s", r->https ? "https" : "http", host);
}

const char *kn_csrf_token(struct kn_req *r)
{
	if (r->csrf)
		return r->csrf;
	unsigned char raw[24];
	randombytes_buf(raw, sizeof(raw));
	char *t = kn_alloc(r->a, 64);
	sodium_bin2base64(t, 64, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	r->csrf = t;
	r->set_csrf_cookie = true;
	return t;
}

bool kn_has_council_role(const struct kn_req *r, int64_t council_id, const char *role)
{
	if (!r->user)
		return false;
	for (int i = 0; i < r->user->nroles; i++)
		if (r->user->roles[i].council_id == council_id && !strcmp(r->user->roles[i].role, role))
			return true;
	return false;
}

bool kn_has_agency_role(const struct kn_req *r, int64_t agency_id)
{
	if (!r->user)
		return false;
	for (int i = 0; i < r->user->nroles; i++)
		if (r->user->roles[i].agency_id == agency_id && !strcmp(r->user->roles[i].role, "officer"))
			return true;
	return false;
}

static bool is_api(const struct kn_req *r)
{
	if (r->route)
		return (r->route->flags & KN_RF_API) != 0;
	return !strncmp(r->path, "/api/", 5);
}

void kn_fail(struct kn_req *r, int status, const char *code, const char *field, const char *msg)
{
	if (is_api(r)) {
		kn_api_error(r, status, code, field, msg, NULL);
		return;
	}
	kn_view_error(r, status, msg);
}

void kn_fail_err(struct kn_req *r, enum kn_err e)
{
	switch (e) {
	case KN_ENOTFOUND: kn_fail(r, 404, "not_found", NULL, "This page does not exist."); break;
	case KN_EPERM: kn_fail(r, 403, "forbidden", NULL, "You are not allowed to do this."); break;
	case KN_ECONFLICT: kn_fail(r, 409, "conflict", NULL, "This conflicts with the current state of the record."); break;
	case KN_ETOOBIG: kn_fail(r, 413, "too_large", NULL, "The request is too large."); break;
	case KN_ELIMIT: kn_fail(r, 429, "rate_limited", NULL, "Too many attempts; wait a few minutes and try again."); break;
	case KN_EINVAL: kn_fail(r, 400, "invalid", NULL, "The request is not valid."); break;
	default: kn_fail(r, 500, "internal", NULL, "Something went wrong on our side; nothing was changed."); break;
	}
}

void kn_redirect(struct kn_req *r, const char *location)
{
	r->status = 303;
	kn_req_add_header(r, "Location", location);
	r->cache = "no-store";
}

static void choose_language(struct kn_req *r)
{
	const char *q = kn_lang_canon(kn_req_arg(r, "lang"));
	if (q) {
		r->lang = q;
		kn_req_set_cookie(r, "kn_lang", q, 365L * 86400);
	} else if ((q = kn_lang_canon(kn_kv_get(r->cookies, "kn_lang")))) {
		r->lang = q;
	} else {
		q = kn_pick_language(kn_req_header(r, "Accept-Language"), kn_langs, KN_NLANGS);
		r->lang = q ? q : (kn_lang_canon(kn_cfg.default_lang) ? kn_lang_canon(kn_cfg.default_lang) : "en");
	}
	kn_i18n_set(r->lang);
}

static void identify(struct kn_req *r)
{
	struct kn_ctx x = {.a = r->a, .now = r->now};
	const char *auth = kn_req_header(r, "Authorization");
	if ((r->route->flags & KN_RF_API) && auth && !strncasecmp(auth, "Bearer ", 7)) {
		x.c = kn_req_db(r);
		if (kn_token_user(&x, auth + 7, &r->user) == KN_OK)
			r->via_token = true;
		else
			r->user = NULL;
		return;
	}
	const char *tok = kn_kv_get(r->cookies, "kn_session");
	if (tok && *tok && strlen(tok) < 100) {
		x.c = kn_req_db(r);
		if (kn_session_user(&x, tok, &r->user, &r->session_id) != KN_OK) {
			r->user = NULL;
			kn_req_set_cookie(r, "kn_session", "", 0);
		}
	}
	const char *c = kn_kv_get(r->cookies, "kn_csrf");
	if (c && strlen(c) >= 20 && strlen(c) < 100)
		r->csrf = c;
}

static bool parse_body(struct kn_req *r)
{
	if (r->method != KN_POST && r->method != KN_PUT && r->method != KN_PATCH && r->method != KN_DELETE)
		return true;
	if (r->route->flags & KN_RF_API)
		return true; /* JSON is parsed by the handler through kn_api_body */
	const char *ct = kn_req_header(r, "Content-Type");
	enum kn_err rc = KN_OK;
	if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
		if (!(r->route->flags & KN_RF_UPLOAD) && r->body_len > (size_t)kn_cfg.max_body)
			rc = KN_ETOOBIG;
		else
			rc = kn_parse_multipart(r->a, ct, r->body, r->body_len, &r->form, &r->files);
	} else if (!ct || !strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
		rc = kn_parse_urlencoded(r->a, r->body, r->body_len, 1000, &r->form);
	} else {
		kn_fail(r, 415, "unsupported_media_type", NULL, "This form was sent in a format Kenes does not read.");
		return false;
	}
	if (rc == KN_ETOOBIG) {
		kn_fail(r, 413, "too_large", NULL, "The request is too large.");
		return false;
	}
	if (rc) {
		kn_fail(r, 400, "bad_form", NULL, "The form data could not be read.");
		return false;
	}
	return true;
}

/* Resolves the route's scope parameter to a council or agency id. */
static int64_t scope_id(struct kn_req *r, bool agency)
{
	const char *key = kn_req_param(r, r->route->scope ? r->route->scope : (agency ? "agency" : "council"));
	struct kn_ctx x = {.a = r->a, .c = kn_req_db(r), .now = r->now};
	if (agency) {
		struct kn_agency *g;
		return kn_agency_get(&x, key, &g) ? 0 : g->id;
	}
	struct kn_council *c;
	return kn_council_get(&x, key, &c) ? 0 : c->id;
}

static bool allowed(struct kn_req *r)
{
	enum kn_need need = r->route->need;
	if (need == KN_NEED_PUBLIC)
		return true;
	if (!r->user) {
		if (is_api(r)) {
			kn_api_error(r, 401, "unauthorized", NULL, "Log in or send an API token.", NULL);
			kn_req_add_header(r, "WWW-Authenticate", "Bearer");
		} else {
			struct kn_buf b;
			kn_buf_arena(&b, r->a, 4096);
			kn_buf_adds(&b, "/login?next=");
			kn_html_url(&b, r->path);
			kn_redirect(r, kn_buf_str(&b));
		}
		return false;
	}
	if (need == KN_NEED_LOGIN)
		return true;
	if (need == KN_NEED_OPERATOR) {
		if (r->user->is_operator)
			return true;
		kn_fail(r, 403, "forbidden", NULL, "Only a platform operator may do this.");
		return false;
	}
	bool agency = need == KN_NEED_OFFICER;
	int64_t id = scope_id(r, agency);
	r->scope_id = id;
	if (!id) {
		kn_fail(r, 404, "not_found", NULL, "This page does not exist.");
		return false;
	}
	bool ok = false;
	switch (need) {
	case KN_NEED_CHAIR: ok = kn_has_council_role(r, id, "chair"); break;
	case KN_NEED_SECRETARY: ok = kn_has_council_role(r, id, "secretary"); break;
	case KN_NEED_STAFF:
		ok = kn_has_council_role(r, id, "chair") || kn_has_council_role(r, id, "secretary");
		r->scope_role = kn_has_council_role(r, id, "chair") ? "chair" : "secretary";
		break;
	case KN_NEED_MEMBER:
		ok = kn_has_council_role(r, id, "member") || kn_has_council_role(r, id, "chair") ||
		     kn_has_council_role(r, id, "secretary");
		break;
	case KN_NEED_OFFICER: ok = kn_has_agency_role(r, id); break;
	default: ok = false; break; /* deny by default */
	}
	if (!ok)
		kn_fail(r, 403, "forbidden", NULL, "Your roles do not allow this here.");
	return ok;
}

static bool csrf_ok(struct kn_req *r)
{
	if (r->method == KN_GET || r->method == KN_HEAD || r->method == KN_OPTIONS)
		return true;
	if (r->route->flags & KN_RF_NOCSRF)
		return true;
	const char *cookie = kn_kv_get(r->cookies, "kn_csrf");
	const char *sent;
	if (r->route->flags & KN_RF_API) {
		/* a bearer token or no session cookie carries no ambient authority */
		if (r->via_token || !r->user)
			return true;
		sent = kn_req_header(r, "X-CSRF-Token");
	} else {
		sent = kn_req_form(r, "csrf");
	}
	if (cookie && sent && strlen(cookie) == strlen(sent) && strlen(cookie) >= 20 &&
	    sodium_memcmp(cookie, sent, strlen(cookie)) == 0)
		return true;
	kn_fail(r, 403, "csrf", NULL, "This form has expired or did not come from this site. Reload the page and try again.");
	return false;
}

const char *kn_etag_of(struct kn_arena *a, const void *data, size_t len)
{
	/* an ETag tells versions of one page apart, against no adversary:
	 * XXH3's 128 bits at memory speed, not a cryptographic hash over every
	 * rendered byte */
	XXH128_canonical_t h;
	XXH128_canonicalFromHash(&h, ETAG_HASH(data, len));
	/* quoted hex, high bits first; without printf, which cost 3,300
	 * instructions a page (callgrind) */
	char *t = kn_alloc(a, 2 * sizeof(h.digest) + 3);
	t[0] = '"';
	sodium_bin2hex(t + 1, 2 * sizeof(h.digest) + 1, h.digest, sizeof(h.digest));
	t[2 * sizeof(h.digest) + 1] = '"';
	t[2 * sizeof(h.digest) + 2] = 0;
	return t;
}

static const char *finish_headers(struct kn_req *r)
{
	const char *etag = NULL;
	if (r->set_csrf_cookie)
		kn_req_set_cookie(r, "kn_csrf", r->csrf, -1);
	bool get = r->method == KN_GET || r->method == KN_HEAD;
	bool has_cookie = false;
	for (struct kn_kv *h = r->headers; h; h = h->next)
		if (!strcasecmp(h->k, "Set-Cookie"))
			has_cookie = true;
	const char *cache = r->cache;
	if (!cache) {
		if (get && r->status == 200 && r->route && (r->route->flags & KN_RF_PUBLIC) && !r->user && !has_cookie)
			cache = "public, max-age=30";
		else if (get && r->status == 200)
			cache = "private, no-cache";
		else
			cache = "no-store";
	}
	kn_req_add_header(r, "Cache-Control", cache);
	if (r->route && (r->route->flags & KN_RF_PUBLIC))
		kn_req_add_header(r, "Vary", "Accept-Language, Cookie");
	if (get && r->status == 200 && !r->no_etag) {
		etag = r->etag;
		if (!etag && !r->src_read)
			etag = kn_etag_of(r->a, kn_buf_str(&r->out), r->out.len);
	}
	if (etag) {
		kn_req_add_header(r, "ETag", etag);
		const char *inm = kn_req_header(r, "If-None-Match");
		if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
			r->status = 304;
			kn_buf_reset(&r->out);
			kn_req_body_source_drop(r);
		}
	}
	if (r->src_read && r->status != 200)
		kn_req_body_source_drop(r); /* an error answered instead: its body is in out */
	if (!r->ctype && r->out.len)
		r->ctype = "text/html; charset=utf-8";
	kn_req_add_header(r, "X-Content-Type-Options", "nosniff");
	if (!is_api(r)) {
		kn_req_add_header(r, "X-Frame-Options", "DENY");
		kn_req_add_header(r, "Content-Security-Policy",
		                  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
		                  "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
		kn_req_add_header(r, "Referrer-Policy", "same-origin");
	}
	if (r->https)
		kn_req_add_header(r, "Strict-Transport-Security", "max-age=31536000");
	return etag;
}

/* The cache key of a page every anonymous visitor gets the same, or NULL.
 * Only pages of routes flagged public are ever stored under it, so it can
 * be looked up before routing. */
static const char *cache_key(struct kn_req *r)
{
	if ((r->route && !(r->route->flags & KN_RF_PUBLIC)) || (r->method != KN_GET && r->method != KN_HEAD))
		return NULL;
	if (kn_kv_get(r->cookies, "kn_session") || kn_req_header(r, "Authorization") || kn_req_arg(r, "lang"))
		return NULL;
	/* "lang\npath?query", put together without printf (every anonymous read) */
	size_t ll = strlen(r->lang), lp = strlen(r->path), lq = strlen(r->query_raw);
	char *k = kn_alloc(r->a, ll + lp + lq + 3), *e = k;
	memcpy(e, r->lang, ll);
	e += ll;
	*e++ = '\n';
	memcpy(e, r->path, lp);
	e += lp;
	*e++ = '?';
	memcpy(e, r->query_raw, lq + 1);
	return k;
}

/* A {param} never spans a '/', so a route can match only a path with as
 * many segments as its pattern: comparing counts skips most of the table
 * (186 patterns) before any character is compared. */
static unsigned char route_slashes[512];
static pthread_once_t route_slashes_once = PTHREAD_ONCE_INIT;

static int count_slashes(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '/';
	return n;
}

static void count_route_slashes(void)
{
	if (kn_nroutes > (int)sizeof(route_slashes))
		abort();
	for (int i = 0; i < kn_nroutes; i++)
		route_slashes[i] = (unsigned char)count_slashes(kn_routes[i].pattern);
}

void kn_app_dispatch(struct kn_req *r)
{
	const char *key = NULL;
	/* before any data is read (the cache lookup below may read the log's
	 * head, which starts the request's snapshot) */
	r->cache_gen = kn_db_generation();
	r->now = kn_now();
	r->cookies = kn_parse_cookies(r->a, kn_req_header(r, "Cookie"));
	bool bad_query = kn_parse_urlencoded(r->a, r->query_raw, strlen(r->query_raw), 200, &r->query) != KN_OK;
	choose_language(r);

	/* a page already rendered for anonymous visitors needs no routing */
	int cached_route;
	if (!bad_query && !r->body_too_big && (key = cache_key(r)) && kn_pagecache_get(r, key, &cached_route)) {
		r->route_index = cached_route;
		r->route = &kn_routes[cached_route];
		if (!r->prepared) /* answered from the ETag: 304 */
			finish_headers(r);
		return;
	}

	const struct kn_route *matched = NULL;
	bool path_known = false;
	unsigned m = r->method == KN_HEAD ? KN_GET : r->method;
	pthread_once(&route_slashes_once, count_route_slashes);
	int slashes = count_slashes(r->path);
	for (int i = 0; i < kn_nroutes; i++) {
		struct kn_kv *params = NULL;
		if (route_slashes[i] != slashes || !kn_route_match(r->a, kn_routes[i].pattern, r->path, &params))
			continue;
		path_known = true;
		if (kn_routes[i].methods & m) {
			matched = &kn_routes[i];
			r->route_index = i;
			r->params = params;
			break;
		}
	}
	r->route = matched;
	if (!matched) {
		if (path_known)
			kn_fail(r, 405, "method_not_allowed", NULL, "This address does not accept this method.");
		else
			kn_fail(r, 404, "not_found", NULL, "This page does not exist.");
		goto done;
	}
	if (bad_query) {
		kn_fail(r, 400, "bad_query", NULL, "The address has a malformed query string.");
		goto done;
	}
	if (r->body_too_big) {
		kn_fail(r, 413, "too_large", NULL, "The request is too large.");
		goto done;
	}
	key = cache_key(r);
	identify(r);
	if (!parse_body(r) || !allowed(r) || !csrf_ok(r))
		goto done;
	matched->handler(r);
	if (r->suspended)
		return; /* kn_app_resumed finishes it */
done:;
	/* a 304 was answered from the ETag: the body was full before */
	size_t len = r->out.len;
	const char *etag = finish_headers(r);
	if (key && etag && !r->user && !r->src_read && (r->status == 200 || r->status == 304) && len == r->out.len) {
		bool cookie = false;
		for (struct kn_kv *h = r->headers; h; h = h->next)
			if (!strcasecmp(h->k, "Set-Cookie"))
				cookie = true;
		if (!cookie && r->status == 200)
			kn_pagecache_put(r, key, etag, r->route_index);
	}
}

/* ---- metrics and the access log ----------------------------------------- */

static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NB (KN_ARRAY_LEN(buckets))
#define MAX_STATUS 12

struct route_stats {
	int status[MAX_STATUS];
	uint64_t count[MAX_STATUS];
	uint64_t hist[NB + 1];
	double sum;
	uint64_t n;
};

static struct route_stats *stats; /* kn_nroutes + 1 entries; the last: unmatched */
static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void kn_app_finished(struct kn_req *r)
{
	double dt = mono() - r->started;
	int ri = r->route_index >= 0 ? r->route_index : kn_nroutes;
	pthread_mutex_lock(&stats_mu);
	if (!stats)
		stats = calloc((size_t)kn_nroutes + 1, sizeof(*stats));
	if (stats) {
		struct route_stats *s = &stats[ri];
		int k;
		for (k = 0; k < MAX_STATUS && s->status[k] && s->status[k] != r->status; k++)
			;
		if (k == MAX_STATUS)
			k = MAX_STATUS - 1; /* an unusual mix of statuses lands in the last slot */
		s->status[k] = r->status;
		s->count[k]++;
		size_t b;
		for (b = 0; b < NB && dt > buckets[b]; b++)
			;
		s->hist[b]++;
		s->sum += dt;
		s->n++;
	}
	pthread_mutex_unlock(&stats_mu);
	if (!kn_log_access_on())
		return;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	char line[1200];
	snprintf(line, sizeof(line), "%s %s %s \"%s %.512s\" %d %zu %.2fms user=%lld route=%s", ts,
	         r->remote_ip ? r->remote_ip : "-", r->lang ? r->lang : "-", r->method_str ? r->method_str : "-",
	         r->path ? r->path : "-", r->status, r->prepared ? r->prepared_len : r->src_read ? (size_t)r->src_size : r->out.len, dt * 1000.0, r->user ? (long long)r->user->id : 0LL,
	         r->route ? r->route->pattern : "-");
	kn_log_access(line);
}

void kn_metrics_write(struct kn_req *r)
{
	struct kn_buf *b = &r->out;
	kn_buf_adds(b, "# HELP kenes_http_requests_total HTTP requests by route and status.\n"
	               "# TYPE kenes_http_requests_total counter\n");
	pthread_mutex_lock(&stats_mu);
	for (int i = 0; stats && i <= kn_nroutes; i++) {
		const char *pat = i < kn_nroutes ? kn_routes[i].pattern : "unmatched";
		for (int k = 0; k < MAX_STATUS && stats[i].status[k]; k++)
			kn_buf_printf(b, "kenes_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n", pat,
			              stats[i].status[k], (unsigned long long)stats[i].count[k]);
	}
	kn_buf_adds(b, "# HELP kenes_http_request_duration_seconds Time from the first byte of a request to its response.\n"
	               "# TYPE kenes_http_request_duration_seconds histogram\n");
	for (int i = 0; stats && i <= kn_nroutes; i++) {
		if (!stats[i].n)
			continue;
		const char *pat = i < kn_nroutes ? kn_routes[i].pattern : "unmatched";
		uint64_t cum = 0;
		for (size_t k = 0; k < NB; k++) {
			cum += stats[i].hist[k];
			kn_buf_printf(b, "kenes_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", pat,
			              buckets[k], (unsigned long long)cum);
		}
		cum += stats[i].hist[NB];
		kn_buf_printf(b, "kenes_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", pat,
		              (unsigned long long)cum);
		kn_buf_printf(b, "kenes_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", pat, stats[i].sum);
		kn_buf_printf(b, "kenes_http_request_duration_seconds_count{route=\"%s\"} %llu\n", pat,
		              (unsigned long long)stats[i].n);
	}
	pthread_mutex_unlock(&stats_mu);
	uint64_t pc_n, pc_h, pc_m;
	kn_pagecache_stats(&pc_n, &pc_h, &pc_m);
	kn_buf_printf(b,
	              "# HELP kenes_page_cache_entries Public pages held rendered in memory.\n"
	              "# TYPE kenes_page_cache_entries gauge\nkenes_page_cache_entries %llu\n"
	              "# HELP kenes_page_cache_hits_total Public pages served from memory.\n"
	              "# TYPE kenes_page_cache_hits_total counter\nkenes_page_cache_hits_total %llu\n"
	              "# HELP kenes_page_cache_misses_total Public pages rendered.\n"
	              "# TYPE kenes_page_cache_misses_total counter\nkenes_page_cache_misses_total %llu\n",
	              (unsigned long long)pc_n, (unsigned long long)pc_h, (unsigned long long)pc_m);
	kn_buf_printf(b,
	              "# HELP kenes_open_data_builds_total Open-data exports made for /open-data.\n"
	              "# TYPE kenes_open_data_builds_total counter\nkenes_open_data_builds_total %llu\n",
	              (unsigned long long)kn_open_data_builds());
	struct kn_db_stats ds;
	kn_db_stats(kn_app.db, &ds);
	kn_buf_printf(b,
	              "# HELP kenes_db_seconds_total Time spent waiting for the database.\n"
	              "# TYPE kenes_db_seconds_total counter\n"
	              "kenes_db_seconds_total %.6f\n"
	              "# HELP kenes_db_queries_total Statements run.\n"
	              "# TYPE kenes_db_queries_total counter\n"
	              "kenes_db_queries_total %llu\n"
	              "# HELP kenes_db_errors_total Statements that failed.\n"
	              "# TYPE kenes_db_errors_total counter\n"
	              "kenes_db_errors_total %llu\n"
	              "# HELP kenes_db_pool_connections Connections in the pool.\n"
	              "# TYPE kenes_db_pool_connections gauge\n"
	              "kenes_db_pool_connections %d\n"
	              "# HELP kenes_db_pool_busy Connections in use.\n"
	              "# TYPE kenes_db_pool_busy gauge\n"
	              "kenes_db_pool_busy %d\n",
	              ds.seconds, (unsigned long long)ds.queries, (unsigned long long)ds.errors, ds.pool_size,
	              ds.pool_busy);
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	r->cache = "no-store";
	r->no_etag = true;
}

void kn_ctx_init(struct kn_req *r, struct kn_ctx *x)
{
	memset(x, 0, sizeof(*x));
	x->a = r->a;
	x->c = kn_req_db(r);
	x->now = r->now;
	x->actor_role = "public";
	if (r->user) {
		x->actor_id = r->user->id;
		x->actor_name = r->user->display_name;
		x->actor_role = "citizen";
		if (r->route) {
			switch (r->route->need) {
			case KN_NEED_OPERATOR: x->actor_role = "operator"; break;
			case KN_NEED_CHAIR: x->actor_role = "chair"; break;
			case KN_NEED_SECRETARY: x->actor_role = "secretary"; break;
			case KN_NEED_MEMBER: x->actor_role = "member"; break;
			case KN_NEED_OFFICER: x->actor_role = "officer"; break;
			case KN_NEED_STAFF: x->actor_role = r->scope_role ? r->scope_role : "secretary"; break;
			default: break;
			}
		}
	}
}

enum kn_err kn_tx_begin(struct kn_req *r, struct kn_ctx *x)
{
	kn_ctx_init(r, x);
	return kn_db_begin(x->c);
}

enum kn_err kn_tx_end(struct kn_ctx *x, enum kn_err rc)
{
	if (rc) {
		kn_db_rollback(x->c);
		return rc;
	}
	return kn_db_commit(x->c);
}

static bool nonneg(const char *s, long max, long *out)
{
	if (!s || !*s)
		return true;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > max)
		return false;
	*out = v;
	return true;
}

bool kn_req_search(struct kn_req *r, const char **q)
{
	*q = kn_req_arg(r, "q");
	if (*q && strlen(*q) > KN_SEARCH_MAX) {
		kn_fail(r, 400, "invalid", "q", "The search is too long (at most 200 bytes).");
		return false;
	}
	if (*q && !(*q)[strspn(*q, " \t\r\n")])
		*q = NULL;
	return true;
}

bool kn_req_window(struct kn_req *r, int def, int max, int *offset, int *limit)
{
	long page = 1, off = 0, lim = def;
	if (!nonneg(kn_req_arg(r, "page"), 1000000, &page) || page < 1) {
		kn_fail(r, 400, "invalid", "page", "The page number must be a whole number from 1.");
		return false;
	}
	if (!nonneg(kn_req_arg(r, "offset"), 100000000, &off) || !nonneg(kn_req_arg(r, "limit"), max, &lim) || lim < 1) {
		kn_fail(r, 400, "invalid", "limit", "Use a limit from 1 to the maximum and an offset from 0.");
		return false;
	}
	if (kn_req_arg(r, "page"))
		off = (page - 1) * lim;
	*offset = (int)off;
	*limit = (int)lim;
	return true;
}

void kn_app_resumed(struct kn_req *r)
{
	finish_headers(r);
}
