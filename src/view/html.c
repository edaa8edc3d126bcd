/* html.c: the escaping HTML writer and safe Markdown rendering. */
#include "view/html.h"
#include "core/arena.h"
#include "core/i18n.h"
#include <cmark.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void kn_html_text(struct kn_buf *b, const char *s)
{
	if (!s)
		return;
	for (;;) {
		/* the run up to the next character that needs escaping (strcspn
		 * scans many bytes at a time) */
		size_t run = strcspn(s, "&<>\"'");
		kn_buf_add(b, s, run);
		s += run;
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: return; /* the end of the string */
		}
		kn_buf_adds(b, rep);
		s++;
	}
}

static bool url_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
	       c == '.' || c == '~';
}

void kn_html_url(struct kn_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *run = p;
		while (*p && url_safe(*p))
			p++;
		kn_buf_add(b, run, (size_t)(p - run));
		if (!*p)
			break;
		char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
		kn_buf_add(b, e, 3);
		p++;
	}
}

/* a decimal integer without printf */
static void add_int(struct kn_buf *b, long long v)
{
	char tmp[24], *p = kn_itoa(tmp, v);
	kn_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* The last texts rendered and their HTML: a council's description or an
 * assignment's body is shown on every view of its page and changes rarely.
 * The output depends on the text alone, so a text seen again is the same
 * HTML; a changed text is a different key. Bounded: MD_SLOTS texts of at
 * most MD_MAX bytes, replaced in turn; one lock, held for a lookup or a
 * copy, never while rendering. */
#define MD_SLOTS 32
#define MD_MAX 16384
static struct {
	char *md, *html;
	size_t mdlen, htmllen;
} md_memo[MD_SLOTS];
static unsigned md_next;
static pthread_mutex_t md_lock = PTHREAD_MUTEX_INITIALIZER;

static bool md_lookup(struct kn_buf *b, const char *md, size_t len)
{
	bool hit = false;
	pthread_mutex_lock(&md_lock);
	for (int i = 0; i < MD_SLOTS; i++)
		if (md_memo[i].md && md_memo[i].mdlen == len && !memcmp(md_memo[i].md, md, len)) {
			kn_buf_add(b, md_memo[i].html, md_memo[i].htmllen);
			hit = true;
			break;
		}
	pthread_mutex_unlock(&md_lock);
	return hit;
}

static void md_remember(const char *md, size_t len, const char *html, size_t htmllen)
{
	char *m = malloc(len + 1), *h = malloc(htmllen + 1);
	if (!m || !h) {
		free(m);
		free(h);
		return;
	}
	memcpy(m, md, len + 1);
	memcpy(h, html, htmllen + 1);
	pthread_mutex_lock(&md_lock);
	unsigned i = md_next++ % MD_SLOTS;
	char *oldm = md_memo[i].md, *oldh = md_memo[i].html;
	md_memo[i].md = m;
	md_memo[i].html = h;
	md_memo[i].mdlen = len;
	md_memo[i].htmllen = htmllen;
	pthread_mutex_unlock(&md_lock);
	free(oldm);
	free(oldh);
}

void kn_html_markdown(struct kn_buf *b, const char *md)
{
	if (!md || !*md)
		return;
	size_t len = strlen(md);
	if (len <= MD_MAX && md_lookup(b, md, len))
		return;
	/* CMARK_OPT_SAFE (the default since 0.29) drops raw HTML and
	 * javascript:, vbscript:, file: and data: (except images) links */
	char *html = cmark_markdown_to_html(md, len, CMARK_OPT_SAFE | CMARK_OPT_SMART);
	if (html) {
		size_t hl = strlen(html);
		kn_buf_add(b, html, hl);
		if (len <= MD_MAX)
			md_remember(md, len, html, hl);
		free(html);
	}
}

void kn_html_keep(struct kn_html_piece *p, struct kn_arena *a, const struct kn_buf *b, size_t start)
{
	p->len = b->len > start ? b->len - start : 0;
	p->data = kn_alloc(a, p->len + 1);
	memcpy(p->data, b->data + start, p->len);
	p->data[p->len] = 0;
}

void kn_html_again(struct kn_buf *b, const struct kn_html_piece *p)
{
	kn_buf_add(b, p->data, p->len);
}

void kn_html_fmt(struct kn_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *run = fmt;
	/* strchr finds the next conversion many bytes at a time */
	for (const char *p; (p = strchr(run, '%'));) {
		kn_buf_add(b, run, (size_t)(p - run));
		p++;
		switch (*p) {
		case 's': kn_html_text(b, va_arg(ap, const char *)); break;
		case 't': kn_html_text(b, kn_gettext(va_arg(ap, const char *))); break;
		case 'u': kn_html_url(b, va_arg(ap, const char *)); break;
		case 'd': add_int(b, va_arg(ap, int)); break;
		case 'D': add_int(b, (long long)va_arg(ap, int64_t)); break;
		case 'M': kn_html_markdown(b, va_arg(ap, const char *)); break;
		case '%': kn_buf_addc(b, '%'); break;
		default:
			/* a programming error: make it visible, never silent */
			kn_buf_adds(b, "[bad format]");
			if (!*p)
				p--;
			break;
		}
		run = p + 1;
	}
	kn_buf_adds(b, run);
	va_end(ap);
}
