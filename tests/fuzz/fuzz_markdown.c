/* fuzz_markdown.c: libFuzzer target for the HTML writer's Markdown (%M), text (%s) and URL (%u) escapers. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fz.h"

#include "core/buf.h"
#include "view/html.h"

/* Case-insensitive search in the first n bytes of s. */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t i = 0; i + nl <= n; i++)
		if (!strncasecmp(s + i, needle, nl))
			return s + i;
	return NULL;
}

/* True when the URL in an href or src value would run script or load a
 * file: what cmark's safe mode promises to drop (it lets data: images
 * through, in links too: an image type never runs script). Browsers ignore leading
 * spaces and control bytes and any tab or newline, so those are skipped. */
static int dangerous_url(const char *v, size_t n)
{
	char norm[32];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof(norm) - 1; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c <= 0x20)
			continue;
		norm[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	norm[k] = 0;
	if (!strncmp(norm, "javascript:", 11) || !strncmp(norm, "vbscript:", 9) || !strncmp(norm, "file:", 5))
		return 1;
	if (!strncmp(norm, "data:", 5))
		return !(!strncmp(norm, "data:image/png", 14) || !strncmp(norm, "data:image/gif", 14) ||
		         !strncmp(norm, "data:image/jpeg", 15) || !strncmp(norm, "data:image/webp", 15));
	return 0;
}

/* Safe-mode output: no script element; every tag (text is escaped, so
 * each '<' opens a tag cmark wrote) carries only the attributes cmark
 * writes, and no href or src holds a script URL. Plain text that reads
 * "javascript:" is harmless and allowed. */
static void check_safe(const char *html, size_t len)
{
	if (find_ci(html, len, "<script")) {
		fprintf(stderr, "unsafe output:\n%s\n", html);
		abort();
	}
	const char *end = html + len;
	for (const char *p = memchr(html, '<', len); p; p = memchr(p, '<', (size_t)(end - p))) {
		if ((size_t)(end - p) >= 4 && !memcmp(p, "<!--", 4)) { /* "raw HTML omitted" */
			const char *ce = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
			FZ_CHECK(ce != NULL);
			p = ce + 3;
			continue;
		}
		const char *gt = memchr(p, '>', (size_t)(end - p));
		FZ_CHECK(gt != NULL);
		const char *q = p + 1;
		while (q < gt && *q != ' ')
			q++; /* the tag name */
		while (q < gt) {
			while (q < gt && (*q == ' ' || *q == '/'))
				q++;
			const char *an = q;
			while (q < gt && *q != '=' && *q != ' ' && *q != '/')
				q++;
			size_t al = (size_t)(q - an);
			if (!al)
				break;
			const char *v = q, *ve = q;
			if (q < gt && *q == '=') {
				FZ_CHECK(q + 1 < gt && q[1] == '"');
				v = q + 2;
				ve = memchr(v, '"', (size_t)(end - v));
				FZ_CHECK(ve != NULL);
				q = ve + 1;
				if (ve > gt) { /* '>' inside a quoted value would be escaped */
					fprintf(stderr, "unescaped '>' in: %.*s\n", (int)(ve - p + 1), p);
					abort();
				}
			}
			int href = al == 4 && !strncmp(an, "href", 4), src = al == 3 && !strncmp(an, "src", 3);
			int ok = href || src || (al == 5 && !strncmp(an, "title", 5)) ||
			         (al == 3 && !strncmp(an, "alt", 3)) || (al == 5 && !strncmp(an, "class", 5)) ||
			         (al == 5 && !strncmp(an, "start", 5));
			if (!ok || ((href || src) && dangerous_url(v, (size_t)(ve - v)))) {
				fprintf(stderr, "unsafe tag: %.*s\n", (int)(gt - p + 1), p);
				abort();
			}
		}
		p = gt + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *md = fz_cstr(data, size); /* %M takes a C string */
	if (!md)
		return 0;
	size_t sl = strlen(md);

	struct kn_buf b;
	kn_buf_init(&b, 1 << 24);
	kn_html_markdown(&b, md);
	FZ_CHECK(kn_buf_err(&b) == KN_OK);
	check_safe(kn_buf_str(&b), b.len);
	kn_buf_free(&b);

	kn_buf_init(&b, 1 << 24);
	kn_html_text(&b, md);
	FZ_CHECK(kn_buf_err(&b) == KN_OK && b.len >= sl);
	FZ_CHECK(!strpbrk(kn_buf_str(&b), "<>\"'"));
	kn_buf_free(&b);

	kn_buf_init(&b, 1 << 24);
	kn_html_url(&b, md);
	FZ_CHECK(kn_buf_err(&b) == KN_OK && b.len >= sl && b.len <= 3 * sl);
	FZ_CHECK(strspn(kn_buf_str(&b), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%") == b.len);
	kn_buf_free(&b);

	/* a small limit leaves a sticky error, never an overflow */
	kn_buf_init(&b, 16);
	kn_html_fmt(&b, "<p title=\"%s\">%M</p>%u", md, md, md);
	FZ_CHECK(b.len <= 16);
	if (sl > 16)
		FZ_CHECK(kn_buf_err(&b) == KN_ETOOBIG);
	kn_buf_free(&b);
	free(md);
	return 0;
}
