/* test_composition.c: seats, rotations, quotas and working groups, on SQLite
 * and, when KN_TEST_PG_URL names an empty PostgreSQL database, on
 * PostgreSQL: overlapping terms and seat counts refused, quota warnings,
 * a rotation written whole or not at all, composition at a date, and the
 * lineage of splits and merges. */
#include "core/arena.h"
#include "core/config.h"
#include "domain/composition.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "kt.h"
#include "store/store.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct kn_db *db;
static int councils_made;

struct fx {
	struct kn_arena *a;
	struct kn_conn *c;
	struct kn_ctx x;
	int64_t council;
	int64_t p[8];
};

static void ctx_reset(struct fx *f)
{
	f->x = (struct kn_ctx){.a = f->a, .c = f->c, .now = 1700000000, .actor_name = "test", .actor_role = "secretary"};
}

/* Runs one domain call in its own transaction, like a request does. */
#define TX(f, call)                                                  \
	({                                                               \
		ctx_reset(f);                                                \
		enum kn_err rc_ = kn_db_begin((f)->c);                       \
		if (!rc_)                                                    \
			rc_ = (call);                                            \
		if (rc_)                                                     \
			kn_db_rollback((f)->c);                                  \
		else                                                         \
			rc_ = kn_db_commit((f)->c);                              \
		rc_;                                                         \
	})

static bool has_field(const struct kn_ferr *e, const char *field)
{
	for (; e; e = e->next)
		if (e->field && !strcmp(e->field, field))
			return true;
	return false;
}

/* A council with `seats` member seats and eight people. */
static void fx_open(struct fx *f, long seats)
{
	f->a = kn_arena_new();
	f->c = kn_db_acquire(db);
	ctx_reset(f);
	char slug[32];
	snprintf(slug, sizeof(slug), "comp-%d", ++councils_made);
	struct kn_council c = {.slug = slug, .name_en = "Composition test council", .seats = seats,
	                       .timezone = "Asia/Almaty", .founded_on = "2019-01-01"};
	KT_CHECK(TX(f, kn_council_save(&f->x, &c, &f->council)) == KN_OK);
	for (int i = 0; i < 8; i++) {
		struct kn_person_info p = {.full_name = kn_printf(f->a, "Person %c", 'A' + i)};
		KT_CHECK(TX(f, kn_person_add(&f->x, f->council, &p, &f->p[i])) == KN_OK);
	}
}

static void fx_close(struct fx *f)
{
	kn_db_release(f->c);
	kn_arena_free(f->a);
}

static enum kn_err seat(struct fx *f, int i, const char *role, const char *sector, const char *from, const char *to,
                        int64_t *id)
{
	struct kn_seat s = {.council_id = f->council, .person_id = f->p[i], .role = role, .sector = sector,
	                    .joined_on = from, .left_on = to, .left_reason = to ? "end_of_term" : NULL};
	int64_t dummy;
	return TX(f, kn_seat_add(&f->x, &s, id ? id : &dummy));
}

static int64_t count(struct fx *f, const char *what)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (!strcmp(what, "events"))
		rc = kn_sql0(f->c, f->a, &r, "SELECT COUNT(*) FROM events");
	else if (!strcmp(what, "persons"))
		rc = kn_sql0(f->c, f->a, &r, "SELECT COUNT(*) FROM persons");
	else if (!strcmp(what, "rotations"))
		rc = kn_sql(f->c, f->a, &r, "SELECT COUNT(*) FROM rotations WHERE council_id = $1", KN_INT(f->council));
	else
		rc = kn_sql(f->c, f->a, &r, "SELECT COUNT(*) FROM seats WHERE council_id = $1", KN_INT(f->council));
	return rc ? -1 : kn_row_i(r, 0, 0);
}

static int members_on(struct fx *f, const char *day)
{
	struct kn_seat *s;
	int n = -1;
	ctx_reset(f);
	if (kn_composition_on(&f->x, f->council, day, &s, &n))
		return -1;
	return n;
}

KT_TEST(test_overlapping_seat_refused)
{
	struct fx f;
	fx_open(&f, 0);
	KT_CHECK(seat(&f, 0, "member", "expert", "2020-01-01", NULL, NULL) == KN_OK);
	KT_CHECK(seat(&f, 0, "member", "media", "2020-06-01", NULL, NULL) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "person_id"));
	/* an earlier term ending the day the open one starts does not overlap */
	KT_CHECK(seat(&f, 0, "member", "expert", "2019-01-01", "2020-01-01", NULL) == KN_OK);
	/* one reaching into it does */
	KT_CHECK(seat(&f, 0, "member", "expert", "2018-01-01", "2020-01-02", NULL) == KN_EINVAL);
	/* another person, another council-free day: fine */
	KT_CHECK(seat(&f, 1, "member", "expert", "2020-06-01", NULL, NULL) == KN_OK);
	KT_CHECK_INT(count(&f, "seats"), 3);
	/* bad input: every field reported, nothing written */
	struct kn_seat bad = {.council_id = f.council, .person_id = 999999, .role = "king", .sector = "army",
	                      .joined_on = "2020-13-01"};
	int64_t id;
	KT_CHECK(TX(&f, kn_seat_add(&f.x, &bad, &id)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "person_id") && has_field(f.x.errs, "role") && has_field(f.x.errs, "sector") &&
	         has_field(f.x.errs, "joined_on"));
	/* ending: elected needs the body; a seat cannot end twice */
	int64_t sid;
	KT_CHECK(seat(&f, 2, "member", "ngo", "2020-01-01", NULL, &sid) == KN_OK);
	KT_CHECK(TX(&f, kn_seat_end(&f.x, f.council, sid, "2021-01-15", "elected", "", NULL)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "body"));
	KT_CHECK(TX(&f, kn_seat_end(&f.x, f.council, sid, "2019-12-31", "rotation", NULL, NULL)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "left_on"));
	KT_CHECK(TX(&f, kn_seat_end(&f.x, f.council, sid, "2021-01-15", "elected", "Mazhilis", NULL)) == KN_OK);
	KT_CHECK(TX(&f, kn_seat_end(&f.x, f.council, sid, "2021-02-01", "other", NULL, NULL)) == KN_EINVAL);
	fx_close(&f);
}

KT_TEST(test_seat_count)
{
	struct fx f;
	fx_open(&f, 3);
	KT_CHECK(seat(&f, 0, "member", "expert", "2020-01-01", NULL, NULL) == KN_OK);
	KT_CHECK(seat(&f, 1, "member", "ngo", "2020-01-01", NULL, NULL) == KN_OK);
	KT_CHECK(seat(&f, 2, "member", "media", "2020-01-01", NULL, NULL) == KN_OK);
	int64_t before = count(&f, "seats"), ev = count(&f, "events");
	KT_CHECK(seat(&f, 3, "member", "media", "2020-02-01", NULL, NULL) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "joined_on"));
	KT_CHECK_INT(count(&f, "seats"), before);
	KT_CHECK_INT(count(&f, "events"), ev);
	/* a term over before the others started fits */
	KT_CHECK(seat(&f, 3, "member", "media", "2019-01-01", "2019-12-01", NULL) == KN_OK);
	/* the chair and the secretary are not counted */
	KT_CHECK(seat(&f, 4, "chair", "other", "2020-01-01", NULL, NULL) == KN_OK);
	KT_CHECK(seat(&f, 5, "secretary", "other", "2020-01-01", NULL, NULL) == KN_OK);
	/* a future member while the council is full is refused too */
	KT_CHECK(seat(&f, 6, "member", "youth", "2030-01-01", NULL, NULL) == KN_EINVAL);
	fx_close(&f);
}

KT_TEST(test_quota_warning)
{
	struct fx f;
	fx_open(&f, 10);
	int64_t s0;
	KT_CHECK(seat(&f, 0, "member", "youth", "2020-01-01", NULL, &s0) == KN_OK);
	KT_CHECK(seat(&f, 1, "member", "expert", "2020-01-01", NULL, NULL) == KN_OK);
	long q[KN_NSECTORS] = {1, -1, -1, -1, -1, 1, -1};
	KT_CHECK(TX(&f, kn_quota_set(&f.x, f.council, q, false)) == KN_OK);
	struct kn_quota st[KN_NSECTORS];
	ctx_reset(&f);
	KT_CHECK(kn_quota_status(&f.x, f.council, "2020-02-01", st) == KN_OK);
	KT_CHECK_INT(kn_quota_gaps(st), 0);
	KT_CHECK_INT(st[5].have, 1);
	/* the youth member leaves in a rotation: recorded, with the quota unmet */
	struct kn_rotation t = {.council_id = f.council, .held_on = "2020-06-01"};
	struct kn_rotation_leave l = {s0, "rotation", NULL, NULL};
	struct kn_rotation_join j = {f.p[2], NULL, "member", "media", NULL};
	int64_t rid;
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &t, &l, 1, &j, 1, &rid)) == KN_OK);
	ctx_reset(&f);
	KT_CHECK(kn_quota_status(&f.x, f.council, "2020-06-01", st) == KN_OK);
	KT_CHECK_INT(kn_quota_gaps(st), 1);
	KT_CHECK_INT(st[5].have, 0);
	KT_CHECK(st[5].min_seats == 1);
	/* quotas beyond the seats are refused */
	long big[KN_NSECTORS] = {6, 6, -1, -1, -1, -1, -1};
	KT_CHECK(TX(&f, kn_quota_set(&f.x, f.council, big, false)) == KN_EINVAL);
	long neg[KN_NSECTORS] = {-5, -1, -1, -1, -1, -1, -1};
	KT_CHECK(TX(&f, kn_quota_set(&f.x, f.council, neg, false)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "quota_expert"));
	fx_close(&f);
}

KT_TEST(test_rotation_atomic)
{
	struct fx f;
	fx_open(&f, 2);
	int64_t s0, s1;
	KT_CHECK(seat(&f, 0, "member", "expert", "2020-01-01", NULL, &s0) == KN_OK);
	KT_CHECK(seat(&f, 1, "member", "ngo", "2020-01-01", NULL, &s1) == KN_OK);
	int64_t ev = count(&f, "events"), persons = count(&f, "persons"), seats = count(&f, "seats");
	/* a bad second joining row: nothing written */
	struct kn_rotation t = {.council_id = f.council, .held_on = "2020-06-01", .basis = "Decree 1"};
	struct kn_rotation_leave l[2] = {{s0, "rotation", NULL, NULL}, {s1, "resignation", NULL, NULL}};
	struct kn_rotation_join j[2] = {{0, "New Member One", "member", "media", "Almaty"},
	                                {0, "New Member Two", "member", "astrology", NULL}};
	int64_t rid;
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &t, l, 2, j, 2, &rid)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "joining.2.sector"));
	KT_CHECK(!has_field(f.x.errs, "joining.1.sector"));
	KT_CHECK_INT(count(&f, "events"), ev);
	KT_CHECK_INT(count(&f, "persons"), persons);
	KT_CHECK_INT(count(&f, "seats"), seats);
	KT_CHECK_INT(count(&f, "rotations"), 0);
	/* found only after writing (the council is full): rolled back whole */
	struct kn_rotation_join three[3] = {{0, "New Member One", "member", "media", NULL},
	                                    {0, "New Member Two", "member", "youth", NULL},
	                                    {0, "New Member Three", "member", "youth", NULL}};
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &t, l, 2, three, 3, &rid)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "joining"));
	KT_CHECK_INT(count(&f, "events"), ev);
	KT_CHECK_INT(count(&f, "persons"), persons);
	KT_CHECK_INT(count(&f, "seats"), seats);
	KT_CHECK_INT(count(&f, "rotations"), 0);
	/* a person joining while still seated is refused, unless leaving too */
	struct kn_rotation_join again = {f.p[0], NULL, "secretary", "expert", NULL};
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &t, &l[1], 1, &again, 1, &rid)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "joining.1.person_id"));
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &t, l, 2, &again, 1, &rid)) == KN_OK);
	/* the same seat twice, no rows, a date before the last rotation */
	struct kn_rotation t2 = {.council_id = f.council, .held_on = "2020-07-01"};
	struct kn_rotation_leave twice[2] = {{s0, "rotation", NULL, NULL}, {s0, "rotation", NULL, NULL}};
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &t2, twice, 2, NULL, 0, &rid)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "leaving.1.seat_id"));
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &t2, NULL, 0, NULL, 0, &rid)) == KN_EINVAL);
	struct kn_rotation early = {.council_id = f.council, .held_on = "2020-05-01"};
	struct kn_rotation_join j1 = {f.p[3], NULL, "member", "media", NULL};
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &early, NULL, 0, &j1, 1, &rid)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "held_on"));
	/* the recorded rotation: number 1, who left and who joined */
	struct kn_rotation *list;
	int n;
	ctx_reset(&f);
	KT_CHECK(kn_rotation_list(&f.x, f.council, &list, &n) == KN_OK);
	KT_CHECK_INT(n, 1);
	if (n == 1) {
		KT_CHECK_INT(list[0].number, 1);
		KT_CHECK_INT(list[0].nleft, 2);
		KT_CHECK_INT(list[0].njoined, 1);
		KT_CHECK_STR(list[0].joined[0].role, "secretary");
		KT_CHECK_STR(list[0].left[0].left_on, "2020-06-01");
	}
	fx_close(&f);
}

KT_TEST(test_composition_at_date)
{
	struct fx f;
	fx_open(&f, 5);
	int64_t s0;
	KT_CHECK(seat(&f, 0, "chair", "other", "2019-07-01", NULL, NULL) == KN_OK);
	KT_CHECK(seat(&f, 1, "member", "expert", "2019-07-01", NULL, &s0) == KN_OK);
	KT_CHECK(seat(&f, 2, "member", "ngo", "2019-07-01", NULL, NULL) == KN_OK);
	struct kn_rotation t = {.council_id = f.council, .held_on = "2020-05-20"};
	struct kn_rotation_leave l = {s0, "rotation", NULL, NULL};
	struct kn_rotation_join j[2] = {{f.p[3], NULL, "member", "youth", NULL}, {f.p[4], NULL, "member", "media", NULL}};
	int64_t rid;
	KT_CHECK(TX(&f, kn_rotation_record(&f.x, &t, &l, 1, j, 2, &rid)) == KN_OK);
	KT_CHECK_INT(members_on(&f, "2019-06-30"), 0);
	KT_CHECK_INT(members_on(&f, "2019-07-01"), 3);
	KT_CHECK_INT(members_on(&f, "2020-05-19"), 3);
	KT_CHECK_INT(members_on(&f, "2020-05-20"), 4);
	struct kn_seat *s;
	int n;
	ctx_reset(&f);
	KT_CHECK(kn_composition_on(&f.x, f.council, "2020-06-01", &s, &n) == KN_OK);
	bool left_gone = true, chair_first = n > 0 && !strcmp(s[0].role, "chair");
	for (int i = 0; i < n; i++)
		if (s[i].person_id == f.p[1])
			left_gone = false;
	KT_CHECK(left_gone);
	KT_CHECK(chair_first);
	/* today (the context's clock) sees the same open seats */
	KT_CHECK_INT(members_on(&f, NULL), 4);
	fx_close(&f);
}

static int group_parents(struct fx *f, int64_t gid, const char *slug)
{
	struct kn_group_link *par, *kids;
	int np, nk;
	ctx_reset(f);
	if (kn_group_lineage(&f->x, gid, &par, &np, &kids, &nk))
		return -1;
	int found = 0;
	for (int i = 0; i < np; i++)
		if (!strcmp(par[i].slug, slug))
			found++;
	return found;
}

static int open_members(struct fx *f, int64_t gid, const char *day)
{
	struct kn_group_member *m;
	int n;
	ctx_reset(f);
	return kn_group_members(&f->x, gid, day, &m, &n) ? -1 : n;
}

KT_TEST(test_split_merge_lineage)
{
	struct fx f;
	fx_open(&f, 10);
	int64_t s[5];
	for (int i = 0; i < 5; i++)
		KT_CHECK(seat(&f, i, "member", "expert", "2019-07-01", NULL, &s[i]) == KN_OK);
	struct kn_group g = {.council_id = f.council, .slug = "socio-cultural", .name_en = "Socio-cultural",
	                     .theme = "socio-cultural", .created_on = "2019-09-06"};
	int64_t gid;
	KT_CHECK(TX(&f, kn_group_create(&f.x, &g, &gid)) == KN_OK);
	for (int i = 0; i < 5; i++)
		KT_CHECK(TX(&f, kn_group_member_add(&f.x, f.council, gid, f.p[i], "2019-09-06", false)) == KN_OK);
	KT_CHECK(TX(&f, kn_group_member_add(&f.x, f.council, gid, f.p[0], "2019-10-01", false)) == KN_EINVAL);
	KT_CHECK(TX(&f, kn_group_member_add(&f.x, f.council, gid, f.p[6], "2019-10-01", false)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "person_id"));
	KT_CHECK(TX(&f, kn_group_set_leader(&f.x, f.council, gid, f.p[6])) == KN_EINVAL);
	KT_CHECK(TX(&f, kn_group_set_leader(&f.x, f.council, gid, f.p[0])) == KN_OK);
	struct kn_group parts[2] = {{.slug = "social", .name_en = "Social", .theme = "social", .leader_person_id = f.p[0]},
	                            {.slug = "spiritual-cultural", .name_en = "Spiritual-cultural"}};
	int64_t mid[5] = {f.p[0], f.p[1], f.p[2], f.p[3], f.p[4]};
	int bad_part[5] = {0, 0, 1, 1, 7};
	int64_t ids[2];
	int64_t ev = count(&f, "events");
	KT_CHECK(TX(&f, kn_group_split(&f.x, f.council, gid, "2020-02-01", parts, 2, mid, bad_part, 5, ids)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, kn_printf(f.a, "member.%lld", (long long)f.p[4])));
	KT_CHECK_INT(count(&f, "events"), ev);
	/* a part leader must move to that part */
	int lead_wrong[5] = {1, 0, 1, 1, -1};
	KT_CHECK(TX(&f, kn_group_split(&f.x, f.council, gid, "2020-02-01", parts, 2, mid, lead_wrong, 5, ids)) ==
	         KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "part.1.leader_person_id"));
	int part[5] = {0, 0, 1, 1, -1};
	KT_CHECK(TX(&f, kn_group_split(&f.x, f.council, gid, "2020-02-01", parts, 2, mid, part, 5, ids)) == KN_OK);
	KT_CHECK_INT(group_parents(&f, ids[0], "socio-cultural"), 1);
	KT_CHECK_INT(group_parents(&f, ids[1], "socio-cultural"), 1);
	KT_CHECK_INT(open_members(&f, ids[0], "2020-03-01"), 2);
	KT_CHECK_INT(open_members(&f, ids[1], "2020-03-01"), 2);
	KT_CHECK_INT(open_members(&f, gid, "2020-03-01"), 0);
	KT_CHECK_INT(open_members(&f, gid, "2020-01-31"), 5);
	struct kn_group *old, *soc;
	ctx_reset(&f);
	KT_CHECK(kn_group_get(&f.x, f.council, "socio-cultural", &old) == KN_OK);
	KT_CHECK_STR(old->closed_reason, "split");
	KT_CHECK_STR(old->closed_on, "2020-02-01");
	KT_CHECK(kn_group_get(&f.x, f.council, "social", &soc) == KN_OK);
	KT_CHECK_INT(soc->leader_person_id, f.p[0]);
	/* a closed group cannot be split again; a duplicate slug is a field error */
	KT_CHECK(TX(&f, kn_group_split(&f.x, f.council, gid, "2020-03-01", parts, 2, mid, part, 0, ids)) == KN_EINVAL);
	/* a member leaving the council leaves its groups (and the lead) */
	KT_CHECK(TX(&f, kn_seat_end(&f.x, f.council, s[0], "2020-03-01", "rotation", NULL, NULL)) == KN_OK);
	KT_CHECK_INT(open_members(&f, ids[0], "2020-03-02"), 1);
	ctx_reset(&f);
	KT_CHECK(kn_group_get(&f.x, f.council, "social", &soc) == KN_OK);
	KT_CHECK_INT(soc->leader_person_id, 0);
	/* merge both back */
	struct kn_group into = {.slug = "social", .name_en = "Dup", .created_on = "2020-09-01"};
	int64_t mids[2] = {ids[0], ids[1]}, merged;
	KT_CHECK(TX(&f, kn_group_merge(&f.x, f.council, mids, 2, &into, &merged)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "slug"));
	into.slug = "socio-cultural-2";
	int64_t one[1] = {ids[0]};
	KT_CHECK(TX(&f, kn_group_merge(&f.x, f.council, one, 1, &into, &merged)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "groups"));
	KT_CHECK(TX(&f, kn_group_merge(&f.x, f.council, mids, 2, &into, &merged)) == KN_OK);
	KT_CHECK_INT(group_parents(&f, merged, "social"), 1);
	KT_CHECK_INT(group_parents(&f, merged, "spiritual-cultural"), 1);
	KT_CHECK_INT(open_members(&f, merged, "2020-09-01"), 3);
	KT_CHECK_INT(open_members(&f, ids[0], "2020-09-01"), 0);
	struct kn_group *closed;
	ctx_reset(&f);
	KT_CHECK(kn_group_get(&f.x, f.council, "spiritual-cultural", &closed) == KN_OK);
	KT_CHECK_STR(closed->closed_reason, "merged");
	/* close: date checked, then closed with its members out */
	KT_CHECK(TX(&f, kn_group_close(&f.x, f.council, merged, "2020-08-01")) == KN_EINVAL);
	KT_CHECK(TX(&f, kn_group_close(&f.x, f.council, merged, "2021-01-01")) == KN_OK);
	KT_CHECK_INT(open_members(&f, merged, "2021-01-02"), 0);
	/* every change is in the record's history */
	struct kn_event_row *e;
	int ne;
	ctx_reset(&f);
	KT_CHECK(kn_event_list(&f.x, "group", gid, &e, &ne) == KN_OK);
	bool split_ev = false;
	for (int i = 0; i < ne; i++)
		split_ev = split_ev || !strcmp(e[i].action, "split");
	KT_CHECK(split_ev);
	fx_close(&f);
}

KT_TEST(test_people_and_careers)
{
	struct fx f;
	fx_open(&f, 0);
	KT_CHECK(seat(&f, 0, "member", "expert", "2019-07-01", NULL, NULL) == KN_OK);
	struct kn_career c = {.person_id = f.p[0], .council_id = f.council, .position = "Deputy of the Mazhilis",
	                      .body = "Mazhilis, VII convocation", .started_on = "2021-01-10"};
	int64_t id;
	KT_CHECK(TX(&f, kn_career_add(&f.x, &c, &id)) == KN_OK);
	struct kn_career bad = {.person_id = f.p[0], .council_id = f.council, .position = "",
	                        .started_on = "2021-02-01", .ended_on = "2021-01-01"};
	KT_CHECK(TX(&f, kn_career_add(&f.x, &bad, &id)) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "position") && has_field(f.x.errs, "ended_on"));
	struct kn_career *list;
	int n;
	ctx_reset(&f);
	KT_CHECK(kn_career_list(&f.x, f.p[0], &list, &n) == KN_OK);
	KT_CHECK_INT(n, 1);
	bool in = false;
	KT_CHECK(kn_person_in_council(&f.x, f.council, f.p[0], &in) == KN_OK && in);
	KT_CHECK(kn_person_in_council(&f.x, f.council, f.p[7], &in) == KN_OK && !in);
	KT_CHECK(TX(&f, kn_person_link_account(&f.x, f.council, f.p[0], "no-such-login")) == KN_EINVAL);
	KT_CHECK(has_field(f.x.errs, "login"));
	fx_close(&f);
}

static int run_all(const char *url)
{
	char err[512];
	db = kn_db_open(url, 2, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "cannot open %s: %s\n", url, err);
		kt_fail_++;
		return 1;
	}
	int n;
	if (kn_db_migrate(db, &n, err, sizeof(err))) {
		fprintf(stderr, "migrate: %s\n", err);
		kt_fail_++;
		kn_db_close(db);
		return 1;
	}
	KT_RUN(test_overlapping_seat_refused);
	KT_RUN(test_seat_count);
	KT_RUN(test_quota_warning);
	KT_RUN(test_rotation_atomic);
	KT_RUN(test_composition_at_date);
	KT_RUN(test_split_merge_lineage);
	KT_RUN(test_people_and_careers);
	kn_db_close(db);
	return 0;
}

/* Creates (afresh) the database kn_test_composition on pg's server and
 * writes its URL into out. */
static bool own_pg_database(const char *pg, char *out, size_t len)
{
	char err[512];
	struct kn_db *admin = kn_db_open(pg, 1, err, sizeof(err));
	if (!admin) {
		fprintf(stderr, "cannot open %s: %s\n", pg, err);
		return false;
	}
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(admin);
	bool ok = kn_sql0(c, a, NULL, "DROP DATABASE IF EXISTS kn_test_composition") == KN_OK &&
	          kn_sql0(c, a, NULL, "CREATE DATABASE kn_test_composition") == KN_OK;
	if (!ok)
		fprintf(stderr, "cannot create kn_test_composition: %s\n", kn_conn_errmsg(c));
	kn_db_release(c);
	kn_arena_free(a);
	kn_db_close(admin);
	const char *slash = strrchr(pg, '/');
	const char *q = strchr(pg, '?');
	if (!slash || (size_t)(slash - pg) + 40 > len)
		return false;
	snprintf(out, len, "%.*s/kn_test_composition%s", (int)(slash - pg), pg, q ? q : "");
	return ok;
}

int main(void)
{
	KT_NAME("test_composition");
	if (sodium_init() < 0)
		return 1;
	int argc = 1;
	char *argv[] = {"test", NULL};
	char err[128];
	kn_config_load(&argc, argv, err, sizeof(err));
	char path[300], url[320];
	snprintf(path, sizeof(path), "/tmp/kn-test-composition-%d.db", (int)getpid());
	snprintf(url, sizeof(url), "sqlite:%s", path);
	run_all(url);
	const char *pg = getenv("KN_TEST_PG_URL");
	if (pg && *pg) {
		/* a database of its own: the other programs share KN_TEST_PG_URL
		 * and expect it free of this test's councils */
		char own[600];
		if (own_pg_database(pg, own, sizeof(own)))
			run_all(own);
		else
			kt_fail_++;
	} else {
		fprintf(stderr, "test_composition: KN_TEST_PG_URL not set: PostgreSQL part skipped\n");
	}
	for (int i = 0; i < 3; i++) {
		char p[320];
		snprintf(p, sizeof(p), "%s%s", path, i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(p);
	}
	kn_config_free();
	KT_DONE();
}
