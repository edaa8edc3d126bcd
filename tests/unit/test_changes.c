/* test_changes.c: an event's change for display: the direct reader of the
 * canonical shape gives what jansson's reader gives, on generated changes
 * (keys sorted, ASCII with \u escapes for Kazakh, Russian and astral
 * characters, integers, true/false/null, [before, after] pairs), and leaves
 * every other shape to jansson. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/event.h"
#include "kt.h"

#define CANON (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

static unsigned seed = 2026;
static unsigned rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 16) % n;
}

static json_t *scalar(void)
{
	static const char *const strs[] = {"", "open", "Қазақ тілі", "Русский текст", "quote \" slash \\ / tab\t",
	                                   "line\nbreak", "emoji \xf0\x9f\x98\x80", "2030-01-01", "\x01\x1f"};
	switch (rnd(6)) {
	case 0: return json_integer((json_int_t)rnd(100000) - 50000);
	case 1: return json_true();
	case 2: return json_false();
	case 3: return json_null();
	default: return json_string(strs[rnd(9)]);
	}
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* both readers on text: the fast one must agree whenever it answers */
static int compare(const char *text, bool must_be_fast)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_ctx x = {.a = a};
	struct kn_change_item *f, *j;
	int nf, nj;
	bool fast = kn_event_changes_fast(a, text, &f, &nf);
	enum kn_err rc = kn_event_changes_json(&x, text, &j, &nj);
	int bad = 0;
	if (must_be_fast && !fast) {
		fprintf(stderr, "not read directly: %s\n", text);
		bad = 1;
	}
	if (fast) {
		if (rc != KN_OK || nf != nj) {
			bad = 1;
		} else {
			for (int i = 0; i < nf; i++)
				if (!same(f[i].field, j[i].field) || !same(f[i].before, j[i].before) || !same(f[i].after, j[i].after))
					bad = 1;
		}
		if (bad)
			fprintf(stderr, "readers differ on: %s\n", text);
	}
	kn_arena_free(a);
	return bad;
}

KT_TEST(test_generated_changes_agree)
{
	static const char *const keys[] = {"title", "state", "deadline", "name_kk", "name_ru", "агентство", "a", "b_c"};
	int bad = 0;
	for (int round = 0; round < 2000 && !bad; round++) {
		json_t *o = json_object();
		int n = (int)rnd(6);
		for (int k = 0; k < n; k++) {
			const char *key = keys[rnd(8)];
			if (rnd(2))
				json_object_set_new(o, key, json_pack("[oo]", scalar(), scalar()));
			else
				json_object_set_new(o, key, scalar());
		}
		char *text = json_dumps(o, CANON);
		json_decref(o);
		bad += compare(text, true);
		free(text);
	}
	KT_CHECK_INT(bad, 0);
}

KT_TEST(test_other_shapes_left_to_jansson)
{
	/* each is valid or invalid JSON the direct reader must not decide */
	static const char *const texts[] = {
	    "{\"a\":1.5}", "{\"a\":[1,2,3]}", "{\"a\":{\"b\":1}}", "{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":2}",
	    "{ \"a\":1}", "{\"a\":01}", "{\"a\":-0}", "{\"a\":12345678901234567890}", "{\"a\":\"\\u0000\"}",
	    "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"x\"}x", "{\"a\":\"\xc3\xa9\"}", "[1]", "",
	    "{\"a\":tru}", "{\"a\":[1,[2]]}", "{\"a\":\"\\x\"}", "{\"a\":1e5}",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct kn_arena *a = kn_arena_new();
		struct kn_change_item *f;
		int nf;
		if (kn_event_changes_fast(a, texts[i], &f, &nf)) {
			fprintf(stderr, "read directly, should not be: %s\n", texts[i]);
			KT_CHECK(false);
		}
		kn_arena_free(a);
		KT_CHECK_INT(compare(texts[i], false), 0);
	}
	/* and the simplest ones are read directly, the same way */
	KT_CHECK_INT(compare("{}", true), 0);
	KT_CHECK_INT(compare("{\"a\":null,\"b\":[null,\"x\"],\"c\":[true,false],\"d\":-7}", true), 0);
}

int main(void)
{
	KT_NAME("test_changes");
	KT_RUN(test_generated_changes_agree);
	KT_RUN(test_other_shapes_left_to_jansson);
	KT_DONE();
}
