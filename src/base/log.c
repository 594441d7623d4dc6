/* log.c: stderr or syslog lines with the process id and a UTC timestamp. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

static int log_syslog;
static const char *log_ident = "refund-desk";

void
log_open(const char *ident, int use_syslog)
{
	log_ident = ident;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void
log_v(int prio, const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_syslog) {
		syslog(prio, "%s", line);
		return;
	}
	time_t now = time(NULL);
	struct tm tm;
	char ts[32];
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s[%ld] %s %s\n", ts, log_ident, (long)getpid(), level, line);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(LOG_INFO, "info", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(LOG_WARNING, "warn", fmt, ap);
	va_end(ap);
}

const char *
log_safe(const char *s, char *out, unsigned long cap)
{
	unsigned long i = 0;

	if (cap == 0)
		return "";
	for (; s != NULL && s[i] != '\0' && i + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (c < 0x20 || c == 0x7f || c == '"' || c == '\\') ? '?' : (char)c;
	}
	out[i] = '\0';
	return out;
}
