/* arena.h: a memory arena; everything allocated from it dies with it.
 * One arena per HTTP request (created on the first callback, destroyed on
 * completion) and per CLI command. Cleanups registered on an arena run, in
 * reverse order, when it is destroyed: that is how statements, JSON values
 * and other handles are released without handlers calling free. */
#ifndef KN_ARENA_H
#define KN_ARENA_H
#include "core/kn.h"
#include <stdarg.h>

struct kn_arena;

/* Returns NULL on out of memory. */
struct kn_arena *kn_arena_new(void);
void kn_arena_free(struct kn_arena *a);
/* Allocation never returns NULL: out of memory aborts (a request arena is
 * bounded by the request size limits, so this means the machine is gone). */
void *kn_alloc(struct kn_arena *a, size_t n);
void *kn_zalloc(struct kn_arena *a, size_t n);
/* An arena array with room for one more element: p itself while n < *cap,
 * else a copy with twice the room (16 at first), zeroed past its n elements
 * of size bytes; *cap is updated. */
void *kn_grow(struct kn_arena *a, void *p, int n, int *cap, size_t size);
char *kn_strdup(struct kn_arena *a, const char *s);      /* NULL stays NULL */
char *kn_strndup(struct kn_arena *a, const char *s, size_t n);
char *kn_printf(struct kn_arena *a, const char *fmt, ...) KN_PRINTF(2, 3);
char *kn_vprintf(struct kn_arena *a, const char *fmt, va_list ap) KN_PRINTF(2, 0);
/* Registers fn(p) to run when the arena is freed. */
void kn_arena_cleanup(struct kn_arena *a, void (*fn)(void *), void *p);
/* Bytes handed out so far (for tests and metrics). */
size_t kn_arena_used(const struct kn_arena *a);

#endif
