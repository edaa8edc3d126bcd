/* fuzz_changes.c: libFuzzer target for an event's change as shown in a
 * history: whenever the direct reader of the canonical shape
 * (kn_event_changes_fast) answers, jansson's reader must accept the same text
 * and give the same fields, befores and afters. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/arena.h"
#include "domain/event.h"

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_cstr(data, size);
	if (!text)
		return 0;
	struct kn_arena *a = kn_arena_new();
	struct kn_ctx x = {.a = a};
	struct kn_change_item *f, *j;
	int nf, nj;
	if (kn_event_changes_fast(a, text, &f, &nf)) {
		FZ_CHECK(kn_event_changes_json(&x, text, &j, &nj) == KN_OK);
		FZ_CHECK(nf == nj);
		for (int i = 0; i < nf; i++) {
			FZ_CHECK(same(f[i].field, j[i].field));
			FZ_CHECK(same(f[i].before, j[i].before));
			FZ_CHECK(same(f[i].after, j[i].after));
		}
	}
	kn_arena_free(a);
	free(text);
	return 0;
}
