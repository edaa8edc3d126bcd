/* calendar.h: civil dates and the working-day calendar (weekends, holidays, moved days off) that deadlines are counted with. */
#ifndef KN_CORE_CALENDAR_H
#define KN_CORE_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

/*
 * Civil dates
 * -----------
 * A date is an int32_t day number: days since 1970-01-01 in the proleptic
 * Gregorian calendar (1970-01-01 is 0, 1969-12-31 is -1). Public functions
 * accept dates from 0001-01-01 (KN_DATE_MIN) to 9999-12-31 (KN_DATE_MAX).
 */
#define KN_DATE_MIN (-719162) /* 0001-01-01 */
#define KN_DATE_MAX 2932896   /* 9999-12-31 */
#define KN_DATE_STRLEN 11     /* "YYYY-MM-DD" plus NUL */

int kn_date_is_leap(int year);
/* 28..31; 0 when month is not 1..12. */
int kn_date_days_in_month(int year, int month);
/* 1 when year 1..9999, month 1..12 and day exists in that month. */
int kn_date_valid_ymd(int year, int month, int day);
/* Day number of a date; the fields must satisfy kn_date_valid_ymd (checked
 * by the caller), otherwise the result is meaningless but defined. */
int32_t kn_date_from_ymd(int year, int month, int day);
/* Splits a day number into its fields; any of the pointers may be NULL. */
void kn_date_to_ymd(int32_t date, int *year, int *month, int *day);
/* Parses exactly "YYYY-MM-DD" (no sign, no spaces, a real calendar day).
 * Returns 0 and sets *out, or -1 and leaves *out alone. */
int kn_date_parse(const char *s, int32_t *out);
/* Writes "YYYY-MM-DD" into buf (len >= KN_DATE_STRLEN; shorter is
 * truncated by snprintf rules). Returns buf. */
char *kn_date_format(int32_t date, char *buf, size_t len);
/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int kn_date_weekday(int32_t date);

/*
 * Working-day calendar
 * --------------------
 * A calendar is loaded from a small text format, documented in full in
 * docs/calendar.md. One directive a line; '#' starts a comment line:
 *
 *   weekend sat sun                         days of the week that are off
 *   fixed 03-08 moves International Women's Day
 *   fixed 01-07 nomove Orthodox Christmas
 *   fixed 12-01 moves from 2012 until 2021 First President Day
 *   holiday 2024-06-16 nomove Kurban ait    a holiday on one date only
 *   off 2021-07-05 Day off moved from Saturday 3 July
 *   work 2021-07-03 Working Saturday
 *
 * How a day is decided, for a given year:
 *   1. weekend days are off, other days are working days;
 *   2. `fixed` rules active that year and `holiday` dates are holidays;
 *   3. each `moves` holiday that falls on a weekend day gives a day off "in
 *      lieu" on the next working day after it (the Kazakh rule: when a
 *      holiday and a day off coincide, the next working day is off);
 *      religious holidays are `nomove` and give nothing;
 *   4. `off` and `work` dates (decrees moving days off) override all of
 *      the above.
 *
 * A loaded calendar is immutable: all queries take it const and are safe
 * to call from several threads at once.
 */
struct kn_calendar; /* opaque; owned by the caller, freed by kn_calendar_free */
struct kn_tz;       /* see core/tz.h */

enum kn_calendar_kind {
	KN_CALENDAR_WORKING = 0, /* an ordinary working day */
	KN_CALENDAR_WEEKEND,     /* a weekend day */
	KN_CALENDAR_HOLIDAY,     /* a public holiday (fixed or dated) */
	KN_CALENDAR_IN_LIEU,     /* off because a holiday fell on a weekend */
	KN_CALENDAR_OFF,         /* off by an `off` line (moved day off) */
	KN_CALENDAR_WORK         /* working by a `work` line (e.g. a Saturday) */
};

struct kn_calendar_day {
	enum kn_calendar_kind kind;
	int working;      /* 1 for WORKING and WORK, 0 otherwise */
	const char *name; /* holiday / entry name; NULL for WORKING and
			     WEEKEND; points into the calendar (valid until
			     kn_calendar_free) */
	int32_t in_lieu_of; /* IN_LIEU: the date of the holiday; else 0 */
};

struct kn_calendar_stats {
	int weekend_mask; /* bit (weekday - 1) set for each weekend day */
	int fixed;        /* number of `fixed` rules */
	int dated;        /* number of holiday/off/work dates */
	int first_year;   /* smallest year of a dated entry; 0 when none */
	int last_year;    /* largest year of a dated entry; 0 when none */
};

/* Limits enforced by the parser. */
#define KN_CALENDAR_MAX_TEXT (1024 * 1024)
#define KN_CALENDAR_MAX_LINE 1000
#define KN_CALENDAR_MAX_NAME 200
#define KN_CALENDAR_MAX_ENTRIES 10000

/*
 * Loaders. On success return 0 and set *out to a new calendar the caller
 * owns. On failure return -1, leave *out NULL and, when errbuf is not
 * NULL, write the errors into it: one "line N: message" per line (several
 * when the text has several bad lines), never crash on any input. text
 * need not be NUL-terminated; a NUL byte inside it is an error.
 */
int kn_calendar_load_string(const char *text, size_t len,
			    struct kn_calendar **out, char *errbuf,
			    size_t errlen);
/* As above from a file; errors are "PATH: ..." for I/O and "line N: ..."
 * for content. */
int kn_calendar_load_file(const char *path, struct kn_calendar **out,
			  char *errbuf, size_t errlen);
/* The built-in Kazakhstan calendar (the same text as data/calendar/kz.txt).
 * Returns 0, or -1 on allocation failure. */
int kn_calendar_default(struct kn_calendar **out);
/* The built-in text itself (static storage, NUL-terminated). */
const char *kn_calendar_default_text(void);
/* Frees a calendar; NULL is fine. */
void kn_calendar_free(struct kn_calendar *cal);

void kn_calendar_stats(const struct kn_calendar *cal,
		       struct kn_calendar_stats *out);

/* What a date is and why. Returns 0, or -1 when the date is out of range
 * (out is then left as an ordinary working day without name). */
int kn_calendar_day_info(const struct kn_calendar *cal, int32_t date,
			 struct kn_calendar_day *out);
/* 1 when date is a working day, 0 when not or out of range. */
int kn_calendar_is_working_day(const struct kn_calendar *cal, int32_t date);

/*
 * Deadlines. Adding N working days to date D gives the Nth working day
 * strictly after D: a request filed on Friday with "1 working day" is due
 * on Monday (or the next working day after a holiday), whatever D itself
 * is. N = 0 gives D. N must be 0..100000. Returns 0 and sets *out, or -1
 * (bad N, out of the date range, or no working day within ten years).
 */
int kn_calendar_add_working_days(const struct kn_calendar *cal, int32_t date,
				 int n, int32_t *out);
/*
 * Counts the working days d with from < d <= to (half-open: the start day
 * is not counted, the end day is), so that
 * between(D, add(D, N)) == N. When to < from the result is the negative
 * of between(to, from). Returns 0 and sets *out, or -1 when out of range.
 */
int kn_calendar_working_days_between(const struct kn_calendar *cal,
				     int32_t from, int32_t to, int *out);
/*
 * The same for many spans in a row (a statistics page's appeals): the
 * years' calendars are built once and kept in d, not once per span.
 * kn_calendar_days_new returns NULL when memory runs out; d must not
 * outlive cal.
 */
struct kn_calendar_days;
struct kn_calendar_days *kn_calendar_days_new(const struct kn_calendar *cal);
int kn_calendar_days_between(struct kn_calendar_days *d, int32_t from,
			     int32_t to, int *out);
void kn_calendar_days_free(struct kn_calendar_days *d);
/*
 * The moment a deadline of N working days ends for something filed at
 * filed_at (unix seconds): the local date of filed_at in tz, plus N working
 * days, and the deadline is the END of that local day, returned as the
 * first second of the next local day (exclusive: on time iff t < *due).
 * Returns 0, or -1 as kn_calendar_add_working_days.
 */
int kn_calendar_deadline(const struct kn_calendar *cal, const struct kn_tz *tz,
			 int64_t filed_at, int n, int64_t *due);

#endif
