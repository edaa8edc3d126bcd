/* log.c: timestamped diagnostic lines and the access log. */
#include "core/log.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum kn_log_level min_level = KN_LOG_INFO;
static FILE *access_fp;
static _Atomic bool access_on; /* access_fp is set: lines are worth formatting */
static pthread_mutex_t access_mu = PTHREAD_MUTEX_INITIALIZER;

void kn_log_set_level(enum kn_log_level l)
{
	min_level = l;
}

void kn_log(enum kn_log_level l, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	if (l < min_level)
		return;
	char msg[1024], ts[32];
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s kenes %s: %s\n", ts, names[l], msg);
}

enum kn_err kn_log_access_open(const char *path)
{
	FILE *fp = NULL;
	if (!path || !*path || strcmp(path, "off") == 0)
		fp = NULL;
	else if (strcmp(path, "-") == 0)
		fp = stderr;
	else if (!(fp = fopen(path, "a")))
		return KN_EIO;
	if (fp && fp != stderr)
		setvbuf(fp, NULL, _IOLBF, 0);
	pthread_mutex_lock(&access_mu);
	if (access_fp && access_fp != stderr)
		fclose(access_fp);
	access_fp = fp;
	access_on = fp != NULL;
	pthread_mutex_unlock(&access_mu);
	return KN_OK;
}

bool kn_log_access_on(void)
{
	return access_on;
}

void kn_log_access(const char *line)
{
	pthread_mutex_lock(&access_mu);
	if (access_fp) {
		fputs(line, access_fp);
		fputc('\n', access_fp);
	}
	pthread_mutex_unlock(&access_mu);
}
