/* cmd_record.c: kenes keygen, checkpoint, verify, export and outbox. */
#include "cli/cmd_record.h"
#include "app/app.h"
#include "app/jobs.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "view/view.h"
#include "core/arena.h"
#include "core/config.h"
#include "domain/outbox.h"
#include "domain/record.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static struct kn_db *open_migrated(void)
{
	char err[512];
	struct kn_db *db = kn_db_open(kn_cfg.db, 1, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "kenes: %s\n", err);
		return NULL;
	}
	int n;
	if (kn_db_migrate(db, &n, err, sizeof(err))) {
		fprintf(stderr, "kenes: %s\n", err);
		kn_db_close(db);
		return NULL;
	}
	return db;
}

int kn_cmd_keygen(int argc, char **argv)
{
	if (wants_help(argc, argv) || argc > 1) {
		printf("usage: kenes keygen [--key-file PATH]\n\n"
		       "Creates the installation's Ed25519 signing key in the key file (setting\n"
		       "key_file, default kenes.key), readable by its owner only (mode 0600), and\n"
		       "prints the public key. It signs the checkpoints of the event log and the\n"
		       "open-data manifest. An existing key file is never overwritten. Back it up:\n"
		       "a lost key means new checkpoints can no longer be tied to the old ones.\n");
		return wants_help(argc, argv) ? 0 : 2;
	}
	struct kn_key k;
	char err[512];
	const char *path = *kn_cfg.key_file ? kn_cfg.key_file : "kenes.key";
	if (kn_key_generate(path, &k, err, sizeof(err))) {
		fprintf(stderr, "kenes: %s\n", err);
		return 1;
	}
	sodium_memzero(k.sk, sizeof(k.sk));
	printf("kenes: key written to %s\npublic key: %s\n", path, k.pk_hex);
	return 0;
}

int kn_cmd_checkpoint(int argc, char **argv)
{
	if (wants_help(argc, argv) || argc > 1) {
		printf("usage: kenes checkpoint [--db URL] [--key-file PATH]\n\n"
		       "Signs the head of the event log now (sequence number, hash, time) with the\n"
		       "installation key, unless the last checkpoint already covers it. kenes serve\n"
		       "does this by itself every checkpoint_events events or checkpoint_minutes.\n");
		return wants_help(argc, argv) ? 0 : 2;
	}
	const struct kn_key *k = kn_key_installation();
	if (!k) {
		fprintf(stderr, "kenes: no installation key in %s: create one with kenes keygen\n", kn_cfg.key_file);
		return 1;
	}
	struct kn_db *db = open_migrated();
	if (!db)
		return 1;
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = kn_now()};
	int64_t made = 0;
	enum kn_err rc = kn_db_begin(c);
	if (!rc)
		rc = kn_checkpoint_maybe(&x, k, true, 0, 0, &made);
	if (!rc)
		rc = kn_db_commit(c);
	else
		kn_db_rollback(c);
	if (rc)
		fprintf(stderr, "kenes: checkpoint failed: %s %s\n", kn_err_str(rc), kn_conn_errmsg(c));
	else if (made)
		printf("kenes: checkpoint signed at event %lld\n", (long long)made);
	else
		printf("kenes: the last checkpoint already covers the head of the log (or the log is empty)\n");
	kn_db_release(c);
	kn_arena_free(a);
	kn_db_close(db);
	return rc ? 1 : 0;
}

int kn_cmd_verify(int argc, char **argv)
{
	const char *dump = NULL, *pk = NULL;
	bool bad = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dump") && i + 1 < argc)
			dump = argv[++i];
		else if (!strcmp(argv[i], "--public-key") && i + 1 < argc)
			pk = argv[++i];
		else
			bad = true;
	}
	if (wants_help(argc, argv) || bad) {
		printf("usage: kenes verify [--db URL] [--public-key HEX]\n"
		       "       kenes verify --dump DIR [--public-key HEX]\n\n"
		       "Checks the public record: every event's hash against its content and the\n"
		       "event before it, the sequence without gaps, the head; every checkpoint's\n"
		       "signature and the event it names; and every council, agency, person (and\n"
		       "each other public record kind) replayed from its events and compared with\n"
		       "its stored row, field by field. With --dump, checks an export folder\n"
		       "(kenes export) instead: also the signed SHA256SUMS and every file's digest.\n"
		       "Signatures are checked with --public-key, else the key file's key, else the\n"
		       "key recorded in the data (then compare it with the published one).\n"
		       "Names the first event, or record and field, that does not match; exit 1.\n");
		return wants_help(argc, argv) ? 0 : 2;
	}
	struct kn_verify_report rep;
	struct kn_arena *a = kn_arena_new();
	enum kn_err rc;
	if (dump) {
		rc = kn_record_verify_dump(a, dump, pk, &rep);
	} else {
		char err[512];
		struct kn_db *db = kn_db_open(kn_cfg.db, 1, err, sizeof(err));
		if (!db) {
			fprintf(stderr, "kenes: %s\n", err);
			kn_arena_free(a);
			return 1;
		}
		struct kn_conn *c = kn_db_acquire(db);
		struct kn_ctx x = {.a = a, .c = c, .now = kn_now()};
		rc = kn_record_verify(&x, pk, &rep);
		kn_db_release(c);
		kn_db_close(db);
	}
	if (rc == KN_OK) {
		printf("kenes: %lld events verified: the chain is intact (head %lld, %s)\n", (long long)rep.events,
		       (long long)rep.head_seq, rep.head_hash ? rep.head_hash : "");
		printf("kenes: %lld checkpoint signatures verified%s%s%s\n", (long long)rep.checkpoints,
		       rep.key_used ? " with key " : "", rep.key_used ? rep.key_used : "",
		       rep.key_used && !rep.key_pinned ? " (taken from the data: compare it with the published key)" : "");
		printf("kenes: %lld records match their events\n", (long long)rep.records);
	} else if (rc == KN_ECONFLICT) {
		fprintf(stderr, "kenes: verification FAILED after %lld good events: %s\n", (long long)rep.events, rep.msg);
	} else {
		fprintf(stderr, "kenes: cannot verify: %s\n", rep.msg[0] ? rep.msg : kn_err_str(rc));
	}
	kn_arena_free(a);
	return rc ? 1 : 0;
}

int kn_cmd_export(int argc, char **argv)
{
	if (wants_help(argc, argv) || argc != 2) {
		printf("usage: kenes export [--db URL] [--key-file PATH] DIR\n\n"
		       "Writes the open data into DIR (created if missing): every public record as\n"
		       "CSV and JSON, the event log and its checkpoints, README.md describing every\n"
		       "column, export.json, and SHA256SUMS signed with the installation key\n"
		       "(SHA256SUMS.sig, public-key.txt). Check it with sha256sum -c SHA256SUMS or\n"
		       "kenes verify --dump DIR. No personal data is exported.\n");
		return wants_help(argc, argv) ? 0 : 2;
	}
	const struct kn_key *k = kn_key_installation();
	struct kn_db *db = open_migrated();
	if (!db)
		return 1;
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = kn_now()};
	char err[512];
	int n = 0;
	enum kn_err rc = kn_export_write(&x, k, argv[1], &n, err, sizeof(err));
	if (rc)
		fprintf(stderr, "kenes: export failed: %s\n", err);
	else
		printf("kenes: %d files written to %s%s\n", n, argv[1],
		       k ? "" : " (no installation key: the manifest is not signed; run kenes keygen)");
	kn_db_release(c);
	kn_arena_free(a);
	kn_db_close(db);
	return rc ? 1 : 0;
}

int kn_cmd_outbox(int argc, char **argv)
{
	if (wants_help(argc, argv) || argc != 3 || strcmp(argv[1], "run") || strcmp(argv[2], "--once")) {
		printf("usage: kenes outbox run --once [--db URL]\n\n"
		       "Turns new events into Telegram and webhook messages and delivers every\n"
		       "message that is due, each channel in order, then exits (for cron and\n"
		       "tests). kenes serve does this continuously in the background.\n");
		return wants_help(argc, argv) ? 0 : 2;
	}
	struct kn_db *db = open_migrated();
	if (!db)
		return 1;
	kn_i18n_load(kn_cli_locale_dir());
	int sent = 0;
	int64_t wait = -1;
	enum kn_err rc = kn_outbox_pass(db, kn_view_telegram, kn_jobs_base_url(), kn_now, NULL, &sent, &wait);
	if (rc)
		fprintf(stderr, "kenes: outbox failed: %s\n", kn_err_str(rc));
	else if (wait >= 0)
		printf("kenes: %d message(s) delivered; more are due in %lld s\n", sent, (long long)wait);
	else
		printf("kenes: %d message(s) delivered; nothing pending\n", sent);
	kn_db_close(db);
	kn_i18n_free();
	return rc ? 1 : 0;
}
