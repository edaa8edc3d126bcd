/* consultation.h: public consultations of a council: a question, statements
 * written by participants (up to 280 characters) and moderated by the
 * council's secretary, votes agree / disagree / pass given one statement at a
 * time (chosen by the opinion engine's priorities), the vote writer that
 * batches votes from many requests into one durable transaction (group
 * commit), the background analysis (opinion groups, representative and
 * consensus statements), and the Pol.is export format in and out.
 *
 * Public record: creating, closing and importing a consultation and every
 * moderation decision are events (kind "consultation"); single votes are
 * not (they would flood the log): the votes are published as open data in
 * the Pol.is export, with per-consultation participant numbers only. */
#ifndef KN_CONSULTATION_H
#define KN_CONSULTATION_H
#include "domain/domain.h"

struct kn_db;
struct kn_council;
struct kn_opinion_result;

#define KN_STATEMENT_MAX 280 /* bytes of a statement written by a participant */

struct kn_consultation {
	int64_t id, council_id, proposal_id, group_id;
	const char *council_slug, *timezone;
	const char *question, *description, *opens_on, *closes_on, *who, *source;
	const char *group_slug, *group_name, *proposal_title; /* read only, may be NULL */
	int64_t opens_at, closes_at, seed, revision, created_at;
	bool statements_open, closed, illustrative;
	/* counts (read only) */
	int n_accepted, n_pending, n_participants;
	int64_t n_votes;
};

/* Open for votes and statements at now. */
bool kn_consultation_is_open(const struct kn_consultation *c, int64_t now);

/* What a secretary gives to create one. seeds: seed statements, one per line. */
struct kn_consultation_in {
	const char *question, *description, *opens_on, *closes_on, *who, *proposal, *group, *seeds, *source;
	bool statements_open, illustrative;
};

struct kn_statement {
	int64_t id;
	int number;
	const char *body, *moderation; /* pending, accepted, rejected */
	bool is_meta, is_seed;
	int author;    /* author's participant number, -1 for the council */
	int64_t created_at_ms;
	int n_agree, n_disagree, n_pass; /* latest vote of each participant */
};

enum kn_err kn_consultation_list(struct kn_ctx *x, int64_t council_id, struct kn_consultation **out, int *n);
/* limit of them from offset, the latest opened first; total (if not NULL): how many in all. */
enum kn_err kn_consultation_page(struct kn_ctx *x, int64_t council_id, int offset, int limit,
                                 struct kn_consultation **out, int *n, int *total);
/* By id within a council (council_id 0: any council). */
enum kn_err kn_consultation_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_consultation **out);
/* Only what a vote needs (id, council, who, dates, seed), in one query by
 * the council's slug or id: the fast path of votes. Text fields are "". */
enum kn_err kn_consultation_rules(struct kn_ctx *x, const char *council_key, int64_t id, struct kn_consultation **out);
/* Validates and creates it with its seed statements (accepted), and its event. */
enum kn_err kn_consultation_create(struct kn_ctx *x, const struct kn_council *council,
                                   const struct kn_consultation_in *in, int64_t *id);
/* Closes it now (votes and statements refused from now on). */
enum kn_err kn_consultation_close(struct kn_ctx *x, const struct kn_consultation *c);
/* Its statements, by number; moderation NULL: all. With vote counts. */
enum kn_err kn_consultation_statements(struct kn_ctx *x, int64_t cid, const char *moderation,
                                       struct kn_statement **out, int *n);
/* The same without vote counts (cheap), by number. */
enum kn_err kn_consultation_texts(struct kn_ctx *x, int64_t cid, struct kn_statement **out, int *n);

/* The participant of an account (user_id) or of a browser (browser: the
 * hash of its cookie, kn_consultation_browser_hash). create: make one when
 * there is none (its own small transaction when x is not in one).
 * KN_ENOTFOUND when there is none and create is false. */
enum kn_err kn_consultation_participant(struct kn_ctx *x, int64_t cid, int64_t user_id, const char *browser,
                                        bool create, int64_t *pid);
/* The stored form of a per-browser id (a hex hash; the cookie itself is
 * never stored). NULL when the cookie is malformed. */
const char *kn_consultation_browser_hash(struct kn_arena *a, const char *cookie);
/* A new random per-browser id (43 characters, URL-safe). */
const char *kn_consultation_browser_new(struct kn_arena *a);

/* A participant's statement (pending until moderated); staff statements are
 * accepted at once. *number: its number. */
enum kn_err kn_statement_add(struct kn_ctx *x, const struct kn_consultation *c, int64_t participant_id,
                             const char *body, bool by_staff, int *number);
/* The secretary's decision on statement number: accept, reject or meta
 * (accepted as a remark about the process: shown, left out of the map). */
enum kn_err kn_statement_moderate(struct kn_ctx *x, const struct kn_consultation *c, int number,
                                  const char *action);

/* The next statement for a participant: a weighted random choice among the
 * accepted statements they have not voted on, weights = the latest
 * analysis's priorities (kn_consult_priorities), deterministic for
 * (consultation seed, participant, number of votes given). *out NULL when
 * none is left; *left: how many remain. */
enum kn_err kn_consultation_next(struct kn_ctx *x, const struct kn_consultation *c, int64_t participant_id,
                                 struct kn_statement **out, int *left);
/* The weighted choice itself: index in [0, n) with probability w[i]/sum
 * (non-positive weights never chosen unless all are), from seed. */
size_t kn_consultation_pick(const double *w, size_t n, uint64_t seed);
/* The routing seed of one choice. */
uint64_t kn_consultation_choice_seed(int64_t consultation_seed, int64_t participant_id, int64_t votes_given);

/* ---- votes (consult_votes.c) ------------------------------------------- */

enum kn_vote_outcome {
	KN_VOTE_SAVED = 0,    /* committed (new or changed: the latest wins) */
	KN_VOTE_DUPLICATE,    /* the same value as the participant's latest vote */
	KN_VOTE_NO_STATEMENT, /* no statement with that number */
	KN_VOTE_NOT_VOTABLE,  /* pending or rejected statement */
	KN_VOTE_CLOSED,       /* the consultation is not open */
	KN_VOTE_FAILED,       /* the database failed: nothing was saved */
};
struct kn_vote {
	int64_t consultation_id, participant_id;
	int64_t statement; /* statement number */
	int value;         /* 1 agree, -1 disagree, 0 pass */
	int64_t now;       /* the request's time, unix seconds (0: the clock) */
	int64_t at_ms;     /* time given, ms (0: now) */
	enum kn_vote_outcome outcome;
	int64_t id;        /* the stored vote's id */
};
/* Validates the value: "agree"/"disagree"/"pass" or "1"/"-1"/"0". -2 when bad. */
int kn_vote_value(const char *s);

/* Casts one vote and returns once it is committed (synchronous=FULL) or
 * refused: through the vote writer when it runs (votes of concurrent
 * requests share one transaction), else in its own transaction.
 * KN_OK with v->outcome saying what happened; KN_EDB on a database failure. */
enum kn_err kn_vote_cast(struct kn_db *db, struct kn_vote *v);
/* The same without waiting: when the vote writer runs, queues v (which
 * must stay alive until done is called) and returns true; done(arg, rc)
 * is called from the writer thread once the batch has committed. Returns
 * false (nothing queued) when the writer does not run: use kn_vote_cast. */
bool kn_vote_cast_async(struct kn_db *db, struct kn_vote *v, void (*done)(void *arg, enum kn_err rc), void *arg);
/* Writes n votes in the connection's open transaction (the caller commits);
 * each gets its outcome. Refusals are not errors; KN_EDB is. A vote
 * without its own now is checked against now_default. */
enum kn_err kn_vote_write(struct kn_conn *c, struct kn_arena *a, struct kn_vote *v, int n, int64_t now_default);
/* The vote writer thread: one per process. max_batch: votes per transaction. */
void kn_vote_writer_start(struct kn_db *db, int max_batch);
void kn_vote_writer_stop(void);
/* Counters: transactions committed and votes written by the writer. */
void kn_vote_writer_stats(uint64_t *batches, uint64_t *votes);

/* ---- background analysis (consult_live.c) ------------------------------ */

/* Starts the vote writer and the analysis thread (kenes serve: one call):
 * a consultation with new votes or moderation is recomputed at most every
 * interval_ms, from the previous update's state; votes are kept in memory
 * and reloaded from the table after a restart. */
void kn_consult_start(struct kn_db *db, int interval_ms);
/* Stops both (pending votes are written first). */
void kn_consult_stop(void);
/* Marks a consultation as watched/changed (its analysis runs soon). */
void kn_consult_touch(int64_t cid);
/* Runs the analysis of one consultation now, in the caller's thread (CLI,
 * tests, and the first view after a restart when no thread runs). */
enum kn_err kn_consult_refresh(struct kn_db *db, int64_t cid);
/* Calls fn with the latest result (NULL when none yet) under the
 * consultation's lock; *computed_at: when it was computed (0 none). */
void kn_consult_with_result(int64_t cid, void (*fn)(const struct kn_opinion_result *r, int64_t computed_at,
                                                    void *arg),
                            void *arg);
/* Priorities of statement ids (the latest analysis; statements it has not
 * seen yet get the priority of a statement without votes). */
void kn_consult_priorities(int64_t cid, const int64_t *statement_ids, const bool *is_meta, size_t n, double *out);

/* ---- Pol.is export format (consult_polis.c) ----------------------------- */

struct kn_polis_file {
	const char *name, *data;
	size_t len;
};
/* The five files of a Pol.is export (comments.csv, votes.csv,
 * participants-votes.csv, summary.csv, stats-history.csv), built from the
 * stored votes with a fresh (cold) analysis for group-id and
 * group-informed-consensus. base_url: for summary.csv's url (may be ""). */
enum kn_err kn_consultation_export(struct kn_ctx *x, const struct kn_consultation *c, const char *base_url,
                                   struct kn_polis_file **out, int *n);
/* Imports a Pol.is export (comments.csv, votes.csv and optional
 * summary.csv as text) into a new consultation of the council. Bad CSV is
 * refused with the file and line (kn_ferr_add on field "file"); nothing is
 * written then. question: NULL takes summary.csv's topic. */
enum kn_err kn_consultation_import(struct kn_ctx *x, const struct kn_council *council, const char *question,
                                   const char *comments, size_t comments_len, const char *votes, size_t votes_len,
                                   const char *summary, size_t summary_len, int64_t *id);

/* The demo consultation of the NCPT (demo_consultation.c). */
enum kn_err kn_demo_consultation(struct kn_ctx *x, int64_t council_id);

#endif
