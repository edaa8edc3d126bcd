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
	const char *run = s;
	for (const char *p = s;; p++) {
		const char *rep;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case 0: rep = NULL; break;
		default: continue;
		}
		kn_buf_add(b, run, (size_t)(p - run));
		if (!rep)
			return;
		kn_buf_adds(b, rep);
		run = p + 1;
	}
}

void kn_html_url(struct kn_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '_' || c == '.' || c == '~') {
			kn_buf_addc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			kn_buf_add(b, e, 3);
		}
	}
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
		case 'd': kn_buf_printf(b, "%d", va_arg(ap, int)); break;
		case 'D': kn_buf_printf(b, "%lld", (long long)va_arg(ap, int64_t)); break;
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
