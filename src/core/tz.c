/* tz.c: a TZif (RFC 8536) reader and POSIX TZ rule evaluator for local dates, without touching the process environment. */
#include "core/tz.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

#define ZONEINFO_DIR "/usr/share/zoneinfo/"
#define MAX_NAME 128
#define MAX_COUNT 100000     /* per TZif count field */
#define MAX_UTOFF (26 * 3600) /* larger offsets are rejected */

/* A POSIX TZ rule date: Jn, n or Mm.w.d, with a time of day in seconds. */
struct rule_date {
	char form; /* 'J', 'D' (zero-based day) or 'M' */
	int n, m, w, d;
	int32_t time;
};

struct posix_rule {
	int32_t std_off; /* seconds east of UTC */
	int has_dst;
	int32_t dst_off;
	struct rule_date start, end;
};

struct kn_tz {
	char name[MAX_NAME + 1];
	size_t ntrans;
	int64_t *trans;     /* owned; ascending */
	unsigned char *idx; /* owned; type of each transition */
	size_t ntypes;
	int32_t *utoff; /* owned; per type */
	int has_rule;
	struct posix_rule rule;
};

static void set_err(char *errbuf, size_t errlen, const char *msg)
{
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "%s", msg);
}

void kn_tz_free(struct kn_tz *tz)
{
	if (!tz)
		return;
	free(tz->trans);
	free(tz->idx);
	free(tz->utoff);
	free(tz);
}

const char *kn_tz_name(const struct kn_tz *tz)
{
	return tz->name;
}

/* ---- POSIX TZ string (the TZif footer) ----------------------------------- */

static int parse_tz_name(const char **sp, const char *end)
{
	const char *s = *sp;
	if (s < end && *s == '<') {
		const char *q = s + 1;
		while (q < end && *q != '>') {
			if (!((*q >= 'A' && *q <= 'Z') ||
			      (*q >= 'a' && *q <= 'z') ||
			      (*q >= '0' && *q <= '9') || *q == '+' ||
			      *q == '-'))
				return -1;
			q++;
		}
		if (q >= end || q - s - 1 < 3)
			return -1;
		*sp = q + 1;
		return 0;
	}
	const char *q = s;
	while (q < end && ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')))
		q++;
	if (q - s < 3)
		return -1;
	*sp = q;
	return 0;
}

static int parse_num(const char **sp, const char *end, int maxv, int *out)
{
	const char *s = *sp;
	int v = 0, digits = 0;
	while (s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (*s - '0');
		if (v > maxv || ++digits > 3)
			return -1;
		s++;
	}
	if (!digits)
		return -1;
	*sp = s;
	*out = v;
	return 0;
}

/* [+-]hh[:mm[:ss]], hours up to maxh. */
static int parse_hms(const char **sp, const char *end, int maxh, int32_t *out)
{
	const char *s = *sp;
	int sign = 1, h, m = 0, sec = 0;
	if (s < end && (*s == '+' || *s == '-')) {
		sign = *s == '-' ? -1 : 1;
		s++;
	}
	if (parse_num(&s, end, maxh, &h) < 0)
		return -1;
	if (s < end && *s == ':') {
		s++;
		if (parse_num(&s, end, 59, &m) < 0)
			return -1;
		if (s < end && *s == ':') {
			s++;
			if (parse_num(&s, end, 59, &sec) < 0)
				return -1;
		}
	}
	*sp = s;
	*out = sign * (h * 3600 + m * 60 + sec);
	return 0;
}

static int parse_rule_date(const char **sp, const char *end,
			   struct rule_date *rd)
{
	const char *s = *sp;
	memset(rd, 0, sizeof(*rd));
	if (s < end && *s == 'J') {
		s++;
		rd->form = 'J';
		if (parse_num(&s, end, 365, &rd->n) < 0 || rd->n < 1)
			return -1;
	} else if (s < end && *s == 'M') {
		s++;
		rd->form = 'M';
		if (parse_num(&s, end, 12, &rd->m) < 0 || rd->m < 1)
			return -1;
		if (s >= end || *s++ != '.')
			return -1;
		if (parse_num(&s, end, 5, &rd->w) < 0 || rd->w < 1)
			return -1;
		if (s >= end || *s++ != '.')
			return -1;
		if (parse_num(&s, end, 6, &rd->d) < 0)
			return -1;
	} else {
		rd->form = 'D';
		if (parse_num(&s, end, 365, &rd->n) < 0)
			return -1;
	}
	rd->time = 2 * 3600;
	if (s < end && *s == '/') {
		s++;
		/* RFC 8536 allows -167..167 hours here. */
		if (parse_hms(&s, end, 167, &rd->time) < 0)
			return -1;
	}
	*sp = s;
	return 0;
}

static int parse_posix_tz(const char *s, const char *end,
			  struct posix_rule *r)
{
	memset(r, 0, sizeof(*r));
	int32_t off;
	if (parse_tz_name(&s, end) < 0 || parse_hms(&s, end, 24, &off) < 0)
		return -1;
	r->std_off = -off; /* POSIX offsets are west of UTC */
	if (s == end)
		return 0;
	if (parse_tz_name(&s, end) < 0)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (s < end && *s != ',') {
		if (parse_hms(&s, end, 24, &off) < 0)
			return -1;
		r->dst_off = -off;
	}
	/* A rule is required: the TZif footer always carries one with DST. */
	if (s >= end || *s++ != ',' || parse_rule_date(&s, end, &r->start) < 0)
		return -1;
	if (s >= end || *s++ != ',' || parse_rule_date(&s, end, &r->end) < 0)
		return -1;
	return s == end ? 0 : -1;
}

/* Day number of a rule date in year y. */
static int64_t rule_day(const struct rule_date *rd, int y)
{
	int64_t jan1 = kn_date_from_ymd(y, 1, 1);
	switch (rd->form) {
	case 'J':
		return jan1 + rd->n - 1 +
		       (kn_date_is_leap(y) && rd->n >= 60 ? 1 : 0);
	case 'D':
		return jan1 + rd->n;
	default: {
		int64_t first = kn_date_from_ymd(y, rd->m, 1);
		int wd0 = kn_date_weekday((int32_t)first) % 7; /* 0 = Sunday */
		int64_t day = first + (rd->d - wd0 + 7) % 7 + 7 * (rd->w - 1);
		int len = kn_date_days_in_month(y, rd->m);
		while (day >= first + len)
			day -= 7;
		return day;
	}
	}
}

static int32_t rule_offset(const struct posix_rule *r, int64_t t)
{
	if (!r->has_dst)
		return r->std_off;
	int y;
	int64_t local = t + r->std_off;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	if (days < KN_DATE_MIN)
		days = KN_DATE_MIN;
	if (days > KN_DATE_MAX)
		days = KN_DATE_MAX;
	kn_date_to_ymd((int32_t)days, &y, NULL, NULL);
	/* Start is given in local standard time, end in local daylight time. */
	int64_t start = rule_day(&r->start, y) * 86400 + r->start.time -
			r->std_off;
	int64_t end = rule_day(&r->end, y) * 86400 + r->end.time - r->dst_off;
	int dst;
	if (start < end)
		dst = t >= start && t < end;
	else
		dst = !(t >= end && t < start);
	return dst ? r->dst_off : r->std_off;
}

/* ---- TZif ------------------------------------------------------------------ */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t be64s(const unsigned char *p)
{
	uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
	return (int64_t)v;
}

struct tzif_header {
	int version; /* 1..4 */
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int read_header(const unsigned char *p, size_t len,
		       struct tzif_header *h)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	h->version = p[4] == 0 ? 1 : p[4] - '0';
	if (h->version < 1 || h->version > 4)
		return -1;
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->isutcnt > MAX_COUNT || h->isstdcnt > MAX_COUNT ||
	    h->leapcnt > MAX_COUNT || h->timecnt > MAX_COUNT ||
	    h->typecnt > 256 || h->charcnt > MAX_COUNT)
		return -1;
	if (h->typecnt == 0 || h->charcnt == 0 ||
	    (h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
	    (h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
		return -1;
	return 0;
}

static size_t block_size(const struct tzif_header *h, size_t tsize)
{
	return (size_t)h->timecnt * tsize + h->timecnt +
	       (size_t)h->typecnt * 6 + h->charcnt +
	       (size_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

/* Reads one data block (tsize 4 or 8) into tz. */
static int read_block(const unsigned char *p, const struct tzif_header *h,
		      size_t tsize, struct kn_tz *tz, const char **why)
{
	tz->ntrans = h->timecnt;
	tz->ntypes = h->typecnt;
	tz->trans = malloc((h->timecnt ? h->timecnt : 1) * sizeof(int64_t));
	tz->idx = malloc(h->timecnt ? h->timecnt : 1);
	tz->utoff = malloc(h->typecnt * sizeof(int32_t));
	if (!tz->trans || !tz->idx || !tz->utoff) {
		*why = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < h->timecnt; i++) {
		const unsigned char *q = p + i * tsize;
		tz->trans[i] = tsize == 8 ? be64s(q) : (int32_t)be32(q);
		if (i > 0 && tz->trans[i] <= tz->trans[i - 1]) {
			*why = "transition times not ascending";
			return -1;
		}
	}
	p += (size_t)h->timecnt * tsize;
	for (size_t i = 0; i < h->timecnt; i++) {
		if (p[i] >= h->typecnt) {
			*why = "transition type index out of range";
			return -1;
		}
		tz->idx[i] = p[i];
	}
	p += h->timecnt;
	for (size_t i = 0; i < h->typecnt; i++) {
		int32_t off = (int32_t)be32(p + i * 6);
		if (off < -MAX_UTOFF || off > MAX_UTOFF) {
			*why = "UT offset out of range";
			return -1;
		}
		if (p[i * 6 + 4] > 1 || p[i * 6 + 5] >= h->charcnt) {
			*why = "bad local time type record";
			return -1;
		}
		tz->utoff[i] = off;
	}
	return 0;
}

int kn_tz_load_bytes(const unsigned char *data, size_t len, const char *name,
		     struct kn_tz **out, char *errbuf, size_t errlen)
{
	*out = NULL;
	const char *why = "not a TZif file";
	struct tzif_header h;
	struct kn_tz *tz = calloc(1, sizeof(*tz));
	if (!tz) {
		set_err(errbuf, errlen, "out of memory");
		return -1;
	}
	snprintf(tz->name, sizeof(tz->name), "%s", name ? name : "");
	if (len > KN_TZ_MAX_FILE) {
		why = "TZif file too large";
		goto fail;
	}
	if (read_header(data, len, &h) < 0)
		goto fail;
	size_t pos = 44, tsize = 4;
	size_t bs = block_size(&h, 4);
	if (h.version >= 2) {
		if (bs > len - pos)
			goto truncated;
		pos += bs;
		if (read_header(data + pos, len - pos, &h) < 0 || h.version < 2) {
			why = "bad second TZif header";
			goto fail;
		}
		pos += 44;
		tsize = 8;
		bs = block_size(&h, 8);
	}
	if (bs > len - pos)
		goto truncated;
	if (read_block(data + pos, &h, tsize, tz, &why) < 0)
		goto fail;
	pos += bs;
	if (h.version >= 2) {
		/* Footer: "\n" POSIX-TZ-string "\n". */
		if (pos >= len || data[pos] != '\n') {
			why = "missing TZif footer";
			goto fail;
		}
		const char *s = (const char *)data + pos + 1;
		const char *e = memchr(s, '\n', len - pos - 1);
		if (!e) {
			why = "unterminated TZif footer";
			goto fail;
		}
		if (e > s) {
			if (parse_posix_tz(s, e, &tz->rule) < 0) {
				why = "unsupported TZ string in TZif footer";
				goto fail;
			}
			tz->has_rule = 1;
		}
	}
	*out = tz;
	return 0;
truncated:
	why = "truncated TZif file";
fail:
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "%s%s%s", name ? name : "",
			 name ? ": " : "", why);
	kn_tz_free(tz);
	return -1;
}

static int valid_zone_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > MAX_NAME || name[0] == '/' || strstr(name, ".."))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '+' || c == '/'))
			return 0;
	}
	return 1;
}

int kn_tz_load(const char *name, struct kn_tz **out, char *errbuf,
	       size_t errlen)
{
	*out = NULL;
	if (!name || !valid_zone_name(name)) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "invalid time zone name \"%.60s\"",
				 name ? name : "");
		return -1;
	}
	char path[sizeof(ZONEINFO_DIR) + MAX_NAME + 1];
	snprintf(path, sizeof(path), "%s%s", ZONEINFO_DIR, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen,
				 "time zone %s: %s (is tzdata installed?)",
				 name, strerror(errno));
		return -1;
	}
	unsigned char *buf = malloc(KN_TZ_MAX_FILE + 1);
	int rc = -1;
	if (!buf) {
		set_err(errbuf, errlen, "out of memory");
		goto out;
	}
	size_t n = fread(buf, 1, KN_TZ_MAX_FILE + 1, f);
	if (ferror(f)) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "time zone %s: read error",
				 name);
		goto out;
	}
	rc = kn_tz_load_bytes(buf, n, name, out, errbuf, errlen);
out:
	free(buf);
	fclose(f);
	return rc;
}

/* ---- shared cache ----------------------------------------------------------- */

struct tz_cache_entry {
	struct tz_cache_entry *next;
	struct kn_tz *tz; /* owned by the cache for the life of the process */
};

static pthread_mutex_t tz_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz_cache_entry *tz_cache;

const struct kn_tz *kn_tz_shared(const char *name, char *errbuf,
				 size_t errlen)
{
	const struct kn_tz *found = NULL;
	pthread_mutex_lock(&tz_cache_lock);
	for (struct tz_cache_entry *e = tz_cache; e; e = e->next)
		if (name && strcmp(e->tz->name, name) == 0)
			found = e->tz;
	if (!found) {
		struct kn_tz *tz;
		struct tz_cache_entry *e = malloc(sizeof(*e));
		if (!e)
			set_err(errbuf, errlen, "out of memory");
		else if (kn_tz_load(name, &tz, errbuf, errlen) < 0)
			free(e);
		else {
			e->tz = tz;
			e->next = tz_cache;
			tz_cache = e;
			found = tz;
		}
	}
	pthread_mutex_unlock(&tz_cache_lock);
	return found;
}

/* ---- queries ------------------------------------------------------------------ */

int32_t kn_tz_offset(const struct kn_tz *tz, int64_t t)
{
	if (tz->ntrans == 0 || t < tz->trans[0]) {
		if (tz->ntrans == 0 && tz->has_rule)
			return rule_offset(&tz->rule, t);
		/* Before the first transition: time type 0 (RFC 8536 3.2). */
		return tz->utoff[0];
	}
	if (t >= tz->trans[tz->ntrans - 1] && tz->has_rule)
		return rule_offset(&tz->rule, t);
	size_t lo = 0, hi = tz->ntrans; /* last transition <= t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->utoff[tz->idx[lo]];
}

static int64_t floor_div86400(int64_t a)
{
	return a >= 0 ? a / 86400 : -((-a + 86399) / 86400);
}

int32_t kn_tz_local_date(const struct kn_tz *tz, int64_t t)
{
	/* Keep within the date range; +-2^40 s is far beyond year 9999. */
	if (t > ((int64_t)1 << 40))
		t = (int64_t)1 << 40;
	if (t < -((int64_t)1 << 40))
		t = -((int64_t)1 << 40);
	int64_t d = floor_div86400(t + kn_tz_offset(tz, t));
	if (d < KN_DATE_MIN)
		d = KN_DATE_MIN;
	if (d > KN_DATE_MAX)
		d = KN_DATE_MAX;
	return (int32_t)d;
}

int kn_tz_utc_from_local(const struct kn_tz *tz, int32_t date, int sec_of_day,
			 int64_t *out)
{
	if (date < KN_DATE_MIN - 1 || date > KN_DATE_MAX + 1 || sec_of_day < 0 ||
	    sec_of_day > 86399)
		return -1;
	int64_t local = (int64_t)date * 86400 + sec_of_day;
	/* Offsets in force a day before and a day after: transitions are
	 * assumed to be more than two days apart, which holds for tzdata. */
	int32_t before = kn_tz_offset(tz, local - 86400 - MAX_UTOFF);
	int32_t after = kn_tz_offset(tz, local + 86400 + MAX_UTOFF);
	int64_t t1 = local - before, t2 = local - after;
	int ok1 = kn_tz_offset(tz, t1) == before;
	int ok2 = kn_tz_offset(tz, t2) == after;
	if (ok1 && ok2)
		*out = t1 < t2 ? t1 : t2;
	else if (ok1)
		*out = t1;
	else if (ok2)
		*out = t2;
	else {
		/* In a gap: clocks jumped from `before` to `after` at some
		 * transition in (t2, t1]; the gap ends at that instant. */
		int64_t lo = t1 < t2 ? t1 : t2, hi = t1 < t2 ? t2 : t1;
		while (hi - lo > 1) {
			int64_t mid = lo + (hi - lo) / 2;
			if (kn_tz_offset(tz, mid) == after)
				hi = mid;
			else
				lo = mid;
		}
		*out = hi;
		return 1;
	}
	return 0;
}

int64_t kn_tz_start_of_local_day(const struct kn_tz *tz, int32_t date)
{
	int64_t t;
	if (kn_tz_utc_from_local(tz, date, 0, &t) < 0)
		return (int64_t)date * 86400;
	return t;
}

int64_t kn_tz_end_of_local_day(const struct kn_tz *tz, int32_t date)
{
	return kn_tz_start_of_local_day(tz, date + 1);
}
