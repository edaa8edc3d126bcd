/* scanner.h: the background job inside kenes serve: every scan_interval
 * seconds it runs the appeals' escalation ladder and sends the e-mail
 * outbox (the same work as kenes tick). */
#ifndef KN_APP_SCANNER_H
#define KN_APP_SCANNER_H
#include "core/kn.h"

struct kn_db;

/* Starts the thread (nothing when scan_interval is 0). */
void kn_scanner_start(struct kn_db *db);
/* Asks it to stop and waits for the run in progress to finish. */
void kn_scanner_stop(void);
/* One run, as kenes tick does: the ladder at now, then up to 100 e-mails.
 * Prints nothing; fills the counts when the pointers are not NULL. */
enum kn_err kn_scanner_run_once(struct kn_db *db, int64_t now, int *steps, int *skipped, int *sent, int *failed);

#endif
