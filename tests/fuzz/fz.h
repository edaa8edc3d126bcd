/* fz.h: what every fuzz target shares: the entry point's prototype and an
 * invariant check that aborts (libFuzzer then keeps the input). */
#ifndef KN_FZ_H
#define KN_FZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FZ_CHECK(c)                                                                             \
	do {                                                                                        \
		if (!(c)) {                                                                             \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__);          \
			abort();                                                                            \
		}                                                                                       \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
