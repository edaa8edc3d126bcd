/* workcal.h: the installation's working-day calendar, stored in the
 * database (table calendars) so an operator edits it without a rebuild;
 * without a stored one, the built-in Kazakhstan calendar. Deadlines of
 * appeals are computed with it in the council's time zone. */
#ifndef KN_DOMAIN_WORKCAL_H
#define KN_DOMAIN_WORKCAL_H
#include "domain/domain.h"

struct kn_calendar;
struct kn_tz;

/* The calendar in force (parsed once per process and per stored version;
 * shared, immutable, valid until exit). */
enum kn_err kn_workcal_get(struct kn_ctx *x, const struct kn_calendar **out);
/* Its text, and whether it is the built-in default (no stored row). */
enum kn_err kn_workcal_text(struct kn_ctx *x, const char **text, bool *builtin, int64_t *updated_at);
/* Validates and stores a new text: each bad line is reported as an error
 * on field "text" naming the line ("line 3: ..."); nothing is stored then.
 * Appends an event (kind "calendar") with the SHA-256 of the new text. */
enum kn_err kn_workcal_save(struct kn_ctx *x, const char *text);
/* Back to the built-in calendar (deletes the stored row; an event). */
enum kn_err kn_workcal_reset(struct kn_ctx *x);
/* The council's time zone (cached; Asia/Almaty when it cannot be loaded). */
const struct kn_tz *kn_workcal_tz(const char *name);
/* The deadline of n working days after t (exclusive end, see
 * kn_calendar_deadline), in zone tz. */
enum kn_err kn_workcal_deadline(struct kn_ctx *x, const char *tz, int64_t t, int n, int64_t *due);
/* Working days from the local date of `from` to that of `to` (half-open,
 * see kn_calendar_working_days_between). */
enum kn_err kn_workcal_between(struct kn_ctx *x, const char *tz, int64_t from, int64_t to, int *out);
/* The same for many spans in a row, with the calendar's days (made once
 * from kn_workcal_get's calendar, kn_calendar_days_new) and the zone
 * (kn_workcal_tz) at hand; KN_EINVAL without a zone. */
struct kn_calendar_days;
enum kn_err kn_workcal_days(struct kn_calendar_days *d, const struct kn_tz *z, int64_t from, int64_t to, int *out);

#endif
