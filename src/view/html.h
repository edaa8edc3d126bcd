/* html.h: the one way Kenes writes markup. kn_h() takes a format that must
 * be a string literal (enforced at compile time) and escapes every value:
 *   %s  text, escaped for element content and quoted attributes (NULL: "")
 *   %t  text translated with gettext first, then escaped
 *   %u  a URL component, percent-encoded (then safe in an attribute)
 *   %d  int        %D  int64_t        %%  a percent sign
 *   %M  Markdown source rendered by cmark in safe mode (raw HTML dropped,
 *       unsafe links removed)
 * There is no conversion for unescaped strings. */
#ifndef KN_VIEW_HTML_H
#define KN_VIEW_HTML_H
#include "core/buf.h"

void kn_html_fmt(struct kn_buf *b, const char *fmt, ...);
#define kn_h(b, fmt, ...) kn_html_fmt((b), "" fmt "", ##__VA_ARGS__)

/* Escapes s into b (the %s conversion). */
void kn_html_text(struct kn_buf *b, const char *s);
/* Percent-encodes s into b (the %u conversion). */
void kn_html_url(struct kn_buf *b, const char *s);
/* Renders Markdown through cmark in safe mode (the %M conversion). */
void kn_html_markdown(struct kn_buf *b, const char *md);

/* Markup already written into b with kn_h, from start on, kept (in arena
 * a) to be written again as is: one badge on many rows of a list. */
struct kn_arena;
struct kn_html_piece {
	char *data;
	size_t len;
};
void kn_html_keep(struct kn_html_piece *p, struct kn_arena *a, const struct kn_buf *b, size_t start);
void kn_html_again(struct kn_buf *b, const struct kn_html_piece *p);

#endif
