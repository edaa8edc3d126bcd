/* sniff.c: magic-number detection of the attachment types Kenes accepts. */
#include "core/sniff.h"
#include <stdint.h>
#include <string.h>

const char *kn_sniff_type(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (!p)
		return NULL;
	/* PDF: "%PDF-1.x" at the start (the header is required there by ISO 32000) */
	if (len >= 8 && !memcmp(p, "%PDF-", 5) && p[5] >= '1' && p[5] <= '2' && p[6] == '.')
		return "application/pdf";
	/* PNG: the 8-byte signature, then the IHDR chunk of length 13 */
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (len >= 24 && !memcmp(p, png, 8) && !memcmp(p + 8, "\0\0\0\x0dIHDR", 8))
		return "image/png";
	/* JPEG: SOI then a marker (FF D8 FF xx, xx a marker code) */
	if (len >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF && p[3] >= 0xC0 && p[3] != 0xFF)
		return "image/jpeg";
	/* WebP: RIFF container of form WEBP with a VP8/VP8L/VP8X chunk, its
	 * declared size within the file */
	if (len >= 16 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBPVP8", 7) &&
	    (p[15] == ' ' || p[15] == 'L' || p[15] == 'X')) {
		uint32_t riff = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		if (riff >= 8 && (uint64_t)riff + 8 <= (uint64_t)len)
			return "image/webp";
	}
	return NULL;
}

const char *kn_sniff_ext(const char *type)
{
	if (!type)
		return "bin";
	if (!strcmp(type, "application/pdf"))
		return "pdf";
	if (!strcmp(type, "image/png"))
		return "png";
	if (!strcmp(type, "image/jpeg"))
		return "jpg";
	if (!strcmp(type, "image/webp"))
		return "webp";
	return "bin";
}
