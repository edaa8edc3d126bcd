/* app.h: the application: its route table, what each route demands before
 * its handler runs, and the shared state of a running server. */
#ifndef KN_APP_H
#define KN_APP_H
#include "http/req.h"

struct kn_db;

/* Who may call a route. Scoped needs take the council or agency from the
 * route parameter named in scope (an id or a slug). Deny by default: a
 * route with no need stated is KN_NEED_PUBLIC only when written so. */
enum kn_need {
	KN_NEED_PUBLIC = 1,   /* anyone, signed in or not */
	KN_NEED_LOGIN,        /* any signed-in account */
	KN_NEED_OPERATOR,     /* platform operator */
	KN_NEED_CHAIR,        /* chair of the council in scope */
	KN_NEED_SECRETARY,    /* secretary of the council in scope */
	KN_NEED_STAFF,        /* chair or secretary of the council in scope */
	KN_NEED_MEMBER,       /* member (or chair, secretary) of the council in scope */
	KN_NEED_OFFICER,      /* officer of the agency in scope */
};

enum kn_route_flag {
	KN_RF_API = 1 << 0,    /* JSON in and out; bearer tokens accepted */
	KN_RF_PUBLIC = 1 << 1, /* same bytes for every anonymous visitor: cacheable */
	KN_RF_UPLOAD = 1 << 2, /* accepts multipart bodies up to the upload limit */
	KN_RF_NOCSRF = 1 << 3, /* safe without a CSRF token (no ambient authority) */
};

struct kn_route {
	unsigned methods;
	const char *pattern;
	void (*handler)(struct kn_req *r);
	unsigned flags;
	enum kn_need need;
	const char *scope;     /* route parameter naming the council/agency */
	const char *summary;   /* for the OpenAPI document */
	const char *request;   /* JSON Schema of the request body (API), or NULL */
	const char *response;  /* JSON Schema of a successful response (API), or NULL */
};

extern const struct kn_route kn_routes[];
extern const int kn_nroutes;

struct kn_app {
	struct kn_db *db;
	_Atomic int64_t clock_offset; /* seconds added to the wall clock (tests) */
	char version[32];
};
extern struct kn_app kn_app;

/* Current time in unix seconds, honouring the injectable clock. */
int64_t kn_now(void);

/* The dispatcher given to the HTTP server, and its after-send hook. */
void kn_app_dispatch(struct kn_req *r);
void kn_app_finished(struct kn_req *r);
/* Finishes a response a suspended handler has filled. */
void kn_app_resumed(struct kn_req *r);

/* Error responses: JSON for API routes, an HTML page otherwise. msg is an
 * untranslated message id (translated here); field may be NULL. */
void kn_fail(struct kn_req *r, int status, const char *code, const char *field, const char *msg);
void kn_fail_err(struct kn_req *r, enum kn_err e);
void kn_redirect(struct kn_req *r, const char *location);

/* Role checks on the signed-in account (false for anonymous). */
bool kn_has_council_role(const struct kn_req *r, int64_t council_id, const char *role);
bool kn_has_agency_role(const struct kn_req *r, int64_t agency_id);

/* The slice of a long list a request asks for: ?page=N (pages of def
 * items, HTML) or ?offset=&limit= (API; limit at most max). On a bad value
 * answers 400 itself and returns false. */
bool kn_req_window(struct kn_req *r, int def, int max, int *offset, int *limit);
/* A registry's search, ?q=: *q is NULL when none is asked (absent or
 * blank). Longer than KN_SEARCH_MAX bytes: answers 400 itself and returns
 * false. */
bool kn_req_search(struct kn_req *r, const char **q);

/* Prometheus text for /metrics. */
void kn_metrics_write(struct kn_req *r);



#include "domain/domain.h"
/* A domain context for this request's actor (reads: no transaction). */
void kn_ctx_init(struct kn_req *r, struct kn_ctx *x);
/* The ETag of a body: its XXH3 128-bit hash in quoted hex, in a. */
const char *kn_etag_of(struct kn_arena *a, const void *data, size_t len);
/* The same inside a transaction; kn_tx_end commits when rc is KN_OK and
 * rolls back otherwise, returning the final outcome. */
KN_MUST_USE enum kn_err kn_tx_begin(struct kn_req *r, struct kn_ctx *x);
KN_MUST_USE enum kn_err kn_tx_end(struct kn_ctx *x, enum kn_err rc);
/* A login attempt under the rate limits (per address and per login):
 * KN_ELIMIT when blocked, KN_EPERM for a wrong login or password. */
enum kn_err kn_login_attempt(struct kn_req *r, struct kn_ctx *x, const char *login, const char *password,
                             int64_t *uid);
#endif
