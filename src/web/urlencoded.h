/* urlencoded.h: a streaming application/x-www-form-urlencoded parser. Pure
 * code over bytes: no libfcgi, no I/O, no allocation beyond the struct.
 * Feed the body in chunks of any size; each complete name=value pair is
 * decoded ('+' -> space, %XX) and handed to the callback. */
#ifndef RD_URLENCODED_H
#define RD_URLENCODED_H

#include <stddef.h>
#include "base/err.h"

#define URLENC_NAME_MAX 64      /* decoded bytes in a field name */
#define URLENC_VALUE_MAX 8192   /* decoded bytes in a field value */

/* Called once per pair with decoded, NUL-terminated copies (which may contain
 * embedded NUL bytes when the input had %00: use the lengths). Return RD_OK to
 * go on; any other value stops the parse and is returned from the feed call. */
typedef enum rd_err (*urlenc_field_cb)(void *ctx, const char *name, size_t nlen,
    const char *value, size_t vlen);

struct urlenc_limits {
	size_t max_fields;   /* 0 means 64 */
	size_t max_value;    /* 0 means URLENC_VALUE_MAX; never more than it */
};

struct urlenc_parser {
	urlenc_field_cb cb;
	void *ctx;
	struct urlenc_limits lim;
	int state;              /* private: in the name, in the value, done */
	int pct;                /* private: 0, 1 after '%', 2 after %X */
	int hex;                /* private: pending %X nibble */
	int any;                /* private: the pair has had a byte */
	size_t nfields;
	size_t nlen, vlen;
	char name[URLENC_NAME_MAX + 1];
	char value[URLENC_VALUE_MAX + 1];
	enum rd_err err;        /* sticky after the first failure */
};

void urlenc_init(struct urlenc_parser *p, const struct urlenc_limits *lim,
    urlenc_field_cb cb, void *ctx);
/* Consumes all of data[0..len). RD_ERR_INPUT on bad escapes, RD_ERR_TOOBIG
 * over a limit, or the callback's error. */
enum rd_err urlenc_feed(struct urlenc_parser *p, const char *data, size_t len);
/* End of input: emits the last pair. */
enum rd_err urlenc_finish(struct urlenc_parser *p);

/* Convenience for query strings: parse a whole buffer. */
enum rd_err urlenc_parse(const char *data, size_t len, const struct urlenc_limits *lim,
    urlenc_field_cb cb, void *ctx);

#endif
