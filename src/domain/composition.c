/* composition.c: people, seats, rotations, sector quotas, careers and working
 * groups: validation, storage and events (contract in composition.h). */
#include "domain/composition.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "domain/loop.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

const char *const kn_seat_roles[] = {"chair", "secretary", "member", NULL};
const char *const kn_sectors[] = {"expert", "ngo", "media", "business", "culture", "youth", "other", NULL};
const char *const kn_leave_reasons[] = {"rotation", "resignation", "end_of_term", "elected", "other", NULL};
const char *const kn_group_themes[] = {"political", "economic", "social", "spiritual-cultural", "socio-cultural",
                                       "other", NULL};

#define OPEN_END "9999-12-31"

static bool in_list(const char *v, const char *const *list)
{
	if (!v)
		return false;
	for (int i = 0; list[i]; i++)
		if (!strcmp(v, list[i]))
			return true;
	return false;
}

const char *kn_sector_label(const char *s)
{
	static const char *const l[] = {N_("expert community"), N_("NGO"), N_("media"), N_("business"),
	                                N_("culture"), N_("youth"), N_("other")};
	for (int i = 0; kn_sectors[i]; i++)
		if (s && !strcmp(s, kn_sectors[i]))
			return l[i];
	return s ? s : "";
}

const char *kn_role_label(const char *s)
{
	if (s && !strcmp(s, "chair"))
		return N_("chair");
	if (s && !strcmp(s, "secretary"))
		return N_("secretary");
	return N_("member");
}

const char *kn_reason_label(const char *s)
{
	static const char *const l[] = {N_("rotation"), N_("resignation"), N_("end of term"),
	                                N_("elected to parliament"), N_("other")};
	for (int i = 0; kn_leave_reasons[i]; i++)
		if (s && !strcmp(s, kn_leave_reasons[i]))
			return l[i];
	return s ? s : "";
}

const char *kn_theme_label(const char *s)
{
	static const char *const l[] = {N_("political modernization"), N_("economic modernization"),
	                                N_("social modernization"), N_("spiritual-cultural modernization"),
	                                N_("socio-cultural modernization"), N_("other")};
	for (int i = 0; kn_group_themes[i]; i++)
		if (s && !strcmp(s, kn_group_themes[i]))
			return l[i];
	return s ? s : "";
}

/* "prefix.name", or name without a prefix (arena string). */
static const char *fld(struct kn_ctx *x, const char *prefix, const char *name)
{
	return prefix ? kn_printf(x->a, "%s.%s", prefix, name) : name;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static const char *idstr(struct kn_ctx *x, int64_t id)
{
	return kn_printf(x->a, "%lld", (long long)id);
}

/* Whether b is strictly before a ("YYYY-MM-DD" compares as text). */
static bool before(const char *b, const char *a)
{
	return strcmp(b, a) < 0;
}

const char *kn_council_today(struct kn_ctx *x, const struct kn_council *c)
{
	return kn_loop_today(x, c->timezone);
}

/* The same for a council known by its id alone. */
static const char *today_of(struct kn_ctx *x, int64_t council_id)
{
	struct kn_rows *r;
	if (!kn_sql(x->c, x->a, &r, "SELECT timezone FROM councils WHERE id = $1", KN_INT(council_id)) && r->n)
		return kn_loop_today(x, kn_row_s(r, 0, 0));
	return kn_loop_today(x, "Asia/Almaty");
}

const char *kn_composition_default_day(struct kn_ctx *x, const struct kn_council *c, bool *last_day)
{
	const char *today = kn_council_today(x, c);
	*last_day = false;
	int32_t d;
	if (!c->dissolved_on || strcmp(c->dissolved_on, today) > 0 || kn_date_parse(c->dissolved_on, &d))
		return today;
	char buf[16];
	kn_date_format(d - 1, buf, sizeof(buf));
	*last_day = true;
	return kn_strdup(x->a, buf);
}

/* ---- people -------------------------------------------------------------- */

const char *kn_person_name(const struct kn_person_info *p, const char *lang)
{
	if (lang && !strcmp(lang, "ru") && p->full_name_ru && *p->full_name_ru)
		return p->full_name_ru;
	if (lang && !strcmp(lang, "kk") && p->full_name_kk && *p->full_name_kk)
		return p->full_name_kk;
	return p->full_name;
}

enum kn_err kn_person_get(struct kn_ctx *x, int64_t id, struct kn_person_info **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, full_name, full_name_ru, full_name_kk, bio, user_id, illustrative "
	                        "FROM persons WHERE id = $1",
	                        KN_INT(id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	struct kn_person_info *p = kn_zalloc(x->a, sizeof(*p));
	p->id = kn_row_i(r, 0, 0);
	p->full_name = kn_row_s(r, 0, 1);
	p->full_name_ru = kn_row_s(r, 0, 2);
	p->full_name_kk = kn_row_s(r, 0, 3);
	p->bio = kn_row_s(r, 0, 4);
	p->user_id = kn_row_i(r, 0, 5);
	p->illustrative = kn_row_i(r, 0, 6) != 0;
	*out = p;
	return KN_OK;
}

/* Validates and inserts a person; fields under prefix (or plain names). */
static enum kn_err person_insert(struct kn_ctx *x, int64_t council_id, const char *prefix, const char *namefield,
                                 const struct kn_person_info *in, int64_t *id)
{
	const char *name = kn_trim(x, in->full_name);
	const char *ru = kn_trim(x, in->full_name_ru), *kk = kn_trim(x, in->full_name_kk);
	struct kn_ferr *before_errs = x->errs;
	kn_check_text(x, fld(x, prefix, namefield), name, 300, true, false);
	kn_check_text(x, fld(x, prefix, "full_name_ru"), ru, 300, false, false);
	kn_check_text(x, fld(x, prefix, "full_name_kk"), kk, 300, false, false);
	kn_check_text(x, fld(x, prefix, "bio"), in->bio, 20000, false, true);
	if (x->errs != before_errs)
		return KN_EINVAL;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO persons (full_name, full_name_ru, full_name_kk, bio, illustrative, created_at) "
	                        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	                        KN_TEXT(name), KN_TEXT(nz(ru)), KN_TEXT(nz(kk)), KN_TEXT(in->bio ? in->bio : ""),
	                        KN_INT(in->illustrative ? 1 : 0), KN_INT(x->now));
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "full_name", NULL, name);
	kn_change_str(ch, "full_name_ru", NULL, nz(ru));
	kn_change_str(ch, "full_name_kk", NULL, nz(kk));
	kn_change_str(ch, "bio", NULL, in->bio ? in->bio : "");
	if (in->illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "person", *id, "created", council_id, 0, ch);
}

enum kn_err kn_person_add(struct kn_ctx *x, int64_t council_id, const struct kn_person_info *in, int64_t *id)
{
	enum kn_err rc = person_insert(x, council_id, NULL, "full_name", in, id);
	return x->errs ? KN_EINVAL : rc;
}

/* a choice's columns: its id and its name in the three languages */
#define CHOICE_COLS "p.id, p.full_name, p.full_name_ru, p.full_name_kk"

/* The people one may choose (CHOICE_COLS) in name order, at most limit (0:
 * all of them). */
static enum kn_err choice_rows(struct kn_ctx *x, int64_t council_id, int mode, int limit, struct kn_rows **r)
{
	if (mode == KN_CHOICE_ANY)
		return kn_sql(x->c, x->a, r, "SELECT " CHOICE_COLS " FROM persons p ORDER BY p.full_name, p.id LIMIT $1",
		              KN_LIMIT(limit));
	if (mode == KN_CHOICE_SAT)
		return kn_sql(x->c, x->a, r,
		              /* from the council's seats: a national registry is not walked for them */
		              "SELECT " CHOICE_COLS " FROM persons p WHERE p.id IN (SELECT s.person_id FROM seats s WHERE "
		              "s.council_id = $1) ORDER BY p.full_name, p.id LIMIT $2",
		              KN_INT(council_id), KN_LIMIT(limit));
	return kn_sql(x->c, x->a, r,
	              "SELECT " CHOICE_COLS " FROM persons p WHERE NOT EXISTS (SELECT 1 FROM seats s WHERE "
	              "s.person_id = p.id AND s.council_id = $1 AND s.left_on IS NULL) AND (EXISTS (SELECT 1 FROM "
	              "seats s WHERE s.person_id = p.id AND s.council_id = $1) OR NOT EXISTS (SELECT 1 FROM seats s "
	              "WHERE s.person_id = p.id)) ORDER BY p.full_name, p.id LIMIT $2",
	              KN_INT(council_id), KN_LIMIT(limit));
}

enum kn_err kn_person_choices(struct kn_ctx *x, int64_t council_id, int mode, int limit, struct kn_person_info **out,
                              int *n)
{
	struct kn_rows *r;
	enum kn_err rc = choice_rows(x, council_id, mode, limit, &r);
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		(*out)[i].id = kn_row_i(r, i, 0);
		(*out)[i].full_name = kn_row_s(r, i, 1);
		(*out)[i].full_name_ru = kn_row_s(r, i, 2);
		(*out)[i].full_name_kk = kn_row_s(r, i, 3);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_person_pick(struct kn_ctx *x, int64_t council_id, int mode, const char *field, const char *key,
                           int64_t *id)
{
	*id = 0;
	key = kn_trim(x, key ? key : "");
	if (!*key)
		return KN_OK;
	if (key[strspn(key, "0123456789")] == 0) {
		*id = kn_parse_id(key);
		if (!*id) {
			kn_ferr_add(x, field, "No such person.");
			return KN_EINVAL;
		}
		return KN_OK;
	}
	if (strlen(key) > 400) {
		kn_ferr_add(x, field, "Too long for a name.");
		return KN_EINVAL;
	}
	struct kn_rows *r;
	enum kn_err rc = choice_rows(x, council_id, mode, 0, &r);
	if (rc)
		return rc;
	/* a name said whole, in any of its languages, wins over the longer names
	 * holding it ("Member 1" over "Member 10"); otherwise words that only
	 * one person's names have, as the registry's search reads them */
	static const int names[] = {1, 2, 3};
	int found;
	struct kn_rows *hit = kn_rows_matching(x, r, names, 3, key, true, 0, 5, &found);
	if (found == 1) {
		*id = kn_row_i(hit, 0, 0);
		return KN_OK;
	}
	if (!found) {
		kn_ferr_add(x, field,
		            mode == KN_CHOICE_ANY   ? N_("No such person in the registry of people.")
		            : mode == KN_CHOICE_SAT ? N_("No such person among those who have sat on this council.")
		                                    : N_("No such person among those who can take a seat here (people "
		                                         "seated now cannot)."));
		return KN_EINVAL;
	}
	/* several: name them with their numbers, so that the next try is exact */
	struct kn_buf m;
	kn_buf_arena(&m, x->a, 4096);
	kn_buf_printf(&m, "%s", _("Several people match; give the number of one:"));
	for (int i = 0; i < hit->n; i++)
		kn_buf_printf(&m, "%s %s (%lld)", i ? "," : "", kn_row_s(hit, i, 1), (long long)kn_row_i(hit, i, 0));
	if (found > 5)
		kn_buf_printf(&m, " … (%d)", found);
	kn_ferr_add(x, field, kn_buf_str(&m));
	return KN_EINVAL;
}

enum kn_err kn_person_in_council(struct kn_ctx *x, int64_t council_id, int64_t person_id, bool *yes)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT COUNT(*) FROM seats WHERE council_id = $1 AND person_id = $2",
	                        KN_INT(council_id), KN_INT(person_id));
	if (rc)
		return rc;
	*yes = kn_row_i(r, 0, 0) > 0;
	return KN_OK;
}

enum kn_err kn_person_link_account(struct kn_ctx *x, int64_t council_id, int64_t person_id, const char *login)
{
	struct kn_person_info *p;
	enum kn_err rc = kn_person_get(x, person_id, &p);
	if (rc)
		return rc;
	login = kn_trim(x, login);
	if (!kn_check_text(x, "login", login, 64, true, false))
		return KN_EINVAL;
	if (p->user_id) {
		kn_ferr_add(x, "login", "This person is already linked to an account.");
		return KN_EINVAL;
	}
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT id FROM users WHERE login = $1", KN_TEXT(login))))
		return rc;
	if (!r->n) {
		kn_ferr_add(x, "login", "No account has this login.");
		return KN_EINVAL;
	}
	int64_t uid = kn_row_i(r, 0, 0);
	rc = kn_sql(x->c, x->a, NULL, "UPDATE persons SET user_id = $1 WHERE id = $2 AND user_id IS NULL", KN_INT(uid),
	            KN_INT(person_id));
	if (rc == KN_ECONFLICT) {
		kn_ferr_add(x, "login", "This account is already linked to another person.");
		return KN_EINVAL;
	}
	if (rc)
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "account", NULL, "linked");
	return kn_event(x, "person", person_id, "account_linked", council_id, 0, ch);
}

enum kn_err kn_career_add(struct kn_ctx *x, const struct kn_career *in, int64_t *id)
{
	const char *pos = kn_trim(x, in->position), *body = kn_trim(x, in->body);
	const char *st = kn_trim(x, in->started_on), *en = kn_trim(x, in->ended_on);
	kn_check_text(x, "position", pos, 300, true, false);
	kn_check_text(x, "body", body, 300, false, false);
	bool a = kn_check_date(x, "started_on", st, false);
	bool b = kn_check_date(x, "ended_on", en, false);
	if (a && b && nz(st) && nz(en) && before(en, st))
		kn_ferr_add(x, "ended_on", "The end cannot be before the start.");
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO careers (person_id, position, body, started_on, ended_on, council_id, "
	                        "illustrative, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
	                        KN_INT(in->person_id), KN_TEXT(pos), KN_TEXT(body ? body : ""), KN_TEXT(nz(st)),
	                        KN_TEXT(nz(en)), in->council_id ? KN_INT(in->council_id) : KN_NULL,
	                        KN_INT(in->illustrative ? 1 : 0), KN_INT(x->now));
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	/* a career entry is a record of its own (kind career); the person's
	 * page shows its events with the person's */
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "person_id", 0, in->person_id);
	kn_change_str(ch, "position", NULL, pos);
	kn_change_str(ch, "body", NULL, nz(body));
	kn_change_str(ch, "started_on", NULL, nz(st));
	kn_change_str(ch, "ended_on", NULL, nz(en));
	if (in->illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "career", *id, "career_recorded", in->council_id, 0, ch);
}

enum kn_err kn_career_list(struct kn_ctx *x, int64_t person_id, struct kn_career **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, person_id, council_id, position, body, started_on, ended_on, illustrative "
	                        "FROM careers WHERE person_id = $1 ORDER BY started_on, id",
	                        KN_INT(person_id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_career *c = &(*out)[i];
		c->id = kn_row_i(r, i, 0);
		c->person_id = kn_row_i(r, i, 1);
		c->council_id = kn_row_i(r, i, 2);
		c->position = kn_row_s(r, i, 3);
		c->body = kn_row_s(r, i, 4);
		c->started_on = kn_row_s(r, i, 5);
		c->ended_on = kn_row_s(r, i, 6);
		c->illustrative = kn_row_i(r, i, 7) != 0;
	}
	*n = r->n;
	return KN_OK;
}

/* ---- seats ---------------------------------------------------------------- */

#define SEAT_COLS                                                                                            \
	"s.id, s.council_id, s.person_id, s.role, s.sector, s.region, s.joined_on, s.left_on, s.left_reason, " \
	"s.left_body, s.left_note, s.joined_rotation_id, s.left_rotation_id, s.illustrative, p.full_name, "    \
	"c.slug, c.name_en, p.illustrative, jr.number, lr.number"
#define SEAT_FROM                                                 \
	" FROM seats s JOIN persons p ON p.id = s.person_id"          \
	" JOIN councils c ON c.id = s.council_id"                     \
	" LEFT JOIN rotations jr ON jr.id = s.joined_rotation_id"     \
	" LEFT JOIN rotations lr ON lr.id = s.left_rotation_id"
#define SEAT_ORDER                                                                                          \
	" ORDER BY CASE s.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, CASE s.sector WHEN "     \
	"'expert' THEN 0 WHEN 'ngo' THEN 1 WHEN 'media' THEN 2 WHEN 'business' THEN 3 WHEN 'culture' THEN 4 " \
	"WHEN 'youth' THEN 5 ELSE 6 END, p.full_name, s.id"

static enum kn_err seat_rows(struct kn_ctx *x, struct kn_rows *r, struct kn_seat **out, int *n)
{
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_seat *s = &(*out)[i];
		s->id = kn_row_i(r, i, 0);
		s->council_id = kn_row_i(r, i, 1);
		s->person_id = kn_row_i(r, i, 2);
		s->role = kn_row_s(r, i, 3);
		s->sector = kn_row_s(r, i, 4);
		s->region = kn_row_s(r, i, 5);
		s->joined_on = kn_row_s(r, i, 6);
		s->left_on = kn_row_s(r, i, 7);
		s->left_reason = kn_row_s(r, i, 8);
		s->left_body = kn_row_s(r, i, 9);
		s->left_note = kn_row_s(r, i, 10);
		s->joined_rotation_id = kn_row_i(r, i, 11);
		s->left_rotation_id = kn_row_i(r, i, 12);
		s->illustrative = kn_row_i(r, i, 13) != 0;
		s->person_name = kn_row_s(r, i, 14);
		s->council_slug = kn_row_s(r, i, 15);
		s->council_name = kn_row_s(r, i, 16);
		s->person_illustrative = kn_row_i(r, i, 17) != 0;
		s->joined_rotation_no = (long)kn_row_i(r, i, 18);
		s->left_rotation_no = (long)kn_row_i(r, i, 19);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_seat_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_seat **out)
{
	struct kn_rows *r;
	int n;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " SEAT_COLS SEAT_FROM " WHERE s.id = $1 AND s.council_id = $2",
	                        KN_INT(id), KN_INT(council_id));
	if (!rc)
		rc = seat_rows(x, r, out, &n);
	return rc ? rc : (n ? KN_OK : KN_ENOTFOUND);
}

enum kn_err kn_composition_on(struct kn_ctx *x, int64_t council_id, const char *on, struct kn_seat **out, int *n)
{
	if (!on || !*on)
		on = today_of(x, council_id);
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " SEAT_COLS SEAT_FROM " WHERE s.council_id = $1 AND s.joined_on <= $2 AND "
	                        "(s.left_on IS NULL OR s.left_on > $2)" SEAT_ORDER,
	                        KN_INT(council_id), KN_TEXT(on));
	return rc ? rc : seat_rows(x, r, out, n);
}

enum kn_err kn_members_on(struct kn_ctx *x, int64_t council_id, const char *on, long *members)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT COUNT(*) FROM seats WHERE council_id = $1 AND role = 'member' AND joined_on <= $2 AND "
	                        "(left_on IS NULL OR left_on > $2)",
	                        KN_INT(council_id), KN_TEXT(on));
	if (!rc)
		*members = (long)kn_row_i(r, 0, 0);
	return rc;
}

enum kn_err kn_seats_open(struct kn_ctx *x, int64_t council_id, struct kn_seat **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " SEAT_COLS SEAT_FROM " WHERE s.council_id = $1 AND s.left_on IS NULL" SEAT_ORDER,
	                        KN_INT(council_id));
	return rc ? rc : seat_rows(x, r, out, n);
}

enum kn_err kn_seat_history(struct kn_ctx *x, int64_t council_id, struct kn_seat **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " SEAT_COLS SEAT_FROM " WHERE s.council_id = $1 ORDER BY s.joined_on, s.id",
	                        KN_INT(council_id));
	return rc ? rc : seat_rows(x, r, out, n);
}

enum kn_err kn_seats_of_person(struct kn_ctx *x, int64_t person_id, struct kn_seat **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " SEAT_COLS SEAT_FROM " WHERE s.person_id = $1 ORDER BY s.joined_on, s.id",
	                        KN_INT(person_id));
	return rc ? rc : seat_rows(x, r, out, n);
}

/* The council's configured member seats (0: not set); KN_ENOTFOUND. */
static enum kn_err council_seats(struct kn_ctx *x, int64_t council_id, long *seats)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT seats FROM councils WHERE id = $1", KN_INT(council_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*seats = (long)kn_row_i(r, 0, 0);
	return KN_OK;
}

/* After a write: whether on some day in [from, until) more member seats are
 * held than the council has. Adds the error to field when so. */
static enum kn_err check_seat_count(struct kn_ctx *x, int64_t council_id, const char *from, const char *until,
                                    const char *field)
{
	long seats;
	enum kn_err rc = council_seats(x, council_id, &seats);
	if (rc || seats <= 0)
		return rc;
	struct kn_rows *r;
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT d.day, (SELECT COUNT(*) FROM seats s WHERE s.council_id = $1 AND s.role = 'member' AND "
	            "s.joined_on <= d.day AND (s.left_on IS NULL OR s.left_on > d.day)) AS held "
	            "FROM (SELECT CAST($2 AS TEXT) AS day UNION SELECT joined_on FROM seats WHERE council_id = $1 "
	            "AND joined_on > $2 AND joined_on < $3) d ORDER BY held DESC, d.day LIMIT 1",
	            KN_INT(council_id), KN_TEXT(from), KN_TEXT(until ? until : OPEN_END));
	if (rc)
		return rc;
	if (r->n && kn_row_i(r, 0, 1) > seats) {
		kn_ferr_add(x, field,
		            "This would seat more members than the council has seats: end a seat first (a rotation "
		            "can do both at once), or ask the operator to change the number of seats.");
		return KN_EINVAL;
	}
	return KN_OK;
}

/* Whether the person holds a seat in the council overlapping [from, until). */
static enum kn_err overlaps(struct kn_ctx *x, int64_t council_id, int64_t person_id, const char *from,
                            const char *until, bool *yes)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT COUNT(*) FROM seats WHERE council_id = $1 AND person_id = $2 AND joined_on < $3 "
	                        "AND (left_on IS NULL OR left_on > $4)",
	                        KN_INT(council_id), KN_INT(person_id), KN_TEXT(until ? until : OPEN_END), KN_TEXT(from));
	if (rc)
		return rc;
	*yes = kn_row_i(r, 0, 0) > 0;
	return KN_OK;
}

static enum kn_err person_exists(struct kn_ctx *x, int64_t id, bool *yes)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT id FROM persons WHERE id = $1", KN_INT(id));
	if (!rc)
		*yes = r->n > 0;
	return rc;
}

/* Validates the seat fields shared by kn_seat_add and rotation rows. */
static void seat_check(struct kn_ctx *x, const char *prefix, const char *role, const char *sector, const char *region)
{
	if (!nz(role))
		kn_ferr_add(x, fld(x, prefix, "role"), "This field is required.");
	else if (!in_list(role, kn_seat_roles))
		kn_ferr_add(x, fld(x, prefix, "role"), "Choose chair, secretary or member.");
	if (!nz(sector))
		kn_ferr_add(x, fld(x, prefix, "sector"), "This field is required.");
	else if (!in_list(sector, kn_sectors))
		kn_ferr_add(x, fld(x, prefix, "sector"), "Choose a sector from the list.");
	kn_check_text(x, fld(x, prefix, "region"), region, 200, false, false);
}

static enum kn_err seat_insert(struct kn_ctx *x, int64_t council_id, int64_t person_id, const char *role,
                               const char *sector, const char *region, const char *joined_on, const char *left_on,
                               const char *reason, const char *body, const char *note, int64_t rotation_id,
                               bool illustrative, int64_t *id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(
	    x->c, x->a, &r,
	    "INSERT INTO seats (council_id, person_id, role, sector, region, joined_on, left_on, left_reason, left_body, "
	    "left_note, joined_rotation_id, illustrative, created_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
	    KN_INT(council_id), KN_INT(person_id), KN_TEXT(role), KN_TEXT(sector), KN_TEXT(region ? region : ""),
	    KN_TEXT(joined_on), KN_TEXT(nz(left_on)), KN_TEXT(nz(left_on) ? reason : NULL), KN_TEXT(body ? body : ""),
	    KN_TEXT(note ? note : ""), rotation_id ? KN_INT(rotation_id) : KN_NULL, KN_INT(illustrative ? 1 : 0),
	    KN_INT(x->now));
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_rows *p;
	if ((rc = kn_sql(x->c, x->a, &p, "SELECT full_name FROM persons WHERE id = $1", KN_INT(person_id))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "person_id", 0, person_id);
	kn_change_str(ch, "person", NULL, p->n ? kn_row_s(p, 0, 0) : NULL);
	kn_change_str(ch, "role", NULL, role);
	kn_change_str(ch, "sector", NULL, sector);
	kn_change_str(ch, "region", NULL, nz(region));
	kn_change_str(ch, "joined_on", NULL, joined_on);
	kn_change_str(ch, "left_on", NULL, nz(left_on));
	kn_change_str(ch, "left_reason", NULL, nz(left_on) ? reason : NULL);
	kn_change_str(ch, "left_body", NULL, nz(body));
	kn_change_str(ch, "left_note", NULL, nz(note));
	kn_change_id(ch, "rotation_id", 0, rotation_id);
	if (illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "seat", *id, "created", council_id, 0, ch);
}

/* Validates a leaving reason and body; fields under prefix. */
static void leave_check(struct kn_ctx *x, const char *prefix, const char *reason, const char *body, const char *note)
{
	if (!nz(reason))
		kn_ferr_add(x, fld(x, prefix, "reason"), "Say why the seat ends.");
	else if (!in_list(reason, kn_leave_reasons))
		kn_ferr_add(x, fld(x, prefix, "reason"), "Choose a reason from the list.");
	kn_check_text(x, fld(x, prefix, "body"), body, 300, false, false);
	kn_check_text(x, fld(x, prefix, "note"), note, 2000, false, true);
	if (reason && !strcmp(reason, "elected") && !nz(body))
		kn_ferr_add(x, fld(x, prefix, "body"), "Name the body the person was elected to.");
}

enum kn_err kn_seat_add(struct kn_ctx *x, const struct kn_seat *in, int64_t *id)
{
	long seats;
	enum kn_err rc = council_seats(x, in->council_id, &seats);
	if (rc)
		return rc;
	const char *joined = kn_trim(x, in->joined_on), *left = kn_trim(x, in->left_on);
	const char *region = kn_trim(x, in->region), *body = kn_trim(x, in->left_body);
	bool exists = false;
	if (!in->person_id)
		kn_ferr_add(x, "person_id", "Choose a person.");
	else if ((rc = person_exists(x, in->person_id, &exists)))
		return rc;
	else if (!exists)
		kn_ferr_add(x, "person_id", "No such person.");
	seat_check(x, NULL, in->role, in->sector, region);
	bool jd = kn_check_date(x, "joined_on", joined, true);
	bool ld = kn_check_date(x, "left_on", left, false);
	if (nz(left)) {
		if (jd && ld && !before(joined, left))
			kn_ferr_add(x, "left_on", "A seat must end after the day it starts.");
		leave_check(x, NULL, in->left_reason, body, in->left_note);
	}
	if (!x->errs && exists) {
		bool ov;
		if ((rc = overlaps(x, in->council_id, in->person_id, joined, nz(left), &ov)))
			return rc;
		if (ov)
			kn_ferr_add(x, "person_id", "This person already holds a seat in this council during these dates.");
	}
	if (x->errs)
		return KN_EINVAL;
	if ((rc = seat_insert(x, in->council_id, in->person_id, in->role, in->sector, region, joined, left,
	                      in->left_reason, body, in->left_note, 0, in->illustrative, id)))
		return rc;
	return check_seat_count(x, in->council_id, joined, nz(left), "joined_on");
}

/* Ends the person's open group memberships in the council on day, unless
 * they still hold another seat there on that day. */
static enum kn_err leave_groups(struct kn_ctx *x, int64_t council_id, int64_t person_id, const char *day)
{
	bool still;
	enum kn_err rc = overlaps(x, council_id, person_id, day, NULL, &still);
	if (rc || still)
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "SELECT m.id, g.id, g.leader_person_id FROM group_members m JOIN working_groups g ON "
	                 "g.id = m.group_id WHERE g.council_id = $1 AND m.person_id = $2 AND m.left_on IS NULL AND "
	                 "m.joined_on <= $3",
	                 KN_INT(council_id), KN_INT(person_id), KN_TEXT(day))))
		return rc;
	for (int i = 0; i < r->n; i++) {
		int64_t gid = kn_row_i(r, i, 1);
		if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE group_members SET left_on = $1 WHERE id = $2", KN_TEXT(day),
		                 KN_INT(kn_row_i(r, i, 0)))))
			return rc;
		struct kn_change *ch = kn_change_new(x);
		kn_change_id(ch, "member_left", 0, person_id);
		kn_change_str(ch, "left_on", NULL, day);
		if (kn_row_i(r, i, 2) == person_id) {
			if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE working_groups SET leader_person_id = NULL WHERE id = $1",
			                 KN_INT(gid))))
				return rc;
			kn_change_id(ch, "leader_person_id", person_id, 0);
		}
		if ((rc = kn_event(x, "group", gid, "member_left", council_id, 0, ch)))
			return rc;
	}
	return KN_OK;
}

/* Ends an open seat (checked by the caller) and appends its event. */
static enum kn_err seat_close(struct kn_ctx *x, const struct kn_seat *s, const char *left_on, const char *reason,
                              const char *body, const char *note, int64_t rotation_id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "UPDATE seats SET left_on = $1, left_reason = $2, left_body = $3, left_note = $4, "
	                        "left_rotation_id = $5 WHERE id = $6 AND left_on IS NULL RETURNING id",
	                        KN_TEXT(left_on), KN_TEXT(reason), KN_TEXT(body ? body : ""), KN_TEXT(note ? note : ""),
	                        rotation_id ? KN_INT(rotation_id) : KN_NULL, KN_INT(s->id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "left_on", NULL, left_on);
	kn_change_str(ch, "left_reason", NULL, reason);
	kn_change_str(ch, "left_body", NULL, nz(body));
	kn_change_str(ch, "left_note", NULL, nz(note));
	kn_change_id(ch, "rotation_id", 0, rotation_id);
	if ((rc = kn_event(x, "seat", s->id, "ended", s->council_id, 0, ch)))
		return rc;
	return leave_groups(x, s->council_id, s->person_id, left_on);
}

enum kn_err kn_seat_end(struct kn_ctx *x, int64_t council_id, int64_t seat_id, const char *left_on,
                        const char *reason, const char *body, const char *note)
{
	struct kn_seat *s;
	enum kn_err rc = kn_seat_get(x, council_id, seat_id, &s);
	if (rc)
		return rc;
	left_on = kn_trim(x, left_on);
	body = kn_trim(x, body);
	if (s->left_on)
		kn_ferr_add(x, NULL, "This seat has already ended.");
	if (kn_check_date(x, "left_on", left_on, true) && !before(s->joined_on, left_on))
		kn_ferr_add(x, "left_on", "A seat must end after the day it starts.");
	leave_check(x, NULL, reason, body, note);
	if (x->errs)
		return KN_EINVAL;
	return seat_close(x, s, left_on, reason, body, note, 0);
}

/* ---- sector quotas ----------------------------------------------------------- */

enum kn_err kn_quota_status(struct kn_ctx *x, int64_t council_id, const char *on, struct kn_quota out[KN_NSECTORS])
{
	if (!on || !*on)
		on = today_of(x, council_id);
	for (int i = 0; i < KN_NSECTORS; i++) {
		out[i].sector = kn_sectors[i];
		out[i].min_seats = -1;
		out[i].have = 0;
		out[i].illustrative = false;
	}
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT sector, min_seats, illustrative FROM sector_quotas WHERE council_id = $1",
	                        KN_INT(council_id));
	if (rc)
		return rc;
	for (int k = 0; k < r->n; k++)
		for (int i = 0; i < KN_NSECTORS; i++)
			if (!strcmp(kn_row_s(r, k, 0), kn_sectors[i])) {
				out[i].min_seats = (long)kn_row_i(r, k, 1);
				out[i].illustrative = kn_row_i(r, k, 2) != 0;
			}
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "SELECT sector, COUNT(*) FROM seats WHERE council_id = $1 AND role = 'member' AND joined_on <= $2 "
	                 "AND (left_on IS NULL OR left_on > $2) GROUP BY sector",
	                 KN_INT(council_id), KN_TEXT(on))))
		return rc;
	for (int k = 0; k < r->n; k++)
		for (int i = 0; i < KN_NSECTORS; i++)
			if (!strcmp(kn_row_s(r, k, 0), kn_sectors[i]))
				out[i].have = (long)kn_row_i(r, k, 1);
	return KN_OK;
}

int kn_quota_gaps(const struct kn_quota q[KN_NSECTORS])
{
	int n = 0;
	for (int i = 0; i < KN_NSECTORS; i++)
		if (q[i].min_seats > 0 && q[i].have < q[i].min_seats)
			n++;
	return n;
}

enum kn_err kn_quota_set(struct kn_ctx *x, int64_t council_id, const long min[KN_NSECTORS], bool illustrative)
{
	long seats;
	enum kn_err rc = council_seats(x, council_id, &seats);
	if (rc)
		return rc;
	struct kn_quota old[KN_NSECTORS];
	if ((rc = kn_quota_status(x, council_id, NULL, old)))
		return rc;
	long sum = 0;
	for (int i = 0; i < KN_NSECTORS; i++) {
		const char *f = kn_printf(x->a, "quota_%s", kn_sectors[i]);
		if (min[i] < -1 || min[i] > 100000)
			kn_ferr_add(x, f, "Enter a whole number of seats, or leave it empty for no quota.");
		else if (seats > 0 && min[i] > seats)
			kn_ferr_add(x, f, "A quota cannot be larger than the council's number of seats.");
		else if (min[i] > 0)
			sum += min[i];
	}
	if (!x->errs && seats > 0 && sum > seats)
		kn_ferr_add(x, NULL, "The quotas add up to more than the council's number of seats.");
	if (x->errs)
		return KN_EINVAL;
	if ((rc = kn_sql(x->c, x->a, NULL, "DELETE FROM sector_quotas WHERE council_id = $1", KN_INT(council_id))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	for (int i = 0; i < KN_NSECTORS; i++) {
		if (min[i] >= 0 &&
		    (rc = kn_sql(x->c, x->a, NULL,
		                 "INSERT INTO sector_quotas (council_id, sector, min_seats, illustrative) VALUES ($1, $2, $3, $4)",
		                 KN_INT(council_id), KN_TEXT(kn_sectors[i]), KN_INT(min[i]), KN_INT(illustrative ? 1 : 0))))
			return rc;
		kn_change_str(ch, kn_printf(x->a, "quota_%s", kn_sectors[i]),
		              old[i].min_seats >= 0 ? kn_printf(x->a, "%ld", old[i].min_seats) : NULL,
		              min[i] >= 0 ? kn_printf(x->a, "%ld", min[i]) : NULL);
	}
	if (kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "council", council_id, "quotas_set", council_id, 0, ch);
}

/* ---- rotations --------------------------------------------------------------- */

enum kn_err kn_rotation_record(struct kn_ctx *x, const struct kn_rotation *in, const struct kn_rotation_leave *leave,
                               int nleave, const struct kn_rotation_join *join, int njoin, int64_t *id)
{
	long seats;
	enum kn_err rc = council_seats(x, in->council_id, &seats);
	if (rc)
		return rc;
	const char *held = kn_trim(x, in->held_on), *basis = kn_trim(x, in->basis);
	bool hd = kn_check_date(x, "held_on", held, true);
	kn_check_text(x, "basis", basis, 2000, false, true);
	if (nleave + njoin == 0)
		kn_ferr_add(x, NULL, "A rotation needs at least one member leaving or joining.");
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "SELECT number, held_on FROM rotations WHERE council_id = $1 ORDER BY number DESC LIMIT 1",
	                 KN_INT(in->council_id))))
		return rc;
	long number = r->n ? (long)kn_row_i(r, 0, 0) + 1 : 1;
	if (hd && r->n && before(held, kn_row_s(r, 0, 1)))
		kn_ferr_add(x, "held_on", "Rotations are recorded in order: this date is before the council's last rotation.");
	struct kn_seat **ls = kn_zalloc(x->a, sizeof(*ls) * (size_t)(nleave + 1));
	for (int i = 0; i < nleave; i++) {
		const char *p = kn_printf(x->a, "leaving.%d", i + 1);
		const struct kn_rotation_leave *l = &leave[i];
		rc = l->seat_id ? kn_seat_get(x, in->council_id, l->seat_id, &ls[i]) : KN_ENOTFOUND;
		if (rc == KN_ENOTFOUND) {
			kn_ferr_add(x, fld(x, p, "seat_id"), "Choose a seat of this council.");
			ls[i] = NULL;
		} else if (rc) {
			return rc;
		} else if (ls[i]->left_on) {
			kn_ferr_add(x, fld(x, p, "seat_id"), "This seat has already ended.");
		} else if (hd && !before(ls[i]->joined_on, held)) {
			kn_ferr_add(x, fld(x, p, "seat_id"), "This seat starts on or after the rotation date.");
		}
		for (int k = 0; k < i && ls[i]; k++)
			if (ls[k] && ls[k]->id == ls[i]->id)
				kn_ferr_add(x, fld(x, p, "seat_id"), "This seat is listed twice.");
		leave_check(x, p, l->reason, kn_trim(x, l->body), l->note);
	}
	for (int i = 0; i < njoin; i++) {
		const char *p = kn_printf(x->a, "joining.%d", i + 1);
		const struct kn_rotation_join *j = &join[i];
		if (j->person_id) {
			bool ok;
			if ((rc = person_exists(x, j->person_id, &ok)))
				return rc;
			if (!ok)
				kn_ferr_add(x, fld(x, p, "person_id"), "No such person.");
			if (nz(j->new_name))
				kn_ferr_add(x, fld(x, p, "name"), "Choose an existing person or type a new name, not both.");
			for (int k = 0; k < i; k++)
				if (join[k].person_id == j->person_id)
					kn_ferr_add(x, fld(x, p, "person_id"), "This person is listed twice.");
		} else if (!nz(kn_trim(x, j->new_name))) {
			kn_ferr_add(x, fld(x, p, "person_id"), "Choose a person or type the name of a new one.");
		} else {
			kn_check_text(x, fld(x, p, "name"), kn_trim(x, j->new_name), 300, true, false);
		}
		seat_check(x, p, j->role, j->sector, kn_trim(x, j->region));
	}
	if (x->errs)
		return KN_EINVAL;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO rotations (council_id, number, held_on, basis, illustrative, created_at) "
	                 "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	                 KN_INT(in->council_id), KN_INT(number), KN_TEXT(held), KN_TEXT(basis ? basis : ""),
	                 KN_INT(in->illustrative ? 1 : 0), KN_INT(x->now))))
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_buf left, joined;
	kn_buf_arena(&left, x->a, 1 << 20);
	kn_buf_arena(&joined, x->a, 1 << 20);
	for (int i = 0; i < nleave; i++) {
		if ((rc = seat_close(x, ls[i], held, leave[i].reason, kn_trim(x, leave[i].body), leave[i].note, *id)))
			return rc;
		kn_buf_printf(&left, "%s%s (%s)", i ? "; " : "", ls[i]->person_name, leave[i].reason);
	}
	for (int i = 0; i < njoin; i++) {
		const char *p = kn_printf(x->a, "joining.%d", i + 1);
		const struct kn_rotation_join *j = &join[i];
		int64_t pid = j->person_id, sid;
		if (!pid) {
			struct kn_person_info np = {.full_name = j->new_name};
			if ((rc = person_insert(x, in->council_id, p, "name", &np, &pid)))
				return x->errs ? KN_EINVAL : rc;
		}
		bool ov;
		if ((rc = overlaps(x, in->council_id, pid, held, NULL, &ov)))
			return rc;
		if (ov) {
			kn_ferr_add(x, fld(x, p, "person_id"),
			            "This person already holds a seat in this council on this date (or a later one).");
			return KN_EINVAL;
		}
		if ((rc = seat_insert(x, in->council_id, pid, j->role, j->sector, kn_trim(x, j->region), held, NULL, NULL,
		                      NULL, NULL, *id, in->illustrative, &sid)))
			return rc;
		struct kn_rows *pn;
		if ((rc = kn_sql(x->c, x->a, &pn, "SELECT full_name FROM persons WHERE id = $1", KN_INT(pid))))
			return rc;
		kn_buf_printf(&joined, "%s%s (%s)", i ? "; " : "", kn_row_s(pn, 0, 0), j->sector);
	}
	if ((rc = check_seat_count(x, in->council_id, held, NULL, "joining")))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_int(ch, "number", -1, number);
	kn_change_str(ch, "held_on", NULL, held);
	kn_change_str(ch, "basis", NULL, nz(basis));
	kn_change_str(ch, "left", NULL, nleave ? kn_buf_str(&left) : NULL);
	kn_change_str(ch, "joined", NULL, njoin ? kn_buf_str(&joined) : NULL);
	if (in->illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "rotation", *id, "recorded", in->council_id, 0, ch);
}

static enum kn_err rotation_seats(struct kn_ctx *x, struct kn_rotation *t)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " SEAT_COLS SEAT_FROM " WHERE s.left_rotation_id = $1" SEAT_ORDER,
	                        KN_INT(t->id));
	if (!rc)
		rc = seat_rows(x, r, &t->left, &t->nleft);
	if (!rc)
		rc = kn_sql(x->c, x->a, &r, "SELECT " SEAT_COLS SEAT_FROM " WHERE s.joined_rotation_id = $1" SEAT_ORDER,
		            KN_INT(t->id));
	if (!rc)
		rc = seat_rows(x, r, &t->joined, &t->njoined);
	return rc;
}

static void rotation_row(struct kn_rows *r, int i, struct kn_rotation *t)
{
	t->id = kn_row_i(r, i, 0);
	t->council_id = kn_row_i(r, i, 1);
	t->number = (long)kn_row_i(r, i, 2);
	t->held_on = kn_row_s(r, i, 3);
	t->basis = kn_row_s(r, i, 4);
	t->illustrative = kn_row_i(r, i, 5) != 0;
}

static enum kn_err rotation_list(struct kn_ctx *x, int64_t council_id, bool with_seats, struct kn_rotation **out,
                                 int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, council_id, number, held_on, basis, illustrative FROM rotations "
	                        "WHERE council_id = $1 ORDER BY number",
	                        KN_INT(council_id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		rotation_row(r, i, &(*out)[i]);
		if (with_seats && (rc = rotation_seats(x, &(*out)[i])))
			return rc;
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_rotation_list(struct kn_ctx *x, int64_t council_id, struct kn_rotation **out, int *n)
{
	return rotation_list(x, council_id, true, out, n);
}

enum kn_err kn_rotation_heads(struct kn_ctx *x, int64_t council_id, struct kn_rotation **out, int *n)
{
	return rotation_list(x, council_id, false, out, n);
}

enum kn_err kn_rotation_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_rotation **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, council_id, number, held_on, basis, illustrative FROM rotations "
	                        "WHERE council_id = $1 AND id = $2",
	                        KN_INT(council_id), KN_INT(id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	rotation_row(r, 0, *out);
	return rotation_seats(x, *out);
}

/* ---- working groups ------------------------------------------------------------ */

#define GROUP_COLS                                                                                              \
	"g.id, g.council_id, g.slug, g.name_en, g.name_ru, g.name_kk, g.theme, g.leader_person_id, p.full_name, " \
	"g.created_on, g.closed_on, g.closed_reason, g.illustrative"
#define GROUP_FROM " FROM working_groups g LEFT JOIN persons p ON p.id = g.leader_person_id"

const char *kn_group_name(const struct kn_group *g, const char *lang)
{
	if (lang && !strcmp(lang, "ru") && g->name_ru && *g->name_ru)
		return g->name_ru;
	if (lang && !strcmp(lang, "kk") && g->name_kk && *g->name_kk)
		return g->name_kk;
	return g->name_en;
}

static void group_row(struct kn_rows *r, int i, struct kn_group *g)
{
	g->id = kn_row_i(r, i, 0);
	g->council_id = kn_row_i(r, i, 1);
	g->slug = kn_row_s(r, i, 2);
	g->name_en = kn_row_s(r, i, 3);
	g->name_ru = kn_row_s(r, i, 4);
	g->name_kk = kn_row_s(r, i, 5);
	g->theme = kn_row_s(r, i, 6);
	g->leader_person_id = kn_row_i(r, i, 7);
	g->leader_name = kn_row_s(r, i, 8);
	g->created_on = kn_row_s(r, i, 9);
	g->closed_on = kn_row_s(r, i, 10);
	g->closed_reason = kn_row_s(r, i, 11);
	g->illustrative = kn_row_i(r, i, 12) != 0;
}

enum kn_err kn_group_list(struct kn_ctx *x, int64_t council_id, struct kn_group **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " GROUP_COLS GROUP_FROM " WHERE g.council_id = $1 "
	                        "ORDER BY (g.closed_on IS NOT NULL), g.created_on, g.id",
	                        KN_INT(council_id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++)
		group_row(r, i, &(*out)[i]);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_group_get(struct kn_ctx *x, int64_t council_id, const char *key, struct kn_group **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " GROUP_COLS GROUP_FROM " WHERE g.council_id = $1 AND (g.id = $2 OR g.slug = $3)",
	                        KN_INT(council_id), KN_INT(kn_parse_id(key)), KN_TEXT(key ? key : ""));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	group_row(r, 0, *out);
	return KN_OK;
}

static enum kn_err group_by_id(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_group **out)
{
	return kn_group_get(x, council_id, idstr(x, id), out);
}

/* Whether the person sits on the council on day. */
static enum kn_err sits_on(struct kn_ctx *x, int64_t council_id, int64_t person_id, const char *day, bool *yes)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT COUNT(*) FROM seats WHERE council_id = $1 AND person_id = $2 AND joined_on <= $3 "
	                        "AND (left_on IS NULL OR left_on > $3)",
	                        KN_INT(council_id), KN_INT(person_id), KN_TEXT(day));
	if (!rc)
		*yes = kn_row_i(r, 0, 0) > 0;
	return rc;
}

static void group_check(struct kn_ctx *x, const char *prefix, struct kn_group *g)
{
	g->slug = kn_trim(x, g->slug);
	g->name_en = kn_trim(x, g->name_en);
	g->name_ru = kn_trim(x, g->name_ru);
	g->name_kk = kn_trim(x, g->name_kk);
	g->theme = kn_trim(x, g->theme);
	g->created_on = kn_trim(x, g->created_on);
	if (!nz(g->theme))
		g->theme = "other";
	kn_check_slug(x, fld(x, prefix, "slug"), g->slug);
	kn_check_text(x, fld(x, prefix, "name_en"), g->name_en, 300, true, false);
	kn_check_text(x, fld(x, prefix, "name_ru"), g->name_ru, 300, false, false);
	kn_check_text(x, fld(x, prefix, "name_kk"), g->name_kk, 300, false, false);
	kn_check_text(x, fld(x, prefix, "theme"), g->theme, 100, false, false);
	kn_check_date(x, fld(x, prefix, "created_on"), g->created_on, true);
}

/* Inserts a checked group; a duplicate slug is a field error. */
static enum kn_err group_insert(struct kn_ctx *x, const char *prefix, const struct kn_group *g, const char *action,
                                const char *from, int64_t *id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO working_groups (council_id, slug, name_en, name_ru, name_kk, theme, created_on, "
	                        "illustrative, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
	                        KN_INT(g->council_id), KN_TEXT(g->slug), KN_TEXT(g->name_en),
	                        KN_TEXT(g->name_ru ? g->name_ru : ""), KN_TEXT(g->name_kk ? g->name_kk : ""),
	                        KN_TEXT(g->theme), KN_TEXT(g->created_on), KN_INT(g->illustrative ? 1 : 0), KN_INT(x->now));
	if (rc == KN_ECONFLICT) {
		kn_ferr_add(x, fld(x, prefix, "slug"), "Another working group of this council already uses this short name.");
		return KN_EINVAL;
	}
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "slug", NULL, g->slug);
	kn_change_str(ch, "name_en", NULL, g->name_en);
	kn_change_str(ch, "name_ru", NULL, nz(g->name_ru));
	kn_change_str(ch, "name_kk", NULL, nz(g->name_kk));
	kn_change_str(ch, "theme", NULL, g->theme);
	kn_change_str(ch, "created_on", NULL, g->created_on);
	kn_change_str(ch, "from", NULL, from);
	if (g->illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "group", *id, action, g->council_id, 0, ch);
}

static enum kn_err member_insert(struct kn_ctx *x, int64_t council_id, int64_t gid, int64_t pid, const char *on,
                                 bool illustrative, bool event)
{
	enum kn_err rc = kn_sql(x->c, x->a, NULL,
	                        "INSERT INTO group_members (group_id, person_id, joined_on, illustrative, created_at) "
	                        "VALUES ($1, $2, $3, $4, $5)",
	                        KN_INT(gid), KN_INT(pid), KN_TEXT(on), KN_INT(illustrative ? 1 : 0), KN_INT(x->now));
	if (rc || !event)
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "member_joined", 0, pid);
	kn_change_str(ch, "joined_on", NULL, on);
	return kn_event(x, "group", gid, "member_joined", council_id, 0, ch);
}

static enum kn_err set_leader(struct kn_ctx *x, const struct kn_group *g, int64_t pid)
{
	enum kn_err rc = kn_sql(x->c, x->a, NULL, "UPDATE working_groups SET leader_person_id = $1 WHERE id = $2",
	                        pid ? KN_INT(pid) : KN_NULL, KN_INT(g->id));
	if (rc)
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "leader_person_id", g->leader_person_id, pid);
	if (kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "group", g->id, "leader_set", g->council_id, 0, ch);
}

enum kn_err kn_group_create(struct kn_ctx *x, const struct kn_group *in, int64_t *id)
{
	struct kn_group g = *in;
	group_check(x, NULL, &g);
	enum kn_err rc;
	if (g.leader_person_id && nz(g.created_on) && !x->errs) {
		bool sits;
		if ((rc = sits_on(x, g.council_id, g.leader_person_id, g.created_on, &sits)))
			return rc;
		if (!sits)
			kn_ferr_add(x, "leader_person_id", "The leader must sit on the council on the day the group is created.");
	}
	if (x->errs)
		return KN_EINVAL;
	if ((rc = group_insert(x, NULL, &g, "created", NULL, id)))
		return rc;
	if (g.leader_person_id) {
		struct kn_group *saved;
		if ((rc = member_insert(x, g.council_id, *id, g.leader_person_id, g.created_on, g.illustrative, true)) ||
		    (rc = group_by_id(x, g.council_id, *id, &saved)) || (rc = set_leader(x, saved, g.leader_person_id)))
			return rc;
	}
	return KN_OK;
}

enum kn_err kn_group_members(struct kn_ctx *x, int64_t group_id, const char *on, struct kn_group_member **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (on)
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT m.person_id, p.full_name, m.joined_on, m.left_on, m.illustrative FROM group_members m "
		            "JOIN persons p ON p.id = m.person_id WHERE m.group_id = $1 AND m.joined_on <= $2 AND "
		            "(m.left_on IS NULL OR m.left_on > $2) ORDER BY p.full_name, m.id",
		            KN_INT(group_id), KN_TEXT(on));
	else
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT m.person_id, p.full_name, m.joined_on, m.left_on, m.illustrative FROM group_members m "
		            "JOIN persons p ON p.id = m.person_id WHERE m.group_id = $1 "
		            "ORDER BY (m.left_on IS NOT NULL), p.full_name, m.id",
		            KN_INT(group_id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_group_member *m = &(*out)[i];
		m->person_id = kn_row_i(r, i, 0);
		m->name = kn_row_s(r, i, 1);
		m->joined_on = kn_row_s(r, i, 2);
		m->left_on = kn_row_s(r, i, 3);
		m->illustrative = kn_row_i(r, i, 4) != 0;
	}
	*n = r->n;
	return KN_OK;
}

/* The open membership of a person in a group (0: none). */
static enum kn_err open_membership(struct kn_ctx *x, int64_t gid, int64_t pid, int64_t *mid, const char **joined)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, joined_on FROM group_members WHERE group_id = $1 AND person_id = $2 AND "
	                        "left_on IS NULL",
	                        KN_INT(gid), KN_INT(pid));
	if (rc)
		return rc;
	*mid = r->n ? kn_row_i(r, 0, 0) : 0;
	if (joined)
		*joined = r->n ? kn_row_s(r, 0, 1) : NULL;
	return KN_OK;
}

enum kn_err kn_group_member_add(struct kn_ctx *x, int64_t council_id, int64_t group_id, int64_t person_id,
                                const char *joined_on, bool illustrative)
{
	struct kn_group *g;
	enum kn_err rc = group_by_id(x, council_id, group_id, &g);
	if (rc)
		return rc;
	joined_on = kn_trim(x, joined_on);
	if (g->closed_on)
		kn_ferr_add(x, NULL, "This group is closed.");
	bool dok = kn_check_date(x, "joined_on", joined_on, true);
	if (dok && before(joined_on, g->created_on))
		kn_ferr_add(x, "joined_on", "The group did not exist yet on this date.");
	int64_t mid = 0;
	if (!person_id) {
		kn_ferr_add(x, "person_id", "Choose a person.");
	} else if (dok && !x->errs) {
		bool sits;
		if ((rc = sits_on(x, council_id, person_id, joined_on, &sits)) ||
		    (rc = open_membership(x, group_id, person_id, &mid, NULL)))
			return rc;
		if (!sits)
			kn_ferr_add(x, "person_id", "Only a person sitting on the council on that date can join its groups.");
		else if (mid)
			kn_ferr_add(x, "person_id", "This person is already a member of the group.");
	}
	if (x->errs)
		return KN_EINVAL;
	return member_insert(x, council_id, group_id, person_id, joined_on, illustrative, true);
}

enum kn_err kn_group_member_remove(struct kn_ctx *x, int64_t council_id, int64_t group_id, int64_t person_id,
                                   const char *left_on)
{
	struct kn_group *g;
	enum kn_err rc = group_by_id(x, council_id, group_id, &g);
	if (rc)
		return rc;
	left_on = kn_trim(x, left_on);
	int64_t mid;
	const char *joined;
	if ((rc = open_membership(x, group_id, person_id, &mid, &joined)))
		return rc;
	if (!mid)
		kn_ferr_add(x, "person_id", "This person is not a member of the group.");
	if (kn_check_date(x, "left_on", left_on, true) && joined && before(left_on, joined))
		kn_ferr_add(x, "left_on", "A member cannot leave before joining.");
	if (x->errs)
		return KN_EINVAL;
	if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE group_members SET left_on = $1 WHERE id = $2", KN_TEXT(left_on),
	                 KN_INT(mid))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "member_left", 0, person_id);
	kn_change_str(ch, "left_on", NULL, left_on);
	if (g->leader_person_id == person_id) {
		if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE working_groups SET leader_person_id = NULL WHERE id = $1",
		                 KN_INT(group_id))))
			return rc;
		kn_change_id(ch, "leader_person_id", person_id, 0);
	}
	return kn_event(x, "group", group_id, "member_left", council_id, 0, ch);
}

enum kn_err kn_group_set_leader(struct kn_ctx *x, int64_t council_id, int64_t group_id, int64_t person_id)
{
	struct kn_group *g;
	enum kn_err rc = group_by_id(x, council_id, group_id, &g);
	if (rc)
		return rc;
	if (g->closed_on)
		kn_ferr_add(x, NULL, "This group is closed.");
	if (person_id) {
		int64_t mid;
		if ((rc = open_membership(x, group_id, person_id, &mid, NULL)))
			return rc;
		if (!mid)
			kn_ferr_add(x, "leader_person_id", "The leader must be a member of the group.");
	}
	if (x->errs)
		return KN_EINVAL;
	return set_leader(x, g, person_id);
}

/* Closes an open group on day with reason; its open memberships end. */
static enum kn_err group_close(struct kn_ctx *x, const struct kn_group *g, const char *day, const char *reason,
                               const char *into)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "UPDATE working_groups SET closed_on = $1, closed_reason = $2 WHERE id = $3 AND "
	                        "closed_on IS NULL RETURNING id",
	                        KN_TEXT(day), KN_TEXT(reason), KN_INT(g->id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE group_members SET left_on = $1 WHERE group_id = $2 AND left_on IS NULL",
	                 KN_TEXT(day), KN_INT(g->id))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "closed_on", NULL, day);
	kn_change_str(ch, "closed_reason", NULL, reason);
	kn_change_str(ch, "into", NULL, into);
	const char *action = !strcmp(reason, "split") ? "split" : !strcmp(reason, "merged") ? "merged" : "closed";
	return kn_event(x, "group", g->id, action, g->council_id, 0, ch);
}

enum kn_err kn_group_close(struct kn_ctx *x, int64_t council_id, int64_t group_id, const char *on)
{
	struct kn_group *g;
	enum kn_err rc = group_by_id(x, council_id, group_id, &g);
	if (rc)
		return rc;
	on = kn_trim(x, on);
	if (g->closed_on)
		kn_ferr_add(x, NULL, "This group is already closed.");
	if (kn_check_date(x, "closed_on", on, true) && before(on, g->created_on))
		kn_ferr_add(x, "closed_on", "A group cannot close before it was created.");
	if (x->errs)
		return KN_EINVAL;
	return group_close(x, g, on, "dissolved", NULL);
}

static enum kn_err lineage_insert(struct kn_ctx *x, int64_t parent, int64_t child, const char *kind, const char *on)
{
	return kn_sql(x->c, x->a, NULL,
	              "INSERT INTO group_lineage (parent_id, child_id, kind, happened_on) VALUES ($1, $2, $3, $4)",
	              KN_INT(parent), KN_INT(child), KN_TEXT(kind), KN_TEXT(on));
}

enum kn_err kn_group_split(struct kn_ctx *x, int64_t council_id, int64_t group_id, const char *on,
                           const struct kn_group *parts, int nparts, const int64_t *member_ids, const int *member_part,
                           int nmembers, int64_t *ids)
{
	struct kn_group *g;
	enum kn_err rc = group_by_id(x, council_id, group_id, &g);
	if (rc)
		return rc;
	on = kn_trim(x, on);
	if (g->closed_on)
		kn_ferr_add(x, NULL, "This group is closed.");
	bool dok = kn_check_date(x, "on", on, true);
	if (dok && !before(g->created_on, on))
		kn_ferr_add(x, "on", "A group can be split only after the day it was created.");
	if (nparts < 2)
		kn_ferr_add(x, "parts", "A split needs at least two new groups.");
	struct kn_group *p = kn_zalloc(x->a, sizeof(*p) * (size_t)(nparts + 1));
	for (int i = 0; i < nparts; i++) {
		p[i] = parts[i];
		p[i].council_id = council_id;
		p[i].created_on = on;
		p[i].illustrative = g->illustrative || parts[i].illustrative;
		const char *pre = kn_printf(x->a, "part.%d", i + 1);
		group_check(x, pre, &p[i]);
		for (int k = 0; k < i; k++)
			if (p[k].slug && p[i].slug && !strcmp(p[k].slug, p[i].slug))
				kn_ferr_add(x, fld(x, pre, "slug"), "Two new groups cannot share a short name.");
	}
	struct kn_group_member *cur = NULL;
	int ncur = 0;
	if (dok && (rc = kn_group_members(x, group_id, on, &cur, &ncur)))
		return rc;
	for (int i = 0; i < nmembers; i++) {
		const char *f = kn_printf(x->a, "member.%lld", (long long)member_ids[i]);
		bool found = false;
		for (int k = 0; k < ncur; k++)
			if (cur[k].person_id == member_ids[i])
				found = true;
		if (!found)
			kn_ferr_add(x, f, "This person is not a member of the group.");
		if (member_part[i] < -1 || member_part[i] >= nparts)
			kn_ferr_add(x, f, "Choose one of the new groups, or none.");
		for (int k = 0; k < i; k++)
			if (member_ids[k] == member_ids[i])
				kn_ferr_add(x, f, "This member is listed twice.");
	}
	for (int i = 0; i < nparts; i++) {
		if (!p[i].leader_person_id)
			continue;
		bool ok = false;
		for (int k = 0; k < nmembers; k++)
			if (member_ids[k] == p[i].leader_person_id && member_part[k] == i)
				ok = true;
		if (!ok)
			kn_ferr_add(x, fld(x, kn_printf(x->a, "part.%d", i + 1), "leader_person_id"),
			            "The leader must be one of the members moving to this group.");
	}
	if (x->errs)
		return KN_EINVAL;
	struct kn_buf into;
	kn_buf_arena(&into, x->a, 1024);
	for (int i = 0; i < nparts; i++)
		kn_buf_printf(&into, "%s%s", i ? ", " : "", p[i].slug);
	if ((rc = group_close(x, g, on, "split", kn_buf_str(&into))))
		return rc;
	for (int i = 0; i < nparts; i++) {
		if ((rc = group_insert(x, kn_printf(x->a, "part.%d", i + 1), &p[i], "created", g->slug, &ids[i])) ||
		    (rc = lineage_insert(x, g->id, ids[i], "split", on)))
			return rc;
		for (int k = 0; k < nmembers; k++)
			if (member_part[k] == i && (rc = member_insert(x, council_id, ids[i], member_ids[k], on,
			                                               g->illustrative, true)))
				return rc;
		if (p[i].leader_person_id) {
			struct kn_group *ng;
			if ((rc = group_by_id(x, council_id, ids[i], &ng)) || (rc = set_leader(x, ng, p[i].leader_person_id)))
				return rc;
		}
	}
	return KN_OK;
}

enum kn_err kn_group_merge(struct kn_ctx *x, int64_t council_id, const int64_t *group_ids, int ngroups,
                           const struct kn_group *into, int64_t *id)
{
	struct kn_group ng = *into;
	ng.council_id = council_id;
	group_check(x, NULL, &ng);
	bool dok = nz(ng.created_on) && !x->errs;
	if (ngroups < 2)
		kn_ferr_add(x, "groups", "Choose at least two groups to merge.");
	struct kn_group **src = kn_zalloc(x->a, sizeof(*src) * (size_t)(ngroups + 1));
	enum kn_err rc;
	for (int i = 0; i < ngroups; i++) {
		rc = group_by_id(x, council_id, group_ids[i], &src[i]);
		if (rc == KN_ENOTFOUND) {
			kn_ferr_add(x, "groups", "Choose groups of this council.");
			return KN_EINVAL;
		}
		if (rc)
			return rc;
		if (src[i]->closed_on)
			kn_ferr_add(x, "groups", "A closed group cannot be merged.");
		else if (dok && !before(src[i]->created_on, ng.created_on))
			kn_ferr_add(x, "created_on", "Groups can be merged only after the day they were created.");
		for (int k = 0; k < i; k++)
			if (group_ids[k] == group_ids[i])
				kn_ferr_add(x, "groups", "A group is listed twice.");
	}
	if (x->errs)
		return KN_EINVAL;
	struct kn_buf from;
	kn_buf_arena(&from, x->a, 1024);
	for (int i = 0; i < ngroups; i++)
		kn_buf_printf(&from, "%s%s", i ? ", " : "", src[i]->slug);
	/* members of the sources on the day, before closing them */
	struct kn_group_member **mem = kn_zalloc(x->a, sizeof(*mem) * (size_t)(ngroups + 1));
	int *nm = kn_zalloc(x->a, sizeof(*nm) * (size_t)(ngroups + 1));
	for (int i = 0; i < ngroups; i++)
		if ((rc = kn_group_members(x, src[i]->id, ng.created_on, &mem[i], &nm[i])))
			return rc;
	if ((rc = group_insert(x, NULL, &ng, "created", kn_buf_str(&from), id)))
		return rc;
	for (int i = 0; i < ngroups; i++) {
		if ((rc = group_close(x, src[i], ng.created_on, "merged", ng.slug)) ||
		    (rc = lineage_insert(x, src[i]->id, *id, "merge", ng.created_on)))
			return rc;
		for (int k = 0; k < nm[i]; k++) {
			bool dup = false;
			for (int a = 0; a <= i && !dup; a++)
				for (int b = 0; b < (a == i ? k : nm[a]) && !dup; b++)
					dup = mem[a][b].person_id == mem[i][k].person_id;
			if (!dup && (rc = member_insert(x, council_id, *id, mem[i][k].person_id, ng.created_on,
			                                ng.illustrative, true)))
				return rc;
		}
	}
	return KN_OK;
}

static enum kn_err links(struct kn_ctx *x, struct kn_rows *r, struct kn_group_link **out, int *n)
{
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_group_link *l = &(*out)[i];
		l->group_id = kn_row_i(r, i, 0);
		l->slug = kn_row_s(r, i, 1);
		l->name_en = kn_row_s(r, i, 2);
		l->name_ru = kn_row_s(r, i, 3);
		l->name_kk = kn_row_s(r, i, 4);
		l->kind = kn_row_s(r, i, 5);
		l->happened_on = kn_row_s(r, i, 6);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_group_lineage(struct kn_ctx *x, int64_t group_id, struct kn_group_link **parents, int *np,
                             struct kn_group_link **children, int *nc)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT g.id, g.slug, g.name_en, g.name_ru, g.name_kk, l.kind, l.happened_on FROM "
	                        "group_lineage l JOIN working_groups g ON g.id = l.parent_id WHERE l.child_id = $1 "
	                        "ORDER BY g.id",
	                        KN_INT(group_id));
	if (rc || (rc = links(x, r, parents, np)))
		return rc;
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT g.id, g.slug, g.name_en, g.name_ru, g.name_kk, l.kind, l.happened_on FROM group_lineage l "
	            "JOIN working_groups g ON g.id = l.child_id WHERE l.parent_id = $1 ORDER BY g.id",
	            KN_INT(group_id));
	return rc ? rc : links(x, r, children, nc);
}

enum kn_err kn_groups_of_person(struct kn_ctx *x, int64_t person_id, struct kn_group **groups,
                                struct kn_group_member **memb, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " GROUP_COLS ", m.joined_on, m.left_on, m.illustrative, c.slug FROM group_members m "
	                        "JOIN working_groups g ON g.id = m.group_id LEFT JOIN persons p ON p.id = g.leader_person_id "
	                        "JOIN councils c ON c.id = g.council_id WHERE m.person_id = $1 ORDER BY m.joined_on, m.id",
	                        KN_INT(person_id));
	if (rc)
		return rc;
	*groups = kn_zalloc(x->a, sizeof(**groups) * (size_t)(r->n + 1));
	*memb = kn_zalloc(x->a, sizeof(**memb) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		group_row(r, i, &(*groups)[i]);
		(*memb)[i].person_id = person_id;
		(*memb)[i].joined_on = kn_row_s(r, i, 13);
		(*memb)[i].left_on = kn_row_s(r, i, 14);
		(*memb)[i].illustrative = kn_row_i(r, i, 15) != 0;
		(*memb)[i].name = kn_row_s(r, i, 16); /* the council's slug, for links */
	}
	*n = r->n;
	return KN_OK;
}
