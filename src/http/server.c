/* server.c: libmicrohttpd glue. The only file that includes microhttpd.h.
 * A request's context (with its arena) is created by the URI callback,
 * the body is collected as it arrives, and the response is queued only
 * once the request is complete, so keep-alive holds. */
#include "http/server.h"
#include "core/arena.h"
#include "core/log.h"
#include "http/parse.h"
#include "store/store.h"
#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct kn_server {
	struct MHD_Daemon *d;
	struct kn_server_opts o;
	atomic_int inflight;
	int port;
};

struct ctx {
	struct kn_req r; /* first: kn_req_resume finds its ctx from it */
	struct kn_server *s;
	struct kn_buf body;
	bool started, counted, dispatched;
	size_t limit;
	/* a suspended request: whichever of "the handler returned" and "the
	 * answer is ready" comes second lets the connection go on */
	pthread_mutex_t mu;
	bool parked, answered;
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *kn_req_header(struct kn_req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_HEADER_KIND, name);
}

void kn_req_suspend(struct kn_req *r)
{
	r->suspended = true;
}

void kn_req_resume(struct kn_req *r)
{
	struct ctx *x = (struct ctx *)r;
	struct MHD_Connection *con = r->conn;
	pthread_mutex_lock(&x->mu);
	x->answered = true;
	bool parked = x->parked;
	pthread_mutex_unlock(&x->mu);
	/* Resumed only after the unlock: once resumed, the connection's thread
	 * may answer, finish and free the request (x and its mutex with it)
	 * before this thread would get to unlock. That happened under the vote
	 * benchmark (~35,000 votes/s): the late unlock wrote into memory reused
	 * by SQLite ("database disk image is malformed" on a sound file) or by a
	 * mutex (glibc's assertion in __pthread_tpp_change_priority). A parked
	 * request cannot end before it is resumed, so con and x are alive here;
	 * one not yet parked sees answered under the lock and never parks. */
	if (parked)
		MHD_resume_connection(con);
}

static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct kn_server *s = cls;
	struct kn_arena *a = kn_arena_new();
	if (!a)
		return NULL;
	struct ctx *x = kn_zalloc(a, sizeof(*x));
	x->s = s;
	x->r.a = a;
	x->r.conn = con;
	x->r.started = mono();
	x->r.route_index = -1;
	pthread_mutex_init(&x->mu, NULL);
	const char *q = strchr(uri, '?');
	x->r.path = q ? kn_strndup(a, uri, (size_t)(q - uri)) : kn_strdup(a, uri);
	x->r.query_raw = q ? kn_strdup(a, q + 1) : "";
	atomic_fetch_add(&s->inflight, 1);
	x->counted = true;
	return x;
}

static enum kn_method parse_method(const char *m)
{
	static const struct {
		const char *n;
		enum kn_method m;
	} t[] = {{"GET", KN_GET}, {"HEAD", KN_HEAD}, {"POST", KN_POST}, {"PUT", KN_PUT},
	         {"DELETE", KN_DELETE}, {"PATCH", KN_PATCH}, {"OPTIONS", KN_OPTIONS}};
	for (size_t i = 0; i < KN_ARRAY_LEN(t); i++)
		if (!strcmp(m, t[i].n))
			return t[i].m;
	return 0;
}

static const char *client_ip(struct kn_server *s, struct MHD_Connection *con, struct kn_arena *a)
{
	if (s->o.trust_proxy) {
		const char *xff = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Forwarded-For");
		if (xff && *xff) {
			/* the last hop was added by our proxy */
			const char *last = strrchr(xff, ',');
			last = last ? last + 1 : xff;
			while (*last == ' ')
				last++;
			return kn_strndup(a, last, strcspn(last, " ,"));
		}
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			kn_ipv4_text((const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr, buf);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof(buf));
	}
	return kn_strdup(a, buf);
}

struct prepared {
	struct MHD_Response *resp;
	atomic_int refs;
};

static enum MHD_Result add_header(struct MHD_Response *resp, const char *k, const char *v);

void *kn_server_prepare(struct kn_req *r)
{
	struct prepared *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->resp = MHD_create_response_from_buffer(r->out.len, r->out.len ? r->out.data : (void *)"",
	                                          MHD_RESPMEM_MUST_COPY);
	if (!p->resp) {
		free(p);
		return NULL;
	}
	if (r->ctype)
		add_header(p->resp, "Content-Type", r->ctype);
	for (struct kn_kv *h = r->headers; h; h = h->next)
		add_header(p->resp, h->k, h->v);
	atomic_init(&p->refs, 1);
	return p;
}

void kn_server_prepared_ref(void *v)
{
	struct prepared *p = v;
	atomic_fetch_add(&p->refs, 1);
}

void kn_server_prepared_unref(void *v)
{
	struct prepared *p = v;
	if (p && atomic_fetch_sub(&p->refs, 1) == 1) {
		MHD_destroy_response(p->resp); /* freed once the last sending ends */
		free(p);
	}
}

static enum MHD_Result add_header(struct MHD_Response *resp, const char *k, const char *v)
{
	/* header values never carry CR or LF: a value that does is dropped */
	if (strpbrk(v, "\r\n") || strpbrk(k, "\r\n: "))
		return MHD_NO;
	return MHD_add_response_header(resp, k, v);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *con, const char *url,
                               const char *method, const char *version, const char *upload_data,
                               size_t *upload_data_size, void **req_cls)
{
	(void)url;
	(void)version;
	struct kn_server *s = cls;
	struct ctx *x = *req_cls;
	if (!x)
		return MHD_NO; /* out of memory in uri_cb */
	struct kn_req *r = &x->r;
	if (!x->started) {
		x->started = true;
		r->method_str = kn_strdup(r->a, method);
		r->method = parse_method(method);
		r->remote_ip = client_ip(s, con, r->a);
		const char *ct = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Type");
		x->limit = s->o.max_body;
		if (ct && !strncasecmp(ct, "multipart/form-data", 19) && s->o.max_upload > x->limit)
			x->limit = s->o.max_upload;
		kn_buf_arena(&x->body, r->a, x->limit);
		const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
		if (cl) {
			char *end;
			unsigned long long n = strtoull(cl, &end, 10);
			if (*end || n > x->limit)
				r->body_too_big = true;
		}
		if (s->o.trust_proxy) {
			const char *proto = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Forwarded-Proto");
			r->https = proto && !strcasecmp(proto, "https");
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->body_too_big) {
			kn_buf_add(&x->body, upload_data, *upload_data_size);
			if (x->body.err)
				r->body_too_big = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	/* the request is complete */
	if (!x->dispatched) {
		x->dispatched = true;
		r->body = x->body.data ? x->body.data : "";
		r->body_len = x->body.len;
		/* the answer is built in malloc'd memory that libmicrohttpd takes
		 * over when it is sent (no copy of the body) */
		kn_buf_init(&r->out, 64u << 20);
		r->status = 200;
		s->o.dispatch(r);
		if (r->suspended) {
			pthread_mutex_lock(&x->mu);
			bool ready = x->answered;
			if (!ready) {
				MHD_suspend_connection(con);
				x->parked = true;
			}
			pthread_mutex_unlock(&x->mu);
			if (!ready)
				return MHD_YES; /* called again once resumed */
		}
	}
	if (r->suspended && s->o.resumed)
		s->o.resumed(r);
	/* the answer is made: its database connection goes back to the pool
	 * now, not once the answer has been sent. Held while a large or slow
	 * answer went out, every connection could be taken so, and a request
	 * waiting for one then blocked the very thread sending those answers
	 * (seen with four open-data downloads beside a writer) */
	if (r->db) {
		kn_db_release(r->db);
		r->db = NULL;
	}
	if (r->prepared)
		return MHD_queue_response(con, 200, ((struct prepared *)r->prepared)->resp);

	size_t len = r->out.len;
	struct MHD_Response *resp;
	if (r->src_read && r->src_done) {
		/* a body read where it is, as it is sent; libmicrohttpd calls
		 * done once the answer is finished with */
		void (*done)(void *) = r->src_done;
		r->src_done = NULL;
		resp = MHD_create_response_from_callback(r->src_size, 64 * 1024, r->src_read, r->src_cls, done);
		if (!resp)
			done(r->src_cls);
	} else {
		/* a body is handed over: libmicrohttpd frees it once the answer
		 * is sent; out keeps its length for the access log */
		resp = len ? MHD_create_response_from_buffer(len, r->out.data, MHD_RESPMEM_MUST_FREE)
		           : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (resp && len) {
			r->out.data = NULL;
			r->out.cap = 0;
		}
	}
	if (!resp)
		return MHD_NO;
	if (r->ctype)
		add_header(resp, "Content-Type", r->ctype);
	for (struct kn_kv *h = r->headers; h; h = h->next)
		add_header(resp, h->k, h->v);
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *con, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
	(void)con;
	(void)toe;
	struct kn_server *s = cls;
	struct ctx *x = *req_cls;
	if (!x)
		return;
	if (x->started && s->o.finished)
		s->o.finished(&x->r);
	if (x->r.db)
		kn_db_release(x->r.db);
	if (x->r.prepared)
		kn_server_prepared_unref(x->r.prepared);
	if (x->r.src_done) /* a body source never handed to libmicrohttpd */
		x->r.src_done(x->r.src_cls);
	if (x->counted)
		atomic_fetch_sub(&s->inflight, 1);
	pthread_mutex_destroy(&x->mu);
	kn_buf_free(&x->r.out);
	kn_arena_free(x->r.a);
	*req_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sl, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen) {
		snprintf(err, errlen, "listen address '%s' is not HOST:PORT", listen);
		return -1;
	}
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof(host))
		hl = sizeof(host) - 1;
	memcpy(host, listen, hl);
	host[hl] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535) {
		snprintf(err, errlen, "listen port in '%s' is not a number from 0 to 65535", listen);
		return -1;
	}
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		host[hl - 1] = 0;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) {
			snprintf(err, errlen, "'%s' is not an IPv6 address", host + 1);
			return -1;
		}
		*sl = sizeof(*s6);
		return 0;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) {
		snprintf(err, errlen, "'%s' is not an IPv4 address (use [addr] for IPv6)", host);
		return -1;
	}
	*sl = sizeof(*s4);
	return 0;
}

static void panic_cb(void *cls, const char *file, unsigned int line, const char *reason)
{
	(void)cls;
	kn_error("libmicrohttpd panic at %s:%u: %s", file, line, reason ? reason : "");
	abort();
}

struct kn_server *kn_server_start(const struct kn_server_opts *o, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (parse_listen(o->listen, &ss, &sl, err, errlen))
		return NULL;
	struct kn_server *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->o = *o;
	int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	MHD_set_panic_func(panic_cb, NULL);
	/* A request's arena and answer (a 500-record API list is ~200 KB) are
	 * freed when it ends. glibc's defaults would hand chunks over 128 KB
	 * out by mmap and give the heap's freed top back to the kernel, so
	 * the next such request faults its pages in again (~200 faults and a
	 * third of its time, measured); fixed limits keep them in the heap. */
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 2 * 1024 * 1024);
	/* The listening socket takes libmicrohttpd's default, SO_REUSEADDR: a
	 * restart binds at once over the old connections' TIME_WAIT. Not
	 * SO_REUSEPORT: with it a second `kenes serve` on the same port started
	 * without a word, and the kernel shared the connections between the
	 * two (an old binary went on answering half of the requests). */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, handler, s,
	                        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	                        MHD_OPTION_URI_LOG_CALLBACK, uri_cb, s,
	                        MHD_OPTION_NOTIFY_COMPLETED, completed, s,
	                        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	                        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
	                        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
	                        MHD_OPTION_END);
	(void)sl;
	if (!s->d) {
		snprintf(err, errlen, "cannot listen on %s (address in use or not permitted)", o->listen);
		free(s);
		return NULL;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	return s;
}

int kn_server_port(struct kn_server *s)
{
	return s->port;
}

int kn_server_inflight(struct kn_server *s)
{
	return atomic_load(&s->inflight);
}

void kn_server_quiesce(struct kn_server *s, int grace_ms)
{
	if (!s)
		return;
	MHD_socket ls = MHD_quiesce_daemon(s->d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	for (int waited = 0; waited < grace_ms && atomic_load(&s->inflight) > 0; waited += 10)
		usleep(10000);
}

void kn_server_stop(struct kn_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}
