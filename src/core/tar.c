/* tar.c: ustar archives (POSIX.1-1988, as GNU tar and Python's tarfile
 * read them): a 512-byte header per file, then its bytes padded to 512,
 * then two zero blocks. Nothing is assembled: kn_tar_read gives any range
 * of the archive from the files where they are. */
#include "core/tar.h"
#include <stdio.h>
#include <string.h>

#define BLOCK 512u

static uint64_t padded(uint64_t len)
{
	return (len + BLOCK - 1) / BLOCK * BLOCK;
}

/* whether a file can be stored as it is: else it goes in empty, renamed */
static bool storable(const struct kn_tar_file *f)
{
	size_t nl = strlen(f->name);
	return nl && nl <= 100 && (uint64_t)f->len < (1ull << 33);
}

uint64_t kn_tar_size(const struct kn_tar_file *f, int n)
{
	uint64_t total = 2 * BLOCK;
	for (int i = 0; i < n; i++)
		total += BLOCK + (storable(&f[i]) ? padded(f[i].len) : 0);
	return total;
}

/* an octal field of w bytes: w - 1 digits, then NUL */
static void octal(char *field, size_t w, unsigned long long v)
{
	field[w - 1] = 0;
	for (size_t i = w - 1; i-- > 0; v >>= 3)
		field[i] = (char)('0' + (v & 7));
}

bool kn_tar_header(char out[512], const struct kn_tar_file *f, int64_t mtime)
{
	if (!storable(f))
		return false;
	size_t nl = strlen(f->name);
	memset(out, 0, BLOCK);
	memcpy(out, f->name, nl);                                      /* name[100] */
	octal(out + 100, 8, 0644);                                     /* mode */
	octal(out + 108, 8, 0);                                        /* uid */
	octal(out + 116, 8, 0);                                        /* gid */
	octal(out + 124, 12, f->len);                                  /* size */
	octal(out + 136, 12, mtime > 0 ? (unsigned long long)mtime : 0); /* mtime */
	memset(out + 148, ' ', 8);                                     /* chksum, summed as spaces */
	out[156] = '0';                                                /* typeflag: a regular file */
	memcpy(out + 257, "ustar", 6);                                 /* magic, NUL-terminated */
	memcpy(out + 263, "00", 2);                                    /* version */
	unsigned sum = 0;
	for (size_t i = 0; i < BLOCK; i++)
		sum += (unsigned char)out[i];
	octal(out + 148, 7, sum); /* six digits and NUL, then the space left there */
	return true;
}

/* Copies bytes [from, from + n) of a segment: its bytes (data, len) then
 * zeros up to its size. */
static void segment(char *dst, const char *data, uint64_t len, uint64_t from, size_t n)
{
	size_t k = 0;
	if (from < len) {
		k = (size_t)(len - from < n ? len - from : n);
		memcpy(dst, data + from, k);
	}
	memset(dst + k, 0, n - k);
}

size_t kn_tar_read(const struct kn_tar_file *f, int n, int64_t mtime, uint64_t pos, char *buf, size_t max)
{
	size_t done = 0;
	uint64_t at = 0; /* where the file's header starts */
	for (int i = 0; i < n && done < max; i++) {
		struct kn_tar_file one = f[i];
		char name[32];
		if (!storable(&one)) {
			snprintf(name, sizeof(name), "file-%d", i);
			one = (struct kn_tar_file){name, "", 0};
		}
		uint64_t size = BLOCK + padded(one.len);
		if (pos + done >= at + size) { /* wholly before the range */
			at += size;
			continue;
		}
		char h[BLOCK];
		kn_tar_header(h, &one, mtime);
		while (done < max && pos + done < at + size) {
			uint64_t off = pos + done - at;
			size_t room = max - done;
			if (off < BLOCK) {
				size_t k = (size_t)(BLOCK - off) < room ? (size_t)(BLOCK - off) : room;
				memcpy(buf + done, h + off, k);
				done += k;
			} else {
				uint64_t left = size - off;
				size_t k = left < room ? (size_t)left : room;
				segment(buf + done, one.data, one.len, off - BLOCK, k);
				done += k;
			}
		}
		at += size;
	}
	/* the two zero blocks */
	uint64_t end = at + 2 * BLOCK;
	if (done < max && pos + done < end) {
		uint64_t left = end - (pos + done);
		size_t k = left < max - done ? (size_t)left : max - done;
		memset(buf + done, 0, k);
		done += k;
	}
	return done;
}
