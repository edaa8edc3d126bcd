/* opendata.h: the open data as the portal serves it. One export (every
 * file of kn_export_build) is held in memory and shared by every request
 * for /open-data and its files, so that a page view or a download reads
 * no record and every file served comes from the same head of the log
 * (SHA256SUMS matches the files beside it). It is built again, by one
 * request while the others are served the one before, once the log has
 * moved on and it is open_data_minutes old. */
#ifndef KN_OPENDATA_H
#define KN_OPENDATA_H
#include "core/kn.h"

struct kn_req;
struct kn_export_file;

struct kn_open_data {
	const struct kn_export_file *f;
	int n;
	int64_t head_seq; /* the log's head it was made at */
	int64_t made;     /* kn_now() when made */
};

/* The current export, held for the caller until kn_open_data_release;
 * built first when there is none or it is due. */
enum kn_err kn_open_data_get(struct kn_req *r, const struct kn_open_data **out);
void kn_open_data_release(const struct kn_open_data *d);
/* Exports built since the start (for /metrics). */
uint64_t kn_open_data_builds(void);

#endif
