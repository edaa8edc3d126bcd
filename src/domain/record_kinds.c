/* record_kinds.c: THE table of public record kinds. One line per kind says
 * where its rows are and which columns are public: verification replays a
 * kind's events onto these columns and compares them with the row, and the
 * open-data export writes exactly these columns (nothing else leaves).
 *
 * To add a kind, add one KIND(...) line to KN_RECORD_KINDS:
 *   KIND(cname, "kind", "from", "title", "path", "council", "cols", "where", "doc")
 *   cname    a C identifier (unique)
 *   kind     the record_kind its events carry (kn_event(x, kind, ...))
 *   from     the table aliased t, with joins if the page path needs them
 *   title    SQL text expression naming a record in feeds and messages
 *   path     SQL text expression for its page ('/councils/' || t.slug), or
 *            NULL (the generic /records/KIND/ID page is used)
 *   council  SQL expression for its council id (NULL: none)
 *   cols     its public columns "t.a, t.b": exactly the fields its events
 *            record; a column no event ever set must be NULL, '' or 0; a
 *            council_id column an event does not name takes the council
 *            the event is filed under
 *   where    which rows leave in the export ("1 = 1": all; e.g. leave out
 *            confidential rows); verification always looks at every row,
 *            the ones left out on the columns their events set
 *   doc      "col|type|description" lines for the open-data README (type:
 *            text, int, date; int columns are numbers in the JSON files)
 * All pieces are string literals: the queries are built at compile time. */
#include "domain/record.h"
#include "core/arena.h"
#include "store/store.h"
#include <string.h>

#define KN_RECORD_KINDS(KIND)                                                                                      \
	KIND(council, "council", "councils t", "t.name_en", "'/councils/' || t.slug", "t.id",                         \
	     "t.slug, t.name_en, t.name_ru, t.name_kk, t.description, t.chair_person_id, t.founded_on, "             \
	     "t.dissolved_on, t.succeeded_by, t.seats, t.timezone",                                                   \
	     "1 = 1",                                                                                                  \
	     "slug|text|short name used in addresses (/councils/SLUG)\n"                                              \
	     "name_en|text|name in English\nname_ru|text|name in Russian (may be empty)\n"                            \
	     "name_kk|text|name in Kazakh (may be empty)\ndescription|text|description, Markdown\n"                   \
	     "chair_person_id|int|the chair (persons.id), or empty\nfounded_on|date|date founded (YYYY-MM-DD)\n"      \
	     "dissolved_on|date|date dissolved, or empty\nsucceeded_by|int|the successor council (councils.id)\n"     \
	     "seats|int|number of seats\ntimezone|text|IANA time zone of its dates and deadlines")                     \
	KIND(agency, "agency", "agencies t", "t.name_en", "'/agencies/' || t.slug", "NULL",                           \
	     "t.slug, t.name_en, t.name_ru, t.name_kk, t.kind, t.parent_id, t.website", "1 = 1",                     \
	     "slug|text|short name used in addresses (/agencies/SLUG)\nname_en|text|name in English\n"               \
	     "name_ru|text|name in Russian (may be empty)\nname_kk|text|name in Kazakh (may be empty)\n"              \
	     "kind|text|ministry, committee, agency, administration, akimat, court or other\n"                        \
	     "parent_id|int|the agency it belongs to (agencies.id), or empty\nwebsite|text|official website")        \
	KIND(person, "person", "persons t", "t.full_name", "'/people/' || t.id", "NULL",                              \
	     "t.full_name, t.full_name_ru, t.full_name_kk, t.bio, t.illustrative", "1 = 1",                           \
	     "full_name|text|full name as published\nfull_name_ru|text|full name in Russian (may be empty)\n"         \
	     "full_name_kk|text|full name in Kazakh (may be empty)\nbio|text|short biography, Markdown\n"            \
	     "illustrative|int|1 when the person is an illustrative stand-in in demo data, else 0")             \
	KIND(career, "career", "careers t JOIN persons p ON p.id = t.person_id",                                      \
	     "p.full_name || ': ' || t.position", "'/people/' || t.person_id", "t.council_id",                        \
	     "t.person_id, t.council_id, t.position, t.body, t.started_on, t.ended_on, t.illustrative", "1 = 1",      \
	     "person_id|int|whose career (persons.id)\ncouncil_id|int|the council that recorded it, or empty\n"      \
	     "position|text|position held after (or besides) the council\nbody|text|the body or organisation\n"     \
	     "started_on|date|first day, or empty\nended_on|date|last day, or empty\n"                               \
	     "illustrative|int|1 when the entry is illustrative (demo data), else 0")                                 \
	KIND(seat, "seat", "seats t JOIN persons p ON p.id = t.person_id JOIN councils c ON c.id = t.council_id",      \
	     "p.full_name", "'/councils/' || c.slug || '/seats/' || t.id", "t.council_id",                             \
	     "t.person_id, t.role, t.sector, t.region, t.joined_on, t.left_on, t.left_reason, t.left_body, "           \
	     "t.left_note, t.illustrative", "1 = 1",                                                                   \
	     "person_id|int|who holds the seat (persons.id)\nrole|text|chair, secretary or member\n"                   \
	     "sector|text|expert, ngo, media, business, culture, youth or other\nregion|text|region (may be empty)\n"  \
	     "joined_on|date|first day on the council\nleft_on|date|first day no longer on it, or empty\n"             \
	     "left_reason|text|rotation, resignation, end_of_term, elected or other\n"                                 \
	     "left_body|text|the body the member was elected to\nleft_note|text|note on leaving\n"                     \
	     "illustrative|int|1 when the dates are illustrative (demo data), else 0")                                 \
	KIND(rotation, "rotation", "rotations t JOIN councils c ON c.id = t.council_id",                              \
	     "'Rotation ' || t.number || ', ' || t.held_on", "'/councils/' || c.slug || '/rotations/' || t.id",         \
	     "t.council_id", "t.number, t.held_on, t.basis, t.illustrative", "1 = 1",                                   \
	     "number|int|rotation number within the council\nheld_on|date|the day members left and joined\n"         \
	     "basis|text|decision or decree behind it\nillustrative|int|1 when the date is illustrative, else 0")     \
	KIND(working_group, "group", "working_groups t JOIN councils c ON c.id = t.council_id", "t.name_en",          \
	     "'/councils/' || c.slug || '/groups/' || t.slug", "t.council_id",                                          \
	     "t.slug, t.name_en, t.name_ru, t.name_kk, t.theme, t.leader_person_id, t.created_on, t.closed_on, "      \
	     "t.closed_reason, t.illustrative", "1 = 1",                                                               \
	     "slug|text|short name within the council\nname_en|text|name in English\n"                               \
	     "name_ru|text|name in Russian (may be empty)\nname_kk|text|name in Kazakh (may be empty)\n"              \
	     "theme|text|political, economic, social, spiritual-cultural, socio-cultural or other\n"                  \
	     "leader_person_id|int|the leader (persons.id), or empty\ncreated_on|date|day created\n"                  \
	     "closed_on|date|day closed, or empty\nclosed_reason|text|split, merged or dissolved\n"                    \
	     "illustrative|int|1 when the dates are illustrative, else 0")                                            \
	KIND(meeting, "meeting", "meetings t JOIN councils c ON c.id = t.council_id",                                 \
	     "CASE WHEN t.title <> '' THEN t.title ELSE t.kind || ' meeting ' || t.number END",                       \
	     "'/councils/' || c.slug || '/meetings/' || t.id", "t.council_id",                                         \
	     "t.council_id, t.kind, t.number, t.group_id, t.person_id, t.title, t.starts_at, t.place, t.online, "      \
	     "t.status, t.cancel_reason, t.minutes, t.illustrative", "1 = 1",                                          \
	     "council_id|int|the council (councils.id)\nkind|text|plenary, group or individual\n"                    \
	     "number|int|number among the council's meetings of its kind\n"                                          \
	     "group_id|int|the working group of a group meeting (working_groups.id), or empty\n"                     \
	     "person_id|int|the member met at an individual meeting (persons.id), or empty\n"                        \
	     "title|text|title (may be empty)\nstarts_at|int|start, unix seconds (UTC)\nplace|text|place\n"        \
	     "online|int|1 when held online, else 0\nstatus|text|scheduled, held or cancelled\n"                     \
	     "cancel_reason|text|why it was cancelled\nminutes|text|minutes, Markdown\n"                             \
	     "illustrative|int|1 when details are illustrative (demo data), else 0")                                   \
	KIND(proposal, "proposal", "proposals t JOIN councils c ON c.id = t.council_id", "t.title",                   \
	     "'/councils/' || c.slug || '/proposals/' || t.id", "t.council_id",                                        \
	     "t.council_id, t.group_id, t.title, t.body, t.state, t.origin, t.taken_up_by, t.reject_reason, "          \
	     "t.illustrative", "1 = 1",                                                                                \
	     "council_id|int|the council (councils.id)\n"                                                            \
	     "group_id|int|the working group reviewing it (working_groups.id), or empty\ntitle|text|title\n"        \
	     "body|text|text, Markdown\n"                                                                             \
	     "state|text|draft, submitted, group_review, on_agenda, accepted, rejected or withdrawn\n"               \
	     "origin|text|member or citizen\ntaken_up_by|int|the member who took up a citizen's proposal "             \
	     "(persons.id), or empty\nreject_reason|text|why it was rejected\n"                                      \
	     "illustrative|int|1 when details are illustrative (demo data), else 0")                                   \
	KIND(assignment, "assignment", "assignments t JOIN councils c ON c.id = t.council_id", "t.title",             \
	     "'/councils/' || c.slug || '/assignments/' || t.id", "t.council_id",                                      \
	     "t.council_id, t.agency_id, t.proposal_id, t.meeting_id, t.title, t.body, t.issued_on, "                  \
	     "t.original_deadline, t.deadline, t.state, t.state_reason, t.completed_on, t.illustrative", "1 = 1",      \
	     "council_id|int|the council (councils.id)\nagency_id|int|the responsible agency (agencies.id)\n"        \
	     "proposal_id|int|the accepted proposal it follows from (proposals.id), or empty\n"                      \
	     "meeting_id|int|the meeting it was given at (meetings.id), or empty\ntitle|text|title\n"               \
	     "body|text|text, Markdown\nissued_on|date|day issued\noriginal_deadline|date|the first deadline\n"     \
	     "deadline|date|the deadline in force (after granted extensions)\n"                                       \
	     "state|text|issued, in_progress, reported, completed, returned or withdrawn\n"                          \
	     "state_reason|text|why it was returned or withdrawn\ncompleted_on|date|day completion was accepted\n"   \
	     "illustrative|int|1 when details are illustrative (demo data), else 0")                                   \
	KIND(report, "report",                                                                                         \
	     "reports t JOIN assignments a ON a.id = t.assignment_id JOIN councils c ON c.id = a.council_id",         \
	     "'Report on ' || a.title", "'/councils/' || c.slug || '/assignments/' || t.assignment_id", "a.council_id", \
	     "t.assignment_id, t.agency_id, t.body, t.evidence, t.final, t.author_name, t.illustrative", "1 = 1",     \
	     "assignment_id|int|the assignment (assignments.id)\nagency_id|int|the reporting agency (agencies.id)\n" \
	     "body|text|text, Markdown\nevidence|text|evidence links, one a line\n"                                 \
	     "final|int|1 when the agency reports the work as done, else 0\n"                                         \
	     "author_name|text|public name of the officer who filed it\n"                                             \
	     "illustrative|int|1 when details are illustrative (demo data), else 0")                                   \
	KIND(extension, "extension",                                                                                   \
	     "extensions t JOIN assignments a ON a.id = t.assignment_id JOIN councils c ON c.id = a.council_id",      \
	     "'Extension of ' || a.title", "'/councils/' || c.slug || '/assignments/' || t.assignment_id",             \
	     "a.council_id", "t.assignment_id, t.reason, t.old_deadline, t.requested_deadline, t.state, "              \
	     "t.decision_note", "1 = 1",                                                                               \
	     "assignment_id|int|the assignment (assignments.id)\nreason|text|why the agency asks for more time\n"    \
	     "old_deadline|date|the deadline in force when asked\nrequested_deadline|date|the deadline asked for\n"  \
	     "state|text|requested, granted or refused\ndecision_note|text|the chair's note on the decision")        \
	KIND(reform, "reform", "reform_packages t JOIN councils c ON c.id = t.council_id", "t.title",                 \
	     "'/councils/' || c.slug || '/reforms/' || t.id", "t.council_id",                                          \
	     "t.council_id, t.title, t.description, t.announced_on, t.illustrative", "1 = 1",                          \
	     "council_id|int|the council (councils.id)\ntitle|text|title\ndescription|text|description, Markdown\n" \
	     "announced_on|date|day announced, or empty\n"                                                            \
	     "illustrative|int|1 when details are illustrative (demo data), else 0")                                   \
	KIND(reform_item, "reform_item",                                                                               \
	     "reform_items t JOIN reform_packages p ON p.id = t.package_id JOIN councils c ON c.id = p.council_id",   \
	     "t.title", "'/councils/' || c.slug || '/reforms/' || t.package_id", "p.council_id",                       \
	     "t.package_id, t.position, t.title, t.description", "1 = 1",                                             \
	     "package_id|int|the reform package (reform_packages.id)\nposition|int|position in the package\n"       \
	     "title|text|title\ndescription|text|description, Markdown")                                              \
	KIND(law, "law", "laws t JOIN councils c ON c.id = t.council_id", "t.title",                                  \
	     "'/councils/' || c.slug || '/laws/' || t.id", "t.council_id",                                             \
	     "t.council_id, t.item_id, t.title, t.number, t.stage, t.drafted_on, t.parliament_on, t.adopted_on, "      \
	     "t.signed_on, t.in_force_on, t.illustrative", "1 = 1",                                                    \
	     "council_id|int|the council (councils.id)\nitem_id|int|the reform item (reform_items.id)\n"            \
	     "title|text|title\nnumber|text|official number, or empty\n"                                             \
	     "stage|text|drafted, in_parliament, adopted, signed or in_force\ndrafted_on|date|day drafted\n"         \
	     "parliament_on|date|day submitted to parliament\nadopted_on|date|day adopted\nsigned_on|date|day signed\n" \
	     "in_force_on|date|day in force\nillustrative|int|1 when details are illustrative (demo data), else 0")   \
	KIND(appeal, "appeal", "appeals t JOIN councils c ON c.id = t.council_id", "t.reference",                     \
	     "'/councils/' || c.slug || '/appeals/' || t.reference", "t.council_id",                                   \
	     "t.council_id, t.reference, t.year, t.number, t.category, t.urgency, t.scale, t.visibility, t.state, "    \
	     "t.agency_id, t.duplicate_of, t.reason, t.ack_due, t.resolve_due, t.reopened, t.ext_state, t.ext_days, "  \
	     "t.overdue_flag, t.hidden, t.hidden_reason, t.illustrative",                                              \
	     "t.visibility <> 'confidential'",                                                                         \
	     "council_id|int|the council (councils.id)\nreference|text|reference number, e.g. NCPT-2026-000123\n"    \
	     "year|int|year filed\nnumber|int|number within the council and year\ncategory|text|category\n"        \
	     "urgency|text|urgent or normal\nscale|text|who is affected: person, group, sector or country\n"        \
	     "visibility|text|public or anonymous (filed without the filer's name; confidential appeals are "          \
	     "never exported)\nstate|text|submitted, info_requested, forwarded, acknowledged, resolved, rejected "    \
	     "or duplicate\nagency_id|int|the agency it was forwarded to (agencies.id), or empty\n"                  \
	     "duplicate_of|int|the appeal it duplicates (appeals.id), or empty\n"                                     \
	     "reason|text|the secretariat's reason for rejecting it or marking it a duplicate\n"                      \
	     "ack_due|int|acknowledgement deadline, unix seconds (UTC)\nresolve_due|int|resolution deadline, unix "   \
	     "seconds (UTC)\nreopened|int|1 when the filer reopened it, else 0\n"                                    \
	     "ext_state|text|the agency's extension request: requested, granted or refused, or empty\n"               \
	     "ext_days|int|working days of extension asked\n"                                                         \
	     "overdue_flag|int|1 while it is publicly flagged overdue, else 0\n"                                      \
	     "hidden|int|1 when moderation hid its text, else 0\nhidden_reason|text|why moderation hid it\n"         \
	     "illustrative|int|1 when it is illustrative (demo data), else 0")                                        \
	KIND(consultation, "consultation", "consultations t JOIN councils c ON c.id = t.council_id", "t.question",     \
	     "'/councils/' || c.slug || '/consultations/' || t.id", "t.council_id",                                    \
	     "t.council_id, t.proposal_id, t.group_id, t.question, t.description, t.opens_on, t.closes_on, t.who, "    \
	     "t.statements_open, t.closed, t.source, t.illustrative",                                                  \
	     "1 = 1",                                                                                                  \
	     "council_id|int|the council (councils.id)\nproposal_id|int|the proposal it belongs to, or empty\n"       \
	     "group_id|int|the working group it belongs to, or empty\nquestion|text|the question asked\n"            \
	     "description|text|more about it, Markdown\nopens_on|date|first day of voting\n"                         \
	     "closes_on|date|last day of voting\nwho|text|citizens (registered accounts) or anyone\n"                 \
	     "statements_open|int|1 when participants may add statements, else 0\n"                                  \
	     "closed|int|1 when closed early or imported, else 0\nsource|text|where its data came from, or empty\n"  \
	     "illustrative|int|1 when it is illustrative (demo data), else 0")

#define KIND_FNS(cname, kind, from, title, path, council, cols, where, doc)                                      \
	static enum kn_err all_##cname(struct kn_ctx *x, struct kn_rows **out)                                    \
	{                                                                                                          \
		return kn_sql0(x->c, x->a, out,                                                                    \
		               "SELECT t.id, " title ", " path ", " council ", " cols " FROM " from " ORDER BY t.id"); \
	}                                                                                                          \
	static enum kn_err pub_##cname(struct kn_ctx *x, struct kn_rows **out)                                    \
	{                                                                                                          \
		return kn_sql0(x->c, x->a, out,                                                                    \
		               "SELECT t.id, " title ", " path ", " council ", " cols " FROM " from " WHERE " where   \
		               " ORDER BY t.id");                                                                   \
	}                                                                                                          \
	static enum kn_err one_##cname(struct kn_ctx *x, int64_t id, struct kn_rows **out)                        \
	{                                                                                                          \
		return kn_sql(x->c, x->a, out,                                                                     \
		              "SELECT t.id, " title ", " path ", " council ", " cols " FROM " from " WHERE t.id = $1", \
		              KN_INT(id));                                                                          \
	}
#define KIND_ROW(cname, kind, from, title, path, council, cols, where, doc) \
	{kind, from, cols, doc, all_##cname, pub_##cname, one_##cname},

KN_RECORD_KINDS(KIND_FNS)

const struct kn_kind kn_kinds[] = {KN_RECORD_KINDS(KIND_ROW)};
const int kn_nkinds = (int)KN_ARRAY_LEN(kn_kinds);

const struct kn_kind *kn_kind_find(const char *kind)
{
	for (int i = 0; kind && i < kn_nkinds; i++)
		if (!strcmp(kn_kinds[i].kind, kind))
			return &kn_kinds[i];
	return NULL;
}

const char **kn_kind_fields(struct kn_arena *a, const struct kn_kind *k, int *n)
{
	int cap = 1;
	for (const char *p = k->cols; *p; p++)
		cap += *p == ',';
	const char **f = kn_zalloc(a, sizeof(*f) * (size_t)cap);
	*n = 0;
	const char *p = k->cols;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *s = p;
		while (*p && *p != ',')
			p++;
		const char *e = p;
		while (e > s && e[-1] == ' ')
			e--;
		const char *dot = e > s ? memchr(s, '.', (size_t)(e - s)) : NULL;
		if (dot)
			s = dot + 1;
		if (e > s)
			f[(*n)++] = kn_strndup(a, s, (size_t)(e - s));
	}
	return f;
}

const char *kn_kind_table(struct kn_arena *a, const struct kn_kind *k)
{
	return kn_strndup(a, k->from, strcspn(k->from, " "));
}

void kn_record_label(struct kn_ctx *x, const char *kind, int64_t id, const char **title, const char **path)
{
	*title = kn_printf(x->a, "%s #%lld", kind, (long long)id);
	*path = kn_printf(x->a, "/records/%s/%lld", kind, (long long)id);
	const struct kn_kind *k = kn_kind_find(kind);
	struct kn_rows *r;
	if (!k || k->load_one(x, id, &r) || r->n != 1)
		return;
	if (kn_row_s(r, 0, 1) && *kn_row_s(r, 0, 1))
		*title = kn_row_s(r, 0, 1);
	if (kn_row_s(r, 0, 2) && *kn_row_s(r, 0, 2))
		*path = kn_row_s(r, 0, 2);
}
