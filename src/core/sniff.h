/* sniff.h: what a file is, decided from its bytes (magic numbers), never
 * from its name or the type a client claims. */
#ifndef KN_CORE_SNIFF_H
#define KN_CORE_SNIFF_H
#include <stddef.h>

/* The media type of data when it is a PDF, PNG, JPEG or WebP file:
 * "application/pdf", "image/png", "image/jpeg", "image/webp" (static
 * strings); NULL for anything else (an executable renamed .pdf, text, an
 * empty or truncated file). Reads at most the first 32 bytes. */
const char *kn_sniff_type(const void *data, size_t len);
/* The usual file extension of a type from kn_sniff_type ("pdf", ...). */
const char *kn_sniff_ext(const char *type);

#endif
