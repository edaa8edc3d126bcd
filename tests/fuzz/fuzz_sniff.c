/* fuzz_sniff.c: libFuzzer target for attachment type detection: any bytes,
 * no crash, no read past the end, and an accepted type is one of four with
 * its magic number really at the start. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy of exactly size bytes, so ASan sees any over-read */
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	const char *t = kn_sniff_type(copy, size);
	if (t) {
		if (!strcmp(t, "application/pdf")) {
			if (size < 8 || memcmp(copy, "%PDF-", 5))
				__builtin_trap();
		} else if (!strcmp(t, "image/png")) {
			if (size < 24 || copy[0] != 0x89 || memcmp(copy + 1, "PNG", 3))
				__builtin_trap();
		} else if (!strcmp(t, "image/jpeg")) {
			if (size < 4 || copy[0] != 0xFF || copy[1] != 0xD8)
				__builtin_trap();
		} else if (!strcmp(t, "image/webp")) {
			if (size < 16 || memcmp(copy, "RIFF", 4) || memcmp(copy + 8, "WEBP", 4))
				__builtin_trap();
		} else {
			__builtin_trap();
		}
		if (!strcmp(kn_sniff_ext(t), "bin"))
			__builtin_trap();
	}
	free(copy);
	return 0;
}
