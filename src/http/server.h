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

/* Starts serving; NULL with err set on failure (e.g. port taken). */
struct kn_server *kn_server_start(const struct kn_server_opts *o, char *err, size_t errlen);
/* Stops accepting, waits up to grace_ms for requests in flight, stops. */
void kn_server_stop(struct kn_server *s, int grace_ms);
/* Requests in flight now. */
int kn_server_inflight(struct kn_server *s);
/* The port actually bound (useful with port 0). */
int kn_server_port(struct kn_server *s);

#endif
