/* polis_csv.h: strict RFC-4180 CSV reader and loader for Pol.is export folders. */
#ifndef KN_OPINION_POLIS_CSV_H
#define KN_OPINION_POLIS_CSV_H
#include <stddef.h>
#include <stdint.h>

#include "opinion/opinion.h"

#define KN_OPINION_CSV_MAX_FIELD 65536	/* bytes in one field */
#define KN_OPINION_CSV_MAX_FIELDS 100000 /* fields in one record */

/* A reader over a memory buffer (not copied: it must outlive the reader).
 * After kn_opinion_csv_next returns 1, fields[0..nfields-1] are
 * NUL-terminated strings owned by the reader, valid until the next call;
 * line is the 1-based line where the record started. */
struct kn_opinion_csv {
	const char *buf;
	size_t len, pos;
	long line, next_line;
	char *data;
	size_t data_len, data_cap;
	size_t *offs;
	char **fields;
	size_t nfields, fcap;
};

void kn_opinion_csv_init(struct kn_opinion_csv *c, const char *buf, size_t len);
/* 1: a record was read; 0: end of input; -1: error (message in err,
 * naming the line). Empty lines are skipped. */
int kn_opinion_csv_next(struct kn_opinion_csv *c, char *err, size_t errlen);
void kn_opinion_csv_free(struct kn_opinion_csv *c);

/* Strict integer parse of a whole string; 0 ok, -1 bad. */
int kn_opinion_parse_i64(const char *s, int64_t *out);

/* Parses votes.csv text (columns by header name: timestamp, comment-id,
 * voter-id, vote). *out is malloc'd (caller frees). 0 ok, -1 error with a
 * message naming the line. */
int kn_opinion_polis_parse_votes(const char *buf, size_t len, struct kn_opinion_vote **out,
				 size_t *n, char *err, size_t errlen);

/* Parses comments.csv text (comment-id, moderated; optional is-meta and
 * comment-body). *st and *bodies (array of n malloc'd strings; may be NULL
 * pointers for missing bodies) are malloc'd; free with
 * kn_opinion_polis_free_bodies and free(). */
int kn_opinion_polis_parse_comments(const char *buf, size_t len,
				    struct kn_opinion_statement **st, char ***bodies, size_t *n,
				    char *err, size_t errlen);
void kn_opinion_polis_free_bodies(char **bodies, size_t n);

/* A loaded export folder; everything owned, free with kn_opinion_polis_free. */
struct kn_opinion_polis {
	struct kn_opinion_vote *votes;
	size_t n_votes;
	struct kn_opinion_statement *statements;
	char **bodies; /* parallel to statements */
	size_t n_statements;
};

/* Loads DIR/votes.csv and DIR/comments.csv (comments.csv optional).
 * 0 ok, -1 error (message names file and line). */
int kn_opinion_polis_load(const char *dir, struct kn_opinion_polis *out, char *err,
			  size_t errlen);
void kn_opinion_polis_free(struct kn_opinion_polis *p);

/* Reads a whole file into a malloc'd, NUL-terminated buffer. 0 ok, -1 error. */
int kn_opinion_read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen);

#endif
