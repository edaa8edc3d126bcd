/* fuzz_tar.c: libFuzzer target for the open data's tar archive (core/tar.c).
 * The input makes up to 8 files (names of 0-120 bytes, so some cannot be
 * stored as they are, bytes of any kind), a modification time, and the
 * sizes of the pieces it is then read in. Checked: one read of the whole
 * archive gives kn_tar_size bytes and nothing after; the same archive read
 * in the input's pieces (the rest in one when the input ends), and from an offset of its choosing, gives the
 * same bytes; and an independent ustar reader written here finds every
 * file in it, under its name or "file-N", with its bytes, its padding, a
 * header whose checksum and fields hold, and the two zero blocks at the
 * end. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/tar.h"

#define MAXF 8

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct in *in, unsigned bytes)
{
	unsigned v = 0;
	for (unsigned i = 0; i < bytes; i++) {
		v = v << 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

/* an octal field as tar readers take it: digits up to the first NUL */
static uint64_t octal_field(const char *f, size_t w)
{
	uint64_t v = 0;
	size_t i = 0;
	for (; i < w && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(f[i] - '0');
	FZ_CHECK(i == w - 1 || (i == 6 && w == 8 && f[7] == ' ')); /* chksum: six digits, NUL, space */
	FZ_CHECK(f[i] == 0);
	return v;
}

static bool zeros(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* the archive read back, file by file, against what went in */
static void check_archive(const char *ar, uint64_t size, const struct kn_tar_file *f, int n, int64_t mtime)
{
	uint64_t at = 0;
	for (int i = 0; i < n; i++) {
		FZ_CHECK(at + 512 <= size);
		const char *h = ar + at;
		size_t nl = strlen(f[i].name);
		bool stored = nl >= 1 && nl <= 100;
		char want[32];
		const char *name = f[i].name;
		size_t len = f[i].len;
		if (!stored) {
			snprintf(want, sizeof(want), "file-%d", i);
			name = want;
			nl = strlen(want);
			len = 0;
		}
		FZ_CHECK(!memcmp(h, name, nl));
		FZ_CHECK(zeros(h + nl, 100 - nl));
		FZ_CHECK(octal_field(h + 100, 8) == 0644);
		FZ_CHECK(octal_field(h + 108, 8) == 0 && octal_field(h + 116, 8) == 0);
		FZ_CHECK(octal_field(h + 124, 12) == len);
		FZ_CHECK(octal_field(h + 136, 12) == (uint64_t)(mtime > 0 ? mtime : 0));
		FZ_CHECK(h[156] == '0');
		FZ_CHECK(!memcmp(h + 257, "ustar\0" "00", 8));
		unsigned sum = 0;
		for (int k = 0; k < 512; k++)
			sum += (k >= 148 && k < 156) ? ' ' : (unsigned char)h[k];
		FZ_CHECK(octal_field(h + 148, 8) == sum);
		at += 512;
		uint64_t padded = (len + 511) / 512 * 512;
		FZ_CHECK(at + padded <= size);
		FZ_CHECK(!len || !memcmp(ar + at, f[i].data, len));
		FZ_CHECK(zeros(ar + at + len, (size_t)(padded - len)));
		at += padded;
	}
	FZ_CHECK(at + 1024 == size);
	FZ_CHECK(zeros(ar + at, 1024));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = {data, size};
	struct kn_tar_file f[MAXF];
	char *names[MAXF] = {0};
	char *bodies[MAXF] = {0};
	int n = (int)(take(&in, 1) % (MAXF + 1));
	int64_t mtime = (int64_t)(int32_t)take(&in, 4) * 3;
	for (int i = 0; i < n; i++) {
		size_t nl = take(&in, 1) % 121, dl = take(&in, 2) % 3000;
		names[i] = malloc(nl + 1);
		bodies[i] = malloc(dl ? dl : 1);
		if (!names[i] || !bodies[i]) {
			n = i + 1;
			goto out;
		}
		for (size_t k = 0; k < nl; k++)
			names[i][k] = (char)((take(&in, 1) % 255) + 1); /* no NUL inside a C string */
		names[i][nl] = 0;
		for (size_t k = 0; k < dl; k++) /* the input's bytes, then a pattern once it runs out */
			bodies[i][k] = in.n ? (char)take(&in, 1) : (char)(k * 31 + (size_t)i);
		f[i] = (struct kn_tar_file){names[i], bodies[i], dl};
	}

	uint64_t total = kn_tar_size(f, n);
	char *whole = malloc((size_t)total + 1);
	char *pieces = malloc((size_t)total);
	if (!whole || !pieces) {
		free(whole);
		free(pieces);
		goto out;
	}
	/* in one read, asking for a byte more than there is */
	FZ_CHECK(kn_tar_read(f, n, mtime, 0, whole, (size_t)total + 1) == total);
	FZ_CHECK(kn_tar_read(f, n, mtime, total, whole, 1) == 0);
	check_archive(whole, total, f, n, mtime);

	/* in the input's pieces, from an offset it picks */
	uint64_t from = take(&in, 2) % (total + 1);
	uint64_t pos = from;
	while (pos < total) {
		/* a piece of 1-1100 bytes; the rest in one once the input ends */
		size_t want = in.n ? take(&in, 1) % 1100 + 1 : (size_t)(total - pos) + 7;
		size_t got = kn_tar_read(f, n, mtime, pos, pieces + pos, want);
		FZ_CHECK(got == (want < total - pos ? want : total - pos));
		pos += got;
	}
	FZ_CHECK(!memcmp(pieces + from, whole + from, (size_t)(total - from)));
	free(whole);
	free(pieces);
out:
	for (int i = 0; i < n; i++) {
		free(names[i]);
		free(bodies[i]);
	}
	return 0;
}
