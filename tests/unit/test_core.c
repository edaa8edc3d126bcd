/* test_core.c: the arena, the limited buffer, the config file parser and table, and .mo catalogs. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/tar.h"
#include "core/utf8.h"
#include "kt.h"

/* ---- arena ------------------------------------------------------------- */

static void test_arena_many_allocations(void)
{
	enum { N = 100000 };
	struct kn_arena *a = kn_arena_new();
	KT_CHECK(a != NULL);
	static unsigned char *ptrs[N];
	size_t want = 0;
	int misaligned = 0;
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i % 97) + 1;
		ptrs[i] = kn_alloc(a, n);
		memset(ptrs[i], i & 0xff, n);
		if ((uintptr_t)ptrs[i] % _Alignof(max_align_t))
			misaligned++;
		want += n;
	}
	KT_CHECK_INT(misaligned, 0);
	/* nothing overlapped: every block still holds its own pattern */
	int bad = 0;
	for (int i = 0; i < N; i++)
		for (size_t j = 0; j < (size_t)(i % 97) + 1; j++)
			if (ptrs[i][j] != (unsigned char)(i & 0xff))
				bad++;
	KT_CHECK_INT(bad, 0);
	KT_CHECK(kn_arena_used(a) >= want);
	/* zero-byte allocations are distinct and usable */
	void *z1 = kn_alloc(a, 0), *z2 = kn_alloc(a, 0);
	KT_CHECK(z1 && z2 && z1 != z2);
	kn_arena_free(a);
	kn_arena_free(NULL);
}

static void test_arena_big_allocation(void)
{
	struct kn_arena *a = kn_arena_new();
	char *small = kn_alloc(a, 10);
	memcpy(small, "012345678", 10);
	size_t big = (size_t)4 << 20;
	unsigned char *p = kn_alloc(a, big);
	memset(p, 0xab, big);
	KT_CHECK(p[0] == 0xab && p[big - 1] == 0xab);
	/* the current block stays in use after a big one-off */
	char *after = kn_alloc(a, 10);
	memcpy(after, "abcdefghi", 10);
	KT_CHECK_STR(small, "012345678");
	KT_CHECK_STR(after, "abcdefghi");
	KT_CHECK(kn_arena_used(a) >= big + 20);
	/* a block-sized and a just-over-half-block allocation */
	unsigned char *q = kn_zalloc(a, 16 * 1024);
	unsigned char *r = kn_zalloc(a, 8 * 1024 + 1);
	KT_CHECK(q[0] == 0 && q[16 * 1024 - 1] == 0 && r[8 * 1024] == 0);
	kn_arena_free(a);
}

static void test_arena_strings(void)
{
	struct kn_arena *a = kn_arena_new();
	KT_CHECK(kn_strdup(a, NULL) == NULL);
	KT_CHECK(kn_strndup(a, NULL, 3) == NULL);
	KT_CHECK_STR(kn_strdup(a, "hello"), "hello");
	KT_CHECK_STR(kn_strndup(a, "hello", 3), "hel");
	KT_CHECK_STR(kn_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
	/* a formatted string longer than a block */
	char *long_s = kn_printf(a, "%40000d|", 7);
	KT_CHECK(long_s && strlen(long_s) == 40001 && long_s[39999] == '7');
	kn_arena_free(a);
}

static char order[16];
static int order_n;

static void note(void *p)
{
	if (order_n < (int)sizeof(order) - 1)
		order[order_n++] = *(const char *)p;
}

static void test_arena_cleanups(void)
{
	order_n = 0;
	memset(order, 0, sizeof(order));
	struct kn_arena *a = kn_arena_new();
	kn_arena_cleanup(a, note, "1");
	kn_arena_cleanup(a, note, "2");
	(void)kn_alloc(a, 100000); /* cleanups survive block changes */
	kn_arena_cleanup(a, note, "3");
	KT_CHECK_INT(order_n, 0); /* nothing runs before the free */
	kn_arena_free(a);
	KT_CHECK_STR(order, "321"); /* reverse order, each once */
	KT_CHECK_INT(order_n, 3);
}

/* ---- buffer ------------------------------------------------------------ */

static void test_buf_growth(void)
{
	struct kn_buf b;
	kn_buf_init(&b, 1 << 20);
	KT_CHECK_STR(kn_buf_str(&b), "");
	for (int i = 0; i < 10000; i++)
		kn_buf_adds(&b, "abc");
	KT_CHECK_INT(b.len, 30000);
	KT_CHECK(b.data[29999] == 'c' && b.data[30000] == 0);
	kn_buf_reset(&b);
	/* printf below and above its 256-byte stack buffer */
	kn_buf_printf(&b, "%d-%s", 12, "x");
	char big[1001];
	memset(big, 'z', 1000);
	big[1000] = 0;
	kn_buf_printf(&b, "[%s]", big);
	KT_CHECK_INT(b.len, 4 + 1002);
	KT_CHECK(!strncmp(kn_buf_str(&b), "12-x[zzz", 8));
	KT_CHECK(b.data[b.len - 1] == ']' && b.data[b.len] == 0);
	KT_CHECK_INT(kn_buf_err(&b), KN_OK);
	size_t n = 0;
	char *d = kn_buf_detach(&b, &n);
	KT_CHECK_INT(n, 1006);
	KT_CHECK(b.data == NULL && b.len == 0);
	free(d);
	kn_buf_free(&b);
}

static void test_buf_max(void)
{
	struct kn_buf b;
	kn_buf_init(&b, 10);
	kn_buf_adds(&b, "12345");
	kn_buf_adds(&b, "678901"); /* 11 > 10 */
	KT_CHECK_INT(kn_buf_err(&b), KN_ETOOBIG);
	KT_CHECK_INT(b.len, 5);
	KT_CHECK_STR(kn_buf_str(&b), "12345");
	kn_buf_addc(&b, 'x'); /* sticky */
	kn_buf_printf(&b, "%d", 1);
	KT_CHECK_INT(b.len, 5);
	kn_buf_reset(&b);
	KT_CHECK_INT(kn_buf_err(&b), KN_OK);
	kn_buf_adds(&b, "0123456789"); /* exactly the max */
	KT_CHECK_INT(kn_buf_err(&b), KN_OK);
	KT_CHECK_STR(kn_buf_str(&b), "0123456789");
	kn_buf_free(&b);

	/* the long printf path honours the max too */
	char s[401];
	memset(s, 'q', 400);
	s[400] = 0;
	kn_buf_init(&b, 300);
	kn_buf_adds(&b, "ab");
	kn_buf_printf(&b, "%s", s);
	KT_CHECK_INT(kn_buf_err(&b), KN_ETOOBIG);
	KT_CHECK_STR(kn_buf_str(&b), "ab");
	kn_buf_free(&b);
	kn_buf_init(&b, 300);
	kn_buf_printf(&b, "%.300s", s);
	KT_CHECK_INT(kn_buf_err(&b), KN_OK);
	KT_CHECK_INT(b.len, 300);
	kn_buf_free(&b);
}

static void test_buf_in_arena(void)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_buf b;
	kn_buf_arena(&b, a, 1 << 20);
	for (int i = 0; i < 5000; i++)
		kn_buf_printf(&b, "%04d", i);
	KT_CHECK_INT(b.len, 20000);
	KT_CHECK(!strncmp(kn_buf_str(&b), "000000010002", 12));
	KT_CHECK(!strcmp(kn_buf_str(&b) + 19996, "4999"));
	kn_buf_free(&b); /* harmless: the arena owns the storage */
	kn_arena_free(a);
}

/* ---- config -------------------------------------------------------------- */

static enum kn_err parse(const char *text, char *err, size_t errlen)
{
	err[0] = 0;
	return kn_config_parse(text, strlen(text), err, errlen);
}

static void test_config_good_file(void)
{
	char err[300];
	static const char text[] = "# Kenes test configuration\n"
	                           "\n"
	                           "   # an indented comment\n"
	                           "db = sqlite:/tmp/kenes-test.db\n"
	                           "  listen=0.0.0.0:9000   \r\n"
	                           "threads = 8\n"
	                           "Trust-Proxy = on\n"
	                           "base_url = \"https://kenes.example.org\"\n"
	                           "default_lang = \"\"\n"
	                           "locale_dir = \" spaced dir \"\n"
	                           "access_log = \"\n"
	                           "max_body=2048"; /* no final newline */
	KT_CHECK_INT(parse(text, err, sizeof(err)), KN_OK);
	KT_CHECK_STR(kn_cfg.db, "sqlite:/tmp/kenes-test.db");
	KT_CHECK_STR(kn_cfg.listen, "0.0.0.0:9000");
	KT_CHECK_INT(kn_cfg.threads, 8);
	KT_CHECK(kn_cfg.trust_proxy);
	KT_CHECK_STR(kn_cfg.base_url, "https://kenes.example.org");
	KT_CHECK_STR(kn_cfg.default_lang, "");
	KT_CHECK_STR(kn_cfg.locale_dir, " spaced dir ");
	KT_CHECK_STR(kn_cfg.access_log, "\""); /* one quote is not a pair */
	KT_CHECK_INT(kn_cfg.max_body, 2048);
	/* a later file line overrides an earlier one */
	KT_CHECK_INT(parse("threads = 1\nthreads = 2\n", err, sizeof(err)), KN_OK);
	KT_CHECK_INT(kn_cfg.threads, 2);
	KT_CHECK_INT(parse("", err, sizeof(err)), KN_OK);
	kn_config_free();
}

static void test_config_errors_name_the_line(void)
{
	char err[300];
	KT_CHECK_INT(parse("threads = 1\n\nnope = 2\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK_STR(err, "line 3: unknown setting 'nope'");
	KT_CHECK_INT(parse("# x\nthreads = many\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK_STR(err, "line 2: threads: 'many' is not a non-negative whole number");
	KT_CHECK_INT(parse("threads = -1", err, sizeof(err)), KN_EINVAL);
	KT_CHECK(strstr(err, "line 1: threads:") == err);
	KT_CHECK_INT(parse("max_body = 99999999999999999999999\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK(strstr(err, "line 1:") == err);
	KT_CHECK_INT(parse("threads = 12abc\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK_INT(parse("threads =\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK_INT(parse("\n\n\ntrust_proxy = maybe\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK_STR(err, "line 4: trust_proxy: 'maybe' is not true or false");
	KT_CHECK_INT(parse("db = x\njust some words\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK_STR(err, "line 2: expected 'name = value'");
	KT_CHECK_INT(parse("= value\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK_STR(err, "line 1: unknown setting ''");
	/* CRLF line ends count lines the same way */
	KT_CHECK_INT(parse("db = x\r\nthreads = x\r\n", err, sizeof(err)), KN_EINVAL);
	KT_CHECK(strstr(err, "line 2:") == err);
	/* a NUL byte in a value */
	static const char nul[] = "db = a\0b\n";
	err[0] = 0;
	KT_CHECK_INT(kn_config_parse(nul, sizeof(nul) - 1, err, sizeof(err)), KN_EINVAL);
	KT_CHECK_STR(err, "line 1: NUL byte in value");
	/* a short error buffer is truncated, not overrun */
	char small[8];
	KT_CHECK_INT(kn_config_parse("nope = 1", 8, small, sizeof(small)), KN_EINVAL);
	KT_CHECK_STR(small, "line 1:");
	kn_config_free();
}

static void test_config_set_and_load(void)
{
	char err[300] = "";
	KT_CHECK_INT(kn_config_set("max-body", "10", err, sizeof(err)), KN_OK);
	KT_CHECK_INT(kn_cfg.max_body, 10);
	KT_CHECK_INT(kn_config_set("nope", "1", err, sizeof(err)), KN_EINVAL);
	KT_CHECK_STR(err, "unknown setting 'nope'");
	/* default < environment < command line; known options leave argv */
	unsetenv("KENES_CONFIG");
	setenv("KENES_THREADS", "5", 1);
	setenv("KENES_LOG_LEVEL", "warn", 1);
	char *argv[] = {"kenes", "--threads", "3", "serve", "--trust-proxy", "--db=sqlite:y.db", "--other", NULL};
	int argc = 7;
	KT_CHECK_INT(kn_config_load(&argc, argv, err, sizeof(err)), KN_OK);
	KT_CHECK_INT(kn_cfg.threads, 3);
	KT_CHECK_STR(kn_cfg.log_level, "warn");
	KT_CHECK(kn_cfg.trust_proxy);
	KT_CHECK_STR(kn_cfg.db, "sqlite:y.db");
	KT_CHECK_STR(kn_cfg.listen, "127.0.0.1:8080"); /* the default */
	KT_CHECK_INT(argc, 3);
	KT_CHECK_STR(argv[1], "serve");
	KT_CHECK_STR(argv[2], "--other");
	unsetenv("KENES_THREADS");
	unsetenv("KENES_LOG_LEVEL");
	kn_config_free();
}

/* ---- .mo catalogs --------------------------------------------------------- */

struct pair {
	const char *o, *t;
};

static void put32(unsigned char *p, uint32_t v, bool big)
{
	for (int i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Writes a GNU .mo image of the pairs (sorted by the caller) into out;
 * returns its length. Layout: header, originals table, translations
 * table, then the strings, each NUL-terminated. */
static size_t build_mo(unsigned char *out, size_t cap, const struct pair *p, uint32_t n, bool big)
{
	size_t at = 28 + 16 * (size_t)n;
	if (at > cap)
		return 0;
	memset(out, 0, at);
	put32(out, 0x950412de, big);
	put32(out + 8, n, big);
	put32(out + 12, 28, big);
	put32(out + 16, 28 + 8 * n, big);
	put32(out + 24, (uint32_t)at, big); /* no hash table */
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < n; i++) {
			const char *s = pass ? p[i].t : p[i].o;
			size_t l = strlen(s);
			if (at + l + 1 > cap)
				return 0;
			unsigned char *slot = out + 28 + (size_t)pass * 8 * n + (size_t)i * 8;
			put32(slot, (uint32_t)l, big);
			put32(slot + 4, (uint32_t)at, big);
			memcpy(out + at, s, l + 1);
			at += l + 1;
		}
	return at;
}

static const struct pair ru_pairs[] = {
	{"", "Content-Type: text/plain; charset=UTF-8\n"},
	{"Councils", "Советы"},
	{"Empty", ""},
	{"Log in", "Войти"},
	{"Save", "Сохранить"},
};

static void test_i18n_handmade(void)
{
	static unsigned char ru[1024], kk[1024];
	size_t rl = build_mo(ru, sizeof(ru), ru_pairs, 5, false);
	static const struct pair kk_pairs[] = {{"Councils", "Кеңестер"}, {"Save", "Сақтау"}};
	size_t kl = build_mo(kk, sizeof(kk), kk_pairs, 2, true); /* big-endian */
	KT_CHECK(rl > 0 && kl > 0);
	KT_CHECK_INT(kn_i18n_add("ru", ru, rl), KN_OK);
	KT_CHECK_INT(kn_i18n_add("kk", kk, kl), KN_OK);

	kn_i18n_set("ru");
	KT_CHECK_STR(kn_i18n_get(), "ru");
	KT_CHECK_STR(kn_gettext("Councils"), "Советы");
	KT_CHECK_STR(kn_gettext("Log in"), "Войти");
	KT_CHECK_STR(kn_gettext("Save"), "Сохранить");
	const char *id = "Not in the catalog";
	KT_CHECK(kn_gettext(id) == id); /* unknown: the msgid itself */
	const char *empty = "Empty";
	KT_CHECK(kn_gettext(empty) == empty); /* empty translation: msgid */
	KT_CHECK_STR(kn_gettext(""), "");      /* never the header */
	KT_CHECK(kn_gettext(NULL) == NULL);
	KT_CHECK_STR(_("Save"), "Сохранить");

	kn_i18n_set("kk");
	KT_CHECK_STR(kn_gettext("Councils"), "Кеңестер");
	KT_CHECK_STR(kn_gettext("Log in"), "Log in");

	const char *c = "Councils";
	kn_i18n_set("en");
	KT_CHECK(kn_gettext(c) == c);
	kn_i18n_set("de"); /* anything unknown is English */
	KT_CHECK_STR(kn_i18n_get(), "en");
	KT_CHECK(kn_gettext(c) == c);
	KT_CHECK(kn_lang_canon("kk") == kn_langs[2]);
	KT_CHECK(kn_lang_canon("KK") == NULL && kn_lang_canon(NULL) == NULL);

	kn_i18n_free();
	kn_i18n_set("ru");
	KT_CHECK(kn_gettext(c) == c); /* no catalog any more */
	kn_i18n_set("en");
}

static void test_i18n_corrupt_refused(void)
{
	static unsigned char good[1024], bad[1024];
	size_t n = build_mo(good, sizeof(good), ru_pairs, 5, false);
	KT_CHECK_INT(kn_i18n_add("ru", good, n), KN_OK);

	KT_CHECK_INT(kn_i18n_add("de", good, n), KN_EINVAL); /* not one of ours */
	KT_CHECK_INT(kn_i18n_add("ru", good, 27), KN_EINVAL); /* shorter than the header */
	memcpy(bad, good, n);
	put32(bad, 0x12345678, false); /* magic */
	KT_CHECK_INT(kn_i18n_add("ru", bad, n), KN_EINVAL);
	memcpy(bad, good, n);
	put32(bad + 8, 0xffffffffu, false); /* count */
	KT_CHECK_INT(kn_i18n_add("ru", bad, n), KN_EINVAL);
	memcpy(bad, good, n);
	put32(bad + 12, (uint32_t)n - 4, false); /* originals table past the end */
	KT_CHECK_INT(kn_i18n_add("ru", bad, n), KN_EINVAL);
	memcpy(bad, good, n);
	put32(bad + 28 + 8, 0x7fffffff, false); /* string length past the end */
	KT_CHECK_INT(kn_i18n_add("ru", bad, n), KN_EINVAL);
	memcpy(bad, good, n);
	put32(bad + 28 + 8 + 4, 0xfffffff0u, false); /* string offset past the end */
	KT_CHECK_INT(kn_i18n_add("ru", bad, n), KN_EINVAL);
	memcpy(bad, good, n);
	put32(bad + 28 + 40 + 8, 3, false); /* translation not NUL-terminated */
	KT_CHECK_INT(kn_i18n_add("ru", bad, n), KN_EINVAL);
	KT_CHECK_INT(kn_i18n_add("ru", good, n - 1), KN_EINVAL); /* last string cut */
	/* unsorted and duplicate originals (lookups are a binary search) */
	static const struct pair unsorted[] = {{"b", "1"}, {"a", "2"}};
	size_t ul = build_mo(bad, sizeof(bad), unsorted, 2, false);
	KT_CHECK_INT(kn_i18n_add("ru", bad, ul), KN_EINVAL);
	static const struct pair dup[] = {{"a", "1"}, {"a", "2"}};
	ul = build_mo(bad, sizeof(bad), dup, 2, false);
	KT_CHECK_INT(kn_i18n_add("ru", bad, ul), KN_EINVAL);

	/* every refusal left the good catalog in place */
	kn_i18n_set("ru");
	KT_CHECK_STR(kn_gettext("Councils"), "Советы");
	kn_i18n_set("en");
	kn_i18n_free();
}

/* Reads a whole file into malloc'd memory. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	unsigned char *buf = malloc(1 << 16);
	*len = buf ? fread(buf, 1, 1 << 16, fp) : 0;
	fclose(fp);
	return buf;
}

/* The images msgfmt wrote from tests/unit/data/test.po (kept in the fuzz
 * corpus), read through kn_i18n_add and through kn_i18n_load. */
static void test_i18n_msgfmt_images(void)
{
	static const char *const files[] = {"tests/fuzz/corpus/fuzz_mo/little.mo", "tests/fuzz/corpus/fuzz_mo/big.mo"};
	for (int i = 0; i < 2; i++) {
		size_t len = 0;
		unsigned char *img = slurp(files[i], &len);
		KT_CHECK(img != NULL);
		if (!img) {
			fprintf(stderr, "cannot read %s (run from the source tree)\n", files[i]);
			continue;
		}
		KT_CHECK_INT(kn_i18n_add("ru", img, len), KN_OK);
		kn_i18n_set("ru");
		KT_CHECK_STR(kn_gettext("Log in"), "Войти");
		KT_CHECK_STR(kn_gettext("Councils"), "Советы");
		KT_CHECK_STR(kn_gettext("Untranslated"), "Untranslated");
		KT_CHECK_STR(kn_gettext("%d member"), "%d член"); /* singular of a plural entry */
		kn_i18n_set("en");
		kn_i18n_free();
		free(img);
	}

	/* kn_i18n_load owns what it reads: ru.mo present, kk.mo missing */
	char dir[] = "/tmp/kenes-test-i18n-XXXXXX";
	KT_CHECK(mkdtemp(dir) != NULL);
	char path[64];
	snprintf(path, sizeof(path), "%s/ru.mo", dir);
	size_t len = 0;
	unsigned char *img = slurp(files[0], &len);
	FILE *fp = fopen(path, "wb");
	KT_CHECK(fp && img);
	if (fp && img)
		KT_CHECK_INT(fwrite(img, 1, len, fp), len);
	if (fp)
		fclose(fp);
	free(img);
	KT_CHECK_INT(kn_i18n_load(dir), 1);
	kn_i18n_set("ru");
	KT_CHECK_STR(kn_gettext("Save"), "Сохранить");
	kn_i18n_set("kk");
	KT_CHECK_STR(kn_gettext("Save"), "Save");
	kn_i18n_set("en");
	kn_i18n_free();
	unlink(path);
	rmdir(dir);
}

/* Plural forms: a catalog made by msgfmt from a .po with Russian's three
 * forms and Kazakh's two; English falls back to the msgids. */
KT_TEST(test_i18n_plurals)
{
	static const char *const po[2] = {
	    "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	    "\"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
	    "(n%100<10 || n%100>=20) ? 1 : 2);\\n\"\n\n"
	    "msgid \"rotation\"\nmsgid_plural \"rotations\"\nmsgstr[0] \"ротация\"\nmsgstr[1] \"ротации\"\n"
	    "msgstr[2] \"ротаций\"\n",
	    "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	    "\"Plural-Forms: nplurals=2; plural=(n!=1);\\n\"\n\n"
	    "msgid \"rotation\"\nmsgid_plural \"rotations\"\nmsgstr[0] \"ротация\"\nmsgstr[1] \"ротация\"\n"};
	static const char *const langs[2] = {"ru", "kk"};
	unsigned char *img[2] = {NULL, NULL};
	for (int k = 0; k < 2; k++) {
		char po_path[] = "/tmp/kn-plural-XXXXXX";
		int fd = mkstemp(po_path);
		KT_CHECK(fd >= 0);
		if (fd < 0)
			return;
		KT_CHECK(write(fd, po[k], strlen(po[k])) == (ssize_t)strlen(po[k]));
		close(fd);
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "msgfmt -o - %s", po_path);
		FILE *p = popen(cmd, "r");
		KT_CHECK(p != NULL);
		size_t n = 0;
		img[k] = malloc(65536);
		if (p && img[k])
			n = fread(img[k], 1, 65536, p);
		if (p)
			pclose(p);
		unlink(po_path);
		KT_CHECK(n > 28);
		KT_CHECK_INT(kn_i18n_add(langs[k], img[k], n), KN_OK);
	}
	kn_i18n_set("ru");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 1), "ротация");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 3), "ротации");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 5), "ротаций");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 11), "ротаций");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 21), "ротация");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 22), "ротации");
	KT_CHECK_STR(kn_gettext("rotation"), "ротация"); /* the singular, used alone */
	KT_CHECK_STR(kn_ngettext("unknown", "unknowns", 2), "unknowns");
	kn_i18n_set("kk");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 3), "ротация");
	kn_i18n_set("en");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 1), "rotation");
	KT_CHECK_STR(kn_ngettext("rotation", "rotations", 2), "rotations");
	kn_i18n_free();
	free(img[0]);
	free(img[1]);
}

/* A tar archive read in pieces: the header's fields where readers look for
 * them and a checksum that adds up; the same bytes whatever the pieces'
 * size, as long as kn_tar_size says; a file whose name cannot be stored
 * goes in empty, named after its place. */
KT_TEST(test_tar_read)
{
	static char big[1000];
	for (int i = 0; i < 1000; i++)
		big[i] = (char)('a' + i % 26);
	char longname[102];
	memset(longname, 'n', 101);
	longname[101] = 0;
	const struct kn_tar_file f[] = {
	    {"a.csv", "x,y\r\n", 5}, {"empty.txt", "", 0}, {longname, "z", 1}, {"b.txt", big, sizeof(big)}};
	char h[512];
	KT_CHECK(kn_tar_header(h, &f[0], 1700000000));
	KT_CHECK(!kn_tar_header(h + 0, &f[2], 0));
	KT_CHECK(kn_tar_header(h, &f[0], 1700000000));
	KT_CHECK(!strcmp(h, "a.csv"));
	KT_CHECK(!strcmp(h + 100, "0000644") && !strcmp(h + 124, "00000000005") && !strcmp(h + 136, "14524770400"));
	KT_CHECK(h[156] == '0' && !memcmp(h + 257, "ustar\000" "00", 8));
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += (unsigned char)(i >= 148 && i < 156 ? ' ' : h[i]);
	KT_CHECK_INT(strtol(h + 148, NULL, 8), sum);
	/* the archive as it should be, put together here */
	struct kn_buf want;
	kn_buf_init(&want, 1 << 20);
	const struct kn_tar_file stored[] = {f[0], f[1], {"file-2", "", 0}, f[3]};
	for (int i = 0; i < 4; i++) {
		KT_CHECK(kn_tar_header(h, &stored[i], 1700000000));
		kn_buf_add(&want, h, 512);
		kn_buf_add(&want, stored[i].data, stored[i].len);
		static const char zeros[1024];
		kn_buf_add(&want, zeros, (512 - stored[i].len % 512) % 512);
	}
	static const char end[1024];
	kn_buf_add(&want, end, sizeof(end));
	uint64_t size = kn_tar_size(f, 4);
	KT_CHECK_INT((long long)size, (long long)want.len);
	KT_CHECK_INT((long long)size, 512 * 2 + 512 + 512 + 512 * 3 + 1024);
	static const size_t pieces[] = {1, 7, 511, 512, 513, 4096, 1 << 20};
	char *got = malloc(size + 1);
	for (size_t p = 0; p < KN_ARRAY_LEN(pieces); p++) {
		uint64_t pos = 0;
		size_t k;
		while ((k = kn_tar_read(f, 4, 1700000000, pos, got + pos, pieces[p] < size + 1 - pos ? pieces[p] : size + 1 - pos)))
			pos += k;
		KT_CHECK_INT((long long)pos, (long long)size);
		KT_CHECK(!memcmp(got, want.data, size));
	}
	KT_CHECK(kn_tar_read(f, 4, 1700000000, size, got, 16) == 0);
	free(got);
	kn_buf_free(&want);
}

KT_TEST(test_itoa_like_printf)
{
	const long long cases[] = {0, 7, -7, 10, 1234567890123LL, -1000, 9223372036854775807LL, -9223372036854775807LL - 1};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char out[24], want[32];
		char *p = kn_itoa(out, cases[k]);
		snprintf(want, sizeof(want), "%lld", cases[k]);
		KT_CHECK_INT((long long)(out + sizeof(out) - p), (long long)strlen(want));
		KT_CHECK(!memcmp(p, want, strlen(want)));
	}
	/* two digits at a time: every pair, odd and even lengths, each side of
	 * each power of ten */
	int bad = 0;
	for (long long v = -100000; v <= 100000; v++) {
		char out[24], want[32];
		char *p = kn_itoa(out, v);
		int n = snprintf(want, sizeof(want), "%lld", v);
		bad += out + sizeof(out) - p != n || memcmp(p, want, (size_t)n);
	}
	for (long long t = 1;; t *= 10) {
		for (long long v = t - 1; v <= t + 1; v++) {
			char out[24], want[32];
			char *p = kn_itoa(out, v);
			int n = snprintf(want, sizeof(want), "%lld", v);
			bad += out + sizeof(out) - p != n || memcmp(p, want, (size_t)n);
		}
		if (t > LLONG_MAX / 10)
			break;
	}
	KT_CHECK_INT(bad, 0);
}

static const char *fold(struct kn_buf *b, const char *s)
{
	kn_buf_reset(b);
	kn_utf8_fold(b, s);
	return kn_buf_str(b);
}

KT_TEST(test_utf8_fold)
{
	struct kn_buf b;
	kn_buf_init(&b, 4096);
	KT_CHECK_STR(fold(&b, "Ministry of FINANCE"), "ministry of finance");
	KT_CHECK_STR(fold(&b, "МИНИСТЕРСТВО Финансов"), "министерство финансов");
	/* the Kazakh letters, upper to lower: Ә Ғ Қ Ң Ө Ұ Ү Һ І */
	KT_CHECK_STR(fold(&b, "ӘҒҚҢӨҰҮҺІ"), "әғқңөұүһі");
	KT_CHECK_STR(fold(&b, "әғқңөұүһі"), "әғқңөұүһі");
	KT_CHECK_STR(fold(&b, "ЁЛКА ёлка"), "елка елка");
	KT_CHECK_STR(fold(&b, "ÉCOLE Łódź ΑΘΗΝΑ"), "école łódź αθηνα");
	/* bytes that are not UTF-8 are kept; the text after them is still folded */
	KT_CHECK_STR(fold(&b, "\xff\xfe" "AB\xd0"), "\xff\xfe" "ab\xd0");
	KT_CHECK_STR(fold(&b, ""), "");
	KT_CHECK_INT(kn_buf_err(&b), 0);
	kn_buf_free(&b);
}

KT_TEST(test_fold_words)
{
	struct kn_buf b;
	kn_buf_init(&b, 4096);
	char *w[4];
	/* split on spaces, tabs and line breaks; at most max words */
	kn_buf_adds(&b, "  акимат\tрайона 42\r\n x y");
	KT_CHECK_INT(kn_fold_words(b.data, w, 4), 4);
	KT_CHECK_STR(w[0], "акимат");
	KT_CHECK_STR(w[1], "района");
	KT_CHECK_STR(w[2], "42");
	KT_CHECK_STR(w[3], "x");
	kn_buf_reset(&b);
	kn_buf_adds(&b, " \t ");
	KT_CHECK_INT(kn_fold_words(b.data, w, 4), 0);
	/* each word starts a word of the text: after a space or punctuation,
	 * not inside a word, in any order */
	const char *hay = "person 123 scaleuly (illustrative)\nдепартамент-финансов";
	char q1[] = "123", q2[] = "12", q3[] = "23", q4[] = "illus", q5[] = "финанс", q6[] = "scale";
	char *all[] = {q6, q1};
	KT_CHECK(kn_fold_words_in(hay, all, 2));
	KT_CHECK(kn_fold_words_in(hay, (char *[]){q2}, 1));
	KT_CHECK(!kn_fold_words_in(hay, (char *[]){q3}, 1));
	KT_CHECK(kn_fold_words_in(hay, (char *[]){q4}, 1));
	KT_CHECK(kn_fold_words_in(hay, (char *[]){q5}, 1));
	KT_CHECK(!kn_fold_words_in(hay, (char *[]){q6, q3}, 2));
	KT_CHECK(kn_fold_words_in(hay, NULL, 0));
	kn_buf_free(&b);
}

int main(void)
{
	KT_NAME("test_core");
	KT_RUN(test_arena_many_allocations);
	KT_RUN(test_itoa_like_printf);
	KT_RUN(test_tar_read);
	KT_RUN(test_arena_big_allocation);
	KT_RUN(test_arena_strings);
	KT_RUN(test_arena_cleanups);
	KT_RUN(test_buf_growth);
	KT_RUN(test_buf_max);
	KT_RUN(test_buf_in_arena);
	KT_RUN(test_config_good_file);
	KT_RUN(test_config_errors_name_the_line);
	KT_RUN(test_config_set_and_load);
	KT_RUN(test_i18n_handmade);
	KT_RUN(test_i18n_corrupt_refused);
	KT_RUN(test_i18n_msgfmt_images);
	KT_RUN(test_i18n_plurals);
	KT_RUN(test_utf8_fold);
	KT_RUN(test_fold_words);
	KT_DONE();
}
