/* registry.c: councils, agencies and people: validation, storage, history. */
#include "domain/registry.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "domain/event.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const kn_agency_kinds[] = {"ministry", "committee", "agency", "administration", "akimat", "court", "other", NULL};

static const char *pick_name(const char *en, const char *ru, const char *kk, const char *lang)
{
	if (lang && !strcmp(lang, "ru") && ru && *ru)
		return ru;
	if (lang && !strcmp(lang, "kk") && kk && *kk)
		return kk;
	return en;
}

const char *kn_council_name(const struct kn_council *c, const char *lang)
{
	return pick_name(c->name_en, c->name_ru, c->name_kk, lang);
}

const char *kn_agency_name(const struct kn_agency *g, const char *lang)
{
	return pick_name(g->name_en, g->name_ru, g->name_kk, lang);
}

/* ---- councils ------------------------------------------------------------ */

#define COUNCIL_COLS                                                                          \
	"c.id, c.slug, c.name_en, c.name_ru, c.name_kk, c.description, c.chair_person_id, "       \
	"p.full_name, c.founded_on, c.dissolved_on, c.succeeded_by, s.slug, s.name_en, c.seats, " \
	"c.timezone, c.created_at, c.updated_at"
#define COUNCIL_FROM                                  \
	" FROM councils c"                                \
	" LEFT JOIN persons p ON p.id = c.chair_person_id" \
	" LEFT JOIN councils s ON s.id = c.succeeded_by"

static void council_row(const struct kn_rows *r, int i, struct kn_council *c)
{
	c->id = kn_row_i(r, i, 0);
	c->slug = kn_row_s(r, i, 1);
	c->name_en = kn_row_s(r, i, 2);
	c->name_ru = kn_row_s(r, i, 3);
	c->name_kk = kn_row_s(r, i, 4);
	c->description = kn_row_s(r, i, 5);
	c->chair_person_id = kn_row_i(r, i, 6);
	c->chair_name = kn_row_s(r, i, 7);
	c->founded_on = kn_row_s(r, i, 8);
	c->dissolved_on = kn_row_s(r, i, 9);
	c->succeeded_by = kn_row_i(r, i, 10);
	c->succeeded_by_slug = kn_row_s(r, i, 11);
	c->succeeded_by_name = kn_row_s(r, i, 12);
	c->seats = (long)kn_row_i(r, i, 13);
	c->timezone = kn_row_s(r, i, 14);
	c->created_at = kn_row_i(r, i, 15);
	c->updated_at = kn_row_i(r, i, 16);
}

enum kn_err kn_council_list(struct kn_ctx *x, struct kn_council **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r,
	                         "SELECT " COUNCIL_COLS COUNCIL_FROM
	                         " ORDER BY (c.dissolved_on IS NOT NULL), c.founded_on DESC, c.name_en");
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++)
		council_row(r, i, &(*out)[i]);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_council_get(struct kn_ctx *x, const char *key, struct kn_council **out)
{
	struct kn_rows *r;
	/* by id or by slug (a slug is never digits alone): one index seek, where
	 * "id = $1 OR slug = $2" made SQLite look in both and merge */
	int64_t id = kn_parse_id(key);
	enum kn_err rc = id ? kn_sql(x->c, x->a, &r, "SELECT " COUNCIL_COLS COUNCIL_FROM " WHERE c.id = $1", KN_INT(id))
	                    : kn_sql(x->c, x->a, &r, "SELECT " COUNCIL_COLS COUNCIL_FROM " WHERE c.slug = $1",
	                             KN_TEXT(key ? key : ""));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	council_row(r, 0, *out);
	return KN_OK;
}

enum kn_err kn_council_lineage(struct kn_ctx *x, const struct kn_council *c, struct kn_council **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, slug, name_en, name_ru, name_kk, succeeded_by FROM councils "
	                        "WHERE id = $1 OR succeeded_by = $2 ORDER BY (dissolved_on IS NOT NULL), founded_on DESC, name_en",
	                        KN_INT(c->succeeded_by), KN_INT(c->id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_council *o = &(*out)[i];
		o->id = kn_row_i(r, i, 0);
		o->slug = kn_row_s(r, i, 1);
		o->name_en = kn_row_s(r, i, 2);
		o->name_ru = kn_row_s(r, i, 3);
		o->name_kk = kn_row_s(r, i, 4);
		o->succeeded_by = kn_row_i(r, i, 5);
	}
	*n = r->n;
	return KN_OK;
}

static bool tz_ok(const char *tz)
{
	size_t n = strlen(tz);
	if (n == 0 || n > 64 || tz[0] == '/' || strstr(tz, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = tz[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
		      c == '_' || c == '-' || c == '+'))
			return false;
	}
	char path[128];
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *empty_null(const char *s)
{
	return s && *s ? s : NULL;
}

enum kn_err kn_council_save(struct kn_ctx *x, const struct kn_council *in, int64_t *id)
{
	struct kn_council c = *in;
	c.slug = kn_trim(x, c.slug);
	c.name_en = kn_trim(x, c.name_en);
	c.name_ru = kn_trim(x, c.name_ru);
	c.name_kk = kn_trim(x, c.name_kk);
	c.founded_on = kn_trim(x, c.founded_on);
	c.dissolved_on = kn_trim(x, c.dissolved_on);
	c.timezone = kn_trim(x, c.timezone);
	if (!c.timezone || !*c.timezone)
		c.timezone = "Asia/Almaty";
	kn_check_slug(x, "slug", c.slug);
	kn_check_text(x, "name_en", c.name_en, 300, true, false);
	kn_check_text(x, "name_ru", c.name_ru, 300, false, false);
	kn_check_text(x, "name_kk", c.name_kk, 300, false, false);
	kn_check_text(x, "description", c.description, 20000, false, true);
	bool fd = kn_check_date(x, "founded_on", c.founded_on, false);
	bool dd = kn_check_date(x, "dissolved_on", c.dissolved_on, false);
	if (fd && dd && c.founded_on && *c.founded_on && c.dissolved_on && *c.dissolved_on &&
	    strcmp(c.dissolved_on, c.founded_on) < 0)
		kn_ferr_add(x, "dissolved_on", "A council cannot be dissolved before it was founded.");
	if (c.seats < 0 || c.seats > 100000)
		kn_ferr_add(x, "seats", "Enter a number of seats from 0 to 100000.");
	if (!tz_ok(c.timezone))
		kn_ferr_add(x, "timezone", "Unknown time zone; use a name like Asia/Almaty.");
	enum kn_err rc;
	struct kn_rows *r;
	c.succeeded_by = 0;
	if (c.succeeded_by_key && *c.succeeded_by_key) {
		struct kn_council *s;
		rc = kn_council_get(x, c.succeeded_by_key, &s);
		if (rc == KN_ENOTFOUND)
			kn_ferr_add(x, "succeeded_by", "No such council.");
		else if (rc)
			return rc;
		else if (s->id == c.id)
			kn_ferr_add(x, "succeeded_by", "A council cannot succeed itself.");
		else
			c.succeeded_by = s->id;
		if (c.succeeded_by && !(c.dissolved_on && *c.dissolved_on))
			kn_ferr_add(x, "dissolved_on", "A council with a successor needs the date it was dissolved.");
	}
	if (c.chair_person_id) {
		if ((rc = kn_sql(x->c, x->a, &r, "SELECT id FROM persons WHERE id = $1", KN_INT(c.chair_person_id))))
			return rc;
		if (!r->n)
			kn_ferr_add(x, "chair_person_id", "No such person.");
	}
	struct kn_council *old = NULL;
	if (c.id) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)c.id);
		if ((rc = kn_council_get(x, key, &old)))
			return rc;
	}
	if (x->errs)
		return KN_EINVAL;
	if (!c.id) {
		rc = kn_sql(x->c, x->a, &r,
		            "INSERT INTO councils (slug, name_en, name_ru, name_kk, description, chair_person_id, founded_on, "
		            "dissolved_on, succeeded_by, seats, timezone, created_at, updated_at) "
		            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
		            KN_TEXT(c.slug), KN_TEXT(c.name_en), KN_TEXT(c.name_ru ? c.name_ru : ""),
		            KN_TEXT(c.name_kk ? c.name_kk : ""), KN_TEXT(c.description ? c.description : ""),
		            c.chair_person_id ? KN_INT(c.chair_person_id) : KN_NULL, KN_TEXT(empty_null(c.founded_on)),
		            KN_TEXT(empty_null(c.dissolved_on)), c.succeeded_by ? KN_INT(c.succeeded_by) : KN_NULL,
		            KN_INT(c.seats), KN_TEXT(c.timezone), KN_INT(x->now));
	} else {
		rc = kn_sql(x->c, x->a, &r,
		            "UPDATE councils SET slug = $1, name_en = $2, name_ru = $3, name_kk = $4, description = $5, "
		            "chair_person_id = $6, founded_on = $7, dissolved_on = $8, succeeded_by = $9, seats = $10, "
		            "timezone = $11, updated_at = $12 WHERE id = $13 RETURNING id",
		            KN_TEXT(c.slug), KN_TEXT(c.name_en), KN_TEXT(c.name_ru ? c.name_ru : ""),
		            KN_TEXT(c.name_kk ? c.name_kk : ""), KN_TEXT(c.description ? c.description : ""),
		            c.chair_person_id ? KN_INT(c.chair_person_id) : KN_NULL, KN_TEXT(empty_null(c.founded_on)),
		            KN_TEXT(empty_null(c.dissolved_on)), c.succeeded_by ? KN_INT(c.succeeded_by) : KN_NULL,
		            KN_INT(c.seats), KN_TEXT(c.timezone), KN_INT(x->now), KN_INT(c.id));
	}
	if (rc == KN_ECONFLICT) {
		kn_ferr_add(x, "slug", "Another council already uses this short name.");
		return KN_EINVAL;
	}
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "slug", old ? old->slug : NULL, c.slug);
	kn_change_str(ch, "name_en", old ? old->name_en : NULL, c.name_en);
	kn_change_str(ch, "name_ru", old ? old->name_ru : NULL, c.name_ru ? c.name_ru : "");
	kn_change_str(ch, "name_kk", old ? old->name_kk : NULL, c.name_kk ? c.name_kk : "");
	kn_change_str(ch, "description", old ? old->description : NULL, c.description ? c.description : "");
	kn_change_id(ch, "chair_person_id", old ? old->chair_person_id : 0, c.chair_person_id);
	kn_change_str(ch, "founded_on", old ? old->founded_on : NULL, empty_null(c.founded_on));
	kn_change_str(ch, "dissolved_on", old ? old->dissolved_on : NULL, empty_null(c.dissolved_on));
	kn_change_id(ch, "succeeded_by", old ? old->succeeded_by : 0, c.succeeded_by);
	kn_change_int(ch, "seats", old ? old->seats : -1, c.seats);
	kn_change_str(ch, "timezone", old ? old->timezone : NULL, c.timezone);
	if (old && kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "council", *id, old ? "updated" : "created", *id, 0, ch);
}

/* ---- agencies ------------------------------------------------------------ */

#define AGENCY_COLS                                                                                   \
	"g.id, g.slug, g.name_en, g.name_ru, g.name_kk, g.kind, g.website, g.parent_id, p.slug, p.name_en, " \
	"g.created_at, g.updated_at"
#define AGENCY_FROM " FROM agencies g LEFT JOIN agencies p ON p.id = g.parent_id"

static void agency_row(const struct kn_rows *r, int i, struct kn_agency *g)
{
	g->id = kn_row_i(r, i, 0);
	g->slug = kn_row_s(r, i, 1);
	g->name_en = kn_row_s(r, i, 2);
	g->name_ru = kn_row_s(r, i, 3);
	g->name_kk = kn_row_s(r, i, 4);
	g->kind = kn_row_s(r, i, 5);
	g->website = kn_row_s(r, i, 6);
	g->parent_id = kn_row_i(r, i, 7);
	g->parent_slug = kn_row_s(r, i, 8);
	g->parent_name = kn_row_s(r, i, 9);
	g->created_at = kn_row_i(r, i, 10);
	g->updated_at = kn_row_i(r, i, 11);
}

static enum kn_err agency_rows(struct kn_ctx *x, struct kn_rows *r, struct kn_agency **out, int *n)
{
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++)
		agency_row(r, i, &(*out)[i]);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_agency_list(struct kn_ctx *x, struct kn_agency **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r, "SELECT " AGENCY_COLS AGENCY_FROM " ORDER BY g.name_en");
	return rc ? rc : agency_rows(x, r, out, n);
}

#define AGENCY_PAGE_WHERE " WHERE ($1 = '' OR g.kind = $1) AND ($2 = 0 OR g.parent_id IS NULL)"

enum kn_err kn_agency_page(struct kn_ctx *x, const char *kind, bool top, int offset, int limit, struct kn_agency **out,
                           int *n, int *total)
{
	struct kn_rows *r;
	enum kn_err rc = kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM agencies g" AGENCY_PAGE_WHERE,
	                          KN_TEXT(kind ? kind : ""), KN_INT(top ? 1 : 0));
	if (rc)
		return rc;
	/* units are counted for the top of the tree alone, where they are shown */
	if (top)
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT " AGENCY_COLS ", (SELECT COUNT(*) FROM agencies u WHERE u.parent_id = g.id)" AGENCY_FROM
		                AGENCY_PAGE_WHERE " ORDER BY g.name_en, g.id LIMIT $3 OFFSET $4",
		            KN_TEXT(kind ? kind : ""), KN_INT(1), KN_LIMIT(limit), KN_INT(offset));
	else
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT " AGENCY_COLS AGENCY_FROM AGENCY_PAGE_WHERE " ORDER BY g.name_en, g.id LIMIT $3 OFFSET $4",
		            KN_TEXT(kind ? kind : ""), KN_INT(0), KN_LIMIT(limit), KN_INT(offset));
	if (rc)
		return rc;
	agency_rows(x, r, out, n);
	for (int i = 0; top && i < r->n; i++)
		(*out)[i].units = (int)kn_row_i(r, i, 12);
	return KN_OK;
}

static enum kn_err agency_search(struct kn_ctx *x, const char *kind, const char *q, bool whole_first, int offset,
                                 int limit, struct kn_agency **out, int *n, int *total)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " AGENCY_COLS AGENCY_FROM AGENCY_PAGE_WHERE " ORDER BY g.name_en, g.id",
	                        KN_TEXT(kind ? kind : ""), KN_INT(0));
	if (rc)
		return rc;
	static const int cols[] = {1, 2, 3, 4}; /* slug, names in English, Russian and Kazakh */
	struct kn_rows *page = kn_rows_matching(x, r, cols, 4, q, whole_first, offset, limit, total);
	return agency_rows(x, page, out, n);
}

enum kn_err kn_agency_search(struct kn_ctx *x, const char *kind, const char *q, int offset, int limit,
                             struct kn_agency **out, int *n, int *total)
{
	return agency_search(x, kind, q, false, offset, limit, out, n, total);
}

enum kn_err kn_agency_pick(struct kn_ctx *x, const char *field, const char *key, struct kn_agency **out)
{
	*out = NULL;
	enum kn_err rc = kn_agency_get(x, key, out);
	if (rc != KN_ENOTFOUND)
		return rc;
	struct kn_agency *g;
	int n = 0, total = 0;
	/* a name said whole wins over the longer names holding it */
	if (strlen(key) <= KN_SEARCH_MAX && (rc = agency_search(x, NULL, key, true, 0, 5, &g, &n, &total)))
		return rc;
	if (total == 1) {
		*out = &g[0];
		return KN_OK;
	}
	if (!total) {
		kn_ferr_add(x, field, "No such agency.");
		return KN_EINVAL;
	}
	/* several: name them, so that the next try can be exact */
	struct kn_buf m;
	kn_buf_arena(&m, x->a, 4096);
	kn_buf_printf(&m, "%s", _("Several agencies match; give the short name of one:"));
	for (int i = 0; i < n; i++)
		kn_buf_printf(&m, "%s %s (%s)", i ? "," : "", g[i].slug, g[i].name_en);
	if (total > n)
		kn_buf_printf(&m, " … (%d)", total);
	kn_ferr_add(x, field, kn_buf_str(&m));
	return KN_EINVAL;
}

enum kn_err kn_agency_first_units(struct kn_ctx *x, int offset, int limit, int per, struct kn_agency **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(
	    x->c, x->a, &r,
	    "SELECT " AGENCY_COLS " FROM (SELECT u.*, ROW_NUMBER() OVER (PARTITION BY u.parent_id ORDER BY u.name_en, u.id) "
	    "AS rn FROM agencies u WHERE u.parent_id IN (SELECT t.id FROM agencies t WHERE t.parent_id IS NULL ORDER BY "
	    "t.name_en, t.id LIMIT $1 OFFSET $2)) g LEFT JOIN agencies p ON p.id = g.parent_id WHERE g.rn <= $3 "
	    "ORDER BY g.parent_id, g.name_en, g.id",
	    KN_LIMIT(limit), KN_INT(offset), KN_INT(per));
	return rc ? rc : agency_rows(x, r, out, n);
}
#undef AGENCY_PAGE_WHERE

/* id, slug and names: what menus and labels need */
#define AGENCY_NAME_COLS "id, slug, name_en, name_ru, name_kk"

static void agency_names(struct kn_ctx *x, const struct kn_rows *r, struct kn_agency **out, int *n)
{
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_agency *g = &(*out)[i];
		g->id = kn_row_i(r, i, 0);
		g->slug = kn_row_s(r, i, 1);
		g->name_en = kn_row_s(r, i, 2);
		g->name_ru = kn_row_s(r, i, 3);
		g->name_kk = kn_row_s(r, i, 4);
	}
	*n = r->n;
}

enum kn_err kn_agency_names(struct kn_ctx *x, struct kn_agency **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r, "SELECT " AGENCY_NAME_COLS " FROM agencies ORDER BY name_en");
	if (!rc)
		agency_names(x, r, out, n);
	return rc;
}

static int by_name_en(const void *a, const void *b)
{
	const struct kn_agency *p = a, *q = b;
	int d = strcmp(p->name_en, q->name_en);
	return d ? d : (p->id > q->id) - (p->id < q->id);
}

enum kn_err kn_council_agencies(struct kn_ctx *x, int64_t council_id, struct kn_agency **out, int *n)
{
	struct kn_rows *r;
	/* in the key's order, then by name here: a handful of rows, and SQLite's
	 * sorter costs more than the read itself (8.5 against 3.8 µs a page) */
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT g.id, g.slug, g.name_en, g.name_ru, g.name_kk FROM council_agencies ca JOIN agencies g "
	                        "ON g.id = ca.agency_id WHERE ca.council_id = $1",
	                        KN_INT(council_id));
	if (rc)
		return rc;
	agency_names(x, r, out, n);
	qsort(*out, (size_t)*n, sizeof(**out), by_name_en);
	return KN_OK;
}

enum kn_err kn_agency_name_of(struct kn_ctx *x, int64_t id, struct kn_agency **out)
{
	struct kn_rows *r;
	int n;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " AGENCY_NAME_COLS " FROM agencies WHERE id = $1", KN_INT(id));
	if (rc)
		return rc;
	agency_names(x, r, out, &n);
	return n ? KN_OK : KN_ENOTFOUND;
}

enum kn_err kn_agency_children(struct kn_ctx *x, int64_t parent_id, int offset, int limit, struct kn_agency **out,
                               int *n, int *total)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (total && (rc = kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM agencies WHERE parent_id = $1", KN_INT(parent_id))))
		return rc;
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT " AGENCY_COLS AGENCY_FROM " WHERE g.parent_id = $1 ORDER BY g.name_en, g.id LIMIT $2 OFFSET $3",
	            KN_INT(parent_id), KN_LIMIT(limit), KN_INT(offset));
	return rc ? rc : agency_rows(x, r, out, n);
}

enum kn_err kn_agency_get(struct kn_ctx *x, const char *key, struct kn_agency **out)
{
	struct kn_rows *r;
	int64_t id = kn_parse_id(key); /* as kn_council_get: by id or by slug */
	enum kn_err rc = id ? kn_sql(x->c, x->a, &r, "SELECT " AGENCY_COLS AGENCY_FROM " WHERE g.id = $1", KN_INT(id))
	                    : kn_sql(x->c, x->a, &r, "SELECT " AGENCY_COLS AGENCY_FROM " WHERE g.slug = $1",
	                             KN_TEXT(key ? key : ""));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	agency_row(r, 0, *out);
	return KN_OK;
}

enum kn_err kn_agency_save(struct kn_ctx *x, const struct kn_agency *in, int64_t *id)
{
	struct kn_agency g = *in;
	g.slug = kn_trim(x, g.slug);
	g.name_en = kn_trim(x, g.name_en);
	g.name_ru = kn_trim(x, g.name_ru);
	g.name_kk = kn_trim(x, g.name_kk);
	g.website = kn_trim(x, g.website);
	g.kind = kn_trim(x, g.kind);
	if (!g.kind || !*g.kind)
		g.kind = "other";
	kn_check_slug(x, "slug", g.slug);
	kn_check_text(x, "name_en", g.name_en, 300, true, false);
	kn_check_text(x, "name_ru", g.name_ru, 300, false, false);
	kn_check_text(x, "name_kk", g.name_kk, 300, false, false);
	bool kind_ok = false;
	for (int i = 0; kn_agency_kinds[i]; i++)
		if (!strcmp(g.kind, kn_agency_kinds[i]))
			kind_ok = true;
	if (!kind_ok)
		kn_ferr_add(x, "kind", "Unknown kind of agency.");
	if (g.website && *g.website &&
	    (!kn_check_text(x, "website", g.website, 500, false, false) ||
	     (strncmp(g.website, "https://", 8) && strncmp(g.website, "http://", 7)) || strchr(g.website, ' ')))
		if (!x->errs || strcmp(x->errs->field, "website"))
			kn_ferr_add(x, "website", "Enter a web address starting with https://.");
	enum kn_err rc;
	struct kn_agency *old = NULL;
	if (g.id) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)g.id);
		if ((rc = kn_agency_get(x, key, &old)))
			return rc;
	}
	g.parent_id = 0;
	if (g.parent_key && *g.parent_key) {
		struct kn_agency *p;
		rc = kn_agency_get(x, g.parent_key, &p);
		if (rc == KN_ENOTFOUND) {
			kn_ferr_add(x, "parent", "No such agency.");
		} else if (rc) {
			return rc;
		} else {
			/* walk up from the new parent: meeting this agency is a cycle */
			int depth = 0;
			int64_t cur = p->id;
			while (cur && depth++ < 64) {
				if (g.id && cur == g.id) {
					kn_ferr_add(x, "parent", "An agency cannot be placed under itself or under one of its own units.");
					break;
				}
				struct kn_rows *r;
				if ((rc = kn_sql(x->c, x->a, &r, "SELECT parent_id FROM agencies WHERE id = $1", KN_INT(cur))))
					return rc;
				cur = r->n ? kn_row_i(r, 0, 0) : 0;
			}
			g.parent_id = p->id;
		}
	}
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if (!g.id)
		rc = kn_sql(x->c, x->a, &r,
		            "INSERT INTO agencies (slug, name_en, name_ru, name_kk, kind, parent_id, website, created_at, updated_at) "
		            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
		            KN_TEXT(g.slug), KN_TEXT(g.name_en), KN_TEXT(g.name_ru ? g.name_ru : ""),
		            KN_TEXT(g.name_kk ? g.name_kk : ""), KN_TEXT(g.kind), g.parent_id ? KN_INT(g.parent_id) : KN_NULL,
		            KN_TEXT(g.website ? g.website : ""), KN_INT(x->now));
	else
		rc = kn_sql(x->c, x->a, &r,
		            "UPDATE agencies SET slug = $1, name_en = $2, name_ru = $3, name_kk = $4, kind = $5, parent_id = $6, "
		            "website = $7, updated_at = $8 WHERE id = $9 RETURNING id",
		            KN_TEXT(g.slug), KN_TEXT(g.name_en), KN_TEXT(g.name_ru ? g.name_ru : ""),
		            KN_TEXT(g.name_kk ? g.name_kk : ""), KN_TEXT(g.kind), g.parent_id ? KN_INT(g.parent_id) : KN_NULL,
		            KN_TEXT(g.website ? g.website : ""), KN_INT(x->now), KN_INT(g.id));
	if (rc == KN_ECONFLICT) {
		kn_ferr_add(x, "slug", "Another agency already uses this short name.");
		return KN_EINVAL;
	}
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "slug", old ? old->slug : NULL, g.slug);
	kn_change_str(ch, "name_en", old ? old->name_en : NULL, g.name_en);
	kn_change_str(ch, "name_ru", old ? old->name_ru : NULL, g.name_ru ? g.name_ru : "");
	kn_change_str(ch, "name_kk", old ? old->name_kk : NULL, g.name_kk ? g.name_kk : "");
	kn_change_str(ch, "kind", old ? old->kind : NULL, g.kind);
	kn_change_id(ch, "parent_id", old ? old->parent_id : 0, g.parent_id);
	kn_change_str(ch, "website", old ? old->website : NULL, g.website ? g.website : "");
	if (old && kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "agency", *id, old ? "updated" : "created", 0, *id, ch);
}

/* ---- people -------------------------------------------------------------- */

static enum kn_err person_rows(struct kn_ctx *x, const struct kn_rows *r, struct kn_person **out, int *n)
{
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_person *p = &(*out)[i];
		p->id = kn_row_i(r, i, 0);
		p->full_name = kn_row_s(r, i, 1);
		p->full_name_ru = kn_row_s(r, i, 2);
		p->full_name_kk = kn_row_s(r, i, 3);
		p->bio = kn_row_s(r, i, 4);
		p->user_id = kn_row_i(r, i, 5);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_person_list(struct kn_ctx *x, struct kn_person **out, int *n)
{
	return kn_person_page(x, 0, 0, out, n, NULL);
}

enum kn_err kn_person_page(struct kn_ctx *x, int offset, int limit, struct kn_person **out, int *n, int *total)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (total && (rc = kn_count0(x->c, x->a, total, "SELECT COUNT(*) FROM persons")))
		return rc;
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT id, full_name, full_name_ru, full_name_kk, bio, user_id FROM persons ORDER BY full_name, id "
	            "LIMIT $1 OFFSET $2",
	            KN_LIMIT(limit), KN_INT(offset));
	return rc ? rc : person_rows(x, r, out, n);
}

enum kn_err kn_person_search(struct kn_ctx *x, const char *q, int offset, int limit, struct kn_person **out, int *n,
                             int *total)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r,
	                         "SELECT id, full_name, full_name_ru, full_name_kk, bio, user_id FROM persons "
	                         "ORDER BY full_name, id");
	if (rc)
		return rc;
	static const int cols[] = {1, 2, 3}; /* the name in English, Russian and Kazakh */
	return person_rows(x, kn_rows_matching(x, r, cols, 3, q, false, offset, limit, total), out, n);
}

enum kn_err kn_person_create(struct kn_ctx *x, const struct kn_person *in, int64_t *id)
{
	const char *name = kn_trim(x, in->full_name);
	kn_check_text(x, "full_name", name, 300, true, false);
	kn_check_text(x, "full_name_ru", in->full_name_ru, 300, false, false);
	kn_check_text(x, "full_name_kk", in->full_name_kk, 300, false, false);
	kn_check_text(x, "bio", in->bio, 20000, false, true);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO persons (full_name, full_name_ru, full_name_kk, bio, user_id, created_at) "
	                        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	                        KN_TEXT(name), KN_TEXT(in->full_name_ru), KN_TEXT(in->full_name_kk),
	                        KN_TEXT(in->bio ? in->bio : ""), in->user_id ? KN_INT(in->user_id) : KN_NULL,
	                        KN_INT(x->now));
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "full_name", NULL, name);
	kn_change_str(ch, "full_name_ru", NULL, in->full_name_ru);
	kn_change_str(ch, "full_name_kk", NULL, in->full_name_kk);
	kn_change_str(ch, "bio", NULL, in->bio ? in->bio : "");
	return kn_event(x, "person", *id, "created", 0, 0, ch);
}
