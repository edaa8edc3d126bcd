/* opendata.h: the open data as the portal serves it. One export (every
 * file of kn_export_build) is held in memory and shared by every request
 * for /open-data and its files, so that a page view or a download reads
 * no record and every file served comes from the same head of the log
 * (SHA256SUMS matches the files beside it). The first request since
 * the start makes it; once the log has moved on and it is
 * open_data_minutes old, the background job (jobs.c) makes it again while
 * requests are served the one before. */
#ifndef KN_OPENDATA_H
#define KN_OPENDATA_H
#include "core/kn.h"

struct kn_req;
struct kn_export_file;

struct kn_open_data {
	const struct kn_export_file *f;
	int n;
	int64_t head_seq; /* the log's head it was made at */
	int64_t head_at;  /* that event's time (unix seconds) */
	int64_t made;     /* kn_now() when made */
};

/* The current export, held for the caller until kn_open_data_release;
 * made first when there is none yet. */
enum kn_err kn_open_data_get(struct kn_req *r, const struct kn_open_data **out);
void kn_open_data_release(const struct kn_open_data *d);
/* The name of the whole export in one tar archive. */
#define KN_OPEN_DATA_TAR "kenes-open-data.tar"
/* The archive's size in bytes. */
uint64_t kn_open_data_tar_size(const struct kn_open_data *d);
/* Answers r with the file called name of export d, or with the whole
 * export as a tar (KN_OPEN_DATA_TAR), sent from where it is held, without
 * a copy; false when d has no such file. */
bool kn_open_data_send(struct kn_req *r, const struct kn_open_data *d, const char *name);

/* The background job's part: makes the export again when a request has
 * found it due. */
struct kn_db;
void kn_open_data_refresh(struct kn_db *db);
/* Exports built since the start (for /metrics). */
uint64_t kn_open_data_builds(void);

#endif
