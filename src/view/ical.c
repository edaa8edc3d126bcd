/* ical.c: iCalendar content lines with TEXT escaping and 75-octet folding. */
#include "view/ical.h"
#include <string.h>

/* Appends one logical line, folded: no physical line over 75 octets. */
static void line(struct kn_buf *b, const char *s, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xF0)
			len = 4;
		else if (c >= 0xE0)
			len = 3;
		else if (c >= 0xC0)
			len = 2;
		if (i + len > n)
			len = n - i;
		if (col + len > 75) {
			kn_buf_add(b, "\r\n ", 3);
			col = 1;
		}
		kn_buf_add(b, s + i, len);
		col += len;
		i += len;
	}
	kn_buf_add(b, "\r\n", 2);
}

static void prop(struct kn_buf *b, const char *name, const char *value, bool text)
{
	struct kn_buf t;
	kn_buf_init(&t, 1 << 20);
	kn_buf_adds(&t, name);
	kn_buf_addc(&t, ':');
	for (const char *p = value ? value : ""; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (text && (c == '\\' || c == ';' || c == ',')) {
			kn_buf_addc(&t, '\\');
			kn_buf_addc(&t, (char)c);
		} else if (text && c == '\n') {
			kn_buf_adds(&t, "\\n");
		} else if (c < 0x20 || c == 0x7F) {
			continue; /* CR, tabs and other controls are not TEXT */
		} else {
			kn_buf_addc(&t, (char)c);
		}
	}
	line(b, t.data ? t.data : "", t.len);
	kn_buf_free(&t);
}

void kn_ical_text(struct kn_buf *b, const char *name, const char *value)
{
	prop(b, name, value, true);
}

void kn_ical_raw(struct kn_buf *b, const char *name, const char *value)
{
	prop(b, name, value, false);
}
