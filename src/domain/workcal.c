/* workcal.c: the stored working-day calendar, parsed once per version. */
#include "domain/workcal.h"
#include "core/arena.h"
#include "core/calendar.h"
#include "core/tz.h"
#include "domain/event.h"
#include "store/store.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parsed calendars are kept for the life of the process: a request may
 * still use one after an edit replaced it (edits are rare). */
struct cached {
	int64_t stamp; /* calendars.updated_at, or -1 for the built-in text */
	struct kn_calendar *cal;
	struct cached *next;
};
static struct cached *cache;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

enum kn_err kn_workcal_text(struct kn_ctx *x, const char **text, bool *builtin, int64_t *updated_at)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r, "SELECT text, updated_at FROM calendars WHERE id = 1");
	if (rc)
		return rc;
	if (r->n) {
		*text = kn_row_s(r, 0, 0);
		if (builtin)
			*builtin = false;
		if (updated_at)
			*updated_at = kn_row_i(r, 0, 1);
	} else {
		*text = kn_calendar_default_text();
		if (builtin)
			*builtin = true;
		if (updated_at)
			*updated_at = 0;
	}
	return KN_OK;
}

enum kn_err kn_workcal_get(struct kn_ctx *x, const struct kn_calendar **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r, "SELECT updated_at FROM calendars WHERE id = 1");
	if (rc)
		return rc;
	int64_t stamp = r->n ? kn_row_i(r, 0, 0) : -1;
	pthread_mutex_lock(&mu);
	for (struct cached *c = cache; c; c = c->next)
		if (c->stamp == stamp) {
			*out = c->cal;
			pthread_mutex_unlock(&mu);
			return KN_OK;
		}
	pthread_mutex_unlock(&mu);
	const char *text;
	if ((rc = kn_workcal_text(x, &text, NULL, NULL)))
		return rc;
	struct kn_calendar *cal = NULL;
	char err[256];
	if (kn_calendar_load_string(text, strlen(text), &cal, err, sizeof(err))) {
		/* a stored text was validated when saved; fall back to the built-in */
		if (kn_calendar_default(&cal))
			return KN_ENOMEM;
	}
	struct cached *c = calloc(1, sizeof(*c));
	if (!c) {
		kn_calendar_free(cal);
		return KN_ENOMEM;
	}
	c->stamp = stamp;
	c->cal = cal;
	pthread_mutex_lock(&mu);
	c->next = cache;
	cache = c;
	pthread_mutex_unlock(&mu);
	*out = cal;
	return KN_OK;
}

static void text_hash(const char *text, char hex[65])
{
	unsigned char h[32];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

enum kn_err kn_workcal_save(struct kn_ctx *x, const char *text)
{
	if (!text || !*text) {
		kn_ferr_add(x, "text", "This field is required.");
		return KN_EINVAL;
	}
	struct kn_calendar *cal = NULL;
	char *err = kn_alloc(x->a, 4096);
	err[0] = 0;
	if (kn_calendar_load_string(text, strlen(text), &cal, err, 4096)) {
		/* one form error per reported line ("line N: message") */
		char *s = err;
		while (*s) {
			char *nl = strchr(s, '\n');
			if (nl)
				*nl = 0;
			if (*s)
				kn_ferr_add(x, "text", s);
			if (!nl)
				break;
			s = nl + 1;
		}
		if (!x->errs)
			kn_ferr_add(x, "text", "This calendar could not be read.");
		return KN_EINVAL;
	}
	kn_calendar_free(cal);
	const char *old;
	bool builtin;
	enum kn_err rc = kn_workcal_text(x, &old, &builtin, NULL);
	if (rc)
		return rc;
	/* the stamp must change on every save, even twice in one second */
	struct kn_rows *r;
	if ((rc = kn_sql0(x->c, x->a, &r, "SELECT updated_at FROM calendars WHERE id = 1")))
		return rc;
	int64_t stamp = x->now;
	if (r->n && kn_row_i(r, 0, 0) >= stamp)
		stamp = kn_row_i(r, 0, 0) + 1;
	rc = kn_sql(x->c, x->a, NULL,
	            "INSERT INTO calendars (id, text, updated_at, updated_by) VALUES (1, $1, $2, $3) "
	            "ON CONFLICT (id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, "
	            "updated_by = excluded.updated_by",
	            KN_TEXT(text), KN_INT(stamp), x->actor_id ? KN_INT(x->actor_id) : KN_NULL);
	if (rc)
		return rc;
	char h0[65], h1[65];
	text_hash(old, h0);
	text_hash(text, h1);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "sha256", h0, h1);
	if (kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "calendar", 1, "updated", 0, 0, ch);
}

enum kn_err kn_workcal_reset(struct kn_ctx *x)
{
	const char *old;
	bool builtin;
	enum kn_err rc = kn_workcal_text(x, &old, &builtin, NULL);
	if (rc || builtin)
		return rc;
	if ((rc = kn_sql0(x->c, x->a, NULL, "DELETE FROM calendars WHERE id = 1")))
		return rc;
	char h0[65], h1[65];
	text_hash(old, h0);
	text_hash(kn_calendar_default_text(), h1);
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "sha256", h0, h1);
	return kn_event(x, "calendar", 1, "reset", 0, 0, ch);
}

const struct kn_tz *kn_workcal_tz(const char *name)
{
	char err[128];
	const struct kn_tz *tz = kn_tz_shared(name && *name ? name : KN_TZ_DEFAULT, err, sizeof(err));
	if (!tz)
		tz = kn_tz_shared(KN_TZ_DEFAULT, err, sizeof(err));
	if (!tz)
		tz = kn_tz_shared("UTC", err, sizeof(err));
	return tz;
}

enum kn_err kn_workcal_deadline(struct kn_ctx *x, const char *tz, int64_t t, int n, int64_t *due)
{
	const struct kn_calendar *cal;
	enum kn_err rc = kn_workcal_get(x, &cal);
	if (rc)
		return rc;
	const struct kn_tz *z = kn_workcal_tz(tz);
	if (!z || kn_calendar_deadline(cal, z, t, n, due))
		return KN_EINVAL;
	return KN_OK;
}

enum kn_err kn_workcal_between(struct kn_ctx *x, const char *tz, int64_t from, int64_t to, int *out)
{
	const struct kn_calendar *cal;
	enum kn_err rc = kn_workcal_get(x, &cal);
	if (rc)
		return rc;
	struct kn_calendar_days *d = kn_calendar_days_new(cal);
	if (!d)
		return KN_ENOMEM;
	rc = kn_workcal_days(d, kn_workcal_tz(tz), from, to, out);
	kn_calendar_days_free(d);
	return rc;
}

enum kn_err kn_workcal_days(struct kn_calendar_days *d, const struct kn_tz *z, int64_t from, int64_t to, int *out)
{
	if (!z || kn_calendar_days_between(d, kn_tz_local_date(z, from), kn_tz_local_date(z, to), out))
		return KN_EINVAL;
	return KN_OK;
}
