/* http_client.c: outgoing HTTP POST through libcurl (the only file that
 * includes curl.h). No redirects are followed, only http and https. */
#include "core/http_client.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ANSWER (64 * 1024)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct kn_http_result *res = arg;
	size_t add = size * n;
	size_t keep = res->len + add > MAX_ANSWER ? MAX_ANSWER - res->len : add;
	if (keep) {
		char *t = realloc(res->body, res->len + keep + 1);
		if (!t)
			return 0;
		res->body = t;
		memcpy(res->body + res->len, p, keep);
		res->len += keep;
		res->body[res->len] = 0;
	}
	return add;
}

enum kn_err kn_http_post(const char *url, const char *ctype, const char *body, size_t len,
                         const char *const *headers, long timeout_seconds, struct kn_http_result *res)
{
	pthread_once(&once, global_init);
	memset(res, 0, sizeof(*res));
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(res->error, sizeof(res->error), "libcurl failed to start");
		return KN_EIO;
	}
	struct curl_slist *hl = NULL;
	char ct[128];
	snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
	hl = curl_slist_append(hl, ct);
	hl = curl_slist_append(hl, "Expect:");
	for (int i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "kenes");
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_seconds);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_seconds < 10 ? timeout_seconds : 10L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, res);
	CURLcode cc = curl_easy_perform(h);
	enum kn_err rc = KN_OK;
	if (cc != CURLE_OK) {
		snprintf(res->error, sizeof(res->error), "%s", curl_easy_strerror(cc));
		rc = KN_EIO;
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
	}
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	return rc;
}
