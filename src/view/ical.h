/* ical.h: iCalendar (RFC 5545) content lines: TEXT escaping (backslash,
 * semicolon, comma, newline) and folding at 75 octets, never inside a
 * UTF-8 sequence; CRLF line ends. Not HTML: the one writer of text/calendar. */
#ifndef KN_VIEW_ICAL_H
#define KN_VIEW_ICAL_H
#include "core/buf.h"

/* NAME:VALUE with VALUE escaped as TEXT. */
void kn_ical_text(struct kn_buf *b, const char *name, const char *value);
/* NAME:VALUE for values that need no escaping (dates, URIs, enums); the
 * value must not contain control characters (they are dropped). */
void kn_ical_raw(struct kn_buf *b, const char *name, const char *value);

#endif
