/* jw.h: a streaming JSON writer straight into a buffer, for the API's long
 * lists (a page of 100 assignments), where building a jansson tree of
 * hash-table objects first cost more than reading the rows. The output is
 * what json_dumps(JSON_COMPACT) gives for the same members in the same order. */
#ifndef KN_API_JW_H
#define KN_API_JW_H
#include "core/buf.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define KN_JW_DEPTH 16 /* deeper nesting is a programming error (abort) */

struct kn_jw {
	struct kn_buf *b;
	int depth;
	bool more[KN_JW_DEPTH]; /* a member or element was written at this level */
	char close[KN_JW_DEPTH]; /* '}' or ']' of each open level */
	bool after_key;
};

void kn_jw_init(struct kn_jw *w, struct kn_buf *b);
void kn_jw_obj(struct kn_jw *w);
void kn_jw_arr(struct kn_jw *w);
void kn_jw_end(struct kn_jw *w); /* ends the innermost object or array */
void kn_jw_key(struct kn_jw *w, const char *key);
void kn_jw_str(struct kn_jw *w, const char *s); /* NULL: null; bad UTF-8 becomes U+FFFD */
void kn_jw_int(struct kn_jw *w, int64_t v);
void kn_jw_bool(struct kn_jw *w, bool v);
void kn_jw_null(struct kn_jw *w);
/* A member in one call. KEY must be a string literal of the program's own
 * (no quote, backslash or control character): it is written as the
 * ready-made fragment "KEY": built at compile time, and copied inline (a
 * list of a hundred records writes two thousand members). */
#define KN_JW_KEY(key) "\"" key "\":", sizeof(key) + 2
#define kn_jw_kstr(w, key, s) kn_jw_kstr_((w), KN_JW_KEY(key), (s))
#define kn_jw_kint(w, key, v) kn_jw_kint_((w), KN_JW_KEY(key), (v))
#define kn_jw_kbool(w, key, v) kn_jw_kbool_((w), KN_JW_KEY(key), (v))
/* an integer member that is null when 0 (an absent reference) */
#define kn_jw_kref(w, key, id) kn_jw_kref_((w), KN_JW_KEY(key), (id))

/* The pieces of the inline members (jw.c). */
#define KN_JW_FAST_MAX 4096 /* longer strings go the long way, in chunks */
#define KN_JW_ROOM(n) (6 * (n) + 2) /* s escaped between quotes: a control byte becomes \u00XX */
char *kn_jw_quoted(char *p, const char *s, size_t n); /* s (room for KN_JW_ROOM(n)) at p; returns the end */
char *kn_jw_int_at(char *p, int64_t v); /* v (room for 20) at p; returns the end */
void kn_jw_kstr_long(struct kn_jw *w, const char *frag, size_t n, const char *s);
void kn_jw_kint_long(struct kn_jw *w, const char *frag, size_t n, int64_t v);
void kn_jw_kbool_long(struct kn_jw *w, const char *frag, size_t n, bool v);
void kn_jw_kref_long(struct kn_jw *w, const char *frag, size_t n, int64_t id);
/* The member "url": the address of a council's record, /councils/SLUG/KIND/ID,
 * written without printf (a list writes hundreds); null when the slug or
 * the id is. KIND is a string literal of the program's own, like a key. */
#define kn_jw_krecord_url(w, slug, KIND, id) kn_jw_krecord_url_((w), (slug), "/" KIND "/", sizeof(KIND) + 1, (id))
void kn_jw_krecord_url_(struct kn_jw *w, const char *council_slug, const char *kind, size_t lk, const char *id);

/* Whether the member or element about to be written needs a comma before
 * it (one came before it at its level); notes that one now has. */
static inline bool kn_jw_next(struct kn_jw *w)
{
	bool comma = w->more[w->depth];
	w->more[w->depth] = true;
	return comma;
}
/* Room for a member: the comma its level needs, the key's fragment, then
 * vmax bytes of value, written by the caller at the returned place (start:
 * where the member begins, for kn_buf_wrote). NULL when the room cannot be
 * made: the caller takes the long way, piece by piece. */
static inline char *kn_jw_member(struct kn_jw *w, const char *frag, size_t n, size_t vmax, char **start)
{
	char *p = kn_buf_room(w->b, 1 + n + vmax);
	if (!p)
		return NULL;
	*start = p;
	if (kn_jw_next(w))
		*p++ = ',';
	memcpy(p, frag, n);
	return p + n;
}

static inline void kn_jw_kstr_(struct kn_jw *w, const char *frag, size_t n, const char *s)
{
	size_t sl = s ? strlen(s) : 0;
	char *start, *p = sl <= KN_JW_FAST_MAX ? kn_jw_member(w, frag, n, KN_JW_ROOM(sl) + 4, &start) : NULL;
	if (!p) {
		kn_jw_kstr_long(w, frag, n, s);
		return;
	}
	if (s) {
		p = kn_jw_quoted(p, s, sl);
	} else {
		memcpy(p, "null", 4);
		p += 4;
	}
	kn_buf_wrote(w->b, (size_t)(p - start));
}

static inline void kn_jw_kint_(struct kn_jw *w, const char *frag, size_t n, int64_t v)
{
	char *start, *p = kn_jw_member(w, frag, n, 24, &start);
	if (!p) {
		kn_jw_kint_long(w, frag, n, v);
		return;
	}
	kn_buf_wrote(w->b, (size_t)(kn_jw_int_at(p, v) - start));
}

static inline void kn_jw_kbool_(struct kn_jw *w, const char *frag, size_t n, bool v)
{
	char *start, *p = kn_jw_member(w, frag, n, 5, &start);
	if (!p) {
		kn_jw_kbool_long(w, frag, n, v);
		return;
	}
	if (v)
		memcpy(p, "true", 4);
	else
		memcpy(p, "false", 5);
	kn_buf_wrote(w->b, (size_t)(p + (v ? 4 : 5) - start));
}

static inline void kn_jw_kref_(struct kn_jw *w, const char *frag, size_t n, int64_t id)
{
	char *start, *p = kn_jw_member(w, frag, n, 24, &start);
	if (!p) {
		kn_jw_kref_long(w, frag, n, id);
		return;
	}
	if (id) {
		p = kn_jw_int_at(p, id);
	} else {
		memcpy(p, "null", 4);
		p += 4;
	}
	kn_buf_wrote(w->b, (size_t)(p - start));
}

#endif
