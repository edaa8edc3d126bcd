/* jw.c: the streaming JSON writer (see jw.h). */
#include "api/jw.h"
#include "core/utf8.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kn_jw_init(struct kn_jw *w, struct kn_buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

/* the separator before a value: none after a key, a comma between elements */
static void value_begins(struct kn_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (kn_jw_next(w))
		kn_buf_addc(w->b, ',');
}

static void open_level(struct kn_jw *w, char c, char close)
{
	value_begins(w);
	kn_buf_addc(w->b, c);
	if (w->depth >= KN_JW_DEPTH - 1)
		abort();
	w->depth++;
	w->more[w->depth] = false;
	w->close[w->depth] = close;
}

void kn_jw_obj(struct kn_jw *w)
{
	open_level(w, '{', '}');
}

void kn_jw_arr(struct kn_jw *w)
{
	open_level(w, '[', ']');
}

void kn_jw_end(struct kn_jw *w)
{
	if (w->depth <= 0)
		abort();
	kn_buf_addc(w->b, w->close[w->depth]);
	w->depth--;
}

static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */


/* bytes that cannot be copied as they are: controls, '"', '\\', and every
 * byte of a multi-byte sequence (checked, then copied) */
static const unsigned char special[256] = {
    [0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1,
};

/* whether any of the 8 bytes in x is special (a control, '"', '\\' or
 * not ASCII), without looking at them one by one */
static inline bool any_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t quote = x ^ (ones * '"'), bslash = x ^ (ones * '\\');
	uint64_t zero_q = (quote - ones) & ~quote, zero_b = (bslash - ones) & ~bslash;
	uint64_t control = (x - ones * 0x20) & ~x;
	return ((zero_q | zero_b | control) & high) || (x & high);
}

/* the same test on 16 bytes at once, in the vector registers every
 * x86-64 and arm64 has (GCC's and Clang's vector extensions) */
typedef signed char kn_v16 __attribute__((vector_size(16)));
static inline bool any_special16(const unsigned char *s)
{
	kn_v16 v;
	memcpy(&v, s, 16);
	/* as signed bytes, 0x80-0xff are below zero: one comparison finds
	 * them and the controls (SSE2 has no unsigned one) */
	kn_v16 m = (kn_v16)((v < 0x20) | (v == '"') | (v == '\\'));
	uint64_t lo, hi;
	memcpy(&lo, &m, 8);
	memcpy(&hi, (const char *)&m + 8, 8);
	return (lo | hi) != 0;
}

/* s[i, n) escaped at p, s[0, i) having been copied as it is: the general
 * way, for a string with something to escape or check. Copied as it is
 * scanned: eight clean bytes at a time are one load, one test and one
 * store. */
static char *escape_from(char *p, const unsigned char *s, size_t n, size_t i)
{
	size_t same = 0; /* s[same, i) is at p - (i - same), byte for byte */
	while (i < n) {
		uint64_t x;
		if (i + 8 <= n && (memcpy(&x, s + i, 8), !any_special(x))) {
			memcpy(p, &x, 8);
			p += 8;
			i += 8;
			continue;
		}
		if (i + 8 > n && n >= 8 && n - 8 >= same && (memcpy(&x, s + n - 8, 8), !any_special(x))) {
			/* the last 1-7 bytes, clean: the last eight, written over
			 * the copy of the bytes before them */
			memcpy(p - (i - (n - 8)), &x, 8);
			return p + (n - i);
		}
		unsigned char c = s[i];
		if (!special[c]) {
			*p++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf && i + 1 < n && (s[i + 1] & 0xc0) == 0x80) {
			/* a letter of two bytes (Cyrillic, Latin with a mark): as it
			 * is, without the general check below */
			p[0] = (char)c;
			p[1] = (char)s[i + 1];
			p += 2;
			i += 2;
			continue;
		}
		size_t len = c >= 0x80 ? kn_utf8_seq(s + i, n - i) : 0;
		if (len > 1) { /* a letter of another script: as it is */
			for (size_t k = 0; k < len; k++)
				p[k] = (char)s[i + k];
			p += len;
			i += len;
			continue;
		}
		same = ++i;
		if (c >= 0x80) {
			memcpy(p, "\xef\xbf\xbd", 3); /* not UTF-8: U+FFFD */
			p += 3;
			continue;
		}
		*p++ = '\\';
		switch (c) {
		case '"': *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		case '\b': *p++ = 'b'; break;
		case '\f': *p++ = 'f'; break;
		default: /* as jansson writes them */
			memcpy(p, "u00", 3);
			p[3] = hex[c >> 4];
			p[4] = hex[c & 15];
			p += 5;
		}
	}
	return p;
}

/* s (n bytes) escaped, without quotes, at p (room for 6 * n: a control
 * byte becomes six, \u00XX); returns the end. Most strings have nothing
 * to escape and are ASCII: those are tested and copied in words, the
 * last word overlapping the one before it as memcpy copies short sizes
 * (a date is two tests of eight bytes, a state of six two of four). The
 * first word with a byte to look at hands over to escape_from. */
static char *escape_run(char *p, const unsigned char *s, size_t n)
{
	if (n >= 16) {
		size_t i = 0;
		for (; i + 16 <= n; i += 16) {
			if (any_special16(s + i))
				return escape_from(p + i, s, n, i);
			memcpy(p + i, s + i, 16);
		}
		if (i < n) {
			if (any_special16(s + n - 16))
				return escape_from(p + i, s, n, i);
			memcpy(p + n - 16, s + n - 16, 16);
		}
		return p + n;
	}
	if (n >= 8) {
		uint64_t x, y;
		memcpy(&x, s, 8);
		memcpy(&y, s + n - 8, 8);
		if (any_special(x) || any_special(y))
			return escape_from(p, s, n, 0);
		memcpy(p, &x, 8);
		memcpy(p + n - 8, &y, 8);
		return p + n;
	}
	if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		if (any_special(x | (uint64_t)y << 32)) /* eight bytes of the string, some twice */
			return escape_from(p, s, n, 0);
		memcpy(p, &x, 4);
		memcpy(p + n - 4, &y, 4);
		return p + n;
	}
	for (size_t i = 0; i < n; i++) /* 1-3 bytes: a short id */
		if (special[s[i]])
			return escape_from(p, s, n, 0);
	for (size_t i = 0; i < n; i++)
		p[i] = (char)s[i];
	return p + n;
}

/* s (n bytes, room for KN_JW_ROOM(n)) between quotes at p; returns the end */
static char *escape_into(char *p, const unsigned char *s, size_t n)
{
	*p++ = '"';
	p = escape_run(p, s, n);
	*p++ = '"';
	return p;
}

char *kn_jw_quoted(char *p, const char *s, size_t n)
{
	return escape_into(p, (const unsigned char *)s, n);
}

/* where to cut s (n > max bytes) at most max bytes in, not inside a UTF-8
 * sequence: back over up to three continuation bytes to the byte that
 * starts them (more than three: no sequence holds them, cut anywhere) */
static size_t cut(const unsigned char *s, size_t max)
{
	for (size_t k = max; k + 3 >= max && k > 0; k--)
		if ((s[k] & 0xc0) != 0x80)
			return k;
	return max;
}

/* The long way, for a string past KN_JW_FAST_MAX or a buffer near its limit:
 * escaped a chunk at a time on the stack, each added as it is, so the
 * buffer takes exactly the text's bytes. */
#define CHUNK 512
static void string_run(struct kn_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	char tmp[6 * CHUNK];
	while (n) {
		size_t k = n <= CHUNK ? n : cut(s, CHUNK);
		kn_buf_add(b, tmp, (size_t)(escape_run(tmp, s, k) - tmp));
		s += k;
		n -= k;
	}
}

static void string(struct kn_buf *b, const char *str)
{
	kn_buf_addc(b, '"');
	string_run(b, str);
	kn_buf_addc(b, '"');
}

/* a key written as one fragment ("key":), after the comma its level needs */
static void key_fragment(struct kn_jw *w, const char *frag, size_t n)
{
	value_begins(w);
	kn_buf_add(w->b, frag, n);
	w->after_key = true;
}

void kn_jw_key(struct kn_jw *w, const char *key)
{
	/* keys are the program's own names: a plain one goes as one fragment
	 * (one that needs escaping, if one ever does, the long way) */
	size_t n = strlen(key);
	char tmp[64];
	bool plain = n + 3 <= sizeof(tmp);
	for (size_t i = 0; plain && i < n; i++)
		plain = !special[(unsigned char)key[i]];
	if (!plain) {
		value_begins(w);
		string(w->b, key);
		kn_buf_addc(w->b, ':');
		w->after_key = true;
		return;
	}
	tmp[0] = '"';
	memcpy(tmp + 1, key, n);
	tmp[n + 1] = '"';
	tmp[n + 2] = ':';
	key_fragment(w, tmp, n + 3);
}

/* The fast path, for all but very long strings: room for the worst case is
 * made once (KN_JW_ROOM: a control byte becomes six, \u00XX), then s is
 * written straight into it. KN_JW_FAST_MAX bounds that room. */
void kn_jw_str(struct kn_jw *w, const char *s)
{
	if (!s) {
		kn_jw_null(w);
		return;
	}
	size_t n = strlen(s);
	char *p = n <= KN_JW_FAST_MAX ? kn_buf_room(w->b, 1 + KN_JW_ROOM(n)) : NULL;
	if (!p) {
		value_begins(w);
		string(w->b, s);
		return;
	}
	char *q = p;
	if (w->after_key)
		w->after_key = false;
	else if (kn_jw_next(w))
		*q++ = ',';
	q = escape_into(q, (const unsigned char *)s, n);
	kn_buf_wrote(w->b, (size_t)(q - p));
}

void kn_jw_int(struct kn_jw *w, int64_t v)
{
	value_begins(w);
	char t[24], *p = kn_itoa(t, (long long)v);
	kn_buf_add(w->b, p, (size_t)(t + sizeof(t) - p));
}

void kn_jw_bool(struct kn_jw *w, bool v)
{
	value_begins(w);
	kn_buf_adds(w->b, v ? "true" : "false");
}

void kn_jw_null(struct kn_jw *w)
{
	value_begins(w);
	kn_buf_adds(w->b, "null");
}

char *kn_jw_int_at(char *p, int64_t v)
{
	char t[24], *d = kn_itoa(t, (long long)v);
	size_t l = (size_t)(t + sizeof(t) - d);
	memcpy(p, d, l);
	return p + l;
}

/* The long ways of the inline members (jw.h), when their room cannot be
 * made at once: a string past KN_JW_FAST_MAX, or a buffer near its limit. */
void kn_jw_kstr_long(struct kn_jw *w, const char *frag, size_t n, const char *s)
{
	key_fragment(w, frag, n);
	kn_jw_str(w, s);
}

void kn_jw_kint_long(struct kn_jw *w, const char *frag, size_t n, int64_t v)
{
	key_fragment(w, frag, n);
	kn_jw_int(w, v);
}

void kn_jw_kbool_long(struct kn_jw *w, const char *frag, size_t n, bool v)
{
	key_fragment(w, frag, n);
	kn_jw_bool(w, v);
}

void kn_jw_kref_long(struct kn_jw *w, const char *frag, size_t n, int64_t id)
{
	key_fragment(w, frag, n);
	if (id)
		kn_jw_int(w, id);
	else
		kn_jw_null(w);
}

void kn_jw_krecord_url_(struct kn_jw *w, const char *council_slug, const char *kind, size_t lk, const char *id)
{
	static const char frag[] = "\"url\":\"/councils/";
	size_t ls = council_slug ? strlen(council_slug) : 0, li = id ? strlen(id) : 0;
	/* the escaped slug and id, the kind between slashes, the closing quote */
	char *start, *p = council_slug && id && ls + li <= KN_JW_FAST_MAX
	                      ? kn_jw_member(w, frag, sizeof(frag) - 1, 6 * (ls + li) + lk + 1, &start)
	                      : NULL;
	if (!p) { /* the slug or id missing (null), or too long for the room: piece by piece */
		kn_jw_key(w, "url");
		if (!council_slug || !id) {
			kn_jw_null(w);
			return;
		}
		value_begins(w);
		kn_buf_adds(w->b, "\"/councils/");
		string_run(w->b, council_slug);
		kn_buf_add(w->b, kind, lk);
		string_run(w->b, id);
		kn_buf_addc(w->b, '"');
		return;
	}
	p = escape_run(p, (const unsigned char *)council_slug, ls);
	memcpy(p, kind, lk);
	p = escape_run(p + lk, (const unsigned char *)id, li);
	*p++ = '"';
	kn_buf_wrote(w->b, (size_t)(p - start));
}
