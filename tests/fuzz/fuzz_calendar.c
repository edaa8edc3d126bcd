/* fuzz_calendar.c: libFuzzer target for the calendar text parser and the queries on what it accepts. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fz.h"

#include "core/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_calendar *cal = NULL;
	char err[512];
	if (kn_calendar_load_string((const char *)data, size, &cal, err,
				    sizeof(err)) != 0) {
		/* A failed load returns no calendar and a terminated message. */
		if (cal != NULL || memchr(err, '\0', sizeof(err)) == NULL)
			__builtin_trap();
		return 0;
	}
	/* Exercise the day rules on what was accepted, around the years the
	 * input mentions most often and at the ends of the range. */
	int32_t starts[] = {kn_date_from_ymd(2021, 12, 20),
			    kn_date_from_ymd(2024, 2, 27), KN_DATE_MIN,
			    KN_DATE_MAX - 40};
	struct kn_calendar_stats st;
	kn_calendar_stats(cal, &st);
	if (st.first_year >= 1 && st.first_year <= 9999)
		starts[1] = kn_date_from_ymd(st.first_year, 1, 1);
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		int32_t due;
		int n;
		for (int32_t d = starts[i]; d < starts[i] + 40; d++) {
			struct kn_calendar_day day;
			kn_calendar_day_info(cal, d, &day);
		}
		if (kn_calendar_add_working_days(cal, starts[i], 10, &due) == 0 &&
		    (kn_calendar_working_days_between(cal, starts[i], due, &n) != 0 ||
		     n != 10))
			__builtin_trap();
	}
	kn_calendar_free(cal);
	return 0;
}
