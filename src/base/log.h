/* log.h: one line per event to stderr (nginx/spawn-fcgi collect it) or
 * syslog. Values are printed escaped, so a request can never forge a line. */
#ifndef RD_LOG_H
#define RD_LOG_H

void log_open(const char *ident, int use_syslog);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copies s into out, replacing control bytes and quotes with '?', cut to cap. */
const char *log_safe(const char *s, char *out, unsigned long cap);

#endif
