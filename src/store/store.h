/* store.h: the storage contract. One interface, two backends (SQLite and
 * PostgreSQL). SQL is written once, in portable SQL with $1..$n
 * placeholders, and passed as a string literal: kn_sql() refuses anything
 * else at compile time, so no SQL is ever built from strings. */
#ifndef KN_STORE_H
#define KN_STORE_H
#include "core/kn.h"

struct kn_arena;
struct kn_db;   /* a pool of connections to one database */
struct kn_conn; /* one connection, used by one thread at a time */

enum kn_db_kind { KN_DB_SQLITE, KN_DB_PG };

enum kn_param_type { KN_P_NULL, KN_P_INT, KN_P_TEXT, KN_P_BLOB };
struct kn_param {
	enum kn_param_type t;
	int64_t i;
	const char *s;
	size_t n; /* KN_P_BLOB: length of s */
};
#define KN_INT(x) ((struct kn_param){.t = KN_P_INT, .i = (int64_t)(x)})
/* A NULL string binds SQL NULL. */
#define KN_TEXT(x) kn_param_text(x)
#define KN_NULL ((struct kn_param){.t = KN_P_NULL})
/* Bytes for a @BLOB@ column (may contain NULs). Read them back as hex:
 * hex(col) on SQLite, encode(col, 'hex') on PostgreSQL. */
#define KN_BLOB(p, len) ((struct kn_param){.t = KN_P_BLOB, .s = (const char *)(p), .n = (size_t)(len)})
static inline struct kn_param kn_param_text(const char *s)
{
	struct kn_param p = {.t = s ? KN_P_TEXT : KN_P_NULL, .s = s};
	return p;
}

/* Query results, all values as text (NULL for SQL NULL), in the caller's
 * arena. */
struct kn_rows {
	int n, cols;
	char **v; /* n * cols */
};

/* One row as the backend hands it over (kn_sql_each): cols cells as text
 * (NULL for SQL NULL), len[j] the length of v[j]. They are the backend's
 * own memory, valid only until the callback returns. Read them with
 * kn_cell_s and kn_cell_i, not through v: a backend that has integers as
 * integers (SQLite) gives them in num, where is_num[j] is set, and v[j]
 * is NULL until kn_cell_s writes its digits, NUL after them, into
 * digits[j] (v and len are then the backend's writable arrays). num is
 * NULL where every cell is text (PostgreSQL, a kept row). */
struct kn_cells {
	int cols;
	const char *const *v;
	const size_t *len;
	const int64_t *num;
	const bool *is_num;
	char (*digits)[25];
};
/* Called for each row in turn; returns false to read no more of them. It
 * must not use the connection the rows come from. */
typedef bool (*kn_row_fn)(void *arg, const struct kn_cells *row);
const char *kn_cell_digits(const struct kn_cells *row, int col);
static inline const char *kn_cell_s(const struct kn_cells *row, int col)
{
	if (row->v[col] || !row->num || !row->is_num[col])
		return row->v[col];
	return kn_cell_digits(row, col);
}
int64_t kn_cell_text_i(const char *s); /* NULL -> 0 */
static inline int64_t kn_cell_i(const struct kn_cells *row, int col) /* NULL -> 0 */
{
	if (row->num && row->is_num[col])
		return row->num[col];
	return kn_cell_text_i(row->v[col]);
}
/* The row's texts copied into a, in one piece of it: v[0, cols) point to
 * the copies (NULL for NULL), which outlive the callback. */
void kn_cells_keep(struct kn_arena *a, const struct kn_cells *row, char **v);
/* The row kept so, and seen as cells again: for a record made from it that
 * outlives the callback. The texts outlive it; the lengths are the row's. */
struct kn_cells kn_cells_kept(struct kn_arena *a, const struct kn_cells *row);
static inline const char *kn_row_s(const struct kn_rows *r, int row, int col)
{
	return r->v[row * r->cols + col];
}
int64_t kn_row_i(const struct kn_rows *r, int row, int col); /* NULL -> 0 */

/* Opens a pool for url ("sqlite:PATH" or "postgres://..."), size
 * connections. On failure returns NULL and writes why into err. */
struct kn_db *kn_db_open(const char *url, int size, char *err, size_t errlen);
void kn_db_close(struct kn_db *db);
enum kn_db_kind kn_db_kind(const struct kn_db *db);
const char *kn_db_url_redacted(const struct kn_db *db);

/* Takes a connection from the pool, waiting if all are busy. Never NULL. */
struct kn_conn *kn_db_acquire(struct kn_db *db);
/* Returns it; an open transaction is rolled back first. */
void kn_db_release(struct kn_conn *c);
/* Reads until the release (or the first write) see one snapshot of the
 * database: a page is consistent, and SQLite opens its read transaction once
 * per request instead of once per query. A write in between ends it. */
void kn_db_snapshot(struct kn_conn *c);

/* Runs one statement. out may be NULL when no rows are wanted. Errors:
 * KN_ECONFLICT for a unique violation, KN_EINVAL for a foreign key or check
 * violation, KN_EDB otherwise (the message is logged and kept in
 * kn_conn_errmsg). */
KN_MUST_USE enum kn_err kn_db_query_(struct kn_conn *c, struct kn_arena *a, const char *sql,
                                     struct kn_rows **out, int np, const struct kn_param *p);
#define kn_sql(c, a, out, SQL, ...)                                                          \
	kn_db_query_((c), (a), "" SQL "", (out),                                              \
	             (int)(sizeof((struct kn_param[]){__VA_ARGS__}) / sizeof(struct kn_param)), \
	             (struct kn_param[]){__VA_ARGS__})
#define kn_sql0(c, a, out, SQL) kn_db_query_((c), (a), "" SQL "", (out), 0, NULL)
/* Runs one statement and hands its rows to fn one at a time as they are
 * read, without copying them (a list written straight into an answer):
 * errors as kn_sql's; an error met after some rows were handed over is
 * still returned, so whatever fn built from them is to be dropped. */
KN_MUST_USE enum kn_err kn_db_each_(struct kn_conn *c, struct kn_arena *a, const char *sql, kn_row_fn fn, void *arg,
                                    int np, const struct kn_param *p);
#define kn_sql_each(c, a, fn, arg, SQL, ...)                                                 \
	kn_db_each_((c), (a), "" SQL "", (fn), (arg),                                         \
	            (int)(sizeof((struct kn_param[]){__VA_ARGS__}) / sizeof(struct kn_param)), \
	            (struct kn_param[]){__VA_ARGS__})
/* Runs a statement answering one number (a COUNT): *n is it, 0 without a row. */
KN_MUST_USE enum kn_err kn_db_count_(struct kn_conn *c, struct kn_arena *a, const char *sql, int *n, int np,
                                     const struct kn_param *p);
#define kn_count(c, a, n, SQL, ...)                                                          \
	kn_db_count_((c), (a), "" SQL "", (n),                                                \
	             (int)(sizeof((struct kn_param[]){__VA_ARGS__}) / sizeof(struct kn_param)), \
	             (struct kn_param[]){__VA_ARGS__})
#define kn_count0(c, a, n, SQL) kn_db_count_((c), (a), "" SQL "", (n), 0, NULL)
/* A LIMIT parameter where limit 0 means no limit (the largest both
 * backends take). */
#define KN_LIMIT(n) KN_INT((n) > 0 ? (int64_t)(n) : INT64_MAX)

KN_MUST_USE enum kn_err kn_db_begin(struct kn_conn *c);
KN_MUST_USE enum kn_err kn_db_commit(struct kn_conn *c);
void kn_db_rollback(struct kn_conn *c);
bool kn_db_in_tx(const struct kn_conn *c);
/* A read-only transaction whose reads all see one snapshot, ended by
 * kn_db_rollback; writers go on meanwhile (a long export does not hold
 * them back as kn_db_begin's transaction would). */
enum kn_err kn_db_begin_read(struct kn_conn *c);
const char *kn_conn_errmsg(const struct kn_conn *c);
enum kn_db_kind kn_conn_kind(const struct kn_conn *c);

/* What changed when, per table (tables.c). Every statement's tables are
 * known from its text: a committed transaction (or a write outside one)
 * marks the tables it wrote with a new generation. A connection collects
 * the tables its reads touched since it was acquired (kn_conn_reads), so
 * whatever was rendered from them at generation g is current while
 * kn_tables_unchanged_since(reads, g) holds. */
uint64_t kn_db_generation(void);
bool kn_tables_unchanged_since(uint64_t tables, uint64_t generation);
uint64_t kn_conn_reads(const struct kn_conn *c);
/* The event log's appends by this process: noted per transaction, counted
 * when it commits. The page cache compares them with the log's head to tell
 * this process's writes from another's (kenes CLI commands). */
void kn_db_event_appended(struct kn_conn *c);
/* *n: the events this process committed; false while a commit holding
 * events is under way (its events may be in the log before they are in *n). */
bool kn_db_events_committed(uint64_t *n);
/* Marks every table changed (another process wrote: seen through a shared marker). */
void kn_db_generation_bump(void);
/* The tables a statement reads and writes, as bits. */
void kn_sql_tables(const char *sql, uint64_t *reads, uint64_t *writes);

/* Applies the numbered migrations not yet applied; *applied gets how many. */
enum kn_err kn_db_migrate(struct kn_db *db, int *applied, char *err, size_t errlen);
/* Highest applied migration number, and how many the binary knows. */
int kn_db_schema_version(struct kn_db *db);
int kn_db_migrations_known(void);

/* Online, consistent copy of a SQLite database to dest (backup API). */
enum kn_err kn_db_backup(struct kn_db *db, const char *dest, char *err, size_t errlen);

/* Time spent in the database, for /metrics. */
struct kn_db_stats {
	uint64_t queries, errors;
	double seconds;
	int pool_size, pool_busy;
};
void kn_db_stats(struct kn_db *db, struct kn_db_stats *out);

#endif
