/* parse.h: request parsers with no library behind them: URL-encoded query
 * strings and forms, multipart/form-data, Cookie headers, Accept-Language,
 * and route patterns. All results live in the given arena; inputs are
 * never modified. Every parser has a fuzz target in tests/fuzz. */
#ifndef KN_HTTP_PARSE_H
#define KN_HTTP_PARSE_H
#include "core/kn.h"

struct kn_arena;

/* A name/value list; values are NUL-terminated and may contain NULs
 * (vlen says how long). Order is the input order. */
struct kn_kv {
	const char *k, *v;
	size_t vlen;
	struct kn_kv *next;
};

/* An uploaded file from a multipart form. */
struct kn_file {
	const char *field, *filename, *ctype;
	const char *data;
	size_t len;
	struct kn_file *next;
};

/* Decodes %XX and (when plus is true) '+' as space. Returns NULL on a bad
 * escape; *outlen gets the decoded length. */
char *kn_url_decode(struct kn_arena *a, const char *s, size_t n, bool plus, size_t *outlen);
/* Parses "a=1&b=2"; returns KN_EINVAL on a bad escape. Empty input is an
 * empty list. At most max pairs (KN_ETOOBIG beyond). */
enum kn_err kn_parse_urlencoded(struct kn_arena *a, const char *s, size_t n, size_t max,
                                struct kn_kv **out);
/* Parses a Cookie header: "a=1; b=2". Malformed pairs are skipped. */
struct kn_kv *kn_parse_cookies(struct kn_arena *a, const char *header);
/* Parses a multipart/form-data body given the Content-Type header value.
 * Fields go to *fields, files (parts with a filename) to *files. */
enum kn_err kn_parse_multipart(struct kn_arena *a, const char *ctype, const char *body, size_t n,
                               struct kn_kv **fields, struct kn_file **files);
/* Picks the best of the offered languages (e.g. {"en","ru","kk"}) from an
 * Accept-Language header; NULL if none is acceptable. */
const char *kn_pick_language(const char *header, const char *const *offered, int n);

/* First value for key, or NULL. */
const char *kn_kv_get(const struct kn_kv *l, const char *key);
const struct kn_kv *kn_kv_find(const struct kn_kv *l, const char *key);
struct kn_kv *kn_kv_push(struct kn_arena *a, struct kn_kv *l, const char *k, const char *v);

/* Matches path against pattern ("/councils/{council}/edit"); on success
 * returns true and appends the decoded {params} to *params. A segment is
 * never empty and never contains '/' once decoded. */
bool kn_route_match(struct kn_arena *a, const char *pattern, const char *path, struct kn_kv **params);

/* An IPv4 address (4 bytes, network order) as a dotted quad in out
 * (at least 16 bytes), as inet_ntop writes it but without printf. */
void kn_ipv4_text(const unsigned char q[4], char *out);

#endif
