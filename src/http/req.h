/* req.h: one HTTP request and its response, as the rest of Kenes sees it
 * (no libmicrohttpd types here). Everything hangs off the request arena r->a. */
#ifndef KN_HTTP_REQ_H
#define KN_HTTP_REQ_H
#include "core/buf.h"
#include "core/kn.h"
#include <sys/types.h>
#include "http/parse.h"

struct kn_arena;
struct kn_conn;
struct kn_route;

enum kn_method { KN_GET = 1, KN_HEAD = 2, KN_POST = 4, KN_PUT = 8, KN_DELETE = 16, KN_PATCH = 32, KN_OPTIONS = 64 };

/* A role held by the signed-in account. council_id/agency_id: 0 if none. */
struct kn_role {
	const char *role; /* "chair", "secretary", "member", "officer" */
	int64_t council_id, agency_id;
};

struct kn_user {
	int64_t id;
	const char *login, *display_name;
	bool is_operator;
	struct kn_role *roles;
	int nroles;
};

struct kn_req {
	struct kn_arena *a;
	void *conn;            /* the HTTP layer's connection, for header look-ups */
	enum kn_method method;
	const char *method_str;
	const char *path;      /* decoded by nothing: raw path without the query */
	const char *query_raw; /* after '?', or "" */
	struct kn_kv *query, *form, *cookies, *params;
	struct kn_file *files;
	const char *body;      /* request body (NUL-terminated copy), may be "" */
	size_t body_len;
	bool body_too_big;
	const char *remote_ip;
	bool https;
	const char *lang;
	const struct kn_route *route;
	int route_index;       /* for metrics; -1 when no route matched */
	struct kn_user *user;  /* NULL for the anonymous public */
	bool via_token;        /* authenticated by an API bearer token */
	int64_t session_id;
	const char *csrf;      /* the token forms must carry */
	bool set_csrf_cookie;
	struct kn_conn *db;    /* acquired on first use by kn_req_db() */
	int64_t scope_id;      /* the council or agency a scoped route checked */
	const char *scope_role; /* the role that satisfied a staff route */
	int64_t now;           /* request time, unix seconds (injectable clock) */
	double started;        /* monotonic seconds, for the access log */
	void *json;            /* parsed JSON body (api layer's), or NULL */

	/* the response */
	int status;
	const char *ctype;
	struct kn_buf out;
	struct kn_kv *headers; /* extra response headers */
	const char *cache;     /* Cache-Control value; NULL: chosen by the dispatcher */
	bool no_etag;
	const char *etag;      /* precomputed ETag (from the page cache) */
	uint64_t cache_gen;    /* data generation the page was rendered under */
	bool suspended;        /* the handler answers later (kn_req_suspend) */
	void *prepared;        /* a ready response to send as it is (page cache) */
	/* or a body read in pieces where it is, instead of out (kn_req_body_source) */
	uint64_t src_size;
	ssize_t (*src_read)(void *cls, uint64_t pos, char *buf, size_t max);
	void (*src_done)(void *cls); /* NULL once handed to the server */
	void *src_cls;
	void *names;           /* the view's per-request cache of display names */
	size_t prepared_len;
};

/* A request header (case-insensitive name), or NULL. */
const char *kn_req_header(struct kn_req *r, const char *name);
void kn_req_add_header(struct kn_req *r, const char *name, const char *value);
/* A form value (POST body) or NULL; kn_req_arg looks at the query string. */
const char *kn_req_form(struct kn_req *r, const char *name);
const char *kn_req_arg(struct kn_req *r, const char *name);
const char *kn_req_param(struct kn_req *r, const char *name);
/* The request's database connection, acquired once and released when the
 * request ends. */
struct kn_conn *kn_req_db(struct kn_req *r);
/* Sets a cookie with the attributes Kenes always uses (Path=/, HttpOnly,
 * SameSite=Lax, Secure when the request came over TLS). max_age < 0: session
 * cookie; 0: delete. */
void kn_req_set_cookie(struct kn_req *r, const char *name, const char *value, long max_age);
/* A handler that answers later (when a batch has committed, say) calls
 * kn_req_suspend before returning, fills the response from any thread,
 * then calls kn_req_resume exactly once. No thread waits meanwhile. */
void kn_req_suspend(struct kn_req *r);
void kn_req_resume(struct kn_req *r);

/* Answers with size bytes read by read(cls, pos, buf, max) as they are
 * sent (it returns how many it copied, -1 past the end), instead of out:
 * a large body held elsewhere goes out without a copy. done(cls) is called
 * once, when the answer is finished with or dropped (a 304). The caller
 * sets r->etag. */
void kn_req_body_source(struct kn_req *r, uint64_t size, ssize_t (*read)(void *cls, uint64_t pos, char *buf, size_t max),
                        void (*done)(void *cls), void *cls);
/* Drops a body source (done called), for an answer without a body. */
void kn_req_body_source_drop(struct kn_req *r);

/* The absolute base URL ("https://host") of this request. */
const char *kn_req_base_url(struct kn_req *r);

#endif
