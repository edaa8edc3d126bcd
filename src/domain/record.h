/* record.h: the public record around the event log: the table of record
 * kinds (what a kind's public row is), the installation's signing key,
 * signed checkpoints, whole-record verification (chain, checkpoints,
 * replay of every record against its row; live or from an export), and the
 * open-data export. The event log itself is event.h. */
#ifndef KN_RECORD_H
#define KN_RECORD_H
#include "domain/event.h"
#include <sodium.h>
#include <stdio.h>

struct kn_rows;

/* ---- record kinds (record_kinds.c: one line per kind) ---------------------- */

/* A record kind: its rows as (id, title, page path, council id, public
 * columns...). Columns are SQL "t.col" names; the field name is the part
 * after the dot, the same name the kind's events use in their changes. */
struct kn_kind {
	const char *kind;  /* record_kind in events, e.g. "council" */
	const char *from;  /* "councils t": its table (first word) and joins */
	const char *cols;  /* "t.slug, t.name_en, ..." */
	const char *doc;   /* "col|type|description\n..." for the README */
	/* all rows, ordered by id: id, title, path, council_id, cols... */
	enum kn_err (*load_all)(struct kn_ctx *x, struct kn_rows **out);
	/* the rows that leave the installation (export): same columns */
	enum kn_err (*load_public)(struct kn_ctx *x, struct kn_rows **out);
	/* one row by id (0 or 1 row): same columns */
	enum kn_err (*load_one)(struct kn_ctx *x, int64_t id, struct kn_rows **out);
};
extern const struct kn_kind kn_kinds[];
extern const int kn_nkinds;
#define KN_KIND_FIXED 4 /* id, title, path, council_id come before the columns */
const struct kn_kind *kn_kind_find(const char *kind);
/* The field names of a kind's columns (arena array, *n of them). */
/* The kind's table name (the first word of from): the open-data file name. */
const char *kn_kind_table(struct kn_arena *a, const struct kn_kind *k);
const char **kn_kind_fields(struct kn_arena *a, const struct kn_kind *k, int *n);
/* A record's title and page path ("/councils/ncpt"; the generic
 * "/records/KIND/ID" when the kind has no page of its own). Title falls
 * back to "KIND #ID". Never fails: unknown records get the fallbacks. */
void kn_record_label(struct kn_ctx *x, const char *kind, int64_t id, const char **title, const char **path);

/* ---- feeds (feed.c) -------------------------------------------------------- */

enum kn_feed_scope { KN_FEED_COUNCIL, KN_FEED_AGENCY, KN_FEED_GROUP, KN_FEED_RECORD };
/* The latest events of a council, agency, working group (the group, its
 * proposals and meetings) or record (kind, id), newest first. */
enum kn_err kn_feed_events(struct kn_ctx *x, enum kn_feed_scope scope, const char *kind, int64_t id, int limit,
                           struct kn_event_row **out, int *n);
/* The time of the first event (0: none): the date in feeds' tag: ids. */
enum kn_err kn_feed_first_day(struct kn_ctx *x, int64_t *at);
struct kn_feed_group {
	int64_t id;
	const char *slug, *name_en, *name_ru, *name_kk;
};
/* A council's working group by slug or id. */
enum kn_err kn_feed_group(struct kn_ctx *x, int64_t council_id, const char *key, struct kn_feed_group **out);
struct kn_feed_meeting {
	int64_t id, number, starts_at, updated_at, created_at;
	const char *kind, *title, *place, *status, *cancel_reason, *group_name;
	bool online;
};
/* A council's meetings, by start time. */
enum kn_err kn_feed_meetings(struct kn_ctx *x, int64_t council_id, struct kn_feed_meeting **out, int *n);

/* ---- the installation key ------------------------------------------------- */

struct kn_key {
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char pk_hex[2 * crypto_sign_PUBLICKEYBYTES + 1];
};
/* Creates a new key file (mode 0600); refuses to overwrite (KN_ECONFLICT). */
enum kn_err kn_key_generate(const char *path, struct kn_key *out, char *err, size_t errlen);
/* Reads a key file; KN_ENOTFOUND when there is none. */
enum kn_err kn_key_load(const char *path, struct kn_key *out, char *err, size_t errlen);
/* The installation key named by the key_file setting, loaded once; NULL
 * when there is none (checkpoints and signed manifests are then off). */
const struct kn_key *kn_key_installation(void);
/* The same where the key is optional (verifying: it only pins the key to
 * check signatures with): no warning when there is none. */
const struct kn_key *kn_key_installation_if_any(void);
/* Signs msg; writes 129 bytes of hex. */
void kn_key_sign_hex(const struct kn_key *k, const void *msg, size_t len, char sig_hex[129]);
/* Checks a hex signature against a hex public key. */
bool kn_sig_check_hex(const char *pk_hex, const void *msg, size_t len, const char *sig_hex);

/* ---- checkpoints ------------------------------------------------------------ */

struct kn_checkpoint {
	int64_t id, seq, at;
	const char *hash, *public_key, *signature;
};
/* The exact bytes a checkpoint signs (docs/events.md). */
const char *kn_checkpoint_message(struct kn_arena *a, int64_t seq, const char *hash, int64_t at);
/* Signs the current head when it moved since the last checkpoint and
 * either force is set, or at least every_events events were added, or the
 * last checkpoint is at least every_seconds old. *made: the new one's seq,
 * 0 when none was due. Runs in the caller's transaction. */
enum kn_err kn_checkpoint_maybe(struct kn_ctx *x, const struct kn_key *k, bool force, long every_events,
                                long every_seconds, int64_t *made);
enum kn_err kn_checkpoint_latest(struct kn_ctx *x, struct kn_checkpoint **out); /* NULL when none */
enum kn_err kn_checkpoint_list(struct kn_ctx *x, struct kn_checkpoint **out, int *n);

/* ---- verification ------------------------------------------------------------ */

/* What verification found. msg: the first problem, naming the event or
 * the record and field. */
struct kn_verify_report {
	int64_t events, checkpoints, records, head_seq;
	const char *head_hash;
	int64_t bad_seq;         /* first event that does not match, or 0 */
	const char *bad_kind;    /* record whose row differs from its events */
	int64_t bad_id;
	const char *bad_field;
	const char *key_used;    /* hex public key the signatures were checked with */
	bool key_pinned;         /* it came from the key file or --public-key */
	char msg[1024];
};
/* Verifies the live database: the chain, the head, every checkpoint's
 * signature and hash, and every record against its events. pk_hex: the
 * key to check signatures with (NULL: the installation key, else the one
 * recorded in the checkpoints). KN_ECONFLICT when something does not
 * match (rep->msg says what). */
enum kn_err kn_record_verify(struct kn_ctx *x, const char *pk_hex, struct kn_verify_report *rep);
/* The same from an export folder (kenes export DIR): also checks the
 * signed manifest and every file's digest. */
enum kn_err kn_record_verify_dump(struct kn_arena *a, const char *dir, const char *pk_hex,
                                  struct kn_verify_report *rep);
/* Reads one file of an export by name into a (NUL-terminated; *len its
 * size); NULL, with errno set, when there is no such file or it cannot be
 * read. */
typedef char *(*kn_export_read_fn)(void *ctx, struct kn_arena *a, const char *name, size_t *len);
/* The same from any reader; where names the export in messages. */
enum kn_err kn_record_verify_export(struct kn_arena *a, kn_export_read_fn read, void *ctx, const char *where,
                                    const char *pk_hex, struct kn_verify_report *rep);

/* ---- open data ------------------------------------------------------------------ */

/* One file of the export, in memory. */
struct kn_export_file {
	const char *name, *ctype, *description;
	const char *data;
	size_t len;
};
/* Builds the whole export (CSV and JSON per kind, events, checkpoints,
 * README, export.json, SHA256SUMS and, with a key, SHA256SUMS.sig and
 * public-key.txt). Deterministic for a given state of the log. */
enum kn_err kn_export_build(struct kn_ctx *x, const struct kn_key *k, struct kn_export_file **out, int *n);
/* Writes it into dir (created if missing; existing files replaced). */
enum kn_err kn_export_write(struct kn_ctx *x, const struct kn_key *k, const char *dir, int *nfiles, char *err,
                            size_t errlen);

#endif
