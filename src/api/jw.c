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
	if (w->more[w->depth])
		kn_buf_addc(w->b, ',');
	w->more[w->depth] = true;
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

static void string(struct kn_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), run = 0, i = 0;
	kn_buf_addc(b, '"');
	while (i < n) {
		uint64_t x;
		if (i + 8 <= n && (memcpy(&x, s + i, 8), !any_special(x))) {
			i += 8;
			run += 8;
			continue;
		}
		if (!special[s[i]]) {
			i++;
			run++;
			continue;
		}
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : kn_utf8_seq(s + i, n - i);
		if (len > 1) {
			i += len;
			run += len;
			continue;
		}
		kn_buf_add(b, s + i - run, run);
		run = 0;
		char esc[8];
		const char *e = esc;
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		default:
			if (c < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				esc[6] = 0;
			} else {
				e = "\xef\xbf\xbd"; /* not UTF-8: U+FFFD */
			}
		}
		kn_buf_adds(b, e);
		i++;
	}
	kn_buf_add(b, s + n - run, run);
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

void kn_jw_str(struct kn_jw *w, const char *s)
{
	if (!s) {
		kn_jw_null(w);
		return;
	}
	value_begins(w);
	string(w->b, s);
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

void kn_jw_kstr_(struct kn_jw *w, const char *frag, size_t n, const char *s)
{
	key_fragment(w, frag, n);
	kn_jw_str(w, s);
}

void kn_jw_kint_(struct kn_jw *w, const char *frag, size_t n, int64_t v)
{
	key_fragment(w, frag, n);
	kn_jw_int(w, v);
}

void kn_jw_kbool_(struct kn_jw *w, const char *frag, size_t n, bool v)
{
	key_fragment(w, frag, n);
	kn_jw_bool(w, v);
}

void kn_jw_kref_(struct kn_jw *w, const char *frag, size_t n, int64_t id)
{
	key_fragment(w, frag, n);
	if (id)
		kn_jw_int(w, id);
	else
		kn_jw_null(w);
}
