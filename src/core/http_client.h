/* http_client.h: outgoing HTTP POST (libcurl), for the publication outbox. */
#ifndef KN_HTTP_CLIENT_H
#define KN_HTTP_CLIENT_H
#include "core/kn.h"

struct kn_http_result {
	long status;      /* HTTP status, 0 when no answer came (network error) */
	char *body;       /* the answer's body (malloc'd, NUL-terminated; caller frees), up to 64 KiB */
	size_t len;
	char error[256];  /* why there was no answer */
};
/* POSTs body to url with content type ctype and extra "Name: value"
 * headers (NULL-terminated, may be NULL). Returns KN_OK when an answer
 * came (whatever its status), KN_EIO otherwise. Thread-safe. */
enum kn_err kn_http_post(const char *url, const char *ctype, const char *body, size_t len,
                         const char *const *headers, long timeout_seconds, struct kn_http_result *res);

#endif
