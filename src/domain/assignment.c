/* assignment.c: the chair's assignments to agencies: issue, co-executors,
 * reports with outcome indicators, extensions, acceptance; overdue / on
 * time / late computed at read time; an agency's scorecard. */
#include "core/arena.h"
#include "core/calendar.h"
#include "domain/event.h"
#include "domain/loop.h"
#include "domain/registry.h"
#include "store/store.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *const kn_assignment_states[] = {"issued", "in_progress", "reported", "completed",
                                            "returned", "withdrawn", NULL};

static const char *const open_states[] = {"issued", "in_progress", "reported", "returned", NULL};

#define ASSIGNMENT_COLS                                                                                         \
	"a.id, a.council_id, c.slug, c.timezone, a.agency_id, g.slug, g.name_en, a.proposal_id, p.title, "         \
	"a.meeting_id, m.kind, m.number, a.title, a.body, a.issued_on, a.original_deadline, a.deadline, a.state, " \
	"a.state_reason, a.completed_on, a.completed_at, a.illustrative, a.created_at, a.updated_at"
/* A row of a council's list: what the council list's index holds, so a
 * page of the list reads no table rows; read by list_rows. A page shows
 * the first six columns (BRIEF), the API all. */
#define ASSIGNMENT_BRIEF_COLS "a.id, a.agency_id, a.title, a.deadline, a.state, a.completed_on"
#define ASSIGNMENT_ROW_COLS ASSIGNMENT_BRIEF_COLS ", a.issued_on, a.original_deadline, a.illustrative, a.proposal_id, a.meeting_id"
#define ASSIGNMENT_FROM                                                                       \
	" FROM assignments a JOIN councils c ON c.id = a.council_id JOIN agencies g ON g.id = a.agency_id" \
	" LEFT JOIN proposals p ON p.id = a.proposal_id LEFT JOIN meetings m ON m.id = a.meeting_id"

void kn_assignment_timing(struct kn_assignment *a, const char *today)
{
	a->open = kn_loop_in(a->state, open_states);
	a->overdue = a->open && today && strcmp(today, a->deadline) > 0;
	a->timing = KN_TIMING_NONE;
	if (!strcmp(a->state, "completed") && a->completed_on)
		a->timing = strcmp(a->completed_on, a->deadline) <= 0 ? KN_TIMING_ON_TIME : KN_TIMING_LATE;
}

/* Today in a zone, remembered for the request: a list of 500 assignments
 * of one council asks 500 times. */
static const char *today_in(struct kn_ctx *x, const char *tz)
{
	static _Thread_local const struct kn_ctx *memo_x;
	static _Thread_local int64_t memo_now;
	static _Thread_local char memo_tz[64], memo_day[16];
	if (memo_x == x && memo_now == x->now && tz && !strcmp(memo_tz, tz))
		return kn_strdup(x->a, memo_day);
	const char *d = kn_loop_today(x, tz);
	if (tz && strlen(tz) < sizeof(memo_tz) && strlen(d) < sizeof(memo_day)) {
		memo_x = x;
		memo_now = x->now;
		memcpy(memo_tz, tz, strlen(tz) + 1);
		memcpy(memo_day, d, strlen(d) + 1);
	}
	return d;
}

static void assignment_row(struct kn_ctx *x, const struct kn_rows *r, int i, struct kn_assignment *a)
{
	a->id = kn_row_i(r, i, 0);
	a->council_id = kn_row_i(r, i, 1);
	a->council_slug = kn_row_s(r, i, 2);
	a->timezone = kn_row_s(r, i, 3);
	a->agency_id = kn_row_i(r, i, 4);
	a->agency_slug = kn_row_s(r, i, 5);
	a->agency_name = kn_row_s(r, i, 6);
	a->proposal_id = kn_row_i(r, i, 7);
	a->proposal_title = kn_row_s(r, i, 8);
	a->meeting_id = kn_row_i(r, i, 9);
	a->meeting_kind = kn_row_s(r, i, 10);
	a->meeting_number = (long)kn_row_i(r, i, 11);
	a->title = kn_row_s(r, i, 12);
	a->body = kn_row_s(r, i, 13);
	a->issued_on = kn_row_s(r, i, 14);
	a->original_deadline = kn_row_s(r, i, 15);
	a->deadline = kn_row_s(r, i, 16);
	a->state = kn_row_s(r, i, 17);
	a->state_reason = kn_row_s(r, i, 18);
	a->completed_on = kn_row_s(r, i, 19);
	a->completed_at = kn_row_i(r, i, 20);
	a->illustrative = kn_row_i(r, i, 21) != 0;
	a->created_at = kn_row_i(r, i, 22);
	a->updated_at = kn_row_i(r, i, 23);
	kn_assignment_timing(a, today_in(x, a->timezone));
}

/* A row of a council's list (ASSIGNMENT_BRIEF_COLS, or ROW_COLS when it
 * has more cells) as a record; its texts are the row's. */
static void list_row(const struct kn_council *c, const char *today, const struct kn_cells *row,
                     struct kn_assignment *a)
{
	a->id = kn_cell_i(row, 0);
	a->council_id = c->id;
	a->council_slug = c->slug;
	a->timezone = c->timezone;
	a->agency_id = kn_cell_i(row, 1);
	a->title = kn_cell_s(row, 2);
	a->body = "";
	a->state_reason = "";
	a->deadline = kn_cell_s(row, 3);
	a->state = kn_cell_s(row, 4);
	a->completed_on = kn_cell_s(row, 5);
	if (row->cols > 6) {
		a->issued_on = kn_cell_s(row, 6);
		a->original_deadline = kn_cell_s(row, 7);
		a->illustrative = kn_cell_i(row, 8) != 0;
		a->proposal_id = kn_cell_i(row, 9);
		a->meeting_id = kn_cell_i(row, 10);
	}
	kn_assignment_timing(a, today);
}

struct list_each {
	const struct kn_council *c;
	const char *today;
	kn_assignment_fn fn;
	void *arg;
};

static bool list_each_row(void *arg, const struct kn_cells *row)
{
	struct list_each *e = arg;
	struct kn_assignment a = {0};
	list_row(e->c, e->today, row, &a);
	return e->fn(e->arg, &a);
}

static enum kn_err assignment_rows(struct kn_ctx *x, struct kn_rows *r, bool only_overdue, struct kn_assignment **out,
                                   int *n)
{
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	int k = 0;
	for (int i = 0; i < r->n; i++) {
		assignment_row(x, r, i, &(*out)[k]);
		if (!only_overdue || (*out)[k].overdue)
			k++;
	}
	*n = k;
	return KN_OK;
}

/* The filter of a council's list, in SQL: $1 council, $2 agency, $3 with
 * co-executors, $4 state ("", "open" or one state), $5 only overdue, $6
 * today in the council's zone. */
#define COUNCIL_LIST_WHERE                                                                                      \
	" WHERE a.council_id = $1 AND ($2 = 0 OR a.agency_id = $2 OR ($3 = 1 AND a.id IN "                        \
	"(SELECT assignment_id FROM assignment_coexecutors WHERE agency_id = $2))) AND "                           \
	"($4 = '' OR a.state = $4 OR ($4 = 'open' AND a.state IN ('issued', 'in_progress', 'reported', "            \
	"'returned'))) AND ($5 = 0 OR (a.state IN ('issued', 'in_progress', 'reported', 'returned') AND "           \
	"a.deadline < $6))"

/* A page of council c's list: *total, then its rows to each_row (today:
 * the day in the council's zone, for the overdue filter) */
static enum kn_err list_page(struct kn_ctx *x, const struct kn_assignment_filter *f, const char *today, int offset,
                             int limit, kn_row_fn each_row, void *e, int *total)
{
	enum kn_err rc;
#define LIST_PARAMS                                                                                      \
	KN_INT(f->council_id), KN_INT(f->agency_id), KN_INT(f->with_coexec ? 1 : 0), KN_TEXT(f->state ? f->state : ""), \
	    KN_INT(f->overdue ? 1 : 0), KN_TEXT(today)
	/* unfiltered (what most visitors see): the total is the council's kept
	 * count, and the page walks the index without testing filters on rows */
	bool unfiltered = !f->agency_id && !(f->state && *f->state) && !f->overdue;
	if (unfiltered)
		rc = kn_count(x->c, x->a, total, "SELECT assignments FROM council_counts WHERE council_id = $1",
		              KN_INT(f->council_id));
	else
		rc = kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM assignments a" COUNCIL_LIST_WHERE, LIST_PARAMS);
	if (rc)
		return rc;
#define UNFILTERED " WHERE a.council_id = $1 ORDER BY a.deadline, a.id LIMIT $2 OFFSET $3"
#define FILTERED COUNCIL_LIST_WHERE " ORDER BY a.deadline, a.id LIMIT $7 OFFSET $8"
	if (unfiltered && f->brief)
		rc = kn_sql_each(x->c, x->a, each_row, e, "SELECT " ASSIGNMENT_BRIEF_COLS " FROM assignments a" UNFILTERED,
		                 KN_INT(f->council_id), KN_INT(limit), KN_INT(offset));
	else if (unfiltered)
		rc = kn_sql_each(x->c, x->a, each_row, e, "SELECT " ASSIGNMENT_ROW_COLS " FROM assignments a" UNFILTERED,
		                 KN_INT(f->council_id), KN_INT(limit), KN_INT(offset));
	else if (f->brief)
		rc = kn_sql_each(x->c, x->a, each_row, e, "SELECT " ASSIGNMENT_BRIEF_COLS " FROM assignments a" FILTERED,
		                 LIST_PARAMS, KN_INT(limit), KN_INT(offset));
	else
		rc = kn_sql_each(x->c, x->a, each_row, e, "SELECT " ASSIGNMENT_ROW_COLS " FROM assignments a" FILTERED,
		                 LIST_PARAMS, KN_INT(limit), KN_INT(offset));
#undef UNFILTERED
#undef FILTERED
#undef LIST_PARAMS
	return rc;
}

enum kn_err kn_assignment_each(struct kn_ctx *x, const struct kn_council *c, const struct kn_assignment_filter *f,
                               int offset, int limit, kn_assignment_fn fn, void *arg, int *total)
{
	struct list_each e = {.c = c, .today = today_in(x, c->timezone), .fn = fn, .arg = arg};
	return list_page(x, f, e.today, offset, limit, list_each_row, &e, total);
}

/* kn_assignment_page's records, kept: each row's texts copied out in one
 * piece of the arena */
struct list_keep {
	struct kn_arena *a;
	const struct kn_council *c;
	const char *today;
	struct kn_assignment *v;
	int n, cap;
};

static bool keep_listed(void *arg, const struct kn_cells *row)
{
	struct list_keep *k = arg;
	struct kn_cells kept = kn_cells_kept(k->a, row);
	k->v = kn_grow(k->a, k->v, k->n, &k->cap, sizeof(*k->v));
	k->v[k->n] = (struct kn_assignment){0};
	list_row(k->c, k->today, &kept, &k->v[k->n++]);
	return true;
}

enum kn_err kn_assignment_page(struct kn_ctx *x, const struct kn_council *c, const struct kn_assignment_filter *f,
                               int offset, int limit, struct kn_assignment **out, int *n, int *total)
{
	/* room for the page made at once (a page is at most 500), each record
	 * cleared as it is filled */
	struct list_keep k = {.a = x->a, .c = c, .today = today_in(x, c->timezone), .cap = limit > 0 && limit <= 500 ? limit : 0};
	k.v = k.cap ? kn_alloc(x->a, sizeof(*k.v) * (size_t)k.cap) : NULL;
	enum kn_err rc = list_page(x, f, k.today, offset, limit, keep_listed, &k, total);
	if (rc)
		return rc;
	*out = k.v ? k.v : kn_zalloc(x->a, sizeof(**out));
	*n = k.n;
	return KN_OK;
}

/* The filter of kn_assignment_list and kn_assignment_count, in SQL: $1
 * council, $2 agency, $3 with co-executors, $4 state ("", "open" or one
 * state), $5 meeting. */
#define LIST_WHERE                                                                                             \
	" WHERE ($1 = 0 OR a.council_id = $1) AND ($2 = 0 OR a.agency_id = $2 OR ($3 = 1 AND a.id IN "             \
	"(SELECT assignment_id FROM assignment_coexecutors WHERE agency_id = $2))) AND "                            \
	"($4 = '' OR a.state = $4 OR ($4 = 'open' AND a.state IN ('issued', 'in_progress', 'reported', "             \
	"'returned'))) AND ($5 = 0 OR a.meeting_id = $5)"
#define LIST_PARAMS                                                                                            \
	KN_INT(f->council_id), KN_INT(f->agency_id), KN_INT(f->with_coexec ? 1 : 0), KN_TEXT(f->state ? f->state : ""), \
	    KN_INT(f->meeting_id)

enum kn_err kn_assignment_list(struct kn_ctx *x, const struct kn_assignment_filter *f, struct kn_assignment **out,
                               int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " ASSIGNMENT_COLS ASSIGNMENT_FROM LIST_WHERE
	                        " ORDER BY a.deadline, a.id LIMIT $6 OFFSET $7",
	                        LIST_PARAMS, KN_LIMIT(f->limit), KN_INT(f->offset));
	return rc ? rc : assignment_rows(x, r, f->overdue, out, n);
}

enum kn_err kn_assignment_count(struct kn_ctx *x, const struct kn_assignment_filter *f, int *total)
{
	return kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM assignments a" LIST_WHERE, LIST_PARAMS);
}
#undef LIST_WHERE
#undef LIST_PARAMS

enum kn_err kn_assignment_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_assignment **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " ASSIGNMENT_COLS ASSIGNMENT_FROM " WHERE a.id = $1 AND ($2 = 0 OR a.council_id = $2)",
	                        KN_INT(id), KN_INT(council_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	assignment_row(x, r, 0, *out);
	return KN_OK;
}

enum kn_err kn_proposal_assignments(struct kn_ctx *x, int64_t proposal_id, struct kn_assignment **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " ASSIGNMENT_COLS ASSIGNMENT_FROM " WHERE a.proposal_id = $1 ORDER BY a.id",
	                        KN_INT(proposal_id));
	return rc ? rc : assignment_rows(x, r, false, out, n);
}

enum kn_err kn_assignment_coexecutors(struct kn_ctx *x, int64_t id, struct kn_agency_ref **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT g.id, g.slug, g.name_en FROM assignment_coexecutors e JOIN agencies g ON g.id = e.agency_id "
	                        "WHERE e.assignment_id = $1 ORDER BY g.name_en",
	                        KN_INT(id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		(*out)[i].id = kn_row_i(r, i, 0);
		(*out)[i].slug = kn_row_s(r, i, 1);
		(*out)[i].name = kn_row_s(r, i, 2);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_assignment_reports(struct kn_ctx *x, int64_t id, struct kn_report **out, int *n)
{
	struct kn_rows *r, *ir;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT t.id, t.agency_id, g.name_en, t.body, t.evidence, t.author_name, t.final, t.illustrative, "
	                        "t.created_at FROM reports t JOIN agencies g ON g.id = t.agency_id WHERE t.assignment_id = $1 "
	                        "ORDER BY t.created_at, t.id",
	                        KN_INT(id));
	if (rc)
		return rc;
	if ((rc = kn_sql(x->c, x->a, &ir,
	                 "SELECT i.report_id, i.name, i.unit, i.baseline, i.target, i.actual FROM indicators i "
	                 "JOIN reports t ON t.id = i.report_id WHERE t.assignment_id = $1 ORDER BY t.created_at, t.id, i.position",
	                 KN_INT(id))))
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_report *t = &(*out)[i];
		t->id = kn_row_i(r, i, 0);
		t->agency_id = kn_row_i(r, i, 1);
		t->agency_name = kn_row_s(r, i, 2);
		t->body = kn_row_s(r, i, 3);
		t->evidence = kn_row_s(r, i, 4);
		t->author_name = kn_row_s(r, i, 5);
		t->final = kn_row_i(r, i, 6) != 0;
		t->illustrative = kn_row_i(r, i, 7) != 0;
		t->created_at = kn_row_i(r, i, 8);
		t->ind = kn_zalloc(x->a, sizeof(*t->ind) * (size_t)(ir->n + 1));
		for (int k = 0; k < ir->n; k++) {
			if (kn_row_i(ir, k, 0) != t->id)
				continue;
			struct kn_indicator *d = &t->ind[t->nind++];
			d->name = kn_row_s(ir, k, 1);
			d->unit = kn_row_s(ir, k, 2);
			d->baseline = kn_row_s(ir, k, 3);
			d->target = kn_row_s(ir, k, 4);
			d->actual = kn_row_s(ir, k, 5);
		}
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_assignment_extensions(struct kn_ctx *x, int64_t id, struct kn_extension **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, reason, old_deadline, requested_deadline, state, decision_note, requested_at, decided_at "
	                        "FROM extensions WHERE assignment_id = $1 ORDER BY id",
	                        KN_INT(id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_extension *e = &(*out)[i];
		e->id = kn_row_i(r, i, 0);
		e->reason = kn_row_s(r, i, 1);
		e->old_deadline = kn_row_s(r, i, 2);
		e->requested_deadline = kn_row_s(r, i, 3);
		e->state = kn_row_s(r, i, 4);
		e->decision_note = kn_row_s(r, i, 5);
		e->requested_at = kn_row_i(r, i, 6);
		e->decided_at = kn_row_i(r, i, 7);
	}
	*n = r->n;
	return KN_OK;
}

/* ---- issue ------------------------------------------------------------------- */

/* Notes that council c has given an assignment to agency_id (the list's
 * agency filter offers the agencies noted). */
static enum kn_err council_agency(struct kn_ctx *x, int64_t council_id, int64_t agency_id)
{
	return kn_sql(x->c, x->a, NULL,
	              "INSERT INTO council_agencies (council_id, agency_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
	              KN_INT(council_id), KN_INT(agency_id));
}

enum kn_err kn_assignment_issue(struct kn_ctx *x, const struct kn_council *c, const struct kn_assignment *in,
                                int64_t *id)
{
	struct kn_assignment a = *in;
	a.title = kn_trim(x, a.title);
	a.issued_on = kn_trim(x, a.issued_on);
	a.deadline = kn_trim(x, a.deadline);
	kn_check_text(x, "title", a.title, 500, true, false);
	kn_check_text(x, "body", a.body, 50000, false, true);
	enum kn_err rc;
	struct kn_agency *g = NULL;
	if (!a.agency_key || !*a.agency_key)
		kn_ferr_add(x, "agency", "Choose the responsible agency.");
	else if ((rc = kn_agency_pick(x, "agency", kn_trim(x, a.agency_key), &g)) && rc != KN_EINVAL)
		return rc;
	/* co-executors: agency slugs or ids, separated by commas or spaces */
	int64_t co[32];
	const char *co_slugs[32];
	int nco = 0;
	if (a.coexecutors) {
		char *s = kn_strdup(x->a, a.coexecutors);
		for (char *p = s; *p;) {
			while (*p && (*p == ',' || isspace((unsigned char)*p)))
				p++;
			char *e = p;
			while (*e && *e != ',' && !isspace((unsigned char)*e))
				e++;
			if (e == p)
				break;
			char save = *e;
			*e = 0;
			struct kn_agency *cg;
			if ((rc = kn_agency_get(x, p, &cg)) == KN_ENOTFOUND) {
				kn_ferr_add(x, "coexecutors", "One of the co-executors is not a known agency.");
				break;
			} else if (rc) {
				return rc;
			}
			bool dup = g && cg->id == g->id;
			for (int i = 0; i < nco; i++)
				dup = dup || co[i] == cg->id;
			if (!dup) {
				if (nco == 32) {
					kn_ferr_add(x, "coexecutors", "At most 32 co-executors.");
					break;
				}
				co_slugs[nco] = cg->slug;
				co[nco++] = cg->id;
			}
			*e = save;
			p = e;
		}
	}
	struct kn_meeting *m = NULL;
	if (a.meeting_id) {
		rc = kn_meeting_get(x, c, a.meeting_id, &m);
		if (rc == KN_ENOTFOUND)
			kn_ferr_add(x, "meeting_id", "No such meeting in this council.");
		else if (rc)
			return rc;
		else if (!strcmp(m->status, "cancelled"))
			kn_ferr_add(x, "meeting_id", "That meeting was cancelled.");
	}
	if (a.proposal_id) {
		struct kn_proposal *p;
		rc = kn_proposal_get(x, c->id, a.proposal_id, &p);
		if (rc == KN_ENOTFOUND)
			kn_ferr_add(x, "proposal_id", "No such proposal in this council.");
		else if (rc)
			return rc;
		else if (strcmp(p->state, "accepted"))
			kn_ferr_add(x, "proposal_id", "An assignment follows from an accepted proposal.");
	}
	if (!a.issued_on || !*a.issued_on)
		a.issued_on = m ? m->date : kn_loop_today(x, c->timezone);
	bool iok = kn_check_date(x, "issued_on", a.issued_on, true);
	bool dok = kn_check_date(x, "deadline", a.deadline, true);
	if (iok && dok && strcmp(a.deadline, a.issued_on) < 0)
		kn_ferr_add(x, "deadline", "The deadline cannot be before the day the assignment is issued.");
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO assignments (council_id, agency_id, proposal_id, meeting_id, title, body, issued_on, "
	                 "original_deadline, deadline, state, illustrative, created_at, updated_at) "
	                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 'issued', $9, $10, $10) RETURNING id",
	                 KN_INT(c->id), KN_INT(g->id), a.proposal_id ? KN_INT(a.proposal_id) : KN_NULL,
	                 a.meeting_id ? KN_INT(a.meeting_id) : KN_NULL, KN_TEXT(a.title), KN_TEXT(a.body ? a.body : ""),
	                 KN_TEXT(a.issued_on), KN_TEXT(a.deadline), KN_INT(a.illustrative), KN_INT(x->now))))
		return rc;
	*id = kn_row_i(r, 0, 0);
	if ((rc = kn_sql(x->c, x->a, NULL,
	                 "INSERT INTO council_counts (council_id, assignments) VALUES ($1, 1) ON CONFLICT (council_id) "
	                 "DO UPDATE SET assignments = council_counts.assignments + 1",
	                 KN_INT(c->id))) ||
	    (rc = council_agency(x, c->id, g->id)))
		return rc;
	const char *cos = "";
	for (int i = 0; i < nco; i++) {
		if ((rc = kn_sql(x->c, x->a, NULL, "INSERT INTO assignment_coexecutors (assignment_id, agency_id) VALUES ($1, $2)",
		                 KN_INT(*id), KN_INT(co[i]))) ||
		    (rc = council_agency(x, c->id, co[i])))
			return rc;
		cos = kn_printf(x->a, "%s%s%s", cos, i ? ", " : "", co_slugs[i]);
	}
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "title", NULL, a.title);
	kn_change_str(ch, "body", NULL, a.body && *a.body ? a.body : NULL);
	kn_change_id(ch, "agency_id", 0, g->id);
	kn_change_str(ch, "coexecutors", NULL, nco ? cos : NULL); /* agency slugs; not a column of its own */
	kn_change_str(ch, "issued_on", NULL, a.issued_on);
	kn_change_str(ch, "original_deadline", NULL, a.deadline);
	kn_change_str(ch, "deadline", NULL, a.deadline);
	kn_change_id(ch, "proposal_id", 0, a.proposal_id);
	kn_change_id(ch, "meeting_id", 0, a.meeting_id);
	kn_change_str(ch, "state", NULL, "issued");
	if (a.illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	bool recorded = x->actor_role && !strcmp(x->actor_role, "secretary");
	return kn_event(x, "assignment", *id, recorded ? "recorded" : "issued", c->id, g->id, ch);
}

/* ---- the agency's side --------------------------------------------------------- */

/* The assignment as seen by an agency: 1 responsible, 2 co-executor; not
 * addressed to it: KN_ENOTFOUND. */
static enum kn_err for_agency(struct kn_ctx *x, int64_t id, int64_t agency_id, struct kn_assignment **a, int *how)
{
	enum kn_err rc = kn_assignment_get(x, 0, id, a);
	if (rc)
		return rc;
	if ((*a)->agency_id == agency_id || !agency_id) {
		*how = 1;
		return KN_OK;
	}
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT 1 FROM assignment_coexecutors WHERE assignment_id = $1 AND agency_id = $2",
	                 KN_INT(id), KN_INT(agency_id))))
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*how = 2;
	return KN_OK;
}

static enum kn_err move(struct kn_ctx *x, const struct kn_assignment *a, const char *to, const char *reason,
                        const char *action, struct kn_change *ch)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "UPDATE assignments SET state = $1, state_reason = $2, updated_at = $3 WHERE id = $4 AND state = $5 "
	                        "RETURNING id",
	                        KN_TEXT(to), KN_TEXT(reason ? reason : ""), KN_INT(x->now), KN_INT(a->id), KN_TEXT(a->state));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if (!ch)
		ch = kn_change_new(x);
	kn_change_str(ch, "state", a->state, to);
	kn_change_str(ch, "state_reason", a->state_reason && *a->state_reason ? a->state_reason : NULL,
	              reason && *reason ? reason : NULL);
	return kn_event(x, "assignment", a->id, action, a->council_id, a->agency_id, ch);
}

static enum kn_err refuse(struct kn_ctx *x, const char *field, const char *msg)
{
	kn_ferr_add(x, field, msg);
	return KN_EINVAL;
}

enum kn_err kn_assignment_start(struct kn_ctx *x, int64_t id, int64_t agency_id)
{
	struct kn_assignment *a;
	int how;
	enum kn_err rc = for_agency(x, id, agency_id, &a, &how);
	if (rc)
		return rc;
	if (how != 1)
		return KN_EPERM;
	if (strcmp(a->state, "issued") && strcmp(a->state, "returned"))
		return refuse(x, "state", "Only an issued or returned assignment can be taken into work.");
	return move(x, a, "in_progress", NULL, "in_progress", NULL);
}

/* "+129", "-3", "1250.5": a number as written, kept as text. */
static bool number_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 24)
		return false;
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	int digits = 0, dots = 0;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && digits && !dots)
			dots++;
		else
			return false;
	}
	return digits > 0 && p[-1] != '.';
}

enum kn_err kn_assignment_report(struct kn_ctx *x, int64_t id, int64_t agency_id, const char *body,
                                 const char *evidence, bool final, const struct kn_indicator *ind, int nind,
                                 int64_t *report_id)
{
	struct kn_assignment *a;
	int how;
	enum kn_err rc = for_agency(x, id, agency_id, &a, &how);
	if (rc)
		return rc;
	if (!a->open)
		return refuse(x, "state", "This assignment is closed; no more reports can be posted.");
	if (final && how != 1)
		return refuse(x, "final", "Only the responsible agency reports the assignment as done.");
	body = kn_trim(x, body);
	kn_check_text(x, "body", body, 20000, true, true);
	evidence = kn_trim(x, evidence);
	if (kn_check_text(x, "evidence", evidence, 5000, false, true) && evidence && *evidence) {
		char *ev = kn_strdup(x->a, evidence);
		int lines = 0;
		for (char *p = ev; *p;) {
			char *e = strchr(p, '\n');
			if (e)
				*e = 0;
			const char *l = kn_trim(x, p);
			if (*l) {
				lines++;
				if ((strncmp(l, "https://", 8) && strncmp(l, "http://", 7)) || strchr(l, ' ') || strlen(l) < 12) {
					kn_ferr_add(x, "evidence", "Give each piece of evidence as a web address starting with https://, one a line.");
					break;
				}
			}
			if (!e)
				break;
			p = e + 1;
		}
		if (lines > 20)
			kn_ferr_add(x, "evidence", "At most 20 evidence links.");
	}
	if (nind > 20)
		kn_ferr_add(x, "indicators", "At most 20 indicators in one report.");
	for (int i = 0; i < nind && i < 20; i++) {
		const struct kn_indicator *d = &ind[i];
		if (!kn_check_text(x, "indicators", d->name, 300, true, false))
			break;
		if (!kn_check_text(x, "indicators", d->unit, 60, false, false))
			break;
		if (!number_ok(d->actual)) {
			kn_ferr_add(x, "indicators", "Each indicator needs its actual value as a number, e.g. +129.");
			break;
		}
		if ((d->baseline && *d->baseline && !number_ok(d->baseline)) || (d->target && *d->target && !number_ok(d->target))) {
			kn_ferr_add(x, "indicators", "Baseline and target, when given, are numbers.");
			break;
		}
	}
	if (final && nind == 0 && (!evidence || !*evidence))
		kn_ferr_add(x, "final", "A report that the work is done needs outcome indicators or evidence.");
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO reports (assignment_id, agency_id, body, evidence, final, author_name, created_at) "
	                 "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	                 KN_INT(id), KN_INT(agency_id ? agency_id : a->agency_id), KN_TEXT(body),
	                 KN_TEXT(evidence ? evidence : ""), KN_INT(final), KN_TEXT(x->actor_name ? x->actor_name : ""),
	                 KN_INT(x->now))))
		return rc;
	*report_id = kn_row_i(r, 0, 0);
	const char *summary = NULL;
	for (int i = 0; i < nind; i++) {
		const struct kn_indicator *d = &ind[i];
		if ((rc = kn_sql(x->c, x->a, NULL,
		                 "INSERT INTO indicators (report_id, position, name, unit, baseline, target, actual) "
		                 "VALUES ($1, $2, $3, $4, $5, $6, $7)",
		                 KN_INT(*report_id), KN_INT(i + 1), KN_TEXT(d->name), KN_TEXT(d->unit ? d->unit : ""),
		                 KN_TEXT(d->baseline && *d->baseline ? d->baseline : NULL),
		                 KN_TEXT(d->target && *d->target ? d->target : NULL), KN_TEXT(d->actual))))
			return rc;
		summary = kn_printf(x->a, "%s%s%s: %s%s%s", summary ? summary : "", summary ? "; " : "", d->name, d->actual,
		                    d->unit && *d->unit ? " " : "", d->unit ? d->unit : "");
	}
	/* the report is a record of its own; the assignment gets an event
	 * when its state moves */
	int64_t by = agency_id ? agency_id : a->agency_id;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "assignment_id", 0, id);
	kn_change_id(ch, "agency_id", 0, by);
	kn_change_str(ch, "body", NULL, body);
	kn_change_str(ch, "evidence", NULL, evidence && *evidence ? evidence : NULL);
	kn_change_str(ch, "indicators", NULL, summary); /* summary of the indicators table */
	kn_change_int(ch, "final", 0, final ? 1 : 0);
	kn_change_str(ch, "author_name", NULL, x->actor_name && *x->actor_name ? x->actor_name : NULL);
	if ((rc = kn_event(x, "report", *report_id, final ? "filed_as_done" : "filed", a->council_id, by, ch)))
		return rc;
	const char *to = final ? "reported" : (!strcmp(a->state, "reported") ? "reported" : "in_progress");
	if (!strcmp(to, a->state))
		return KN_OK;
	ch = kn_change_new(x);
	kn_change_id(ch, "report_id", 0, *report_id);
	return move(x, a, to, NULL, final ? "reported_done" : "report", ch);
}

enum kn_err kn_assignment_ask_extension(struct kn_ctx *x, int64_t id, int64_t agency_id, const char *new_deadline,
                                        const char *reason, int64_t *ext_id)
{
	struct kn_assignment *a;
	int how;
	enum kn_err rc = for_agency(x, id, agency_id, &a, &how);
	if (rc)
		return rc;
	if (how != 1)
		return KN_EPERM;
	if (!a->open)
		return refuse(x, "state", "This assignment is closed; its deadline can no longer change.");
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT id FROM extensions WHERE assignment_id = $1 AND state = 'requested'",
	                 KN_INT(id))))
		return rc;
	if (r->n)
		return refuse(x, "state", "An extension request is already waiting for the chair's decision.");
	new_deadline = kn_trim(x, new_deadline);
	reason = kn_trim(x, reason);
	if (kn_check_date(x, "deadline", new_deadline, true) && strcmp(new_deadline, a->deadline) <= 0)
		kn_ferr_add(x, "deadline", "The new deadline must be later than the deadline in force.");
	kn_check_text(x, "reason", reason, 5000, true, true);
	if (x->errs)
		return KN_EINVAL;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO extensions (assignment_id, reason, old_deadline, requested_deadline, requested_at) "
	                 "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	                 KN_INT(id), KN_TEXT(reason), KN_TEXT(a->deadline), KN_TEXT(new_deadline), KN_INT(x->now))))
		return rc;
	*ext_id = kn_row_i(r, 0, 0);
	/* the request is a record of its own; the assignment changes when it
	 * is granted */
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "assignment_id", 0, id);
	kn_change_str(ch, "reason", NULL, reason);
	kn_change_str(ch, "old_deadline", NULL, a->deadline);
	kn_change_str(ch, "requested_deadline", NULL, new_deadline);
	kn_change_str(ch, "state", NULL, "requested");
	return kn_event(x, "extension", *ext_id, "requested", a->council_id, a->agency_id, ch);
}

/* ---- the chair's side ------------------------------------------------------------ */

enum kn_err kn_assignment_decide_extension(struct kn_ctx *x, const struct kn_council *c, int64_t id, int64_t ext_id,
                                           bool grant, const char *note)
{
	struct kn_assignment *a;
	enum kn_err rc = kn_assignment_get(x, c->id, id, &a);
	if (rc)
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "SELECT state, old_deadline, requested_deadline, reason FROM extensions WHERE id = $1 AND assignment_id = $2",
	                 KN_INT(ext_id), KN_INT(id))))
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	if (strcmp(kn_row_s(r, 0, 0), "requested"))
		return refuse(x, "state", "This extension request has already been decided.");
	note = kn_trim(x, note);
	if (!kn_check_text(x, "note", note, 5000, false, true))
		return KN_EINVAL;
	if (grant && !a->open)
		return refuse(x, "state", "This assignment is closed; its deadline can no longer change.");
	const char *old = kn_row_s(r, 0, 1), *want = kn_row_s(r, 0, 2);
	struct kn_rows *u;
	if ((rc = kn_sql(x->c, x->a, &u,
	                 "UPDATE extensions SET state = $1, decision_note = $2, decided_at = $3 WHERE id = $4 AND state = 'requested' "
	                 "RETURNING id",
	                 KN_TEXT(grant ? "granted" : "refused"), KN_TEXT(note ? note : ""), KN_INT(x->now), KN_INT(ext_id))))
		return rc;
	if (!u->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "state", "requested", grant ? "granted" : "refused");
	kn_change_str(ch, "decision_note", NULL, note && *note ? note : NULL);
	if ((rc = kn_event(x, "extension", ext_id, grant ? "granted" : "refused", c->id, a->agency_id, ch)))
		return rc;
	if (!grant)
		return KN_OK;
	/* granted: the assignment's deadline moves */
	if ((rc = kn_sql(x->c, x->a, &u,
	                 "UPDATE assignments SET deadline = $1, updated_at = $2 WHERE id = $3 AND deadline = $4 RETURNING id",
	                 KN_TEXT(want), KN_INT(x->now), KN_INT(id), KN_TEXT(old))))
		return rc;
	if (!u->n)
		return KN_ECONFLICT;
	ch = kn_change_new(x);
	kn_change_id(ch, "extension_id", 0, ext_id);
	kn_change_str(ch, "deadline", old, want);
	return kn_event(x, "assignment", id, "extension_granted", c->id, a->agency_id, ch);
}

enum kn_err kn_assignment_accept(struct kn_ctx *x, const struct kn_council *c, int64_t id)
{
	struct kn_assignment *a;
	enum kn_err rc = kn_assignment_get(x, c->id, id, &a);
	if (rc)
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT COUNT(*) FROM reports WHERE assignment_id = $1", KN_INT(id))))
		return rc;
	if (kn_row_i(r, 0, 0) == 0)
		return refuse(x, "state", "Completion cannot be accepted without a report from the agency.");
	if (strcmp(a->state, "reported"))
		return refuse(x, "state", "Completion is accepted once the agency reports the work as done.");
	const char *today = kn_loop_today(x, c->timezone);
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE assignments SET state = 'completed', completed_on = $1, completed_at = $2, state_reason = '', "
	                 "updated_at = $2 WHERE id = $3 AND state = 'reported' RETURNING id",
	                 KN_TEXT(today), KN_INT(x->now), KN_INT(id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "state", "reported", "completed");
	kn_change_str(ch, "completed_on", NULL, today);
	kn_change_str(ch, "state_reason", a->state_reason && *a->state_reason ? a->state_reason : NULL, NULL);
	/* computed from completed_on and deadline; said here for the reader, not a column */
	kn_change_str(ch, "timing", NULL, strcmp(today, a->deadline) <= 0 ? "on_time" : "late");
	return kn_event(x, "assignment", id, "completed", c->id, a->agency_id, ch);
}

enum kn_err kn_assignment_return(struct kn_ctx *x, const struct kn_council *c, int64_t id, const char *reason)
{
	struct kn_assignment *a;
	enum kn_err rc = kn_assignment_get(x, c->id, id, &a);
	if (rc)
		return rc;
	if (strcmp(a->state, "reported"))
		return refuse(x, "state", "Only an assignment reported as done can be returned for rework.");
	reason = kn_trim(x, reason);
	if (!kn_check_text(x, "reason", reason, 5000, true, true))
		return KN_EINVAL;
	return move(x, a, "returned", reason, "returned", NULL);
}

enum kn_err kn_assignment_withdraw(struct kn_ctx *x, const struct kn_council *c, int64_t id, const char *reason)
{
	struct kn_assignment *a;
	enum kn_err rc = kn_assignment_get(x, c->id, id, &a);
	if (rc)
		return rc;
	if (!a->open)
		return refuse(x, "state", "Only an open assignment can be withdrawn.");
	reason = kn_trim(x, reason);
	if (!kn_check_text(x, "reason", reason, 5000, true, true))
		return KN_EINVAL;
	return move(x, a, "withdrawn", reason, "withdrawn", NULL);
}

/* ---- scorecard ---------------------------------------------------------------------- */

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

enum kn_err kn_agency_scorecard(struct kn_ctx *x, int64_t agency_id, struct kn_scorecard *s)
{
	memset(s, 0, sizeof(*s));
	s->median_days = -1;
	struct kn_assignment_filter f = {.agency_id = agency_id};
	struct kn_assignment *a;
	int n;
	enum kn_err rc = kn_assignment_list(x, &f, &a, &n);
	if (rc)
		return rc;
	long *days = kn_zalloc(x->a, sizeof(long) * (size_t)(n + 1));
	int nd = 0;
	for (int i = 0; i < n; i++) {
		if (!strcmp(a[i].state, "withdrawn")) {
			s->withdrawn++;
			continue;
		}
		s->issued++;
		if (a[i].open)
			s->open++;
		if (a[i].overdue)
			s->overdue++;
		if (a[i].timing != KN_TIMING_NONE) {
			s->completed++;
			if (a[i].timing == KN_TIMING_ON_TIME)
				s->on_time++;
			else
				s->late++;
			days[nd++] = kn_loop_days(a[i].issued_on, a[i].completed_on);
		}
	}
	if (nd) {
		qsort(days, (size_t)nd, sizeof(long), cmp_long);
		s->median_days = nd % 2 ? (double)days[nd / 2] : (days[nd / 2 - 1] + days[nd / 2]) / 2.0;
	}
	return KN_OK;
}
