/* demo_composition.c: the composition of the demo National Council of
 * Public Trust: seats, three rotations, nine members elected to the
 * Mazhilis, sector quotas and the four working groups with the split.
 *
 * What the article (seed/000_50db04386e990417.txt) gives: the chair; the
 * members it names and what they do (hence their sectors); three working
 * groups, the last later split into social and spiritual-cultural
 * modernization; three rotations in the year before April 2021; nine
 * members elected to the Mazhilis (VII convocation) on 10 January 2021, four
 * of them named. Everything else is illustrative and marked so
 * (illustrative = 1, shown on the pages): every date except the election,
 * the sectors' quotas, who sat in which group, and the people standing in
 * for members the article does not name ("Member N (illustrative)").
 *
 * The council has 44 member seats. The demo fills only the seats needed to
 * tell the article's story (20 at the start) and leaves the others empty
 * rather than invent 24 more people: the composition page shows the seats
 * filled out of 44. */
#include "domain/demo.h"
#include "core/arena.h"
#include "domain/composition.h"
#include "store/store.h"
#include <string.h>

#define FOUNDED "2019-07-17"
#define GROUPS_ON "2019-09-06"
#define SPLIT_ON "2020-02-01"
#define MAZHILIS "Mazhilis of the Parliament, VII convocation"

/* Illustrative members: name, sector. */
static const struct {
	const char *name, *sector;
} extras[] = {
    {"Member 1 (illustrative)", "expert"},   {"Member 2 (illustrative)", "ngo"},
    {"Member 3 (illustrative)", "business"}, {"Member 4 (illustrative)", "media"},
    {"Member 5 (illustrative)", "ngo"},      {"Member 6 (illustrative)", "business"},
    {"Member 7 (illustrative)", "other"},    {"Member 8 (illustrative)", "youth"},
    {"Member 9 (illustrative)", "ngo"},      {"Member 10 (illustrative)", "media"},
    {"Member 11 (illustrative)", "culture"}, {"Member 12 (illustrative)", "media"},
    {"Member 13 (illustrative)", "expert"},  {"Member 14 (illustrative)", "expert"},
    {"Member 15 (illustrative)", "youth"},   {"Member 16 (illustrative)", "business"},
};

/* Named members present from the start, with the sector their work gives. */
static const struct {
	const char *name, *sector;
} named[] = {
    {"Gulmira Ileuova", "expert"},      {"Emin Askerov", "business"},    {"Marat Shibutov", "ngo"},
    {"Daniyar Ashimbaev", "expert"},    {"Seidahmet Kuttykadam", "culture"}, {"Aruzhan Sain", "media"},
    {"Ermek Tursunov", "culture"},      {"Berik Abdygaliuly", "expert"}, {"Kanat Nurov", "expert"},
    {"Yerlan Sairov", "expert"},        {"Aidos Sarym", "expert"},
};

static enum kn_err person_id(struct kn_ctx *x, const char *name, int64_t *id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT id FROM persons WHERE full_name = $1 ORDER BY id LIMIT 1",
	                        KN_TEXT(name));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*id = kn_row_i(r, 0, 0);
	return KN_OK;
}

static enum kn_err seat(struct kn_ctx *x, int64_t council_id, int64_t pid, const char *role, const char *sector,
                        int64_t *sid)
{
	struct kn_seat s = {.council_id = council_id, .person_id = pid, .role = role, .sector = sector,
	                    .joined_on = FOUNDED, .illustrative = true};
	return kn_seat_add(x, &s, sid);
}

/* The open seat of a person in the council. */
static int64_t open_seat(struct kn_ctx *x, int64_t council_id, int64_t pid)
{
	struct kn_rows *r;
	if (kn_sql(x->c, x->a, &r, "SELECT id FROM seats WHERE council_id = $1 AND person_id = $2 AND left_on IS NULL",
	           KN_INT(council_id), KN_INT(pid)) ||
	    !r->n)
		return 0;
	return kn_row_i(r, 0, 0);
}

enum kn_err kn_demo_composition(struct kn_ctx *x, int64_t council_id)
{
	enum kn_err rc;
	int64_t sid, chair, np[KN_ARRAY_LEN(named)], ep[KN_ARRAY_LEN(extras)];
	if ((rc = person_id(x, "Kassym-Jomart Tokayev", &chair)))
		return rc;
	for (size_t i = 0; i < KN_ARRAY_LEN(named); i++)
		if ((rc = person_id(x, named[i].name, &np[i])))
			return rc;
	for (size_t i = 0; i < KN_ARRAY_LEN(extras); i++) {
		struct kn_person_info p = {
		    .full_name = extras[i].name,
		    .bio = "Stands in for a member of the Council whom the source article does not name (demo data).",
		    .illustrative = true};
		if ((rc = kn_person_add(x, council_id, &p, &ep[i])))
			return rc;
	}

	/* the first composition: chair, the named members, members 1-7, 10, 11 */
	if ((rc = seat(x, council_id, chair, "chair", "other", &sid)))
		return rc;
	for (size_t i = 0; i < KN_ARRAY_LEN(named); i++)
		if ((rc = seat(x, council_id, np[i], "member", named[i].sector, &sid)))
			return rc;
	static const int first[] = {0, 1, 2, 3, 4, 5, 6, 9, 10};
	for (size_t i = 0; i < KN_ARRAY_LEN(first); i++)
		if ((rc = seat(x, council_id, ep[first[i]], "member", extras[first[i]].sector, &sid)))
			return rc;

	/* illustrative quotas */
	long q[KN_NSECTORS] = {3, 2, 1, 1, 1, 1, -1}; /* expert ngo media business culture youth other */
	if ((rc = kn_quota_set(x, council_id, q, true)))
		return rc;

	/* working groups (membership illustrative) */
	static const struct {
		const char *slug, *en, *ru, *kk, *theme;
	} groups[] = {
	    {"political", "Political modernization", "Политическая модернизация", "Саяси жаңғыру", "political"},
	    {"economic", "Economic modernization", "Экономическая модернизация", "Экономикалық жаңғыру", "economic"},
	    {"socio-cultural", "Socio-cultural modernization", "Социально-культурная модернизация",
	     "Әлеуметтік-мәдени жаңғыру", "socio-cultural"},
	};
	int64_t gid[3];
	for (int i = 0; i < 3; i++) {
		struct kn_group g = {.council_id = council_id, .slug = groups[i].slug, .name_en = groups[i].en,
		                     .name_ru = groups[i].ru, .name_kk = groups[i].kk, .theme = groups[i].theme,
		                     .created_on = GROUPS_ON, .illustrative = true};
		if ((rc = kn_group_create(x, &g, &gid[i])))
			return rc;
	}
	/* political: Ashimbaev, Nurov, Sarym, M1; economic: Askerov, Shibutov,
	 * Sairov, M3; socio-cultural: Ileuova, Kuttykadam, Sain, Tursunov,
	 * Abdygaliuly, M2, M5 */
	const int64_t gm[3][7] = {{np[3], np[8], np[10], ep[0], 0, 0, 0},
	                          {np[1], np[2], np[9], ep[2], 0, 0, 0},
	                          {np[0], np[4], np[5], np[6], np[7], ep[1], ep[4]}};
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 7 && gm[i][k]; k++)
			if ((rc = kn_group_member_add(x, council_id, gid[i], gm[i][k], GROUPS_ON, true)))
				return rc;

	/* the split of socio-cultural: social (Ileuova, Sain, Abdygaliuly, M2,
	 * M5), spiritual-cultural (Kuttykadam, Tursunov) */
	struct kn_group parts[2] = {
	    {.slug = "social", .name_en = "Social modernization", .name_ru = "Социальная модернизация",
	     .name_kk = "Әлеуметтік жаңғыру", .theme = "social", .illustrative = true},
	    {.slug = "spiritual-cultural", .name_en = "Spiritual and cultural modernization",
	     .name_ru = "Духовно-культурная модернизация", .name_kk = "Рухани-мәдени жаңғыру",
	     .theme = "spiritual-cultural", .illustrative = true},
	};
	const int64_t sm[7] = {np[0], np[4], np[5], np[6], np[7], ep[1], ep[4]};
	const int sp[7] = {0, 1, 0, 1, 0, 0, 0};
	int64_t parts_id[2];
	if ((rc = kn_group_split(x, council_id, gid[2], SPLIT_ON, parts, 2, sm, sp, 7, parts_id)))
		return rc;

	/* rotation 1: M6, M7 leave; M8 (youth), M9 join */
	int64_t rid;
	{
		struct kn_rotation t = {.council_id = council_id, .held_on = "2020-05-20", .illustrative = true,
		                        .basis = "Rotation of the Council's composition (the date is illustrative)."};
		struct kn_rotation_leave l[2] = {{open_seat(x, council_id, ep[5]), "rotation", NULL, NULL},
		                                 {open_seat(x, council_id, ep[6]), "rotation", NULL, NULL}};
		struct kn_rotation_join j[2] = {{ep[7], NULL, "member", "youth", NULL},
		                                {ep[8], NULL, "member", "ngo", NULL}};
		if ((rc = kn_rotation_record(x, &t, l, 2, j, 2, &rid)))
			return rc;
	}
	/* rotation 2: M10 leaves (rotation), M11 resigns; M12, M13 join */
	{
		struct kn_rotation t = {.council_id = council_id, .held_on = "2020-10-15", .illustrative = true,
		                        .basis = "Rotation of the Council's composition (the date is illustrative)."};
		struct kn_rotation_leave l[2] = {{open_seat(x, council_id, ep[9]), "rotation", NULL, NULL},
		                                 {open_seat(x, council_id, ep[10]), "resignation", NULL, NULL}};
		struct kn_rotation_join j[2] = {{ep[11], NULL, "member", "media", NULL},
		                                {ep[12], NULL, "member", "expert", NULL}};
		if ((rc = kn_rotation_record(x, &t, l, 2, j, 2, &rid)))
			return rc;
	}
	/* rotation 3: the nine members elected to the Mazhilis on 10 January
	 * 2021 leave (four named: Abdygaliuly, Nurov, Sairov, Sarym; five
	 * illustrative: members 1-5); members 14-16 join */
	const int64_t elected[9] = {np[7], np[8], np[9], np[10], ep[0], ep[1], ep[2], ep[3], ep[4]};
	{
		struct kn_rotation t = {
		    .council_id = council_id, .held_on = "2021-01-15", .illustrative = true,
		    .basis = "Members elected deputies of the Mazhilis on 10 January 2021 leave the Council; new members "
		             "join (the date of the rotation is illustrative)."};
		struct kn_rotation_leave l[9];
		for (int i = 0; i < 9; i++)
			l[i] = (struct kn_rotation_leave){open_seat(x, council_id, elected[i]), "elected", MAZHILIS,
			                                  "Elected deputy of the Mazhilis on 10 January 2021."};
		struct kn_rotation_join j[3] = {{ep[13], NULL, "member", "expert", NULL},
		                                {ep[14], NULL, "member", "youth", NULL},
		                                {ep[15], NULL, "member", "business", NULL}};
		if ((rc = kn_rotation_record(x, &t, l, 9, j, 3, &rid)))
			return rc;
	}
	for (int i = 0; i < 9; i++) {
		struct kn_career c = {.person_id = elected[i], .council_id = council_id,
		                      .position = i < 4 ? "Deputy of the Mazhilis, Nur Otan faction" : "Deputy of the Mazhilis",
		                      .body = "Mazhilis of the Parliament of the Republic of Kazakhstan, VII convocation",
		                      .started_on = "2021-01-10", .illustrative = i >= 4};
		int64_t cid;
		if ((rc = kn_career_add(x, &c, &cid)))
			return rc;
	}
	return KN_OK;
}
