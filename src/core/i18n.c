/* i18n.c: a reader for GNU .mo catalogs and per-thread language choice. */
#include "core/i18n.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const kn_langs[KN_NLANGS] = {"en", "ru", "kk"};

struct catalog {
	const unsigned char *data;
	size_t len;
	bool swap, owned;
	uint32_t n, orig, trans;
};

static struct catalog cats[KN_NLANGS];
static _Thread_local int cur_lang;

static uint32_t rd32(const struct catalog *c, size_t off)
{
	uint32_t v;
	memcpy(&v, c->data + off, 4);
	if (c->swap)
		v = __builtin_bswap32(v);
	return v;
}

const char *kn_lang_canon(const char *lang)
{
	if (!lang)
		return NULL;
	for (int i = 0; i < KN_NLANGS; i++)
		if (!strcmp(lang, kn_langs[i]))
			return kn_langs[i];
	return NULL;
}

static int lang_index(const char *lang)
{
	for (int i = 0; i < KN_NLANGS; i++)
		if (lang && !strcmp(lang, kn_langs[i]))
			return i;
	return -1;
}

/* Checks that entry i of the table at off lies inside the file and is
 * NUL-terminated; returns its string or NULL. */
static const char *entry(const struct catalog *c, uint32_t table, uint32_t i)
{
	size_t at = (size_t)table + (size_t)i * 8;
	if (at + 8 > c->len)
		return NULL;
	uint32_t l = rd32(c, at), o = rd32(c, at + 4);
	if ((size_t)o + l >= c->len || c->data[(size_t)o + l] != 0)
		return NULL;
	return (const char *)c->data + o;
}

enum kn_err kn_i18n_add(const char *lang, const unsigned char *data, size_t len)
{
	int li = lang_index(lang);
	if (li < 0 || len < 28)
		return KN_EINVAL;
	struct catalog c = {.data = data, .len = len};
	uint32_t magic;
	memcpy(&magic, data, 4);
	if (magic == 0x950412de)
		c.swap = false;
	else if (magic == 0xde120495)
		c.swap = true;
	else
		return KN_EINVAL;
	c.n = rd32(&c, 8);
	c.orig = rd32(&c, 12);
	c.trans = rd32(&c, 16);
	if (c.n > len / 16)
		return KN_EINVAL;
	/* validate every entry now so lookups need no checks, and that the
	 * originals are sorted (binary search depends on it) */
	const char *prev = NULL;
	for (uint32_t i = 0; i < c.n; i++) {
		const char *o = entry(&c, c.orig, i), *t = entry(&c, c.trans, i);
		if (!o || !t)
			return KN_EINVAL;
		if (prev && strcmp(prev, o) >= 0)
			return KN_EINVAL;
		prev = o;
	}
	if (cats[li].owned)
		free((void *)cats[li].data);
	cats[li] = c;
	return KN_OK;
}

int kn_i18n_load(const char *dir)
{
	int loaded = 0;
	for (int i = 1; i < KN_NLANGS; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.mo", dir, kn_langs[i]);
		FILE *fp = fopen(path, "rb");
		if (!fp) {
			kn_warn("no catalog %s: %s shows in English", path, kn_langs[i]);
			continue;
		}
		unsigned char *buf = NULL;
		size_t len = 0;
		if (!fseek(fp, 0, SEEK_END)) {
			long sz = ftell(fp);
			if (sz > 0 && sz < (16 << 20) && !fseek(fp, 0, SEEK_SET)) {
				buf = malloc((size_t)sz);
				if (buf && fread(buf, 1, (size_t)sz, fp) == (size_t)sz)
					len = (size_t)sz;
			}
		}
		fclose(fp);
		if (!len || kn_i18n_add(kn_langs[i], buf, len)) {
			kn_error("catalog %s is not a valid .mo file", path);
			free(buf);
			continue;
		}
		cats[i].owned = true;
		loaded++;
	}
	return loaded;
}

void kn_i18n_free(void)
{
	for (int i = 0; i < KN_NLANGS; i++) {
		if (cats[i].owned)
			free((void *)cats[i].data);
		memset(&cats[i], 0, sizeof(cats[i]));
	}
}

void kn_i18n_set(const char *lang)
{
	int i = lang_index(lang);
	cur_lang = i < 0 ? 0 : i;
}

const char *kn_i18n_get(void)
{
	return kn_langs[cur_lang];
}

const char *kn_gettext(const char *msgid)
{
	const struct catalog *c = &cats[cur_lang];
	if (!c->data || !msgid || !*msgid)
		return msgid;
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(msgid, entry(c, c->orig, mid));
		if (cmp == 0) {
			const char *t = entry(c, c->trans, mid);
			return *t ? t : msgid;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}

/* Which plural form a count takes (the Plural-Forms of our catalogs). */
static int plural_index(int lang, long n)
{
	if (n < 0)
		n = -n;
	if (!strcmp(kn_langs[lang], "ru"))
		return n % 10 == 1 && n % 100 != 11                                   ? 0
		       : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20) ? 1
		                                                                      : 2;
	return n != 1;
}

const char *kn_ngettext(const char *singular, const char *plural, long n)
{
	const struct catalog *c = &cats[cur_lang];
	int form = plural_index(cur_lang, n);
	const char *fallback = n == 1 ? singular : plural;
	if (!c->data || !singular || !*singular)
		return fallback;
	/* a plural entry's original is "singular\0plural": strcmp sees the first */
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(singular, entry(c, c->orig, mid));
		if (cmp < 0) {
			hi = mid;
		} else if (cmp > 0) {
			lo = mid + 1;
		} else {
			size_t at = (size_t)c->trans + (size_t)mid * 8;
			uint32_t len = rd32(c, at);
			const char *t = entry(c, c->trans, mid), *end = t + len;
			for (int k = 0; k < form && t < end; k++)
				t += strlen(t) + 1;
			return t < end && *t ? t : fallback;
		}
	}
	return fallback;
}
