/* verify.c: whole-record verification, from the live database or from an
 * export folder: the hash chain and its head, every checkpoint (signature
 * and the event it names), and every record of the kinds in
 * record_kinds.c replayed from its events and compared with its row. The
 * first problem is reported, naming the event, or the record and field. */
#include "domain/record.h"
#include "core/arena.h"
#include "core/config.h"
#include "store/store.h"
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Everything verification looks at, from either source. */
struct source {
	struct kn_event_row *ev;
	int nev;
	struct kn_checkpoint *cp;
	int ncp;
	int64_t head_seq;
	const char *head_hash;
	struct kn_rows **rows; /* per kind (kn_kinds order): id, title, path, council, cols... */
	struct kn_rows **pub;  /* live only: per kind, the rows that leave in the export (ids first) */
	bool dump;             /* rows are the exported (public) ones: some may be left out */
};

static enum kn_err fail(struct kn_verify_report *rep, const char *fmt, ...) KN_PRINTF(2, 3);
static enum kn_err fail(struct kn_verify_report *rep, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->msg, sizeof(rep->msg), fmt, ap);
	va_end(ap);
	return KN_ECONFLICT;
}

static enum kn_err check_chain(const struct source *s, struct kn_verify_report *rep)
{
	const char *prev = "0000000000000000000000000000000000000000000000000000000000000000";
	for (int i = 0; i < s->nev; i++) {
		const struct kn_event_row *e = &s->ev[i];
		char hex[65];
		const char *why = NULL;
		if (e->seq != i + 1)
			why = "sequence number out of order (an event is missing)";
		else if (!e->prev_hash || strcmp(e->prev_hash, prev) != 0)
			why = "its prev hash is not the hash of the event before it";
		else if (kn_event_hash(e, hex) != KN_OK)
			why = "its change is not canonical JSON";
		else if (!e->hash || strcmp(hex, e->hash) != 0)
			why = "its content does not match its hash (edited after it was written)";
		if (why) {
			rep->bad_seq = e->seq;
			return fail(rep, "event %lld (%s %lld, %s): %s", (long long)e->seq, e->kind ? e->kind : "?",
			            (long long)e->record_id, e->action ? e->action : "?", why);
		}
		prev = e->hash;
		rep->events++;
	}
	rep->head_seq = s->head_seq;
	rep->head_hash = s->head_hash;
	if (s->head_seq != s->nev || !s->head_hash || strcmp(s->head_hash, prev) != 0) {
		rep->bad_seq = s->nev + 1;
		return fail(rep, "the head of the log (event %lld) does not match its last event (%d): events were removed",
		            (long long)s->head_seq, s->nev);
	}
	return KN_OK;
}

static enum kn_err check_checkpoints(struct kn_arena *a, const struct source *s, const char *pk_hex,
                                     struct kn_verify_report *rep)
{
	rep->key_used = pk_hex;
	for (int i = 0; i < s->ncp; i++) {
		const struct kn_checkpoint *c = &s->cp[i];
		const char *key = pk_hex ? pk_hex : c->public_key;
		if (!rep->key_used)
			rep->key_used = key;
		if (!rep->key_pinned && rep->key_used && key && strcmp(rep->key_used, key) != 0)
			return fail(rep, "checkpoint at event %lld was signed by another key (%s) than the earlier ones (%s)",
			            (long long)c->seq, key, rep->key_used);
		const char *msg = kn_checkpoint_message(a, c->seq, c->hash ? c->hash : "", c->at);
		if (!kn_sig_check_hex(key, msg, strlen(msg), c->signature))
			return fail(rep, "checkpoint at event %lld: its signature does not verify with key %s", (long long)c->seq,
			            key ? key : "(none)");
		if (c->seq < 1 || c->seq > s->nev) {
			rep->bad_seq = s->nev + 1;
			return fail(rep, "checkpoint at event %lld: the log has only %d events (events were removed)",
			            (long long)c->seq, s->nev);
		}
		if (strcmp(s->ev[c->seq - 1].hash, c->hash) != 0) {
			rep->bad_seq = c->seq;
			return fail(rep,
			            "checkpoint at event %lld: the signed hash %s is not the log's hash %s there: the log was "
			            "rewritten after it was signed (event %lld or one before it differs)",
			            (long long)c->seq, c->hash, s->ev[c->seq - 1].hash, (long long)c->seq);
		}
		rep->checkpoints++;
	}
	return KN_OK;
}

static const char *value_text(struct kn_arena *a, json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return kn_strdup(a, json_string_value(v));
	if (json_is_integer(v))
		return kn_printf(a, "%lld", (long long)json_integer_value(v));
	char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	const char *r = kn_strdup(a, t ? t : "");
	free(t);
	return r;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

static bool same(const char *a, const char *b)
{
	return (empty(a) && empty(b)) || (a && b && !strcmp(a, b));
}

static int find_row(const int64_t *ids, int n, int64_t id)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static const char *shown(struct kn_arena *a, const char *v)
{
	if (!v)
		return "(none)";
	if (strlen(v) > 80)
		return kn_printf(a, "'%.77s...'", v);
	return kn_printf(a, "'%s'", v);
}

/* Replays one kind's events onto its rows. A column named council_id that
 * an event's change does not name takes the council the event is filed
 * under. Rows that do not leave in the export (confidential appeals: their
 * events carry the state only) are compared on the columns their events
 * set; every other row on all its columns. */
static enum kn_err check_kind(struct kn_arena *a, const struct source *s, int ki, struct kn_verify_report *rep)
{
	const struct kn_kind *k = &kn_kinds[ki];
	struct kn_rows *r = s->rows[ki];
	int nf;
	const char **fields = kn_kind_fields(a, k, &nf);
	int n = r->n;
	int64_t *ids = kn_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		ids[i] = kn_row_i(r, i, 0);
	bool *private_row = kn_zalloc(a, sizeof(bool) * (size_t)(n + 1));
	struct kn_rows *pub = s->pub ? s->pub[ki] : NULL;
	if (pub) {
		int64_t *pids = kn_alloc(a, sizeof(int64_t) * (size_t)(pub->n + 1));
		for (int i = 0; i < pub->n; i++)
			pids[i] = kn_row_i(pub, i, 0);
		for (int i = 0; i < n; i++)
			private_row[i] = find_row(pids, pub->n, ids[i]) < 0;
	}
	const char **val = kn_zalloc(a, sizeof(char *) * (size_t)(n * nf + 1));
	int64_t *set_by = kn_zalloc(a, sizeof(int64_t) * (size_t)(n * nf + 1));
	int64_t *first = kn_zalloc(a, sizeof(int64_t) * (size_t)(n + 1));
	for (int i = 0; i < s->nev; i++) {
		const struct kn_event_row *e = &s->ev[i];
		if (strcmp(e->kind, k->kind) != 0)
			continue;
		int row = find_row(ids, n, e->record_id);
		if (row < 0) {
			if (s->dump)
				continue; /* left out of the export on purpose */
			rep->bad_kind = k->kind;
			rep->bad_id = e->record_id;
			return fail(rep, "%s %lld: its events (event %lld) say it exists, but its row is gone (deleted behind "
			                 "the log's back)",
			            k->kind, (long long)e->record_id, (long long)e->seq);
		}
		if (!first[row])
			first[row] = e->seq;
		json_error_t jerr;
		json_t *ch = json_loads(e->change, 0, &jerr);
		if (!ch)
			continue; /* the chain check already refused it */
		for (int f = 0; f < nf; f++) {
			json_t *v = json_object_get(ch, fields[f]);
			if (json_is_array(v) && json_array_size(v) == 2) {
				val[row * nf + f] = value_text(a, json_array_get(v, 1));
				set_by[row * nf + f] = e->seq;
			} else if (!v && !strcmp(fields[f], "council_id")) {
				val[row * nf + f] = e->council_id ? kn_printf(a, "%lld", (long long)e->council_id) : NULL;
				set_by[row * nf + f] = e->seq;
			}
		}
		json_decref(ch);
	}
	for (int row = 0; row < n; row++) {
		rep->records++;
		if (!first[row]) {
			rep->bad_kind = k->kind;
			rep->bad_id = ids[row];
			return fail(rep, "%s %lld (%s): no event records it: it was written behind the log's back", k->kind,
			            (long long)ids[row], kn_row_s(r, row, 1) ? kn_row_s(r, row, 1) : "");
		}
		for (int f = 0; f < nf; f++) {
			const char *have = kn_row_s(r, row, KN_KIND_FIXED + f);
			const char *want = val[row * nf + f];
			if (private_row[row] && !set_by[row * nf + f])
				continue; /* not public: the log does not vouch for it */
			bool ok = set_by[row * nf + f] ? same(have, want) : (empty(have) || !strcmp(have, "0"));
			if (ok)
				continue;
			rep->bad_kind = k->kind;
			rep->bad_id = ids[row];
			rep->bad_field = fields[f];
			if (set_by[row * nf + f])
				return fail(rep, "%s %lld, field %s: the record says %s but its events say %s (last set by event %lld): "
				                 "edited behind the log's back",
				            k->kind, (long long)ids[row], fields[f], shown(a, have), shown(a, want),
				            (long long)set_by[row * nf + f]);
			return fail(rep, "%s %lld, field %s: the record says %s but no event ever set it: edited behind the log's "
			                 "back",
			            k->kind, (long long)ids[row], fields[f], shown(a, have));
		}
	}
	return KN_OK;
}

static enum kn_err verify_source(struct kn_arena *a, const struct source *s, const char *pk_hex,
                                 struct kn_verify_report *rep)
{
	enum kn_err rc = check_chain(s, rep);
	if (!rc)
		rc = check_checkpoints(a, s, pk_hex, rep);
	for (int i = 0; !rc && i < kn_nkinds; i++)
		if (s->rows[i])
			rc = check_kind(a, s, i, rep);
	return rc;
}

static const char *pinned_key(const char *pk_hex, struct kn_verify_report *rep)
{
	if (pk_hex && *pk_hex) {
		rep->key_pinned = true;
		return pk_hex;
	}
	const struct kn_key *k = kn_key_installation_if_any();
	if (k) {
		rep->key_pinned = true;
		return k->pk_hex;
	}
	return NULL;
}

enum kn_err kn_record_verify(struct kn_ctx *x, const char *pk_hex, struct kn_verify_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	struct source s = {.rows = kn_zalloc(x->a, sizeof(struct kn_rows *) * (size_t)kn_nkinds),
	                   .pub = kn_zalloc(x->a, sizeof(struct kn_rows *) * (size_t)kn_nkinds)};
	/* one snapshot: on PostgreSQL a repeatable-read transaction, on SQLite
	 * a read transaction */
	enum kn_err rc = kn_db_begin(x->c);
	if (rc)
		return rc;
	struct kn_rows *h;
	if ((rc = kn_sql0(x->c, x->a, &h, "SELECT seq, hash FROM event_head WHERE id = 1")))
		goto out;
	s.head_seq = h->n ? kn_row_i(h, 0, 0) : -1;
	s.head_hash = h->n ? kn_row_s(h, 0, 1) : NULL;
	if ((rc = kn_event_range(x, 0, 2000000000, &s.ev, &s.nev)))
		goto out;
	if ((rc = kn_checkpoint_list(x, &s.cp, &s.ncp)))
		goto out;
	for (int i = 0; i < kn_nkinds; i++)
		if ((rc = kn_kinds[i].load_all(x, &s.rows[i])) || (rc = kn_kinds[i].load_public(x, &s.pub[i])))
			goto out;
	kn_db_rollback(x->c);
	return verify_source(x->a, &s, pinned_key(pk_hex, rep), rep);
out:
	kn_db_rollback(x->c);
	snprintf(rep->msg, sizeof(rep->msg), "cannot read the database: %s", kn_conn_errmsg(x->c));
	return rc;
}

/* ---- from an export folder ------------------------------------------------ */

/* Where an export's files come from: a folder (kenes verify --dump) or
 * any other reader (kn_record_verify_export). */
struct dump {
	kn_export_read_fn read;
	void *ctx;
	const char *where; /* named in messages */
};

/* one file, NUL-terminated; NULL with errno set when it cannot be read */
static char *slurp(struct kn_arena *a, const struct dump *d, const char *name, size_t *len)
{
	size_t n = 0;
	errno = 0;
	char *t = d->read(d->ctx, a, name, &n);
	if (!t && !errno)
		errno = ENOENT;
	if (t && len)
		*len = n;
	return t;
}

static char *read_dir(void *ctx, struct kn_arena *a, const char *name, size_t *len)
{
	char *path = kn_printf(a, "%s/%s", (const char *)ctx, name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += got;
		if (n + 1 >= cap) {
			char *t = realloc(buf, cap * 2);
			if (!t) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = t;
			cap *= 2;
		}
	}
	bool failed = ferror(fp);
	fclose(fp);
	if (!buf || failed) {
		int why = buf ? EIO : ENOMEM;
		free(buf);
		errno = why;
		return NULL;
	}
	char *out = kn_strndup(a, buf, n);
	free(buf);
	*len = n;
	return out;
}

static const char *jstr(struct kn_arena *a, json_t *o, const char *key)
{
	return value_text(a, json_object_get(o, key));
}

static int64_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static json_t *load_json(struct kn_arena *a, const struct dump *d, const char *name, struct kn_verify_report *rep)
{
	char *text = slurp(a, d, name, NULL);
	if (!text) {
		snprintf(rep->msg, sizeof(rep->msg), "%s/%s: cannot read: %s", d->where, name, strerror(errno));
		return NULL;
	}
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);
	if (!v)
		snprintf(rep->msg, sizeof(rep->msg), "%s/%s: line %d: %s", d->where, name, err.line, err.text);
	return v;
}

static void decref(void *p)
{
	json_decref(p);
}

enum kn_err kn_record_verify_dump(struct kn_arena *a, const char *dir, const char *pk_hex,
                                  struct kn_verify_report *rep)
{
	return kn_record_verify_export(a, read_dir, (void *)dir, dir, pk_hex, rep);
}

enum kn_err kn_record_verify_export(struct kn_arena *a, kn_export_read_fn read, void *ctx, const char *where,
                                    const char *pk_hex, struct kn_verify_report *rep)
{
	const struct dump *d = &(struct dump){read, ctx, where};
	memset(rep, 0, sizeof(*rep));
	/* 1. the manifest: its signature, then every file's digest */
	size_t mlen;
	char *sums = slurp(a, d, "SHA256SUMS", &mlen);
	if (!sums)
		return fail(rep, "%s/SHA256SUMS: cannot read: %s", d->where, strerror(errno));
	const char *key = pinned_key(pk_hex, rep);
	if (!key) {
		char *pkt = slurp(a, d, "public-key.txt", NULL);
		if (pkt)
			key = kn_strndup(a, pkt, strspn(pkt, "0123456789abcdef"));
	}
	char *sig = slurp(a, d, "SHA256SUMS.sig", NULL);
	if (!sig)
		return fail(rep, "%s/SHA256SUMS.sig: missing: the manifest is not signed", d->where);
	sig[strspn(sig, "0123456789abcdef")] = 0;
	if (!kn_sig_check_hex(key, sums, mlen, sig))
		return fail(rep, "SHA256SUMS: its signature does not verify with key %s", key ? key : "(none)");
	rep->key_used = key;
	for (char *line = sums; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (strlen(line) > 66 && line[64] == ' ' && line[65] == ' ') {
			const char *name = line + 66;
			size_t len;
			char *data = strchr(name, '/') ? NULL : slurp(a, d, name, &len);
			if (!data)
				return fail(rep, "%s: listed in SHA256SUMS but missing", name);
			unsigned char h[crypto_hash_sha256_BYTES];
			char hex[65];
			crypto_hash_sha256(h, (const unsigned char *)data, len);
			sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
			if (strncmp(hex, line, 64) != 0)
				return fail(rep, "%s: its SHA-256 digest is not the one in the signed SHA256SUMS", name);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	/* 2. the log, the checkpoints and the records */
	struct source s = {.rows = kn_zalloc(a, sizeof(struct kn_rows *) * (size_t)kn_nkinds), .dump = true};
	json_t *meta = load_json(a, d, "export.json", rep);
	if (!meta)
		return KN_EIO;
	kn_arena_cleanup(a, decref, meta);
	json_t *head = json_object_get(meta, "head");
	s.head_seq = jint(head, "seq");
	s.head_hash = jstr(a, head, "hash");
	json_t *ev = load_json(a, d, "events.json", rep);
	if (!ev)
		return KN_EIO;
	kn_arena_cleanup(a, decref, ev);
	s.nev = (int)json_array_size(ev);
	s.ev = kn_zalloc(a, sizeof(*s.ev) * (size_t)(s.nev + 1));
	for (int i = 0; i < s.nev; i++) {
		json_t *o = json_array_get(ev, (size_t)i);
		struct kn_event_row *e = &s.ev[i];
		e->seq = jint(o, "seq");
		e->at = jint(o, "at");
		e->council_id = jint(o, "council_id");
		e->agency_id = jint(o, "agency_id");
		e->record_id = jint(o, "record_id");
		e->actor_role = jstr(a, o, "actor_role");
		e->actor_name = jstr(a, o, "actor_name");
		e->kind = jstr(a, o, "record_kind");
		e->action = jstr(a, o, "action");
		e->change = jstr(a, o, "change");
		e->prev_hash = jstr(a, o, "prev_hash");
		e->hash = jstr(a, o, "hash");
		if (!e->actor_role || !e->actor_name || !e->kind || !e->action || !e->change)
			return fail(rep, "events.json: entry %d lacks a field", i + 1);
	}
	json_t *cp = load_json(a, d, "checkpoints.json", rep);
	if (!cp)
		return KN_EIO;
	kn_arena_cleanup(a, decref, cp);
	s.ncp = (int)json_array_size(cp);
	s.cp = kn_zalloc(a, sizeof(*s.cp) * (size_t)(s.ncp + 1));
	for (int i = 0; i < s.ncp; i++) {
		json_t *o = json_array_get(cp, (size_t)i);
		s.cp[i].seq = jint(o, "seq");
		s.cp[i].at = jint(o, "at");
		s.cp[i].hash = jstr(a, o, "hash");
		s.cp[i].public_key = jstr(a, o, "public_key");
		s.cp[i].signature = jstr(a, o, "signature");
		if (!s.cp[i].hash || !s.cp[i].signature)
			return fail(rep, "checkpoints.json: entry %d lacks a field", i + 1);
	}
	for (int k = 0; k < kn_nkinds; k++) {
		const char *file = kn_printf(a, "%s.json", kn_kind_table(a, &kn_kinds[k]));
		json_t *arr = load_json(a, d, file, rep);
		if (!arr)
			return KN_EIO;
		kn_arena_cleanup(a, decref, arr);
		int nf;
		const char **fields = kn_kind_fields(a, &kn_kinds[k], &nf);
		struct kn_rows *r = kn_zalloc(a, sizeof(*r));
		r->n = (int)json_array_size(arr);
		r->cols = KN_KIND_FIXED + nf;
		r->v = kn_zalloc(a, sizeof(char *) * (size_t)(r->n * r->cols + 1));
		int64_t last = 0;
		for (int i = 0; i < r->n; i++) {
			json_t *o = json_array_get(arr, (size_t)i);
			int64_t id = jint(o, "id");
			if (id <= last)
				return fail(rep, "%s: ids are not in increasing order at entry %d", file, i + 1);
			last = id;
			r->v[i * r->cols] = kn_printf(a, "%lld", (long long)id);
			for (int f = 0; f < nf; f++)
				r->v[i * r->cols + KN_KIND_FIXED + f] = (char *)jstr(a, o, fields[f]);
		}
		s.rows[k] = r;
	}
	return verify_source(a, &s, key, rep);
}
