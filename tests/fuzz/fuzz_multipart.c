/* fuzz_multipart.c: libFuzzer harness for the multipart parser, run as a
 * differential test: the same body is fed whole, in chunks whose sizes come
 * from the input, and one byte at a time, and the three event transcripts
 * (hashed) must agree, or we abort(). The callbacks also check the event
 * grammar: begin, data*, end; nothing after an error; sticky errors. When
 * the parse succeeds, a naive whole-buffer search for the delimiters must
 * find the same parts holding the same data: that catches bytes lost or
 * invented the same way at every split, which the differential cannot.
 *
 * Input: byte 0 picks the largest chunk (low 6 bits) and the limits (high 2
 * bits); byte 1 says where a callback fails (0: never), counted in units that
 * do not depend on the slicing: a begin, an end, one data byte; bytes 2-3
 * seed the chunk sizes. Then one line, up to '\n': a Content-Type value if
 * it has a '/', else a boundary put into "multipart/form-data; boundary=".
 * The rest is the body.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined
 *   -fno-sanitize-recover=undefined -Isrc src/web/multipart.c src/base/err.c
 *   tests/fuzz/fuzz_multipart.c -o fuzz_multipart
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct run {
	uint64_t	 h;		/* FNV-1a of the event stream */
	size_t		 ndata;		/* data bytes seen */
	int		 in_part;
	int		 stopped;	/* a call has failed: no more events */
	int		 cb_failed;	/* a callback returned an error */
	unsigned	 units, fail_at;
	uint64_t	 dh;		/* FNV-1a of 'P' per part and its data */
	size_t		 nparts;
	enum rd_err	 result;
	char		 delim[MP_BOUNDARY_MAX + 4];
	size_t		 dlen;
};

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static void
dmix(uint64_t *h, unsigned char c)
{
	*h ^= c;
	*h *= FNV_PRIME;
}

static void
mix(struct run *r, unsigned char c)
{
	dmix(&r->h, c);
}

static void
mixs(struct run *r, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max)
		abort();		/* the struct's string overran */
	while (*s != '\0')
		mix(r, (unsigned char)*s++);
	mix(r, 0);
}

/* Counts one unit; the callback that reaches fail_at fails. */
static int
unit(struct run *r)
{
	if (r->stopped || r->cb_failed)
		abort();		/* a callback after the parse failed */
	if (r->fail_at != 0 && ++r->units == r->fail_at) {
		r->cb_failed = 1;
		return 1;
	}
	return 0;
}

static enum rd_err
on_begin(void *ctx, const struct mp_part *p)
{
	struct run *r = ctx;

	if (r->in_part || p->name[0] == '\0')
		abort();
	r->in_part = 1;
	r->nparts++;
	dmix(&r->dh, 'P');
	mix(r, 'B');
	mixs(r, p->name, MP_NAME_MAX);
	mix(r, (unsigned char)p->has_filename);
	mixs(r, p->filename, MP_FILENAME_MAX);
	mixs(r, p->content_type, MP_CTYPE_MAX);
	if (!p->has_filename && p->filename[0] != '\0')
		abort();
	return unit(r) ? RD_ERR_IO : RD_OK;
}

static enum rd_err
on_data(void *ctx, const char *s, size_t n)
{
	struct run *r = ctx;
	size_t i;

	if (!r->in_part || n == 0)
		abort();
	/* Per byte, so how the data was sliced does not change the hash. */
	for (i = 0; i < n; i++) {
		mix(r, 'D');
		mix(r, (unsigned char)s[i]);
		dmix(&r->dh, (unsigned char)s[i]);
		r->ndata++;
		if (unit(r))
			return RD_ERR_IO;
	}
	return RD_OK;
}

static enum rd_err
on_end(void *ctx)
{
	struct run *r = ctx;

	if (!r->in_part)
		abort();
	r->in_part = 0;
	mix(r, 'E');
	return unit(r) ? RD_ERR_IO : RD_OK;
}

static const struct mp_callbacks cbs = { on_begin, on_data, on_end };

/* One result: remembered if first, and once failed always the same. */
static void
result(struct run *r, enum rd_err *first, enum rd_err e)
{
	if (*first != RD_OK && e != *first)
		abort();		/* not sticky */
	if (*first == RD_OK && e != RD_OK) {
		*first = e;
		r->stopped = 1;
	}
}

static uint32_t
rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* mode 0: whole; 1: chunks from the seed; 2: one byte at a time. */
static void
run(struct run *r, const char *ctype, const struct mp_limits *lim,
    unsigned fail_at, const char *body, size_t len, int mode,
    unsigned maxchunk, uint32_t seed)
{
	struct mp_parser p;
	enum rd_err first = RD_OK;
	size_t off = 0, n;

	memset(r, 0, sizeof(*r));
	r->h = r->dh = FNV_OFFSET;
	r->fail_at = fail_at;
	result(r, &first, mp_init(&p, ctype, lim, &cbs, r));
	/* The harness peeks at the delimiter for ref_check. */
	memcpy(r->delim, p.delim, sizeof(r->delim));
	r->dlen = p.dlen;
	while (off < len) {
		if (mode == 0)
			n = len;
		else if (mode == 2)
			n = 1;
		else {
			/* Now and then an empty feed, which must be harmless. */
			n = rng(&seed) % (maxchunk + 1);
		}
		if (n > len - off)
			n = len - off;
		result(r, &first, mp_feed(&p, body + off, n));
		off += n;
	}
	result(r, &first, mp_finish(&p));
	result(r, &first, mp_finish(&p));
	if (first == RD_OK && r->in_part)
		abort();		/* finished OK inside a part */
	if (r->cb_failed && first != RD_ERR_IO)
		abort();		/* the callback's error was lost */
	if (r->ndata > len)
		abort();
	mix(r, 'R');
	mix(r, (unsigned char)first);
	r->result = first;
}

/* Is there a delimiter at b[i..n)? 1: a delimiter line, *next after its
 * CRLF; 2: the close delimiter; 0: no. */
static int
ref_delim(const struct run *r, const char *b, size_t n, size_t i,
    size_t *next)
{
	if (n - i < r->dlen || memcmp(b + i, r->delim, r->dlen) != 0)
		return 0;
	i += r->dlen;
	if (n - i >= 2 && b[i] == '-' && b[i + 1] == '-')
		return 2;
	while (i < n && (b[i] == ' ' || b[i] == '\t'))
		i++;
	if (n - i >= 2 && b[i] == '\r' && b[i + 1] == '\n') {
		*next = i + 2;
		return 1;
	}
	return 0;
}

/*
 * For a body the parser accepted: search the whole buffer, with a CRLF put
 * in front so a delimiter may open it, for each delimiter in turn; a part's
 * headers end at the first empty line, its data runs to the next delimiter.
 */
static void
ref_check(const struct run *r, const char *body, size_t len)
{
	uint64_t h = FNV_OFFSET;
	size_t n = len + 2, i = 0, next = 0, nparts = 0;
	char *b;
	int k;

	if ((b = malloc(n)) == NULL)
		abort();
	memcpy(b, "\r\n", 2);
	memcpy(b + 2, body, len);
	while ((k = ref_delim(r, b, n, i, &next)) == 0)
		if (++i >= n)
			abort();	/* the parser saw a delimiter */
	while (k == 1) {
		for (i = next; n - i >= 4 && memcmp(b + i, "\r\n\r\n", 4); i++)
			;
		if (n - i < 4)
			abort();	/* the parser saw the headers end */
		i += 4;
		dmix(&h, 'P');
		nparts++;
		while ((k = ref_delim(r, b, n, i, &next)) == 0) {
			if (i >= n)
				abort();	/* the parser saw the close */
			dmix(&h, (unsigned char)b[i++]);
		}
	}
	free(b);
	if (h != r->dh || nparts != r->nparts)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mp_limits lims[4] = {
		{ 0, 0 }, { 1, 1 }, { 2, 3 }, { 100, 100 },
	};
	char ctype[256];
	const char *body, *nl;
	struct run a, b, c;
	size_t len, llen;
	unsigned maxchunk, fail_at;
	uint32_t seed;

	if (size < 4)
		return 0;
	maxchunk = 1 + (data[0] & 63);
	fail_at = data[1];
	seed = ((uint32_t)data[2] << 8 | data[3]) * 2654435761u | 1;
	body = (const char *)data + 4;
	len = size - 4;
	nl = memchr(body, '\n', len < 200 ? len : 200);
	if (nl == NULL)
		return 0;
	llen = (size_t)(nl - body);
	if (memchr(body, '/', llen) != NULL)
		snprintf(ctype, sizeof(ctype), "%.*s", (int)llen, body);
	else
		snprintf(ctype, sizeof(ctype),
		    "multipart/form-data; boundary=%.*s", (int)llen, body);
	/* An embedded NUL would end the C string early: same for all runs. */
	len -= llen + 1;
	body = nl + 1;

	run(&a, ctype, &lims[data[0] >> 6], fail_at, body, len, 0, 0, 0);
	run(&b, ctype, &lims[data[0] >> 6], fail_at, body, len, 1, maxchunk,
	    seed);
	if (a.h != b.h || a.ndata != b.ndata)
		abort();
	if (a.result == RD_OK)
		ref_check(&a, body, len);
	if (len <= 4096) {
		run(&c, ctype, &lims[data[0] >> 6], fail_at, body, len, 2, 0, 0);
		if (a.h != c.h || a.ndata != c.ndata)
			abort();
	}
	return 0;
}
