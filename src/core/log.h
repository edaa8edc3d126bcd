/* log.h: diagnostics to stderr and the access log, one line each. */
#ifndef KN_LOG_H
#define KN_LOG_H
#include "core/kn.h"

enum kn_log_level { KN_LOG_DEBUG, KN_LOG_INFO, KN_LOG_WARN, KN_LOG_ERROR };

void kn_log_set_level(enum kn_log_level l);
void kn_log(enum kn_log_level l, const char *fmt, ...) KN_PRINTF(2, 3);
#define kn_info(...) kn_log(KN_LOG_INFO, __VA_ARGS__)
#define kn_warn(...) kn_log(KN_LOG_WARN, __VA_ARGS__)
#define kn_error(...) kn_log(KN_LOG_ERROR, __VA_ARGS__)
#define kn_debug(...) kn_log(KN_LOG_DEBUG, __VA_ARGS__)

/* Access log: path "-" is stderr, "" or "off" disables, else a file
 * opened for append. Returns KN_EIO if the file cannot be opened. */
enum kn_err kn_log_access_open(const char *path);
void kn_log_access(const char *line);
/* Whether an access log is open (a line need not be formatted otherwise). */
bool kn_log_access_on(void);

#endif
