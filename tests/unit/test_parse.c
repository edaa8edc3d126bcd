/* test_parse.c: the request parsers: URL-encoded data, cookies, multipart forms, Accept-Language, routes. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "http/parse.h"
#include "kt.h"

static struct kn_arena *A;

static size_t count(const struct kn_kv *l)
{
	size_t n = 0;
	for (; l; l = l->next)
		n++;
	return n;
}

static enum kn_err form(const char *s, size_t max, struct kn_kv **out)
{
	*out = NULL;
	return kn_parse_urlencoded(A, s, strlen(s), max, out);
}

static void test_urlencoded_basic(void)
{
	struct kn_kv *kv;
	KT_CHECK_INT(form("a=1+2&b=%41%4a%4B&c=%e2%82%ac", 10, &kv), KN_OK);
	KT_CHECK_INT(count(kv), 3);
	KT_CHECK_STR(kn_kv_get(kv, "a"), "1 2");
	KT_CHECK_STR(kn_kv_get(kv, "b"), "AJK");
	KT_CHECK_STR(kn_kv_get(kv, "c"), "\xe2\x82\xac");
	KT_CHECK(kn_kv_get(kv, "d") == NULL);
	/* a '+' that was escaped stays a plus */
	KT_CHECK_INT(form("q=1%2B1+%3D+2", 10, &kv), KN_OK);
	KT_CHECK_STR(kn_kv_get(kv, "q"), "1+1 = 2");
	/* names are decoded too; ';' separates like '&' */
	KT_CHECK_INT(form("first+name=Ann;x%5B%5D=1", 10, &kv), KN_OK);
	KT_CHECK_STR(kn_kv_get(kv, "first name"), "Ann");
	KT_CHECK_STR(kn_kv_get(kv, "x[]"), "1");
	/* repeated keys keep input order; the getter gives the first */
	KT_CHECK_INT(form("t=a&t=b", 10, &kv), KN_OK);
	KT_CHECK_STR(kn_kv_get(kv, "t"), "a");
	KT_CHECK_STR(kv->next->v, "b");
}

static void test_urlencoded_bad_escapes(void)
{
	struct kn_kv *kv;
	KT_CHECK_INT(form("a=%", 10, &kv), KN_EINVAL);
	KT_CHECK_INT(form("a=%4", 10, &kv), KN_EINVAL);
	KT_CHECK_INT(form("a=%zz", 10, &kv), KN_EINVAL);
	KT_CHECK_INT(form("a=%4g&b=1", 10, &kv), KN_EINVAL);
	KT_CHECK_INT(form("%=1", 10, &kv), KN_EINVAL);
	KT_CHECK_INT(form("ok=1&bad=%%41", 10, &kv), KN_EINVAL);
	/* the escape right at the end of the input still decodes */
	KT_CHECK_INT(form("a=%41", 10, &kv), KN_OK);
	KT_CHECK_STR(kn_kv_get(kv, "a"), "A");
}

static void test_urlencoded_empty_pairs(void)
{
	struct kn_kv *kv = (struct kn_kv *)&kv;
	KT_CHECK_INT(form("", 10, &kv), KN_OK);
	KT_CHECK(kv == NULL);
	KT_CHECK_INT(form("&&;&", 10, &kv), KN_OK);
	KT_CHECK(kv == NULL);
	KT_CHECK_INT(form("&&a=&=b&&c&", 10, &kv), KN_OK);
	KT_CHECK_INT(count(kv), 3);
	KT_CHECK_STR(kv->k, "a");
	KT_CHECK_STR(kv->v, "");
	KT_CHECK_STR(kv->next->k, "");
	KT_CHECK_STR(kv->next->v, "b");
	KT_CHECK_STR(kv->next->next->k, "c"); /* a name alone has an empty value */
	KT_CHECK_STR(kv->next->next->v, "");
	KT_CHECK_INT(kv->next->next->vlen, 0);
	/* the first '=' splits; later ones belong to the value */
	KT_CHECK_INT(form("k=a=b", 10, &kv), KN_OK);
	KT_CHECK_STR(kn_kv_get(kv, "k"), "a=b");
}

static void test_urlencoded_max_pairs(void)
{
	struct kn_kv *kv;
	KT_CHECK_INT(form("a=1&b=2&c=3", 3, &kv), KN_OK);
	KT_CHECK_INT(count(kv), 3);
	KT_CHECK_INT(form("a=1&b=2&c=3", 2, &kv), KN_ETOOBIG);
	KT_CHECK_INT(form("a=1", 0, &kv), KN_ETOOBIG);
	/* empty pairs do not count */
	KT_CHECK_INT(form("a=1&&&&b=2&", 2, &kv), KN_OK);
}

static void test_urlencoded_nul(void)
{
	struct kn_kv *kv;
	KT_CHECK_INT(form("v=a%00b&w=1", 10, &kv), KN_OK);
	const struct kn_kv *e = kn_kv_find(kv, "v");
	KT_CHECK(e != NULL);
	if (e) {
		KT_CHECK_INT(e->vlen, 3);
		KT_CHECK(!memcmp(e->v, "a\0b", 4));
	}
	KT_CHECK_STR(kn_kv_get(kv, "w"), "1");
	/* a NUL in a name is refused */
	KT_CHECK_INT(form("a%00b=1", 10, &kv), KN_EINVAL);
	/* raw bytes of a body that holds a NUL: n, not strlen, bounds it */
	static const char raw[] = "x=1\0&y=2";
	KT_CHECK_INT(kn_parse_urlencoded(A, raw, sizeof(raw) - 1, 10, &kv), KN_OK);
	KT_CHECK_INT(count(kv), 2);
	e = kn_kv_find(kv, "x");
	KT_CHECK(e && e->vlen == 2);
}

static void test_url_decode(void)
{
	size_t n = 99;
	char *s = kn_url_decode(A, "a+b%20c", 7, false, &n);
	KT_CHECK_STR(s, "a+b c");
	KT_CHECK_INT(n, 5);
	s = kn_url_decode(A, "a+b%20c", 7, true, &n);
	KT_CHECK_STR(s, "a b c");
	KT_CHECK(kn_url_decode(A, "%2", 2, true, &n) == NULL);
	/* n bounds the input: "%41" cut to "%4" is a bad escape */
	KT_CHECK(kn_url_decode(A, "%41", 2, true, &n) == NULL);
	s = kn_url_decode(A, "", 0, true, &n);
	KT_CHECK_STR(s, "");
	KT_CHECK_INT(n, 0);
}

static void test_cookies(void)
{
	struct kn_kv *c = kn_parse_cookies(A, "kn_session=abc123; kn_lang=ru");
	KT_CHECK_INT(count(c), 2);
	KT_CHECK_STR(kn_kv_get(c, "kn_session"), "abc123");
	KT_CHECK_STR(kn_kv_get(c, "kn_lang"), "ru");
	/* quoted values lose their quotes; an empty quoted value is empty */
	c = kn_parse_cookies(A, "a=\"quoted value\"; b=\"\"; c=\"");
	KT_CHECK_STR(kn_kv_get(c, "a"), "quoted value");
	KT_CHECK_STR(kn_kv_get(c, "b"), "");
	KT_CHECK_STR(kn_kv_get(c, "c"), "\""); /* one quote is not a pair */
	/* spaces and tabs around pairs, doubled separators */
	c = kn_parse_cookies(A, "  a=1 ;;\tb=2\t;  ");
	KT_CHECK_INT(count(c), 2);
	KT_CHECK_STR(kn_kv_get(c, "a"), "1");
	KT_CHECK_STR(kn_kv_get(c, "b"), "2");
	/* malformed pairs are skipped, the good ones kept */
	c = kn_parse_cookies(A, "noequals; =x; ; c=3; d=");
	KT_CHECK_INT(count(c), 2);
	KT_CHECK_STR(kn_kv_get(c, "c"), "3");
	KT_CHECK_STR(kn_kv_get(c, "d"), "");
	/* the value keeps everything after the first '=' */
	c = kn_parse_cookies(A, "t=a=b==");
	KT_CHECK_STR(kn_kv_get(c, "t"), "a=b==");
	KT_CHECK(kn_parse_cookies(A, NULL) == NULL);
	KT_CHECK(kn_parse_cookies(A, "") == NULL);
}

#define BND "----WebKitFormBoundaryq7MA4YWxkTrZu0gW"
#define CT "multipart/form-data; boundary=" BND

static enum kn_err mp(const char *ctype, const char *body, size_t n, struct kn_kv **fields,
                      struct kn_file **files)
{
	return kn_parse_multipart(A, ctype, body, n, fields, files);
}

static void test_multipart_browser(void)
{
	/* what Firefox sends for a form with a text field and a file */
	static const char body[] = "--" BND "\r\n"
	                           "Content-Disposition: form-data; name=\"csrf\"\r\n"
	                           "\r\n"
	                           "tok123\r\n"
	                           "--" BND "\r\n"
	                           "Content-Disposition: form-data; name=\"title\"\r\n"
	                           "\r\n"
	                           "Minutes, 12 March\r\n"
	                           "--" BND "\r\n"
	                           "Content-Disposition: form-data; name=\"doc\"; filename=\"minutes.txt\"\r\n"
	                           "Content-Type: text/plain\r\n"
	                           "\r\n"
	                           "line 1\r\nline 2\r\n\r\n"
	                           "--" BND "--\r\n";
	struct kn_kv *fields;
	struct kn_file *files;
	KT_CHECK_INT(mp(CT, body, sizeof(body) - 1, &fields, &files), KN_OK);
	KT_CHECK_INT(count(fields), 2);
	KT_CHECK_STR(kn_kv_get(fields, "csrf"), "tok123");
	KT_CHECK_STR(kn_kv_get(fields, "title"), "Minutes, 12 March");
	KT_CHECK(files != NULL);
	if (files) {
		KT_CHECK_STR(files->field, "doc");
		KT_CHECK_STR(files->filename, "minutes.txt");
		KT_CHECK_STR(files->ctype, "text/plain");
		/* the CRLF before the delimiter is not data; CRLFs inside are */
		KT_CHECK_INT(files->len, 16);
		KT_CHECK(!memcmp(files->data, "line 1\r\nline 2\r\n", 16));
		KT_CHECK(files->next == NULL);
	}
}

static void test_multipart_binary_and_quoting(void)
{
	/* a quoted boundary, a preamble, binary data with NULs and a
	 * near-delimiter, a file without Content-Type */
	static const char body[] = "preamble\r\n"
	                           "--a b\r\n"
	                           "Content-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
	                           "\r\n"
	                           "\0\1\r\n--a \r\n-"
	                           "\r\n--a b--";
	struct kn_kv *fields;
	struct kn_file *files;
	KT_CHECK_INT(mp("multipart/form-data; charset=utf-8; boundary=\"a b\"", body, sizeof(body) - 1, &fields,
	                &files),
	             KN_OK);
	KT_CHECK(fields == NULL);
	KT_CHECK(files != NULL);
	if (files) {
		KT_CHECK_INT(files->len, 11);
		KT_CHECK(!memcmp(files->data, "\0\1\r\n--a \r\n-", 11));
		KT_CHECK_STR(files->ctype, "application/octet-stream");
	}
	/* an empty file field (no file chosen) is still a file part */
	static const char empty[] = "--" BND "\r\n"
	                            "Content-Disposition: form-data; name=\"doc\"; filename=\"\"\r\n"
	                            "Content-Type: application/octet-stream\r\n\r\n"
	                            "\r\n--" BND "--\r\n";
	KT_CHECK_INT(mp(CT, empty, sizeof(empty) - 1, &fields, &files), KN_OK);
	KT_CHECK(files && files->len == 0 && !strcmp(files->filename, ""));
}

static void test_multipart_errors(void)
{
	struct kn_kv *fields;
	struct kn_file *files;
	static const char good[] = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--";
	size_t gl = sizeof(good) - 1;
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", good, gl, &fields, &files), KN_OK);
	KT_CHECK_STR(kn_kv_get(fields, "a"), "1");
	/* no boundary, an empty one, a wrong media type, none at all */
	KT_CHECK_INT(mp("multipart/form-data", good, gl, &fields, &files), KN_EINVAL);
	KT_CHECK_INT(mp("multipart/form-data; boundary=", good, gl, &fields, &files), KN_EINVAL);
	KT_CHECK_INT(mp("multipart/form-data; boundary=\"b", good, gl, &fields, &files), KN_EINVAL);
	KT_CHECK_INT(mp("text/plain; boundary=b", good, gl, &fields, &files), KN_EINVAL);
	KT_CHECK_INT(mp(NULL, good, gl, &fields, &files), KN_EINVAL);
	KT_CHECK(fields == NULL && files == NULL);
	/* a boundary over 70 characters (RFC 2046) */
	KT_CHECK_INT(mp("multipart/form-data; boundary="
	                "12345678901234567890123456789012345678901234567890123456789012345678901",
	                good, gl, &fields, &files),
	             KN_EINVAL);
	/* the boundary never appears */
	KT_CHECK_INT(mp("multipart/form-data; boundary=zzz", good, gl, &fields, &files), KN_EINVAL);
	/* unterminated: the last part has no closing delimiter */
	static const char unterm[] = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end";
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", unterm, sizeof(unterm) - 1, &fields, &files),
	             KN_EINVAL);
	/* headers never end */
	static const char nohdr[] = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n";
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", nohdr, sizeof(nohdr) - 1, &fields, &files),
	             KN_EINVAL);
	/* bare LF line ends are not multipart */
	static const char lf[] = "--b\nContent-Disposition: form-data; name=\"a\"\n\n1\n--b--\n";
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", lf, sizeof(lf) - 1, &fields, &files), KN_EINVAL);
	/* a part without a name, or not form-data */
	static const char noname[] = "--b\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nx\r\n--b--";
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", noname, sizeof(noname) - 1, &fields, &files),
	             KN_EINVAL);
	static const char attach[] = "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--";
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", attach, sizeof(attach) - 1, &fields, &files),
	             KN_EINVAL);
	/* an empty body */
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", "", 0, &fields, &files), KN_EINVAL);
}

static void test_multipart_too_many_parts(void)
{
	struct kn_kv *fields;
	struct kn_file *files;
	static char body[300 * 64];
	size_t n = 0;
	for (int i = 0; i < 257; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		                      "--q\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
	n += (size_t)snprintf(body + n, sizeof(body) - n, "--q--");
	KT_CHECK_INT(mp("multipart/form-data; boundary=q", body, n, &fields, &files), KN_ETOOBIG);
}

/* Regression: a ';' inside a quoted parameter value was taken as a
 * separator, so name="note; filename=evil" turned a text field into a
 * file, and a quoted "; boundary=" inside another Content-Type parameter
 * chose the wrong boundary. */
static void test_multipart_quoted_semicolon(void)
{
	struct kn_kv *fields;
	struct kn_file *files;
	static const char body[] = "--b\r\n"
	                           "Content-Disposition: form-data; name=\"note; filename=evil\"\r\n\r\n"
	                           "hello\r\n--b--";
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", body, sizeof(body) - 1, &fields, &files), KN_OK);
	KT_CHECK(files == NULL);
	KT_CHECK_STR(kn_kv_get(fields, "note; filename=evil"), "hello");
	KT_CHECK_INT(mp("multipart/form-data; x=\"y; boundary=zz\"; boundary=b", body, sizeof(body) - 1, &fields,
	                &files),
	             KN_OK);
	KT_CHECK_STR(kn_kv_get(fields, "note; filename=evil"), "hello");
	/* a filename holding a ';' stays whole */
	static const char file[] = "--b\r\n"
	                           "Content-Disposition: form-data; name=\"f\"; filename=\"a;b.txt\"\r\n\r\n"
	                           "x\r\n--b--";
	KT_CHECK_INT(mp("multipart/form-data; boundary=b", file, sizeof(file) - 1, &fields, &files), KN_OK);
	KT_CHECK(files && !strcmp(files->filename, "a;b.txt") && !strcmp(files->field, "f"));
}

static const char *const offered[] = {"en", "ru", "kk"};

static void test_pick_language(void)
{
	KT_CHECK_STR(kn_pick_language("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", offered, 3), "ru");
	KT_CHECK_STR(kn_pick_language("en;q=0.5, kk;q=0.8", offered, 3), "kk");
	KT_CHECK_STR(kn_pick_language("de-DE, kk-KZ;q=0.3, ru;q=0.2", offered, 3), "kk");
	KT_CHECK_STR(kn_pick_language("RU", offered, 3), "ru");
	KT_CHECK_STR(kn_pick_language("kk ; q=0.9, en ; q=1", offered, 3), "en");
	/* the first of equal q-values wins */
	KT_CHECK_STR(kn_pick_language("kk, ru", offered, 3), "kk");
	/* none acceptable */
	KT_CHECK(kn_pick_language("de, fr;q=0.9", offered, 3) == NULL);
	KT_CHECK(kn_pick_language("ru;q=0, en;q=0.000", offered, 3) == NULL);
	KT_CHECK(kn_pick_language("rus, english", offered, 3) == NULL); /* a prefix is not a match */
	KT_CHECK(kn_pick_language("*", offered, 3) == NULL);
	KT_CHECK(kn_pick_language("", offered, 3) == NULL);
	KT_CHECK(kn_pick_language(NULL, offered, 3) == NULL);
	/* out-of-range or malformed q-values count as 0 */
	KT_CHECK(kn_pick_language("ru;q=2, en;q=-1, kk;q=x", offered, 3) == NULL);
	/* the pointer returned is the offered one */
	KT_CHECK(kn_pick_language("ru-RU", offered, 3) == offered[1]);
}

static void test_route_match(void)
{
	struct kn_kv *p = NULL;
	KT_CHECK(kn_route_match(A, "/councils/{council}/edit", "/councils/almaty/edit", &p));
	KT_CHECK_INT(count(p), 1);
	KT_CHECK_STR(kn_kv_get(p, "council"), "almaty");
	/* params are percent-decoded ('+' stays: it is a path) */
	p = NULL;
	KT_CHECK(kn_route_match(A, "/agencies/{agency}", "/agencies/a%20b+c%D0%90", &p));
	KT_CHECK_STR(kn_kv_get(p, "agency"), "a b+c\xd0\x90");
	/* two params, appended to what is already there */
	struct kn_kv *q = kn_kv_push(A, NULL, "pre", "x");
	KT_CHECK(kn_route_match(A, "/x/{a}/y/{b}", "/x/1/y/2", &q));
	KT_CHECK_INT(count(q), 3);
	KT_CHECK_STR(kn_kv_get(q, "a"), "1");
	KT_CHECK_STR(kn_kv_get(q, "b"), "2");
	KT_CHECK(kn_route_match(A, "/static/{name}", "/static/kenes.css", &q));
	KT_CHECK(kn_route_match(A, "/", "/", &q));
	KT_CHECK(kn_route_match(A, "/account/tokens", "/account/tokens", &q));
}

static void test_route_refused(void)
{
	struct kn_kv *p = NULL;
	/* an encoded slash or NUL never becomes part of a segment */
	KT_CHECK(!kn_route_match(A, "/councils/{council}/edit", "/councils/a%2Fb/edit", &p));
	KT_CHECK(!kn_route_match(A, "/councils/{council}/edit", "/councils/a%2fb/edit", &p));
	KT_CHECK(!kn_route_match(A, "/static/{name}", "/static/a%00.css", &p));
	KT_CHECK(!kn_route_match(A, "/static/{name}", "/static/%zz", &p));
	KT_CHECK(!kn_route_match(A, "/static/{name}", "/static/%4", &p));
	/* trailing slash mismatch, both ways */
	KT_CHECK(!kn_route_match(A, "/councils/{council}/edit", "/councils/almaty/edit/", &p));
	KT_CHECK(!kn_route_match(A, "/councils/{council}", "/councils/almaty/", &p));
	KT_CHECK(!kn_route_match(A, "/account/tokens", "/account/tokens/", &p));
	KT_CHECK(!kn_route_match(A, "/account/tokens/", "/account/tokens", &p));
	/* empty and missing segments, extra segments, prefixes */
	KT_CHECK(!kn_route_match(A, "/councils/{council}/edit", "/councils//edit", &p));
	KT_CHECK(!kn_route_match(A, "/councils/{council}", "/councils/", &p));
	KT_CHECK(!kn_route_match(A, "/councils/{council}", "/councils/a/b", &p));
	KT_CHECK(!kn_route_match(A, "/councils/{council}/edit", "/councils/a/editx", &p));
	KT_CHECK(!kn_route_match(A, "/councils", "/councilsx", &p));
	KT_CHECK(!kn_route_match(A, "/councils", "/Councils", &p));
	/* a failed match leaves the list alone */
	KT_CHECK(p == NULL);
}

static void test_ipv4_text(void)
{
	/* every value of every octet, the others varied, against inet_ntop */
	int bad = 0;
	for (int pos = 0; pos < 4; pos++)
		for (int v = 0; v < 256; v++) {
			unsigned char q[4];
			for (int i = 0; i < 4; i++)
				q[i] = (unsigned char)(i == pos ? v : (v * 7 + i * 31) % 256);
			char mine[16], theirs[INET_ADDRSTRLEN];
			kn_ipv4_text(q, mine);
			inet_ntop(AF_INET, q, theirs, sizeof(theirs));
			bad += strcmp(mine, theirs) != 0;
		}
	KT_CHECK(bad == 0);
	char t[16];
	kn_ipv4_text((const unsigned char[]){255, 255, 255, 255}, t);
	KT_CHECK_STR(t, "255.255.255.255");
	kn_ipv4_text((const unsigned char[]){127, 0, 0, 1}, t);
	KT_CHECK_STR(t, "127.0.0.1");
}

int main(void)
{
	KT_NAME("test_parse");
	A = kn_arena_new();
	KT_RUN(test_urlencoded_basic);
	KT_RUN(test_urlencoded_bad_escapes);
	KT_RUN(test_urlencoded_empty_pairs);
	KT_RUN(test_urlencoded_max_pairs);
	KT_RUN(test_urlencoded_nul);
	KT_RUN(test_url_decode);
	KT_RUN(test_cookies);
	KT_RUN(test_multipart_browser);
	KT_RUN(test_multipart_binary_and_quoting);
	KT_RUN(test_multipart_errors);
	KT_RUN(test_multipart_too_many_parts);
	KT_RUN(test_multipart_quoted_semicolon);
	KT_RUN(test_pick_language);
	KT_RUN(test_route_match);
	KT_RUN(test_route_refused);
	KT_RUN(test_ipv4_text);
	kn_arena_free(A);
	KT_DONE();
}
