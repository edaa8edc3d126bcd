/* test_jw.c: the streaming JSON writer gives what jansson's compact dump
 * gives for the same values (strings with quotes, controls, non-ASCII),
 * nests objects and arrays, and turns bytes that are not UTF-8 into U+FFFD. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/jw.h"
#include "core/buf.h"
#include "kt.h"

static struct kn_buf B;

static struct kn_jw w0(void)
{
	kn_buf_free(&B);
	kn_buf_init(&B, 1 << 20);
	struct kn_jw w;
	kn_jw_init(&w, &B);
	return w;
}

/* the string as jansson's compact dump writes it */
static char *jansson_str(const char *s)
{
	json_t *v = json_string(s);
	char *out = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
	return out;
}

static void test_strings_like_jansson(void)
{
	const char *cases[] = {"", "plain", "quote \" and backslash \\", "line\nfeed\ttab\rcr\bbs\fff",
	                       "\x01\x1f\x7f end", "Қазақша — русский / slash", "emoji \xf0\x9f\x98\x80 ok",
	                       "</script>"};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kn_jw w = w0();
		kn_jw_str(&w, cases[i]);
		char *want = jansson_str(cases[i]);
		KT_CHECK(want != NULL);
		KT_CHECK_STR(kn_buf_str(&B), want);
		free(want);
	}
}

/* many strings of every length around the 8-byte steps, from an alphabet
 * with the characters that need escaping and multi-byte ones */
static void test_random_strings_like_jansson(void)
{
	static const char *const parts[] = {"a", "Z", "0", " ", "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "/",
	                                    "\xc3\xa9", "\xd2\x9a", "\xe2\x80\x94", "\xf0\x9f\x98\x80"};
	unsigned seed = 12345;
	char str[256];
	for (int round = 0; round < 3000; round++) {
		size_t len = 0;
		int pieces = round % 40;
		for (int k = 0; k < pieces; k++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly plain letters, so the 8-byte path runs */
			const char *p = (seed >> 16) % 4 ? "abcdefgh" + (seed >> 20) % 8 : parts[(seed >> 16) % 15];
			size_t pl = (seed >> 16) % 4 ? 1 : strlen(p);
			if (len + pl >= sizeof(str))
				break;
			memcpy(str + len, p, pl);
			len += pl;
		}
		str[len] = 0;
		struct kn_jw w = w0();
		kn_jw_str(&w, str);
		char *want = jansson_str(str);
		KT_CHECK(want != NULL);
		if (want && strcmp(kn_buf_str(&B), want)) {
			KT_CHECK_STR(kn_buf_str(&B), want);
			free(want);
			return;
		}
		free(want);
	}
}

static void test_bad_utf8_replaced(void)
{
	/* a lone continuation byte, a truncated sequence, an overlong '/', a surrogate */
	struct kn_jw w = w0();
	kn_jw_str(&w, "a\x80" "b\xe2\x82" "c\xc0\xaf" "d\xed\xa0\x80");
	KT_CHECK_STR(kn_buf_str(&B), "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd"
	                             "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	/* and the output parses */
	json_error_t e;
	json_t *v = json_loads(kn_buf_str(&B), JSON_DECODE_ANY, &e);
	KT_CHECK(v != NULL);
	json_decref(v);
}

static void test_nesting_matches_jansson(void)
{
	struct kn_jw w = w0();
	kn_jw_obj(&w);
	kn_jw_key(&w, "items");
	kn_jw_arr(&w);
	for (int i = 0; i < 3; i++) {
		kn_jw_obj(&w);
		kn_jw_kint(&w, "id", i - 1);
		kn_jw_kstr(&w, "name", i ? "x" : NULL);
		kn_jw_kbool(&w, "open", i == 1);
		kn_jw_kref(&w, "ref", i * 7);
		kn_jw_key(&w, "empty");
		kn_jw_arr(&w);
		kn_jw_end(&w);
		kn_jw_end(&w);
	}
	kn_jw_end(&w);
	kn_jw_kint(&w, "total", 9223372036854775807LL);
	kn_jw_key(&w, "none");
	kn_jw_obj(&w);
	kn_jw_end(&w);
	kn_jw_end(&w);

	json_t *items = json_array();
	for (int i = 0; i < 3; i++)
		json_array_append_new(items, json_pack("{s:I, s:o, s:b, s:o, s:[]}", "id", (json_int_t)(i - 1), "name",
		                                       i ? json_string("x") : json_null(), "open", i == 1, "ref",
		                                       i ? json_integer(i * 7) : json_null(), "empty"));
	json_t *o = json_pack("{s:o, s:I, s:{}}", "items", items, "total", (json_int_t)9223372036854775807LL, "none");
	char *want = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	KT_CHECK_STR(kn_buf_str(&B), want);
	free(want);
}

/* Strings past the fast path's bound, and a buffer whose limit leaves no
 * room for the worst case: the writer falls back to writing piece by piece
 * and still gives jansson's bytes, with no error while the text fits. */
static void test_long_strings_and_tight_buffers(void)
{
	static char big[9000];
	for (size_t i = 0; i + 1 < sizeof(big); i++)
		big[i] = "ab\"c\n\x01d\\"[i % 8];
	big[sizeof(big) - 1] = 0;
	for (size_t len = 4090; len <= 4100; len++) {
		char save = big[len];
		big[len] = 0;
		struct kn_jw w = w0();
		kn_jw_str(&w, big);
		char *want = jansson_str(big);
		KT_CHECK_STR(kn_buf_str(&B), want);
		free(want);
		big[len] = save;
	}
	struct kn_jw w = w0();
	kn_jw_str(&w, big);
	char *want = jansson_str(big);
	KT_CHECK_STR(kn_buf_str(&B), want);
	/* the same text in a buffer exactly its size: the room for six bytes a
	 * character is not there, the text is */
	size_t exact = strlen(want);
	kn_buf_free(&B);
	kn_buf_init(&B, exact);
	kn_jw_init(&w, &B);
	kn_jw_str(&w, big);
	KT_CHECK_INT(kn_buf_err(&B), 0);
	KT_CHECK_STR(kn_buf_str(&B), want);
	/* one byte less: the error, as before */
	kn_buf_free(&B);
	kn_buf_init(&B, exact - 1);
	kn_jw_init(&w, &B);
	kn_jw_str(&w, big);
	KT_CHECK(kn_buf_err(&B) != 0);
	free(want);
	/* long text of two-, three- and four-byte letters, shifted so that the
	 * long way's chunks end inside sequences: jansson's bytes still */
	static const char *const mb[] = {"\xc3\xa9", "\xe2\x80\x94", "\xf0\x9f\x98\x80", "a", "\xd2\x9a"};
	for (int shift = 0; shift < 4; shift++) {
		size_t len = 0;
		for (int i = 0; i < shift; i++)
			big[len++] = 'x';
		for (unsigned i = 0; len + 4 < sizeof(big) - 1; i++) {
			size_t l = strlen(mb[i % 5]);
			memcpy(big + len, mb[i % 5], l);
			len += l;
		}
		big[len] = 0;
		w = w0();
		kn_jw_str(&w, big);
		want = jansson_str(big);
		KT_CHECK_STR(kn_buf_str(&B), want);
		free(want);
	}
	/* a member too: {"k":"plain"} in a buffer of exactly 13 bytes */
	kn_buf_free(&B);
	kn_buf_init(&B, 13);
	kn_jw_init(&w, &B);
	kn_jw_obj(&w);
	kn_jw_kstr(&w, "k", "plain");
	kn_jw_end(&w);
	KT_CHECK_INT(kn_buf_err(&B), 0);
	KT_CHECK_STR(kn_buf_str(&B), "{\"k\":\"plain\"}");
}

int main(void)
{
	KT_NAME("test_jw");
	KT_RUN(test_strings_like_jansson);
	KT_RUN(test_random_strings_like_jansson);
	KT_RUN(test_bad_utf8_replaced);
	KT_RUN(test_nesting_matches_jansson);
	KT_RUN(test_long_strings_and_tight_buffers);
	kn_buf_free(&B);
	KT_DONE();
}
