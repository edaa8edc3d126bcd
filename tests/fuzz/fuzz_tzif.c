/* fuzz_tzif.c: libFuzzer target for the TZif reader and the offset / local-time queries on what it accepts. */
#include <stddef.h>
#include <stdint.h>

#include "fz.h"

#include "core/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_tz *tz = NULL;
	char err[256];
	if (kn_tz_load_bytes(data, size, "fuzz", &tz, err, sizeof(err)) != 0)
		return 0;
	static const int64_t times[] = {INT64_MIN / 2, -2208988800LL, 0,
					1709229600LL, 1900000000LL,
					4102444800LL, INT64_MAX / 2};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		int32_t off = kn_tz_offset(tz, times[i]);
		if (off < -26 * 3600 || off > 26 * 3600)
			__builtin_trap();
		int32_t day = kn_tz_local_date(tz, times[i]);
		int64_t start = kn_tz_start_of_local_day(tz, day);
		int64_t end = kn_tz_end_of_local_day(tz, day);
		int64_t t;
		kn_tz_utc_from_local(tz, day, 12 * 3600, &t);
		(void)start;
		(void)end;
	}
	kn_tz_free(tz);
	return 0;
}
