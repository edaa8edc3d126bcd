/* demo_appeals.c: the demo council's appeals. The first is the article's
 * invoice-system appeal (Marat Shibutov to the State Revenue Committee,
 * written on a Friday, acknowledged on the Monday: one working day); the
 * others spread over agencies, categories, urgencies and states so the
 * statistics pages show something. All dates are illustrative (the article
 * gives only the weekdays), and the records are marked so. */
#include "domain/demo_appeals.h"
#include "core/arena.h"
#include "core/calendar.h"
#include "core/tz.h"
#include "domain/account.h"
#include "domain/appeal.h"
#include "domain/appeal_int.h"
#include "domain/event.h"
#include "domain/workcal.h"
#include "store/store.h"
#include <sodium.h>
#include <string.h>

struct actor {
	const char *login, *role;
};

static enum kn_err act(struct kn_ctx *x, const char *login, const char *role)
{
	int64_t id;
	enum kn_err rc = kn_account_find(x, login, &id);
	if (rc)
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT display_name FROM users WHERE id = $1", KN_INT(id))))
		return rc;
	x->actor_id = id;
	x->actor_name = kn_row_s(r, 0, 0);
	x->actor_role = role;
	return KN_OK;
}

/* Almaty local time to unix seconds. */
static int64_t at(int y, int mo, int d, int hh, int mm)
{
	int64_t t = 0;
	const struct kn_tz *tz = kn_workcal_tz("Asia/Almaty");
	kn_tz_utc_from_local(tz, kn_date_from_ymd(y, mo, d), hh * 3600 + mm * 60, &t);
	return t;
}

/* Demo officers for the agencies without a demo account (their passwords
 * are random and never shown: nobody logs in as them). */
static enum kn_err officer(struct kn_ctx *x, const char *login, const char *name, const char *agency)
{
	unsigned char raw[18];
	char pw[40];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(pw, sizeof(pw), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	int64_t id;
	enum kn_err rc = kn_account_register(x, login, name, NULL, pw, &id);
	return rc ? rc : kn_role_grant(x, login, "officer", agency);
}

static enum kn_err file(struct kn_ctx *x, int64_t council, const char *login, int64_t when, const char *subject,
                        const char *body, const char *cat, const char *urg, const char *scale, const char *affected,
                        const char *concerns, const char *vis, int64_t *id)
{
	enum kn_err rc = act(x, login, "citizen");
	if (rc)
		return rc;
	x->now = when;
	struct kn_appeal_in in = {.subject = subject, .body = body, .category = cat, .urgency = urg, .scale = scale,
	                          .affected = affected, .concerns = concerns, .visibility = vis};
	return kn_appeal_file(x, council, &in, id);
}

/* The secretariat forwards at t1; the agency acknowledges at t2 (0: not)
 * and resolves at t3 (0: not). */
static enum kn_err route(struct kn_ctx *x, int64_t id, const char *agency, const char *officer_login, int64_t t1,
                         int64_t t2, const char *ack, int64_t t3, const char *resolution)
{
	enum kn_err rc = act(x, "secretary", "secretary");
	if (rc)
		return rc;
	x->now = t1;
	if ((rc = kn_appeal_forward(x, id, agency, NULL)))
		return rc;
	if (!t2)
		return KN_OK;
	if ((rc = act(x, officer_login, "officer")))
		return rc;
	x->now = t2;
	if ((rc = kn_appeal_acknowledge(x, id, ack)))
		return rc;
	if (!t3)
		return KN_OK;
	x->now = t3;
	return kn_appeal_resolve(x, id, resolution);
}

enum kn_err kn_demo_appeals(struct kn_ctx *x, int64_t council_id)
{
	struct kn_ctx saved = *x;
	int64_t now = x->now;
	enum kn_err rc;
	if ((rc = officer(x, "officer-mlsp", "Officer, Ministry of Labour and Social Protection", "mlsp")) ||
	    (rc = officer(x, "officer-minjust", "Officer, Ministry of Justice", "minjust")) ||
	    (rc = officer(x, "officer-mio", "Officer, Ministry of Information and Social Development", "mio")) ||
	    (rc = officer(x, "officer-minfin", "Officer, Ministry of Finance", "minfin")))
		return rc;
	/* routing rules: the secretariat's suggestions per category */
	if ((rc = act(x, "secretary", "secretary")))
		return rc;
	static const char *const rules[][2] = {{"taxes", "kgd"},   {"business", "minfin"}, {"social", "mlsp"},
	                                       {"law", "mvd"},     {"rights", "minjust"},  {"digital", "mio"},
	                                       {"education", "mio"}};
	for (size_t i = 0; i < KN_ARRAY_LEN(rules); i++)
		if ((rc = kn_appeal_route_set(x, council_id, rules[i][0], rules[i][1])))
			return rc;

	int64_t inv, id;
	/* 1. the article's appeal: Friday 26 March 2021, acknowledged Monday 29 March (illustrative dates) */
	if ((rc = file(x, council_id, "member", at(2021, 3, 26, 10, 40),
	               "Accompanying-invoices system of the Ministry of Finance fails for all trading companies",
	               "The system of accompanying invoices for goods of the Ministry of Finance keeps failing because of "
	               "flaws in the system itself. It affects **all trading and manufacturing companies in the country**: "
	               "goods cannot be shipped while invoices cannot be issued. I have raised this several times, during "
	               "the quarantine and now.\n\nI ask the State Revenue Committee to acknowledge the gaps and to work "
	               "with entrepreneurs on a fix.",
	               "taxes", "urgent", "sector", "All trading and manufacturing companies of the country",
	               "Ministry of Finance (State Revenue Committee)", "public", &inv)))
		return rc;
	if ((rc = route(x, inv, "kgd", "officer-kgd", at(2021, 3, 26, 16, 5), at(2021, 3, 29, 15, 20),
	                "After two meetings the State Revenue Committee acknowledges the gaps in the accompanying-"
	                "invoices system and has begun working with entrepreneurs.",
	                at(2021, 4, 2, 17, 0),
	                "The failing checks were switched off and a working group with business associations reviews the "
	                "remaining flaws of the accompanying-invoices system.")))
		return rc;
	/* 2. a duplicate of it: the original shows that two people raised it */
	if ((rc = file(x, council_id, "citizen", at(2021, 3, 26, 18, 30), "Invoices cannot be issued since Monday",
	               "Our shop cannot issue accompanying invoices; the State Revenue Committee's system rejects them.",
	               "taxes", "urgent", "group", "Small shops in Almaty", "", "public", &id)))
		return rc;
	if ((rc = act(x, "secretary", "secretary")))
		return rc;
	x->now = at(2021, 3, 29, 9, 30);
	char ref[24];
	struct kn_appeal *orig;
	if ((rc = kn_appeal_get(x, kn_printf(x->a, "%lld", (long long)inv), &orig)))
		return rc;
	snprintf(ref, sizeof(ref), "%s", orig->reference);
	if ((rc = kn_appeal_mark_duplicate(x, id, ref, NULL)))
		return rc;
	/* 3. social: resolved on time */
	if ((rc = file(x, council_id, "citizen", at(2021, 2, 8, 11, 0),
	               "Disability allowance stopped after the move to the e-government portal",
	               "Since January my mother's allowance is not paid; the portal shows her record as closed.", "social",
	               "normal", "person", "One pensioner", "Ministry of Labour", "public", &id)) ||
	    (rc = route(x, id, "mlsp", "officer-mlsp", at(2021, 2, 8, 15, 0), at(2021, 2, 10, 10, 0), NULL,
	                at(2021, 2, 19, 12, 0), "The record was restored and the allowance paid for the missed months.")))
		return rc;
	/* 4. law, public without the filer's name: acknowledged late, resolved late */
	if ((rc = file(x, council_id, "citizen", at(2021, 1, 12, 9, 0),
	               "Complaints about domestic violence are not registered at a district police station",
	               "Officers at a district station refuse to register complaints from women about domestic violence.",
	               "law", "normal", "group", "Women in one district", "Ministry of Internal Affairs", "anonymous",
	               &id)) ||
	    (rc = route(x, id, "mvd", "officer", at(2021, 1, 12, 12, 0), at(2021, 1, 20, 10, 0), NULL,
	                at(2021, 2, 26, 16, 0),
	                "An internal inspection was held; registration is now checked weekly by the regional department.")))
		return rc;
	/* 5. rights, confidential: resolved on time */
	if ((rc = file(x, council_id, "citizen", at(2021, 2, 15, 10, 0), "Access to a case file refused",
	               "A court clerk refuses to let me read my case file.", "rights", "normal", "person", "Me",
	               "Ministry of Justice", "confidential", &id)) ||
	    (rc = route(x, id, "minjust", "officer-minjust", at(2021, 2, 15, 14, 0), at(2021, 2, 16, 11, 0), NULL,
	                at(2021, 3, 1, 10, 0), "Access was granted.")))
		return rc;
	/* 6. education: resolved late */
	if ((rc = file(x, council_id, "citizen", at(2021, 1, 25, 10, 0),
	               "Online school platform unavailable in rural districts",
	               "Pupils in rural districts cannot reach the distance-learning platform in the mornings.",
	               "education", "urgent", "sector", "Rural schools", "", "public", &id)) ||
	    (rc = route(x, id, "mio", "officer-mio", at(2021, 1, 25, 12, 0), at(2021, 1, 26, 9, 0), NULL,
	                at(2021, 2, 10, 17, 0), "Capacity was added; morning outages stopped on 10 February.")))
		return rc;
	/* 7. business: resolved on time */
	if ((rc = file(x, council_id, "member", at(2021, 3, 1, 10, 0), "Tax refunds for exporters delayed",
	               "VAT refunds to exporters are delayed beyond the legal term.", "business", "normal", "sector",
	               "Exporters", "Ministry of Finance", "public", &id)) ||
	    (rc = route(x, id, "minfin", "officer-minfin", at(2021, 3, 1, 15, 0), at(2021, 3, 2, 10, 0), NULL,
	                at(2021, 3, 15, 10, 0), "Refunds were paid; the queue is now published weekly.")))
		return rc;
	/* 8. rejected */
	if ((rc = file(x, council_id, "citizen", at(2021, 3, 3, 9, 0), "Neighbour's dog",
	               "The neighbour's dog barks at night.", "other", "normal", "person", "", "", "public", &id)) ||
	    (rc = act(x, "secretary", "secretary")))
		return rc;
	x->now = at(2021, 3, 3, 12, 0);
	if ((rc = kn_appeal_reject(x, id, "A matter for the local akimat, not for the national council; please write "
	                                  "to your district akimat.")))
		return rc;
	/* 9. overdue now: forwarded six weeks ago, never acknowledged */
	if ((rc = file(x, council_id, "member", now - 45 * 86400, "e-Gov digital signature renewal fails",
	               "Renewing the digital signature on the e-government portal fails with an error for many users.",
	               "digital", "urgent", "country", "Every user of the e-government portal", "", "public", &id)) ||
	    (rc = route(x, id, "mio", "officer-mio", now - 44 * 86400, 0, NULL, 0, NULL)))
		return rc;
	/* 10. in progress, on time */
	if ((rc = file(x, council_id, "citizen", now - 2 * 86400, "Heating not switched on in a residential block",
	               "The heating of our block has not been switched on.", "housing", "normal", "group",
	               "120 flats", "Akimat", "public", &id)) ||
	    (rc = route(x, id, "mlsp", "officer-mlsp", now - 2 * 86400 + 3600, now - 86400, NULL, 0, NULL)))
		return rc;
	/* 11. awaiting triage */
	if ((rc = file(x, council_id, "citizen", now - 3600, "Bus route cancelled without notice",
	               "The only bus route to our village was cancelled.", "other", "normal", "group", "A village", "",
	               "public", &id)))
		return rc;
	/* every demo appeal is illustrative: said on its page and, like any
	 * change of a public record, in the event log (appeal_int.h) */
	struct kn_rows *ill;
	if ((rc = kn_sql(x->c, x->a, &ill, "UPDATE appeals SET illustrative = 1 WHERE council_id = $1 RETURNING id",
	                 KN_INT(council_id))))
		return rc;
	*x = saved;
	x->actor_id = 0;
	x->actor_role = "operator";
	x->actor_name = "demo data";
	for (int i = 0; i < ill->n; i++) {
		struct kn_appeal *ap;
		if ((rc = kn_appeal_get(x, kn_row_s(ill, i, 0), &ap)))
			return rc;
		struct kn_change *ch = kn_change_new(x);
		kn_change_int(ch, "illustrative", 0, 1);
		if ((rc = kn_appeal_event(x, ap, "marked_illustrative", ch, NULL)))
			return rc;
	}
	*x = saved;
	x->errs = NULL;
	return KN_OK;
}
