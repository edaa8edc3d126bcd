/* domain.c: input checks shared by every domain module, and record history. */
#include "domain/domain.h"
#include "core/utf8.h"
#include "core/arena.h"
#include "core/buf.h"
#include "store/store.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void kn_ferr_add(struct kn_ctx *x, const char *field, const char *msg)
{
	struct kn_ferr *e = kn_zalloc(x->a, sizeof(*e));
	e->field = field;
	e->msg = msg;
	struct kn_ferr **p = &x->errs;
	while (*p)
		p = &(*p)->next;
	*p = e;
}

const char *kn_trim(struct kn_ctx *x, const char *s)
{
	if (!s)
		return NULL;
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return kn_strndup(x->a, s, n);
}

bool kn_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		size_t len = kn_utf8_seq(p, (size_t)(e - p));
		if (!len)
			return false;
		p += len;
	}
	return true;
}

bool kn_check_text(struct kn_ctx *x, const char *field, const char *v, size_t max, bool required, bool multiline)
{
	if (!v || !*v) {
		if (required)
			kn_ferr_add(x, field, "This field is required.");
		return !required;
	}
	size_t n = strlen(v);
	if (n > max) {
		kn_ferr_add(x, field, "This text is too long.");
		return false;
	}
	if (!kn_utf8_valid(v, n)) {
		kn_ferr_add(x, field, "This text is not valid UTF-8.");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f) {
			kn_ferr_add(x, field, "This text contains control characters.");
			return false;
		}
	}
	return true;
}

bool kn_check_date(struct kn_ctx *x, const char *field, const char *v, bool required)
{
	if (!v || !*v) {
		if (required)
			kn_ferr_add(x, field, "This field is required.");
		return !required;
	}
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool shape = strlen(v) == 10 && v[4] == '-' && v[7] == '-';
	for (int i = 0; shape && i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)v[i]))
			shape = false;
	int y = 0, m = 0, d = 0;
	if (shape) {
		y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
		m = (v[5] - '0') * 10 + (v[6] - '0');
		d = (v[8] - '0') * 10 + (v[9] - '0');
	}
	if (!shape || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) {
		kn_ferr_add(x, field, "Enter a date as YYYY-MM-DD.");
		return false;
	}
	int md = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d > md) {
		kn_ferr_add(x, field, "This date does not exist.");
		return false;
	}
	return true;
}

bool kn_check_slug(struct kn_ctx *x, const char *field, const char *v)
{
	if (!v || !*v) {
		kn_ferr_add(x, field, "This field is required.");
		return false;
	}
	size_t n = strlen(v);
	bool digits = true;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') || n > 64) {
			kn_ferr_add(x, field, "Use 1 to 64 lowercase Latin letters, digits and hyphens.");
			return false;
		}
		if (!(c >= '0' && c <= '9'))
			digits = false;
	}
	if (digits) {
		kn_ferr_add(x, field, "A short name cannot be only digits.");
		return false;
	}
	return true;
}

int64_t kn_parse_id(const char *s)
{
	if (!s || !*s || !isdigit((unsigned char)*s))
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return 0;
	return v;
}

struct kn_rows *kn_rows_matching(struct kn_ctx *x, const struct kn_rows *r, const int *cols, int ncols, const char *q,
                                 bool whole_first, int offset, int limit, int *total)
{
	/* the query's words, folded */
	struct kn_buf qb, hay;
	kn_buf_arena(&qb, x->a, 4096);
	kn_utf8_fold(&qb, q ? q : "");
	char *words[32];
	int nw = qb.len ? kn_fold_words(qb.data, words, 32) : 0;
	kn_buf_arena(&hay, x->a, 1 << 16);
	/* two pages: of every row that matches, and of those with a column
	 * that is the words whole */
	struct kn_rows *page[2];
	int count[2] = {0, 0};
	for (int w = 0; w < 2; w++) {
		page[w] = kn_zalloc(x->a, sizeof(*page[w]));
		page[w]->cols = r->cols;
		page[w]->v = kn_alloc(x->a, sizeof(char *) * (size_t)(limit > 0 ? limit : 1) * (size_t)r->cols);
	}
	size_t end[16];
	if (ncols > 16)
		ncols = 16;
	for (int i = 0; i < r->n; i++) {
		kn_buf_reset(&hay);
		for (int k = 0; k < ncols; k++) {
			if (kn_row_s(r, i, cols[k]))
				kn_utf8_fold(&hay, kn_row_s(r, i, cols[k]));
			end[k] = hay.len;
			kn_buf_addc(&hay, '\n');
		}
		if (!kn_fold_words_in(kn_buf_str(&hay), words, nw))
			continue;
		bool whole = false;
		size_t from = 0;
		for (int k = 0; whole_first && nw && k < ncols && !whole; k++) {
			whole = kn_fold_same_words(hay.data + from, end[k] - from, words, nw);
			from = end[k] + 1;
		}
		for (int w = 0; w < (whole ? 2 : 1); w++) {
			struct kn_rows *p = page[w];
			if (count[w] >= offset && p->n < limit)
				memcpy(&p->v[p->n++ * r->cols], &r->v[i * r->cols], sizeof(char *) * (size_t)r->cols);
			count[w]++;
		}
	}
	int w = whole_first && count[1] ? 1 : 0;
	*total = count[w];
	return page[w];
}
