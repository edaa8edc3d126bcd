/* domain.h: what every domain function takes and how it reports bad input.
 * Domain functions speak in domain words, call the store, and never know
 * whether they serve a web page, the API or the CLI. */
#ifndef KN_DOMAIN_H
#define KN_DOMAIN_H
#include "core/kn.h"

struct kn_arena;
struct kn_conn;

/* One problem with the input: field (NULL for the whole request) and an
 * untranslated message id (translated by whoever shows it). */
struct kn_ferr {
	const char *field, *msg;
	struct kn_ferr *next;
};

/* The actor: who is doing this (0 / NULL for the system or the CLI). */
struct kn_ctx {
	struct kn_arena *a;
	struct kn_conn *c;
	int64_t now;
	int64_t actor_id;
	const char *actor_name; /* public name shown in the event log */
	const char *actor_role; /* role acted in: operator, chair, secretary, member, officer, citizen, system */
	struct kn_ferr *errs; /* appended by validation */
};

void kn_ferr_add(struct kn_ctx *x, const char *field, const char *msg);
/* Trims a user-supplied string in place (arena copy); NULL stays NULL. */
const char *kn_trim(struct kn_ctx *x, const char *s);
/* Checks a required text field: present, at most max bytes, valid UTF-8,
 * no control characters (newlines allowed when multiline). Adds an error
 * and returns false otherwise. */
bool kn_check_text(struct kn_ctx *x, const char *field, const char *v, size_t max, bool required, bool multiline);
/* Checks "YYYY-MM-DD" (a real date). Empty/NULL is fine unless required. */
bool kn_check_date(struct kn_ctx *x, const char *field, const char *v, bool required);
/* A slug: 1-64 of [a-z0-9-], not starting with a digit-only value. */
bool kn_check_slug(struct kn_ctx *x, const char *field, const char *v);
bool kn_utf8_valid(const char *s, size_t n);
/* Parses a positive id; 0 when not a number. */
int64_t kn_parse_id(const char *s);
/* A search of a registry read whole: the rows of r whose text columns cols
 * (ncols of them) hold, between them, a word starting with each word of q,
 * case and script aside (kn_utf8_fold, kn_fold_words_in). *total counts
 * them; the rows returned are those from offset, at most limit, sharing r's
 * cells. With whole_first, when some rows have a column that is q's words
 * whole ("Ministry of Finance"), those rows alone match, not the longer
 * names holding the words ("State Revenue Committee of the Ministry of
 * Finance"): what a pick by name wants, not a search. */
#define KN_SEARCH_MAX 200 /* bytes of a search */
struct kn_rows;
struct kn_rows *kn_rows_matching(struct kn_ctx *x, const struct kn_rows *r, const int *cols, int ncols, const char *q,
                                 bool whole_first, int offset, int limit, int *total);

#endif
