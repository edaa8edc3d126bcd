/* sqlite_insert.c: the baseline of the write benchmarks: a plain C loop doing,
 * per write, the SQL that one `POST /api/v1/agencies` (agency) or one
 * `POST /api/v1/councils/ncpt/appeals` (appeal) does in Kenes, on a database
 * made by `kenes migrate` (and `kenes demo` for appeal: its council, filer and
 * secretary), with the same pragmas as src/store/sqlite.c.
 *
 * usage: sqlite_insert DB SECONDS FULL|NORMAL same|insert [agency|appeal [MAX_WRITES]]
 *   same    per write: UPDATE api_tokens (autocommit, as the bearer check does),
 *           then BEGIN IMMEDIATE; INSERT agencies; the audit rows; COMMIT
 *           (two durable commits, as the server does them)
 *   insert  per write: BEGIN IMMEDIATE; INSERT agencies; the audit rows; COMMIT
 *           (one commit: the rows alone)
 * The audit rows follow the schema: with an `events` table (the hash-chained
 * event log) UPDATE event_head ... RETURNING, INSERT events, UPDATE event_head
 * SET hash (the hash is a stand-in: hashing is not storage cost); without it,
 * INSERT record_history. An appeal's rows, as the server writes them in one
 * transaction: the two rate counters (account, address), the council's
 * yearly counter, the appeal, its event, and the two notifications (the
 * filer's and the council secretary's).
 * Prints: SQLITE mode=... sync=... writes=N seconds=S wps=W
 * Bounded: stops after SECONDS or MAX_WRITES (default 10,000,000) writes. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "sqlite_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
	return 1;
}

/* exec: runs constant SQL (no input in it) through a prepared statement */
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

static int step_done(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : fail(db, what);
}

int main(int argc, char **argv)
{
	if (argc < 5 || (strcmp(argv[3], "FULL") && strcmp(argv[3], "NORMAL")) ||
	    (strcmp(argv[4], "same") && strcmp(argv[4], "insert"))) {
		fprintf(stderr, "usage: sqlite_insert DB SECONDS FULL|NORMAL same|insert [agency|appeal [MAX_WRITES]]\n");
		return 2;
	}
	char *end;
	double secs = strtod(argv[2], &end);
	if (*end || secs <= 0 || secs > 600) {
		fprintf(stderr, "sqlite_insert: SECONDS must be in (0, 600]\n");
		return 2;
	}
	int appeal = argc > 5 && !strcmp(argv[5], "appeal");
	if (argc > 5 && !appeal && strcmp(argv[5], "agency")) {
		fprintf(stderr, "sqlite_insert: the write is agency or appeal\n");
		return 2;
	}
	long long max = 10000000;
	if (argc > 6) {
		max = strtoll(argv[6], &end, 10);
		if (*end || max <= 0) {
			fprintf(stderr, "sqlite_insert: bad MAX_WRITES\n");
			return 2;
		}
	}
	int same = !strcmp(argv[4], "same");

	sqlite3 *db = NULL;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return fail(db, "open");
	sqlite3_busy_timeout(db, 10000);
	if (exec(db, "PRAGMA journal_mode=WAL") || exec(db, "PRAGMA foreign_keys=ON") ||
	    exec(db, !strcmp(argv[3], "FULL") ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"))
		return 1;
	/* an account and a token for the bearer check to touch, as in the server */
	if (exec(db, "INSERT OR IGNORE INTO users (login, display_name, password_hash, is_operator, created_at, "
	             "password_changed_at) VALUES ('bench-c', 'bench', 'x', 1, 0, 0)") ||
	    exec(db, "INSERT OR IGNORE INTO api_tokens (user_id, name, token_hash, prefix, created_at) "
	             "VALUES ((SELECT id FROM users WHERE login = 'bench-c'), 'bench', 'bench-c-hash', 'kn_benc', 0)"))
		return 1;

	sqlite3_stmt *probe;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'", -1, &probe,
	                       NULL) != SQLITE_OK)
		return fail(db, "schema probe");
	int chain = sqlite3_step(probe) == SQLITE_ROW;
	sqlite3_finalize(probe);
	if (appeal && !chain)
		return fail(db, "appeals need the event log's schema");

	sqlite3_stmt *tok, *ins, *hist, *begin, *commit, *head = NULL, *head_hash = NULL;
	if (sqlite3_prepare_v2(db,
	                       "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL "
	                       "RETURNING user_id",
	                       -1, &tok, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "INSERT INTO agencies (slug, name_en, name_ru, name_kk, kind, parent_id, website, "
	                       "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
	                       -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       chain ? "INSERT INTO events (seq, at, actor_user_id, actor_role, actor_name, council_id, "
	                               "agency_id, record_kind, record_id, action, change, prev_hash, hash) "
	                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
	                             : "INSERT INTO record_history (at, actor_user_id, actor_name, record_kind, record_id, "
	                               "action, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	                       -1, &hist, NULL) != SQLITE_OK ||
	    (chain && sqlite3_prepare_v2(db, "UPDATE event_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash", -1,
	                                 &head, NULL) != SQLITE_OK) ||
	    (chain && sqlite3_prepare_v2(db, "UPDATE event_head SET hash = $1 WHERE id = 1", -1, &head_hash, NULL) !=
	                  SQLITE_OK) ||
	    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) != SQLITE_OK)
		return fail(db, "prepare");

	/* the appeal's statements (appeal mode; the demo's council 'ncpt', its
	 * citizen as the filer, its secretary notified) */
	sqlite3_stmt *rate = NULL, *counter = NULL, *app = NULL, *note = NULL;
	sqlite3_int64 council = 0, filer = 0, secretary = 0;
	if (appeal) {
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(db,
		                       "SELECT (SELECT id FROM councils WHERE slug = 'ncpt'), (SELECT id FROM users WHERE login = "
		                       "'citizen'), (SELECT user_id FROM roles r JOIN councils c ON c.id = r.council_id WHERE "
		                       "c.slug = 'ncpt' AND r.role = 'secretary' LIMIT 1)",
		                       -1, &q, NULL) != SQLITE_OK ||
		    sqlite3_step(q) != SQLITE_ROW)
			return fail(db, "the demo's council and users (run kenes demo first)");
		council = sqlite3_column_int64(q, 0);
		filer = sqlite3_column_int64(q, 1);
		secretary = sqlite3_column_int64(q, 2);
		sqlite3_finalize(q);
		if (!council || !filer || !secretary)
			return fail(db, "the demo's council, citizen and secretary");
		if (sqlite3_prepare_v2(db,
		                       "INSERT INTO rate_counters (key, window_start, count) VALUES ($1, $2, 1) ON CONFLICT "
		                       "(key, window_start) DO UPDATE SET count = rate_counters.count + 1 RETURNING count",
		                       -1, &rate, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db,
		                       "INSERT INTO appeal_counters (council_id, year, last) VALUES ($1, $2, 1) ON CONFLICT "
		                       "(council_id, year) DO UPDATE SET last = appeal_counters.last + 1 RETURNING last",
		                       -1, &counter, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db,
		                       "INSERT INTO appeals (council_id, reference, year, number, filer_id, subject, body, "
		                       "category, urgency, affected, scale, concerns, visibility, state, filed_at, updated_at) "
		                       "VALUES ($1, $2, $3, $4, $5, $6, $7, 'other', 'normal', '', 'group', '', 'public', "
		                       "'submitted', $8, $8) RETURNING id",
		                       -1, &app, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(db,
		                       "INSERT INTO notifications (user_id, appeal_id, kind, body, link, created_at) VALUES "
		                       "($1, $2, $3, $4, $5, $6)",
		                       -1, &note, NULL) != SQLITE_OK)
			return fail(db, "prepare (appeal)");
	}

	char slug[64], name[96], prev[80], hash[80], change[512], ref[64], link[128];
	long long n = 0;
	double t0 = now_s();
	while (n < max && now_s() - t0 < secs) {
		sqlite3_int64 at = (sqlite3_int64)time(NULL);
		if (same) {
			sqlite3_bind_text(tok, 1, "bench-c-hash", -1, SQLITE_STATIC);
			sqlite3_bind_int64(tok, 2, at);
			if (step_done(db, tok, "token update"))
				return 1;
		}
		if (step_done(db, begin, "begin"))
			return 1;
		sqlite3_int64 id;
		const char *kind, *action, *role;
		if (appeal) {
			long long year = 1970 + at / 31556952;
			const char *keys[] = {"appeal:user:bench", "appeal:ip:127.0.0.1"};
			for (int k = 0; k < 2; k++) {
				sqlite3_bind_text(rate, 1, keys[k], -1, SQLITE_STATIC);
				sqlite3_bind_int64(rate, 2, at - at % 3600);
				if (step_done(db, rate, "rate counter"))
					return 1;
			}
			sqlite3_bind_int64(counter, 1, council);
			sqlite3_bind_int64(counter, 2, year);
			if (sqlite3_step(counter) != SQLITE_ROW)
				return fail(db, "appeal counter");
			sqlite3_int64 number = sqlite3_column_int64(counter, 0);
			if (step_done(db, counter, "appeal counter"))
				return 1;
			snprintf(ref, sizeof(ref), "NCPT-%lld-%06lld", year, (long long)number);
			snprintf(name, sizeof(name), "Bench appeal %lld: street lights out", n);
			sqlite3_bind_int64(app, 1, council);
			sqlite3_bind_text(app, 2, ref, -1, SQLITE_STATIC);
			sqlite3_bind_int64(app, 3, year);
			sqlite3_bind_int64(app, 4, number);
			sqlite3_bind_int64(app, 5, filer);
			sqlite3_bind_text(app, 6, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(app, 7,
			                  "The street lights on Abay avenue have been out for three weeks; it is dangerous at night.",
			                  -1, SQLITE_STATIC);
			sqlite3_bind_int64(app, 8, at);
			if (sqlite3_step(app) != SQLITE_ROW)
				return fail(db, "insert appeal");
			id = sqlite3_column_int64(app, 0);
			if (step_done(db, app, "insert appeal"))
				return 1;
			snprintf(change, sizeof(change),
			         "{\"category\":[null,\"other\"],\"reference\":[null,\"%s\"],\"scale\":[null,\"group\"],"
			         "\"state\":[null,\"submitted\"],\"subject\":[null,\"%s\"],\"urgency\":[null,\"normal\"],"
			         "\"visibility\":[null,\"public\"]}",
			         ref, name);
			kind = "appeal", action = "filed", role = "filer";
		} else {
			snprintf(slug, sizeof(slug), "c-%s-%s-%lld", argv[4], argv[3], n);
			snprintf(name, sizeof(name), "Bench agency %s", slug);
			sqlite3_bind_text(ins, 1, slug, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 3, "", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 4, "", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 5, "other", -1, SQLITE_STATIC);
			sqlite3_bind_null(ins, 6);
			sqlite3_bind_text(ins, 7, "", -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 8, at);
			if (sqlite3_step(ins) != SQLITE_ROW)
				return fail(db, "insert agency");
			id = sqlite3_column_int64(ins, 0);
			if (step_done(db, ins, "insert agency"))
				return 1;
			snprintf(change, sizeof(change),
			         "{\"kind\":\"other\",\"name_en\":\"%s\",\"parent_id\":null,\"slug\":\"%s\",\"website\":\"\"}",
			         name, slug);
			kind = "agency", action = "created", role = "operator";
		}
		if (chain) {
			if (sqlite3_step(head) != SQLITE_ROW)
				return fail(db, "event head");
			sqlite3_int64 seq = sqlite3_column_int64(head, 0);
			snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(head, 1));
			if (step_done(db, head, "event head"))
				return 1;
			snprintf(hash, sizeof(hash), "%064lld", n + 1); /* stand-in for the SHA-256 */
			sqlite3_bind_int64(hist, 1, seq);
			sqlite3_bind_int64(hist, 2, at);
			sqlite3_bind_int64(hist, 3, appeal ? filer : 1);
			sqlite3_bind_text(hist, 4, role, -1, SQLITE_STATIC);
			sqlite3_bind_text(hist, 5, "bench", -1, SQLITE_STATIC);
			if (appeal)
				sqlite3_bind_int64(hist, 6, council);
			else
				sqlite3_bind_null(hist, 6);
			if (appeal)
				sqlite3_bind_null(hist, 7);
			else
				sqlite3_bind_int64(hist, 7, id);
			sqlite3_bind_text(hist, 8, kind, -1, SQLITE_STATIC);
			sqlite3_bind_int64(hist, 9, id);
			sqlite3_bind_text(hist, 10, action, -1, SQLITE_STATIC);
			sqlite3_bind_text(hist, 11, change, -1, SQLITE_STATIC);
			sqlite3_bind_text(hist, 12, prev, -1, SQLITE_STATIC);
			sqlite3_bind_text(hist, 13, hash, -1, SQLITE_STATIC);
			if (step_done(db, hist, "insert event"))
				return 1;
			sqlite3_bind_text(head_hash, 1, hash, -1, SQLITE_STATIC);
			if (step_done(db, head_hash, "event head hash"))
				return 1;
		} else {
			sqlite3_bind_int64(hist, 1, at);
			sqlite3_bind_int64(hist, 2, 1);
			sqlite3_bind_text(hist, 3, "bench", -1, SQLITE_STATIC);
			sqlite3_bind_text(hist, 4, "agency", -1, SQLITE_STATIC);
			sqlite3_bind_int64(hist, 5, id);
			sqlite3_bind_text(hist, 6, "created", -1, SQLITE_STATIC);
			sqlite3_bind_text(hist, 7, name, -1, SQLITE_STATIC);
			if (step_done(db, hist, "insert history"))
				return 1;
		}
		if (appeal) {
			snprintf(link, sizeof(link), "/councils/ncpt/appeals/%s", ref);
			const sqlite3_int64 who[] = {filer, secretary};
			const char *what[] = {"filed", "new_appeal"};
			for (int k = 0; k < 2; k++) {
				sqlite3_bind_int64(note, 1, who[k]);
				sqlite3_bind_int64(note, 2, id);
				sqlite3_bind_text(note, 3, what[k], -1, SQLITE_STATIC);
				sqlite3_bind_text(note, 4, ref, -1, SQLITE_STATIC);
				sqlite3_bind_text(note, 5, link, -1, SQLITE_STATIC);
				sqlite3_bind_int64(note, 6, at);
				if (step_done(db, note, "notification"))
					return 1;
			}
		}
		if (step_done(db, commit, "commit"))
			return 1;
		n++;
	}
	double el = now_s() - t0;
	printf("SQLITE write=%s mode=%s sync=%s audit=%s writes=%lld seconds=%.3f wps=%.1f\n", appeal ? "appeal" : "agency",
	       argv[4], argv[3], chain ? "events" : "record_history", n, el, el > 0 ? (double)n / el : 0.0);
	sqlite3_finalize(tok);
	sqlite3_finalize(ins);
	sqlite3_finalize(hist);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_finalize(head);
	sqlite3_finalize(head_hash);
	sqlite3_finalize(rate);
	sqlite3_finalize(counter);
	sqlite3_finalize(app);
	sqlite3_finalize(note);
	return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
