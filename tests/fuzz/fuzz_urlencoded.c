/* fuzz_urlencoded.c: libFuzzer harness for the urlencoded parser, run as a
 * differential test. The body is parsed by urlenc_parse, fed in chunks whose
 * sizes come from the input, fed one byte at a time, and decoded by a second,
 * deliberately naive whole-buffer decoder written here from the grammar in
 * urlencoded.c; the four hashed transcripts must agree, or we abort().
 *
 * Input: byte 0 picks the largest chunk (low 6 bits) and the limits (high 2
 * bits); byte 1 is the callback call that fails (0: none); bytes 2-3 seed the
 * chunk sizes. The rest is the body.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined
 *   -fno-sanitize-recover=undefined -Isrc src/web/urlencoded.c src/base/err.c
 *   tests/fuzz/fuzz_urlencoded.c -o fuzz_urlencoded
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/urlencoded.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct run {
	uint64_t	 h;		/* FNV-1a of the event stream */
	int		 stopped;	/* a call has failed: no more events */
	int		 cb_failed;
	unsigned	 calls, fail_at;
	size_t		 max_value;
};

static void
mix(struct run *r, const void *v, size_t n)
{
	const unsigned char *s = v;

	while (n-- > 0) {
		r->h ^= *s++;
		r->h *= 0x100000001b3ULL;
	}
}

static void
start(struct run *r, unsigned fail_at, size_t max_value)
{
	memset(r, 0, sizeof(*r));
	r->h = 0xcbf29ce484222325ULL;
	r->fail_at = fail_at;
	r->max_value = max_value;
}

static enum rd_err
on_field(void *ctx, const char *name, size_t nlen, const char *value,
    size_t vlen)
{
	struct run *r = ctx;
	uint64_t n;

	if (r->stopped || r->cb_failed)
		abort();
	if (nlen == 0 || nlen > URLENC_NAME_MAX || vlen > r->max_value ||
	    name[nlen] != '\0' || value[vlen] != '\0')
		abort();
	mix(r, "F", 1);
	n = nlen;
	mix(r, &n, sizeof(n));
	mix(r, name, nlen);
	n = vlen;
	mix(r, &n, sizeof(n));
	mix(r, value, vlen);
	if (r->fail_at != 0 && ++r->calls == r->fail_at) {
		r->cb_failed = 1;
		return RD_ERR_IO;
	}
	return RD_OK;
}

static void
finish(struct run *r, enum rd_err first)
{
	unsigned char e = (unsigned char)first;

	if (r->cb_failed && first != RD_ERR_IO)
		abort();
	mix(r, "R", 1);
	mix(r, &e, 1);
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

/* Naive decode of s[0..n) into out (at most max bytes). */
static enum rd_err
ref_decode(const char *s, size_t n, char *out, size_t max, size_t *olen)
{
	size_t i, k = 0;
	int hi, lo;
	char c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= n)
				return RD_ERR_INPUT;
			if ((hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0)
				return RD_ERR_INPUT;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (k >= max)
			return RD_ERR_TOOBIG;
		out[k++] = c;
	}
	out[k] = '\0';
	*olen = k;
	return RD_OK;
}

/* Split on '&', skip empty pieces, split each at its first '=', decode. */
static enum rd_err
ref_parse(const char *s, size_t len, const struct urlenc_limits *lim,
    struct run *r)
{
	static char name[URLENC_NAME_MAX + 1], value[URLENC_VALUE_MAX + 1];
	const char *amp, *eq, *end = s + len;
	size_t plen, nlen, vlen, nfields = 0;
	size_t max_fields = lim->max_fields ? lim->max_fields : 64;
	size_t max_value = lim->max_value && lim->max_value < URLENC_VALUE_MAX ?
	    lim->max_value : URLENC_VALUE_MAX;
	enum rd_err e;

	while (s < end) {
		amp = memchr(s, '&', (size_t)(end - s));
		plen = amp ? (size_t)(amp - s) : (size_t)(end - s);
		if (plen > 0) {
			eq = memchr(s, '=', plen);
			e = ref_decode(s, eq ? (size_t)(eq - s) : plen, name,
			    URLENC_NAME_MAX, &nlen);
			if (e != RD_OK)
				return e;
			vlen = 0;
			value[0] = '\0';
			if (eq != NULL && (e = ref_decode(eq + 1,
			    plen - (size_t)(eq + 1 - s), value, max_value,
			    &vlen)) != RD_OK)
				return e;
			if (nlen == 0)
				return RD_ERR_INPUT;
			if (nfields++ >= max_fields)
				return RD_ERR_TOOBIG;
			if ((e = on_field(r, name, nlen, value, vlen)) != RD_OK)
				return e;
		}
		s += plen + (amp != NULL);
	}
	return RD_OK;
}

static uint32_t
rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Fed in chunks: random sizes up to maxchunk, or 1 when maxchunk is 0. */
static void
run_chunked(struct run *r, const struct urlenc_limits *lim, const char *body,
    size_t len, unsigned maxchunk, uint32_t seed)
{
	struct urlenc_parser p;
	enum rd_err e, first = RD_OK;
	size_t off = 0, n;

	urlenc_init(&p, lim, on_field, r);
	while (off < len) {
		n = maxchunk ? rng(&seed) % (maxchunk + 1) : 1;
		if (n > len - off)
			n = len - off;
		e = urlenc_feed(&p, body + off, n);
		if (first != RD_OK && e != first)
			abort();	/* not sticky */
		if (first == RD_OK && e != RD_OK) {
			first = e;
			r->stopped = 1;
		}
		off += n;
	}
	e = urlenc_finish(&p);
	if (first != RD_OK && e != first)
		abort();
	if (first == RD_OK)
		first = e;
	if (urlenc_finish(&p) != (first ? first : RD_ERR_INTERNAL))
		abort();
	finish(r, first);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct urlenc_limits lims[4] = {
		{ 0, 0 }, { 1, 1 }, { 3, 16 }, { 1000, 100000 },
	};
	static struct run a, b, c, d;
	const struct urlenc_limits *lim;
	const char *body;
	size_t len, maxv;
	unsigned fail_at;
	uint32_t seed;

	if (size < 4)
		return 0;
	lim = &lims[data[0] >> 6];
	maxv = lim->max_value && lim->max_value < URLENC_VALUE_MAX ?
	    lim->max_value : URLENC_VALUE_MAX;
	fail_at = data[1];
	seed = ((uint32_t)data[2] << 8 | data[3]) * 2654435761u | 1;
	body = (const char *)data + 4;
	len = size - 4;

	start(&a, fail_at, maxv);
	finish(&a, urlenc_parse(body, len, lim, on_field, &a));
	start(&b, fail_at, maxv);
	run_chunked(&b, lim, body, len, 1 + (data[0] & 63), seed);
	start(&c, fail_at, maxv);
	run_chunked(&c, lim, body, len, 0, 0);
	start(&d, fail_at, maxv);
	finish(&d, ref_parse(body, len, lim, &d));
	if (a.h != b.h || a.h != c.h || a.h != d.h)
		abort();
	return 0;
}
