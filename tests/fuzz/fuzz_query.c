/* fuzz_query.c: libFuzzer target for query strings (kn_parse_urlencoded with the query pair limit). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/arena.h"
#include "http/parse.h"

#define QUERY_MAX_PAIRS 200 /* as src/app/dispatch.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_arena *a = kn_arena_new();
	if (!a)
		return 0;
	const char *s = (const char *)data;
	struct kn_kv *kv = (struct kn_kv *)1; /* must be overwritten on success */
	enum kn_err rc = kn_parse_urlencoded(a, s, size, QUERY_MAX_PAIRS, &kv);
	FZ_CHECK(rc == KN_OK || rc == KN_EINVAL || rc == KN_ETOOBIG);
	if (rc == KN_OK) {
		size_t count = 0, total = 0;
		for (const struct kn_kv *e = kv; e; e = e->next) {
			count++;
			FZ_CHECK(e->k && e->v);
			size_t kl = strlen(e->k);
			FZ_CHECK(e->v[e->vlen] == 0);
			FZ_CHECK(memchr(e->k, 0, kl + 1) == e->k + kl); /* NUL-free key */
			total += kl + e->vlen;
			FZ_CHECK(kn_kv_find(kv, e->k) != NULL);
		}
		FZ_CHECK(count <= QUERY_MAX_PAIRS);
		FZ_CHECK(total <= size);
		/* the limit is exact: count pairs fit, count - 1 do not */
		struct kn_kv *again = NULL;
		FZ_CHECK(kn_parse_urlencoded(a, s, size, count, &again) == KN_OK);
		if (count > 0)
			FZ_CHECK(kn_parse_urlencoded(a, s, size, count - 1, &again) == KN_ETOOBIG);
	}
	kn_arena_free(a);
	return 0;
}
