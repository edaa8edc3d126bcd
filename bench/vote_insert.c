/* vote_insert.c: the baseline of the vote benchmark: a plain C loop
 * inserting the same rows the server writes for a vote (one row in
 * consultation_votes, plain INSERT, no checks) on a database made by `kenes
 * migrate`, with the server's pragmas (WAL, synchronous=FULL, foreign keys).
 *
 * usage: vote_insert DB SECONDS BATCH [STATEMENTS]
 *   BATCH 1: one commit per vote (what a server without group commit does)
 *   BATCH N: N votes per commit (group commit without any HTTP)
 * It creates one council, consultation, STATEMENTS (100) statements and one
 * participant per STATEMENTS votes, as the HTTP run does.
 * Prints: VOTES batch=N votes=V seconds=S vps=R */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "vote_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
	return 1;
}

/* runs constant SQL (no input in it) */
static int exec(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, sql);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(db, sql);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: vote_insert DB SECONDS BATCH [STATEMENTS]\n");
		return 2;
	}
	double secs = strtod(argv[2], NULL);
	long batch = strtol(argv[3], NULL, 10), nst = argc > 4 ? strtol(argv[4], NULL, 10) : 100;
	if (secs <= 0 || batch < 1 || nst < 1)
		return 2;
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return fail(db, "open");
	sqlite3_busy_timeout(db, 10000);
	if (exec(db, "PRAGMA journal_mode=WAL") || exec(db, "PRAGMA synchronous=FULL") || exec(db, "PRAGMA foreign_keys=ON"))
		return 1;
	if (exec(db, "BEGIN") ||
	    exec(db, "INSERT INTO councils (slug, name_en, timezone, created_at, updated_at) VALUES ('b', 'B', 'Asia/Almaty', 0, 0)") ||
	    exec(db, "INSERT INTO consultations (council_id, question, opens_on, closes_on, opens_at, closes_at, who, seed, "
	             "created_at, updated_at) VALUES (1, 'Bench', '2020-01-01', '2099-12-31', 0, 4102444800, 'anyone', 1, 0, 0)"))
		return 1;
	sqlite3_stmt *ins_s, *ins_p, *ins_v;
	if (sqlite3_prepare_v2(db, "INSERT INTO consultation_statements (consultation_id, number, body, moderation, "
	                           "created_at_ms) VALUES (1, ?1, 'Bench statement', 'accepted', 0)", -1, &ins_s, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO consultation_participants (consultation_id, number, browser, created_at) "
	                           "VALUES (1, ?1, ?2, 0)", -1, &ins_p, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO consultation_votes (consultation_id, statement_id, participant_id, value, "
	                           "at_ms) VALUES (1, ?1, ?2, ?3, ?4)", -1, &ins_v, NULL))
		return fail(db, "prepare");
	for (long i = 0; i < nst; i++) {
		sqlite3_bind_int64(ins_s, 1, i);
		if (sqlite3_step(ins_s) != SQLITE_DONE)
			return fail(db, "insert statement");
		sqlite3_reset(ins_s);
	}
	if (exec(db, "COMMIT"))
		return 1;
	long votes = 0, participant = 0;
	double t0 = now_s(), t = t0;
	while (t - t0 < secs) {
		if (exec(db, "BEGIN IMMEDIATE"))
			return 1;
		for (long k = 0; k < batch; k++, votes++) {
			if (votes % nst == 0) {
				char key[40];
				snprintf(key, sizeof(key), "bench%ld", participant);
				sqlite3_bind_int64(ins_p, 1, participant++);
				sqlite3_bind_text(ins_p, 2, key, -1, SQLITE_TRANSIENT);
				if (sqlite3_step(ins_p) != SQLITE_DONE)
					return fail(db, "insert participant");
				sqlite3_reset(ins_p);
			}
			sqlite3_bind_int64(ins_v, 1, votes % nst + 1);
			sqlite3_bind_int64(ins_v, 2, participant);
			sqlite3_bind_int64(ins_v, 3, votes % 3 - 1);
			sqlite3_bind_int64(ins_v, 4, (sqlite3_int64)(t * 1000));
			if (sqlite3_step(ins_v) != SQLITE_DONE)
				return fail(db, "insert vote");
			sqlite3_reset(ins_v);
		}
		if (exec(db, "COMMIT"))
			return 1;
		t = now_s();
	}
	printf("VOTES batch=%ld votes=%ld seconds=%.3f vps=%.1f\n", batch, votes, t - t0, votes / (t - t0));
	sqlite3_finalize(ins_s);
	sqlite3_finalize(ins_p);
	sqlite3_finalize(ins_v);
	sqlite3_close(db);
	return 0;
}
