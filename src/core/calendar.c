/* calendar.c: civil-date arithmetic, the calendar text parser and working-day counting. */
#include "core/calendar.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/tz.h"

/* ---- civil dates ---------------------------------------------------------- */

static const int cum_days[12] = {0,   31,  59,  90,  120, 151,
				 181, 212, 243, 273, 304, 334};

int kn_date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int kn_date_days_in_month(int year, int month)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && kn_date_is_leap(year))
		return 29;
	return len[month - 1];
}

int kn_date_valid_ymd(int year, int month, int day)
{
	return year >= 1 && year <= 9999 && month >= 1 && month <= 12 &&
	       day >= 1 && day <= kn_date_days_in_month(year, month);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Days from 0001-01-01 to January 1st of year y (any y, proleptic). */
static int64_t days_before_year(int64_t y)
{
	int64_t p = y - 1;
	return 365 * p + floor_div(p, 4) - floor_div(p, 100) +
	       floor_div(p, 400);
}

#define EPOCH_OFFSET 719162 /* days_before_year(1970) */

static int64_t date_from_ymd64(int64_t year, int month, int day)
{
	int64_t n = days_before_year(year) + cum_days[month - 1] + day - 1;
	if (month > 2 && kn_date_is_leap((int)(year % 400)))
		n++;
	return n - EPOCH_OFFSET;
}

int32_t kn_date_from_ymd(int year, int month, int day)
{
	if (month < 1 || month > 12)
		month = 1;
	return (int32_t)date_from_ymd64(year, month, day);
}

void kn_date_to_ymd(int32_t date, int *year, int *month, int *day)
{
	int64_t n = (int64_t)date + EPOCH_OFFSET; /* days since 0001-01-01 */
	int64_t y = floor_div(n * 400, 146097) + 1;
	while (days_before_year(y) > n)
		y--;
	while (days_before_year(y + 1) <= n)
		y++;
	int doy = (int)(n - days_before_year(y)); /* 0-based */
	int leap = kn_date_is_leap((int)(((y % 400) + 400) % 400));
	int m = 12;
	while (m > 1) {
		int start = cum_days[m - 1] + (m > 2 && leap);
		if (doy >= start)
			break;
		m--;
	}
	int d = doy - cum_days[m - 1] - (m > 2 && leap) + 1;
	if (year)
		*year = (int)y;
	if (month)
		*month = m;
	if (day)
		*day = d;
}

static int parse_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parses exactly len bytes "YYYY-MM-DD". */
static int date_parse_n(const char *s, size_t len, int32_t *out)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = parse_digits(s, 4), m = parse_digits(s + 5, 2),
	    d = parse_digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !kn_date_valid_ymd(y, m, d))
		return -1;
	*out = kn_date_from_ymd(y, m, d);
	return 0;
}

int kn_date_parse(const char *s, int32_t *out)
{
	if (!s)
		return -1;
	return date_parse_n(s, strlen(s), out);
}

char *kn_date_format(int32_t date, char *buf, size_t len)
{
	int y, m, d;
	kn_date_to_ymd(date, &y, &m, &d);
	if (len >= KN_DATE_STRLEN && y >= 0 && y <= 9999) {
		/* digits by hand: pages format a date per row */
		const int v[3] = {y, m, d};
		char *p = buf;
		*p++ = (char)('0' + y / 1000);
		*p++ = (char)('0' + y / 100 % 10);
		*p++ = (char)('0' + y / 10 % 10);
		*p++ = (char)('0' + y % 10);
		for (int i = 1; i < 3; i++) {
			*p++ = '-';
			*p++ = (char)('0' + v[i] / 10);
			*p++ = (char)('0' + v[i] % 10);
		}
		*p = 0;
	} else if (len > 0)
		snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
	return buf;
}

int kn_date_weekday(int32_t date)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((int64_t)date + 3) % 7 + 7) % 7 + 1;
}

/* ---- calendar data -------------------------------------------------------- */

struct cal_fixed {
	int month, day;
	int moves;
	int from_year, until_year; /* inclusive; 0 = unbounded */
	int line;
	char *name; /* owned */
};

enum dated_kind { DATED_HOLIDAY, DATED_OFF, DATED_WORK };

struct cal_dated {
	int32_t date;
	enum dated_kind kind;
	int moves; /* DATED_HOLIDAY only */
	int line;
	char *name; /* owned */
};

struct kn_calendar {
	int weekend_mask; /* bit (ISO weekday - 1) */
	struct cal_fixed *fixed;
	size_t nfixed, capfixed;
	struct cal_dated *dated; /* sorted by date once loaded */
	size_t ndated, capdated;
};

void kn_calendar_free(struct kn_calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 0; i < cal->nfixed; i++)
		free(cal->fixed[i].name);
	for (size_t i = 0; i < cal->ndated; i++)
		free(cal->dated[i].name);
	free(cal->fixed);
	free(cal->dated);
	free(cal);
}

void kn_calendar_stats(const struct kn_calendar *cal,
		       struct kn_calendar_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->weekend_mask = cal->weekend_mask;
	out->fixed = (int)cal->nfixed;
	out->dated = (int)cal->ndated;
	if (cal->ndated > 0) {
		kn_date_to_ymd(cal->dated[0].date, &out->first_year, NULL,
			       NULL);
		kn_date_to_ymd(cal->dated[cal->ndated - 1].date,
			       &out->last_year, NULL, NULL);
	}
}

/* ---- parser --------------------------------------------------------------- */

#define MAX_ERRORS 20

struct parser {
	struct kn_calendar *cal;
	int line;
	int nerrors;
	int weekend_line;
	char *err; /* may be NULL */
	size_t errlen, errused;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void perr(struct parser *p, const char *fmt, ...)
{
	p->nerrors++;
	if (!p->err || p->errlen == 0)
		return;
	if (p->nerrors > MAX_ERRORS)
		return;
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t room = p->errlen - p->errused;
	int n;
	if (p->nerrors == MAX_ERRORS)
		n = snprintf(p->err + p->errused, room, "%sline %d: too many errors, stopping",
			     p->errused ? "\n" : "", p->line);
	else
		n = snprintf(p->err + p->errused, room, "%sline %d: %s",
			     p->errused ? "\n" : "", p->line, msg);
	if (n > 0)
		p->errused += (size_t)n < room ? (size_t)n : room - 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits the next whitespace-delimited token off [*s, end). */
static int next_token(const char **s, const char *end, const char **tok,
		      size_t *toklen)
{
	const char *p = *s;
	while (p < end && is_blank(*p))
		p++;
	if (p == end)
		return 0;
	const char *q = p;
	while (q < end && !is_blank(*q))
		q++;
	*tok = p;
	*toklen = (size_t)(q - p);
	*s = q;
	return 1;
}

static int tok_is(const char *tok, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(tok, word, len) == 0;
}

/* The rest of the line as a name: trimmed, non-empty, printable. Returns a
 * new string (caller owns) or NULL after reporting the error. */
static char *take_name(struct parser *p, const char *s, const char *end)
{
	while (s < end && is_blank(*s))
		s++;
	while (end > s && is_blank(end[-1]))
		end--;
	size_t len = (size_t)(end - s);
	if (len == 0) {
		perr(p, "a name is required at the end of the line");
		return NULL;
	}
	if (len > KN_CALENDAR_MAX_NAME) {
		perr(p, "name longer than %d bytes", KN_CALENDAR_MAX_NAME);
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			perr(p, "control character in name");
			return NULL;
		}
	}
	char *name = malloc(len + 1);
	if (!name) {
		perr(p, "out of memory");
		return NULL;
	}
	memcpy(name, s, len);
	name[len] = '\0';
	return name;
}

static int parse_year_tok(const char *tok, size_t len, int *year)
{
	if (len != 4)
		return -1;
	int y = parse_digits(tok, 4);
	if (y < 1)
		return -1;
	*year = y;
	return 0;
}

static int entries_full(struct parser *p)
{
	if (p->cal->nfixed + p->cal->ndated >= KN_CALENDAR_MAX_ENTRIES) {
		perr(p, "more than %d entries", KN_CALENDAR_MAX_ENTRIES);
		return 1;
	}
	return 0;
}

static void parse_weekend(struct parser *p, const char *s, const char *end)
{
	static const char *const names[7] = {"mon", "tue", "wed", "thu",
					     "fri", "sat", "sun"};
	if (p->weekend_line) {
		perr(p, "second weekend line (the first is line %d)",
		     p->weekend_line);
		return;
	}
	p->weekend_line = p->line;
	int mask = 0, count = 0;
	const char *tok;
	size_t len;
	while (next_token(&s, end, &tok, &len)) {
		int found = -1;
		for (int i = 0; i < 7; i++)
			if (len == 3 && strncasecmp(tok, names[i], 3) == 0)
				found = i;
		if (found < 0) {
			perr(p, "unknown weekday \"%.*s\" (use mon tue wed thu fri sat sun)",
			     (int)(len > 20 ? 20 : len), tok);
			return;
		}
		if (mask & (1 << found)) {
			perr(p, "weekday %s listed twice", names[found]);
			return;
		}
		mask |= 1 << found;
		count++;
	}
	if (count == 0) {
		perr(p, "weekend needs at least one weekday");
		return;
	}
	if (count == 7) {
		perr(p, "weekend cannot be all seven days");
		return;
	}
	p->cal->weekend_mask = mask;
}

static int parse_moves(struct parser *p, const char *tok, size_t len,
		       int *moves)
{
	if (tok_is(tok, len, "moves"))
		*moves = 1;
	else if (tok_is(tok, len, "nomove"))
		*moves = 0;
	else {
		perr(p, "expected \"moves\" or \"nomove\", got \"%.*s\"",
		     (int)(len > 20 ? 20 : len), tok);
		return -1;
	}
	return 0;
}

static void parse_fixed(struct parser *p, const char *s, const char *end)
{
	const char *tok;
	size_t len;
	struct cal_fixed f = {0};
	f.line = p->line;
	if (!next_token(&s, end, &tok, &len)) {
		perr(p, "fixed: expected MM-DD");
		return;
	}
	int m = len == 5 && tok[2] == '-' ? parse_digits(tok, 2) : -1;
	int d = len == 5 && tok[2] == '-' ? parse_digits(tok + 3, 2) : -1;
	/* 2000 is a leap year, so 02-29 is accepted (it applies in leap years). */
	if (m < 0 || d < 0 || !kn_date_valid_ymd(2000, m, d)) {
		perr(p, "fixed: \"%.*s\" is not a valid MM-DD",
		     (int)(len > 20 ? 20 : len), tok);
		return;
	}
	f.month = m;
	f.day = d;
	if (!next_token(&s, end, &tok, &len)) {
		perr(p, "fixed: expected \"moves\" or \"nomove\"");
		return;
	}
	if (parse_moves(p, tok, len, &f.moves) < 0)
		return;
	for (;;) {
		const char *save = s;
		if (!next_token(&s, end, &tok, &len))
			break;
		int *target = NULL;
		if (tok_is(tok, len, "from"))
			target = &f.from_year;
		else if (tok_is(tok, len, "until"))
			target = &f.until_year;
		if (!target) {
			s = save;
			break;
		}
		if (*target) {
			perr(p, "fixed: \"%.*s\" given twice", (int)len, tok);
			return;
		}
		if (!next_token(&s, end, &tok, &len) ||
		    parse_year_tok(tok, len, target) < 0) {
			perr(p, "fixed: expected a year YYYY after from/until");
			return;
		}
	}
	if (f.from_year && f.until_year && f.until_year < f.from_year) {
		perr(p, "fixed: until %d is before from %d", f.until_year,
		     f.from_year);
		return;
	}
	for (size_t i = 0; i < p->cal->nfixed; i++) {
		const struct cal_fixed *o = &p->cal->fixed[i];
		int lo1 = f.from_year ? f.from_year : 0,
		    hi1 = f.until_year ? f.until_year : INT_MAX;
		int lo2 = o->from_year ? o->from_year : 0,
		    hi2 = o->until_year ? o->until_year : INT_MAX;
		if (o->month == f.month && o->day == f.day && lo1 <= hi2 &&
		    lo2 <= hi1) {
			perr(p, "fixed: %02d-%02d is already a holiday on line %d",
			     f.month, f.day, o->line);
			return;
		}
	}
	if (entries_full(p))
		return;
	f.name = take_name(p, s, end);
	if (!f.name)
		return;
	struct kn_calendar *cal = p->cal;
	if (cal->nfixed == cal->capfixed) {
		size_t cap = cal->capfixed ? cal->capfixed * 2 : 16;
		struct cal_fixed *nf = realloc(cal->fixed, cap * sizeof(*nf));
		if (!nf) {
			free(f.name);
			perr(p, "out of memory");
			return;
		}
		cal->fixed = nf;
		cal->capfixed = cap;
	}
	cal->fixed[cal->nfixed++] = f;
}

static void parse_dated(struct parser *p, enum dated_kind kind,
			const char *word, const char *s, const char *end)
{
	const char *tok;
	size_t len;
	struct cal_dated e = {0};
	e.kind = kind;
	e.line = p->line;
	if (!next_token(&s, end, &tok, &len) ||
	    date_parse_n(tok, len, &e.date) < 0) {
		perr(p, "%s: expected a date YYYY-MM-DD", word);
		return;
	}
	if (kind == DATED_HOLIDAY) {
		if (!next_token(&s, end, &tok, &len)) {
			perr(p, "holiday: expected \"moves\" or \"nomove\"");
			return;
		}
		if (parse_moves(p, tok, len, &e.moves) < 0)
			return;
	}
	if (entries_full(p))
		return;
	e.name = take_name(p, s, end);
	if (!e.name)
		return;
	struct kn_calendar *cal = p->cal;
	if (cal->ndated == cal->capdated) {
		size_t cap = cal->capdated ? cal->capdated * 2 : 32;
		struct cal_dated *nd = realloc(cal->dated, cap * sizeof(*nd));
		if (!nd) {
			free(e.name);
			perr(p, "out of memory");
			return;
		}
		cal->dated = nd;
		cal->capdated = cap;
	}
	cal->dated[cal->ndated++] = e;
}

static void parse_line(struct parser *p, const char *s, const char *end)
{
	const char *tok;
	size_t len;
	if (!next_token(&s, end, &tok, &len) || tok[0] == '#')
		return;
	if (tok_is(tok, len, "weekend"))
		parse_weekend(p, s, end);
	else if (tok_is(tok, len, "fixed"))
		parse_fixed(p, s, end);
	else if (tok_is(tok, len, "holiday"))
		parse_dated(p, DATED_HOLIDAY, "holiday", s, end);
	else if (tok_is(tok, len, "off"))
		parse_dated(p, DATED_OFF, "off", s, end);
	else if (tok_is(tok, len, "work"))
		parse_dated(p, DATED_WORK, "work", s, end);
	else
		perr(p, "unknown directive \"%.*s\" (expected weekend, fixed, holiday, off or work)",
		     (int)(len > 20 ? 20 : len), tok);
}

static int dated_cmp(const void *a, const void *b)
{
	const struct cal_dated *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

int kn_calendar_load_string(const char *text, size_t len,
			    struct kn_calendar **out, char *errbuf,
			    size_t errlen)
{
	*out = NULL;
	if (errbuf && errlen)
		errbuf[0] = '\0';
	struct parser p = {0};
	p.err = errbuf;
	p.errlen = errlen;
	p.cal = calloc(1, sizeof(*p.cal));
	if (!p.cal) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	p.cal->weekend_mask = (1 << 5) | (1 << 6); /* sat sun by default */
	if (len > KN_CALENDAR_MAX_TEXT) {
		perr(&p, "calendar text larger than %d bytes",
		     KN_CALENDAR_MAX_TEXT);
		goto out;
	}
	if (!text && len > 0) {
		perr(&p, "no text");
		goto out;
	}
	const char *s = text, *end = text ? text + len : NULL;
	while (s && s < end) {
		p.line++;
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		if (le > s && le[-1] == '\r')
			le--;
		if ((size_t)(le - s) > KN_CALENDAR_MAX_LINE)
			perr(&p, "line longer than %d bytes",
			     KN_CALENDAR_MAX_LINE);
		else if (memchr(s, '\0', (size_t)(le - s)))
			perr(&p, "NUL byte in line");
		else
			parse_line(&p, s, le);
		s = next;
	}
	if (p.nerrors)
		goto out;
	if (p.cal->ndated > 1) {
		qsort(p.cal->dated, p.cal->ndated, sizeof(p.cal->dated[0]),
		      dated_cmp);
		for (size_t i = 1; i < p.cal->ndated; i++) {
			if (p.cal->dated[i].date == p.cal->dated[i - 1].date) {
				char d[KN_DATE_STRLEN];
				p.line = p.cal->dated[i].line;
				perr(&p, "%s is already listed on line %d",
				     kn_date_format(p.cal->dated[i].date, d,
						    sizeof(d)),
				     p.cal->dated[i - 1].line);
			}
		}
	}
out:
	if (p.nerrors) {
		kn_calendar_free(p.cal);
		return -1;
	}
	*out = p.cal;
	return 0;
}

int kn_calendar_load_file(const char *path, struct kn_calendar **out,
			  char *errbuf, size_t errlen)
{
	*out = NULL;
	int rc = -1;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: %s", path,
				 strerror(errno));
		return -1;
	}
	buf = malloc(KN_CALENDAR_MAX_TEXT + 1);
	if (!buf) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: out of memory", path);
		goto out;
	}
	size_t n = fread(buf, 1, KN_CALENDAR_MAX_TEXT + 1, f);
	if (ferror(f)) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: read error", path);
		goto out;
	}
	rc = kn_calendar_load_string(buf, n, out, errbuf, errlen);
out:
	free(buf);
	fclose(f);
	return rc;
}

/* ---- deciding days -------------------------------------------------------- */

/*
 * One year's view: every day from LEAD_IN days before January 1st to
 * December 31st, so that days off in lieu of late-December holidays of the
 * previous year land correctly in January.
 */
#define LEAD_IN 61
#define LIEU_SEARCH 31
#define YEAR_SPAN (LEAD_IN + 366)

struct year_view {
	int year;
	int32_t first; /* date of index 0 */
	int n;
	unsigned char kind[YEAR_SPAN];
	unsigned char moves[YEAR_SPAN];
	const char *name[YEAR_SPAN];
	int32_t lieu[YEAR_SPAN];
	/* working days before each index: cum[j] - cum[i] of them in
	 * [first + i, first + j), so a span is counted without a walk */
	uint16_t cum[YEAR_SPAN + 1];
};

static int is_weekend(const struct kn_calendar *cal, int32_t date)
{
	return (cal->weekend_mask >> (kn_date_weekday(date) - 1)) & 1;
}

static int fixed_active(const struct cal_fixed *f, int year)
{
	if (f->from_year && year < f->from_year)
		return 0;
	if (f->until_year && year > f->until_year)
		return 0;
	return f->day <= kn_date_days_in_month(year, f->month);
}

/* Index of the first dated entry with date >= d. */
static size_t dated_lower_bound(const struct kn_calendar *cal, int32_t d)
{
	size_t lo = 0, hi = cal->ndated;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->dated[mid].date < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void build_year(const struct kn_calendar *cal, int year,
		       struct year_view *v)
{
	v->year = year;
	int32_t jan1 = kn_date_from_ymd(year, 1, 1);
	v->first = jan1 - LEAD_IN;
	v->n = LEAD_IN + (kn_date_is_leap(year) ? 366 : 365);
	for (int i = 0; i < v->n; i++) {
		v->kind[i] = is_weekend(cal, v->first + i) ? KN_CALENDAR_WEEKEND
							  : KN_CALENDAR_WORKING;
		v->moves[i] = 0;
		v->name[i] = NULL;
		v->lieu[i] = 0;
	}
	for (int yy = year - 1; yy <= year; yy++) {
		for (size_t k = 0; k < cal->nfixed; k++) {
			const struct cal_fixed *f = &cal->fixed[k];
			if (!fixed_active(f, yy))
				continue;
			int64_t i = (int64_t)kn_date_from_ymd(yy, f->month,
							      f->day) -
				    v->first;
			if (i < 0 || i >= v->n ||
			    v->kind[i] == KN_CALENDAR_HOLIDAY)
				continue;
			v->kind[i] = KN_CALENDAR_HOLIDAY;
			v->moves[i] = (unsigned char)f->moves;
			v->name[i] = f->name;
		}
	}
	int32_t last = v->first + v->n - 1;
	size_t lb = dated_lower_bound(cal, v->first);
	for (size_t k = lb; k < cal->ndated && cal->dated[k].date <= last; k++) {
		const struct cal_dated *e = &cal->dated[k];
		int i = (int)(e->date - v->first);
		if (e->kind != DATED_HOLIDAY)
			continue;
		v->kind[i] = KN_CALENDAR_HOLIDAY;
		v->moves[i] = (unsigned char)e->moves;
		v->name[i] = e->name;
	}
	for (int i = 0; i < v->n; i++) {
		if (v->kind[i] != KN_CALENDAR_HOLIDAY || !v->moves[i] ||
		    !is_weekend(cal, v->first + i))
			continue;
		for (int j = i + 1; j < v->n && j <= i + LIEU_SEARCH; j++) {
			if (v->kind[j] == KN_CALENDAR_WORKING) {
				v->kind[j] = KN_CALENDAR_IN_LIEU;
				v->name[j] = v->name[i];
				v->lieu[j] = v->first + i;
				break;
			}
		}
	}
	for (size_t k = lb; k < cal->ndated && cal->dated[k].date <= last; k++) {
		const struct cal_dated *e = &cal->dated[k];
		int i = (int)(e->date - v->first);
		if (e->kind == DATED_HOLIDAY)
			continue;
		v->kind[i] = e->kind == DATED_OFF ? KN_CALENDAR_OFF
						  : KN_CALENDAR_WORK;
		v->name[i] = e->name;
		v->lieu[i] = 0;
	}
	v->cum[0] = 0;
	for (int i = 0; i < v->n; i++)
		v->cum[i + 1] = (uint16_t)(v->cum[i] + (v->kind[i] == KN_CALENDAR_WORKING ||
							v->kind[i] == KN_CALENDAR_WORK));
}

static int in_range(int32_t date)
{
	return date >= KN_DATE_MIN && date <= KN_DATE_MAX;
}

/* The calendar's years as day-by-day views, two kept: a walk over days
 * (add) or a span counted (between) builds each year once, a span that
 * crosses New Year reads both, and the spans counted one after another
 * (kn_calendar_days_between) mostly fall in the same year or two. */
struct kn_calendar_days {
	const struct kn_calendar *cal;
	struct year_view v[2];
	int next; /* the view to rebuild next */
};

struct kn_calendar_days *kn_calendar_days_new(const struct kn_calendar *cal)
{
	struct kn_calendar_days *d = malloc(sizeof(*d));
	if (!d)
		return NULL;
	d->cal = cal;
	d->v[0].year = d->v[1].year = INT_MIN;
	d->next = 0;
	return d;
}

void kn_calendar_days_free(struct kn_calendar_days *d)
{
	free(d);
}

/* The view of date's year, built when neither kept view is that year's
 * (a view's own year: its days after the lead-in). */
static struct year_view *view_of(struct kn_calendar_days *d, int32_t date)
{
	for (int k = 0; k < 2; k++) {
		struct year_view *w = &d->v[k];
		if (w->year != INT_MIN && date >= w->first + LEAD_IN &&
		    date < w->first + w->n)
			return w;
	}
	int year;
	kn_date_to_ymd(date, &year, NULL, NULL);
	struct year_view *v = &d->v[d->next];
	d->next ^= 1;
	build_year(d->cal, year, v);
	return v;
}

/* Looks date up in the view of its year */
static void view_day(struct kn_calendar_days *d, int32_t date,
		     struct kn_calendar_day *out)
{
	struct year_view *v = view_of(d, date);
	int i = (int)(date - v->first);
	out->kind = (enum kn_calendar_kind)v->kind[i];
	out->working = out->kind == KN_CALENDAR_WORKING ||
		       out->kind == KN_CALENDAR_WORK;
	out->name = v->name[i];
	out->in_lieu_of = v->lieu[i];
}

int kn_calendar_day_info(const struct kn_calendar *cal, int32_t date,
			 struct kn_calendar_day *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = KN_CALENDAR_WORKING;
	out->working = 1;
	if (!in_range(date))
		return -1;
	struct kn_calendar_days *d = kn_calendar_days_new(cal);
	if (!d)
		return -1;
	view_day(d, date, out);
	kn_calendar_days_free(d);
	return 0;
}

int kn_calendar_is_working_day(const struct kn_calendar *cal, int32_t date)
{
	struct kn_calendar_day d;
	if (kn_calendar_day_info(cal, date, &d) < 0)
		return 0;
	return d.working;
}

#define MAX_ADD 100000
#define MAX_GAP 3660 /* consecutive days off before giving up */

int kn_calendar_add_working_days(const struct kn_calendar *cal, int32_t date,
				 int n, int32_t *out)
{
	if (n < 0 || n > MAX_ADD || !in_range(date))
		return -1;
	if (n == 0) {
		*out = date;
		return 0;
	}
	struct kn_calendar_days *d = kn_calendar_days_new(cal);
	if (!d)
		return -1;
	int rc = -1, count = 0, gap = 0;
	int32_t cur = date;
	while (count < n) {
		if (cur >= KN_DATE_MAX)
			goto out;
		cur++;
		struct kn_calendar_day day;
		view_day(d, cur, &day);
		if (day.working) {
			count++;
			gap = 0;
		} else if (++gap > MAX_GAP) {
			goto out;
		}
	}
	*out = cur;
	rc = 0;
out:
	kn_calendar_days_free(d);
	return rc;
}

int kn_calendar_days_between(struct kn_calendar_days *d, int32_t from,
			     int32_t to, int *out)
{
	if (!in_range(from) || !in_range(to))
		return -1;
	int sign = 1;
	if (to < from) {
		int32_t t = from;
		from = to;
		to = t;
		sign = -1;
	}
	/* (from, to] a year's view at a time, each part from its sums */
	int count = 0;
	for (int32_t day = from + 1; day <= to;) {
		struct year_view *v = view_of(d, day);
		int i = (int)(day - v->first), j = v->n - 1;
		if (to - v->first < j)
			j = (int)(to - v->first);
		count += v->cum[j + 1] - v->cum[i];
		day = v->first + j + 1;
	}
	*out = sign * count;
	return 0;
}

int kn_calendar_working_days_between(const struct kn_calendar *cal,
				     int32_t from, int32_t to, int *out)
{
	struct kn_calendar_days *d = kn_calendar_days_new(cal);
	if (!d)
		return -1;
	int rc = kn_calendar_days_between(d, from, to, out);
	kn_calendar_days_free(d);
	return rc;
}

int kn_calendar_deadline(const struct kn_calendar *cal, const struct kn_tz *tz,
			 int64_t filed_at, int n, int64_t *due)
{
	int32_t day;
	if (kn_calendar_add_working_days(cal, kn_tz_local_date(tz, filed_at), n,
					 &day) < 0)
		return -1;
	*due = kn_tz_end_of_local_day(tz, day);
	return 0;
}

/* ---- the built-in calendar ------------------------------------------------ */

/* A copy of data/calendar/kz.txt, one "...\n" literal per line. After
 * editing that file, regenerate this block (test_calendar fails until the
 * two are byte-for-byte equal). */
static const char default_text[] =
	/* BEGIN kz.txt */
	"# Kenes working-day calendar: Republic of Kazakhstan (the built-in default).\n"
	"# Format: docs/calendar.md. Check an edited copy with\n"
	"#   kenes calendar check --calendar FILE\n"
	"#\n"
	"# OPERATOR: the fixed rules below follow the Law \"On holidays in the Republic\n"
	"# of Kazakhstan\" and the Labour Code as of 2025. The dated entries (Kurban\n"
	"# ait and the government's / labour ministry's moved days off) are per year\n"
	"# and MUST be checked against the decree published for each year, and added\n"
	"# for new years, before deadlines are relied on. Entries marked ESTIMATE or\n"
	"# UNVERIFIED are not confirmed.\n"
	"\n"
	"weekend sat sun\n"
	"\n"
	"# Holidays on fixed dates. \"moves\": when it falls on a Saturday or Sunday,\n"
	"# the next working day after it is a day off. \"nomove\": religious holidays,\n"
	"# which are days off but give no extra day when they fall on a weekend.\n"
	"fixed 01-01 moves New Year's Day\n"
	"fixed 01-02 moves New Year's Day\n"
	"fixed 01-07 nomove Orthodox Christmas\n"
	"fixed 03-08 moves International Women's Day\n"
	"fixed 03-21 moves Nauryz meiramy\n"
	"fixed 03-22 moves Nauryz meiramy\n"
	"fixed 03-23 moves Nauryz meiramy\n"
	"fixed 05-01 moves Kazakhstan People's Unity Day\n"
	"fixed 05-07 moves Defender of the Fatherland Day\n"
	"fixed 05-09 moves Victory Day\n"
	"fixed 07-06 moves Capital Day\n"
	"fixed 08-30 moves Constitution Day\n"
	"fixed 10-25 moves from 2022 Republic Day\n"
	"fixed 12-01 moves until 2021 First President Day\n"
	"fixed 12-16 moves Independence Day\n"
	"# Independence Day was two days (16-17 December) until the September 2022\n"
	"# amendment; UNVERIFIED whether 17 December 2022 was still a holiday.\n"
	"fixed 12-17 moves until 2021 Independence Day\n"
	"\n"
	"# ---- 2018 (Government decree: days off moved from Saturdays) ----\n"
	"holiday 2018-08-21 nomove Kurban ait\n"
	"work 2018-03-03 Working Saturday (day off moved to 9 March)\n"
	"off 2018-03-09 Day off moved from Saturday 3 March\n"
	"work 2018-04-28 Working Saturday (day off moved to 30 April)\n"
	"off 2018-04-30 Day off moved from Saturday 28 April\n"
	"work 2018-05-05 Working Saturday (day off moved to 8 May)\n"
	"off 2018-05-08 Day off moved from Saturday 5 May\n"
	"work 2018-08-25 Working Saturday (day off moved to 31 August)\n"
	"off 2018-08-31 Day off moved from Saturday 25 August\n"
	"work 2018-12-29 Working Saturday (day off moved to 31 December)\n"
	"off 2018-12-31 Day off moved from Saturday 29 December\n"
	"\n"
	"# ---- 2019 (no decree moves; transfers by the rule only) ----\n"
	"holiday 2019-08-11 nomove Kurban ait\n"
	"\n"
	"# ---- 2020 ----\n"
	"holiday 2020-07-31 nomove Kurban ait\n"
	"off 2020-01-03 Day off moved from Sunday 5 January\n"
	"work 2020-01-05 Working Sunday (day off moved to 3 January)\n"
	"off 2020-05-08 Day off moved from Monday 11 May\n"
	"work 2020-05-11 Working day (day off in lieu of Victory Day moved to 8 May)\n"
	"off 2020-12-18 Day off moved from Sunday 20 December\n"
	"work 2020-12-20 Working Sunday (day off moved to 18 December)\n"
	"\n"
	"# ---- 2021 ----\n"
	"holiday 2021-07-20 nomove Kurban ait\n"
	"work 2021-07-03 Working Saturday (day off moved to 5 July)\n"
	"off 2021-07-05 Day off moved from Saturday 3 July\n"
	"\n"
	"# ---- 2022 (Government decree No. 713 of 6 October 2021, amended) ----\n"
	"holiday 2022-07-09 nomove Kurban ait\n"
	"work 2022-03-05 Working Saturday (day off moved to 7 March)\n"
	"off 2022-03-07 Day off moved from Saturday 5 March\n"
	"work 2022-08-27 Working Saturday (day off moved to 29 August)\n"
	"off 2022-08-29 Day off moved from Saturday 27 August\n"
	"work 2022-10-22 Working Saturday (day off moved to 24 October)\n"
	"off 2022-10-24 Day off moved from Saturday 22 October\n"
	"\n"
	"# ---- 2023 ----\n"
	"holiday 2023-06-28 nomove Kurban ait\n"
	"work 2023-07-01 Working Saturday (day off moved to 7 July)\n"
	"off 2023-07-07 Day off moved from Saturday 1 July\n"
	"\n"
	"# ---- 2024 ----\n"
	"holiday 2024-06-16 nomove Kurban ait\n"
	"work 2024-05-04 Working Saturday (day off moved to 8 May)\n"
	"off 2024-05-08 Day off moved from Saturday 4 May\n"
	"\n"
	"# ---- 2025 ----\n"
	"holiday 2025-06-06 nomove Kurban ait\n"
	"off 2025-01-03 Day off moved from Sunday 5 January\n"
	"work 2025-01-05 Working Sunday (day off moved to 3 January)\n"
	"\n"
	"# ---- 2026 (no decree moves known when this file was written) ----\n"
	"# Date announced by the Spiritual Administration of Muslims of Kazakhstan;\n"
	"# it may shift by one day with the new moon.\n"
	"holiday 2026-05-27 nomove Kurban ait\n"
	"\n"
	"# ---- 2027 (no decree moves known) ----\n"
	"# ESTIMATE from the astronomical calendar: replace with the announced date.\n"
	"holiday 2027-05-16 nomove Kurban ait\n"
	/* END kz.txt */
	;

const char *kn_calendar_default_text(void)
{
	return default_text;
}

int kn_calendar_default(struct kn_calendar **out)
{
	return kn_calendar_load_string(default_text, sizeof(default_text) - 1,
				       out, NULL, 0);
}
