/* driver.h: what each backend implements; private to src/store. */
#ifndef KN_STORE_DRIVER_H
#define KN_STORE_DRIVER_H
#include "store/store.h"
#include <pthread.h>

struct kn_driver {
	enum kn_db_kind kind;
	/* opens one connection; returns the backend handle or NULL (err set) */
	void *(*connect)(const char *target, char *err, size_t errlen);
	void (*disconnect)(void *h);
	/* runs one statement, handing each row to fn (NULL: rows not wanted)
	 * as it is read; *cols: the statement's columns, rows or none */
	enum kn_err (*query)(struct kn_conn *c, struct kn_arena *a, const char *sql, int np, const struct kn_param *p,
	                     kn_row_fn fn, void *arg, int *cols);
	/* runs a script of several statements (migrations only) */
	enum kn_err (*script)(struct kn_conn *c, const char *sql);
	const char *begin_sql;
	/* ends the read snapshot a connection holds (NULL: the backend takes none) */
	void (*end_read)(struct kn_conn *c);
	/* the identity primary key and blob types used in migrations */
	const char *id_type, *blob_type;
};

struct kn_conn {
	struct kn_db *db;
	void *h;
	bool in_tx, broken;
	bool read_tx; /* in_tx by kn_db_begin_read: no write lock held */
	/* a read snapshot: asked for by kn_db_snapshot, taken at the next read
	 * (SQLite), ended by a write, a transaction or the release */
	bool snapshot, in_read;
	uint64_t reads, writes; /* tables read since acquired; written in the open transaction */
	int pending_events;     /* events appended in the open transaction */
	char errmsg[512];
	void *cache; /* backend statement cache */
	struct kn_conn *next_free;
};

struct kn_db {
	const struct kn_driver *drv;
	char *target;   /* path or conninfo */
	char *redacted; /* url without password */
	struct kn_conn *conns;
	struct kn_conn *free_list;
	int size, busy;
	pthread_mutex_t mu;
	pthread_mutex_t write_mu; /* SQLite: one write transaction at a time */
	pthread_cond_t cv;
	_Atomic uint64_t queries, errors, nanos; /* for /metrics, without a lock */
};

extern const struct kn_driver kn_driver_sqlite;
extern const struct kn_driver kn_driver_pg;

/* tables.c: marks the tables in mask changed */
void kn_tables_changed(uint64_t mask);
void kn_conn_seterr(struct kn_conn *c, const char *fmt, ...) KN_PRINTF(2, 3);
/* SQLite's backup, implemented in the sqlite driver. */
enum kn_err kn_sqlite_backup(void *h, const char *dest, char *err, size_t errlen);

#endif
