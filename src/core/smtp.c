/* smtp.c: one e-mail over SMTP (libcurl): headers we write ourselves,
 * the subject RFC 2047-encoded, the body as UTF-8 text with CRLF lines. */
#include "core/smtp.h"
#include "core/buf.h"
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct upload {
	const char *p;
	size_t left;
};

static size_t on_read(char *dst, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(dst, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

/* A header value with no CR or LF (header injection). */
static bool header_safe(const char *s)
{
	return s && !strpbrk(s, "\r\n");
}

enum kn_err kn_smtp_send(const struct kn_smtp *s, const char *to, const char *subject, const char *body, char *err,
                         size_t errlen)
{
	if (!s->url || !*s->url || !header_safe(to) || !header_safe(s->from) || !header_safe(subject) || !*to) {
		snprintf(err, errlen, "mail not configured or bad address");
		return KN_EIO;
	}
	pthread_once(&once, global_init);
	struct kn_buf m;
	kn_buf_init(&m, 1 << 20);
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	unsigned char rnd[12];
	randombytes_buf(rnd, sizeof(rnd));
	char id[25];
	sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
	const char *at = strchr(s->from, '@');
	/* the subject as one RFC 2047 base64 word (UTF-8 safe) */
	size_t sl = strlen(subject);
	size_t b64len = sodium_base64_ENCODED_LEN(sl, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(b64len);
	if (!b64) {
		kn_buf_free(&m);
		return KN_ENOMEM;
	}
	sodium_bin2base64(b64, b64len, (const unsigned char *)subject, sl, sodium_base64_VARIANT_ORIGINAL);
	kn_buf_printf(&m,
	              "Date: %s\r\nTo: <%s>\r\nFrom: <%s>\r\nMessage-ID: <%s%s>\r\nSubject: =?UTF-8?B?%s?=\r\n"
	              "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
	              "Auto-Submitted: auto-generated\r\n\r\n",
	              date, to, s->from, id, at ? at : "@kenes", b64);
	free(b64);
	/* body: bare LF to CRLF */
	for (const char *p = body ? body : ""; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			kn_buf_addc(&m, '\r');
		kn_buf_addc(&m, *p);
	}
	kn_buf_adds(&m, "\r\n");
	if (kn_buf_err(&m)) {
		kn_buf_free(&m);
		snprintf(err, errlen, "message too large");
		return KN_EIO;
	}
	CURL *c = curl_easy_init();
	if (!c) {
		kn_buf_free(&m);
		snprintf(err, errlen, "curl_easy_init failed");
		return KN_EIO;
	}
	char from[320], rcpt_s[320];
	snprintf(from, sizeof(from), "<%s>", s->from);
	snprintf(rcpt_s, sizeof(rcpt_s), "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_s);
	struct upload u = {m.data, m.len};
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, s->timeout > 0 ? s->timeout : 30L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	if (s->user && *s->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->password ? s->password : "");
		/* credentials only over TLS: STARTTLS required on smtp:// */
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", *ebuf ? ebuf : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	kn_buf_free(&m);
	return rc == CURLE_OK ? KN_OK : KN_EIO;
}
