/* fuzz_jw.c: libFuzzer target for the API's streaming JSON writer (api/jw.c),
 * against jansson. The input is cut at its 0x00 bytes into up to four
 * strings, written as {"k":s1,"list":[s2,s3],"n":null-or-s4,"url":U}, U being
 * the record address /councils/s2/assignments/s4 (null without s2 and s4). Valid UTF-8:
 * the bytes must be jansson's compact dump of the same values. Any input:
 * the output must parse, with every string as the writer promised (bad
 * bytes as U+FFFD). And in a buffer of exactly the output's size, the
 * writer must write it all without an error (its worst-case room is not
 * there, so it goes the long way). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "api/jw.h"
#include "core/buf.h"
#include "domain/domain.h"

static void write_all(struct kn_buf *b, char *const *s, int n)
{
	struct kn_jw w;
	kn_jw_init(&w, b);
	kn_jw_obj(&w);
	kn_jw_kstr(&w, "k", n > 0 ? s[0] : "");
	kn_jw_key(&w, "list");
	kn_jw_arr(&w);
	for (int i = 1; i < 3 && i < n; i++)
		kn_jw_str(&w, s[i]);
	kn_jw_end(&w);
	kn_jw_kstr(&w, "n", n > 3 ? s[3] : NULL);
	kn_jw_krecord_url(&w, n > 1 ? s[1] : NULL, "assignments", n > 3 ? s[3] : NULL);
	kn_jw_end(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 20000)
		return 0;
	char *copy = fz_cstr(data, size);
	if (!copy)
		return 0;
	char *s[4];
	int n = 0;
	for (size_t i = 0, start = 0; i <= size && n < 4; i++)
		if (i == size || copy[i] == 0) {
			s[n++] = copy + start;
			copy[i] = 0;
			start = i + 1;
		}
	struct kn_buf b;
	kn_buf_init(&b, 1 << 20);
	write_all(&b, s, n);
	FZ_CHECK(!kn_buf_err(&b));
	const char *out = kn_buf_str(&b);
	json_error_t e;
	json_t *parsed = json_loads(out, 0, &e);
	FZ_CHECK(parsed != NULL);
	int all_valid = 1;
	for (int i = 0; i < n; i++)
		all_valid = all_valid && kn_utf8_valid(s[i], strlen(s[i]));
	if (all_valid) {
		json_t *list = json_array();
		for (int i = 1; i < 3 && i < n; i++)
			json_array_append_new(list, json_string(s[i]));
		json_t *o = json_object();
		json_object_set_new(o, "k", json_string(n > 0 ? s[0] : ""));
		json_object_set_new(o, "list", list);
		json_object_set_new(o, "n", n > 3 ? json_string(s[3]) : json_null());
		if (n > 3) {
			size_t l1 = strlen(s[1]), l3 = strlen(s[3]);
			char *url = malloc(l1 + l3 + 24);
			FZ_CHECK(url != NULL);
			memcpy(url, "/councils/", 10);
			memcpy(url + 10, s[1], l1);
			memcpy(url + 10 + l1, "/assignments/", 13);
			memcpy(url + 23 + l1, s[3], l3 + 1);
			json_object_set_new(o, "url", json_string(url));
			free(url);
		} else {
			json_object_set_new(o, "url", json_null());
		}
		char *want = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		FZ_CHECK(want && !strcmp(want, out));
		free(want);
		json_decref(o);
	}
	json_decref(parsed);
	/* exactly the room the text needs */
	size_t len = b.len;
	char *first = strdup(out);
	FZ_CHECK(first != NULL);
	kn_buf_free(&b);
	kn_buf_init(&b, len);
	write_all(&b, s, n);
	FZ_CHECK(!kn_buf_err(&b));
	FZ_CHECK(b.len == len && !memcmp(kn_buf_str(&b), first, len));
	free(first);
	kn_buf_free(&b);
	free(copy);
	return 0;
}
