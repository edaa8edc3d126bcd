/* tar.c: ustar archives (POSIX.1-1988, as GNU tar and Python's tarfile
 * read them): a 512-byte header per file, then its bytes padded to 512. */
#include "core/tar.h"
#include "core/buf.h"
#include <string.h>

#define BLOCK 512

static size_t padded(size_t len)
{
	return (len + BLOCK - 1) / BLOCK * BLOCK;
}

size_t kn_tar_size(const size_t *lens, int n)
{
	size_t total = 2 * BLOCK;
	for (int i = 0; i < n; i++)
		total += BLOCK + padded(lens[i]);
	return total;
}

/* an octal field of w bytes: w - 1 digits, then NUL */
static void octal(char *f, size_t w, unsigned long long v)
{
	f[w - 1] = 0;
	for (size_t i = w - 1; i-- > 0; v >>= 3)
		f[i] = (char)('0' + (v & 7));
}

bool kn_tar_add(struct kn_buf *b, const char *name, const void *data, size_t len, int64_t mtime)
{
	size_t nl = strlen(name);
	if (!nl || nl > 100 || len >= (1ull << 33))
		return false;
	char h[BLOCK];
	memset(h, 0, sizeof(h));
	memcpy(h, name, nl);                              /* name[100] */
	octal(h + 100, 8, 0644);                          /* mode */
	octal(h + 108, 8, 0);                             /* uid */
	octal(h + 116, 8, 0);                             /* gid */
	octal(h + 124, 12, len);                          /* size */
	octal(h + 136, 12, mtime > 0 ? (unsigned long long)mtime : 0); /* mtime */
	memset(h + 148, ' ', 8);                          /* chksum, counted as spaces */
	h[156] = '0';                                     /* typeflag: a regular file */
	memcpy(h + 257, "ustar", 6);                      /* magic, NUL-terminated */
	memcpy(h + 263, "00", 2);                         /* version */
	unsigned sum = 0;
	for (size_t i = 0; i < sizeof(h); i++)
		sum += (unsigned char)h[i];
	octal(h + 148, 7, sum); /* six digits and NUL, then the space left there */
	kn_buf_add(b, h, sizeof(h));
	kn_buf_add(b, data, len);
	static const char zeros[BLOCK];
	kn_buf_add(b, zeros, padded(len) - len);
	return true;
}

void kn_tar_end(struct kn_buf *b)
{
	static const char zeros[2 * BLOCK];
	kn_buf_add(b, zeros, sizeof(zeros));
}
