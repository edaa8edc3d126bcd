/* fuzz_markdown.c: libFuzzer target for the HTML writer's Markdown (%M), text (%s) and URL (%u) escapers. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "view/html.h"

#define FZ_CHECK(c)                                                          \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, \
			        __FILE__, __LINE__);                         \
			abort();                                             \
		}                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Case-insensitive search in the first n bytes of s. */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t i = 0; i + nl <= n; i++)
		if (!strncasecmp(s + i, needle, nl))
			return s + i;
	return NULL;
}

/* Safe-mode output: no script element, and no tag (text is escaped, so
 * every '<' opens a tag cmark wrote) carries a script URL. Plain text
 * that reads "javascript:" is harmless and allowed. */
static void check_safe(const char *html, size_t len)
{
	if (find_ci(html, len, "<script")) {
		fprintf(stderr, "unsafe output:\n%s\n", html);
		abort();
	}
	for (const char *p = memchr(html, '<', len); p; p = memchr(p + 1, '<', len - (size_t)(p + 1 - html))) {
		const char *gt = memchr(p, '>', len - (size_t)(p - html));
		FZ_CHECK(gt != NULL);
		size_t tl = (size_t)(gt - p);
		if (find_ci(p, tl, "javascript:") || find_ci(p, tl, "vbscript:") || find_ci(p, tl, " on")) {
			fprintf(stderr, "unsafe tag: %.*s\n", (int)tl + 1, p);
			abort();
		}
		if (tl == 0)
			break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *md = malloc(size + 1);
	if (!md)
		return 0;
	memcpy(md, data, size);
	md[size] = 0; /* %M takes a C string */
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
