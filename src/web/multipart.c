/* multipart.c: the streaming multipart/form-data parser (RFC 2046 5.1,
 * RFC 7578).
 *
 * The body is scanned for the delimiter "\r\n--boundary". A delimiter only
 * counts when it is followed by "--" (the close delimiter) or by optional
 * transport padding (SP/HT) and CRLF; followed by anything else the held
 * bytes were part data after all and are handed out as such. All matching
 * state lives in the struct and every byte is looked at by the same code
 * however the body was sliced, so a read boundary anywhere (inside a CRLF,
 * inside the boundary, between delimiter and CRLF) changes nothing but how
 * the data callback's slices fall.
 *
 * Line endings are CRLF only. The delimiter carries its CR, so an LF-only
 * body never matches a delimiter and mp_finish refuses it (RD_ERR_INPUT,
 * with no callbacks); a bare LF or CR inside part headers is RD_ERR_INPUT at
 * once. The preamble and the epilogue are ignored, whatever they hold.
 */
#include <stddef.h>
#include <string.h>

#include "web/multipart.h"

enum mp_state {
	MP_PREAMBLE,	/* before the first delimiter: discarded */
	MP_DATA,	/* a part's body: handed out */
	MP_TAIL,	/* a whole delimiter matched: what follows decides */
	MP_DASH,	/* delimiter '-': one more '-' closes */
	MP_PAD,		/* delimiter and transport padding */
	MP_CR,		/* delimiter [padding] CR: LF must follow */
	MP_HEADER,	/* a part header line */
	MP_HEADER_LF,	/* CR in a header line: LF must follow */
	MP_EPILOGUE,	/* after the close delimiter: discarded */
};

/* What one part's headers have set so far: duplicates are refused. */
#define SEEN_DISPOSITION 0x01
#define SEEN_CTYPE	 0x02
#define SEEN_NAME	 0x04
#define SEEN_FILENAME	 0x08

#define MP_MAX_PARTS	16
#define MP_MAX_HEADERS	8

/* A read position in a header value. */
struct cur {
	const char *s;
	const char *end;
};

static int
is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7F;
}

/* RFC 7230 tchar. */
static int
is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bcharsnospace; a space is allowed too, but not last. */
static int
is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/* Case-insensitive: does s[0..n) spell the lowercase word w? */
static int
ieq(const char *s, size_t n, const char *w)
{
	size_t i;
	unsigned char c;

	if (strlen(w) != n)
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if (c != (unsigned char)w[i])
			return 0;
	}
	return 1;
}

static void
skip_ows(struct cur *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t'))
		c->s++;
}

static size_t
take_token(struct cur *c)
{
	const char *start = c->s;

	while (c->s < c->end && is_tchar((unsigned char)*c->s))
		c->s++;
	return (size_t)(c->s - start);
}

/*
 * A parameter value: a token or a quoted-string (backslash escapes any
 * byte). Decoded into dst (room for cap bytes and a NUL) unless dst is NULL,
 * for parameters we only step over. Controls are refused even when escaped.
 */
static enum rd_err
take_value(struct cur *c, char *dst, size_t cap, size_t *np)
{
	const char *start;
	unsigned char ch;
	size_t n = 0;

	if (c->s < c->end && *c->s == '"') {
		c->s++;
		while (c->s < c->end && *c->s != '"') {
			ch = (unsigned char)*c->s++;
			if (ch == '\\') {
				if (c->s == c->end)
					return RD_ERR_INPUT;
				ch = (unsigned char)*c->s++;
			}
			if (is_ctl(ch))
				return RD_ERR_INPUT;
			if (dst != NULL) {
				if (n >= cap)
					return RD_ERR_TOOBIG;
				dst[n] = (char)ch;
			}
			n++;
		}
		if (c->s == c->end)
			return RD_ERR_INPUT;	/* no closing quote */
		c->s++;
	} else {
		start = c->s;
		if ((n = take_token(c)) == 0)
			return RD_ERR_INPUT;
		if (dst != NULL) {
			if (n > cap)
				return RD_ERR_TOOBIG;
			memcpy(dst, start, n);
		}
	}
	if (dst != NULL)
		dst[n] = '\0';
	*np = n;
	return RD_OK;
}

/*
 * Steps to the next parameter, OWS ";" OWS name "=", leaving c at its value.
 * Empty parameters (";;", a trailing ';') are skipped as common practice.
 * Returns 1 with the name in *name, *nlen, 0 at the end, -1 on bad syntax.
 */
static int
param_next(struct cur *c, const char **name, size_t *nlen)
{
	for (;;) {
		skip_ows(c);
		if (c->s == c->end)
			return 0;
		if (*c->s != ';')
			return -1;
		c->s++;
		skip_ows(c);
		if (c->s == c->end)
			return 0;
		if (*c->s != ';')
			break;
	}
	*name = c->s;
	if ((*nlen = take_token(c)) == 0 || c->s == c->end || *c->s != '=')
		return -1;
	c->s++;
	return 1;
}

/* The boundary= parameter of a multipart/form-data Content-Type. */
static enum rd_err
parse_boundary(struct mp_parser *p, const char *ctype)
{
	struct cur c;
	char b[MP_BOUNDARY_MAX + 1];
	const char *pn, *t;
	size_t k, n = 0, i;
	int r, have = 0;
	enum rd_err e;

	if (ctype == NULL)
		return RD_ERR_INPUT;
	c.s = ctype;
	c.end = ctype + strlen(ctype);
	skip_ows(&c);
	t = c.s;
	k = take_token(&c);
	if (!ieq(t, k, "multipart") || c.s == c.end || *c.s++ != '/')
		return RD_ERR_INPUT;
	t = c.s;
	k = take_token(&c);
	if (!ieq(t, k, "form-data"))
		return RD_ERR_INPUT;
	while ((r = param_next(&c, &pn, &k)) == 1) {
		if (!ieq(pn, k, "boundary")) {
			if ((e = take_value(&c, NULL, 0, &i)) != RD_OK)
				return RD_ERR_INPUT;
			continue;
		}
		if (have++)
			return RD_ERR_INPUT;	/* two boundaries: which? */
		/* Over 70 is RD_ERR_TOOBIG here, but to the caller it is bad input. */
		if (take_value(&c, b, MP_BOUNDARY_MAX, &n) != RD_OK)
			return RD_ERR_INPUT;
	}
	if (r < 0 || !have || n == 0 || b[n - 1] == ' ')
		return RD_ERR_INPUT;
	for (i = 0; i < n; i++)
		if (!is_bchar((unsigned char)b[i]))
			return RD_ERR_INPUT;
	memcpy(p->delim, "\r\n--", 4);
	memcpy(p->delim + 4, b, n);
	p->dlen = n + 4;
	return RD_OK;
}

enum rd_err
mp_init(struct mp_parser *p, const char *content_type,
    const struct mp_limits *lim, const struct mp_callbacks *cb, void *ctx)
{
	enum rd_err e;

	memset(p, 0, sizeof(*p));
	if (cb != NULL)
		p->cb = *cb;
	p->ctx = ctx;
	if (lim != NULL)
		p->lim = *lim;
	if (p->lim.max_parts == 0)
		p->lim.max_parts = MP_MAX_PARTS;
	if (p->lim.max_headers == 0)
		p->lim.max_headers = MP_MAX_HEADERS;
	p->state = MP_PREAMBLE;
	/* The first delimiter may open the body with no CRLF before it: start
	 * as if one had just been seen. */
	p->match = 2;
	p->err = RD_OK;
	if ((e = parse_boundary(p, content_type)) != RD_OK)
		p->err = e;
	return e;
}

/* Part data, or nothing while in the preamble. */
static enum rd_err
out(struct mp_parser *p, const char *s, size_t n)
{
	if (!p->in_part || n == 0 || p->cb.data == NULL)
		return RD_OK;
	return p->cb.data(p->ctx, s, n);
}

/* Matching the delimiter in the preamble or a part body. */
static enum rd_err
scan(struct mp_parser *p, const char *data, size_t len, size_t *ip)
{
	const char *cr;
	size_t i = *ip, n;
	enum rd_err e;

	if (p->match == 0) {
		/* Nothing held: everything before the next CR is plain data. */
		cr = memchr(data + i, '\r', len - i);
		n = cr != NULL ? (size_t)(cr - (data + i)) : len - i;
		if ((e = out(p, data + i, n)) != RD_OK)
			return e;
		*ip = i + n;
		if (cr != NULL) {
			p->match = 1;
			(*ip)++;
		}
		return RD_OK;
	}
	if (data[i] == p->delim[p->match]) {
		(*ip)++;
		if (++p->match == p->dlen) {
			p->state = MP_TAIL;
			p->llen = 0;
		}
		return RD_OK;
	}
	/*
	 * Not a delimiter. The boundary has no CR, so no proper suffix of the
	 * held bytes can begin one: all of them are data, and this byte (which
	 * may be a CR, as in "\r\r\n--b") is looked at afresh.
	 */
	e = out(p, p->delim, p->match);
	p->match = 0;
	return e;
}

/*
 * What followed a whole delimiter was not "--" or padding and CRLF: the
 * delimiter and the padding were data. A held CR is taken up again as the
 * start of a fresh match, then the failing byte is looked at afresh.
 */
static enum rd_err
rollback(struct mp_parser *p, int held_cr)
{
	enum rd_err e;

	if ((e = out(p, p->delim, p->dlen)) != RD_OK)
		return e;
	if ((e = out(p, p->line, p->llen)) != RD_OK)
		return e;
	p->llen = 0;
	p->state = p->in_part ? MP_DATA : MP_PREAMBLE;
	p->match = held_cr ? 1 : 0;
	return RD_OK;
}

/* A delimiter line: the current part (if any) ends, the next one's headers
 * follow. */
static enum rd_err
delimited(struct mp_parser *p)
{
	enum rd_err e;

	if (p->in_part) {
		p->in_part = 0;
		if (p->cb.end != NULL && (e = p->cb.end(p->ctx)) != RD_OK)
			return e;
	}
	if (p->nparts >= p->lim.max_parts)
		return RD_ERR_TOOBIG;
	p->nparts++;
	memset(&p->part, 0, sizeof(p->part));
	p->nheaders = 0;
	p->seen = 0;
	p->llen = 0;
	p->state = MP_HEADER;
	return RD_OK;
}

/* The close delimiter: the last part ends, the epilogue is ignored. */
static enum rd_err
closed(struct mp_parser *p)
{
	p->state = MP_EPILOGUE;
	p->llen = 0;
	if (p->in_part) {
		p->in_part = 0;
		if (p->cb.end != NULL)
			return p->cb.end(p->ctx);
	}
	return RD_OK;
}

/* One byte after a whole delimiter; *used says whether it was consumed. */
static enum rd_err
tail(struct mp_parser *p, unsigned char c, int *used)
{
	*used = 1;
	switch (p->state) {
	case MP_TAIL:
		if (c == '-') {
			p->line[p->llen++] = '-';	/* held, in case */
			p->state = MP_DASH;
			return RD_OK;
		}
		if (c == '\r') {
			p->state = MP_CR;
			return RD_OK;
		}
		if (c == ' ' || c == '\t') {
			p->line[p->llen++] = (char)c;
			p->state = MP_PAD;
			return RD_OK;
		}
		break;
	case MP_DASH:
		if (c == '-')
			return closed(p);
		break;
	case MP_PAD:
		if (c == '\r') {
			p->state = MP_CR;
			return RD_OK;
		}
		if (c == ' ' || c == '\t') {
			/* Padding is held to replay as data; we hold only so much. */
			if (p->llen >= MP_HEADER_MAX)
				return RD_ERR_INPUT;
			p->line[p->llen++] = (char)c;
			return RD_OK;
		}
		break;
	case MP_CR:
		if (c == '\n')
			return delimited(p);
		*used = 0;
		return rollback(p, 1);
	default:
		return RD_ERR_INTERNAL;
	}
	*used = 0;
	return rollback(p, 0);
}

/* Content-Disposition: form-data; name="..."; filename="..." */
static enum rd_err
disposition(struct mp_parser *p, struct cur *c)
{
	const char *pn, *t = c->s;
	size_t k, n;
	int r;
	enum rd_err e;

	k = take_token(c);
	if (!ieq(t, k, "form-data"))
		return RD_ERR_INPUT;
	while ((r = param_next(c, &pn, &k)) == 1) {
		if (ieq(pn, k, "name")) {
			if (p->seen & SEEN_NAME)
				return RD_ERR_INPUT;
			p->seen |= SEEN_NAME;
			e = take_value(c, p->part.name, MP_NAME_MAX, &n);
		} else if (ieq(pn, k, "filename")) {
			if (p->seen & SEEN_FILENAME)
				return RD_ERR_INPUT;
			p->seen |= SEEN_FILENAME;
			p->part.has_filename = 1;
			e = take_value(c, p->part.filename, MP_FILENAME_MAX, &n);
		} else {
			/* filename* and the rest: checked for syntax, ignored. */
			e = take_value(c, NULL, 0, &n);
		}
		if (e != RD_OK)
			return e;
	}
	return r < 0 ? RD_ERR_INPUT : RD_OK;
}

/* Content-Type: kept as declared, trimmed; the file sniffer decides. */
static enum rd_err
part_ctype(struct mp_parser *p, struct cur *c)
{
	size_t n;

	while (c->end > c->s && (c->end[-1] == ' ' || c->end[-1] == '\t'))
		c->end--;
	n = (size_t)(c->end - c->s);
	if (n > MP_CTYPE_MAX)
		return RD_ERR_TOOBIG;
	memcpy(p->part.content_type, c->s, n);
	p->part.content_type[n] = '\0';
	return RD_OK;
}

/* One complete header line, without its CRLF. Unknown headers are ignored. */
static enum rd_err
header_line(struct mp_parser *p)
{
	struct cur c;
	const char *name;
	size_t k;

	c.s = p->line;
	c.end = p->line + p->llen;
	name = c.s;
	k = take_token(&c);
	if (k == 0 || c.s == c.end || *c.s != ':')
		return RD_ERR_INPUT;
	c.s++;
	skip_ows(&c);
	if (ieq(name, k, "content-disposition")) {
		if (p->seen & SEEN_DISPOSITION)
			return RD_ERR_INPUT;
		p->seen |= SEEN_DISPOSITION;
		return disposition(p, &c);
	}
	if (ieq(name, k, "content-type")) {
		if (p->seen & SEEN_CTYPE)
			return RD_ERR_INPUT;
		p->seen |= SEEN_CTYPE;
		return part_ctype(p, &c);
	}
	return RD_OK;
}

/* The empty line after a part's headers: its body starts. */
static enum rd_err
headers_done(struct mp_parser *p)
{
	if (!(p->seen & SEEN_DISPOSITION) || p->part.name[0] == '\0')
		return RD_ERR_INPUT;
	p->in_part = 1;
	p->state = MP_DATA;
	p->match = 0;
	if (p->cb.begin != NULL)
		return p->cb.begin(p->ctx, &p->part);
	return RD_OK;
}

static enum rd_err
header_byte(struct mp_parser *p, unsigned char c)
{
	enum rd_err e;

	if (p->state == MP_HEADER_LF) {
		if (c != '\n')
			return RD_ERR_INPUT;
		if (p->llen == 0)
			return headers_done(p);
		if (p->nheaders >= p->lim.max_headers)
			return RD_ERR_TOOBIG;
		p->nheaders++;
		e = header_line(p);
		p->llen = 0;
		p->state = MP_HEADER;
		return e;
	}
	if (c == '\r') {
		p->state = MP_HEADER_LF;
		return RD_OK;
	}
	/* Controls, a bare LF among them, never belong in a header. */
	if (is_ctl(c))
		return RD_ERR_INPUT;
	if (p->llen >= MP_HEADER_MAX)
		return RD_ERR_TOOBIG;
	p->line[p->llen++] = (char)c;
	return RD_OK;
}

enum rd_err
mp_feed(struct mp_parser *p, const char *data, size_t len)
{
	size_t i = 0;
	int used;
	enum rd_err e = RD_OK;

	if (p->err != RD_OK)
		return p->err;
	while (i < len) {
		switch (p->state) {
		case MP_PREAMBLE:
		case MP_DATA:
			e = scan(p, data, len, &i);
			break;
		case MP_TAIL:
		case MP_DASH:
		case MP_PAD:
		case MP_CR:
			e = tail(p, (unsigned char)data[i], &used);
			i += (size_t)used;
			break;
		case MP_HEADER:
		case MP_HEADER_LF:
			e = header_byte(p, (unsigned char)data[i++]);
			break;
		case MP_EPILOGUE:
			i = len;
			break;
		default:
			e = RD_ERR_INTERNAL;
			break;
		}
		if (e != RD_OK)
			return p->err = e;
	}
	return RD_OK;
}

enum rd_err
mp_finish(struct mp_parser *p)
{
	if (p->err != RD_OK)
		return p->err;
	if (p->state != MP_EPILOGUE)
		return p->err = RD_ERR_INPUT;
	return RD_OK;
}
