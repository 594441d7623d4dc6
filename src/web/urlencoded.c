/* urlencoded.c: the streaming application/x-www-form-urlencoded parser.
 *
 * Every byte goes through one small state machine whose whole state lives in
 * the struct, so where the body was split between reads can never change what
 * comes out. The grammar, as browsers produce it and as we accept it:
 *   - pairs are separated by '&' only (';' is an ordinary byte);
 *   - an empty pair ("a=1&&b=2", a leading or trailing '&') is skipped;
 *   - a name without '=' has an empty value;
 *   - a pair with an empty name ("=x") is refused: no browser sends one, and
 *     guessing what it meant is how half-accepted input starts;
 *   - '+' is a space, %XX is a byte (hex either case), anything else about a
 *     '%' is RD_ERR_INPUT, including a '%' cut short by '&' or the end;
 *   - a second '=' is part of the value ("a=b=c" gives "b=c");
 *   - decoded bytes are not judged here: %00 and raw bytes pass through with
 *     their lengths, and the form validators refuse what they must.
 */
#include <stddef.h>
#include <string.h>

#include "web/urlencoded.h"

enum ue_state {
	UE_NAME,
	UE_VALUE,
	UE_DONE,	/* urlenc_finish was called */
};

#define UE_MAX_FIELDS 64

void
urlenc_init(struct urlenc_parser *p, const struct urlenc_limits *lim,
    urlenc_field_cb cb, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->cb = cb;
	p->ctx = ctx;
	if (lim != NULL)
		p->lim = *lim;
	if (p->lim.max_fields == 0)
		p->lim.max_fields = UE_MAX_FIELDS;
	/* The buffer is sized for URLENC_VALUE_MAX; a larger limit cannot hold. */
	if (p->lim.max_value == 0 || p->lim.max_value > URLENC_VALUE_MAX)
		p->lim.max_value = URLENC_VALUE_MAX;
	p->state = UE_NAME;
	p->err = RD_OK;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends one decoded byte to the name or the value, within its limit. */
static enum rd_err
put(struct urlenc_parser *p, unsigned char c)
{
	if (p->state == UE_NAME) {
		if (p->nlen >= URLENC_NAME_MAX)
			return RD_ERR_TOOBIG;
		p->name[p->nlen++] = (char)c;
	} else {
		if (p->vlen >= p->lim.max_value)
			return RD_ERR_TOOBIG;
		p->value[p->vlen++] = (char)c;
	}
	return RD_OK;
}

/* The current pair is complete: hand it out and start the next. */
static enum rd_err
emit(struct urlenc_parser *p)
{
	enum rd_err e = RD_OK;

	if (p->pct != 0)
		return RD_ERR_INPUT;	/* "%" or "%4" at the end */
	if (!p->any)
		return RD_OK;		/* an empty pair is not a field */
	if (p->nlen == 0)
		return RD_ERR_INPUT;	/* "=x" */
	if (p->nfields >= p->lim.max_fields)
		return RD_ERR_TOOBIG;
	p->nfields++;
	p->name[p->nlen] = '\0';
	p->value[p->vlen] = '\0';
	if (p->cb != NULL)
		e = p->cb(p->ctx, p->name, p->nlen, p->value, p->vlen);
	p->state = UE_NAME;
	p->nlen = p->vlen = 0;
	p->any = 0;
	return e;
}

static enum rd_err
step(struct urlenc_parser *p, unsigned char c)
{
	int v;

	if (p->pct != 0) {
		if ((v = hexval(c)) < 0)
			return RD_ERR_INPUT;
		if (p->pct == 1) {
			p->hex = v;
			p->pct = 2;
			return RD_OK;
		}
		p->pct = 0;
		return put(p, (unsigned char)(p->hex << 4 | v));
	}
	switch (c) {
	case '&':
		return emit(p);
	case '=':
		if (p->state == UE_NAME) {
			p->state = UE_VALUE;
			p->any = 1;
			return RD_OK;
		}
		break;
	case '%':
		p->pct = 1;
		p->any = 1;
		return RD_OK;
	case '+':
		c = ' ';
		break;
	default:
		break;
	}
	p->any = 1;
	return put(p, c);
}

enum rd_err
urlenc_feed(struct urlenc_parser *p, const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	enum rd_err e;
	size_t i;

	if (p->err != RD_OK)
		return p->err;
	if (p->state == UE_DONE)
		return p->err = RD_ERR_INTERNAL;	/* fed after finish */
	for (i = 0; i < len; i++)
		if ((e = step(p, s[i])) != RD_OK)
			return p->err = e;
	return RD_OK;
}

enum rd_err
urlenc_finish(struct urlenc_parser *p)
{
	enum rd_err e;

	if (p->err != RD_OK)
		return p->err;
	if (p->state == UE_DONE)
		return p->err = RD_ERR_INTERNAL;	/* finished twice */
	if ((e = emit(p)) != RD_OK)
		return p->err = e;
	p->state = UE_DONE;
	return RD_OK;
}

enum rd_err
urlenc_parse(const char *data, size_t len, const struct urlenc_limits *lim,
    urlenc_field_cb cb, void *ctx)
{
	struct urlenc_parser p;
	enum rd_err e;

	/* About 8 KiB on the stack: the struct is the parser's only memory. */
	urlenc_init(&p, lim, cb, ctx);
	if ((e = urlenc_feed(&p, data, len)) != RD_OK)
		return e;
	return urlenc_finish(&p);
}
