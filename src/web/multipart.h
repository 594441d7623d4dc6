/* multipart.h: a streaming multipart/form-data parser (RFC 7578). Pure code
 * over bytes: no libfcgi, no I/O, no allocation beyond the struct. Bodies may
 * arrive split at any byte, one byte at a time included; part data is handed
 * out as it arrives, so a 5 MiB upload is never held in memory whole. */
#ifndef RD_MULTIPART_H
#define RD_MULTIPART_H

#include <stddef.h>
#include "base/err.h"

#define MP_BOUNDARY_MAX 70        /* RFC 2046 limit */
#define MP_HEADER_MAX 1024        /* one part header line */
#define MP_NAME_MAX 64
#define MP_FILENAME_MAX 255
#define MP_CTYPE_MAX 127

struct mp_part {
	char name[MP_NAME_MAX + 1];          /* form field name */
	char filename[MP_FILENAME_MAX + 1];  /* as sent; never trusted for paths */
	int has_filename;                    /* a file part, even if filename="" */
	char content_type[MP_CTYPE_MAX + 1]; /* as declared; never trusted */
};

struct mp_callbacks {
	/* A part's headers are complete. */
	enum rd_err (*begin)(void *ctx, const struct mp_part *part);
	/* Some of the current part's body; called zero or more times. */
	enum rd_err (*data)(void *ctx, const char *p, size_t n);
	/* The current part's body is complete. */
	enum rd_err (*end)(void *ctx);
};

struct mp_limits {
	size_t max_parts;      /* 0 means 16 */
	size_t max_headers;    /* header lines per part; 0 means 8 */
};

struct mp_parser {
	struct mp_callbacks cb;
	void *ctx;
	struct mp_limits lim;
	/* private below */
	char delim[MP_BOUNDARY_MAX + 4];   /* "\r\n--" boundary */
	size_t dlen;
	size_t match;                      /* bytes of delim matched so far */
	int state;
	size_t nparts, nheaders;
	char line[MP_HEADER_MAX + 1];
	size_t llen;
	struct mp_part part;
	int in_part;                       /* a part's body is open */
	int seen;                          /* SEEN_* bits (multipart.c) */
	enum rd_err err;                   /* sticky after the first failure */
};

/* Extracts boundary= from a Content-Type header value. RD_ERR_INPUT when the
 * type is not multipart/form-data or the boundary is missing, empty, too long
 * or has characters RFC 2046 does not allow. */
enum rd_err mp_init(struct mp_parser *p, const char *content_type,
    const struct mp_limits *lim, const struct mp_callbacks *cb, void *ctx);
/* Consumes all of data[0..len). */
enum rd_err mp_feed(struct mp_parser *p, const char *data, size_t len);
/* End of input: RD_ERR_INPUT unless the closing delimiter was seen. */
enum rd_err mp_finish(struct mp_parser *p);

#endif
