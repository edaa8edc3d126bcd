/* fuzz_form.c: libFuzzer target for URL-encoded form bodies as the dispatcher parses them (body size and pair limits). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/arena.h"
#include "http/parse.h"

#define FORM_MAX_BODY 1048576 /* the max_body default */
#define FORM_MAX_PAIRS 1000   /* as src/app/dispatch.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FORM_MAX_BODY) /* the dispatcher answers 413 first */
		return 0;
	struct kn_arena *a = kn_arena_new();
	if (!a)
		return 0;
	/* the body is not NUL-terminated: give the parser an exact-size copy */
	char *body = malloc(size ? size : 1);
	if (!body) {
		kn_arena_free(a);
		return 0;
	}
	memcpy(body, data, size);
	struct kn_kv *form = NULL;
	enum kn_err rc = kn_parse_urlencoded(a, body, size, FORM_MAX_PAIRS, &form);
	FZ_CHECK(rc == KN_OK || rc == KN_EINVAL || rc == KN_ETOOBIG);
	if (rc == KN_OK) {
		size_t count = 0;
		for (const struct kn_kv *e = form; e; e = e->next) {
			count++;
			FZ_CHECK(e->v[e->vlen] == 0 && e->vlen <= size);
			FZ_CHECK(e->k != NULL);
			if (count > 32) /* the getter checks below are quadratic */
				continue;
			/* the getter gives the first value of a repeated key */
			const struct kn_kv *first = kn_kv_find(form, e->k);
			FZ_CHECK(first != NULL);
			for (const struct kn_kv *f = form; f != first; f = f->next)
				FZ_CHECK(strcmp(f->k, e->k) != 0);
			FZ_CHECK(kn_kv_get(form, e->k) == first->v);
		}
		FZ_CHECK(count <= FORM_MAX_PAIRS);
		/* a form with no '&' or ';' separators has at most one pair */
		if (!memchr(body, '&', size) && !memchr(body, ';', size))
			FZ_CHECK(count <= 1);
	}
	free(body);
	kn_arena_free(a);
	return 0;
}
