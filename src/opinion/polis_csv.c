/* polis_csv.c: strict CSV reader and Pol.is export (votes.csv, comments.csv) loader. */
#include "opinion/polis_csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) static void seterr(char *err, size_t len,
							     const char *fmt, ...);
static void seterr(char *err, size_t len, const char *fmt, ...)
{
	if (!err || !len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

void kn_opinion_csv_init(struct kn_opinion_csv *c, const char *buf, size_t len)
{
	memset(c, 0, sizeof *c);
	c->buf = buf;
	c->len = len;
	c->next_line = 1;
	if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
	    (unsigned char)buf[2] == 0xBF)
		c->pos = 3;
}

void kn_opinion_csv_free(struct kn_opinion_csv *c)
{
	free(c->data);
	free(c->offs);
	free(c->fields);
	memset(c, 0, sizeof *c);
}

static int put_byte(struct kn_opinion_csv *c, char ch)
{
	if (c->data_len + 1 >= c->data_cap) {
		size_t nc = c->data_cap ? c->data_cap * 2 : 256;
		char *d = realloc(c->data, nc);
		if (!d)
			return -1;
		c->data = d;
		c->data_cap = nc;
	}
	c->data[c->data_len++] = ch;
	return 0;
}

static int start_field(struct kn_opinion_csv *c)
{
	if (c->nfields == c->fcap) {
		size_t nc = c->fcap ? c->fcap * 2 : 16;
		size_t *o = realloc(c->offs, nc * sizeof *o);
		if (!o)
			return -1;
		c->offs = o;
		c->fcap = nc;
	}
	c->offs[c->nfields++] = c->data_len;
	return 0;
}

int kn_opinion_csv_next(struct kn_opinion_csv *c, char *err, size_t errlen)
{
	const char *b = c->buf;
	size_t n = c->len;
again:
	if (c->pos >= n)
		return 0;
	c->line = c->next_line;
	c->data_len = 0;
	c->nfields = 0;
	/* skip an empty line */
	if (b[c->pos] == '\n' || (b[c->pos] == '\r' && c->pos + 1 < n && b[c->pos + 1] == '\n')) {
		c->pos += b[c->pos] == '\r' ? 2 : 1;
		c->next_line++;
		goto again;
	}
	for (;;) {
		/* one field */
		if (c->nfields >= KN_OPINION_CSV_MAX_FIELDS) {
			seterr(err, errlen, "line %ld: more than %d fields", c->line,
			       KN_OPINION_CSV_MAX_FIELDS);
			return -1;
		}
		if (start_field(c) != 0)
			goto oom;
		size_t flen = 0;
		if (c->pos < n && b[c->pos] == '"') {
			long qline = c->next_line;
			c->pos++;
			for (;;) {
				if (c->pos >= n) {
					seterr(err, errlen,
					       "line %ld: unterminated quoted field (quote opened on "
					       "line %ld)",
					       c->next_line, qline);
					return -1;
				}
				char ch = b[c->pos];
				if (ch == '"') {
					if (c->pos + 1 < n && b[c->pos + 1] == '"') {
						c->pos += 2;
					} else {
						c->pos++;
						break;
					}
				} else {
					c->pos++;
					if (ch == '\n')
						c->next_line++;
				}
				if (ch == '\0') {
					seterr(err, errlen, "line %ld: NUL byte in field",
					       c->next_line);
					return -1;
				}
				if (++flen > KN_OPINION_CSV_MAX_FIELD) {
					seterr(err, errlen,
					       "line %ld: field longer than %d bytes", qline,
					       KN_OPINION_CSV_MAX_FIELD);
					return -1;
				}
				if (put_byte(c, ch) != 0)
					goto oom;
			}
			if (c->pos < n && b[c->pos] != ',' && b[c->pos] != '\n' &&
			    !(b[c->pos] == '\r' && c->pos + 1 < n && b[c->pos + 1] == '\n')) {
				seterr(err, errlen,
				       "line %ld: unexpected character after closing quote",
				       c->next_line);
				return -1;
			}
		} else {
			while (c->pos < n && b[c->pos] != ',' && b[c->pos] != '\n' &&
			       !(b[c->pos] == '\r' && c->pos + 1 < n && b[c->pos + 1] == '\n')) {
				char ch = b[c->pos];
				if (ch == '"') {
					seterr(err, errlen, "line %ld: quote inside unquoted field",
					       c->next_line);
					return -1;
				}
				if (ch == '\0') {
					seterr(err, errlen, "line %ld: NUL byte in field",
					       c->next_line);
					return -1;
				}
				if (++flen > KN_OPINION_CSV_MAX_FIELD) {
					seterr(err, errlen,
					       "line %ld: field longer than %d bytes", c->next_line,
					       KN_OPINION_CSV_MAX_FIELD);
					return -1;
				}
				if (put_byte(c, ch) != 0)
					goto oom;
				c->pos++;
			}
		}
		if (put_byte(c, '\0') != 0)
			goto oom;
		if (c->pos >= n)
			break;
		if (b[c->pos] == ',') {
			c->pos++;
			continue;
		}
		/* end of record */
		c->pos += b[c->pos] == '\r' ? 2 : 1;
		c->next_line++;
		break;
	}
	if (c->nfields > 0) {
		char **f = realloc(c->fields, c->nfields * sizeof *f);
		if (!f)
			goto oom;
		c->fields = f;
		for (size_t i = 0; i < c->nfields; i++)
			c->fields[i] = c->data + c->offs[i];
	}
	return 1;
oom:
	seterr(err, errlen, "line %ld: out of memory", c->line);
	return -1;
}

int kn_opinion_parse_i64(const char *s, int64_t *out)
{
	if (!s || !*s)
		return -1;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || !end || *end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* Finds a header column by name; -1 if absent. */
static long find_col(const struct kn_opinion_csv *c, const char *name)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i], name) == 0)
			return (long)i;
	return -1;
}

static int need_cols(struct kn_opinion_csv *c, const char *const *names, long *idx, size_t n,
		     int required_mask, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		idx[i] = find_col(c, names[i]);
		if (idx[i] < 0 && (required_mask & (1 << i))) {
			seterr(err, errlen, "line %ld: missing column '%s'", c->line, names[i]);
			return -1;
		}
	}
	return 0;
}

static int read_header(struct kn_opinion_csv *c, char *err, size_t errlen)
{
	int rc = kn_opinion_csv_next(c, err, errlen);
	if (rc == 0) {
		seterr(err, errlen, "line 1: empty file (no header)");
		return -1;
	}
	return rc < 0 ? -1 : 0;
}

int kn_opinion_polis_parse_votes(const char *buf, size_t len, struct kn_opinion_vote **out,
				 size_t *n, char *err, size_t errlen)
{
	static const char *const names[] = {"timestamp", "comment-id", "voter-id", "vote"};
	struct kn_opinion_csv c;
	long idx[4];
	size_t cap = 0, m = 0;
	struct kn_opinion_vote *v = NULL;
	*out = NULL;
	*n = 0;
	kn_opinion_csv_init(&c, buf, len);
	if (read_header(&c, err, errlen) != 0 || need_cols(&c, names, idx, 4, 15, err, errlen))
		goto fail;
	size_t width = c.nfields;
	for (;;) {
		int rc = kn_opinion_csv_next(&c, err, errlen);
		if (rc < 0)
			goto fail;
		if (rc == 0)
			break;
		if (c.nfields != width) {
			seterr(err, errlen, "line %ld: expected %zu fields, got %zu", c.line, width,
			       c.nfields);
			goto fail;
		}
		int64_t val[4];
		for (int k = 0; k < 4; k++)
			if (kn_opinion_parse_i64(c.fields[idx[k]], &val[k]) != 0) {
				seterr(err, errlen, "line %ld: bad number '%.40s' in column '%s'",
				       c.line, c.fields[idx[k]], names[k]);
				goto fail;
			}
		if (val[3] < -1 || val[3] > 1) {
			seterr(err, errlen, "line %ld: vote must be -1, 0 or 1, got %lld", c.line,
			       (long long)val[3]);
			goto fail;
		}
		if (m == cap) {
			size_t nc = cap ? cap * 2 : 1024;
			struct kn_opinion_vote *nv = realloc(v, nc * sizeof *nv);
			if (!nv) {
				seterr(err, errlen, "line %ld: out of memory", c.line);
				goto fail;
			}
			v = nv;
			cap = nc;
		}
		v[m].time = val[0];
		v[m].statement = val[1];
		v[m].participant = val[2];
		v[m].value = (int)val[3];
		m++;
	}
	kn_opinion_csv_free(&c);
	*out = v;
	*n = m;
	return 0;
fail:
	kn_opinion_csv_free(&c);
	free(v);
	return -1;
}

void kn_opinion_polis_free_bodies(char **bodies, size_t n)
{
	if (!bodies)
		return;
	for (size_t i = 0; i < n; i++)
		free(bodies[i]);
	free(bodies);
}

int kn_opinion_polis_parse_comments(const char *buf, size_t len,
				    struct kn_opinion_statement **st, char ***bodies, size_t *n,
				    char *err, size_t errlen)
{
	static const char *const names[] = {"comment-id", "moderated", "is-meta", "comment-body"};
	struct kn_opinion_csv c;
	long idx[4];
	size_t cap = 0, m = 0;
	struct kn_opinion_statement *s = NULL;
	char **bd = NULL;
	*st = NULL;
	*bodies = NULL;
	*n = 0;
	kn_opinion_csv_init(&c, buf, len);
	if (read_header(&c, err, errlen) != 0 || need_cols(&c, names, idx, 4, 3, err, errlen))
		goto fail;
	size_t width = c.nfields;
	for (;;) {
		int rc = kn_opinion_csv_next(&c, err, errlen);
		if (rc < 0)
			goto fail;
		if (rc == 0)
			break;
		if (c.nfields != width) {
			seterr(err, errlen, "line %ld: expected %zu fields, got %zu", c.line, width,
			       c.nfields);
			goto fail;
		}
		int64_t id, mod;
		if (kn_opinion_parse_i64(c.fields[idx[0]], &id) != 0) {
			seterr(err, errlen, "line %ld: bad number '%.40s' in column 'comment-id'",
			       c.line, c.fields[idx[0]]);
			goto fail;
		}
		if (kn_opinion_parse_i64(c.fields[idx[1]], &mod) != 0 || mod < -1 || mod > 1) {
			seterr(err, errlen,
			       "line %ld: bad value '%.40s' in column 'moderated' (-1, 0 or 1)",
			       c.line, c.fields[idx[1]]);
			goto fail;
		}
		int meta = 0;
		if (idx[2] >= 0) {
			const char *f = c.fields[idx[2]];
			if (strcmp(f, "true") == 0 || strcmp(f, "1") == 0)
				meta = 1;
			else if (strcmp(f, "false") == 0 || strcmp(f, "0") == 0 || !*f)
				meta = 0;
			else {
				seterr(err, errlen, "line %ld: bad value '%.40s' in column 'is-meta'",
				       c.line, f);
				goto fail;
			}
		}
		if (m == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct kn_opinion_statement *ns = realloc(s, nc * sizeof *ns);
			if (!ns)
				goto oom;
			s = ns;
			char **nb = realloc(bd, nc * sizeof *nb);
			if (!nb)
				goto oom;
			bd = nb;
			cap = nc;
		}
		s[m].id = id;
		s[m].moderation = (int)mod;
		s[m].is_meta = meta;
		bd[m] = NULL;
		if (idx[3] >= 0) {
			size_t bl = strlen(c.fields[idx[3]]);
			bd[m] = malloc(bl + 1);
			if (!bd[m])
				goto oom;
			memcpy(bd[m], c.fields[idx[3]], bl + 1);
		}
		m++;
	}
	kn_opinion_csv_free(&c);
	*st = s;
	*bodies = bd;
	*n = m;
	return 0;
oom:
	seterr(err, errlen, "line %ld: out of memory", c.line);
fail:
	kn_opinion_csv_free(&c);
	free(s);
	kn_opinion_polis_free_bodies(bd, m);
	return -1;
}

int kn_opinion_read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 65536, n = 0;
	char *b = malloc(cap);
	if (!b)
		goto oom;
	for (;;) {
		if (n + 1 >= cap) {
			char *nb = realloc(b, cap * 2);
			if (!nb)
				goto oom;
			b = nb;
			cap *= 2;
		}
		size_t r = fread(b + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		seterr(err, errlen, "%s: read error", path);
		free(b);
		fclose(f);
		return -1;
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
oom:
	free(b);
	fclose(f);
	seterr(err, errlen, "%s: out of memory", path);
	return -1;
}

void kn_opinion_polis_free(struct kn_opinion_polis *p)
{
	free(p->votes);
	free(p->statements);
	kn_opinion_polis_free_bodies(p->bodies, p->n_statements);
	memset(p, 0, sizeof *p);
}

int kn_opinion_polis_load(const char *dir, struct kn_opinion_polis *out, char *err,
			  size_t errlen)
{
	char path[4096], msg[512];
	char *buf;
	size_t len;
	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "%s/votes.csv", dir);
	if (kn_opinion_read_file(path, &buf, &len, err, errlen) != 0)
		return -1;
	int rc = kn_opinion_polis_parse_votes(buf, len, &out->votes, &out->n_votes, msg,
					      sizeof msg);
	free(buf);
	if (rc != 0) {
		seterr(err, errlen, "%s: %s", path, msg);
		return -1;
	}
	snprintf(path, sizeof path, "%s/comments.csv", dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0; /* comments.csv is optional: everything unmoderated */
	fclose(f);
	if (kn_opinion_read_file(path, &buf, &len, err, errlen) != 0) {
		kn_opinion_polis_free(out);
		return -1;
	}
	rc = kn_opinion_polis_parse_comments(buf, len, &out->statements, &out->bodies,
					     &out->n_statements, msg, sizeof msg);
	free(buf);
	if (rc != 0) {
		seterr(err, errlen, "%s: %s", path, msg);
		kn_opinion_polis_free(out);
		return -1;
	}
	return 0;
}
