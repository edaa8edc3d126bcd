/* reform.c: reform packages, their items (linked to the proposals and
 * assignments behind them), the laws each item becomes with their stages,
 * and a council's statistics. */
#include "core/arena.h"
#include "domain/event.h"
#include "domain/loop.h"
#include "domain/registry.h"
#include "store/store.h"
#include <ctype.h>
#include <string.h>

const char *const kn_law_stages[] = {"drafted", "in_parliament", "adopted", "signed", "in_force", NULL};

/* The column holding each stage's date, as kn_law_stages (events name it so). */
static const char *const stage_columns[] = {"drafted_on", "parliament_on", "adopted_on", "signed_on", "in_force_on"};

static int stage_index(const char *s)
{
	for (int i = 0; s && kn_law_stages[i]; i++)
		if (!strcmp(s, kn_law_stages[i]))
			return i;
	return -1;
}

#define REFORM_COLS                                                                                          \
	"r.id, r.council_id, r.title, r.description, r.announced_on, r.illustrative, "                          \
	"(SELECT COUNT(*) FROM reform_items i WHERE i.package_id = r.id), "                                     \
	"(SELECT COUNT(*) FROM reform_items i WHERE i.package_id = r.id AND EXISTS (SELECT 1 FROM laws l WHERE " \
	"l.item_id = i.id) AND NOT EXISTS (SELECT 1 FROM laws l WHERE l.item_id = i.id AND l.stage IN "          \
	"('drafted', 'in_parliament'))), "                                                                      \
	"(SELECT COUNT(*) FROM laws l JOIN reform_items i ON i.id = l.item_id WHERE i.package_id = r.id), "      \
	"(SELECT COUNT(*) FROM laws l JOIN reform_items i ON i.id = l.item_id WHERE i.package_id = r.id AND "    \
	"l.stage IN ('adopted', 'signed', 'in_force'))"

static void reform_row(const struct kn_rows *r, int i, struct kn_reform *p)
{
	p->id = kn_row_i(r, i, 0);
	p->council_id = kn_row_i(r, i, 1);
	p->title = kn_row_s(r, i, 2);
	p->description = kn_row_s(r, i, 3);
	p->announced_on = kn_row_s(r, i, 4);
	p->illustrative = kn_row_i(r, i, 5) != 0;
	p->items = (long)kn_row_i(r, i, 6);
	p->items_done = (long)kn_row_i(r, i, 7);
	p->laws = (long)kn_row_i(r, i, 8);
	p->laws_adopted = (long)kn_row_i(r, i, 9);
}

enum kn_err kn_reform_list(struct kn_ctx *x, int64_t council_id, struct kn_reform **out, int *n)
{
	return kn_reform_page(x, council_id, 0, 0, out, n, NULL);
}

enum kn_err kn_reform_page(struct kn_ctx *x, int64_t council_id, int offset, int limit, struct kn_reform **out, int *n,
                           int *total)
{
	struct kn_rows *r;
	enum kn_err rc;
	if (total &&
	    (rc = kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM reform_packages WHERE council_id = $1", KN_INT(council_id))))
		return rc;
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT " REFORM_COLS " FROM reform_packages r WHERE r.council_id = $1 ORDER BY r.id LIMIT $2 OFFSET $3",
	            KN_INT(council_id), KN_LIMIT(limit), KN_INT(offset));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++)
		reform_row(r, i, &(*out)[i]);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_reform_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_reform **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " REFORM_COLS " FROM reform_packages r WHERE r.id = $1 AND r.council_id = $2",
	                        KN_INT(id), KN_INT(council_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	reform_row(r, 0, *out);
	return KN_OK;
}

enum kn_err kn_reform_create(struct kn_ctx *x, const struct kn_council *c, const struct kn_reform *in, int64_t *id)
{
	const char *title = kn_trim(x, in->title), *on = kn_trim(x, in->announced_on);
	kn_check_text(x, "title", title, 300, true, false);
	kn_check_text(x, "description", in->description, 50000, false, true);
	kn_check_date(x, "announced_on", on, false);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO reform_packages (council_id, title, description, announced_on, illustrative, "
	                        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
	                        KN_INT(c->id), KN_TEXT(title), KN_TEXT(in->description ? in->description : ""),
	                        KN_TEXT(on && *on ? on : NULL), KN_INT(in->illustrative), KN_INT(x->now));
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "title", NULL, title);
	kn_change_str(ch, "description", NULL, in->description && *in->description ? in->description : NULL);
	kn_change_str(ch, "announced_on", NULL, on && *on ? on : NULL);
	if (in->illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "reform", *id, "created", c->id, 0, ch);
}

enum kn_err kn_reform_items(struct kn_ctx *x, int64_t package_id, struct kn_reform_item **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT i.id, i.package_id, i.position, i.title, i.description, "
	                        "(SELECT COUNT(*) FROM laws l WHERE l.item_id = i.id), "
	                        "(SELECT COUNT(*) FROM laws l WHERE l.item_id = i.id AND l.stage IN ('drafted', 'in_parliament')) "
	                        "FROM reform_items i WHERE i.package_id = $1 ORDER BY i.position",
	                        KN_INT(package_id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_reform_item *it = &(*out)[i];
		it->id = kn_row_i(r, i, 0);
		it->package_id = kn_row_i(r, i, 1);
		it->position = (long)kn_row_i(r, i, 2);
		it->title = kn_row_s(r, i, 3);
		it->description = kn_row_s(r, i, 4);
		long laws = (long)kn_row_i(r, i, 5), pending = (long)kn_row_i(r, i, 6);
		it->status = !laws ? "planned" : pending ? "in_progress" : "implemented";
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_reform_item_add(struct kn_ctx *x, const struct kn_council *c, int64_t package_id, const char *title,
                               const char *description, const char *links, int64_t *id)
{
	struct kn_reform *p;
	enum kn_err rc = kn_reform_get(x, c->id, package_id, &p);
	if (rc)
		return rc;
	title = kn_trim(x, title);
	kn_check_text(x, "title", title, 500, true, false);
	kn_check_text(x, "description", description, 20000, false, true);
	int64_t lp[64], la[64];
	int nlp = 0, nla = 0;
	char *s = kn_strdup(x->a, links ? links : "");
	for (char *q = s; *q;) {
		while (*q && (*q == ',' || isspace((unsigned char)*q)))
			q++;
		if (!*q)
			break;
		char kind = (char)tolower((unsigned char)*q);
		char *e = q + 1;
		while (*e && *e != ',' && !isspace((unsigned char)*e))
			e++;
		char save = *e;
		*e = 0;
		int64_t lid = kn_parse_id(q + 1);
		*e = save;
		q = e;
		if ((kind != 'p' && kind != 'a') || !lid) {
			kn_ferr_add(x, "links", "Write links as p12 (proposal 12) or a7 (assignment 7).");
			break;
		}
		if (nlp + nla >= 64) {
			kn_ferr_add(x, "links", "At most 64 links.");
			break;
		}
		if (kind == 'p') {
			struct kn_proposal *pr;
			rc = kn_proposal_get(x, c->id, lid, &pr);
			if (rc == KN_ENOTFOUND || (!rc && strcmp(pr->state, "accepted"))) {
				kn_ferr_add(x, "links", "A reform item links only accepted proposals of this council.");
				break;
			}
			if (rc)
				return rc;
			lp[nlp++] = lid;
		} else {
			struct kn_assignment *as;
			rc = kn_assignment_get(x, c->id, lid, &as);
			if (rc == KN_ENOTFOUND) {
				kn_ferr_add(x, "links", "No such assignment in this council.");
				break;
			}
			if (rc)
				return rc;
			la[nla++] = lid;
		}
	}
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r, "SELECT COALESCE(MAX(position), 0) + 1 FROM reform_items WHERE package_id = $1",
	                 KN_INT(package_id))))
		return rc;
	long pos = (long)kn_row_i(r, 0, 0);
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO reform_items (package_id, position, title, description, created_at) "
	                 "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	                 KN_INT(package_id), KN_INT(pos), KN_TEXT(title), KN_TEXT(description ? description : ""),
	                 KN_INT(x->now))))
		return rc;
	*id = kn_row_i(r, 0, 0);
	const char *ls = NULL;
	for (int i = 0; i < nlp; i++) {
		if ((rc = kn_sql(x->c, x->a, NULL, "INSERT INTO reform_item_links (item_id, proposal_id) VALUES ($1, $2)",
		                 KN_INT(*id), KN_INT(lp[i]))))
			return rc;
		ls = kn_printf(x->a, "%s%sp%lld", ls ? ls : "", ls ? " " : "", (long long)lp[i]);
	}
	for (int i = 0; i < nla; i++) {
		if ((rc = kn_sql(x->c, x->a, NULL, "INSERT INTO reform_item_links (item_id, assignment_id) VALUES ($1, $2)",
		                 KN_INT(*id), KN_INT(la[i]))))
			return rc;
		ls = kn_printf(x->a, "%s%sa%lld", ls ? ls : "", ls ? " " : "", (long long)la[i]);
	}
	/* the item is a record of its own (kind reform_item) */
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "package_id", 0, package_id);
	kn_change_int(ch, "position", 0, pos);
	kn_change_str(ch, "title", NULL, title);
	kn_change_str(ch, "description", NULL, description && *description ? description : NULL);
	kn_change_str(ch, "links", NULL, ls); /* p12 a7: the reform_item_links rows */
	return kn_event(x, "reform_item", *id, "added", c->id, 0, ch);
}

static enum kn_err links_rows(struct kn_ctx *x, struct kn_rows *r, struct kn_link **out, int *n)
{
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		(*out)[i].kind = kn_row_s(r, i, 0);
		(*out)[i].id = kn_row_i(r, i, 1);
		(*out)[i].title = kn_row_s(r, i, 2);
		(*out)[i].package_id = kn_row_i(r, i, 3);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_reform_item_links(struct kn_ctx *x, int64_t item_id, struct kn_link **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT 'proposal', p.id, p.title, 0 FROM reform_item_links l JOIN proposals p ON p.id = l.proposal_id "
	                        "WHERE l.item_id = $1 UNION ALL "
	                        "SELECT 'assignment', a.id, a.title, 0 FROM reform_item_links l JOIN assignments a ON a.id = l.assignment_id "
	                        "WHERE l.item_id = $1 ORDER BY 1 DESC, 2",
	                        KN_INT(item_id));
	return rc ? rc : links_rows(x, r, out, n);
}

enum kn_err kn_reform_links_of(struct kn_ctx *x, const char *kind, int64_t id, struct kn_link **out, int *n)
{
	struct kn_rows *r;
	bool prop = !strcmp(kind, "proposal");
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT 'reform', i.id, i.title, i.package_id FROM reform_item_links l "
	                        "JOIN reform_items i ON i.id = l.item_id WHERE (l.proposal_id = $1 AND $2 = 1) OR "
	                        "(l.assignment_id = $1 AND $2 = 0) ORDER BY i.package_id, i.position",
	                        KN_INT(id), KN_INT(prop ? 1 : 0));
	return rc ? rc : links_rows(x, r, out, n);
}

#define LAW_COLS                                                                                             \
	"l.id, l.item_id, l.council_id, i.package_id, i.title, r.title, l.title, l.number, l.stage, l.drafted_on, " \
	"l.parliament_on, l.adopted_on, l.signed_on, l.in_force_on, l.illustrative"
#define LAW_FROM " FROM laws l JOIN reform_items i ON i.id = l.item_id JOIN reform_packages r ON r.id = i.package_id"

static void law_row(const struct kn_rows *r, int i, struct kn_law *l)
{
	l->id = kn_row_i(r, i, 0);
	l->item_id = kn_row_i(r, i, 1);
	l->council_id = kn_row_i(r, i, 2);
	l->package_id = kn_row_i(r, i, 3);
	l->item_title = kn_row_s(r, i, 4);
	l->package_title = kn_row_s(r, i, 5);
	l->title = kn_row_s(r, i, 6);
	l->number = kn_row_s(r, i, 7);
	l->stage = kn_row_s(r, i, 8);
	for (int k = 0; k < 5; k++)
		l->dates[k] = kn_row_s(r, i, 9 + k);
	l->illustrative = kn_row_i(r, i, 14) != 0;
}

enum kn_err kn_law_list(struct kn_ctx *x, int64_t package_id, int64_t item_id, struct kn_law **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT " LAW_COLS LAW_FROM " WHERE i.package_id = $1 AND ($2 = 0 OR l.item_id = $2) "
	                        "ORDER BY i.position, l.id",
	                        KN_INT(package_id), KN_INT(item_id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++)
		law_row(r, i, &(*out)[i]);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_law_get(struct kn_ctx *x, int64_t council_id, int64_t id, struct kn_law **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " LAW_COLS LAW_FROM " WHERE l.id = $1 AND l.council_id = $2",
	                        KN_INT(id), KN_INT(council_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	law_row(r, 0, *out);
	return KN_OK;
}

enum kn_err kn_law_add(struct kn_ctx *x, const struct kn_council *c, int64_t item_id, const char *title,
                       const char *number, const char *stage, const char *date, bool illustrative, int64_t *id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT i.id FROM reform_items i JOIN reform_packages p ON p.id = i.package_id "
	                        "WHERE i.id = $1 AND p.council_id = $2",
	                        KN_INT(item_id), KN_INT(c->id));
	if (rc)
		return rc;
	if (!r->n)
		kn_ferr_add(x, "item_id", "Choose the reform item this law implements.");
	title = kn_trim(x, title);
	number = kn_trim(x, number);
	date = kn_trim(x, date);
	kn_check_text(x, "title", title, 500, true, false);
	kn_check_text(x, "number", number, 100, false, false);
	int si = stage_index(stage);
	if (si < 0)
		kn_ferr_add(x, "stage", "Choose a stage: drafted, in parliament, adopted, signed or in force.");
	kn_check_date(x, "date", date, true);
	if (x->errs)
		return KN_EINVAL;
	const char *d[5] = {NULL};
	d[si] = date;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO laws (item_id, council_id, title, number, stage, drafted_on, parliament_on, adopted_on, "
	                 "signed_on, in_force_on, illustrative, created_at, updated_at) "
	                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
	                 KN_INT(item_id), KN_INT(c->id), KN_TEXT(title), KN_TEXT(number ? number : ""), KN_TEXT(stage),
	                 KN_TEXT(d[0]), KN_TEXT(d[1]), KN_TEXT(d[2]), KN_TEXT(d[3]), KN_TEXT(d[4]), KN_INT(illustrative),
	                 KN_INT(x->now))))
		return rc;
	*id = kn_row_i(r, 0, 0);
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "item_id", 0, item_id);
	kn_change_str(ch, "title", NULL, title);
	kn_change_str(ch, "number", NULL, number && *number ? number : NULL);
	kn_change_str(ch, "stage", NULL, stage);
	kn_change_str(ch, stage_columns[si], NULL, date);
	if (illustrative)
		kn_change_int(ch, "illustrative", 0, 1);
	return kn_event(x, "law", *id, "created", c->id, 0, ch);
}

enum kn_err kn_law_advance(struct kn_ctx *x, const struct kn_council *c, int64_t id, const char *stage,
                           const char *date, const char *number)
{
	struct kn_law *l;
	enum kn_err rc = kn_law_get(x, c->id, id, &l);
	if (rc)
		return rc;
	int si = stage_index(stage), cur = stage_index(l->stage);
	date = kn_trim(x, date);
	number = kn_trim(x, number);
	if (si < 0)
		kn_ferr_add(x, "stage", "Choose a stage: drafted, in parliament, adopted, signed or in force.");
	else if (si <= cur)
		kn_ferr_add(x, "stage", "A law only moves forward: choose a later stage.");
	kn_check_text(x, "number", number, 100, false, false);
	if (kn_check_date(x, "date", date, true))
		for (int k = 0; k < 5; k++)
			if (l->dates[k] && strcmp(date, l->dates[k]) < 0) {
				kn_ferr_add(x, "date", "This date is before the law's previous stage.");
				break;
			}
	if (x->errs)
		return KN_EINVAL;
	const char *num = number && *number ? number : l->number;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE laws SET stage = $1, number = $2, updated_at = $3, "
	                 "drafted_on = CASE WHEN $1 = 'drafted' THEN $4 ELSE drafted_on END, "
	                 "parliament_on = CASE WHEN $1 = 'in_parliament' THEN $4 ELSE parliament_on END, "
	                 "adopted_on = CASE WHEN $1 = 'adopted' THEN $4 ELSE adopted_on END, "
	                 "signed_on = CASE WHEN $1 = 'signed' THEN $4 ELSE signed_on END, "
	                 "in_force_on = CASE WHEN $1 = 'in_force' THEN $4 ELSE in_force_on END "
	                 "WHERE id = $5 AND stage = $6 RETURNING id",
	                 KN_TEXT(stage), KN_TEXT(num), KN_INT(x->now), KN_TEXT(date), KN_INT(id), KN_TEXT(l->stage))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "stage", l->stage, stage);
	kn_change_str(ch, stage_columns[si], l->dates[si], date);
	kn_change_str(ch, "number", l->number, num);
	return kn_event(x, "law", id, "stage", c->id, 0, ch);
}

/* ---- statistics -------------------------------------------------------------------- */

enum kn_err kn_loop_stats(struct kn_ctx *x, const struct kn_council *c, struct kn_loop_stats *s)
{
	memset(s, 0, sizeof(*s));
	struct kn_rows *r;
	enum kn_err rc = kn_sql(
	    x->c, x->a, &r,
	    "SELECT "
	    "(SELECT COUNT(*) FROM meetings WHERE council_id = $1 AND kind = 'plenary' AND status = 'held'), "
	    "(SELECT COUNT(*) FROM meetings WHERE council_id = $1 AND kind = 'group' AND status = 'held'), "
	    "(SELECT COUNT(*) FROM meetings WHERE council_id = $1 AND kind = 'individual' AND status = 'held'), "
	    "(SELECT COUNT(*) FROM meetings WHERE council_id = $1 AND status = 'scheduled'), "
	    "(SELECT COUNT(*) FROM proposals WHERE council_id = $1 AND state <> 'draft'), "
	    "(SELECT COUNT(*) FROM proposals WHERE council_id = $1 AND state = 'accepted'), "
	    "(SELECT COUNT(*) FROM proposals WHERE council_id = $1 AND origin = 'citizen'), "
	    "(SELECT COUNT(*) FROM reform_packages WHERE council_id = $1), "
	    "(SELECT COUNT(*) FROM laws WHERE council_id = $1), "
	    "(SELECT COUNT(*) FROM laws WHERE council_id = $1 AND stage IN ('adopted', 'signed', 'in_force')), "
	    "(SELECT COUNT(*) FROM rotations WHERE council_id = $1), "
	    "(SELECT COUNT(DISTINCT person_id) FROM seats WHERE council_id = $1 AND left_reason = 'elected'), "
	    "(SELECT COUNT(*) FROM meetings WHERE council_id = $1 AND illustrative = 1) + "
	    "(SELECT COUNT(*) FROM laws WHERE council_id = $1 AND illustrative = 1)",
	    KN_INT(c->id));
	if (rc)
		return rc;
	long v[13];
	for (int i = 0; i < 13; i++)
		v[i] = (long)kn_row_i(r, 0, i);
	s->plenary_held = v[0];
	s->group_held = v[1];
	s->individual_held = v[2];
	s->scheduled = v[3];
	s->proposals = v[4];
	s->proposals_accepted = v[5];
	s->proposals_citizen = v[6];
	s->reforms = v[7];
	s->laws = v[8];
	s->laws_adopted = v[9];
	s->rotations = v[10];
	s->deputies = v[11];
	s->illustrative = v[12] > 0;
	struct kn_assignment_filter f = {.council_id = c->id};
	struct kn_assignment *a;
	int n;
	if ((rc = kn_assignment_list(x, &f, &a, &n)))
		return rc;
	for (int i = 0; i < n; i++) {
		if (!strcmp(a[i].state, "withdrawn"))
			continue;
		s->assignments++;
		s->open += a[i].open;
		s->overdue += a[i].overdue;
		if (a[i].timing == KN_TIMING_ON_TIME)
			s->on_time++;
		if (a[i].timing == KN_TIMING_LATE)
			s->late++;
		if (a[i].timing != KN_TIMING_NONE)
			s->completed++;
	}
	return KN_OK;
}
