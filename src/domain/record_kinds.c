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
 *            record; a column no event ever set must be NULL, '' or 0
 *   where    which rows leave in the export ("1 = 1": all; e.g. leave out
 *            confidential rows); verification always looks at every row
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
	KIND(person, "person", "persons t", "t.full_name", "NULL", "NULL",                                            \
	     "t.full_name, t.full_name_ru, t.full_name_kk, t.illustrative", "1 = 1",                                   \
	     "full_name|text|full name as published\nfull_name_ru|text|full name in Russian (may be empty)\n"         \
	     "full_name_kk|text|full name in Kazakh (may be empty)\n"                                                 \
	     "illustrative|int|1 when the person is an illustrative stand-in in demo data, else 0")             \
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
	     "illustrative|int|1 when the dates are illustrative, else 0")

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
