/* loop.h: the council loop: meetings, proposals, the chair's assignments to
 * agencies (extensions, reports with outcome indicators), reform packages
 * and laws, an agency's scorecard and a council's statistics.
 *
 * Every write appends an event in the caller's transaction (council_id and,
 * for assignments, agency_id set). Strings in the structs live in x->a.
 * Role checks on routes are the dispatcher's; the rules here are about the
 * records (state, authorship, which agency an assignment is addressed to).
 * Overdue, on time and late are computed when read, from x->now and the
 * council's time zone, and never stored. */
#ifndef KN_LOOP_H
#define KN_LOOP_H
#include "domain/domain.h"

struct kn_council;

/* ---- time in a council's zone --------------------------------------- */

/* Today's civil date ("YYYY-MM-DD") at x->now in zone tz. */
const char *kn_loop_today(struct kn_ctx *x, const char *tz);
/* The local date and "HH:MM" of unix time t in zone tz. */
void kn_loop_local(struct kn_ctx *x, const char *tz, int64_t t, const char **date, const char **hm);
/* Days from date a to date b (b - a); 0 if either is not a date. */
long kn_loop_days(const char *a, const char *b);
/* Whether v is one of the NULL-terminated set. */
bool kn_loop_in(const char *v, const char *const *set);
/* The person record of the acting account (persons.user_id); created,
 * named after the account, when create is set and there is none. 0 for
 * the system (x->actor_id 0) or when absent. */
int64_t kn_loop_actor_person(struct kn_ctx *x, bool create, enum kn_err *rc);

/* ---- meetings --------------------------------------------------------- */

extern const char *const kn_meeting_kinds[];    /* plenary, group, individual; NULL-terminated */
extern const char *const kn_attendance_marks[]; /* present, remote, absent */

struct kn_meeting {
	int64_t id, council_id;
	const char *kind;
	long number;        /* 0 on input: the next number for this kind */
	int64_t group_id;   /* a working-group meeting's group */
	int64_t person_id;  /* an individual meeting's member */
	const char *group_name, *person_name; /* read only */
	const char *title, *place, *status, *cancel_reason, *minutes;
	bool online, illustrative;
	int64_t starts_at;
	const char *date, *time; /* local date and HH:MM in the council's zone (input and output) */
	int64_t created_at, updated_at;
};
struct kn_agenda_item {
	int64_t id, proposal_id;
	long position;
	const char *title, *proposal_title, *proposal_state;
};
struct kn_attendance {
	int64_t person_id;
	const char *name, *status; /* status NULL: not recorded */
};

/* kind filter NULL: all kinds. Newest first. */
enum kn_err kn_meeting_list(struct kn_ctx *x, const struct kn_council *c, const char *kind, struct kn_meeting **out,
                            int *n);
/* The same list a page at a time (offset, limit), with how many there are. */
enum kn_err kn_meeting_page(struct kn_ctx *x, const struct kn_council *c, const char *kind, int offset, int limit,
                            struct kn_meeting **out, int *n, int *total);
enum kn_err kn_meeting_get(struct kn_ctx *x, const struct kn_council *c, int64_t id, struct kn_meeting **out);
enum kn_err kn_meeting_create(struct kn_ctx *x, const struct kn_council *c, const struct kn_meeting *in, int64_t *id);
/* Date, time, place, title of a scheduled meeting. */
enum kn_err kn_meeting_update(struct kn_ctx *x, const struct kn_council *c, int64_t id, const struct kn_meeting *in);
enum kn_err kn_meeting_agenda(struct kn_ctx *x, int64_t meeting_id, struct kn_agenda_item **out, int *n);
/* Appends an item to a scheduled meeting's agenda. A linked proposal must
 * be submitted or in group review; it moves to "on agenda". */
enum kn_err kn_meeting_agenda_add(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, const char *title,
                                  int64_t proposal_id, int64_t *item_id);
/* Removes an item (scheduled meetings); a linked proposal goes back to group review. */
enum kn_err kn_meeting_agenda_remove(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, int64_t item_id);
/* The people expected (seated on the meeting's date, or the individual
 * meeting's member) with their recorded attendance. */
enum kn_err kn_meeting_attendance(struct kn_ctx *x, const struct kn_council *c, const struct kn_meeting *m,
                                  struct kn_attendance **out, int *n);
/* Records attendance of a held meeting: status present, remote or absent. */
enum kn_err kn_meeting_attend(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, int64_t person_id,
                              const char *status);
enum kn_err kn_meeting_set_minutes(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, const char *md);
/* scheduled -> held (not before it starts); scheduled -> cancelled (reason required). */
enum kn_err kn_meeting_hold(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id);
enum kn_err kn_meeting_cancel(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, const char *reason);

/* ---- proposals -------------------------------------------------------- */

extern const char *const kn_proposal_states[];

struct kn_proposal {
	int64_t id, council_id, group_id, taken_up_by;
	const char *group_name, *taken_up_name; /* read only */
	const char *title, *body, *state, *origin, *reject_reason;
	bool illustrative;
	int64_t created_at, updated_at;
};
struct kn_signer {
	int64_t person_id;
	const char *name, *kind; /* author or cosigner */
	int64_t signed_at;
};

/* state filter NULL: all. */
enum kn_err kn_proposal_list(struct kn_ctx *x, int64_t council_id, const char *state, struct kn_proposal **out, int *n);
/* The same list a page at a time (offset, limit), with how many there are. */
enum kn_err kn_proposal_page(struct kn_ctx *x, int64_t council_id, const char *state, int offset, int limit,
                             struct kn_proposal **out, int *n, int *total);
enum kn_err kn_proposal_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_proposal **out);
enum kn_err kn_proposal_signers(struct kn_ctx *x, int64_t id, struct kn_signer **out, int *n);
/* as_member: a member drafts (state draft, the actor's person the author);
 * otherwise a citizen submits (state submitted, origin citizen, waiting for
 * a member to take it up). authors: further persons raising it with the
 * actor (demo and secretariat use; may be NULL). */
enum kn_err kn_proposal_create(struct kn_ctx *x, const struct kn_council *c, const struct kn_proposal *in,
                               bool as_member, int64_t *id);
/* Adds a person as an author without a signature event (demo data). */
enum kn_err kn_proposal_add_author(struct kn_ctx *x, int64_t id, int64_t person_id, const char *kind);
/* A draft's title, body, group: its authors only. */
enum kn_err kn_proposal_edit(struct kn_ctx *x, const struct kn_council *c, int64_t id, const struct kn_proposal *in);
enum kn_err kn_proposal_submit(struct kn_ctx *x, const struct kn_council *c, int64_t id);
enum kn_err kn_proposal_cosign(struct kn_ctx *x, const struct kn_council *c, int64_t id);
enum kn_err kn_proposal_take_up(struct kn_ctx *x, const struct kn_council *c, int64_t id);
/* submitted -> group review (group_id 0 keeps the proposal's group). */
enum kn_err kn_proposal_review(struct kn_ctx *x, const struct kn_council *c, int64_t id, int64_t group_id);
enum kn_err kn_proposal_accept(struct kn_ctx *x, const struct kn_council *c, int64_t id);
enum kn_err kn_proposal_reject(struct kn_ctx *x, const struct kn_council *c, int64_t id, const char *reason);
/* By an author (or the citizen who submitted it). */
enum kn_err kn_proposal_withdraw(struct kn_ctx *x, const struct kn_council *c, int64_t id);
/* Working groups of a council (id, name) for forms; from the composition tables. */
struct kn_group_ref {
	int64_t id;
	const char *slug, *name;
};
enum kn_err kn_loop_groups(struct kn_ctx *x, int64_t council_id, struct kn_group_ref **out, int *n);

/* ---- assignments ------------------------------------------------------ */

extern const char *const kn_assignment_states[];

enum kn_timing { KN_TIMING_NONE, KN_TIMING_ON_TIME, KN_TIMING_LATE };

struct kn_assignment {
	int64_t id, council_id, agency_id, proposal_id, meeting_id;
	const char *council_slug, *timezone, *agency_slug, *agency_name, *proposal_title, *meeting_kind; /* read only */
	long meeting_number;
	const char *title, *body, *issued_on, *original_deadline, *deadline, *state, *state_reason, *completed_on;
	int64_t completed_at;
	bool illustrative;
	int64_t created_at, updated_at;
	/* computed when read */
	bool open, overdue;
	enum kn_timing timing;
	/* input */
	const char *agency_key;   /* id or slug */
	const char *coexecutors;  /* comma- or space-separated agency slugs */
};
struct kn_assignment_filter {
	int64_t council_id;  /* 0: any */
	int64_t agency_id;   /* 0: any; matches the responsible agency */
	bool with_coexec;    /* agency_id also matches co-executors */
	const char *state;   /* NULL/"": any; "open"; or one state */
	bool overdue;        /* only overdue ones */
	bool brief;          /* kn_assignment_page: what a page shows (id, agency, title, deadline,
	                        state, completion day), not the days of issue or the references */
	int64_t meeting_id;  /* kn_assignment_list: 0 any, else those issued at this meeting */
	int offset, limit;   /* kn_assignment_list: one page of the list (limit 0: all of it);
	                        overdue is tested on the page read, so page overdue ones
	                        with kn_assignment_page */
};
struct kn_indicator {
	const char *name, *unit, *baseline, *target, *actual;
};
struct kn_report {
	int64_t id, agency_id;
	const char *agency_name, *body, *evidence, *author_name;
	bool final, illustrative;
	int64_t created_at;
	struct kn_indicator *ind;
	int nind;
};
struct kn_extension {
	int64_t id;
	const char *reason, *old_deadline, *requested_deadline, *state, *decision_note;
	int64_t requested_at, decided_at;
};
struct kn_agency_ref {
	int64_t id;
	const char *slug, *name;
};

enum kn_err kn_assignment_list(struct kn_ctx *x, const struct kn_assignment_filter *f, struct kn_assignment **out,
                               int *n);
/* How many assignments kn_assignment_list would give without its limit. */
enum kn_err kn_assignment_count(struct kn_ctx *x, const struct kn_assignment_filter *f, int *total);
/* One page of council c's list (f->council_id is c's), filtered and
 * ordered in SQL: at most limit from offset; *total counts them all. The
 * rows carry what a list shows, not the agency's slug or name (the caller
 * names agencies: kn_agency_names), the body, the reason or the times. */
enum kn_err kn_assignment_page(struct kn_ctx *x, const struct kn_council *c, const struct kn_assignment_filter *f,
                               int offset, int limit, struct kn_assignment **out, int *n, int *total);
/* kn_assignment_page's records handed to fn one at a time as they are
 * read (a list written straight into an answer), *total first; each
 * record and its texts are fn's only during the call, which must not use
 * the connection. */
typedef bool (*kn_assignment_fn)(void *arg, const struct kn_assignment *a);
enum kn_err kn_assignment_each(struct kn_ctx *x, const struct kn_council *c, const struct kn_assignment_filter *f,
                               int offset, int limit, kn_assignment_fn fn, void *arg, int *total);
/* council_id 0: any council. */
enum kn_err kn_assignment_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_assignment **out);
enum kn_err kn_assignment_coexecutors(struct kn_ctx *x, int64_t id, struct kn_agency_ref **out, int *n);
enum kn_err kn_assignment_reports(struct kn_ctx *x, int64_t id, struct kn_report **out, int *n);
enum kn_err kn_assignment_extensions(struct kn_ctx *x, int64_t id, struct kn_extension **out, int *n);
/* Issued (x->actor_role chair) or recorded (secretary). issued_on empty:
 * today in the council's zone. A proposal behind it must be accepted. */
enum kn_err kn_assignment_issue(struct kn_ctx *x, const struct kn_council *c, const struct kn_assignment *in,
                                int64_t *id);
/* The agency acknowledges: issued or returned -> in progress. agency_id: the acting officer's agency. */
enum kn_err kn_assignment_start(struct kn_ctx *x, int64_t id, int64_t agency_id);
/* A report by the responsible agency or a co-executor. final: the agency
 * states the work is done (-> reported); otherwise -> in progress. */
enum kn_err kn_assignment_report(struct kn_ctx *x, int64_t id, int64_t agency_id, const char *body,
                                 const char *evidence, bool final, const struct kn_indicator *ind, int nind,
                                 int64_t *report_id);
/* The responsible agency asks for a later deadline (one pending at a time). */
enum kn_err kn_assignment_ask_extension(struct kn_ctx *x, int64_t id, int64_t agency_id, const char *new_deadline,
                                        const char *reason, int64_t *ext_id);
/* The chair grants (the deadline in force becomes the requested one) or refuses. */
enum kn_err kn_assignment_decide_extension(struct kn_ctx *x, const struct kn_council *c, int64_t id, int64_t ext_id,
                                           bool grant, const char *note);
/* reported -> completed (needs a report); on time or late follows from the date. */
enum kn_err kn_assignment_accept(struct kn_ctx *x, const struct kn_council *c, int64_t id);
enum kn_err kn_assignment_return(struct kn_ctx *x, const struct kn_council *c, int64_t id, const char *reason);
enum kn_err kn_assignment_withdraw(struct kn_ctx *x, const struct kn_council *c, int64_t id, const char *reason);
/* Fills open, overdue and timing from the state, dates and today. */
void kn_assignment_timing(struct kn_assignment *a, const char *today);
/* Assignments behind a proposal (links both ways). */
enum kn_err kn_proposal_assignments(struct kn_ctx *x, int64_t proposal_id, struct kn_assignment **out, int *n);

struct kn_scorecard {
	long issued, completed, on_time, late, open, overdue, withdrawn;
	double median_days; /* -1: no completed assignment */
};
enum kn_err kn_agency_scorecard(struct kn_ctx *x, int64_t agency_id, struct kn_scorecard *s);

/* ---- reforms and laws --------------------------------------------------- */

extern const char *const kn_law_stages[]; /* drafted, in_parliament, adopted, signed, in_force */

struct kn_reform {
	int64_t id, council_id;
	const char *title, *description, *announced_on;
	bool illustrative;
	long items, items_done, laws, laws_adopted; /* progress, read only */
};
struct kn_reform_item {
	int64_t id, package_id;
	long position;
	const char *title, *description;
	const char *status; /* computed: planned, in_progress, implemented */
};
struct kn_law {
	int64_t id, item_id, council_id, package_id;
	const char *item_title, *package_title; /* read only */
	const char *title, *number, *stage;
	const char *dates[5]; /* per stage, as kn_law_stages */
	bool illustrative;
};
struct kn_link {
	const char *kind; /* proposal, assignment, reform */
	int64_t id, package_id;
	const char *title;
};

enum kn_err kn_reform_list(struct kn_ctx *x, int64_t council_id, struct kn_reform **out, int *n);
/* limit of them from offset, oldest first; total (if not NULL): how many in all. */
enum kn_err kn_reform_page(struct kn_ctx *x, int64_t council_id, int offset, int limit, struct kn_reform **out, int *n,
                           int *total);
enum kn_err kn_reform_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_reform **out);
enum kn_err kn_reform_create(struct kn_ctx *x, const struct kn_council *c, const struct kn_reform *in, int64_t *id);
enum kn_err kn_reform_items(struct kn_ctx *x, int64_t package_id, struct kn_reform_item **out, int *n);
/* links: space/comma-separated "p12" (proposal) and "a7" (assignment) of
 * the same council; proposals must be accepted. */
enum kn_err kn_reform_item_add(struct kn_ctx *x, const struct kn_council *c, int64_t package_id, const char *title,
                               const char *description, const char *links, int64_t *id);
/* Links of a reform item, or reform items linked to a proposal/assignment. */
enum kn_err kn_reform_item_links(struct kn_ctx *x, int64_t item_id, struct kn_link **out, int *n);
enum kn_err kn_reform_links_of(struct kn_ctx *x, const char *kind, int64_t id, struct kn_link **out, int *n);
/* item_id 0: every law of the package. */
enum kn_err kn_law_list(struct kn_ctx *x, int64_t package_id, int64_t item_id, struct kn_law **out, int *n);
enum kn_err kn_law_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_law **out);
/* A law at stage with that stage's date. */
enum kn_err kn_law_add(struct kn_ctx *x, const struct kn_council *c, int64_t item_id, const char *title,
                       const char *number, const char *stage, const char *date, bool illustrative, int64_t *id);
/* Moves a law forward to stage on date (not before the previous stage's date). */
enum kn_err kn_law_advance(struct kn_ctx *x, const struct kn_council *c, int64_t id, const char *stage,
                           const char *date, const char *number);

/* ---- statistics --------------------------------------------------------- */

struct kn_loop_stats {
	long plenary_held, group_held, individual_held, scheduled;
	long proposals, proposals_accepted, proposals_citizen;
	long assignments, completed, on_time, late, open, overdue;
	long reforms, laws, laws_adopted;
	long rotations, deputies;
	bool illustrative; /* some figures come from illustrative records */
};
enum kn_err kn_loop_stats(struct kn_ctx *x, const struct kn_council *c, struct kn_loop_stats *s);

#endif
