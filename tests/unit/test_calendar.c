/* test_calendar.c: civil dates, the working-day calendar and its Kazakhstan data, TZif time zones, `kenes calendar`. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd_calendar.h"
#include "core/calendar.h"
#include "core/tz.h"
#include "kt.h"

static struct kn_calendar *kz; /* the built-in calendar, loaded in main */

static int32_t D(const char *s)
{
	int32_t d = 0;
	if (kn_date_parse(s, &d) < 0) {
		fprintf(stderr, "bad test date %s\n", s);
		abort();
	}
	return d;
}

static const char *fmt(int32_t d)
{
	static char buf[4][KN_DATE_STRLEN];
	static int i;
	i = (i + 1) % 4;
	return kn_date_format(d, buf[i], sizeof(buf[i]));
}

static const char *add(const struct kn_calendar *cal, const char *date, int n)
{
	int32_t out;
	if (kn_calendar_add_working_days(cal, D(date), n, &out) < 0)
		return "error";
	return fmt(out);
}

static int working(const char *date)
{
	return kn_calendar_is_working_day(kz, D(date));
}

static enum kn_calendar_kind kind(const char *date)
{
	struct kn_calendar_day d;
	kn_calendar_day_info(kz, D(date), &d);
	return d.kind;
}

static const char *name_of(const char *date)
{
	static struct kn_calendar_day d;
	kn_calendar_day_info(kz, D(date), &d);
	return d.name ? d.name : "(none)";
}

static struct kn_calendar *load(const char *text)
{
	struct kn_calendar *cal = NULL;
	char err[1000];
	if (kn_calendar_load_string(text, strlen(text), &cal, err,
				    sizeof(err)) < 0)
		fprintf(stderr, "load failed: %s\n", err);
	return cal;
}

/* ---- dates ----------------------------------------------------------------- */

static void test_date_parse_format(void)
{
	int32_t d;
	KT_CHECK_INT(kn_date_parse("1970-01-01", &d), 0);
	KT_CHECK_INT(d, 0);
	KT_CHECK_INT(kn_date_parse("1969-12-31", &d), 0);
	KT_CHECK_INT(d, -1);
	KT_CHECK_INT(kn_date_parse("0001-01-01", &d), 0);
	KT_CHECK_INT(d, KN_DATE_MIN);
	KT_CHECK_INT(kn_date_parse("9999-12-31", &d), 0);
	KT_CHECK_INT(d, KN_DATE_MAX);
	KT_CHECK_STR(fmt(D("2024-02-29")), "2024-02-29");
	const char *bad[] = {"",           "2021-7-01",  "2021-07-1",
			     "2021-07-01x", " 2021-07-01", "2021-13-01",
			     "2021-00-10", "2021-02-29", "1900-02-29",
			     "0000-01-01", "2021/07/01", "+021-07-01",
			     "2021-04-31"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = 12345;
		KT_CHECK_INT(kn_date_parse(bad[i], &d), -1);
		KT_CHECK_INT(d, 12345);
	}
	KT_CHECK_INT(kn_date_parse(NULL, &d), -1);
}

static void test_date_roundtrip_and_weekday(void)
{
	/* Every day of 1600..2500 converts both ways and follows the last. */
	int32_t first = kn_date_from_ymd(1600, 1, 1);
	int32_t last = kn_date_from_ymd(2500, 12, 31);
	int py = 1599, pm = 12, pd = 31, bad = 0;
	for (int32_t d = first; d <= last; d++) {
		int y, m, dd;
		kn_date_to_ymd(d, &y, &m, &dd);
		if (kn_date_from_ymd(y, m, dd) != d || !kn_date_valid_ymd(y, m, dd))
			bad++;
		/* the hand-written digits agree with printf's */
		char want[32], got[KN_DATE_STRLEN];
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, dd);
		if (strcmp(kn_date_format(d, got, sizeof(got)), want))
			bad++;
		int next = (dd == pd + 1 && m == pm && y == py) ||
			   (dd == 1 && m == pm + 1 && y == py &&
			    pd == kn_date_days_in_month(py, pm)) ||
			   (dd == 1 && m == 1 && pm == 12 && pd == 31 &&
			    y == py + 1);
		if (!next)
			bad++;
		py = y, pm = m, pd = dd;
	}
	KT_CHECK_INT(bad, 0);
	KT_CHECK_INT(kn_date_weekday(D("1970-01-01")), 4);
	KT_CHECK_INT(kn_date_weekday(D("2024-03-01")), 5);
	KT_CHECK_INT(kn_date_weekday(D("2021-07-03")), 6);
	KT_CHECK_INT(kn_date_weekday(D("1969-12-28")), 7);
	KT_CHECK_INT(kn_date_weekday(D("0001-01-01")), 1);
	char shortbuf[5], farbuf[16];
	KT_CHECK_STR(kn_date_format(D("2024-03-01"), shortbuf, sizeof(shortbuf)), "2024"); /* truncated as by snprintf */
	KT_CHECK_STR(kn_date_format(kn_date_from_ymd(12345, 6, 7), farbuf, sizeof(farbuf)), "12345-06-07");
}

static void test_leap_years(void)
{
	KT_CHECK(kn_date_is_leap(2024));
	KT_CHECK(kn_date_is_leap(2000));
	KT_CHECK(!kn_date_is_leap(1900));
	KT_CHECK(!kn_date_is_leap(2023));
	KT_CHECK_INT(kn_date_days_in_month(2024, 2), 29);
	KT_CHECK_INT(kn_date_days_in_month(2100, 2), 28);
	KT_CHECK_STR(add(kz, "2024-02-28", 1), "2024-02-29");
	KT_CHECK_STR(add(kz, "2023-02-28", 1), "2023-03-01");
	/* A holiday on 29 February exists only in leap years. */
	struct kn_calendar *cal = load("fixed 02-29 moves Leap Day\n");
	KT_CHECK(cal != NULL);
	if (!cal)
		return;
	KT_CHECK(!kn_calendar_is_working_day(cal, D("2024-02-29")));
	KT_CHECK(kn_calendar_is_working_day(cal, D("2023-03-01")));
	/* 2032-02-29 is a Sunday: the day in lieu is Monday 1 March. */
	KT_CHECK(!kn_calendar_is_working_day(cal, D("2032-03-01")));
	kn_calendar_free(cal);
}

/* ---- the calendar ----------------------------------------------------------- */

static void test_weekends(void)
{
	KT_CHECK(!working("2021-07-10")); /* Saturday */
	KT_CHECK(!working("2021-07-11")); /* Sunday */
	KT_CHECK(working("2021-07-12"));
	KT_CHECK_INT(kind("2021-07-11"), KN_CALENDAR_WEEKEND);
	KT_CHECK_STR(add(kz, "2021-07-09", 1), "2021-07-12"); /* Fri + 1 */
	KT_CHECK_STR(add(kz, "2021-07-10", 1), "2021-07-12"); /* Sat + 1 */
	KT_CHECK_STR(add(kz, "2021-07-12", 5), "2021-07-19");
	KT_CHECK_STR(add(kz, "2021-07-12", 0), "2021-07-12");
	KT_CHECK_STR(add(kz, "2021-07-10", 0), "2021-07-10");
	/* Another weekend: Friday only (and an unknown weekday is an error). */
	struct kn_calendar *cal = load("weekend fri\n");
	KT_CHECK(cal != NULL);
	if (cal) {
		KT_CHECK(!kn_calendar_is_working_day(cal, D("2021-07-09")));
		KT_CHECK(kn_calendar_is_working_day(cal, D("2021-07-10")));
		KT_CHECK(kn_calendar_is_working_day(cal, D("2021-07-11")));
		kn_calendar_free(cal);
	}
}

static void test_each_fixed_holiday(void)
{
	static const struct {
		const char *date, *name;
	} h[] = {
		{"2024-01-01", "New Year's Day"},
		{"2024-01-02", "New Year's Day"},
		{"2025-01-07", "Orthodox Christmas"},
		{"2024-03-08", "International Women's Day"},
		{"2024-03-21", "Nauryz meiramy"},
		{"2024-03-22", "Nauryz meiramy"},
		{"2023-03-23", "Nauryz meiramy"},
		{"2024-05-01", "Kazakhstan People's Unity Day"},
		{"2024-05-07", "Defender of the Fatherland Day"},
		{"2024-05-09", "Victory Day"},
		{"2024-08-30", "Constitution Day"},
		{"2024-10-25", "Republic Day"},
		{"2024-12-16", "Independence Day"},
		{"2021-12-01", "First President Day"},
		{"2021-12-17", "Independence Day"},
	};
	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		KT_CHECK(!working(h[i].date));
		KT_CHECK_INT(kind(h[i].date), KN_CALENDAR_HOLIDAY);
		KT_CHECK_STR(name_of(h[i].date), h[i].name);
	}
	/* Capital Day on a weekday. */
	KT_CHECK_INT(kind("2026-07-06"), KN_CALENDAR_HOLIDAY);
	KT_CHECK_STR(name_of("2026-07-06"), "Capital Day");
	/* Holidays with a start or an end. */
	KT_CHECK(working("2021-10-25"));  /* Republic Day only from 2022 */
	KT_CHECK(!working("2022-10-25"));
	KT_CHECK(working("2022-12-01"));  /* First President Day until 2021 */
	KT_CHECK(working("2024-12-17"));  /* Independence Day one day since 2022 */
	KT_CHECK(working("2024-12-31"));  /* 31 December is a working day */
	KT_CHECK(working("2024-01-03"));
}

static void test_holiday_on_weekend_moves_to_monday(void)
{
	struct kn_calendar_day d;
	/* Capital Day 2024 was a Saturday: Monday 8 July is off. */
	KT_CHECK_INT(kn_calendar_day_info(kz, D("2024-07-08"), &d), 0);
	KT_CHECK_INT(d.kind, KN_CALENDAR_IN_LIEU);
	KT_CHECK_INT(d.working, 0);
	KT_CHECK_STR(d.name, "Capital Day");
	KT_CHECK_STR(fmt(d.in_lieu_of), "2024-07-06");
	KT_CHECK(working("2024-07-09"));
	/* Women's Day 2025 on a Saturday: Monday 10 March. */
	KT_CHECK_INT(kind("2025-03-10"), KN_CALENDAR_IN_LIEU);
	/* Victory Day 2021 on a Sunday, Unity Day on a Saturday. */
	KT_CHECK(!working("2021-05-03"));
	KT_CHECK(!working("2021-05-10"));
	/* Defender's Day 2022 on a Saturday: Monday 9 May is Victory Day, so
	 * the day in lieu is the next working day, Tuesday 10 May. */
	KT_CHECK_INT(kind("2022-05-09"), KN_CALENDAR_HOLIDAY);
	KT_CHECK_INT(kind("2022-05-10"), KN_CALENDAR_IN_LIEU);
	KT_CHECK(working("2022-05-11"));
	/* Independence Day 2023 on a Saturday: Monday 18 December. */
	KT_CHECK_INT(kind("2023-12-18"), KN_CALENDAR_IN_LIEU);
	/* Religious holidays do not move: Christmas 2023 on a Saturday,
	 * Kurban ait 2024 on a Sunday. */
	KT_CHECK_INT(kind("2023-01-07"), KN_CALENDAR_HOLIDAY);
	KT_CHECK(working("2023-01-09"));
	KT_CHECK_INT(kind("2024-06-16"), KN_CALENDAR_HOLIDAY);
	KT_CHECK(working("2024-06-17"));
	KT_CHECK_STR(add(kz, "2024-07-05", 1), "2024-07-09");
}

static void test_moved_day_off(void)
{
	/* 2021: Saturday 3 July worked, Monday 5 July off, Tuesday 6 July
	 * Capital Day. */
	KT_CHECK(working("2021-07-03"));
	KT_CHECK_INT(kind("2021-07-03"), KN_CALENDAR_WORK);
	KT_CHECK(!working("2021-07-05"));
	KT_CHECK_INT(kind("2021-07-05"), KN_CALENDAR_OFF);
	KT_CHECK_STR(name_of("2021-07-05"), "Day off moved from Saturday 3 July");
	KT_CHECK_STR(add(kz, "2021-07-02", 1), "2021-07-03");
	KT_CHECK_STR(add(kz, "2021-07-02", 2), "2021-07-07");
	KT_CHECK_STR(add(kz, "2021-07-03", 1), "2021-07-07");
	/* 2020: the day in lieu of Victory Day (Monday 11 May) was moved to
	 * Friday 8 May by decree: `work` overrides the rule. */
	KT_CHECK(!working("2020-05-08"));
	KT_CHECK(working("2020-05-11"));
	KT_CHECK(working("2020-05-12"));
	/* 2025: a working Sunday. */
	KT_CHECK(working("2025-01-05"));
	KT_CHECK(!working("2025-01-03"));
	/* The same in a small calendar of its own. */
	struct kn_calendar *cal = load("weekend sat sun\n"
				       "work 2030-06-01 Working Saturday\n"
				       "off 2030-06-03 Moved day off\n");
	KT_CHECK(cal != NULL);
	if (cal) {
		int32_t out;
		KT_CHECK_INT(kn_calendar_add_working_days(cal, D("2030-05-31"),
							  2, &out), 0);
		KT_CHECK_STR(fmt(out), "2030-06-04");
		kn_calendar_free(cal);
	}
}

static void test_deadline_across_new_year(void)
{
	/* Thu 30 Dec 2021 + 3: Fri 31 Dec works; 1-2 Jan fall on the weekend,
	 * so 3-4 Jan are off in lieu; then Wed 5 and Thu 6 Jan. */
	KT_CHECK_STR(add(kz, "2021-12-30", 1), "2021-12-31");
	KT_CHECK_STR(add(kz, "2021-12-30", 2), "2022-01-05");
	KT_CHECK_STR(add(kz, "2021-12-30", 3), "2022-01-06");
	/* Fri 7 Jan is Orthodox Christmas, then the weekend. */
	KT_CHECK_STR(add(kz, "2021-12-30", 4), "2022-01-10");
	KT_CHECK_INT(kind("2022-01-03"), KN_CALENDAR_IN_LIEU);
	KT_CHECK_INT(kind("2022-01-04"), KN_CALENDAR_IN_LIEU);
	/* 2022-2023: 1 Jan a Sunday, so Tuesday 3 Jan is off. */
	KT_CHECK_STR(add(kz, "2022-12-30", 1), "2023-01-04");
	/* 2024-2025 with the decree: 3 Jan off, Sunday 5 Jan worked. */
	KT_CHECK_STR(add(kz, "2024-12-31", 1), "2025-01-05");
	KT_CHECK_STR(add(kz, "2024-12-31", 2), "2025-01-06");
	int n = -1;
	KT_CHECK_INT(kn_calendar_working_days_between(kz, D("2021-12-30"),
						       D("2022-01-10"), &n), 0);
	KT_CHECK_INT(n, 4);
}

static void test_nauryz(void)
{
	/* 2026: 21-23 March are Saturday to Monday: 24 and 25 off in lieu. */
	for (int day = 21; day <= 25; day++) {
		char s[32];
		snprintf(s, sizeof(s), "2026-03-%02d", day);
		KT_CHECK(!working(s));
	}
	KT_CHECK(working("2026-03-26"));
	KT_CHECK_STR(add(kz, "2026-03-20", 1), "2026-03-26");
	/* 2021: 21 March a Sunday, 22-23 holidays, 24 in lieu. */
	KT_CHECK_INT(kind("2021-03-24"), KN_CALENDAR_IN_LIEU);
	KT_CHECK(working("2021-03-25"));
	/* 2024: 23 March a Saturday, Monday 25 in lieu. */
	KT_CHECK_STR(add(kz, "2024-03-20", 1), "2024-03-26");
}

static void test_between_is_half_open(void)
{
	int n = -1;
	/* (Mon 12 Jul 2021, Mon 19 Jul 2021] holds 5 working days. */
	KT_CHECK_INT(kn_calendar_working_days_between(kz, D("2021-07-12"),
						       D("2021-07-19"), &n), 0);
	KT_CHECK_INT(n, 5);
	KT_CHECK_INT(kn_calendar_working_days_between(kz, D("2021-07-19"),
						       D("2021-07-12"), &n), 0);
	KT_CHECK_INT(n, -5);
	KT_CHECK_INT(kn_calendar_working_days_between(kz, D("2021-07-12"),
						       D("2021-07-12"), &n), 0);
	KT_CHECK_INT(n, 0);
	/* between(D, add(D, n)) == n for every start day of 2019..2027. */
	int bad = 0;
	for (int32_t d = D("2019-01-01"); d <= D("2027-12-31"); d += 3) {
		for (int k = 0; k <= 25; k += 5) {
			int32_t due;
			int got;
			if (kn_calendar_add_working_days(kz, d, k, &due) < 0 ||
			    kn_calendar_working_days_between(kz, d, due, &got) < 0 ||
			    got != k || (k > 0 && !kn_calendar_is_working_day(kz, due)))
				bad++;
		}
	}
	KT_CHECK_INT(bad, 0);
}

/* Whether d counts (from, to] as counting its days one by one does */
static bool span_counted(struct kn_calendar_days *d, int32_t from, int32_t to)
{
	int want = 0, got = -999;
	for (int32_t day = (from < to ? from : to) + 1; day <= (from < to ? to : from); day++)
		want += kn_calendar_is_working_day(kz, day);
	if (to < from)
		want = -want;
	return kn_calendar_days_between(d, from, to, &got) == 0 && got == want;
}

/* One counter over many spans (a statistics page's): the same as counting
 * each span's working days one by one, in any order of spans, across
 * years, backwards, and jumping between three years so that its two kept
 * years are replaced. */
static void test_days_counter_reused(void)
{
	struct kn_calendar_days *d = kn_calendar_days_new(kz);
	KT_CHECK(d != NULL);
	if (!d)
		return;
	int bad = 0, spans = 0;
	uint32_t seed = 12345;
	for (int i = 0; i < 3000; i++) {
		seed = seed * 1103515245u + 12345u;
		int32_t from = D("2020-11-01") + (int32_t)(seed >> 8) % (3 * 366);
		seed = seed * 1103515245u + 12345u;
		int32_t to = from + (int32_t)((seed >> 8) % 121) - 30;
		bad += !span_counted(d, from, to);
		spans++;
	}
	KT_CHECK_INT(spans, 3000);
	KT_CHECK_INT(bad, 0);
	int n = 7;
	KT_CHECK_INT(kn_calendar_days_between(d, KN_DATE_MAX + 1, D("2021-01-01"), &n), -1);
	KT_CHECK_INT(n, 7);
	kn_calendar_days_free(d);
}

/* Spans of up to four years, and spans that start or end on a year's
 * first or last day: counted a year at a time from the views' sums, they
 * must be what counting their days one by one gives. */
static void test_days_long_spans(void)
{
	struct kn_calendar_days *d = kn_calendar_days_new(kz);
	KT_CHECK(d != NULL);
	if (!d)
		return;
	int bad = 0, spans = 0;
	uint32_t seed = 777;
	for (int i = 0; i < 400; i++) {
		int32_t from, to;
		if (i < 40) { /* around New Year: Dec 30 .. Jan 2 to Dec 30 .. Jan 2 */
			from = D("2021-12-30") + i % 4 + 365 * (i / 20);
			to = D("2022-12-30") + (i / 4) % 4 + 365 * ((i / 8) % 3);
		} else {
			seed = seed * 1103515245u + 12345u;
			from = D("2018-01-01") + (int32_t)(seed >> 8) % (6 * 365);
			seed = seed * 1103515245u + 12345u;
			to = from + (int32_t)((seed >> 8) % (8 * 366)) - 4 * 366;
		}
		bad += !span_counted(d, from, to);
		spans++;
	}
	KT_CHECK_INT(spans, 400);
	KT_CHECK_INT(bad, 0);
	/* one day: a working Monday, a Sunday, New Year's Day */
	int n = -1;
	KT_CHECK_INT(kn_calendar_days_between(d, D("2021-07-11"), D("2021-07-12"), &n), 0);
	KT_CHECK_INT(n, 1);
	KT_CHECK_INT(kn_calendar_days_between(d, D("2021-07-10"), D("2021-07-11"), &n), 0);
	KT_CHECK_INT(n, 0);
	KT_CHECK_INT(kn_calendar_days_between(d, D("2021-12-31"), D("2022-01-01"), &n), 0);
	KT_CHECK_INT(n, 0);
	kn_calendar_days_free(d);
}

static void test_add_limits(void)
{
	int32_t out = 7;
	KT_CHECK_INT(kn_calendar_add_working_days(kz, D("2021-01-01"), -1, &out), -1);
	KT_CHECK_INT(kn_calendar_add_working_days(kz, D("2021-01-01"), 100001, &out), -1);
	KT_CHECK_INT(kn_calendar_add_working_days(kz, D("9999-12-30"), 5, &out), -1);
	KT_CHECK_INT(kn_calendar_add_working_days(kz, KN_DATE_MAX + 1, 0, &out), -1);
	KT_CHECK_INT(out, 7);
	KT_CHECK_INT(kn_calendar_add_working_days(kz, D("0001-01-01"), 10, &out), 0);
	/* A six-day weekend still counts (Sundays only). */
	struct kn_calendar *cal = load("weekend mon tue wed thu fri sat\n");
	KT_CHECK(cal != NULL);
	if (cal) {
		KT_CHECK_INT(kn_calendar_add_working_days(cal, D("2021-01-01"),
							  3, &out), 0);
		KT_CHECK_STR(fmt(out), "2021-01-17");
		kn_calendar_free(cal);
	}
}

/* ---- the text format ------------------------------------------------------------ */

static int load_err(const char *text, size_t len, char *err, size_t errlen)
{
	static char sentinel;
	/* Starts non-NULL: a failed load must reset it to NULL. */
	struct kn_calendar *cal = (struct kn_calendar *)&sentinel;
	int rc = kn_calendar_load_string(text, len, &cal, err, errlen);
	if (rc == 0)
		kn_calendar_free(cal);
	else if (cal != NULL)
		return 99;
	return rc;
}

static void test_parse_errors_name_lines(void)
{
	char err[2000];
	const char *text = "# comment\n"
			   "weekend sat sun\n"
			   "fixd 01-01 moves Typo\n"
			   "fixed 01-01 moves New Year\n"
			   "off 2021-02-30 Not a day\n"
			   "work 2021-07-03\n"
			   "fixed 13-01 moves Bad month\n"
			   "fixed 01-01 moves Again\n"
			   "holiday 2024-06-16 sometimes Kurban ait\n"
			   "weekend sun\n";
	KT_CHECK_INT(load_err(text, strlen(text), err, sizeof(err)), -1);
	KT_CHECK(strstr(err, "line 3: unknown directive \"fixd\"") != NULL);
	KT_CHECK(strstr(err, "line 5: off: expected a date YYYY-MM-DD") != NULL);
	KT_CHECK(strstr(err, "line 6: a name is required") != NULL);
	KT_CHECK(strstr(err, "line 7: fixed: \"13-01\" is not a valid MM-DD") != NULL);
	KT_CHECK(strstr(err, "line 8: fixed: 01-01 is already a holiday on line 4") != NULL);
	KT_CHECK(strstr(err, "line 9: expected \"moves\" or \"nomove\"") != NULL);
	KT_CHECK(strstr(err, "line 10: second weekend line (the first is line 2)") != NULL);
	KT_CHECK(strstr(err, "line 4:") == NULL);

	const char *dup = "off 2021-07-05 A\n\nwork 2021-07-05 B\n";
	KT_CHECK_INT(load_err(dup, strlen(dup), err, sizeof(err)), -1);
	KT_CHECK_STR(err, "line 3: 2021-07-05 is already listed on line 1");

	const char *seven = "weekend mon tue wed thu fri sat sun\n";
	KT_CHECK_INT(load_err(seven, strlen(seven), err, sizeof(err)), -1);
	KT_CHECK_STR(err, "line 1: weekend cannot be all seven days");

	const char nul[] = "fixed 01-01 moves New\0Year\n";
	KT_CHECK_INT(load_err(nul, sizeof(nul) - 1, err, sizeof(err)), -1);
	KT_CHECK_STR(err, "line 1: NUL byte in line");

	const char *range = "fixed 12-01 moves from 2022 until 2021 Backwards\n";
	KT_CHECK_INT(load_err(range, strlen(range), err, sizeof(err)), -1);
	KT_CHECK_STR(err, "line 1: fixed: until 2021 is before from 2022");

	/* Errors with no buffer, or a tiny one, are still errors. */
	KT_CHECK_INT(load_err(text, strlen(text), NULL, 0), -1);
	char tiny[6];
	KT_CHECK_INT(load_err(text, strlen(text), tiny, sizeof(tiny)), -1);
	KT_CHECK_STR(tiny, "line ");

	/* Many bad lines: the report stops, the parser does not. */
	char many[4000];
	for (int i = 0; i < 60; i++)
		memcpy(many + 6 * i, "bogus\n", 6);
	many[360] = '\0';
	KT_CHECK_INT(load_err(many, strlen(many), err, sizeof(err)), -1);
	KT_CHECK(strstr(err, "too many errors") != NULL);
}

static void test_parse_accepts(void)
{
	char err[500];
	/* CRLF, blanks, tabs, comments, no final newline, empty text. */
	const char *text = "\r\n  # x\r\n\tweekend\tSAT sun \r\n"
			   "fixed 05-01 nomove from 1996 Unity Day  \r\n"
			   "holiday 2024-06-16 moves A  name  with spaces";
	struct kn_calendar *cal = NULL;
	KT_CHECK_INT(kn_calendar_load_string(text, strlen(text), &cal, err,
					     sizeof(err)), 0);
	KT_CHECK(cal != NULL);
	if (cal) {
		struct kn_calendar_day d;
		kn_calendar_day_info(cal, D("2024-06-16"), &d);
		KT_CHECK_STR(d.name, "A  name  with spaces");
		kn_calendar_day_info(cal, D("2024-06-17"), &d);
		KT_CHECK_INT(d.kind, KN_CALENDAR_IN_LIEU);
		kn_calendar_day_info(cal, D("1995-05-01"), &d);
		KT_CHECK_INT(d.kind, KN_CALENDAR_WORKING);
		kn_calendar_free(cal);
	}
	KT_CHECK_INT(kn_calendar_load_string("", 0, &cal, err, sizeof(err)), 0);
	kn_calendar_free(cal);
	KT_CHECK_INT(kn_calendar_load_string(NULL, 0, &cal, err, sizeof(err)), 0);
	kn_calendar_free(cal);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	*len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	if (buf)
		buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void test_default_is_data_file(void)
{
	size_t len = 0;
	char *file = read_all("data/calendar/kz.txt", &len);
	KT_CHECK(file != NULL);
	if (!file)
		return;
	KT_CHECK_INT(len, strlen(kn_calendar_default_text()));
	KT_CHECK(strcmp(file, kn_calendar_default_text()) == 0);
	free(file);
	struct kn_calendar *cal = NULL;
	char err[500];
	KT_CHECK_INT(kn_calendar_load_file("data/calendar/kz.txt", &cal, err,
					   sizeof(err)), 0);
	KT_CHECK(cal != NULL);
	if (cal) {
		struct kn_calendar_stats st;
		kn_calendar_stats(cal, &st);
		KT_CHECK_INT(st.weekend_mask, 0x60);
		KT_CHECK(st.first_year <= 2019 && st.last_year >= 2027);
		kn_calendar_free(cal);
	}
	KT_CHECK_INT(kn_calendar_load_file("/nonexistent/kz.txt", &cal, err,
					   sizeof(err)), -1);
	KT_CHECK(strstr(err, "/nonexistent/kz.txt: ") == err);
}

/* ---- time zones -------------------------------------------------------------------- */

static int64_t utc(const char *date, int h, int m, int s)
{
	return (int64_t)D(date) * 86400 + h * 3600 + m * 60 + s;
}

static void test_tz_almaty_2024_change(void)
{
	char err[300];
	struct kn_tz *tz = NULL;
	KT_CHECK_INT(kn_tz_load("Asia/Almaty", &tz, err, sizeof(err)), 0);
	if (!tz) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	KT_CHECK_STR(kn_tz_name(tz), "Asia/Almaty");
	/* UTC+6 until local midnight of 1 March 2024, then UTC+5: clocks went
	 * from 23:59:59 (+06) back to 23:00 (+05) on 29 February. */
	KT_CHECK_INT(kn_tz_offset(tz, utc("2023-07-01", 0, 0, 0)), 6 * 3600);
	KT_CHECK_INT(kn_tz_offset(tz, utc("2024-02-29", 17, 59, 59)), 6 * 3600);
	KT_CHECK_INT(kn_tz_offset(tz, utc("2024-02-29", 18, 0, 0)), 5 * 3600);
	KT_CHECK_INT(kn_tz_offset(tz, utc("2040-07-01", 0, 0, 0)), 5 * 3600);
	KT_CHECK_STR(fmt(kn_tz_local_date(tz, utc("2024-02-29", 17, 59, 59))),
		     "2024-02-29");
	/* 18:30Z is 23:30 (+05) on 29 February again. */
	KT_CHECK_STR(fmt(kn_tz_local_date(tz, utc("2024-02-29", 18, 30, 0))),
		     "2024-02-29");
	KT_CHECK_STR(fmt(kn_tz_local_date(tz, utc("2024-02-29", 19, 0, 0))),
		     "2024-03-01");
	KT_CHECK_STR(fmt(kn_tz_local_date(tz, utc("2023-12-31", 18, 0, 0))),
		     "2024-01-01");
	/* Local day boundaries around the change. */
	KT_CHECK_INT(kn_tz_start_of_local_day(tz, D("2024-02-29")),
		     utc("2024-02-28", 18, 0, 0));
	KT_CHECK_INT(kn_tz_end_of_local_day(tz, D("2024-02-29")),
		     utc("2024-02-29", 19, 0, 0));
	KT_CHECK_INT(kn_tz_end_of_local_day(tz, D("2024-03-01")),
		     utc("2024-03-01", 19, 0, 0));
	int64_t t = 0;
	KT_CHECK_INT(kn_tz_utc_from_local(tz, D("2024-02-29"), 23 * 3600 + 1800, &t), 0);
	KT_CHECK_INT(t, utc("2024-02-29", 17, 30, 0)); /* first of the two */
	KT_CHECK_INT(kn_tz_utc_from_local(tz, D("2024-02-29"), 86400, &t), -1);

	/* A deadline of 1 working day filed on Friday 1 March 2024 at 17:00
	 * local ends with Monday 4 March, local time. */
	int64_t due = 0;
	KT_CHECK_INT(kn_calendar_deadline(kz, tz, utc("2024-03-01", 12, 0, 0),
					  1, &due), 0);
	KT_CHECK_INT(due, utc("2024-03-04", 19, 0, 0));
	/* Filed late on Thursday 29 Feb (00:30 on 1 March at the old +06
	 * would still be 29 Feb at +05): counted from Thursday. */
	KT_CHECK_INT(kn_calendar_deadline(kz, tz, utc("2024-02-29", 18, 30, 0),
					  1, &due), 0);
	KT_CHECK_INT(due, utc("2024-03-01", 19, 0, 0));
	kn_tz_free(tz);
}

static void test_tz_dst_rules_and_errors(void)
{
	char err[300];
	struct kn_tz *tz = NULL;
	KT_CHECK_INT(kn_tz_load("Europe/Berlin", &tz, err, sizeof(err)), 0);
	if (tz) {
		/* 2030 is past the file's transitions: the footer rule. */
		KT_CHECK_INT(kn_tz_offset(tz, utc("2030-01-15", 12, 0, 0)), 3600);
		KT_CHECK_INT(kn_tz_offset(tz, utc("2030-07-15", 12, 0, 0)), 7200);
		KT_CHECK_INT(kn_date_weekday(D("2030-03-31")), 7);
		KT_CHECK_INT(kn_tz_offset(tz, utc("2030-03-31", 0, 59, 59)), 3600);
		KT_CHECK_INT(kn_tz_offset(tz, utc("2030-03-31", 1, 0, 0)), 7200);
		int64_t t = 0;
		/* 02:30 does not exist that night: the gap ends at 01:00Z. */
		KT_CHECK_INT(kn_tz_utc_from_local(tz, D("2030-03-31"), 9000, &t), 1);
		KT_CHECK_INT(t, utc("2030-03-31", 1, 0, 0));
		/* 02:30 on 27 October 2030 happens twice: the first is CEST. */
		KT_CHECK_INT(kn_tz_utc_from_local(tz, D("2030-10-27"), 9000, &t), 0);
		KT_CHECK_INT(t, utc("2030-10-27", 0, 30, 0));
		KT_CHECK_INT(kn_tz_offset(tz, utc("1995-07-01", 0, 0, 0)), 7200);
		kn_tz_free(tz);
	}
	const struct kn_tz *a = kn_tz_shared("UTC", err, sizeof(err));
	const struct kn_tz *b = kn_tz_shared("UTC", err, sizeof(err));
	KT_CHECK(a != NULL && a == b);
	if (a)
		KT_CHECK_INT(kn_tz_offset(a, 0), 0);
	KT_CHECK(kn_tz_shared("../../etc/passwd", err, sizeof(err)) == NULL);
	KT_CHECK(strstr(err, "invalid time zone name") != NULL);
	KT_CHECK_INT(kn_tz_load("/etc/localtime", &tz, err, sizeof(err)), -1);
	KT_CHECK_INT(kn_tz_load("No/Such_Zone", &tz, err, sizeof(err)), -1);
	KT_CHECK(strstr(err, "No/Such_Zone") != NULL);

	/* Every prefix of a real file is refused cleanly. */
	size_t len = 0;
	char *bytes = read_all("/usr/share/zoneinfo/Asia/Almaty", &len);
	KT_CHECK(bytes != NULL);
	if (bytes) {
		int accepted = 0;
		for (size_t n = 0; n < len; n++) {
			if (kn_tz_load_bytes((unsigned char *)bytes, n, "x", &tz,
					     err, sizeof(err)) == 0) {
				accepted++;
				kn_tz_free(tz);
			}
		}
		KT_CHECK_INT(accepted, 0);
		KT_CHECK_INT(kn_tz_load_bytes((unsigned char *)bytes, len, NULL,
					      &tz, err, sizeof(err)), 0);
		kn_tz_free(tz);
		free(bytes);
	}
}

/* ---- the command ------------------------------------------------------------------- */

static int run(const char *args[], int argc, char **out, char **err)
{
	size_t olen, elen;
	FILE *fo = open_memstream(out, &olen), *fe = open_memstream(err, &elen);
	int rc = kn_cmd_calendar_io(argc, (char **)args, fo, fe);
	fclose(fo);
	fclose(fe);
	return rc;
}

static void test_cli_add(void)
{
	char *out = NULL, *err = NULL;
	const char *a1[] = {"calendar", "add", "2021-12-30", "3", NULL};
	KT_CHECK_INT(run(a1, 4, &out, &err), 0);
	KT_CHECK_STR(out,
		     "2021-12-30 + 3 working days = 2022-01-06 (Thursday)\n"
		     "Days off skipped:\n"
		     "  2022-01-01 Sat  holiday      New Year's Day\n"
		     "  2022-01-02 Sun  holiday      New Year's Day\n"
		     "  2022-01-03 Mon  day off      in lieu of New Year's Day (2022-01-01)\n"
		     "  2022-01-04 Tue  day off      in lieu of New Year's Day (2022-01-02)\n");
	KT_CHECK_STR(err, "");
	free(out);
	free(err);

	const char *a2[] = {"calendar", "add", "2021-07-02", "1", NULL};
	KT_CHECK_INT(run(a2, 4, &out, &err), 0);
	KT_CHECK_STR(out, "2021-07-02 + 1 working day = 2021-07-03 (Saturday)\n"
			  "No days off skipped.\n");
	free(out);
	free(err);

	const char *a5[] = {"calendar", "add", "2024-03-01", "1", "--calendar",
			    "data/calendar/kz.txt", NULL};
	KT_CHECK_INT(run(a5, 6, &out, &err), 0);
	KT_CHECK_STR(out, "2024-03-01 + 1 working day = 2024-03-04 (Monday)\n"
			  "Days off skipped:\n"
			  "  2024-03-02 Sat  weekend\n"
			  "  2024-03-03 Sun  weekend\n");
	free(out);
	free(err);

	const char *a3[] = {"calendar", "add", "2021-12-30", "three", NULL};
	KT_CHECK_INT(run(a3, 4, &out, &err), 2);
	KT_CHECK(strstr(err, "N must be a whole number") != NULL);
	free(out);
	free(err);

	const char *a4[] = {"calendar", "add", "2021-02-30", "1", NULL};
	KT_CHECK_INT(run(a4, 4, &out, &err), 2);
	free(out);
	free(err);
}

static void test_cli_month_check_help(void)
{
	char *out = NULL, *err = NULL;
	const char *m[] = {"calendar", "month", "2021-07", NULL};
	KT_CHECK_INT(run(m, 3, &out, &err), 0);
	KT_CHECK(strstr(out, "  5*  6*  7   8   9  10. 11.\n") != NULL);
	KT_CHECK(strstr(out, "2021-07-03 Sat  working day  Working Saturday") != NULL);
	KT_CHECK(strstr(out, "Working days: 20 of 31\n") != NULL);
	free(out);
	free(err);

	const char *c[] = {"calendar", "check", NULL};
	KT_CHECK_INT(run(c, 2, &out, &err), 0);
	KT_CHECK(strstr(out, ": ok, ") != NULL);
	free(out);
	free(err);

	char path[] = "/tmp/kenes-test-calendar-XXXXXX";
	int fd = mkstemp(path);
	KT_CHECK(fd >= 0);
	if (fd >= 0) {
		const char *bad = "weekend sat sun\nfixed 02-30 moves Nope\n";
		KT_CHECK_INT(write(fd, bad, strlen(bad)), (long long)strlen(bad));
		close(fd);
		const char *c2[] = {"calendar", "check", "--calendar", path, NULL};
		KT_CHECK_INT(run(c2, 4, &out, &err), 1);
		char want[200];
		snprintf(want, sizeof(want),
			 "%s: line 2: fixed: \"02-30\" is not a valid MM-DD\n", path);
		KT_CHECK_STR(err, want);
		free(out);
		free(err);
		unlink(path);
	}

	const char *h[] = {"calendar", "--help", NULL};
	KT_CHECK_INT(run(h, 2, &out, &err), 0);
	KT_CHECK(strstr(out, "usage: kenes calendar") == out);
	free(out);
	free(err);
	const char *h2[] = {"calendar", "add", "--help", NULL};
	KT_CHECK_INT(run(h2, 3, &out, &err), 0);
	KT_CHECK(strstr(out, "usage: kenes calendar add") == out);
	free(out);
	free(err);
	const char *u[] = {"calendar", "frobnicate", NULL};
	KT_CHECK_INT(run(u, 2, &out, &err), 2);
	free(out);
	free(err);
	const char *u2[] = {"calendar", NULL};
	KT_CHECK_INT(run(u2, 1, &out, &err), 2);
	free(out);
	free(err);
	const char *u3[] = {"calendar", "month", "2021-07", "--bogus", NULL};
	KT_CHECK_INT(run(u3, 4, &out, &err), 2);
	free(out);
	free(err);
}

int main(void)
{
	KT_NAME("test_calendar");
	if (kn_calendar_default(&kz) < 0) {
		fprintf(stderr, "the built-in calendar does not load\n");
		return 1;
	}
	KT_RUN(test_date_parse_format);
	KT_RUN(test_date_roundtrip_and_weekday);
	KT_RUN(test_leap_years);
	KT_RUN(test_weekends);
	KT_RUN(test_each_fixed_holiday);
	KT_RUN(test_holiday_on_weekend_moves_to_monday);
	KT_RUN(test_moved_day_off);
	KT_RUN(test_deadline_across_new_year);
	KT_RUN(test_nauryz);
	KT_RUN(test_between_is_half_open);
	KT_RUN(test_days_counter_reused);
	KT_RUN(test_days_long_spans);
	KT_RUN(test_add_limits);
	KT_RUN(test_parse_errors_name_lines);
	KT_RUN(test_parse_accepts);
	KT_RUN(test_default_is_data_file);
	KT_RUN(test_tz_almaty_2024_change);
	KT_RUN(test_tz_dst_rules_and_errors);
	KT_RUN(test_cli_add);
	KT_RUN(test_cli_month_check_help);
	kn_calendar_free(kz);
	KT_DONE();
}
