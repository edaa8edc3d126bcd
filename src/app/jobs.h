/* jobs.h: the public record's background work in kenes serve: signing
 * checkpoints of the event log, the publication outbox sender, and making
 * the open data again when it is due. */
#ifndef KN_JOBS_H
#define KN_JOBS_H
#include "core/kn.h"

struct kn_db;
/* Starts the threads (checkpoints only when there is an installation key). */
void kn_jobs_start(struct kn_db *db);
/* Asks them to stop, waits for the message in flight, joins them. */
void kn_jobs_stop(void);
/* Asks the open-data job to make the export again (opendata.c); false
 * when that job is not running. */
bool kn_jobs_wake_open_data(void);
/* The base URL for links in messages: base_url, else http://LISTEN. */
const char *kn_jobs_base_url(void);

#endif
