/* buf.h: a growable byte buffer (response bodies, JSON). Owned by its user;
 * buf_reset() keeps the capacity so a worker reuses it between requests. */
#ifndef RD_BUF_H
#define RD_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include "base/err.h"

struct buf {
	char *data;     /* always NUL-terminated when len > 0 or after buf_cstr() */
	size_t len;
	size_t cap;
	int failed;     /* sticky: an append ran out of memory */
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *buf_cstr(struct buf *b);

#endif
