/* html.c: the escaping HTML writer and safe Markdown rendering. */
#include "view/html.h"
#include "core/i18n.h"
#include <cmark.h>
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

void kn_html_markdown(struct kn_buf *b, const char *md)
{
	if (!md || !*md)
		return;
	/* CMARK_OPT_SAFE (the default since 0.29) drops raw HTML and
	 * javascript:, vbscript:, file: and data: (except images) links */
	char *html = cmark_markdown_to_html(md, strlen(md), CMARK_OPT_SAFE | CMARK_OPT_SMART);
	if (html) {
		kn_buf_adds(b, html);
		free(html);
	}
}

void kn_html_fmt(struct kn_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *run = fmt;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
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
