/* server.h: the HTTP server (libmicrohttpd, epoll, a thread pool). It turns
 * each complete request into a struct kn_req and hands it to a dispatcher. */
#ifndef KN_HTTP_SERVER_H
#define KN_HTTP_SERVER_H
#include "http/req.h"

struct kn_server;

struct kn_server_opts {
	const char *listen;   /* "HOST:PORT" (HOST may be [v6]) */
	int threads;          /* 0: one per core */
	size_t max_body;      /* larger bodies: the request is marked too big */
	size_t max_upload;    /* larger limit for multipart uploads */
	bool trust_proxy;
	void (*dispatch)(struct kn_req *r);   /* fills the response */
	void (*finished)(struct kn_req *r);   /* after sending: logs, metrics */
	void (*resumed)(struct kn_req *r);    /* a suspended request's answer is ready */
};

/* A finished response kept to be sent again and again without being built
 * anew (the page cache's entries). kn_server_prepare makes one from r's
 * status-200 response (reference count 1); a request that sends it holds a
 * reference (kn_server_prepared_ref before setting r->prepared; the server
 * drops it when the request ends). */
void *kn_server_prepare(struct kn_req *r);
void kn_server_prepared_ref(void *p);
void kn_server_prepared_unref(void *p);

/* Starts serving; NULL with err set on failure (e.g. port taken). */
struct kn_server *kn_server_start(const struct kn_server_opts *o, char *err, size_t errlen);
/* Stops accepting connections and waits up to grace_ms for the requests
 * in flight (parked ones included); open connections keep being served. */
void kn_server_quiesce(struct kn_server *s, int grace_ms);
/* Closes every connection and frees s. A request parked then is freed
 * with its connection: whatever would answer it must be stopped first. */
void kn_server_stop(struct kn_server *s);
/* Requests in flight now. */
int kn_server_inflight(struct kn_server *s);
/* The port actually bound (useful with port 0). */
int kn_server_port(struct kn_server *s);

#endif
