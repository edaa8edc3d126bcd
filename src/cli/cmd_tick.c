/* cmd_tick.c: `kenes tick [--now UNIX]`: the escalation ladder of appeals
 * and the e-mail outbox, once (for cron, or beside a serve whose scanner
 * is off; running both at once is safe: every step is recorded once). */
#include "cli/cmd_tick.h"
#include "app/app.h"
#include "app/scanner.h"
#include "core/config.h"
#include "store/store.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kn_cmd_tick(int argc, char **argv)
{
	int64_t now = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: kenes tick [--db URL] [--now UNIX]\n\n"
			       "Runs the appeals' escalation ladder once (reminders before deadlines, notices\n"
			       "on breach, the public overdue flag, proposals for the next meeting's agenda)\n"
			       "and sends the e-mail that is due. Each step is recorded once, so running it\n"
			       "from cron beside kenes serve's own scanner (scan_interval) is safe.\n"
			       "--now UNIX runs it as if at that moment (tests, catching up).\n");
			return 0;
		}
		if (!strcmp(argv[i], "--now") && i + 1 < argc) {
			char *end;
			errno = 0;
			long long v = strtoll(argv[++i], &end, 10);
			if (errno || *end || v <= 0) {
				fprintf(stderr, "kenes tick: --now needs unix seconds, got '%s'\n", argv[i]);
				return 2;
			}
			now = v;
		} else {
			fprintf(stderr, "kenes tick: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	char err[512];
	struct kn_db *db = kn_db_open(kn_cfg.db, 1, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "kenes: %s\n", err);
		return 1;
	}
	int applied;
	if (kn_db_migrate(db, &applied, err, sizeof(err))) {
		fprintf(stderr, "kenes: %s\n", err);
		kn_db_close(db);
		return 1;
	}
	int steps = 0, skipped = 0, sent = 0, failed = 0;
	enum kn_err rc = kn_scanner_run_once(db, now ? now : kn_now(), &steps, &skipped, &sent, &failed);
	if (rc)
		fprintf(stderr, "kenes tick: failed: %s\n", kn_err_str(rc));
	else
		printf("kenes tick: %d escalation step(s) taken, %d already taken, %d e-mail(s) sent, %d failed\n", steps,
		       skipped, sent, failed);
	kn_db_close(db);
	return rc ? 1 : 0;
}
