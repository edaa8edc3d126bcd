/* parse.c: URL-encoded, multipart, cookie, language and route parsing. */
#include "http/parse.h"
#include "core/utf8.h"
#include "core/arena.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *kn_url_decode(struct kn_arena *a, const char *s, size_t n, bool plus, size_t *outlen)
{
	char *out = kn_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return NULL;
			int h = kn_hexval((unsigned char)s[i + 1]), l = kn_hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return NULL;
			out[j++] = (char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && plus) {
			out[j++] = ' ';
		} else {
			out[j++] = c;
		}
	}
	out[j] = 0;
	if (outlen)
		*outlen = j;
	return out;
}

struct kn_kv *kn_kv_push(struct kn_arena *a, struct kn_kv *l, const char *k, const char *v)
{
	struct kn_kv *e = kn_zalloc(a, sizeof(*e));
	e->k = k;
	e->v = v;
	e->vlen = v ? strlen(v) : 0;
	if (!l)
		return e;
	struct kn_kv *t = l;
	while (t->next)
		t = t->next;
	t->next = e;
	return l;
}

const struct kn_kv *kn_kv_find(const struct kn_kv *l, const char *key)
{
	for (; l; l = l->next)
		if (!strcmp(l->k, key))
			return l;
	return NULL;
}

const char *kn_kv_get(const struct kn_kv *l, const char *key)
{
	const struct kn_kv *e = kn_kv_find(l, key);
	return e ? e->v : NULL;
}

enum kn_err kn_parse_urlencoded(struct kn_arena *a, const char *s, size_t n, size_t max,
                                struct kn_kv **out)
{
	struct kn_kv *head = NULL, *tail = NULL;
	size_t count = 0;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '&' && s[j] != ';')
			j++;
		if (j > i) {
			const char *eq = memchr(s + i, '=', j - i);
			size_t klen = eq ? (size_t)(eq - (s + i)) : j - i;
			size_t kout, vout = 0;
			char *k = kn_url_decode(a, s + i, klen, true, &kout);
			char *v = eq ? kn_url_decode(a, eq + 1, (size_t)(s + j - eq - 1), true, &vout)
			             : kn_strdup(a, "");
			if (!k || !v)
				return KN_EINVAL;
			if (strlen(k) != kout) /* a NUL inside a name is never legitimate */
				return KN_EINVAL;
			if (++count > max)
				return KN_ETOOBIG;
			struct kn_kv *e = kn_zalloc(a, sizeof(*e));
			e->k = k;
			e->v = v;
			e->vlen = vout;
			if (tail)
				tail->next = e;
			else
				head = e;
			tail = e;
		}
		i = j + 1;
	}
	*out = head;
	return KN_OK;
}

struct kn_kv *kn_parse_cookies(struct kn_arena *a, const char *h)
{
	struct kn_kv *head = NULL, *tail = NULL;
	if (!h)
		return NULL;
	const char *p = h;
	int count = 0;
	while (*p && count < 64) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *start = p;
		while (*p && *p != ';')
			p++;
		const char *end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		const char *eq = memchr(start, '=', (size_t)(end - start));
		if (!eq || eq == start)
			continue;
		const char *vs = eq + 1, *ve = end;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		struct kn_kv *e = kn_zalloc(a, sizeof(*e));
		e->k = kn_strndup(a, start, (size_t)(eq - start));
		e->v = kn_strndup(a, vs, (size_t)(ve - vs));
		e->vlen = (size_t)(ve - vs);
		if (tail)
			tail->next = e;
		else
			head = e;
		tail = e;
		count++;
	}
	return head;
}

/* The next ';' that separates parameters: one inside a quoted value
 * (name="a; filename=b") is part of that value. */
static const char *next_semi(const char *p, const char *end)
{
	bool quoted = false;
	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ';' && !quoted)
			return p;
	}
	return NULL;
}

/* Finds a parameter (e.g. boundary=) in a header value; returns its value
 * in the arena, unquoted, or NULL. */
static char *header_param(struct kn_arena *a, const char *h, size_t hn, const char *name)
{
	size_t nl = strlen(name);
	const char *p = h, *end = h + hn;
	while (p < end) {
		const char *semi = next_semi(p, end);
		if (!semi)
			break;
		p = semi + 1;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) > nl && !strncasecmp(p, name, nl) && p[nl] == '=') {
			const char *v = p + nl + 1;
			if (v < end && *v == '"') {
				v++;
				const char *q = v;
				while (q < end && *q != '"')
					q++;
				if (q >= end)
					return NULL;
				return kn_strndup(a, v, (size_t)(q - v));
			}
			const char *q = v;
			while (q < end && *q != ';' && *q != ' ' && *q != '\t' && *q != '\r' && *q != '\n')
				q++;
			return kn_strndup(a, v, (size_t)(q - v));
		}
	}
	return NULL;
}

static const char *find_bytes(const char *h, size_t hn, const char *n, size_t nn)
{
	return memmem(h, hn, n, nn);
}

enum kn_err kn_parse_multipart(struct kn_arena *a, const char *ctype, const char *body, size_t n,
                               struct kn_kv **fields, struct kn_file **files)
{
	*fields = NULL;
	*files = NULL;
	if (!ctype || strncasecmp(ctype, "multipart/form-data", 19) != 0)
		return KN_EINVAL;
	char *boundary = header_param(a, ctype, strlen(ctype), "boundary");
	if (!boundary || !*boundary || strlen(boundary) > 70)
		return KN_EINVAL;
	size_t bl = strlen(boundary);
	/* delimiter is CRLF--boundary; the first one may lack the CRLF */
	char *delim = kn_alloc(a, bl + 5);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, bl + 1);
	size_t dl = bl + 4;
	const char *p;
	const char *end = body + n;
	if (n >= dl - 2 && !memcmp(body, delim + 2, dl - 2))
		p = body + dl - 2;
	else {
		const char *f = find_bytes(body, n, delim, dl);
		if (!f)
			return KN_EINVAL;
		p = f + dl;
	}
	struct kn_kv *ftail = NULL;
	struct kn_file *xtail = NULL;
	int parts = 0;
	for (;;) {
		/* after a delimiter: "--" ends the body, else CRLF and headers */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return KN_OK;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return KN_EINVAL;
		p += 2;
		if (++parts > 256)
			return KN_ETOOBIG;
		const char *hend = find_bytes(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend)
			return KN_EINVAL;
		char *name = NULL, *filename = NULL, *pctype = NULL;
		const char *h = p;
		while (h < hend + 2) {
			const char *le = find_bytes(h, (size_t)(hend + 2 - h), "\r\n", 2);
			if (!le)
				break;
			size_t ll = (size_t)(le - h);
			if (ll > 20 && !strncasecmp(h, "Content-Disposition:", 20)) {
				const char *v = h + 20;
				while (v < le && (*v == ' ' || *v == '\t'))
					v++;
				if ((size_t)(le - v) < 9 || strncasecmp(v, "form-data", 9) != 0)
					return KN_EINVAL;
				name = header_param(a, v, (size_t)(le - v), "name");
				filename = header_param(a, v, (size_t)(le - v), "filename");
			} else if (ll > 13 && !strncasecmp(h, "Content-Type:", 13)) {
				const char *v = h + 13;
				while (v < le && (*v == ' ' || *v == '\t'))
					v++;
				pctype = kn_strndup(a, v, (size_t)(le - v));
			}
			h = le + 2;
		}
		if (!name || !*name)
			return KN_EINVAL;
		const char *data = hend + 4;
		const char *next = find_bytes(data, (size_t)(end - data), delim, dl);
		if (!next)
			return KN_EINVAL;
		size_t dlen = (size_t)(next - data);
		if (filename) {
			struct kn_file *f = kn_zalloc(a, sizeof(*f));
			f->field = name;
			f->filename = filename;
			f->ctype = pctype ? pctype : "application/octet-stream";
			f->data = kn_strndup(a, data, dlen);
			f->len = dlen;
			if (xtail)
				xtail->next = f;
			else
				*files = f;
			xtail = f;
		} else {
			struct kn_kv *e = kn_zalloc(a, sizeof(*e));
			e->k = name;
			e->v = kn_strndup(a, data, dlen);
			e->vlen = dlen;
			if (ftail)
				ftail->next = e;
			else
				*fields = e;
			ftail = e;
		}
		p = next + dl;
	}
}

const char *kn_pick_language(const char *h, const char *const *offered, int n)
{
	if (!h)
		return NULL;
	const char *best = NULL;
	double bestq = 0;
	const char *p = h;
	int items = 0;
	while (*p && items++ < 32) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *tag = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ')
			p++;
		size_t tl = (size_t)(p - tag);
		double q = 1.0;
		while (*p == ' ')
			p++;
		while (*p == ';') {
			p++;
			while (*p == ' ')
				p++;
			if (p[0] == 'q' && p[1] == '=') {
				char *e;
				q = strtod(p + 2, &e);
				if (e == p + 2 || q < 0 || q > 1)
					q = 0;
				p = e;
			}
			while (*p && *p != ',' && *p != ';')
				p++;
		}
		while (*p && *p != ',')
			p++;
		if (tl == 0)
			continue;
		for (int i = 0; i < n; i++) {
			size_t ol = strlen(offered[i]);
			/* "ru" matches "ru" and "ru-RU" */
			if (tl >= ol && !strncasecmp(tag, offered[i], ol) && (tl == ol || tag[ol] == '-') &&
			    q > bestq) {
				best = offered[i];
				bestq = q;
			}
		}
	}
	return best;
}

/* The shape of a match without decoding anything: literal parts equal,
 * every {param} a non-empty segment. Most routes fail here, cheaply. */
static bool shape_matches(const char *p, const char *s)
{
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			if (!pe || *s == '/')
				return false;
			while (*s && *s != '/')
				s++;
			p = pe + 1;
			continue;
		}
		if (*p++ != *s++)
			return false;
	}
	return !*p && !*s;
}

bool kn_route_match(struct kn_arena *a, const char *pat, const char *path, struct kn_kv **params)
{
	if (!shape_matches(pat, path))
		return false;
	struct kn_kv *found = NULL;
	const char *p = pat, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			if (!pe)
				return false;
			const char *se = s;
			while (*se && *se != '/')
				se++;
			if (se == s)
				return false;
			size_t dl;
			char *v = kn_url_decode(a, s, (size_t)(se - s), false, &dl);
			if (!v || dl != strlen(v) || strchr(v, '/'))
				return false;
			found = kn_kv_push(a, found, kn_strndup(a, p + 1, (size_t)(pe - p - 1)), v);
			p = pe + 1;
			s = se;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p || *s)
		return false;
	if (!*params) {
		*params = found;
	} else {
		struct kn_kv *t = *params;
		while (t->next)
			t = t->next;
		t->next = found;
	}
	return true;
}

void kn_ipv4_text(const unsigned char q[4], char *out)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			*out++ = '.';
		if (q[i] >= 100)
			*out++ = (char)('0' + q[i] / 100);
		if (q[i] >= 10)
			*out++ = (char)('0' + q[i] / 10 % 10);
		*out++ = (char)('0' + q[i] % 10);
	}
	*out = 0;
}
