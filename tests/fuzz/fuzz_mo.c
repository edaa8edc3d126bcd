/* fuzz_mo.c: libFuzzer target for the .mo catalog reader (kn_i18n_add) and lookups in what it accepts. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/i18n.h"

/* Reads the 32-bit word at off in the image's byte order (the caller has
 * checked that off + 4 <= len). */
static uint32_t word(const unsigned char *d, size_t off, int swap)
{
	uint32_t v;
	memcpy(&v, d + off, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* Every original string of an accepted catalog must translate to its own
 * translation (or to itself when that is empty): checks the binary search. */
static void check_lookups(const unsigned char *d, size_t len)
{
	int swap = word(d, 0, 0) != 0x950412de;
	uint32_t n = word(d, 8, swap), orig = word(d, 12, swap), trans = word(d, 16, swap);
	for (uint32_t i = 0; i < n && i < 64; i++) {
		size_t oa = (size_t)orig + (size_t)i * 8, ta = (size_t)trans + (size_t)i * 8;
		FZ_CHECK(oa + 8 <= len && ta + 8 <= len);
		const char *o = (const char *)d + word(d, oa + 4, swap);
		const char *t = (const char *)d + word(d, ta + 4, swap);
		const char *got = kn_gettext(o);
		if (!*o)
			FZ_CHECK(got == o); /* the header entry is never a translation */
		else if (*t)
			FZ_CHECK(got == t);
		else
			FZ_CHECK(got == o);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* kn_i18n_add keeps a pointer into the image and kn_i18n_free() only
	 * frees images that kn_i18n_load read itself: this copy is ours to
	 * free, after the catalog is gone */
	unsigned char *img = malloc(size ? size : 1);
	if (!img)
		return 0;
	memcpy(img, data, size);
	if (kn_i18n_add("ru", img, size) == KN_OK) {
		kn_i18n_set("ru");
		FZ_CHECK(!strcmp(kn_i18n_get(), "ru"));
		static const char *const ids[] = {"Councils", "Log in", "Save", "", "zzzz-not-there"};
		for (size_t i = 0; i < KN_ARRAY_LEN(ids); i++) {
			const char *t = kn_gettext(ids[i]);
			FZ_CHECK(t != NULL);
			if (!*ids[i])
				FZ_CHECK(t == ids[i]);
		}
		FZ_CHECK(kn_gettext(NULL) == NULL);
		check_lookups(img, size);
		kn_i18n_set("en");
		FZ_CHECK(kn_gettext("Councils")[0] == 'C'); /* English is untranslated */
	}
	kn_i18n_free();
	kn_i18n_set("en");
	free(img);
	return 0;
}
