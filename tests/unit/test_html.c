/* test_html.c: the HTML writer: escaping per conversion, Markdown safe mode, the buffer limit. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "view/html.h"
#include "view/view.h"
#include "kt.h"

static struct kn_buf B;

/* Resets the shared buffer: each check starts empty. */
static struct kn_buf *b0(void)
{
	kn_buf_free(&B);
	kn_buf_init(&B, 1 << 20);
	return &B;
}

static bool has_ci(const char *s, const char *needle)
{
	return strcasestr(s, needle) != NULL;
}

static void test_text_escaping(void)
{
	kn_h(b0(), "<p title=\"%s\">%s</p>", "a\"b'c", "x & y < z > w");
	KT_CHECK_STR(kn_buf_str(&B), "<p title=\"a&quot;b&#39;c\">x &amp; y &lt; z &gt; w</p>");
	/* every special character, in a run and alone */
	kn_html_text(b0(), "&<>\"'");
	KT_CHECK_STR(kn_buf_str(&B), "&amp;&lt;&gt;&quot;&#39;");
	/* already-escaped text is escaped again (no double-decoding) */
	kn_h(b0(), "%s", "&amp;");
	KT_CHECK_STR(kn_buf_str(&B), "&amp;amp;");
	/* NULL is empty; UTF-8 passes through */
	kn_h(b0(), "[%s][%s]", (const char *)NULL, "Алматы");
	KT_CHECK_STR(kn_buf_str(&B), "[][Алматы]");
	/* a classic injection attempt stays text */
	kn_h(b0(), "<a href=\"/x?q=%s\">", "\"><script>alert(1)</script>");
	KT_CHECK(!has_ci(kn_buf_str(&B), "<script"));
	KT_CHECK_STR(kn_buf_str(&B), "<a href=\"/x?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">");
}

static void test_translated_text(void)
{
	/* no catalog loaded: %t shows the msgid, escaped like %s */
	kn_i18n_set("ru");
	kn_h(b0(), "<h1>%t</h1>", "Terms & <conditions>");
	KT_CHECK_STR(kn_buf_str(&B), "<h1>Terms &amp; &lt;conditions&gt;</h1>");
	kn_i18n_set("en");
}

static void test_url_encoding(void)
{
	kn_h(b0(), "<a href=\"/councils/%u/edit?q=%u\">", "a b/c", "x&y=1?#é");
	KT_CHECK_STR(kn_buf_str(&B), "<a href=\"/councils/a%20b%2Fc/edit?q=x%26y%3D1%3F%23%C3%A9\">");
	/* the unreserved set is left alone */
	kn_html_url(b0(), "AZaz09-_.~");
	KT_CHECK_STR(kn_buf_str(&B), "AZaz09-_.~");
	/* quotes, angle brackets, plus and percent are always encoded */
	kn_html_url(b0(), "\"'<>+%");
	KT_CHECK_STR(kn_buf_str(&B), "%22%27%3C%3E%2B%25");
	kn_html_url(b0(), "\x01\x7f\xff");
	KT_CHECK_STR(kn_buf_str(&B), "%01%7F%FF");
	kn_h(b0(), "[%u]", (const char *)NULL);
	KT_CHECK_STR(kn_buf_str(&B), "[]");
}

static void test_numbers_and_percent(void)
{
	kn_h(b0(), "%d %d %d", 0, -42, INT_MAX);
	KT_CHECK_STR(kn_buf_str(&B), "0 -42 2147483647");
	kn_h(b0(), "%d", INT_MIN);
	KT_CHECK_STR(kn_buf_str(&B), "-2147483648");
	kn_h(b0(), "%D|%D|%D", (int64_t)INT64_MAX, (int64_t)INT64_MIN, (int64_t)5000000000);
	KT_CHECK_STR(kn_buf_str(&B), "9223372036854775807|-9223372036854775808|5000000000");
	kn_h(b0(), "100%% <b>%d%%</b>", 7);
	KT_CHECK_STR(kn_buf_str(&B), "100% <b>7%</b>");
	/* an unknown conversion is visible, never silent; nothing is consumed
	 * past the end of the format */
	kn_h(b0(), "a%qb");
	KT_CHECK_STR(kn_buf_str(&B), "a[bad format]b");
	kn_h(b0(), "50%");
	KT_CHECK_STR(kn_buf_str(&B), "50[bad format]");
	kn_h(b0(), "");
	KT_CHECK_STR(kn_buf_str(&B), "");
}

static void test_markdown_safe(void)
{
	kn_h(b0(), "%M", "**bold** and [link](https://x)");
	const char *s = kn_buf_str(&B);
	KT_CHECK(strstr(s, "<strong>bold</strong>") != NULL);
	KT_CHECK(strstr(s, "<a href=\"https://x\">link</a>") != NULL);
	/* raw HTML is dropped, script and all */
	kn_h(b0(), "%M", "<script>alert(1)</script>\n\nhi <b onmouseover=\"x()\">there</b>");
	s = kn_buf_str(&B);
	KT_CHECK(!has_ci(s, "<script"));
	KT_CHECK(!has_ci(s, "onmouseover"));
	KT_CHECK(strstr(s, "hi ") != NULL && strstr(s, "there") != NULL);
	/* script links lose their URL, in any case */
	kn_h(b0(), "%M", "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](vbscript:x)");
	s = kn_buf_str(&B);
	KT_CHECK(!has_ci(s, "javascript:"));
	KT_CHECK(!has_ci(s, "vbscript:"));
	KT_CHECK(strstr(s, "<a href=\"\">a</a>") != NULL);
	/* an autolink keeps its text (harmless) but not its URL */
	kn_h(b0(), "%M", "<javascript:alert(3)>");
	s = kn_buf_str(&B);
	KT_CHECK(!has_ci(s, "href=\"javascript"));
	KT_CHECK(strstr(s, "<a href=\"\">javascript:alert(3)</a>") != NULL);
	/* an entity-spelled scheme is caught after decoding */
	kn_h(b0(), "%M", "[x](&#106;avascript:alert(1))");
	KT_CHECK(!has_ci(kn_buf_str(&B), "javascript:"));
	/* images with script URLs too; code spans stay escaped text */
	kn_h(b0(), "%M", "![i](javascript:alert(1)) `<script>`");
	s = kn_buf_str(&B);
	KT_CHECK(!has_ci(s, "javascript:"));
	KT_CHECK(!has_ci(s, "<script"));
	KT_CHECK(strstr(s, "<code>&lt;script&gt;</code>") != NULL);
	/* NULL and empty render nothing */
	kn_h(b0(), "[%M][%M]", (const char *)NULL, "");
	KT_CHECK_STR(kn_buf_str(&B), "[][]");
}

/* Rendered texts are remembered (md_memo): a text seen again gives the
 * same HTML as the first time, a text differing in one byte its own, and
 * more texts than the memo holds, or longer than it keeps, still render. */
static void test_markdown_memo(void)
{
	char first[64][64];
	for (int i = 0; i < 64; i++) {
		char md[64];
		snprintf(md, sizeof(md), "*item %d* and **%d**", i, i * 7);
		kn_h(b0(), "%M", md);
		snprintf(first[i], sizeof(first[i]), "%s", kn_buf_str(&B));
		char want[64];
		snprintf(want, sizeof(want), "<p><em>item %d</em> and <strong>%d</strong></p>\n", i, i * 7);
		KT_CHECK_STR(first[i], want);
	}
	for (int i = 63; i >= 0; i--) {
		char md[64];
		snprintf(md, sizeof(md), "*item %d* and **%d**", i, i * 7);
		kn_h(b0(), "%M", md);
		KT_CHECK_STR(kn_buf_str(&B), first[i]);
	}
	kn_h(b0(), "%M", "*item 1* and **7*");
	KT_CHECK_STR(kn_buf_str(&B), "<p><em>item 1</em> and *<em>7</em></p>\n");
	static char big[40000];
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '#';
	big[1] = ' ';
	for (int k = 0; k < 2; k++) {
		kn_h(b0(), "%M", big);
		KT_CHECK(!strncmp(kn_buf_str(&B), "<h1>aaa", 7));
		KT_CHECK_INT(B.len, sizeof(big) - 3 + 10);
	}
}

/* Event words come from a table searched by action (sorted once). */
static void test_event_labels(void)
{
	KT_CHECK_STR(kn_event_label("account_linked"), "account linked");
	KT_CHECK_STR(kn_event_label("completed"), "completed");
	KT_CHECK_STR(kn_event_label("operator"), "operator");
	KT_CHECK_STR(kn_event_label("filer"), "filer");
	KT_CHECK(kn_event_label("no_such_action") == NULL);
	KT_CHECK(kn_event_label("") == NULL);
	KT_CHECK(kn_event_label(NULL) == NULL);
}

static void test_buffer_limit_sticky(void)
{
	struct kn_buf b;
	kn_buf_init(&b, 16);
	kn_h(&b, "<p>%s</p>", "0123456789");
	KT_CHECK_INT(kn_buf_err(&b), KN_ETOOBIG);
	size_t len = b.len;
	KT_CHECK(len <= 16);
	/* sticky: later small writes are dropped too */
	kn_h(&b, "x");
	kn_buf_addc(&b, 'y');
	KT_CHECK_INT(b.len, len);
	KT_CHECK_INT(kn_buf_err(&b), KN_ETOOBIG);
	kn_buf_free(&b);
	/* escaping can push a short input over the limit */
	kn_buf_init(&b, 16);
	kn_h(&b, "%s", "<<<<<"); /* 20 bytes once escaped */
	KT_CHECK_INT(kn_buf_err(&b), KN_ETOOBIG);
	kn_buf_free(&b);
	/* markdown output counts against the limit as well */
	kn_buf_init(&b, 16);
	kn_h(&b, "%M", "**a long enough paragraph**");
	KT_CHECK_INT(kn_buf_err(&b), KN_ETOOBIG);
	kn_buf_free(&b);
	/* exactly at the limit is fine */
	kn_buf_init(&b, 16);
	kn_h(&b, "%s", "&&&"); /* 15 bytes */
	kn_h(&b, "!");
	KT_CHECK_INT(kn_buf_err(&b), KN_OK);
	KT_CHECK_INT(b.len, 16);
	kn_buf_free(&b);
}

int main(void)
{
	KT_NAME("test_html");
	kn_buf_init(&B, 1 << 20);
	KT_RUN(test_text_escaping);
	KT_RUN(test_translated_text);
	KT_RUN(test_url_encoding);
	KT_RUN(test_numbers_and_percent);
	KT_RUN(test_markdown_safe);
	KT_RUN(test_markdown_memo);
	KT_RUN(test_event_labels);
	KT_RUN(test_buffer_limit_sticky);
	kn_buf_free(&B);
	KT_DONE();
}
