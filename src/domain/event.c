/* event.c: appending, reading and verifying the hash-chained event log. */
#include "domain/event.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "store/store.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define CANON (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

struct kn_change {
	json_t *obj;
};

static void decref(void *p)
{
	json_decref(p);
}

struct kn_change *kn_change_new(struct kn_ctx *x)
{
	struct kn_change *c = kn_alloc(x->a, sizeof(*c));
	c->obj = json_object();
	kn_arena_cleanup(x->a, decref, c->obj);
	return c;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

void kn_change_str(struct kn_change *c, const char *field, const char *before, const char *after)
{
	if ((before == NULL && after == NULL) || (before && after && !strcmp(before, after)))
		return;
	json_t *b = str_or_null(before), *a = str_or_null(after);
	if (!b || !a) { /* not UTF-8: recorded as changed, without the text */
		json_decref(b);
		json_decref(a);
		b = json_null();
		a = json_string("(changed)");
	}
	json_object_set_new(c->obj, field, json_pack("[oo]", b, a));
}

void kn_change_int(struct kn_change *c, const char *field, int64_t before, int64_t after)
{
	if (before != after)
		json_object_set_new(c->obj, field, json_pack("[II]", (json_int_t)before, (json_int_t)after));
}

void kn_change_id(struct kn_change *c, const char *field, int64_t before, int64_t after)
{
	if (before == after)
		return;
	json_object_set_new(c->obj, field,
	                    json_pack("[oo]", before ? json_integer(before) : json_null(),
	                              after ? json_integer(after) : json_null()));
}

bool kn_change_empty(const struct kn_change *c)
{
	return !c || json_object_size(c->obj) == 0;
}

/* The canonical bytes an event's hash covers (caller frees). */
static char *canonical(const struct kn_event_row *e, json_t *change)
{
	json_t *o = json_pack("{s:s, s:{s:s, s:s}, s:o, s:I, s:o, s:o, s:I, s:s, s:s, s:I}", "action", e->action,
	                      "actor", "name", e->actor_name, "role", e->actor_role, "agency",
	                      e->agency_id ? json_integer(e->agency_id) : json_null(), "at", (json_int_t)e->at, "change",
	                      json_incref(change), "council", e->council_id ? json_integer(e->council_id) : json_null(),
	                      "id", (json_int_t)e->record_id, "kind", e->kind, "prev", e->prev_hash, "seq",
	                      (json_int_t)e->seq);
	if (!o)
		return NULL;
	char *s = json_dumps(o, CANON);
	json_decref(o);
	return s;
}

static void sha256_hex(const char *s, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

enum kn_err kn_event_hash(const struct kn_event_row *e, char hex[65])
{
	json_error_t err;
	json_t *change = json_loads(e->change, 0, &err);
	if (!change)
		return KN_EINVAL;
	char *again = json_dumps(change, CANON);
	bool canon = again && !strcmp(again, e->change);
	free(again);
	char *s = canon ? canonical(e, change) : NULL;
	json_decref(change);
	if (!s)
		return KN_EINVAL;
	sha256_hex(s, hex);
	free(s);
	return KN_OK;
}

enum kn_err kn_event(struct kn_ctx *x, const char *kind, int64_t id, const char *action, int64_t council_id,
                     int64_t agency_id, struct kn_change *change)
{
	struct kn_rows *r;
	/* taking the head row serializes appends; its old hash is our prev */
	enum kn_err rc = kn_sql0(x->c, x->a, &r, "UPDATE event_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash");
	if (rc)
		return rc;
	if (r->n != 1)
		return KN_EDB;
	struct kn_event_row e = {
	    .seq = kn_row_i(r, 0, 0),
	    .at = x->now,
	    .council_id = council_id,
	    .agency_id = agency_id,
	    .record_id = id,
	    .actor_role = x->actor_role ? x->actor_role : "system",
	    .actor_name = x->actor_name ? x->actor_name : "system",
	    .kind = kind,
	    .action = action,
	    .prev_hash = kn_row_s(r, 0, 1),
	};
	json_t *ch = change ? change->obj : NULL;
	json_t *empty = ch ? NULL : json_object();
	char *ctext = json_dumps(ch ? ch : empty, CANON);
	char *s = ctext ? canonical(&e, ch ? ch : empty) : NULL;
	json_decref(empty);
	if (!s) {
		free(ctext);
		return KN_ENOMEM;
	}
	char hex[65];
	sha256_hex(s, hex);
	free(s);
	rc = kn_sql(x->c, x->a, NULL,
	            "INSERT INTO events (seq, at, actor_user_id, actor_role, actor_name, council_id, agency_id, record_kind, "
	            "record_id, action, change, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
	            KN_INT(e.seq), KN_INT(e.at), x->actor_id ? KN_INT(x->actor_id) : KN_NULL, KN_TEXT(e.actor_role),
	            KN_TEXT(e.actor_name), council_id ? KN_INT(council_id) : KN_NULL,
	            agency_id ? KN_INT(agency_id) : KN_NULL, KN_TEXT(kind), KN_INT(id), KN_TEXT(action), KN_TEXT(ctext),
	            KN_TEXT(e.prev_hash), KN_TEXT(hex));
	free(ctext);
	if (!rc)
		rc = kn_sql(x->c, x->a, NULL, "UPDATE event_head SET hash = $1 WHERE id = 1", KN_TEXT(hex));
	if (!rc)
		kn_db_event_appended(x->c);
	return rc;
}

#define EVENT_COLS \
	"seq, at, council_id, agency_id, record_id, actor_role, actor_name, record_kind, action, change, prev_hash, hash"

static void rows_to_events(struct kn_ctx *x, struct kn_rows *r, struct kn_event_row **out, int *n)
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

enum kn_err kn_event_list(struct kn_ctx *x, const char *kind, int64_t id, struct kn_event_row **out, int *n)
{
	struct kn_rows *r;
	/* what a history shows: the hashes and feed ids stay in the database
	 * (half the columns, and the two longest after the change) */
	enum kn_err rc =
	    kn_sql(x->c, x->a, &r,
	           "SELECT seq, at, actor_role, actor_name, action, change FROM events WHERE record_kind = $1 AND "
	           "record_id = $2 ORDER BY seq",
	           KN_TEXT(kind), KN_INT(id));
	if (rc)
		return rc;
	struct kn_event_row *e = kn_zalloc(x->a, sizeof(*e) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		e[i].seq = kn_row_i(r, i, 0);
		e[i].at = kn_row_i(r, i, 1);
		e[i].actor_role = kn_row_s(r, i, 2);
		e[i].actor_name = kn_row_s(r, i, 3);
		e[i].action = kn_row_s(r, i, 4);
		e[i].change = kn_row_s(r, i, 5);
		e[i].kind = kind;
		e[i].record_id = id;
	}
	*out = e;
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_event_range(struct kn_ctx *x, int64_t after_seq, int limit, struct kn_event_row **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " EVENT_COLS " FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
	                        KN_INT(after_seq), KN_INT(limit));
	if (!rc)
		rows_to_events(x, r, out, n);
	return rc;
}

enum kn_err kn_event_verify(struct kn_ctx *x, int64_t *checked, int64_t *bad_seq, char *msg, size_t msglen)
{
	char prev[65] = ZERO_HASH;
	int64_t expect = 1, after = 0;
	*checked = 0;
	*bad_seq = 0;
	for (;;) {
		struct kn_event_row *e;
		int n;
		struct kn_arena *a = kn_arena_new();
		struct kn_ctx sub = *x;
		sub.a = a;
		enum kn_err rc = kn_event_range(&sub, after, 1000, &e, &n);
		if (rc) {
			kn_arena_free(a);
			return rc;
		}
		for (int i = 0; i < n; i++) {
			char hex[65];
			const char *why = NULL;
			if (e[i].seq != expect)
				why = "sequence number out of order (an event is missing)";
			else if (strcmp(e[i].prev_hash, prev) != 0)
				why = "its prev hash is not the hash of the event before it";
			else if (kn_event_hash(&e[i], hex) != KN_OK)
				why = "its change is not canonical JSON";
			else if (strcmp(hex, e[i].hash) != 0)
				why = "its content does not match its hash (edited after it was written)";
			if (why) {
				*bad_seq = e[i].seq;
				snprintf(msg, msglen, "event %lld (%s %lld, %s): %s", (long long)e[i].seq, e[i].kind,
				         (long long)e[i].record_id, e[i].action, why);
				kn_arena_free(a);
				return KN_ECONFLICT;
			}
			memcpy(prev, e[i].hash, 65);
			expect++;
			(*checked)++;
			after = e[i].seq;
		}
		kn_arena_free(a);
		if (n < 1000)
			break;
	}
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r, "SELECT seq, hash FROM event_head WHERE id = 1");
	if (rc)
		return rc;
	if (r->n != 1 || kn_row_i(r, 0, 0) != *checked || strcmp(kn_row_s(r, 0, 1), prev) != 0) {
		*bad_seq = *checked + 1;
		snprintf(msg, msglen, "the head of the log (%s) does not match its last event: events were removed",
		         r->n ? kn_row_s(r, 0, 0) : "missing");
		return KN_ECONFLICT;
	}
	return KN_OK;
}

static const char *value_text(struct kn_ctx *x, json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return kn_strdup(x->a, json_string_value(v));
	if (json_is_integer(v))
		return kn_printf(x->a, "%lld", (long long)json_integer_value(v));
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	const char *t = kn_strdup(x->a, s ? s : "");
	free(s);
	return t;
}

/* ---- an event's change for display -------------------------------------------
 * A change is canonical JSON (CANON: compact, keys sorted, ASCII only): an
 * object of field -> [before, after] or field -> value. A history page shows
 * every event's change, so the common shape is read here directly into the
 * arena; anything else (nested values, reals, duplicate keys, bad input) is
 * left to jansson, and the two agree (unit test and fuzz target compare them). */

struct jr {
	const char *p;
	struct kn_arena *a;
};

static bool hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = kn_hexval((unsigned char)p[i]);
		if (h < 0)
			return false;
		v = v << 4 | (unsigned)h;
	}
	*out = v;
	return true;
}

/* a JSON string of printable ASCII with escapes; false for anything else */
static bool jr_string(struct jr *j, const char **out)
{
	if (*j->p != '"')
		return false;
	const char *p = j->p + 1;
	struct kn_buf b;
	kn_buf_arena(&b, j->a, 1 << 20);
	for (;;) {
		size_t run = strcspn(p, "\"\\");
		for (size_t i = 0; i < run; i++)
			if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] >= 0x80)
				return false;
		kn_buf_add(&b, p, run);
		p += run;
		if (*p == '"')
			break;
		if (*p != '\\')
			return false; /* the end of the text inside a string */
		p++;
		char c = *p++;
		switch (c) {
		case '"': kn_buf_addc(&b, '"'); break;
		case '\\': kn_buf_addc(&b, '\\'); break;
		case '/': kn_buf_addc(&b, '/'); break;
		case 'b': kn_buf_addc(&b, '\b'); break;
		case 'f': kn_buf_addc(&b, '\f'); break;
		case 'n': kn_buf_addc(&b, '\n'); break;
		case 'r': kn_buf_addc(&b, '\r'); break;
		case 't': kn_buf_addc(&b, '\t'); break;
		case 'u': {
			unsigned cp, lo;
			if (!hex4(p, &cp))
				return false;
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
					return false;
				p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if ((cp >= 0xdc00 && cp <= 0xdfff) || cp == 0) {
				return false; /* a lone low surrogate, or NUL: jansson's call */
			}
			kn_utf8_put(&b, cp);
			break;
		}
		default:
			return false;
		}
	}
	if (kn_buf_err(&b))
		return false;
	j->p = p + 1;
	*out = kn_buf_str(&b);
	if (!b.len)
		*out = "";
	return true;
}

/* a scalar as value_text() shows it: strings, integers (shown as written,
 * without leading zeros or '-0'), true, false, null (NULL) */
static bool jr_scalar(struct jr *j, const char **out)
{
	const char *p = j->p;
	if (*p == '"')
		return jr_string(j, out);
	static const char *const words[] = {"true", "false", "null"};
	for (int i = 0; i < 3; i++)
		if (!strncmp(p, words[i], strlen(words[i]))) {
			j->p = p + strlen(words[i]);
			*out = i == 2 ? NULL : words[i];
			return true;
		}
	const char *q = p + (*p == '-');
	size_t digits = strspn(q, "0123456789");
	if (!digits || digits > 18 || (q[0] == '0' && digits > 1) || (*p == '-' && q[0] == '0'))
		return false; /* reals, big numbers, odd forms: jansson's call */
	if (strchr(".eE", q[digits]) && q[digits])
		return false;
	*out = kn_strndup(j->a, p, (size_t)(q + digits - p));
	j->p = q + digits;
	return true;
}

bool kn_event_changes_fast(struct kn_arena *a, const char *json, struct kn_change_item **out, int *n)
{
	struct jr j = {json, a};
	*n = 0;
	*out = NULL;
	if (*j.p++ != '{')
		return false;
	int cap = 0;
	const char *prev = NULL;
	if (*j.p == '}') {
		j.p++;
		*out = kn_zalloc(a, sizeof(**out));
		return *j.p == 0;
	}
	for (;;) {
		const char *field, *before = NULL, *after;
		bool pair = false;
		if (!jr_string(&j, &field) || *j.p++ != ':')
			return false;
		if (prev && strcmp(prev, field) >= 0)
			return false; /* not sorted, or repeated: jansson's call */
		if (*j.p == '[') {
			j.p++;
			if (!jr_scalar(&j, &before) || *j.p++ != ',' || !jr_scalar(&j, &after) || *j.p++ != ']')
				return false;
			pair = true;
		} else if (!jr_scalar(&j, &after)) {
			return false;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct kn_change_item *g = kn_zalloc(a, sizeof(*g) * (size_t)(cap + 1));
			if (*n)
				memcpy(g, *out, sizeof(*g) * (size_t)*n);
			*out = g;
		}
		struct kn_change_item *it = &(*out)[(*n)++];
		it->field = field;
		it->before = pair ? before : NULL;
		it->after = after;
		prev = field;
		if (*j.p == ',') {
			j.p++;
			continue;
		}
		if (*j.p++ != '}')
			return false;
		return *j.p == 0;
	}
}

enum kn_err kn_event_changes_json(struct kn_ctx *x, const char *text, struct kn_change_item **out, int *n)
{
	json_error_t err;
	json_t *o = json_loads(text, 0, &err);
	*n = 0;
	*out = NULL;
	if (!o)
		return KN_EINVAL;
	kn_arena_cleanup(x->a, decref, o);
	if (!json_is_object(o))
		return KN_EINVAL;
	*out = kn_zalloc(x->a, sizeof(**out) * (json_object_size(o) + 1));
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		struct kn_change_item *it = &(*out)[(*n)++];
		it->field = kn_strdup(x->a, k);
		if (json_is_array(v) && json_array_size(v) == 2) {
			it->before = value_text(x, json_array_get(v, 0));
			it->after = value_text(x, json_array_get(v, 1));
		} else {
			it->after = value_text(x, v);
		}
	}
	return KN_OK;
}

enum kn_err kn_event_changes(struct kn_ctx *x, const struct kn_event_row *e, struct kn_change_item **out, int *n)
{
	if (kn_event_changes_fast(x->a, e->change, out, n))
		return KN_OK;
	return kn_event_changes_json(x, e->change, out, n);
}
