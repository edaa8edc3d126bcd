/* feeds.c: Atom feeds (RFC 4287) of a council, an agency, a working group
 * and a record, and the iCalendar (RFC 5545) of a council's meetings.
 * Atom goes through kn_h (every value XML-escaped); iCalendar through
 * ical.c (TEXT escaping, folding). Ids are tag: URIs (RFC 4151) that never
 * change: tag:HOST,DATE:event/SEQ, with DATE the day of the first event. */
#include "app/app.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "domain/record.h"
#include "domain/registry.h"
#include "view/ical.h"
#include "view/view.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FEED_LIMIT 50

static const struct {
	const char *kind, *label;
} kind_labels[] = {
    {"council", N_("Council")},       {"agency", N_("Agency")},         {"person", N_("Person")},
    {"seat", N_("Seat")},             {"rotation", N_("Rotation")},     {"group", N_("Working group")},
    {"meeting", N_("Meeting")},       {"proposal", N_("Proposal")},     {"assignment", N_("Assignment")},
    {"report", N_("Report")},         {"extension", N_("Extension")},   {"law", N_("Law")},
    {"reform", N_("Reform")},         {"appeal", N_("Appeal")},         {"calendar", N_("Calendar")},
    {"reform_item", N_("Reform item")}, {"career", N_("Later career")},
};

static const char *kind_label(const char *kind)
{
	for (size_t i = 0; i < KN_ARRAY_LEN(kind_labels); i++)
		if (!strcmp(kind_labels[i].kind, kind))
			return kind_labels[i].label;
	return kind;
}

static const char *rfc3339(struct kn_req *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char s[32];
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return kn_strdup(r->a, s);
}

/* "tag:HOST,YYYY-MM-DD:" */
static const char *tag_prefix(struct kn_req *r, struct kn_ctx *x, const char *base)
{
	const char *host = strstr(base, "://");
	host = host ? host + 3 : base;
	size_t n = strcspn(host, ":/");
	int64_t first = 0;
	if (kn_feed_first_day(x, &first) || !first)
		first = r->now;
	time_t tt = (time_t)first;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char d[16];
	strftime(d, sizeof(d), "%Y-%m-%d", &tm);
	return kn_printf(r->a, "tag:%.*s,%s:", (int)n, host, d);
}

/* Writes a whole Atom feed. self and page are paths under base. */
static void atom(struct kn_req *r, struct kn_ctx *x, const char *feed_key, const char *title, const char *self,
                 const char *page, struct kn_event_row *e, int n)
{
	const char *base = kn_req_base_url(r);
	const char *tag = tag_prefix(r, x, base);
	struct kn_buf *b = &r->out;
	kn_h(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n",
	     r->lang);
	kn_h(b, "<id>%s%s</id>\n<title>%s</title>\n<updated>%s</updated>\n", tag, feed_key, title,
	     rfc3339(r, n ? e[0].at : 0));
	kn_h(b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"%s%s\"/>\n", base, self);
	kn_h(b, "<link rel=\"alternate\" type=\"text/html\" href=\"%s%s\"/>\n", base, page);
	kn_h(b, "<author><name>%t</name></author>\n<generator>Kenes</generator>\n", N_("Kenes public record"));
	for (int i = 0; i < n; i++) {
		const char *rtitle, *path;
		kn_record_label(x, e[i].kind, e[i].record_id, &rtitle, &path);
		kn_h(b, "<entry>\n<id>%sevent/%D</id>\n<title>%t: %s — %t</title>\n<updated>%s</updated>\n", tag, e[i].seq,
		     kind_label(e[i].kind), rtitle, e[i].action, rfc3339(r, e[i].at));
		kn_h(b, "<author><name>%s</name></author>\n<link rel=\"alternate\" type=\"text/html\" href=\"%s%s\"/>\n",
		     e[i].actor_name, base, path);
		kn_h(b, "<category term=\"%s\" label=\"%t\"/>\n<summary type=\"text\">%t: %s (%t)", e[i].kind,
		     kind_label(e[i].kind), N_("By"), e[i].actor_name, e[i].actor_role);
		struct kn_change_item *ch;
		int nc;
		if (!kn_event_changes(x, &e[i], &ch, &nc))
			for (int k = 0; k < nc; k++) {
				if (ch[k].before)
					kn_h(b, "\n%s: %s → %s", ch[k].field, ch[k].before, ch[k].after ? ch[k].after : "—");
				else
					kn_h(b, "\n%s: %s", ch[k].field, ch[k].after ? ch[k].after : "—");
			}
		kn_h(b, "\n%t #%D, %t %s</summary>\n</entry>\n", N_("Event"), e[i].seq, N_("hash"), e[i].hash);
	}
	kn_h(b, "</feed>\n");
	r->ctype = "application/atom+xml; charset=utf-8";
	r->status = 200;
}

void kn_feed_council(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	struct kn_event_row *e;
	int n;
	if (!rc)
		rc = kn_feed_events(&x, KN_FEED_COUNCIL, NULL, c->id, FEED_LIMIT, &e, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	const char *page = kn_printf(r->a, "/councils/%s", c->slug);
	atom(r, &x, kn_printf(r->a, "council/%lld", (long long)c->id), kn_council_name(c, r->lang),
	     kn_printf(r->a, "%s/feed.atom", page), page, e, n);
}

void kn_feed_agency(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g;
	enum kn_err rc = kn_agency_get(&x, kn_req_param(r, "agency"), &g);
	struct kn_event_row *e;
	int n;
	if (!rc)
		rc = kn_feed_events(&x, KN_FEED_AGENCY, NULL, g->id, FEED_LIMIT, &e, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	const char *page = kn_printf(r->a, "/agencies/%s", g->slug);
	atom(r, &x, kn_printf(r->a, "agency/%lld", (long long)g->id), kn_agency_name(g, r->lang),
	     kn_printf(r->a, "%s/feed.atom", page), page, e, n);
}

void kn_feed_group_atom(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	struct kn_feed_group *g = NULL;
	struct kn_event_row *e;
	int n;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	if (!rc)
		rc = kn_feed_group(&x, c->id, kn_req_param(r, "group"), &g);
	if (!rc)
		rc = kn_feed_events(&x, KN_FEED_GROUP, NULL, g->id, FEED_LIMIT, &e, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	const char *name = !strcmp(r->lang, "ru") && *g->name_ru ? g->name_ru
	                   : !strcmp(r->lang, "kk") && *g->name_kk ? g->name_kk
	                                                          : g->name_en;
	atom(r, &x, kn_printf(r->a, "group/%lld", (long long)g->id),
	     kn_printf(r->a, "%s — %s", kn_council_name(c, r->lang), name),
	     kn_printf(r->a, "/councils/%s/groups/%s/feed.atom", c->slug, g->slug),
	     kn_printf(r->a, "/records/group/%lld", (long long)g->id), e, n);
}

/* /feeds/{kind}/{file}: file is "ID.atom" */
void kn_feed_record(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	const char *kind = kn_req_param(r, "kind"), *file = kn_req_param(r, "file");
	size_t fl = strlen(file);
	int64_t id = 0;
	if (fl > 5 && !strcmp(file + fl - 5, ".atom"))
		id = kn_parse_id(kn_strndup(r->a, file, fl - 5));
	if (!id || strspn(kind, "abcdefghijklmnopqrstuvwxyz_") != strlen(kind)) {
		kn_fail(r, 404, "not_found", NULL, "This page does not exist.");
		return;
	}
	struct kn_event_row *e;
	int n;
	enum kn_err rc = kn_feed_events(&x, KN_FEED_RECORD, kind, id, FEED_LIMIT, &e, &n);
	if (rc || !n) {
		kn_fail_err(r, rc ? rc : KN_ENOTFOUND);
		return;
	}
	const char *title, *path;
	kn_record_label(&x, kind, id, &title, &path);
	atom(r, &x, kn_printf(r->a, "%s/%lld", kind, (long long)id), kn_printf(r->a, "%s: %s", _(kind_label(kind)), title),
	     kn_printf(r->a, "/feeds/%s/%lld.atom", kind, (long long)id), path, e, n);
}

/* ---- iCalendar -------------------------------------------------------------- */

static const char *ical_time(struct kn_req *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char s[24];
	strftime(s, sizeof(s), "%Y%m%dT%H%M%SZ", &tm);
	return kn_strdup(r->a, s);
}

void kn_feed_meetings_ics(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	struct kn_feed_meeting *m;
	int n;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	if (!rc)
		rc = kn_feed_meetings(&x, c->id, &m, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	const char *base = kn_req_base_url(r);
	const char *host = strstr(base, "://");
	host = host ? host + 3 : base;
	host = kn_strndup(r->a, host, strcspn(host, ":/"));
	struct kn_buf *b = &r->out;
	kn_ical_raw(b, "BEGIN", "VCALENDAR");
	kn_ical_raw(b, "VERSION", "2.0");
	kn_ical_text(b, "PRODID", kn_printf(r->a, "-//Kenes//Kenes %s//EN", kn_app.version));
	kn_ical_raw(b, "CALSCALE", "GREGORIAN");
	kn_ical_raw(b, "METHOD", "PUBLISH");
	kn_ical_text(b, "X-WR-CALNAME", kn_printf(r->a, "%s: %s", kn_council_name(c, r->lang), _("Meetings")));
	kn_ical_text(b, "X-WR-TIMEZONE", c->timezone);
	for (int i = 0; i < n; i++) {
		const char *what = !strcmp(m[i].kind, "plenary")  ? _("Plenary meeting")
		                   : !strcmp(m[i].kind, "group") ? _("Working group meeting")
		                                                 : _("Individual meeting");
		const char *summary = kn_printf(r->a, "%s %s%lld%s%s", what, _("No. "), (long long)m[i].number,
		                                m[i].title && *m[i].title ? ": " : "", m[i].title ? m[i].title : "");
		kn_ical_raw(b, "BEGIN", "VEVENT");
		kn_ical_raw(b, "UID", kn_printf(r->a, "meeting-%lld@%s", (long long)m[i].id, host));
		kn_ical_raw(b, "DTSTAMP", ical_time(r, m[i].updated_at));
		kn_ical_raw(b, "CREATED", ical_time(r, m[i].created_at));
		kn_ical_raw(b, "LAST-MODIFIED", ical_time(r, m[i].updated_at));
		kn_ical_raw(b, "DTSTART", ical_time(r, m[i].starts_at));
		kn_ical_text(b, "SUMMARY", summary);
		if (m[i].place && *m[i].place)
			kn_ical_text(b, "LOCATION", m[i].online ? kn_printf(r->a, "%s (%s)", m[i].place, _("online")) : m[i].place);
		else if (m[i].online)
			kn_ical_text(b, "LOCATION", _("online"));
		kn_ical_raw(b, "STATUS", !strcmp(m[i].status, "cancelled") ? "CANCELLED" : "CONFIRMED");
		const char *desc = m[i].group_name ? kn_printf(r->a, "%s: %s", _("Working group"), m[i].group_name) : "";
		if (!strcmp(m[i].status, "cancelled") && m[i].cancel_reason && *m[i].cancel_reason)
			desc = kn_printf(r->a, "%s%s%s: %s", desc, *desc ? "\n" : "", _("Cancelled"), m[i].cancel_reason);
		else if (!strcmp(m[i].status, "held"))
			desc = kn_printf(r->a, "%s%s%s", desc, *desc ? "\n" : "", _("Held"));
		if (*desc)
			kn_ical_text(b, "DESCRIPTION", desc);
		const char *title, *path;
		kn_record_label(&x, "meeting", m[i].id, &title, &path);
		kn_ical_raw(b, "URL", kn_printf(r->a, "%s%s", base, path));
		kn_ical_raw(b, "END", "VEVENT");
	}
	kn_ical_raw(b, "END", "VCALENDAR");
	r->ctype = "text/calendar; charset=utf-8";
	r->status = 200;
}
