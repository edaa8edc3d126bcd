/* buf.h: a growable byte buffer with a hard size limit and a sticky error.
 * Append freely; check kn_buf_err() once at the end. Memory is malloc'd and
 * owned by the buffer: kn_buf_free() releases it, kn_buf_detach() hands it
 * over. A buffer may instead live in an arena (kn_buf_arena), then it needs
 * no free. */
#ifndef KN_BUF_H
#define KN_BUF_H
#include "core/kn.h"
#include <stdarg.h>
#include <string.h>

struct kn_arena;

struct kn_buf {
	char *data;  /* always NUL-terminated when len > 0 or after any append */
	size_t len, cap, max;
	enum kn_err err;
	struct kn_arena *arena; /* non-NULL: storage comes from this arena */
};

void kn_buf_init(struct kn_buf *b, size_t max);
void kn_buf_arena(struct kn_buf *b, struct kn_arena *a, size_t max);
void kn_buf_free(struct kn_buf *b);
char *kn_buf_detach(struct kn_buf *b, size_t *len);
void kn_buf_reset(struct kn_buf *b);
void kn_buf_add_slow(struct kn_buf *b, const void *p, size_t n);
/* appends n bytes (inline while they fit: pages are built from many small pieces) */
static inline void kn_buf_add(struct kn_buf *b, const void *p, size_t n)
{
	if (!b->err && b->len + n < b->cap && b->len + n <= b->max) {
		if (n)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = 0;
		return;
	}
	kn_buf_add_slow(b, p, n);
}
/* Room for n more bytes (and the NUL after them) at the end, for a writer
 * that fills them itself and then calls kn_buf_wrote with what it wrote.
 * NULL, and no error set, when n bytes would pass the buffer's limit (the
 * caller writes piece by piece then, which fails only if the real text
 * does not fit); NULL after an error too, or when memory runs out (which
 * sets the error, as kn_buf_add does). */
char *kn_buf_room_slow(struct kn_buf *b, size_t n);
static inline char *kn_buf_room(struct kn_buf *b, size_t n)
{
	if (!b->err && b->len + n < b->cap && b->len + n <= b->max)
		return b->data + b->len;
	return kn_buf_room_slow(b, n);
}
static inline void kn_buf_wrote(struct kn_buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = 0;
}
static inline void kn_buf_adds(struct kn_buf *b, const char *s)
{
	kn_buf_add(b, s, strlen(s));
}
static inline void kn_buf_addc(struct kn_buf *b, char c)
{
	kn_buf_add(b, &c, 1);
}
void kn_buf_printf(struct kn_buf *b, const char *fmt, ...) KN_PRINTF(2, 3);
/* v in decimal at the end of out (no NUL); returns where it starts. */
char *kn_itoa(char out[24], long long v);
void kn_buf_vprintf(struct kn_buf *b, const char *fmt, va_list ap) KN_PRINTF(2, 0);
static inline enum kn_err kn_buf_err(const struct kn_buf *b) { return b->err; }
/* The contents as a C string ("" for an empty buffer). */
const char *kn_buf_str(const struct kn_buf *b);

#endif
