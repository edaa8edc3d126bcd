/* arena.c: bump allocator in chained blocks, with cleanups. */
#include "core/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KN_ARENA_BLOCK (16 * 1024)

struct kn_block {
	struct kn_block *next;
	size_t size, used;
	_Alignas(max_align_t) unsigned char data[];
};

struct kn_cleanup {
	struct kn_cleanup *next;
	void (*fn)(void *);
	void *p;
};

struct kn_arena {
	struct kn_block *head;
	struct kn_cleanup *cleanups;
	size_t total;
};

static struct kn_block *block_new(size_t min)
{
	size_t size = min > KN_ARENA_BLOCK ? min : KN_ARENA_BLOCK;
	struct kn_block *b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct kn_arena *kn_arena_new(void)
{
	struct kn_arena *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->head = block_new(0);
	if (!a->head) {
		free(a);
		return NULL;
	}
	return a;
}

void kn_arena_free(struct kn_arena *a)
{
	if (!a)
		return;
	struct kn_cleanup *c = a->cleanups;
	while (c) {
		struct kn_cleanup *next = c->next;
		c->fn(c->p);
		c = next;
	}
	struct kn_block *b = a->head;
	while (b) {
		struct kn_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *kn_alloc(struct kn_arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	struct kn_block *b = a->head;
	if (b->size - b->used < n) {
		struct kn_block *nb = block_new(n);
		if (!nb) {
			fputs("kenes: out of memory\n", stderr);
			abort();
		}
		/* a big one-off allocation goes behind the current block so the
		 * current block's free space stays usable */
		if (n > KN_ARENA_BLOCK / 2) {
			nb->next = b->next;
			b->next = nb;
			nb->used = n;
			a->total += n;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	a->total += n;
	return p;
}

void *kn_zalloc(struct kn_arena *a, size_t n)
{
	void *p = kn_alloc(a, n);
	memset(p, 0, n);
	return p;
}

void *kn_grow(struct kn_arena *a, void *p, int n, int *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	void *g = kn_zalloc(a, size * (size_t)*cap);
	if (n)
		memcpy(g, p, size * (size_t)n);
	return g;
}

char *kn_strndup(struct kn_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = kn_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *kn_strdup(struct kn_arena *a, const char *s)
{
	return s ? kn_strndup(a, s, strlen(s)) : NULL;
}

char *kn_vprintf(struct kn_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return kn_strdup(a, "");
	char *p = kn_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *kn_printf(struct kn_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = kn_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void kn_arena_cleanup(struct kn_arena *a, void (*fn)(void *), void *p)
{
	struct kn_cleanup *c = kn_alloc(a, sizeof(*c));
	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t kn_arena_used(const struct kn_arena *a)
{
	return a->total;
}
