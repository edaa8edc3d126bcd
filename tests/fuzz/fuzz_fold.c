/* fuzz_fold.c: libFuzzer target for the folding and word matching behind
 * the registry search and the forms that name an agency or a person by
 * words (kn_utf8_fold, kn_fold_words, kn_fold_words_in, kn_fold_same_words). */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/buf.h"
#include "core/utf8.h"

#define MAX_WORDS 32

/* whether s (n bytes) is UTF-8 throughout; counts its code points */
static int utf8_points(const unsigned char *s, size_t n, size_t *points)
{
	*points = 0;
	for (size_t i = 0; i < n;) {
		size_t len = kn_utf8_seq(s + i, n - i);
		if (!len)
			return 0;
		i += len;
		(*points)++;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	/* the folds take C strings: the input up to its first NUL */
	char *s = fz_cstr(data, size);
	if (!s)
		return 0;
	size_t n = strlen(s);
	struct kn_buf once, twice;
	kn_buf_init(&once, 1 << 16);
	kn_buf_init(&twice, 1 << 16);
	kn_utf8_fold(&once, s);
	FZ_CHECK(!kn_buf_err(&once));
	const char *f = kn_buf_str(&once);
	FZ_CHECK(strlen(f) == once.len); /* no NUL put in */
	/* folding what is folded changes nothing */
	kn_utf8_fold(&twice, f);
	FZ_CHECK(twice.len == once.len && !memcmp(kn_buf_str(&twice), f, once.len));
	size_t pin, pout;
	if (utf8_points((const unsigned char *)s, n, &pin)) {
		/* UTF-8 stays UTF-8, letter for letter */
		FZ_CHECK(utf8_points((const unsigned char *)f, once.len, &pout));
		FZ_CHECK(pin == pout);
	}
	/* ASCII: exactly tolower, byte for byte */
	int ascii = 1;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	if (ascii) {
		FZ_CHECK(once.len == n);
		for (size_t i = 0; i < n; i++)
			FZ_CHECK(f[i] == (char)tolower((unsigned char)s[i]));
	}
	/* every word of a folded text starts a word of it, alone and all together */
	if (once.len) {
		char *copy = strdup(f);
		FZ_CHECK(copy);
		char *w[MAX_WORDS];
		int nw = kn_fold_words(copy, w, MAX_WORDS);
		FZ_CHECK(nw >= 0 && nw <= MAX_WORDS);
		for (int k = 0; k < nw; k++) {
			FZ_CHECK(*w[k] && !strpbrk(w[k], " \t\r\n"));
			FZ_CHECK(kn_fold_words_in(f, &w[k], 1));
		}
		FZ_CHECK(kn_fold_words_in(f, w, nw));
		/* a text is its own words whole (when it has no more than were
		 * kept), and not those words less its last one */
		if (nw < MAX_WORDS) {
			FZ_CHECK(kn_fold_same_words(f, once.len, w, nw));
			if (nw)
				FZ_CHECK(!kn_fold_same_words(f, once.len, w, nw - 1));
		}
		free(copy);
	}
	kn_buf_free(&once);
	kn_buf_free(&twice);
	free(s);
	return 0;
}
