/* utf8.c: UTF-8 sequences checked and written. */
#include "core/utf8.h"
#include "core/buf.h"
#include <ctype.h>
#include <string.h>

/* kn_utf8_decode's body, inlined in kn_utf8_seq too: there the code point
 * is never stored (the JSON writer checks every letter of other scripts
 * with it) */
static inline __attribute__((always_inline)) size_t decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t len;
	*cp = c;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		len = 2, min = 0x80, c &= 0x1F;
	else if ((c & 0xF0) == 0xE0)
		len = 3, min = 0x800, c &= 0x0F;
	else if ((c & 0xF8) == 0xF0)
		len = 4, min = 0x10000, c &= 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t kn_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	return decode(s, n, cp);
}

size_t kn_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned cp;
	return decode(s, n, &cp);
}

void kn_utf8_put(struct kn_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3F)), u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3F)),
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	kn_buf_add(b, u, n);
}

/* The lower case of a two-byte code point for matching, in the scripts the
 * platform's names are written in: Latin-1 and Latin Extended-A, Greek,
 * Cyrillic with the Kazakh letters (U+0400-U+04FF, U+0500-U+052F). Ё/ё
 * match е, as a reader types them. Others are left as they are; ASCII is
 * kn_utf8_fold's own. */
static unsigned fold_cp(unsigned cp)
{
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x177 && cp != 0x130 && cp != 0x131 && cp != 0x138)
		return (cp >= 0x139 && cp <= 0x148) ? (cp & 1 ? cp + 1 : cp) : (cp & 1 ? cp : cp + 1);
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 32;
	if (cp == 0x401 || cp == 0x451)
		return 0x435; /* Ё, ё: е */
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 0x20;
	if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) || (cp >= 0x4D0 && cp <= 0x52F))
		return cp | 1;
	if (cp == 0x4C0)
		return 0x4CF;
	if (cp >= 0x4C1 && cp <= 0x4CE)
		return cp & 1 ? cp + 1 : cp;
	return cp;
}

void kn_utf8_fold(struct kn_buf *b, const char *s)
{
	/* written through a small buffer: names are mostly ASCII or two-byte
	 * Cyrillic, each folded in place without a call per byte */
	unsigned char out[256];
	size_t k = 0;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n) {
		if (k > sizeof(out) - 4) {
			kn_buf_add(b, out, k);
			k = 0;
		}
		if (*p < 0x80) {
			out[k++] = (unsigned char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			p++, n--;
			continue;
		}
		size_t len = kn_utf8_seq(p, n);
		if (len == 0) { /* not UTF-8: the byte as it is */
			out[k++] = *p;
			p++, n--;
			continue;
		}
		if (len == 2) { /* fold_cp changes code points below U+0800 alone, to others below it */
			unsigned cp = fold_cp((unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F));
			out[k++] = (unsigned char)(0xC0 | cp >> 6);
			out[k++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else {
			memcpy(out + k, p, len);
			k += len;
		}
		p += len, n -= len;
	}
	kn_buf_add(b, out, k);
}

int kn_fold_words(char *folded, char **words, int max)
{
	char *save = NULL;
	int n = 0;
	for (char *w = strtok_r(folded, " \t\r\n", &save); w && n < max; w = strtok_r(NULL, " \t\r\n", &save))
		words[n++] = w;
	return n;
}

static bool word_start(const char *hay, const char *w)
{
	for (const char *p = hay; (p = strstr(p, w)); p++) {
		unsigned char before = p > hay ? (unsigned char)p[-1] : ' ';
		if (before < 0x80 && !isalnum(before))
			return true;
	}
	return false;
}

bool kn_fold_words_in(const char *hay, char *const *words, int n)
{
	for (int k = 0; k < n; k++)
		if (!word_start(hay, words[k]))
			return false;
	return true;
}

bool kn_fold_same_words(const char *s, size_t n, char *const *w, int nw)
{
	const char *e = s + n;
	int k = 0;
	for (;;) {
		while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++;
		if (s == e)
			return k == nw;
		const char *t = s;
		while (t < e && *t != ' ' && *t != '\t' && *t != '\r' && *t != '\n')
			t++;
		size_t len = (size_t)(t - s);
		if (k == nw || strlen(w[k]) != len || memcmp(s, w[k], len))
			return false;
		k++;
		s = t;
	}
}
