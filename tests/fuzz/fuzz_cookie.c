/* fuzz_cookie.c: libFuzzer target for the Cookie and Accept-Language header parsers. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/arena.h"
#include "http/parse.h"

static const char *const offered[] = {"en", "ru", "kk"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_arena *a = kn_arena_new();
	if (!a)
		return 0;
	/* header values reach the parsers as C strings */
	const char *h = kn_strndup(a, (const char *)data, size);
	size_t hl = strlen(h);

	int count = 0;
	for (const struct kn_kv *e = kn_parse_cookies(a, h); e; e = e->next) {
		count++;
		FZ_CHECK(e->k && *e->k && e->v);
		FZ_CHECK(strlen(e->v) == e->vlen && e->vlen <= hl);
		FZ_CHECK(!strchr(e->k, ';') && !strchr(e->k, '='));
		FZ_CHECK(!strchr(e->v, ';'));
		FZ_CHECK(e->k[0] != ' ' && e->k[0] != '\t');
	}
	FZ_CHECK(count <= 64);

	const char *lang = kn_pick_language(h, offered, 3);
	FZ_CHECK(!lang || lang == offered[0] || lang == offered[1] || lang == offered[2]);
	if (lang) /* the chosen language is named in the header */
		FZ_CHECK(strcasestr(h, lang) != NULL);
	for (int i = 0; i < 3; i++) {
		const char *one = kn_pick_language(h, offered + i, 1);
		FZ_CHECK(!one || one == offered[i]);
		/* a language chosen among three is acceptable on its own */
		if (lang == offered[i])
			FZ_CHECK(one == offered[i]);
	}
	FZ_CHECK(kn_pick_language(h, offered, 0) == NULL);
	kn_arena_free(a);
	return 0;
}
