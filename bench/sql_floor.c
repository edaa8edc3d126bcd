/* sql_floor.c: the floor under a cold render of the API list: SQLite alone
 * running, per request, the statements that one cold
 * `GET /api/v1/councils/SLUG/assignments?limit=LIMIT` runs in Kenes, in one
 * read transaction as the server's snapshot does:
 *   BEGIN; the council (src/domain/registry.c, kn_council_get); its kept
 *   count (src/domain/assignment.c, kn_assignment_page, unfiltered); the
 *   first LIMIT rows of its list (the same, all the API's columns); the
 *   names of the agencies the council gave assignments to (src/domain/
 *   registry.c, kn_council_agencies); COMMIT.
 * The statements are copied from those functions and must follow them.
 * Every cell of every row is read the way src/store/sqlite.c reads it
 * (sqlite3_column_value, its type, then its integer or its text and length),
 * nothing is copied, formatted or sent: what is left is SQLite's own cost.
 * The connection is opened as the server opens its own (NOMUTEX, WAL, the
 * same pragmas, statements prepared once).
 *
 * usage: sql_floor DB COUNCIL_SLUG LIMIT SECONDS
 * Prints: FLOOR rows=R us_per_request=U requests=N
 *   R: rows read per request (the list's LIMIT rows plus the other reads);
 *   U: CPU µs per request (the process's CPU clock over the requests).
 * One thread: the figure is CPU per request, not throughput. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const sql[] = {
    "BEGIN",
    "SELECT c.id, c.slug, c.name_en, c.name_ru, c.name_kk, c.description, c.chair_person_id, p.full_name, "
    "c.founded_on, c.dissolved_on, c.succeeded_by, s.slug, s.name_en, c.seats, c.timezone, c.created_at, "
    "c.updated_at FROM councils c LEFT JOIN persons p ON p.id = c.chair_person_id LEFT JOIN councils s ON "
    "s.id = c.succeeded_by WHERE c.slug = :slug",
    "SELECT assignments FROM council_counts WHERE council_id = :council",
    "SELECT a.id, a.agency_id, a.title, a.deadline, a.state, a.completed_on, a.issued_on, a.original_deadline, "
    "a.illustrative, a.proposal_id, a.meeting_id FROM assignments a WHERE a.council_id = :council "
    "ORDER BY a.deadline, a.id LIMIT :limit OFFSET 0",
    "SELECT g.id, g.slug, g.name_en, g.name_ru, g.name_kk FROM council_agencies ca JOIN agencies g ON g.id = "
    "ca.agency_id WHERE ca.council_id = :council",
    "COMMIT",
};
#define NSQL (int)(sizeof(sql) / sizeof(sql[0]))

static volatile long long sink; /* keeps the reads from being optimised away */

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: sql_floor DB COUNCIL_SLUG LIMIT SECONDS\n");
		return 2;
	}
	char *end1, *end2;
	long limit = strtol(argv[3], &end1, 10);
	double secs = strtod(argv[4], &end2);
	if (*end1 || *end2 || limit < 1 || limit > 100000 || secs <= 0 || secs > 600) {
		fprintf(stderr, "sql_floor: LIMIT must be 1 to 100000 and SECONDS in (0, 600]\n");
		return 2;
	}
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3 *db;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fprintf(stderr, "sql_floor: cannot open %s\n", argv[1]);
		return 1;
	}
	const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";
	sqlite3_stmt *st[NSQL];
	if (sqlite3_exec(db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	/* the council's id, as the server has it after reading the council */
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT id FROM councils WHERE slug = ?1", -1, &q, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(q, 1, argv[2], -1, SQLITE_STATIC);
	int qrc = sqlite3_step(q);
	if (qrc != SQLITE_ROW) {
		if (qrc == SQLITE_DONE)
			fprintf(stderr, "sql_floor: no council %s\n", argv[2]);
		else
			fprintf(stderr, "sql_floor: %s\n", sqlite3_errmsg(db));
		sqlite3_finalize(q);
		sqlite3_close(db);
		return 1;
	}
	sqlite3_int64 council = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	/* the parameters as Kenes binds them: the council by its slug, then by
	 * its id; the list's limit */
	for (int i = 0; i < NSQL; i++) {
		if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st[i], NULL) != SQLITE_OK)
			goto fail;
		int k;
		if ((k = sqlite3_bind_parameter_index(st[i], ":slug")))
			sqlite3_bind_text(st[i], k, argv[2], -1, SQLITE_STATIC);
		if ((k = sqlite3_bind_parameter_index(st[i], ":council")))
			sqlite3_bind_int64(st[i], k, council);
		if ((k = sqlite3_bind_parameter_index(st[i], ":limit")))
			sqlite3_bind_int64(st[i], k, limit);
	}
	long long rows = 0, acc = 0, requests = 0;
	double wall0 = clock_s(CLOCK_MONOTONIC), cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	while (clock_s(CLOCK_MONOTONIC) - wall0 < secs) {
		for (int i = 0; i < NSQL; i++) {
			int rc;
			while ((rc = sqlite3_step(st[i])) == SQLITE_ROW) {
				rows++;
				int n = sqlite3_column_count(st[i]);
				for (int j = 0; j < n; j++) {
					sqlite3_value *v = sqlite3_column_value(st[i], j);
					int t = sqlite3_value_type(v);
					if (t == SQLITE_INTEGER)
						acc += sqlite3_value_int64(v);
					else if (t != SQLITE_NULL) {
						const unsigned char *s = sqlite3_value_text(v);
						acc += sqlite3_value_bytes(v) + (s ? s[0] : 0);
					}
				}
			}
			sqlite3_reset(st[i]);
			if (rc != SQLITE_DONE)
				goto fail;
		}
		requests++;
	}
	double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	sink = acc;
	printf("FLOOR rows=%lld us_per_request=%.1f requests=%lld\n", requests ? rows / requests : 0,
	       requests ? cpu * 1e6 / (double)requests : 0.0, requests);
	for (int i = 0; i < NSQL; i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(db);
	return 0;
fail:
	fprintf(stderr, "sql_floor: %s\n", sqlite3_errmsg(db));
	sqlite3_close(db);
	return 1;
}
