/* tz.h: IANA time zones read from TZif files (RFC 8536), thread-safe and environment-free, for local dates and local-day boundaries. */
#ifndef KN_CORE_TZ_H
#define KN_CORE_TZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * A zone is loaded from the system's compiled tz database
 * (/usr/share/zoneinfo/<name>, Debian package tzdata) or from the bytes of
 * a TZif file. Versions 1 to 4 are read; after the last transition the
 * footer's POSIX TZ rule (with or without daylight saving) is applied.
 * Leap-second records are ignored: times are POSIX seconds.
 *
 * A loaded zone is immutable and safe to query from several threads.
 */
struct kn_tz; /* opaque */

#define KN_TZ_DEFAULT "Asia/Almaty"
#define KN_TZ_MAX_FILE (256 * 1024)

/* Loads zone `name` ("Asia/Almaty", "UTC"). The name must be a relative
 * path of letters, digits, '_', '-', '+', '/' without "..". Returns 0 and
 * sets *out (caller owns, kn_tz_free), or -1 with a message in errbuf. */
int kn_tz_load(const char *name, struct kn_tz **out, char *errbuf,
	       size_t errlen);
/* Parses TZif bytes; name is only kept for kn_tz_name (may be NULL). */
int kn_tz_load_bytes(const unsigned char *data, size_t len, const char *name,
		     struct kn_tz **out, char *errbuf, size_t errlen);
void kn_tz_free(struct kn_tz *tz);
/* A zone loaded once per process and cached (thread-safe); the cache owns
 * it and it lives until exit. NULL on error, with a message in errbuf. */
const struct kn_tz *kn_tz_shared(const char *name, char *errbuf,
				 size_t errlen);

const char *kn_tz_name(const struct kn_tz *tz);
/* Offset of local time from UTC at unix time t, in seconds east. */
int32_t kn_tz_offset(const struct kn_tz *tz, int64_t t);
/* The local civil date (day number, see core/calendar.h) at unix time t. */
int32_t kn_tz_local_date(const struct kn_tz *tz, int64_t t);
/*
 * Unix time of local date + sec_of_day (0..86399) in the zone. Returns 0
 * when that local time exists once (or, when it exists twice, gives the
 * first); 1 when it falls in a gap (clocks jumped forward), *out then being
 * the instant the gap ends; -1 for arguments out of range.
 */
int kn_tz_utc_from_local(const struct kn_tz *tz, int32_t date, int sec_of_day,
			 int64_t *out);
/* First second of local date: the smallest t whose local date is date. */
int64_t kn_tz_start_of_local_day(const struct kn_tz *tz, int32_t date);
/* End of local date, EXCLUSIVE: the first second of the next local day.
 * Something done at t is done "by the end of date" iff t < this value. */
int64_t kn_tz_end_of_local_day(const struct kn_tz *tz, int32_t date);

#endif
