/* buf.c: growable buffer with a limit and a sticky error. */
#include "core/buf.h"
#include "core/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kn_buf_init(struct kn_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void kn_buf_arena(struct kn_buf *b, struct kn_arena *a, size_t max)
{
	kn_buf_init(b, max);
	b->arena = a;
}

void kn_buf_free(struct kn_buf *b)
{
	if (!b->arena)
		free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *kn_buf_detach(struct kn_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void kn_buf_reset(struct kn_buf *b)
{
	b->len = 0;
	b->err = KN_OK;
	if (b->data)
		b->data[0] = 0;
}

static int grow(struct kn_buf *b, size_t need)
{
	if (b->err)
		return -1;
	if (need > b->max) {
		b->err = KN_ETOOBIG;
		return -1;
	}
	if (need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need + 1)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	char *p;
	if (b->arena) {
		p = kn_alloc(b->arena, cap);
		if (b->len)
			memcpy(p, b->data, b->len);
	} else {
		p = realloc(b->data, cap);
		if (!p) {
			b->err = KN_ENOMEM;
			return -1;
		}
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

char *kn_buf_room_slow(struct kn_buf *b, size_t n)
{
	if (b->err || b->len + n > b->max || grow(b, b->len + n))
		return NULL;
	return b->data + b->len;
}

void kn_buf_add_slow(struct kn_buf *b, const void *p, size_t n)
{
	if (grow(b, b->len + n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

/* "00" to "99": two digits a division (a timestamp is ten digits) */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

char *kn_itoa(char out[24], long long v)
{
	char *p = out + 24;
	/* unsigned arithmetic: LLONG_MIN has no positive counterpart */
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	while (u >= 100) {
		unsigned r = (unsigned)(u % 100);
		u /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * u, 2);
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	return p;
}

void kn_buf_vprintf(struct kn_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->err = KN_EINVAL;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		kn_buf_add(b, small, (size_t)n);
		return;
	}
	if (grow(b, b->len + (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void kn_buf_printf(struct kn_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kn_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *kn_buf_str(const struct kn_buf *b)
{
	return b->data ? b->data : "";
}
