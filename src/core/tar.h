/* tar.h: a POSIX ustar archive of files held in memory, read in pieces
 * (the open data, downloaded in one file, without a copy of it made). */
#ifndef KN_TAR_H
#define KN_TAR_H
#include "core/kn.h"

struct kn_tar_file {
	const char *name; /* 1-100 bytes */
	const char *data;
	size_t len; /* under 8 GiB */
};

/* The bytes the archive of these files takes: a 512-byte header per file,
 * its bytes padded to 512, and the two zero blocks that end it. */
uint64_t kn_tar_size(const struct kn_tar_file *f, int n);
/* A file's header (mode 0644, owner 0, modified at mtime, unix seconds);
 * false when its name or size cannot be stored. */
bool kn_tar_header(char out[512], const struct kn_tar_file *f, int64_t mtime);
/* Copies the archive's bytes from pos, at most max, into buf; returns how
 * many (0 at its end). Files whose header cannot be written are given as
 * empty files named after their position ("file-3"). */
size_t kn_tar_read(const struct kn_tar_file *f, int n, int64_t mtime, uint64_t pos, char *buf, size_t max);

#endif
