/* jw.h: a streaming JSON writer straight into a buffer, for the API's long
 * lists (a page of 100 assignments), where building a jansson tree of
 * hash-table objects first cost more than reading the rows. The output is
 * what json_dumps(JSON_COMPACT) gives for the same members in the same order. */
#ifndef KN_API_JW_H
#define KN_API_JW_H
#include "core/buf.h"
#include <stdbool.h>
#include <stdint.h>

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
 * ready-made fragment "KEY": built at compile time. */
#define KN_JW_KEY(key) "\"" key "\":", sizeof(key) + 2
#define kn_jw_kstr(w, key, s) kn_jw_kstr_((w), KN_JW_KEY(key), (s))
#define kn_jw_kint(w, key, v) kn_jw_kint_((w), KN_JW_KEY(key), (v))
#define kn_jw_kbool(w, key, v) kn_jw_kbool_((w), KN_JW_KEY(key), (v))
/* an integer member that is null when 0 (an absent reference) */
#define kn_jw_kref(w, key, id) kn_jw_kref_((w), KN_JW_KEY(key), (id))
void kn_jw_kstr_(struct kn_jw *w, const char *frag, size_t n, const char *s);
void kn_jw_kint_(struct kn_jw *w, const char *frag, size_t n, int64_t v);
void kn_jw_kbool_(struct kn_jw *w, const char *frag, size_t n, bool v);
void kn_jw_kref_(struct kn_jw *w, const char *frag, size_t n, int64_t id);

#endif
