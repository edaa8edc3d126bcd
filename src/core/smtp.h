/* smtp.h: sending one e-mail through an SMTP server with libcurl. */
#ifndef KN_CORE_SMTP_H
#define KN_CORE_SMTP_H
#include "core/kn.h"

struct kn_smtp {
	const char *url;            /* smtp://host:port or smtps://host:port */
	const char *from;           /* envelope and header sender */
	const char *user, *password; /* NULL or "": no authentication */
	long timeout;               /* seconds for the whole exchange */
};

/* Sends a plain-text UTF-8 message. KN_OK when the server accepted it;
 * KN_EIO otherwise, with the reason in err. Safe from several threads. */
enum kn_err kn_smtp_send(const struct kn_smtp *s, const char *to, const char *subject, const char *body, char *err,
                         size_t errlen);

#endif
