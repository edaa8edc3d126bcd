/* fuzz_route.c: libFuzzer target for route matching and URL decoding (kn_route_match, kn_url_decode). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/arena.h"
#include "core/buf.h"
#include "http/parse.h"
#include "view/html.h"

/* The app's route patterns (src/app/routes.c), with and without params. */
static const char *const patterns[] = {
	"/",
	"/login",
	"/account/tokens",
	"/councils/{council}",
	"/councils/{council}/edit",
	"/agencies/{agency}",
	"/agencies/{agency}/edit",
	"/api/v1/agencies/{agency}",
	"/api/v1/councils/{council}",
	"/api/v1/tokens/{id}",
	"/static/{name}",
	"/account/tokens/{id}/revoke",
	"/x/{a}/{b}",
};

/* How many {params} the pattern has. */
static size_t count_params(const char *pat)
{
	size_t n = 0;
	for (; *pat; pat++)
		if (*pat == '{')
			n++;
	return n;
}

/* Builds the path the pattern gives for the matched params, each value
 * percent-encoded; it must match again with the same values. */
static void check_rebuild(struct kn_arena *a, const char *pat, const struct kn_kv *params)
{
	struct kn_buf b;
	kn_buf_init(&b, 1 << 20);
	const struct kn_kv *e = params;
	for (const char *p = pat; *p; p++) {
		if (*p != '{') {
			kn_buf_addc(&b, *p);
			continue;
		}
		FZ_CHECK(e != NULL);
		kn_html_url(&b, e->v);
		e = e->next;
		p = strchr(p, '}');
	}
	FZ_CHECK(e == NULL);
	FZ_CHECK(kn_buf_err(&b) == KN_OK);
	struct kn_kv *again = NULL;
	FZ_CHECK(kn_route_match(a, pat, kn_buf_str(&b), &again));
	const struct kn_kv *x = params, *y = again;
	for (; x && y; x = x->next, y = y->next) {
		FZ_CHECK(!strcmp(x->k, y->k));
		FZ_CHECK(x->vlen == y->vlen && !memcmp(x->v, y->v, x->vlen));
	}
	FZ_CHECK(!x && !y);
	kn_buf_free(&b);
}

static void check_decode(struct kn_arena *a, const char *s, size_t n)
{
	size_t pct = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '%')
			pct++;
	size_t l1 = 12345, l2 = 12345;
	char *d1 = kn_url_decode(a, s, n, true, &l1);
	char *d2 = kn_url_decode(a, s, n, false, &l2);
	FZ_CHECK((d1 == NULL) == (d2 == NULL));
	if (!d1)
		return;
	/* every '%' starts a 3-byte escape that decodes to one byte */
	FZ_CHECK(l1 == n - 2 * pct);
	FZ_CHECK(l2 == l1);
	FZ_CHECK(d1[l1] == 0 && d2[l2] == 0);
	for (size_t i = 0; i < l1; i++)
		FZ_CHECK(d1[i] == d2[i] || (d1[i] == ' ' && d2[i] == '+'));
	if (pct == 0)
		FZ_CHECK(!memcmp(d2, s, n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_arena *a = kn_arena_new();
	if (!a)
		return 0;
	/* the path as libmicrohttpd hands it over: a C string */
	char *path = kn_strndup(a, (const char *)data, size);
	for (size_t i = 0; i < KN_ARRAY_LEN(patterns); i++) {
		struct kn_kv *params = NULL;
		if (!kn_route_match(a, patterns[i], path, &params)) {
			FZ_CHECK(params == NULL);
			continue;
		}
		size_t np = 0;
		for (const struct kn_kv *e = params; e; e = e->next, np++) {
			FZ_CHECK(e->k && *e->k);
			FZ_CHECK(e->v && e->vlen > 0);
			FZ_CHECK(strlen(e->v) == e->vlen);
			FZ_CHECK(!strchr(e->v, '/'));
			FZ_CHECK(e->vlen <= strlen(path));
		}
		FZ_CHECK(np == count_params(patterns[i]));
		if (np == 0)
			FZ_CHECK(!strcmp(path, patterns[i]));
		FZ_CHECK(path[0] == '/');
		check_rebuild(a, patterns[i], params);
	}
	check_decode(a, (const char *)data, size);
	kn_arena_free(a);
	return 0;
}
