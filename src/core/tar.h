/* tar.h: a POSIX ustar archive written into a buffer (the open data,
 * downloaded in one file). */
#ifndef KN_TAR_H
#define KN_TAR_H
#include "core/kn.h"

struct kn_buf;

/* The bytes an archive of files of these sizes takes: a 512-byte header
 * per file, its bytes padded to 512, and the two zero blocks that end it. */
size_t kn_tar_size(const size_t *lens, int n);
/* Appends one regular file (mode 0644, owner 0, modified at mtime, unix
 * seconds); false, and nothing appended, when the name is empty or longer
 * than 100 bytes or the file is 8 GiB or more. */
bool kn_tar_add(struct kn_buf *b, const char *name, const void *data, size_t len, int64_t mtime);
/* Appends the end of the archive. */
void kn_tar_end(struct kn_buf *b);

#endif
