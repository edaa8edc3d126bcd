/* fz.h: what every fuzz target shares: the entry point's prototype and an
 * invariant check that aborts (libFuzzer then keeps the input). */
#ifndef KN_FZ_H
#define KN_FZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_CHECK(c)                                                                             \
	do {                                                                                        \
		if (!(c)) {                                                                             \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__);          \
			abort();                                                                            \
		}                                                                                       \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string (a copy, NUL added; free it), or NULL when
 * memory runs out. Parsers that take C strings read it up to its first
 * NUL. */
static inline char *fz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = 0;
	}
	return s;
}

#endif
