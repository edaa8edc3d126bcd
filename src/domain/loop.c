/* loop.c: meetings (agenda, attendance, minutes) and proposals (authors,
 * co-signers, lifecycle), with the time helpers the loop shares. */
#include "domain/loop.h"
#include "core/arena.h"
#include "core/calendar.h"
#include "core/tz.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

const char *const kn_meeting_kinds[] = {"plenary", "group", "individual", NULL};
const char *const kn_attendance_marks[] = {"present", "remote", "absent", NULL};
const char *const kn_proposal_states[] = {"draft",    "submitted", "group_review", "on_agenda",
                                          "accepted", "rejected",  "withdrawn",    NULL};

/* ---- time ----------------------------------------------------------------- */

static const struct kn_tz *zone(const char *tz)
{
	char err[160];
	const struct kn_tz *z = kn_tz_shared(tz && *tz ? tz : KN_TZ_DEFAULT, err, sizeof(err));
	if (!z)
		z = kn_tz_shared("UTC", err, sizeof(err));
	return z;
}

static int32_t floor_day(int64_t t)
{
	return (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}

const char *kn_loop_today(struct kn_ctx *x, const char *tz)
{
	const struct kn_tz *z = zone(tz);
	int32_t d = z ? kn_tz_local_date(z, x->now) : floor_day(x->now);
	char buf[KN_DATE_STRLEN];
	return kn_strdup(x->a, kn_date_format(d, buf, sizeof(buf)));
}

void kn_loop_local(struct kn_ctx *x, const char *tz, int64_t t, const char **date, const char **hm)
{
	const struct kn_tz *z = zone(tz);
	int64_t lt = t + (z ? kn_tz_offset(z, t) : 0);
	int32_t d = floor_day(lt);
	int64_t sec = lt - (int64_t)d * 86400;
	char buf[KN_DATE_STRLEN];
	if (date)
		*date = kn_strdup(x->a, kn_date_format(d, buf, sizeof(buf)));
	if (hm)
		*hm = kn_printf(x->a, "%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60));
}

long kn_loop_days(const char *a, const char *b)
{
	int32_t da, db;
	if (!a || !b || kn_date_parse(a, &da) || kn_date_parse(b, &db))
		return 0;
	return (long)db - (long)da;
}

bool kn_loop_in(const char *v, const char *const *set)
{
	for (int i = 0; v && set[i]; i++)
		if (!strcmp(v, set[i]))
			return true;
	return false;
}

int64_t kn_loop_actor_person(struct kn_ctx *x, bool create, enum kn_err *rc)
{
	*rc = KN_OK;
	if (!x->actor_id)
		return 0;
	struct kn_rows *r;
	if ((*rc = kn_sql(x->c, x->a, &r, "SELECT id FROM persons WHERE user_id = $1", KN_INT(x->actor_id))))
		return 0;
	if (r->n || !create)
		return r->n ? kn_row_i(r, 0, 0) : 0;
	struct kn_person p = {.full_name = x->actor_name && *x->actor_name ? x->actor_name : "Member",
	                      .user_id = x->actor_id};
	int64_t id = 0;
	*rc = kn_person_create(x, &p, &id);
	return id;
}

/* ---- working groups (read from the composition tables) --------------------- */

enum kn_err kn_loop_groups(struct kn_ctx *x, int64_t council_id, struct kn_group_ref **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, slug, name_en FROM working_groups WHERE council_id = $1 "
	                        "ORDER BY (closed_on IS NOT NULL), name_en",
	                        KN_INT(council_id));
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

static enum kn_err check_group(struct kn_ctx *x, int64_t council_id, int64_t group_id, const char *field)
{
	if (!group_id)
		return KN_OK;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT id FROM working_groups WHERE id = $1 AND council_id = $2",
	                        KN_INT(group_id), KN_INT(council_id));
	if (rc)
		return rc;
	if (!r->n)
		kn_ferr_add(x, field, "No such working group in this council.");
	return KN_OK;
}

/* ---- meetings --------------------------------------------------------------- */

#define MEETING_COLS                                                                                      \
	"m.id, m.council_id, m.kind, m.number, m.group_id, g.name_en, m.person_id, p.full_name, m.title, "   \
	"m.starts_at, m.place, m.online, m.status, m.cancel_reason, m.minutes, m.illustrative, m.created_at, " \
	"m.updated_at"
#define MEETING_FROM                                            \
	" FROM meetings m LEFT JOIN working_groups g ON g.id = m.group_id" \
	" LEFT JOIN persons p ON p.id = m.person_id"

static void meeting_row(struct kn_ctx *x, const char *tz, const struct kn_rows *r, int i, struct kn_meeting *m)
{
	m->id = kn_row_i(r, i, 0);
	m->council_id = kn_row_i(r, i, 1);
	m->kind = kn_row_s(r, i, 2);
	m->number = (long)kn_row_i(r, i, 3);
	m->group_id = kn_row_i(r, i, 4);
	m->group_name = kn_row_s(r, i, 5);
	m->person_id = kn_row_i(r, i, 6);
	m->person_name = kn_row_s(r, i, 7);
	m->title = kn_row_s(r, i, 8);
	m->starts_at = kn_row_i(r, i, 9);
	m->place = kn_row_s(r, i, 10);
	m->online = kn_row_i(r, i, 11) != 0;
	m->status = kn_row_s(r, i, 12);
	m->cancel_reason = kn_row_s(r, i, 13);
	m->minutes = kn_row_s(r, i, 14);
	m->illustrative = kn_row_i(r, i, 15) != 0;
	m->created_at = kn_row_i(r, i, 16);
	m->updated_at = kn_row_i(r, i, 17);
	kn_loop_local(x, tz, m->starts_at, &m->date, &m->time);
}

enum kn_err kn_meeting_list(struct kn_ctx *x, const struct kn_council *c, const char *kind, struct kn_meeting **out,
                            int *n)
{
	return kn_meeting_page(x, c, kind, 0, 0, out, n, NULL);
}

/* a council's meetings, of one kind ($2) or all (''); the page's count
 * and its rows filter alike */
#define MEETINGS_WHERE " WHERE m.council_id = $1 AND ($2 = '' OR m.kind = $2)"

/* limit 0: all of them; total NULL: not counted */
enum kn_err kn_meeting_page(struct kn_ctx *x, const struct kn_council *c, const char *kind, int offset, int limit,
                            struct kn_meeting **out, int *n, int *total)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (total) {
		rc = kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM meetings m" MEETINGS_WHERE, KN_INT(c->id),
		              KN_TEXT(kind ? kind : ""));
		if (rc)
			return rc;
	}
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT " MEETING_COLS MEETING_FROM MEETINGS_WHERE " ORDER BY m.starts_at DESC, m.id DESC LIMIT $3 OFFSET $4",
	            KN_INT(c->id), KN_TEXT(kind ? kind : ""), KN_LIMIT(limit), KN_INT(offset));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++)
		meeting_row(x, c->timezone, r, i, &(*out)[i]);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_meeting_get(struct kn_ctx *x, const struct kn_council *c, int64_t id, struct kn_meeting **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " MEETING_COLS MEETING_FROM " WHERE m.id = $1 AND m.council_id = $2",
	                        KN_INT(id), KN_INT(c->id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	meeting_row(x, c->timezone, r, 0, *out);
	return KN_OK;
}

/* Local date + "HH:MM" in the council's zone -> unix time; errors added. */
static int64_t local_instant(struct kn_ctx *x, const char *tz, const char *date, const char *hm)
{
	bool dok = kn_check_date(x, "date", date, true);
	int h = -1, mi = -1;
	if (!hm || !*hm) {
		kn_ferr_add(x, "time", "This field is required.");
		return 0;
	}
	size_t len = strlen(hm);
	if ((len == 5 || len == 8) && hm[2] == ':' && hm[0] >= '0' && hm[0] <= '9' && hm[1] >= '0' && hm[1] <= '9' &&
	    hm[3] >= '0' && hm[3] <= '9' && hm[4] >= '0' && hm[4] <= '9' && (len == 5 || (hm[5] == ':' && hm[6] == '0' && hm[7] == '0'))) {
		h = (hm[0] - '0') * 10 + (hm[1] - '0');
		mi = (hm[3] - '0') * 10 + (hm[4] - '0');
	}
	if (h < 0 || h > 23 || mi < 0 || mi > 59) {
		kn_ferr_add(x, "time", "Enter a time as HH:MM (24-hour clock).");
		return 0;
	}
	int32_t d;
	if (!dok || kn_date_parse(date, &d))
		return 0;
	const struct kn_tz *z = zone(tz);
	int64_t t;
	if (!z) {
		t = (int64_t)d * 86400 + h * 3600 + mi * 60;
	} else {
		int g = kn_tz_utc_from_local(z, d, h * 3600 + mi * 60, &t);
		if (g != 0) {
			kn_ferr_add(x, "time", "This time does not exist in the council's time zone (clocks moved).");
			return 0;
		}
	}
	return t;
}

static void meeting_common_checks(struct kn_ctx *x, const struct kn_meeting *m)
{
	kn_check_text(x, "title", m->title, 300, false, false);
	kn_check_text(x, "place", m->place, 300, false, false);
	if (!m->online && (!m->place || !*m->place))
		kn_ferr_add(x, "place", "Give the place, or mark the meeting as online.");
}

enum kn_err kn_meeting_create(struct kn_ctx *x, const struct kn_council *c, const struct kn_meeting *in, int64_t *id)
{
	struct kn_meeting m = *in;
	m.title = kn_trim(x, m.title);
	m.place = kn_trim(x, m.place);
	m.date = kn_trim(x, m.date);
	m.time = kn_trim(x, m.time);
	enum kn_err rc;
	if (!kn_loop_in(m.kind, kn_meeting_kinds))
		kn_ferr_add(x, "kind", "Choose plenary, working group or individual.");
	else if (!strcmp(m.kind, "group") && !m.group_id)
		kn_ferr_add(x, "group_id", "A working-group meeting needs its group.");
	else if (!strcmp(m.kind, "individual") && !m.person_id && !m.illustrative)
		kn_ferr_add(x, "person_id", "An individual meeting needs the member the chair meets.");
	if (m.kind && strcmp(m.kind, "group"))
		m.group_id = 0;
	if (m.kind && strcmp(m.kind, "individual"))
		m.person_id = 0;
	if ((rc = check_group(x, c->id, m.group_id, "group_id")))
		return rc;
	struct kn_rows *r;
	if (m.person_id) {
		if ((rc = kn_sql(x->c, x->a, &r, "SELECT id FROM persons WHERE id = $1", KN_INT(m.person_id))))
			return rc;
		if (!r->n)
			kn_ferr_add(x, "person_id", "No such person.");
	}
	if (m.number < 0 || m.number > 100000)
		kn_ferr_add(x, "number", "Enter a meeting number from 1, or leave it empty.");
	meeting_common_checks(x, &m);
	int64_t t = local_instant(x, c->timezone, m.date, m.time);
	if (x->errs)
		return KN_EINVAL;
	if (!m.number) {
		if ((rc = kn_sql(x->c, x->a, &r, "SELECT COALESCE(MAX(number), 0) + 1 FROM meetings WHERE council_id = $1 AND kind = $2",
		                 KN_INT(c->id), KN_TEXT(m.kind))))
			return rc;
		m.number = (long)kn_row_i(r, 0, 0);
	}
	rc = kn_sql(x->c, x->a, &r,
	            "INSERT INTO meetings (council_id, kind, number, group_id, person_id, title, starts_at, place, online, "
	            "illustrative, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
	            KN_INT(c->id), KN_TEXT(m.kind), KN_INT(m.number), m.group_id ? KN_INT(m.group_id) : KN_NULL,
	            m.person_id ? KN_INT(m.person_id) : KN_NULL, KN_TEXT(m.title ? m.title : ""), KN_INT(t),
	            KN_TEXT(m.place ? m.place : ""), KN_INT(m.online), KN_INT(m.illustrative), KN_INT(x->now));
	if (rc == KN_ECONFLICT) {
		kn_ferr_add(x, "number", "A meeting of this kind already has this number.");
		return KN_EINVAL;
	}
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "kind", NULL, m.kind);
	kn_change_int(ch, "number", 0, m.number);
	kn_change_str(ch, "title", NULL, m.title && *m.title ? m.title : NULL);
	kn_change_int(ch, "starts_at", 0, t);
	kn_change_str(ch, "place", NULL, m.place && *m.place ? m.place : NULL);
	kn_change_int(ch, "online", 0, m.online);
	kn_change_id(ch, "group_id", 0, m.group_id);
	kn_change_id(ch, "person_id", 0, m.person_id);
	kn_change_str(ch, "status", NULL, "scheduled");
	if (m.illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "meeting", *id, "scheduled", c->id, 0, ch);
}

enum kn_err kn_meeting_update(struct kn_ctx *x, const struct kn_council *c, int64_t id, const struct kn_meeting *in)
{
	struct kn_meeting *old;
	enum kn_err rc = kn_meeting_get(x, c, id, &old);
	if (rc)
		return rc;
	if (strcmp(old->status, "scheduled")) {
		kn_ferr_add(x, NULL, "Only a scheduled meeting can be changed.");
		return KN_EINVAL;
	}
	struct kn_meeting m = *in;
	m.title = kn_trim(x, m.title);
	m.place = kn_trim(x, m.place);
	meeting_common_checks(x, &m);
	int64_t t = local_instant(x, c->timezone, kn_trim(x, m.date), kn_trim(x, m.time));
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE meetings SET title = $1, starts_at = $2, place = $3, online = $4, updated_at = $5 "
	                 "WHERE id = $6 AND status = 'scheduled' RETURNING id",
	                 KN_TEXT(m.title ? m.title : ""), KN_INT(t), KN_TEXT(m.place ? m.place : ""), KN_INT(m.online),
	                 KN_INT(x->now), KN_INT(id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "title", old->title, m.title ? m.title : "");
	kn_change_int(ch, "starts_at", old->starts_at, t);
	kn_change_str(ch, "place", old->place, m.place ? m.place : "");
	kn_change_int(ch, "online", old->online, m.online);
	if (kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "meeting", id, "updated", c->id, 0, ch);
}

enum kn_err kn_meeting_agenda(struct kn_ctx *x, int64_t meeting_id, struct kn_agenda_item **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT a.id, a.position, a.title, a.proposal_id, p.title, p.state FROM agenda_items a "
	                        "LEFT JOIN proposals p ON p.id = a.proposal_id WHERE a.meeting_id = $1 ORDER BY a.position",
	                        KN_INT(meeting_id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_agenda_item *it = &(*out)[i];
		it->id = kn_row_i(r, i, 0);
		it->position = (long)kn_row_i(r, i, 1);
		it->title = kn_row_s(r, i, 2);
		it->proposal_id = kn_row_i(r, i, 3);
		it->proposal_title = kn_row_s(r, i, 4);
		it->proposal_state = kn_row_s(r, i, 5);
	}
	*n = r->n;
	return KN_OK;
}

static enum kn_err need_status(struct kn_ctx *x, const struct kn_meeting *m, const char *status, const char *msg)
{
	if (strcmp(m->status, status)) {
		kn_ferr_add(x, NULL, msg);
		return KN_EINVAL;
	}
	return KN_OK;
}

enum kn_err kn_meeting_agenda_add(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, const char *title,
                                  int64_t proposal_id, int64_t *item_id)
{
	struct kn_meeting *m;
	enum kn_err rc = kn_meeting_get(x, c, meeting_id, &m);
	if (rc)
		return rc;
	if ((rc = need_status(x, m, "scheduled", "Items can be added only to the agenda of a scheduled meeting.")))
		return rc;
	title = kn_trim(x, title);
	struct kn_proposal *p = NULL;
	if (proposal_id) {
		rc = kn_proposal_get(x, c->id, proposal_id, &p);
		if (rc == KN_ENOTFOUND)
			kn_ferr_add(x, "proposal_id", "No such proposal in this council.");
		else if (rc)
			return rc;
		else if (strcmp(p->state, "group_review"))
			kn_ferr_add(x, "proposal_id", "Only a proposal in group review can be put on the agenda.");
		if (p && (!title || !*title))
			title = p->title;
	}
	kn_check_text(x, "title", title, 500, true, false);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1",
	                 KN_INT(meeting_id))))
		return rc;
	long pos = (long)kn_row_i(r, 0, 0);
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO agenda_items (meeting_id, position, title, proposal_id, created_at) "
	                 "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	                 KN_INT(meeting_id), KN_INT(pos), KN_TEXT(title), proposal_id ? KN_INT(proposal_id) : KN_NULL,
	                 KN_INT(x->now))))
		return rc;
	*item_id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_int(ch, "agenda_position", 0, pos);
	kn_change_str(ch, "agenda_item", NULL, title);
	kn_change_id(ch, "proposal_id", 0, proposal_id);
	if ((rc = kn_event(x, "meeting", meeting_id, "agenda_item_added", c->id, 0, ch)))
		return rc;
	if (!p)
		return KN_OK;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE proposals SET state = 'on_agenda', updated_at = $1 WHERE id = $2 AND state = 'group_review' "
	                 "RETURNING id",
	                 KN_INT(x->now), KN_INT(proposal_id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	ch = kn_change_new(x);
	kn_change_str(ch, "state", "group_review", "on_agenda");
	kn_change_id(ch, "meeting_id", 0, meeting_id);
	return kn_event(x, "proposal", proposal_id, "put_on_agenda", c->id, 0, ch);
}

/* A proposal taken off an agenda goes back to group review. */
static enum kn_err proposal_off_agenda(struct kn_ctx *x, int64_t council_id, int64_t proposal_id, int64_t meeting_id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "UPDATE proposals SET state = 'group_review', updated_at = $1 WHERE id = $2 AND state = 'on_agenda' "
	                        "RETURNING id",
	                        KN_INT(x->now), KN_INT(proposal_id));
	if (rc || !r->n)
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "state", "on_agenda", "group_review");
	kn_change_id(ch, "meeting_id", meeting_id, 0);
	return kn_event(x, "proposal", proposal_id, "taken_off_agenda", council_id, 0, ch);
}

enum kn_err kn_meeting_agenda_remove(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, int64_t item_id)
{
	struct kn_meeting *m;
	enum kn_err rc = kn_meeting_get(x, c, meeting_id, &m);
	if (rc)
		return rc;
	if ((rc = need_status(x, m, "scheduled", "Items can be removed only from the agenda of a scheduled meeting.")))
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "DELETE FROM agenda_items WHERE id = $1 AND meeting_id = $2 RETURNING position, title, proposal_id",
	                 KN_INT(item_id), KN_INT(meeting_id))))
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	struct kn_change *ch = kn_change_new(x);
	kn_change_int(ch, "agenda_position", kn_row_i(r, 0, 0), 0);
	kn_change_str(ch, "agenda_item", kn_row_s(r, 0, 1), NULL);
	int64_t pid = kn_row_i(r, 0, 2);
	kn_change_id(ch, "proposal_id", pid, 0);
	if ((rc = kn_event(x, "meeting", meeting_id, "agenda_item_removed", c->id, 0, ch)))
		return rc;
	return pid ? proposal_off_agenda(x, c->id, pid, meeting_id) : KN_OK;
}

enum kn_err kn_meeting_attendance(struct kn_ctx *x, const struct kn_council *c, const struct kn_meeting *m,
                                  struct kn_attendance **out, int *n)
{
	struct kn_rows *r;
	/* the people are looked up by id from the meeting's own rows (its
	 * attendance, its person, the seats or the group's members on its
	 * date), never by reading the registry of people through: that was
	 * 8 ms a view of any meeting at 50,000 people */
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT p.id, p.full_name, a.status FROM persons p "
	                        "LEFT JOIN attendance a ON a.meeting_id = $2 AND a.person_id = p.id WHERE p.id IN ("
	                        "SELECT t.person_id FROM attendance t WHERE t.meeting_id = $2 "
	                        "UNION ALL SELECT q.id FROM persons q WHERE q.id = $4 "
	                        "UNION ALL SELECT s.person_id FROM seats s WHERE $5 = 'plenary' AND s.council_id = $1 "
	                        "  AND s.joined_on <= $3 AND (s.left_on IS NULL OR s.left_on > $3) "
	                        "UNION ALL SELECT gm.person_id FROM group_members gm WHERE $5 = 'group' AND gm.group_id = $6 "
	                        "  AND gm.joined_on <= $3 AND (gm.left_on IS NULL OR gm.left_on > $3)) "
	                        "ORDER BY p.full_name",
	                        KN_INT(c->id), KN_INT(m->id), KN_TEXT(m->date), KN_INT(m->person_id), KN_TEXT(m->kind),
	                        KN_INT(m->group_id));
	if (rc)
		return rc;
	if (!r->n && strcmp(m->kind, "individual")) {
		/* no composition recorded for that date: offer those who have sat
		 * on the council (or been in the group) at any time, not the whole
		 * registry of people */
		if ((rc = kn_sql(x->c, x->a, &r,
		                 "SELECT p.id, p.full_name, NULL FROM persons p WHERE p.id IN ("
		                 "SELECT s.person_id FROM seats s WHERE $2 = 'plenary' AND s.council_id = $1 "
		                 "UNION ALL SELECT gm.person_id FROM group_members gm WHERE $2 = 'group' AND gm.group_id = $3) "
		                 "ORDER BY p.full_name",
		                 KN_INT(c->id), KN_TEXT(m->kind), KN_INT(m->group_id))))
			return rc;
	}
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		(*out)[i].person_id = kn_row_i(r, i, 0);
		(*out)[i].name = kn_row_s(r, i, 1);
		(*out)[i].status = kn_row_s(r, i, 2);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_meeting_attend(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, int64_t person_id,
                              const char *status)
{
	struct kn_meeting *m;
	enum kn_err rc = kn_meeting_get(x, c, meeting_id, &m);
	if (rc)
		return rc;
	if ((rc = need_status(x, m, "held", "Attendance is recorded once the meeting has been held.")))
		return rc;
	if (!kn_loop_in(status, kn_attendance_marks))
		kn_ferr_add(x, "status", "Choose present, remote or absent.");
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "SELECT p.id, a.status FROM persons p LEFT JOIN attendance a ON a.person_id = p.id AND a.meeting_id = $2 "
	                 "WHERE p.id = $1",
	                 KN_INT(person_id), KN_INT(meeting_id))))
		return rc;
	if (!r->n)
		kn_ferr_add(x, "person_id", "No such person.");
	if (x->errs)
		return KN_EINVAL;
	const char *old = kn_row_s(r, 0, 1);
	if (old && !strcmp(old, status))
		return KN_OK;
	if ((rc = kn_sql(x->c, x->a, NULL, "DELETE FROM attendance WHERE meeting_id = $1 AND person_id = $2",
	                 KN_INT(meeting_id), KN_INT(person_id))) ||
	    (rc = kn_sql(x->c, x->a, NULL, "INSERT INTO attendance (meeting_id, person_id, status) VALUES ($1, $2, $3)",
	                 KN_INT(meeting_id), KN_INT(person_id), KN_TEXT(status))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "attendee_id", 0, person_id); /* not the meeting's person_id column */
	kn_change_str(ch, "attendance", old, status);
	return kn_event(x, "meeting", meeting_id, "attendance", c->id, 0, ch);
}

enum kn_err kn_meeting_set_minutes(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, const char *md)
{
	struct kn_meeting *m;
	enum kn_err rc = kn_meeting_get(x, c, meeting_id, &m);
	if (rc)
		return rc;
	if ((rc = need_status(x, m, "held", "Minutes are written once the meeting has been held.")))
		return rc;
	md = kn_trim(x, md);
	if (!kn_check_text(x, "minutes", md, 200000, true, true))
		return KN_EINVAL;
	if (!strcmp(md, m->minutes))
		return KN_OK;
	if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE meetings SET minutes = $1, updated_at = $2 WHERE id = $3", KN_TEXT(md),
	                 KN_INT(x->now), KN_INT(meeting_id))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "minutes", *m->minutes ? m->minutes : NULL, md);
	return kn_event(x, "meeting", meeting_id, "minutes", c->id, 0, ch);
}

enum kn_err kn_meeting_hold(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id)
{
	struct kn_meeting *m;
	enum kn_err rc = kn_meeting_get(x, c, meeting_id, &m);
	if (rc)
		return rc;
	if ((rc = need_status(x, m, "scheduled", "Only a scheduled meeting can be marked as held.")))
		return rc;
	if (m->starts_at > x->now) {
		kn_ferr_add(x, NULL, "A meeting cannot be marked as held before it starts.");
		return KN_EINVAL;
	}
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE meetings SET status = 'held', updated_at = $1 WHERE id = $2 AND status = 'scheduled' RETURNING id",
	                 KN_INT(x->now), KN_INT(meeting_id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "status", "scheduled", "held");
	return kn_event(x, "meeting", meeting_id, "held", c->id, 0, ch);
}

enum kn_err kn_meeting_cancel(struct kn_ctx *x, const struct kn_council *c, int64_t meeting_id, const char *reason)
{
	struct kn_meeting *m;
	enum kn_err rc = kn_meeting_get(x, c, meeting_id, &m);
	if (rc)
		return rc;
	if ((rc = need_status(x, m, "scheduled", "Only a scheduled meeting can be cancelled.")))
		return rc;
	reason = kn_trim(x, reason);
	if (!kn_check_text(x, "reason", reason, 2000, true, true))
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE meetings SET status = 'cancelled', cancel_reason = $1, updated_at = $2 "
	                 "WHERE id = $3 AND status = 'scheduled' RETURNING id",
	                 KN_TEXT(reason), KN_INT(x->now), KN_INT(meeting_id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "status", "scheduled", "cancelled");
	kn_change_str(ch, "cancel_reason", NULL, reason);
	if ((rc = kn_event(x, "meeting", meeting_id, "cancelled", c->id, 0, ch)))
		return rc;
	struct kn_agenda_item *it;
	int n;
	if ((rc = kn_meeting_agenda(x, meeting_id, &it, &n)))
		return rc;
	for (int i = 0; i < n; i++)
		if (it[i].proposal_id && (rc = proposal_off_agenda(x, c->id, it[i].proposal_id, meeting_id)))
			return rc;
	return KN_OK;
}

/* ---- proposals -------------------------------------------------------------- */

#define PROPOSAL_COLS                                                                                   \
	"p.id, p.council_id, p.group_id, g.name_en, p.title, p.body, p.state, p.origin, p.reject_reason, "  \
	"p.taken_up_by, t.full_name, p.illustrative, p.created_at, p.updated_at"
#define PROPOSAL_FROM                                                \
	" FROM proposals p LEFT JOIN working_groups g ON g.id = p.group_id" \
	" LEFT JOIN persons t ON t.id = p.taken_up_by"

static void proposal_row(const struct kn_rows *r, int i, struct kn_proposal *p)
{
	p->id = kn_row_i(r, i, 0);
	p->council_id = kn_row_i(r, i, 1);
	p->group_id = kn_row_i(r, i, 2);
	p->group_name = kn_row_s(r, i, 3);
	p->title = kn_row_s(r, i, 4);
	p->body = kn_row_s(r, i, 5);
	p->state = kn_row_s(r, i, 6);
	p->origin = kn_row_s(r, i, 7);
	p->reject_reason = kn_row_s(r, i, 8);
	p->taken_up_by = kn_row_i(r, i, 9);
	p->taken_up_name = kn_row_s(r, i, 10);
	p->illustrative = kn_row_i(r, i, 11) != 0;
	p->created_at = kn_row_i(r, i, 12);
	p->updated_at = kn_row_i(r, i, 13);
}

enum kn_err kn_proposal_list(struct kn_ctx *x, int64_t council_id, const char *state, struct kn_proposal **out, int *n)
{
	return kn_proposal_page(x, council_id, state, 0, 0, out, n, NULL);
}

/* a council's proposals, in one state ($2) or all ('') */
#define PROPOSALS_WHERE " WHERE p.council_id = $1 AND ($2 = '' OR p.state = $2)"

/* limit 0: all of them; total NULL: not counted */
enum kn_err kn_proposal_page(struct kn_ctx *x, int64_t council_id, const char *state, int offset, int limit,
                             struct kn_proposal **out, int *n, int *total)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (total) {
		rc = kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM proposals p" PROPOSALS_WHERE, KN_INT(council_id),
		              KN_TEXT(state ? state : ""));
		if (rc)
			return rc;
	}
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT " PROPOSAL_COLS PROPOSAL_FROM PROPOSALS_WHERE " ORDER BY p.updated_at DESC, p.id DESC LIMIT $3 OFFSET $4",
	            KN_INT(council_id), KN_TEXT(state ? state : ""), KN_LIMIT(limit), KN_INT(offset));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++)
		proposal_row(r, i, &(*out)[i]);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_proposal_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_proposal **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " PROPOSAL_COLS PROPOSAL_FROM " WHERE p.id = $1 AND p.council_id = $2",
	                        KN_INT(id), KN_INT(council_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	proposal_row(r, 0, *out);
	return KN_OK;
}

enum kn_err kn_proposal_signers(struct kn_ctx *x, int64_t id, struct kn_signer **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT s.person_id, p.full_name, s.kind, s.signed_at FROM proposal_signers s "
	                        "JOIN persons p ON p.id = s.person_id WHERE s.proposal_id = $1 "
	                        "ORDER BY (s.kind <> 'author'), s.signed_at, p.full_name",
	                        KN_INT(id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		(*out)[i].person_id = kn_row_i(r, i, 0);
		(*out)[i].name = kn_row_s(r, i, 1);
		(*out)[i].kind = kn_row_s(r, i, 2);
		(*out)[i].signed_at = kn_row_i(r, i, 3);
	}
	*n = r->n;
	return KN_OK;
}

static void proposal_checks(struct kn_ctx *x, struct kn_proposal *p)
{
	p->title = kn_trim(x, p->title);
	kn_check_text(x, "title", p->title, 300, true, false);
	kn_check_text(x, "body", p->body, 50000, false, true);
}

enum kn_err kn_proposal_add_author(struct kn_ctx *x, int64_t id, int64_t person_id, const char *kind)
{
	return kn_sql(x->c, x->a, NULL,
	              "INSERT INTO proposal_signers (proposal_id, person_id, kind, signed_at) VALUES ($1, $2, $3, $4)",
	              KN_INT(id), KN_INT(person_id), KN_TEXT(kind), KN_INT(x->now));
}

enum kn_err kn_proposal_create(struct kn_ctx *x, const struct kn_council *c, const struct kn_proposal *in,
                               bool as_member, int64_t *id)
{
	struct kn_proposal p = *in;
	proposal_checks(x, &p);
	enum kn_err rc = check_group(x, c->id, p.group_id, "group_id");
	if (rc)
		return rc;
	if (x->errs)
		return KN_EINVAL;
	int64_t person = 0;
	if (as_member && (person = kn_loop_actor_person(x, true, &rc), rc))
		return rc;
	const char *state = as_member ? "draft" : "submitted";
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO proposals (council_id, group_id, title, body, state, origin, citizen_user_id, illustrative, "
	                 "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
	                 KN_INT(c->id), p.group_id ? KN_INT(p.group_id) : KN_NULL, KN_TEXT(p.title),
	                 KN_TEXT(p.body ? p.body : ""), KN_TEXT(state), KN_TEXT(as_member ? "member" : "citizen"),
	                 !as_member && x->actor_id ? KN_INT(x->actor_id) : KN_NULL, KN_INT(p.illustrative), KN_INT(x->now))))
		return rc;
	*id = kn_row_i(r, 0, 0);
	if (person && (rc = kn_proposal_add_author(x, *id, person, "author")))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "title", NULL, p.title);
	kn_change_str(ch, "body", NULL, p.body && *p.body ? p.body : NULL);
	kn_change_id(ch, "group_id", 0, p.group_id);
	kn_change_str(ch, "origin", NULL, as_member ? "member" : "citizen");
	kn_change_str(ch, "state", NULL, state);
	kn_change_id(ch, "author_person_id", 0, person);
	if (p.illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "proposal", *id, as_member ? "drafted" : "submitted_by_citizen", c->id, 0, ch);
}

/* Whether the actor is an author of the proposal (the system always is). */
static enum kn_err is_author(struct kn_ctx *x, int64_t id, bool *yes)
{
	*yes = x->actor_id == 0;
	if (*yes)
		return KN_OK;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT 1 FROM proposal_signers s JOIN persons p ON p.id = s.person_id "
	                        "WHERE s.proposal_id = $1 AND s.kind = 'author' AND p.user_id = $2 "
	                        "UNION SELECT 1 FROM proposals WHERE id = $1 AND citizen_user_id = $2",
	                        KN_INT(id), KN_INT(x->actor_id));
	*yes = !rc && r->n > 0;
	return rc;
}

static enum kn_err get_for_change(struct kn_ctx *x, const struct kn_council *c, int64_t id, struct kn_proposal **p,
                                  bool need_author)
{
	enum kn_err rc = kn_proposal_get(x, c->id, id, p);
	if (rc || !need_author)
		return rc;
	bool yes;
	if ((rc = is_author(x, id, &yes)))
		return rc;
	return yes ? KN_OK : KN_EPERM;
}

static enum kn_err wrong_state(struct kn_ctx *x, const char *msg)
{
	kn_ferr_add(x, "state", msg);
	return KN_EINVAL;
}

/* UPDATE state from one to another; KN_ECONFLICT if it changed meanwhile. */
static enum kn_err proposal_move(struct kn_ctx *x, const struct kn_proposal *p, const char *to, const char *action,
                                 struct kn_change *ch)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "UPDATE proposals SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4 RETURNING id",
	                        KN_TEXT(to), KN_INT(x->now), KN_INT(p->id), KN_TEXT(p->state));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if (!ch)
		ch = kn_change_new(x);
	kn_change_str(ch, "state", p->state, to);
	return kn_event(x, "proposal", p->id, action, p->council_id, 0, ch);
}

enum kn_err kn_proposal_edit(struct kn_ctx *x, const struct kn_council *c, int64_t id, const struct kn_proposal *in)
{
	struct kn_proposal *old;
	enum kn_err rc = get_for_change(x, c, id, &old, false);
	if (rc)
		return rc;
	if (strcmp(old->state, "draft"))
		return wrong_state(x, "Only a draft can be edited; later changes go through the working group.");
	if ((rc = get_for_change(x, c, id, &old, true)))
		return rc;
	struct kn_proposal p = *in;
	proposal_checks(x, &p);
	if ((rc = check_group(x, c->id, p.group_id, "group_id")))
		return rc;
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE proposals SET title = $1, body = $2, group_id = $3, updated_at = $4 "
	                 "WHERE id = $5 AND state = 'draft' RETURNING id",
	                 KN_TEXT(p.title), KN_TEXT(p.body ? p.body : ""), p.group_id ? KN_INT(p.group_id) : KN_NULL,
	                 KN_INT(x->now), KN_INT(id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "title", old->title, p.title);
	kn_change_str(ch, "body", old->body, p.body ? p.body : "");
	kn_change_id(ch, "group_id", old->group_id, p.group_id);
	if (kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "proposal", id, "edited", c->id, 0, ch);
}

enum kn_err kn_proposal_submit(struct kn_ctx *x, const struct kn_council *c, int64_t id)
{
	struct kn_proposal *p;
	enum kn_err rc = get_for_change(x, c, id, &p, false);
	if (rc)
		return rc;
	if (strcmp(p->state, "draft"))
		return wrong_state(x, "Only a draft can be submitted.");
	if ((rc = get_for_change(x, c, id, &p, true)))
		return rc;
	return proposal_move(x, p, "submitted", "submitted", NULL);
}

enum kn_err kn_proposal_cosign(struct kn_ctx *x, const struct kn_council *c, int64_t id)
{
	struct kn_proposal *p;
	enum kn_err rc = kn_proposal_get(x, c->id, id, &p);
	if (rc)
		return rc;
	if (strcmp(p->state, "draft") && strcmp(p->state, "submitted") && strcmp(p->state, "group_review") &&
	    strcmp(p->state, "on_agenda"))
		return wrong_state(x, "This proposal can no longer be co-signed.");
	if (!strcmp(p->origin, "citizen") && !p->taken_up_by)
		return wrong_state(x, "A citizen's proposal is co-signed after a member takes it up.");
	int64_t person = kn_loop_actor_person(x, true, &rc);
	if (rc)
		return rc;
	if (!person)
		return KN_EPERM;
	rc = kn_proposal_add_author(x, id, person, "cosigner");
	if (rc == KN_ECONFLICT)
		return wrong_state(x, "You have already signed this proposal.");
	if (rc)
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "cosigner_person_id", 0, person);
	return kn_event(x, "proposal", id, "cosigned", c->id, 0, ch);
}

enum kn_err kn_proposal_take_up(struct kn_ctx *x, const struct kn_council *c, int64_t id)
{
	struct kn_proposal *p;
	enum kn_err rc = kn_proposal_get(x, c->id, id, &p);
	if (rc)
		return rc;
	if (strcmp(p->origin, "citizen") || p->taken_up_by)
		return wrong_state(x, "Only a citizen's proposal no member has taken up can be taken up.");
	if (strcmp(p->state, "submitted"))
		return wrong_state(x, "Only a submitted proposal can be taken up.");
	int64_t person = kn_loop_actor_person(x, true, &rc);
	if (rc)
		return rc;
	if (!person)
		return KN_EPERM;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE proposals SET taken_up_by = $1, updated_at = $2 WHERE id = $3 AND taken_up_by IS NULL RETURNING id",
	                 KN_INT(person), KN_INT(x->now), KN_INT(id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if ((rc = kn_proposal_add_author(x, id, person, "author")) == KN_ECONFLICT)
		rc = kn_sql(x->c, x->a, NULL, "UPDATE proposal_signers SET kind = 'author' WHERE proposal_id = $1 AND person_id = $2",
		            KN_INT(id), KN_INT(person));
	if (rc)
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "taken_up_by", 0, person);
	return kn_event(x, "proposal", id, "taken_up", c->id, 0, ch);
}

enum kn_err kn_proposal_review(struct kn_ctx *x, const struct kn_council *c, int64_t id, int64_t group_id)
{
	struct kn_proposal *p;
	enum kn_err rc = kn_proposal_get(x, c->id, id, &p);
	if (rc)
		return rc;
	if (strcmp(p->state, "submitted"))
		return wrong_state(x, "Only a submitted proposal goes to group review.");
	if (!strcmp(p->origin, "citizen") && !p->taken_up_by)
		return wrong_state(x, "A citizen's proposal goes to a working group once a member takes it up.");
	if ((rc = check_group(x, c->id, group_id, "group_id")))
		return rc;
	if (x->errs)
		return KN_EINVAL;
	struct kn_change *ch = kn_change_new(x);
	if (group_id && group_id != p->group_id) {
		if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE proposals SET group_id = $1 WHERE id = $2", KN_INT(group_id),
		                 KN_INT(id))))
			return rc;
		kn_change_id(ch, "group_id", p->group_id, group_id);
	}
	return proposal_move(x, p, "group_review", "sent_to_group", ch);
}

enum kn_err kn_proposal_accept(struct kn_ctx *x, const struct kn_council *c, int64_t id)
{
	struct kn_proposal *p;
	enum kn_err rc = kn_proposal_get(x, c->id, id, &p);
	if (rc)
		return rc;
	if (strcmp(p->state, "on_agenda"))
		return wrong_state(x, "A proposal is accepted once it is on a meeting's agenda.");
	return proposal_move(x, p, "accepted", "accepted", NULL);
}

enum kn_err kn_proposal_reject(struct kn_ctx *x, const struct kn_council *c, int64_t id, const char *reason)
{
	struct kn_proposal *p;
	enum kn_err rc = kn_proposal_get(x, c->id, id, &p);
	if (rc)
		return rc;
	if (strcmp(p->state, "submitted") && strcmp(p->state, "group_review") && strcmp(p->state, "on_agenda"))
		return wrong_state(x, "Only a submitted proposal, or one in review or on the agenda, can be rejected.");
	reason = kn_trim(x, reason);
	if (!kn_check_text(x, "reason", reason, 5000, true, true))
		return KN_EINVAL;
	if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE proposals SET reject_reason = $1 WHERE id = $2", KN_TEXT(reason),
	                 KN_INT(id))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "reject_reason", p->reject_reason && *p->reject_reason ? p->reject_reason : NULL, reason);
	return proposal_move(x, p, "rejected", "rejected", ch);
}

enum kn_err kn_proposal_withdraw(struct kn_ctx *x, const struct kn_council *c, int64_t id)
{
	struct kn_proposal *p;
	enum kn_err rc = get_for_change(x, c, id, &p, false);
	if (rc)
		return rc;
	if (strcmp(p->state, "draft") && strcmp(p->state, "submitted") && strcmp(p->state, "group_review") &&
	    strcmp(p->state, "on_agenda"))
		return wrong_state(x, "A decided proposal can no longer be withdrawn.");
	if ((rc = get_for_change(x, c, id, &p, true)))
		return rc;
	return proposal_move(x, p, "withdrawn", "withdrawn", NULL);
}
