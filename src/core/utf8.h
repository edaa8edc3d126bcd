/* utf8.h: the byte-level text helpers several parsers and writers share. */
#ifndef KN_UTF8_H
#define KN_UTF8_H
#include "core/kn.h"

struct kn_buf;

/* The length of the valid UTF-8 sequence at s (n bytes left): 1-4, or 0 when
 * the bytes there are not one (overlong forms, surrogates and code points
 * above U+10FFFF are not). */
size_t kn_utf8_seq(const unsigned char *s, size_t n);
/* The same, and the code point it holds in *cp. */
size_t kn_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);
/* Appends code point cp (at most U+10FFFF) as UTF-8. */
void kn_utf8_put(struct kn_buf *b, unsigned cp);
/* Appends s in lower case for matching (case-insensitive search): ASCII,
 * Latin, Greek and Cyrillic with the Kazakh letters, and ё as е. Bytes
 * that are not UTF-8 are copied as they are. */
void kn_utf8_fold(struct kn_buf *b, const char *s);
/* Splits folded text in place into its words (separated by spaces, tabs and
 * line breaks); returns how many, at most max (the rest are dropped). */
int kn_fold_words(char *folded, char **words, int max);
/* Whether each of the n words starts a word of hay (both folded): "фин"
 * finds "финансов", "42" finds "42" and "420" but not "142". A word starts
 * after anything but an ASCII letter or digit (bytes of UTF-8 sequences
 * count as letters). */
bool kn_fold_words_in(const char *hay, char *const *words, int n);
/* Whether the folded text s (n bytes) is the words w[0..nw) and no other,
 * spaces aside: a name said whole. */
bool kn_fold_same_words(const char *s, size_t n, char *const *w, int nw);
/* The value of one hexadecimal digit, or -1. */
static inline int kn_hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

#endif
