/* composition.h: who sits on a council and when: people, seats for a term,
 * rotations (who left and who joined at once), sector quotas, later careers,
 * and working groups with their members and lineage (splits and merges).
 *
 * Dates are civil dates "YYYY-MM-DD". A seat covers [joined_on, left_on):
 * on left_on the person no longer sits, so a rotation held on D ends the
 * leaving seats on D and starts the joining seats on D. The council's
 * configured size (councils.seats, 0: not set) counts seats with role
 * "member"; the chair's and the secretary's seats are not counted.
 *
 * Contract for every write below: it validates first (problems in x->errs,
 * KN_EINVAL), appends its events, and may find a problem only after writing
 * (a seat count exceeded): on any error the caller must roll the
 * transaction back (kn_tx_end does). */
#ifndef KN_COMPOSITION_H
#define KN_COMPOSITION_H
#include "domain/domain.h"

/* NULL-terminated value lists (stored values, English msgids as labels). */
extern const char *const kn_seat_roles[];   /* chair, secretary, member */
extern const char *const kn_sectors[];      /* expert, ngo, media, business, culture, youth, other */
extern const char *const kn_leave_reasons[]; /* rotation, resignation, end_of_term, elected, other */
extern const char *const kn_group_themes[]; /* political, economic, social, ... */
#define KN_NSECTORS 7
/* Display labels (untranslated msgids) for the values above. */
const char *kn_sector_label(const char *sector);
const char *kn_role_label(const char *role);
const char *kn_reason_label(const char *reason);
const char *kn_theme_label(const char *theme);

/* ---- people -------------------------------------------------------------- */

struct kn_person_info {
	int64_t id, user_id;
	const char *full_name, *full_name_ru, *full_name_kk, *bio;
	bool illustrative;
};
const char *kn_person_name(const struct kn_person_info *p, const char *lang);
enum kn_err kn_person_get(struct kn_ctx *x, int64_t id, struct kn_person_info **out);
/* Creates a person (no account needed); council_id files the event. */
enum kn_err kn_person_add(struct kn_ctx *x, int64_t council_id, const struct kn_person_info *in, int64_t *id);
/* Links the person to the account with this login (field "login"). */
enum kn_err kn_person_link_account(struct kn_ctx *x, int64_t council_id, int64_t person_id, const char *login);
/* People to offer in the council's forms: KN_CHOICE_SAT, those who ever
 * held a seat there; KN_CHOICE_CAN_JOIN, those not seated there now who
 * either sat there before or hold no seat anywhere (newly added people);
 * KN_CHOICE_ANY, everyone in the registry (council_id unused). By name; at
 * most limit of them (0: all). */
enum { KN_CHOICE_SAT, KN_CHOICE_CAN_JOIN, KN_CHOICE_ANY };
enum kn_err kn_person_choices(struct kn_ctx *x, int64_t council_id, int mode, int limit, struct kn_person_info **out,
                              int *n);
/* The person a form field names among the choices of mode: a number (the
 * person's id, checked by whatever then uses it), a full name, or words of
 * the name that only one of them has ("ileu" for Gulmira Ileuova), in
 * English, Russian or Kazakh, as the registry's search reads them.
 * An empty key gives *id = 0. No one or several: an error on field naming
 * up to five, KN_EINVAL. */
enum kn_err kn_person_pick(struct kn_ctx *x, int64_t council_id, int mode, const char *field, const char *key,
                           int64_t *id);
/* Whether the person ever held a seat in the council. */
enum kn_err kn_person_in_council(struct kn_ctx *x, int64_t council_id, int64_t person_id, bool *yes);

struct kn_career {
	int64_t id, person_id, council_id;
	const char *position, *body, *started_on, *ended_on;
	bool illustrative;
};
enum kn_err kn_career_add(struct kn_ctx *x, const struct kn_career *in, int64_t *id);
enum kn_err kn_career_list(struct kn_ctx *x, int64_t person_id, struct kn_career **out, int *n);

/* ---- seats ---------------------------------------------------------------- */

struct kn_seat {
	int64_t id, council_id, person_id;
	const char *role, *sector, *region, *joined_on, *left_on, *left_reason, *left_body, *left_note;
	int64_t joined_rotation_id, left_rotation_id;
	bool illustrative;
	/* read only */
	const char *person_name, *council_slug, *council_name;
	bool person_illustrative;
	long joined_rotation_no, left_rotation_no;
};

/* Adds a seat (in->council_id, person_id, role, sector, region, joined_on,
 * optional left_on with reason). Refuses a term overlapping another seat of
 * the person in the council, and a member count over the council's size. */
enum kn_err kn_seat_add(struct kn_ctx *x, const struct kn_seat *in, int64_t *id);
/* Ends an open seat on left_on with a reason (body required for
 * "elected"); open group memberships of the person in the council end too. */
enum kn_err kn_seat_end(struct kn_ctx *x, int64_t council_id, int64_t seat_id, const char *left_on,
                        const char *reason, const char *body, const char *note);
enum kn_err kn_seat_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_seat **out);
/* Seats held on date on (NULL or "": today in the council's time zone),
 * ordered by role, sector, name. */
enum kn_err kn_composition_on(struct kn_ctx *x, int64_t council_id, const char *on, struct kn_seat **out, int *n);
/* How many member seats (not chair or secretary) were filled on that day. */
enum kn_err kn_members_on(struct kn_ctx *x, int64_t council_id, const char *on, long *members);
/* Seats not ended (whatever their start), ordered like a composition. */
enum kn_err kn_seats_open(struct kn_ctx *x, int64_t council_id, struct kn_seat **out, int *n);
/* Every seat of the council ever, oldest first. */
enum kn_err kn_seat_history(struct kn_ctx *x, int64_t council_id, struct kn_seat **out, int *n);
/* Every seat a person held, in any council. */
enum kn_err kn_seats_of_person(struct kn_ctx *x, int64_t person_id, struct kn_seat **out, int *n);
/* The day a composition is shown for when none is asked: today, or for a
 * dissolved council its last day (then *last_day is set). */
struct kn_council;
const char *kn_composition_default_day(struct kn_ctx *x, const struct kn_council *c, bool *last_day);
/* Today's date in the council's time zone (arena string). */
const char *kn_council_today(struct kn_ctx *x, const struct kn_council *c);

/* ---- sector quotas ----------------------------------------------------------- */

struct kn_quota {
	const char *sector;
	long min_seats; /* -1: no quota */
	long have;      /* seats of the sector on the date asked */
	bool illustrative;
};
/* One entry per sector, in kn_sectors order, with the seats held on on. */
enum kn_err kn_quota_status(struct kn_ctx *x, int64_t council_id, const char *on, struct kn_quota out[KN_NSECTORS]);
/* Sets the quotas (min < 0: none for that sector; fields "quota_<sector>"). */
enum kn_err kn_quota_set(struct kn_ctx *x, int64_t council_id, const long min[KN_NSECTORS], bool illustrative);
/* The sectors whose quota is not met on the date: count returned. */
int kn_quota_gaps(const struct kn_quota q[KN_NSECTORS]);

/* ---- rotations --------------------------------------------------------------- */

struct kn_rotation_leave {
	int64_t seat_id;
	const char *reason, *body, *note;
};
struct kn_rotation_join {
	int64_t person_id;    /* an existing person, or 0 with new_name */
	const char *new_name; /* creates the person */
	const char *role, *sector, *region;
};
struct kn_rotation {
	int64_t id, council_id;
	long number;
	const char *held_on, *basis;
	bool illustrative;
	/* read by kn_rotation_list / get */
	struct kn_seat *left, *joined;
	int nleft, njoined;
};
/* Records a rotation in one go: every leaving seat ends on held_on, every
 * joining row gets a seat from held_on. Field names in errors:
 * "held_on", "basis", "leaving.N.seat_id|reason|body", "joining.N.person_id|
 * name|role|sector|region" (N from 1). */
enum kn_err kn_rotation_record(struct kn_ctx *x, const struct kn_rotation *in, const struct kn_rotation_leave *leave,
                               int nleave, const struct kn_rotation_join *join, int njoin, int64_t *id);
enum kn_err kn_rotation_list(struct kn_ctx *x, int64_t council_id, struct kn_rotation **out, int *n);
/* The same without who left and joined (number, date, basis only). */
enum kn_err kn_rotation_heads(struct kn_ctx *x, int64_t council_id, struct kn_rotation **out, int *n);
enum kn_err kn_rotation_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_rotation **out);

/* ---- working groups ------------------------------------------------------------ */

struct kn_group {
	int64_t id, council_id;
	const char *slug, *name_en, *name_ru, *name_kk, *theme;
	int64_t leader_person_id;
	const char *leader_name; /* read only */
	const char *created_on, *closed_on, *closed_reason;
	bool illustrative;
};
struct kn_group_member {
	int64_t person_id;
	const char *name, *joined_on, *left_on;
	bool illustrative;
};
struct kn_group_link {
	int64_t group_id;
	const char *slug, *name_en, *name_ru, *name_kk, *kind, *happened_on;
};
const char *kn_group_name(const struct kn_group *g, const char *lang);
enum kn_err kn_group_list(struct kn_ctx *x, int64_t council_id, struct kn_group **out, int *n);
/* key: id or slug within the council. */
enum kn_err kn_group_get(struct kn_ctx *x, int64_t council_id, const char *key, struct kn_group **out);
/* Creates an open group (slug, names, theme, created_on, optional leader). */
enum kn_err kn_group_create(struct kn_ctx *x, const struct kn_group *in, int64_t *id);
/* Members: all (history) or only those in the group on date on. */
enum kn_err kn_group_members(struct kn_ctx *x, int64_t group_id, const char *on, struct kn_group_member **out, int *n);
/* Adds a person sitting on the council on joined_on (field "person_id"). */
enum kn_err kn_group_member_add(struct kn_ctx *x, int64_t council_id, int64_t group_id, int64_t person_id,
                                const char *joined_on, bool illustrative);
enum kn_err kn_group_member_remove(struct kn_ctx *x, int64_t council_id, int64_t group_id, int64_t person_id,
                                   const char *left_on);
/* Leader: a current member, or 0 for none. */
enum kn_err kn_group_set_leader(struct kn_ctx *x, int64_t council_id, int64_t group_id, int64_t person_id);
/* Closes an open group (reason "dissolved"); its members leave on on. */
enum kn_err kn_group_close(struct kn_ctx *x, int64_t council_id, int64_t group_id, const char *on);
/* Splits an open group on date on into nparts new groups; members[i] lists
 * for each current member (by position in member_ids) the part it goes to
 * (0..nparts-1) or -1 (leaves). Fields "part.N.slug|name_en|...",
 * "member.<person_id>". ids receives the new groups' ids. */
enum kn_err kn_group_split(struct kn_ctx *x, int64_t council_id, int64_t group_id, const char *on,
                           const struct kn_group *parts, int nparts, const int64_t *member_ids, const int *member_part,
                           int nmembers, int64_t *ids);
/* Merges open groups (at least two) into a new one on date on; every
 * current member of a source joins it. */
enum kn_err kn_group_merge(struct kn_ctx *x, int64_t council_id, const int64_t *group_ids, int ngroups,
                           const struct kn_group *into, int64_t *id);
/* The groups a person was in (any council); memb[i] has the dates, and
 * memb[i].name the group's council slug. */
enum kn_err kn_groups_of_person(struct kn_ctx *x, int64_t person_id, struct kn_group **groups,
                                struct kn_group_member **memb, int *n);
/* Where a group came from (parents) and what it became (children). */
enum kn_err kn_group_lineage(struct kn_ctx *x, int64_t group_id, struct kn_group_link **parents, int *np,
                             struct kn_group_link **children, int *nc);

#endif
