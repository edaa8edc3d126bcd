/* feed.c: the events behind each feed (council, agency, working group,
 * record) and the meetings behind each council's calendar. */
#include "domain/record.h"
#include "core/arena.h"
#include "store/store.h"
#include <string.h>

#define FEED_COLS \
	"seq, at, council_id, agency_id, record_id, actor_role, actor_name, record_kind, action, change, prev_hash, hash"

static void to_rows(struct kn_ctx *x, struct kn_rows *r, struct kn_event_row **out, int *n)
{
	struct kn_event_row *e = kn_zalloc(x->a, sizeof(*e) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		e[i].seq = kn_row_i(r, i, 0);
		e[i].at = kn_row_i(r, i, 1);
		e[i].council_id = kn_row_i(r, i, 2);
		e[i].agency_id = kn_row_i(r, i, 3);
		e[i].record_id = kn_row_i(r, i, 4);
		e[i].actor_role = kn_row_s(r, i, 5);
		e[i].actor_name = kn_row_s(r, i, 6);
		e[i].kind = kn_row_s(r, i, 7);
		e[i].action = kn_row_s(r, i, 8);
		e[i].change = kn_row_s(r, i, 9);
		e[i].prev_hash = kn_row_s(r, i, 10);
		e[i].hash = kn_row_s(r, i, 11);
	}
	*out = e;
	*n = r->n;
}

enum kn_err kn_feed_events(struct kn_ctx *x, enum kn_feed_scope scope, const char *kind, int64_t id, int limit,
                           struct kn_event_row **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc;
	switch (scope) {
	case KN_FEED_COUNCIL:
		rc = kn_sql(x->c, x->a, &r, "SELECT " FEED_COLS " FROM events WHERE council_id = $1 ORDER BY seq DESC LIMIT $2",
		            KN_INT(id), KN_INT(limit));
		break;
	case KN_FEED_AGENCY:
		rc = kn_sql(x->c, x->a, &r, "SELECT " FEED_COLS " FROM events WHERE agency_id = $1 ORDER BY seq DESC LIMIT $2",
		            KN_INT(id), KN_INT(limit));
		break;
	case KN_FEED_GROUP:
		/* the group itself, and the proposals and meetings of the group */
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT " FEED_COLS " FROM events WHERE (record_kind = 'group' AND record_id = $1) OR "
		            "(record_kind = 'proposal' AND record_id IN (SELECT id FROM proposals WHERE group_id = $1)) OR "
		            "(record_kind = 'meeting' AND record_id IN (SELECT id FROM meetings WHERE group_id = $1)) "
		            "ORDER BY seq DESC LIMIT $2",
		            KN_INT(id), KN_INT(limit));
		break;
	default:
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT " FEED_COLS " FROM events WHERE record_kind = $1 AND record_id = $2 ORDER BY seq DESC LIMIT $3",
		            KN_TEXT(kind), KN_INT(id), KN_INT(limit));
		break;
	}
	if (!rc)
		to_rows(x, r, out, n);
	return rc;
}

enum kn_err kn_feed_first_day(struct kn_ctx *x, int64_t *at)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r, "SELECT at FROM events WHERE seq = 1");
	*at = !rc && r->n ? kn_row_i(r, 0, 0) : 0;
	return rc;
}

enum kn_err kn_feed_group(struct kn_ctx *x, int64_t council_id, const char *key, struct kn_feed_group **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, slug, name_en, name_ru, name_kk FROM working_groups WHERE council_id = $1 AND "
	                        "(slug = $2 OR CAST(id AS TEXT) = $2)",
	                        KN_INT(council_id), KN_TEXT(key));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	struct kn_feed_group *g = kn_zalloc(x->a, sizeof(*g));
	g->id = kn_row_i(r, 0, 0);
	g->slug = kn_row_s(r, 0, 1);
	g->name_en = kn_row_s(r, 0, 2);
	g->name_ru = kn_row_s(r, 0, 3);
	g->name_kk = kn_row_s(r, 0, 4);
	*out = g;
	return KN_OK;
}

enum kn_err kn_feed_meetings(struct kn_ctx *x, int64_t council_id, struct kn_feed_meeting **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT m.id, m.kind, m.number, m.title, m.starts_at, m.place, m.online, m.status, "
	                        "m.cancel_reason, m.updated_at, m.created_at, g.name_en FROM meetings m "
	                        "LEFT JOIN working_groups g ON g.id = m.group_id WHERE m.council_id = $1 "
	                        "ORDER BY m.starts_at, m.id",
	                        KN_INT(council_id));
	if (rc)
		return rc;
	struct kn_feed_meeting *m = kn_zalloc(x->a, sizeof(*m) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		m[i].id = kn_row_i(r, i, 0);
		m[i].kind = kn_row_s(r, i, 1);
		m[i].number = kn_row_i(r, i, 2);
		m[i].title = kn_row_s(r, i, 3);
		m[i].starts_at = kn_row_i(r, i, 4);
		m[i].place = kn_row_s(r, i, 5);
		m[i].online = kn_row_i(r, i, 6) != 0;
		m[i].status = kn_row_s(r, i, 7);
		m[i].cancel_reason = kn_row_s(r, i, 8);
		m[i].updated_at = kn_row_i(r, i, 9);
		m[i].created_at = kn_row_i(r, i, 10);
		m[i].group_name = kn_row_s(r, i, 11);
	}
	*out = m;
	*n = r->n;
	return KN_OK;
}
