/* export.c: the open-data export: every public record as CSV and JSON,
 * the event log and its checkpoints, a README describing every column,
 * export.json, and SHA256SUMS signed by the installation key. Only the
 * columns named in record_kinds.c leave (no e-mail, password hashes,
 * sessions, tokens or private notes: they are in no kind's columns). */
#include "domain/record.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "store/store.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORT_MAX ((size_t)1 << 30)

struct files {
	struct kn_export_file *f;
	int n, cap;
	struct kn_arena *a;
	enum kn_err err; /* a file past EXPORT_MAX, or memory */
};

/* Keeps a copy of b's bytes, exactly their size, in the export's arena. */
static void add_file(struct files *fs, const char *name, const char *ctype, const char *desc, struct kn_buf *b)
{
	if (kn_buf_err(b) && !fs->err)
		fs->err = kn_buf_err(b);
	fs->f = kn_grow(fs->a, fs->f, fs->n, &fs->cap, sizeof(*fs->f));
	fs->f[fs->n++] = (struct kn_export_file){name, ctype, desc, kn_strndup(fs->a, kn_buf_str(b), b->len), b->len};
}

/* RFC 4180: quoted when it holds a comma, quote, CR or LF; CRLF line ends */
static void csv_field(struct kn_buf *b, const char *s, bool last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		kn_buf_addc(b, '"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				kn_buf_addc(b, '"');
			kn_buf_addc(b, *p);
		}
		kn_buf_addc(b, '"');
	} else if (s) {
		kn_buf_adds(b, s);
	}
	kn_buf_adds(b, last ? "\r\n" : ",");
}

static void json_file(struct files *fs, const char *name, const char *desc, json_t *v)
{
	char *s = json_dumps(v, JSON_PRESERVE_ORDER | JSON_INDENT(1) | JSON_ENSURE_ASCII);
	struct kn_buf b;
	kn_buf_arena(&b, fs->a, EXPORT_MAX);
	kn_buf_adds(&b, s ? s : "[]");
	kn_buf_addc(&b, '\n');
	free(s);
	json_decref(v);
	add_file(fs, name, "application/json", desc, &b);
}

/* The tables' JSON is written a row at a time, byte for byte as jansson's
 * json_dumps(JSON_PRESERVE_ORDER | JSON_INDENT(1) | JSON_ENSURE_ASCII)
 * wrote it from a tree of every row (test_record checks the two agree):
 * that tree, for 50,000 people, was most of the memory an export took. */
static void jx_u16(struct kn_buf *b, unsigned u)
{
	static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
	char e[6] = {'\\', 'u', hex[(u >> 12) & 15], hex[(u >> 8) & 15], hex[(u >> 4) & 15], hex[u & 15]};
	kn_buf_add(b, e, sizeof(e));
}

/* A string in ASCII: the escapes, any other letter as \uXXXX (a surrogate
 * pair above U+FFFF); text that is not UTF-8 as typed() gives it. */
static void jx_string(struct kn_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (!kn_utf8_valid(s, n)) {
		s = "(not UTF-8)";
		n = strlen(s);
	}
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	kn_buf_addc(b, '"');
	while (p < e) {
		const unsigned char *run = p;
		while (p < e && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		kn_buf_add(b, run, (size_t)(p - run));
		if (p == e)
			break;
		unsigned c = *p;
		const char *esc = c == '"'    ? "\\\""
		                  : c == '\\' ? "\\\\"
		                  : c == '\b'  ? "\\b"
		                  : c == '\f'  ? "\\f"
		                  : c == '\n'  ? "\\n"
		                  : c == '\r'  ? "\\r"
		                  : c == '\t'  ? "\\t"
		                                : NULL;
		unsigned cp;
		size_t len = kn_utf8_decode(p, (size_t)(e - p), &cp); /* 1-4: checked above */
		if (esc)
			kn_buf_add(b, esc, 2);
		else if (cp < 0x10000)
			jx_u16(b, cp);
		else {
			jx_u16(b, 0xD800 | (cp - 0x10000) >> 10);
			jx_u16(b, 0xDC00 | ((cp - 0x10000) & 0x3FF));
		}
		p += len;
	}
	kn_buf_addc(b, '"');
}

/* A cell as typed() makes it: null, an integer where the column is one and
 * the text reads whole as one (strtoll's reading), else a string. */
static void jx_value(struct kn_buf *b, const char *v, bool is_int)
{
	if (!v) {
		kn_buf_adds(b, "null");
		return;
	}
	if (is_int && *v) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (!*end) {
			char t[24], *d = kn_itoa(t, n);
			kn_buf_add(b, d, (size_t)(t + sizeof(t) - d));
			return;
		}
	}
	jx_string(b, v);
}

/* A table: names, whether each is an integer, and rows of text values.
 * Each file is made in memory of its own, then kept at its size. */
static void table_files(struct files *fs, const char *base, const char *desc, const char **names, const bool *ints,
                        int ncol, struct kn_rows *r, int first_col)
{
	struct kn_buf csv, js;
	kn_buf_init(&csv, EXPORT_MAX);
	kn_buf_init(&js, EXPORT_MAX);
	for (int c = 0; c < ncol; c++)
		csv_field(&csv, names[c], c == ncol - 1);
	kn_buf_addc(&js, '[');
	for (int i = 0; i < r->n; i++) {
		kn_buf_adds(&js, i ? ",\n {" : "\n {");
		for (int c = 0; c < ncol; c++) {
			int col = c == 0 ? 0 : first_col + c - 1;
			const char *v = kn_row_s(r, i, col);
			csv_field(&csv, v, c == ncol - 1);
			kn_buf_adds(&js, c ? ",\n  " : "\n  ");
			jx_string(&js, names[c]);
			kn_buf_adds(&js, ": ");
			jx_value(&js, v, ints[c]);
		}
		kn_buf_adds(&js, "\n }");
	}
	kn_buf_adds(&js, r->n ? "\n]\n" : "]\n");
	add_file(fs, kn_printf(fs->a, "%s.csv", base), "text/csv; charset=utf-8", desc, &csv);
	add_file(fs, kn_printf(fs->a, "%s.json", base), "application/json", desc, &js);
	kn_buf_free(&csv);
	kn_buf_free(&js);
}

/* Parses "col|type|description" lines. */
struct coldoc {
	const char *name, *type, *desc;
};
static struct coldoc *parse_doc(struct kn_arena *a, const char *doc, int *n)
{
	int cap = 1;
	for (const char *p = doc; *p; p++)
		cap += *p == '\n';
	struct coldoc *d = kn_zalloc(a, sizeof(*d) * (size_t)cap);
	*n = 0;
	const char *p = doc;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *line = kn_strndup(a, p, len);
		char *b1 = strchr(line, '|'), *b2 = b1 ? strchr(b1 + 1, '|') : NULL;
		if (b1 && b2) {
			*b1 = *b2 = 0;
			d[(*n)++] = (struct coldoc){line, b1 + 1, b2 + 1};
		}
		p += len + (e ? 1 : 0);
	}
	return d;
}

static const char *doc_type(const struct coldoc *d, int n, const char *col)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(d[i].name, col))
			return d[i].type;
	return "text";
}

static const char *const event_cols[] = {"seq",       "at",          "actor_role", "actor_name",
                                         "council_id", "agency_id",  "record_kind", "record_id",
                                         "action",     "change",     "prev_hash",  "hash"};
static const bool event_ints[] = {1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0};
static const char *const event_docs[] = {
    "position in the log, 1, 2, 3... without gaps",
    "when it happened, unix seconds (UTC)",
    "role the actor acted in: operator, chair, secretary, member, officer, citizen, system",
    "the actor's public name",
    "council it is filed under (councils.id), or empty",
    "agency it is filed under (agencies.id), or empty",
    "kind of record: council, agency, person, ...",
    "the record's id in its kind's file",
    "what happened: created, updated, role granted, ...",
    "what changed: canonical JSON {field: [before, after]} (docs/events.md)",
    "hash of the event before (64 zeros for the first)",
    "SHA-256 of the event's canonical JSON encoding (docs/events.md), hex"};
static const char *const cp_cols[] = {"seq", "hash", "at", "public_key", "signature"};
static const bool cp_ints[] = {1, 0, 1, 0, 0};
static const char *const cp_docs[] = {
    "the last event the checkpoint covers", "that event's hash", "when it was signed, unix seconds (UTC)",
    "Ed25519 public key that signed it, hex",
    "Ed25519 signature (hex) of \"kenes-checkpoint v1\\nseq SEQ\\nhash HASH\\nat AT\\n\""};

enum kn_err kn_export_build(struct kn_ctx *x, const struct kn_key *k, struct kn_export_file **out, int *n)
{
	struct files fs = {.a = x->a};
	struct kn_buf readme;
	kn_buf_arena(&readme, x->a, EXPORT_MAX);
	enum kn_err rc = kn_db_begin_read(x->c); /* one consistent snapshot */
	if (rc)
		return rc;
	struct kn_rows *h, *ev, *cp;
	/* the rows read for a file are let go once it is written: a table at a
	 * time in memory, not the whole record */
	struct kn_ctx rows = *x;
	rows.a = kn_arena_new();
	if ((rc = kn_sql0(x->c, x->a, &h, "SELECT seq, hash FROM event_head WHERE id = 1")) || h->n != 1)
		goto out;
	if ((rc = kn_sql0(x->c, rows.a, &ev,
	                  "SELECT seq, at, actor_role, actor_name, council_id, agency_id, record_kind, record_id, action, "
	                  "change, prev_hash, hash FROM events ORDER BY seq")))
		goto out;
	if ((rc = kn_sql0(x->c, rows.a, &cp, "SELECT seq, 0, hash, at, public_key, signature FROM checkpoints ORDER BY seq")))
		goto out;
	int64_t head_at = ev->n ? kn_row_i(ev, ev->n - 1, 1) : 0;
	kn_buf_printf(&readme,
	              "# Kenes open data\n\n"
	              "Every public record of this installation, as of event %s of its public event log\n"
	              "(hash %s).\nEach table is given twice, as CSV (RFC 4180, UTF-8, CRLF line ends, header row)\n"
	              "and as JSON (an array of objects; int columns are numbers, empty values are null).\n\n"
	              "Check the files: `sha256sum -c SHA256SUMS`. SHA256SUMS is signed with the installation's\n"
	              "Ed25519 key (SHA256SUMS.sig, hex signature of the file's bytes; public-key.txt): compare\n"
	              "the key with the one on the portal's /transparency page. `kenes verify --dump DIR` checks\n"
	              "all of it: the signature, the digests, the hash chain, the checkpoints, and every record\n"
	              "replayed from its events. The encoding is documented in docs/events.md.\n\n"
	              "No personal data leaves: no e-mail addresses, password hashes, sessions or tokens, no\n"
	              "confidential or private text. Only the columns below are exported.\n",
	              kn_row_s(h, 0, 0), kn_row_s(h, 0, 1));
	kn_buf_adds(&readme, "\n## events.csv, events.json: the public event log\n\n| column | type | meaning |\n|---|---|---|\n");
	for (size_t i = 0; i < KN_ARRAY_LEN(event_cols); i++)
		kn_buf_printf(&readme, "| %s | %s | %s |\n", event_cols[i], event_ints[i] ? "int" : "text", event_docs[i]);
	table_files(&fs, "events", "the public event log", (const char **)event_cols, event_ints,
	            (int)KN_ARRAY_LEN(event_cols), ev, 1);
	kn_buf_adds(&readme,
	            "\n## checkpoints.csv, checkpoints.json: signed heads of the log\n\n| column | type | meaning |\n|---|---|---|\n");
	for (size_t i = 0; i < KN_ARRAY_LEN(cp_cols); i++)
		kn_buf_printf(&readme, "| %s | %s | %s |\n", cp_cols[i], cp_ints[i] ? "int" : "text", cp_docs[i]);
	table_files(&fs, "checkpoints", "signed checkpoints of the log", (const char **)cp_cols, cp_ints,
	            (int)KN_ARRAY_LEN(cp_cols), cp, 2);
	for (int i = 0; i < kn_nkinds; i++) {
		const struct kn_kind *kd = &kn_kinds[i];
		struct kn_rows *r;
		kn_arena_free(rows.a);
		rows.a = kn_arena_new();
		if ((rc = kd->load_public(&rows, &r)))
			goto out;
		int nf, nd;
		const char **fields = kn_kind_fields(x->a, kd, &nf);
		struct coldoc *d = parse_doc(x->a, kd->doc, &nd);
		const char **names = kn_zalloc(x->a, sizeof(char *) * (size_t)(nf + 1));
		bool *ints = kn_zalloc(x->a, sizeof(bool) * (size_t)(nf + 1));
		names[0] = "id";
		ints[0] = true;
		const char *table = kn_kind_table(x->a, kd);
		kn_buf_printf(&readme,
		              "\n## %s.csv, %s.json: records of kind \"%s\"\n\n| column | type | meaning |\n|---|---|---|\n"
		              "| id | int | the record's id (record_id in events with record_kind \"%s\") |\n",
		              table, table, kd->kind, kd->kind);
		for (int f = 0; f < nf; f++) {
			names[f + 1] = fields[f];
			const char *t = doc_type(d, nd, fields[f]);
			ints[f + 1] = !strcmp(t, "int");
			const char *desc = "";
			for (int j = 0; j < nd; j++)
				if (!strcmp(d[j].name, fields[f]))
					desc = d[j].desc;
			kn_buf_printf(&readme, "| %s | %s | %s |\n", fields[f], t, desc);
		}
		table_files(&fs, table, kn_printf(x->a, "records of kind %s", kd->kind), names, ints, nf + 1, r,
		            KN_KIND_FIXED);
	}
	kn_db_rollback(x->c);
	kn_arena_free(rows.a);
	rows.a = NULL;
	add_file(&fs, "README.md", "text/markdown; charset=utf-8", "what every file and column means", &readme);
	{
		json_t *meta = json_object();
		json_object_set_new(meta, "format", json_string("kenes-open-data v1"));
		json_t *head = json_object();
		json_object_set_new(head, "seq", json_integer(kn_row_i(h, 0, 0)));
		json_object_set_new(head, "hash", json_string(kn_row_s(h, 0, 1)));
		json_object_set_new(head, "at", json_integer(head_at));
		json_object_set_new(meta, "head", head);
		json_object_set_new(meta, "public_key", k ? json_string(k->pk_hex) : json_null());
		json_t *names = json_array();
		for (int i = 0; i < fs.n; i++)
			json_array_append_new(names, json_string(fs.f[i].name));
		json_object_set_new(meta, "files", names);
		json_file(&fs, "export.json", "the log's head this export was made at, the key, the files", meta);
	}
	if (k) {
		struct kn_buf b;
		kn_buf_arena(&b, x->a, 256);
		kn_buf_printf(&b, "%s\n", k->pk_hex);
		add_file(&fs, "public-key.txt", "text/plain; charset=utf-8", "the installation's Ed25519 public key, hex", &b);
	}
	/* SHA256SUMS in name order, as sha256sum writes it */
	for (int i = 1; i < fs.n; i++)
		for (int j = i; j > 0 && strcmp(fs.f[j - 1].name, fs.f[j].name) > 0; j--) {
			struct kn_export_file t = fs.f[j];
			fs.f[j] = fs.f[j - 1];
			fs.f[j - 1] = t;
		}
	struct kn_buf sums;
	kn_buf_arena(&sums, x->a, 1 << 20);
	for (int i = 0; i < fs.n; i++) {
		unsigned char dg[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(dg, (const unsigned char *)fs.f[i].data, fs.f[i].len);
		sodium_bin2hex(hex, sizeof(hex), dg, sizeof(dg));
		kn_buf_printf(&sums, "%s  %s\n", hex, fs.f[i].name);
	}
	if (kn_buf_err(&sums) || kn_buf_err(&readme))
		return KN_ETOOBIG;
	if (fs.err)
		return fs.err;
	add_file(&fs, "SHA256SUMS", "text/plain; charset=utf-8", "SHA-256 digest of every file (sha256sum -c)", &sums);
	if (k) {
		char sig[129];
		kn_key_sign_hex(k, sums.data, sums.len, sig);
		struct kn_buf b;
		kn_buf_arena(&b, x->a, 256);
		kn_buf_printf(&b, "%s\n", sig);
		add_file(&fs, "SHA256SUMS.sig", "text/plain; charset=utf-8",
		         "Ed25519 signature of SHA256SUMS by the installation key, hex", &b);
	}
	*out = fs.f;
	*n = fs.n;
	return KN_OK;
out:
	kn_db_rollback(x->c);
	kn_arena_free(rows.a);
	return rc ? rc : KN_EDB;
}

enum kn_err kn_export_write(struct kn_ctx *x, const struct kn_key *k, const char *dir, int *nfiles, char *err,
                            size_t errlen)
{
	struct kn_export_file *f;
	int n;
	enum kn_err rc = kn_export_build(x, k, &f, &n);
	if (rc) {
		snprintf(err, errlen, "cannot read the records: %s", kn_err_str(rc));
		return rc;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return KN_EIO;
	}
	for (int i = 0; i < n; i++) {
		char *tmp = kn_printf(x->a, "%s/.%s.tmp", dir, f[i].name);
		char *path = kn_printf(x->a, "%s/%s", dir, f[i].name);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		bool ok = fd >= 0 && write(fd, f[i].data, f[i].len) == (ssize_t)f[i].len && fsync(fd) == 0;
		if (fd >= 0 && close(fd) != 0)
			ok = false;
		if (!ok || rename(tmp, path) != 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			unlink(tmp);
			return KN_EIO;
		}
	}
	*nfiles = n;
	return KN_OK;
}
