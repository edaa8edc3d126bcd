/* demo_loop.c: the council loop of the demo council from the source article
 * (seed/000_50db04386e990417.txt): five plenary meetings, the Ministry of
 * Internal Affairs assignment from the 5th with its outcomes, completed on
 * time; 24 individual meetings; the political reform package with its 7
 * laws; Askerov's and Shibutov's proposals. Facts come from the article;
 * what it does not give (exact dates, law titles and numbers, the members
 * met individually) is flagged illustrative and says so on the page. */
#include "domain/demo_loop.h"
#include "core/arena.h"
#include "domain/loop.h"
#include "domain/registry.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

static int64_t person(struct kn_ctx *x, const char *name)
{
	struct kn_rows *r;
	if (kn_sql(x->c, x->a, &r, "SELECT id FROM persons WHERE full_name = $1 ORDER BY id", KN_TEXT(name)) || !r->n)
		return 0;
	return kn_row_i(r, 0, 0);
}

static int64_t group(struct kn_ctx *x, int64_t council_id, const char *slug)
{
	struct kn_rows *r;
	if (kn_sql(x->c, x->a, &r, "SELECT id FROM working_groups WHERE council_id = $1 AND slug = $2", KN_INT(council_id),
	           KN_TEXT(slug)) ||
	    !r->n)
		return 0;
	return kn_row_i(r, 0, 0);
}

/* A proposal raised by author (a member), submitted, reviewed by its group
 * and put on the 5th meeting's agenda. */
static enum kn_err proposal(struct kn_ctx *x, const struct kn_council *c, int64_t meeting, const char *author,
                            const char *group_slug, const char *title, const char *body, int64_t *id)
{
	struct kn_proposal p = {.title = title, .body = body, .group_id = group(x, c->id, group_slug)};
	enum kn_err rc;
	x->actor_role = "member";
	if ((rc = kn_proposal_create(x, c, &p, true, id)))
		return rc;
	int64_t pid = person(x, author);
	if (pid && (rc = kn_proposal_add_author(x, *id, pid, "author")))
		return rc;
	if ((rc = kn_proposal_submit(x, c, *id)))
		return rc;
	x->actor_role = "secretary";
	if ((rc = kn_proposal_review(x, c, *id, 0)))
		return rc;
	int64_t item;
	return kn_meeting_agenda_add(x, c, meeting, NULL, *id, &item);
}

static const struct {
	const char *date, *time, *place, *title, *minutes;
} plenaries[] = {
    {"2019-09-06", "10:00", "Akorda, Nur-Sultan", "First meeting of the National Council of Public Trust",
     "The President opened the Council created after his inauguration in June 2019: \"Different opinions, but one "
     "nation.\" Working groups on political, economic and socio-cultural modernization were formed."},
    {"2019-12-20", "10:00", "Akorda, Nur-Sultan", "Second meeting",
     "The package of political reforms announced with the support of the leaders of public opinion was discussed."},
    {"2020-05-29", "10:00", "", "Third meeting",
     "Held during the quarantine. The socio-cultural group was later split into social and spiritual-cultural "
     "modernization."},
    {"2020-10-16", "10:00", "Akorda, Nur-Sultan", "Fourth meeting", "Progress of the political reforms."},
    {"2021-02-25", "10:00", "Akorda, Nur-Sultan", "Fifth meeting",
     "## The President\n\nMore than **2.5 thousand crimes against women**, including those with a lethal outcome, are "
     "registered in the country every year. \"The solution to this painful issue is possible only through the joint "
     "efforts of government agencies and non-governmental organizations.\" The year of the 30th anniversary of "
     "Independence will be marked by economic and political reforms, the development of education and healthcare, "
     "digitalization, the protection of human rights and the solution of environmental problems.\n\n"
     "## Members\n\n"
     "- **Gulmira Ileuova**: the unit for the protection of women and children from violence, created in the "
     "Ministry of Internal Affairs in 1999, lost almost half its staff, and most where offenses were most frequent. "
     "The President instructed the Ministry to restore the units.\n"
     "- **Emin Askerov**, founder of the School of Social Entrepreneurship: social entrepreneurship in the Social "
     "Code and in the state programmes; 2022 or 2023 as the Year of Social Entrepreneurship.\n"
     "- **Marat Shibutov**, Transparency Kazakhstan: a mechanism of direct communication between civil society and "
     "the government for urgent decisions; the failure of the Ministry of Finance's accompanying invoices system, "
     "acknowledged by the State Revenue Committee after two meetings.\n"},
};

enum kn_err kn_demo_loop(struct kn_ctx *x, int64_t council_id)
{
	struct kn_council *c;
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)council_id);
	enum kn_err rc = kn_council_get(x, key, &c);
	if (rc)
		return rc;
	const char *role = x->actor_role;
	int64_t now = x->now, mid[5] = {0}, id;
	x->actor_role = "secretary";
	for (int i = 0; i < 5; i++) {
		struct kn_meeting m = {.kind = "plenary", .number = i + 1, .title = plenaries[i].title,
		                       .date = plenaries[i].date, .time = plenaries[i].time, .place = plenaries[i].place,
		                       .online = !*plenaries[i].place, .illustrative = true};
		if ((rc = kn_meeting_create(x, c, &m, &mid[i])))
			return rc;
	}
	/* the proposals discussed at the 5th meeting */
	int64_t p_women, p_code, p_year, p_channel;
	if ((rc = proposal(x, c, mid[4], "Gulmira Ileuova", "social",
	                   "Restore the units protecting women and children from violence",
	                   "The unit for the protection of women and children from violence was created in the structure of "
	                   "the Ministry of Internal Affairs in 1999; its staff was then reduced by almost half, and in the "
	                   "regions with the greatest number of offenses in this area.\n\nRestore the units' staff.",
	                   &p_women)) ||
	    (rc = proposal(x, c, mid[4], "Emin Askerov", "economic",
	                   "Social entrepreneurship in the Social Code and in the state programmes",
	                   "Include a component for the development of social entrepreneurship in the Social Code being "
	                   "drafted and in the existing state programmes.",
	                   &p_code)) ||
	    (rc = proposal(x, c, mid[4], "Emin Askerov", "economic", "Declare 2022 or 2023 the Year of Social Entrepreneurship",
	                   "\"I never stop hitting one point!\" Social issues will soon concern developing countries more "
	                   "than the factor of economic growth.",
	                   &p_year)) ||
	    (rc = proposal(x, c, mid[4], "Marat Shibutov", "political",
	                   "A direct channel between civil society and the government for urgent decisions",
	                   "A mechanism for direct communication when a decision is needed urgently. Example: the failure of "
	                   "the Ministry of Finance's system of accompanying invoices, which hit every trading and "
	                   "manufacturing company; after a letter on Friday and two meetings, the State Revenue Committee "
	                   "acknowledged its gaps on Monday and began working with entrepreneurs.",
	                   &p_channel)))
		return rc;
	(void)p_code;
	(void)p_year;
	(void)p_channel;
	/* the meetings took place; the 5th's outcome: the proposal accepted */
	for (int i = 0; i < 5; i++) {
		if ((rc = kn_meeting_hold(x, c, mid[i])) || (rc = kn_meeting_set_minutes(x, c, mid[i], plenaries[i].minutes)))
			return rc;
	}
	int64_t chair = person(x, "Kassym-Jomart Tokayev");
	int64_t members[] = {chair, person(x, "Gulmira Ileuova"), person(x, "Emin Askerov"), person(x, "Marat Shibutov")};
	for (size_t i = 0; i < KN_ARRAY_LEN(members); i++)
		if (members[i] && (rc = kn_meeting_attend(x, c, mid[4], members[i], "present")))
			return rc;
	if ((rc = kn_proposal_accept(x, c, p_women)))
		return rc;

	/* the presidential assignment, its report and its acceptance */
	x->actor_role = "chair";
	struct kn_assignment a = {
	    .title = "Restore the state units for the protection of women and children from violence in the internal "
	             "affairs bodies",
	    .body = "Instruction given by the President at the 5th meeting of the Council, following the proposal of "
	            "Gulmira Ileuova.\n\n*The deadline shown is illustrative: the source article does not give it.*",
	    .agency_key = "mvd",
	    .proposal_id = p_women,
	    .meeting_id = mid[4],
	    .issued_on = "2021-02-25",
	    .deadline = "2021-04-30",
	    .illustrative = true};
	int64_t aid;
	if ((rc = kn_assignment_issue(x, c, &a, &aid)))
		return rc;
	struct kn_agency *mvd;
	if ((rc = kn_agency_get(x, "mvd", &mvd)))
		return rc;
	x->actor_role = "officer";
	if ((rc = kn_assignment_start(x, aid, mvd->id)))
		return rc;
	/* the report and the acceptance happened on the dates the article gives
	 * (the eve of 8 April 2021); they are recorded with those dates */
	x->now = 1617688800; /* 2021-04-06 12:00 Asia/Almaty (illustrative day) */
	struct kn_indicator ind[] = {
	    {"Staff units, units for the protection of women from violence", "staff units", NULL, NULL, "+129"},
	    {"Staff units, units for juvenile affairs and child protection (almost doubled)", "staff units", NULL, NULL,
	     "+448"},
	};
	int64_t rid;
	if ((rc = kn_assignment_report(
	         x, aid, mvd->id,
	         "By order of the Minister of Internal Affairs Yerlan Turgumbayev the staffing of the units for the "
	         "protection of women and children from violence has been strengthened, through the internal "
	         "distribution of staff units. The unit for the protection of women from violence gained 129 staff "
	         "units; the unit for juvenile affairs and child protection almost doubled, by 448 units.\n\n"
	         "Announced on the Council's Telegram channel Ulttyq_kenes.",
	         "https://t.me/Ulttyq_kenes", true, ind, 2, &rid)))
		return rc;
	x->actor_role = "chair";
	x->now = 1617775200; /* 2021-04-07 12:00 Asia/Almaty (illustrative day) */
	rc = kn_assignment_accept(x, c, aid);
	x->now = now;
	if (rc)
		return rc;

	/* 24 individual meetings of the President with members: the article
	 * gives the count, not the members or the dates */
	x->actor_role = "secretary";
	for (int i = 0; i < 24; i++) {
		int mon = 10 + i * 18 / 24; /* spread from October 2019 to March 2021 */
		int y = 2019 + (mon - 1) / 12, mo = (mon - 1) % 12 + 1;
		struct kn_meeting m = {.kind = "individual", .number = i + 1, .illustrative = true,
		                       .title = "Individual meeting of the President with a member",
		                       .date = kn_printf(x->a, "%04d-%02d-%02d", y, mo, 10 + i % 15), .time = "15:00",
		                       .place = "Akorda, Nur-Sultan"};
		if ((rc = kn_meeting_create(x, c, &m, &id)) || (rc = kn_meeting_hold(x, c, id)))
			return rc;
	}

	/* the political reform package: fully implemented, 7 laws adopted */
	struct kn_reform pkg = {
	    .title = "Package of political reforms",
	    .description = "Announced with the support of the leaders of public opinion; fully implemented, with 7 laws "
	                   "adopted (source article).\n\n*The items, the laws' titles and dates are illustrative: the "
	                   "source gives the number of laws only.*",
	    .announced_on = "2019-12-20",
	    .illustrative = true};
	int64_t pkid;
	if ((rc = kn_reform_create(x, c, &pkg, &pkid)))
		return rc;
	static const struct {
		const char *item, *laws[3];
	} items[] = {
	    {"Freedom of peaceful assembly", {"Law on the procedure for organizing and holding peaceful assemblies"}},
	    {"Political parties", {"Amendments to the Law on political parties (lower registration threshold)"}},
	    {"Elections and the parliamentary opposition",
	     {"Amendments to the Constitutional Law on elections (quota for women and young people)",
	      "Law on the parliamentary opposition", "Amendments to the Constitutional Law on the Parliament"}},
	    {"Decriminalization of defamation",
	     {"Amendments to the Criminal Code (defamation)", "Amendments to the Code of Administrative Offences"}},
	};
	int nlaw = 0;
	for (size_t i = 0; i < KN_ARRAY_LEN(items); i++) {
		int64_t item;
		if ((rc = kn_reform_item_add(x, c, pkid, items[i].item, "", "", &item)))
			return rc;
		for (int k = 0; k < 3 && items[i].laws[k]; k++) {
			nlaw++;
			int64_t lid;
			const char *d = kn_printf(x->a, "2020-%02d-%02d", 3 + nlaw, 5 + nlaw);
			if ((rc = kn_law_add(x, c, item, items[i].laws[k], "", "adopted", d, true, &lid)))
				return rc;
		}
	}
	x->actor_role = role;
	return KN_OK;
}
