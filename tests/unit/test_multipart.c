/* test_multipart.c: the multipart/form-data parser against a table of bodies,
 * each with the exact event transcript it must produce, and each fed whole,
 * split in two at every byte, one byte at a time, and in three pieces at
 * many offsets: the transcript must never change.
 *
 * Transcript: "{name file=F type=T}" for begin (file= only for file parts,
 * type= only when declared), the part's data with bytes outside printable
 * ASCII and the marker characters \ { } $ # written as \xHH, "$" for end, and
 * "#" plus the rd_err name of the first non-OK return of feed or finish. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "web/multipart.h"

#define CT "multipart/form-data; boundary=bou"
#define WK "----WebKitFormBoundary7MA4YWxkTrZu0gW"
#define CTWK "multipart/form-data; boundary=" WK
#define CD "Content-Disposition: form-data; name="
#define NULHDR "--bou\r\n" CD "\"a\x00\"\r\n\r\n1\r\n--bou--"
#define NULDATA "--bou\r\n" CD "a\r\n\r\n\x00\xff\r\x00\r\n--bou--"

struct rec {
	char	 buf[32768];
	size_t	 len;
	int	 fail_after;	/* callback number that fails; 0: none */
	int	 calls;
	enum rd_err fail_with;
};

static void
put(struct rec *r, const char *s, size_t n)
{
	assert_true(r->len + n < sizeof(r->buf));
	memcpy(r->buf + r->len, s, n);
	r->len += n;
	r->buf[r->len] = '\0';
}

static void
puts_esc(struct rec *r, const char *s, size_t n)
{
	char hex[5];
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7E || strchr("\\{}$#", c) != NULL) {
			snprintf(hex, sizeof(hex), "\\x%02x", c);
			put(r, hex, 4);
		} else
			put(r, (const char *)&c, 1);
	}
}

/* Counts a callback and says whether this one is to fail. */
static enum rd_err
injected(struct rec *r)
{
	r->calls++;
	if (r->fail_after != 0 && r->calls >= r->fail_after)
		return r->fail_with;
	return RD_OK;
}

static enum rd_err
on_begin(void *ctx, const struct mp_part *part)
{
	struct rec *r = ctx;

	put(r, "{", 1);
	puts_esc(r, part->name, strlen(part->name));
	if (part->has_filename) {
		put(r, " file=", 6);
		puts_esc(r, part->filename, strlen(part->filename));
	}
	if (part->content_type[0] != '\0') {
		put(r, " type=", 6);
		puts_esc(r, part->content_type, strlen(part->content_type));
	}
	put(r, "}", 1);
	return injected(r);
}

static enum rd_err
on_data(void *ctx, const char *p, size_t n)
{
	struct rec *r = ctx;

	assert_true(n > 0);	/* never an empty slice */
	puts_esc(r, p, n);
	return injected(r);
}

static enum rd_err
on_end(void *ctx)
{
	struct rec *r = ctx;

	put(r, "$", 1);
	return injected(r);
}

static const struct mp_callbacks cbs = { on_begin, on_data, on_end };

struct tcase {
	const char	*title;
	const char	*ctype;
	const char	*body;
	size_t		 blen;		/* 0: strlen(body) */
	struct mp_limits lim;
	const char	*want;
};

/*
 * Feeds body in the pieces between the offsets cuts[0..ncuts), which must be
 * ascending, and records the transcript. Also checks that errors are sticky:
 * once a call fails every later call returns the same error and no callback
 * runs again.
 */
static void
run(const struct tcase *t, size_t blen, const size_t *cuts, size_t ncuts,
    struct rec *r)
{
	struct mp_parser p;
	enum rd_err e, first = RD_OK;
	size_t k, from = 0, to, calls;

	memset(r, 0, sizeof(*r));
	e = mp_init(&p, t->ctype, &t->lim, &cbs, r);
	if (e != RD_OK)
		first = e;
	for (k = 0; k <= ncuts; k++) {
		to = k < ncuts ? cuts[k] : blen;
		calls = r->len;
		e = mp_feed(&p, t->body + from, to - from);
		if (first != RD_OK) {
			assert_int_equal(e, first);
			assert_int_equal(r->len, calls);
		} else
			first = e;
		from = to;
	}
	calls = r->len;
	e = mp_finish(&p);
	if (first != RD_OK) {
		assert_int_equal(e, first);
		assert_int_equal(r->len, calls);
	} else
		first = e;
	/* Still failed, still silent. */
	if (first != RD_OK) {
		assert_int_equal(mp_feed(&p, "\r\n--bou\r\n", 9), first);
		assert_int_equal(mp_finish(&p), first);
		assert_int_equal(r->len, calls);
	}
	put(r, "#", 1);
	put(r, rd_err_names[first], strlen(rd_err_names[first]));
}

static void
expect(const struct tcase *t, size_t blen, const size_t *cuts, size_t ncuts,
    const char *how)
{
	static struct rec r;
	size_t k;

	run(t, blen, cuts, ncuts, &r);
	if (strcmp(r.buf, t->want) == 0)
		return;
	print_error("case \"%s\" fed %s", t->title, how);
	for (k = 0; k < ncuts && k < 8; k++)
		print_error(" %zu", cuts[k]);
	print_error("\n got: %s\nwant: %s\n", r.buf, t->want);
	fail();
}

/* Every way of slicing the body that the brief asks for, and some more. */
static void
check(const struct tcase *t)
{
	size_t blen = t->blen != 0 ? t->blen : strlen(t->body);
	size_t cuts[3], i, j, step, *ones;

	expect(t, blen, NULL, 0, "whole");
	for (i = 0; i <= blen; i++) {
		cuts[0] = i;
		expect(t, blen, cuts, 1, "in two at");
	}
	ones = calloc(blen + 1, sizeof(*ones));
	assert_non_null(ones);
	for (i = 0; i < blen; i++)
		ones[i] = i;
	expect(t, blen, ones, blen, "one byte at a time");
	/* Doubled cut points are empty feeds between the bytes. */
	for (i = 0; i < blen; i++)
		ones[i] = i / 2;
	expect(t, blen, ones, blen, "with empty feeds");
	free(ones);
	step = blen / 60 + 1;
	for (i = 0; i <= blen; i += step)
		for (j = i; j <= blen; j += step) {
			cuts[0] = i;
			cuts[1] = j;
			expect(t, blen, cuts, 2, "in three at");
		}
}

static const struct tcase cases[] = {
	{ "two files and fields", CTWK,
	  "--" WK "\r\n"
	  CD "\"order\"\r\n\r\n"
	  "NO123\r\n"
	  "--" WK "\r\n"
	  CD "\"evidence\"; filename=\"a.png\"\r\n"
	  "Content-Type: image/png\r\n\r\n"
	  "\x89PNG\r\n\x1a\n\r\n"
	  "--" WK "\r\n"
	  CD "\"evidence\"; filename=\"b.jpg\"\r\n"
	  "Content-Type: image/jpeg\r\n\r\n"
	  "\xff\xd8\xff\xe0\r\n"
	  "--" WK "\r\n"
	  "content-disposition: FORM-DATA; NAME=reason\r\n\r\n"
	  "item never arrived\r\n"
	  "--" WK "--\r\n", 0, { 0, 0 },
	  "{order}NO123$"
	  "{evidence file=a.png type=image/png}\\x89PNG\\x0d\\x0a\\x1a\\x0a$"
	  "{evidence file=b.jpg type=image/jpeg}\\xff\\xd8\\xff\\xe0$"
	  "{reason}item never arrived$#ok" },
	{ "empty file and empty field", CT,
	  "--bou\r\n"
	  CD "\"evidence\"; filename=\"\"\r\n"
	  "Content-Type: application/octet-stream\r\n\r\n"
	  "\r\n--bou\r\n"
	  CD "\"note\"\r\n\r\n"
	  "\r\n--bou--\r\n", 0, { 0, 0 },
	  "{evidence file= type=application/octet-stream}${note}$#ok" },
	{ "path in filename passed verbatim", CT,
	  "--bou\r\n"
	  CD "\"evidence\"; filename=\"../../etc/passwd\"\r\n"
	  "Content-Type:   text/plain  \r\n\r\n"
	  "root:x:0:0\r\n--bou--", 0, { 0, 0 },
	  "{evidence file=../../etc/passwd type=text/plain}root:x:0:0$#ok" },
	{ "boundary look-alikes in data", CT,
	  "--bou\r\n" CD "\"a\"\r\n\r\n"
	  "1\r\n--boX\r\n--bouX--bou\r\n--bou-x\r\n--bou \tz\r\n--bou\rQ"
	  "\r\n--bo\r\n--bou  \r-\r\n--bou\t\r\r\n--bou--", 0, { 0, 0 },
	  "{a}1\\x0d\\x0a--boX\\x0d\\x0a--bouX--bou\\x0d\\x0a--bou-x"
	  "\\x0d\\x0a--bou \\x09z\\x0d\\x0a--bou\\x0dQ\\x0d\\x0a--bo"
	  "\\x0d\\x0a--bou  \\x0d-\\x0d\\x0a--bou\\x09\\x0d$#ok" },
	{ "CR CR LF dash sequences", CT,
	  "--bou\r\n" CD "\"a\"\r\n\r\n"
	  "x\r\r\n--bo\r\r\n-\r\r\r\n--b\r\n\r\n--bou\r\n"
	  CD "\"b\"\r\n\r\n"
	  "\r\r\r\n--bou--", 0, { 0, 0 },
	  "{a}x\\x0d\\x0d\\x0a--bo\\x0d\\x0d\\x0a-\\x0d\\x0d\\x0d\\x0a--b"
	  "\\x0d\\x0a$"
	  "{b}\\x0d\\x0d$#ok" },
	{ "CR at the end of data", CT,
	  "--bou\r\n" CD "\"a\"\r\n\r\n"
	  "abc\r\r\n--bou\r\n" CD "\"b\"\r\n\r\n"
	  "\r\r\n--bou--\r\n", 0, { 0, 0 },
	  "{a}abc\\x0d${b}\\x0d$#ok" },
	{ "preamble is ignored", CT,
	  "This is the preamble.\r\n--bouX ignored\r\njunk--bou"
	  "\r\n--bou\r\n" CD "\"a\"\r\n\r\nv\r\n--bou--", 0, { 0, 0 },
	  "{a}v$#ok" },
	{ "epilogue is ignored", CT,
	  "--bou\r\n" CD "\"a\"\r\n\r\nv\r\n--bou--\r\n"
	  "epilogue\r\n--bou\r\n" CD "\"b\"\r\n\r\nw\r\n--bou--\r\n"
	  "\x01\x02", 0, { 0, 0 },
	  "{a}v$#ok" },
	{ "CRLF before the first delimiter", CT,
	  "\r\n--bou\r\n" CD "\"a\"\r\n\r\nv\r\n--bou--", 0, { 0, 0 },
	  "{a}v$#ok" },
	{ "transport padding", CT,
	  "--bou \t \r\n" CD "\"a\"\r\n\r\nv\r\n--bou\t\r\n"
	  CD "\"b\"\r\n\r\nw\r\n--bou--  junk", 0, { 0, 0 },
	  "{a}v${b}w$#ok" },
	{ "LF-only body never matches: refused", CT,
	  "--bou\n" CD "\"a\"\n\nv\n--bou--\n", 0, { 0, 0 },
	  "#input" },
	{ "LF-only header lines: refused", CT,
	  "--bou\r\n" CD "\"a\"\n\nv\r\n--bou--\r\n", 0, { 0, 0 },
	  "#input" },
	{ "bare CR in a header line", CT,
	  "--bou\r\n" CD "\"a\"\rX\r\n\r\nv\r\n--bou--\r\n", 0, { 0, 0 },
	  "#input" },
	{ "quoted boundary, other parameters, odd case",
	  "Multipart/Form-Data ; charset=utf-8;BOUNDARY=\"a b'()+_,-./:=?z\"; x=y",
	  "--a b'()+_,-./:=?z\r\n" CD "\"a\"\r\n\r\n"
	  "v\r\n--a b'()+_,-./:=?\r\n--a b'()+_,-./:=?z--", 0, { 0, 0 },
	  "{a}v\\x0d\\x0a--a b'()+_,-./:=?$#ok" },
	{ "one-character boundary", "multipart/form-data; boundary=-",
	  "---\r\n" CD "\"a\"\r\n\r\n-\r\n----x\r\n-----", 0, { 0, 0 },
	  "{a}-\\x0d\\x0a----x$#ok" },
	{ "missing boundary", "multipart/form-data", "--bou--", 0, { 0, 0 },
	  "#input" },
	{ "empty boundary", "multipart/form-data; boundary=\"\"", "----", 0,
	  { 0, 0 }, "#input" },
	{ "boundary too long (71)", "multipart/form-data; boundary="
	  "12345678901234567890123456789012345678901234567890123456789012345678901",
	  "--x--", 0, { 0, 0 }, "#input" },
	{ "illegal boundary character", "multipart/form-data; boundary=\"a@b\"",
	  "--a@b--", 0, { 0, 0 }, "#input" },
	{ "boundary ending in a space", "multipart/form-data; boundary=\"ab \"",
	  "--ab --", 0, { 0, 0 }, "#input" },
	{ "not form-data", "multipart/mixed; boundary=bou", "--bou--", 0,
	  { 0, 0 }, "#input" },
	{ "no close delimiter", CT,
	  "--bou\r\n" CD "\"a\"\r\n\r\nhello\r\n--bo", 0, { 0, 0 },
	  "{a}hello#input" },
	{ "delimiter without close", CT,
	  "--bou\r\n" CD "\"a\"\r\n\r\nhello\r\n--bou\r\n", 0, { 0, 0 },
	  "{a}hello$#input" },
	{ "empty body", CT, "", 0, { 0, 0 }, "#input" },
	{ "no parts at all", CT, "--bou--\r\n", 0, { 0, 0 }, "#ok" },
	{ "too many parts", CT,
	  "--bou\r\n" CD "a\r\n\r\n1\r\n--bou\r\n" CD "b\r\n\r\n2\r\n"
	  "--bou\r\n" CD "c\r\n\r\n3\r\n--bou--", 0, { 2, 0 },
	  "{a}1${b}2$#toobig" },
	{ "parts at the limit", CT,
	  "--bou\r\n" CD "a\r\n\r\n1\r\n--bou\r\n" CD "b\r\n\r\n2\r\n"
	  "--bou--", 0, { 2, 0 },
	  "{a}1${b}2$#ok" },
	{ "too many header lines", CT,
	  "--bou\r\n" CD "a\r\nX-1: 1\r\nX-2: 2\r\n\r\n1\r\n--bou--", 0,
	  { 0, 2 }, "#toobig" },
	{ "header lines at the limit", CT,
	  "--bou\r\n" CD "a\r\nX-1: 1\r\nContent-Transfer-Encoding: binary\r\n"
	  "\r\n1\r\n--bou--", 0, { 0, 3 }, "{a}1$#ok" },
	{ "missing name", CT,
	  "--bou\r\n" "Content-Disposition: form-data; filename=\"x\"\r\n\r\n"
	  "1\r\n--bou--", 0, { 0, 0 }, "#input" },
	{ "empty name", CT,
	  "--bou\r\n" CD "\"\"\r\n\r\n1\r\n--bou--", 0, { 0, 0 }, "#input" },
	{ "missing Content-Disposition", CT,
	  "--bou\r\nContent-Type: text/plain\r\n\r\n1\r\n--bou--", 0, { 0, 0 },
	  "#input" },
	{ "no headers at all", CT,
	  "--bou\r\n\r\n1\r\n--bou--", 0, { 0, 0 }, "#input" },
	{ "disposition not form-data", CT,
	  "--bou\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--bou--",
	  0, { 0, 0 }, "#input" },
	{ "duplicate Content-Disposition", CT,
	  "--bou\r\n" CD "a\r\n" CD "b\r\n\r\n1\r\n--bou--", 0, { 0, 0 },
	  "#input" },
	{ "duplicate name parameter", CT,
	  "--bou\r\n" CD "a; name=b\r\n\r\n1\r\n--bou--", 0, { 0, 0 },
	  "#input" },
	{ "duplicate filename parameter", CT,
	  "--bou\r\n" CD "a; filename=x; FileName=y\r\n\r\n1\r\n--bou--", 0,
	  { 0, 0 }, "#input" },
	{ "duplicate Content-Type", CT,
	  "--bou\r\n" CD "a\r\nContent-Type: a/b\r\ncontent-type: a/b\r\n\r\n"
	  "1\r\n--bou--", 0, { 0, 0 }, "#input" },
	{ "unterminated quoted name", CT,
	  "--bou\r\n" CD "\"a\r\n\r\n1\r\n--bou--", 0, { 0, 0 }, "#input" },
	{ "header without colon", CT,
	  "--bou\r\n" CD "a\r\nnonsense\r\n\r\n1\r\n--bou--", 0, { 0, 0 },
	  "#input" },
	{ "NUL in a header", CT,
	  NULHDR, sizeof(NULHDR) - 1, { 0, 0 },
	  "#input" },
	{ "escapes in quoted strings, filename* ignored", CT,
	  "--bou\r\n" CD "\"a\\\"b\\\\c\"; filename*=UTF-8''x%20y; "
	  "filename=\"\xe4\xbd\xa0.png\"\r\n\r\n1\r\n--bou--", 0, { 0, 0 },
	  "{a\"b\\x5cc file=\\xe4\\xbd\\xa0.png}1$#ok" },
	{ "NUL and high bytes in data", CT,
	  NULDATA, sizeof(NULDATA) - 1, { 0, 0 },
	  "{a}\\x00\\xff\\x0d\\x00$#ok" },
};

static void
test_case(void **state)
{
	check(*state);
}

/* A body of one file part, its data given, its header lines padded. */
static char *
make_body(const char *hdr, size_t hlen, const char *data, size_t dlen,
    size_t *blen)
{
	const char *a = "--bou\r\n", *b = "\r\n\r\n", *c = "\r\n--bou--";
	char *s;

	*blen = strlen(a) + hlen + strlen(b) + dlen + strlen(c);
	s = malloc(*blen + 1);
	assert_non_null(s);
	memcpy(s, a, strlen(a));
	memcpy(s + strlen(a), hdr, hlen);
	memcpy(s + strlen(a) + hlen, b, strlen(b));
	memcpy(s + strlen(a) + hlen + strlen(b), data, dlen);
	memcpy(s + *blen - strlen(c), c, strlen(c));
	s[*blen] = '\0';
	return s;
}

static void
test_all_bytes(void **state)
{
	const char *hdr = CD "\"f\"; filename=\"b.bin\"";
	char data[512], want[4096], *body, hex[5];
	struct tcase t;
	size_t i, n = 0, blen;

	(void)state;
	/* All 256 values, then all again with CR and LF where they hurt. */
	for (i = 0; i < 256; i++)
		data[i] = (char)i;
	for (i = 0; i < 256; i++)
		data[256 + i] = (char)(i % 2 ? '\r' : 255 - i);
	strcpy(want, "{f file=b.bin}");
	for (i = 0; i < sizeof(data); i++) {
		unsigned char c = (unsigned char)data[i];
		if (c < 0x20 || c > 0x7E || strchr("\\{}$#", c) != NULL)
			snprintf(hex, sizeof(hex), "\\x%02x", c);
		else
			snprintf(hex, sizeof(hex), "%c", c);
		strcat(want, hex);
		n += strlen(hex);
	}
	strcat(want, "$#ok");
	body = make_body(hdr, strlen(hdr), data, sizeof(data), &blen);
	memset(&t, 0, sizeof(t));
	t.title = "all 256 byte values";
	t.ctype = CT;
	t.body = body;
	t.blen = blen;
	t.want = want;
	check(&t);
	free(body);
}

/* Header line of exactly MP_HEADER_MAX bytes passes, one more does not. */
static void
test_header_line_length(void **state)
{
	char hdr[MP_HEADER_MAX + 2], *body;
	struct tcase t;
	size_t blen, len, i, *ones;

	(void)state;
	for (len = MP_HEADER_MAX; len <= MP_HEADER_MAX + 1; len++) {
		memset(hdr, 'x', sizeof(hdr));
		memcpy(hdr, CD "a; x=", strlen(CD "a; x="));
		body = make_body(hdr, len, "1", 1, &blen);
		memset(&t, 0, sizeof(t));
		t.title = len == MP_HEADER_MAX ? "header line at the limit" :
		    "header line too long";
		t.ctype = CT;
		t.body = body;
		t.blen = blen;
		t.want = len == MP_HEADER_MAX ? "{a}1$#ok" : "#toobig";
		/* Splitting a 1 KiB body every way is slow; a whole feed and
		 * one byte at a time decide this. */
		expect(&t, blen, NULL, 0, "whole");
		ones = calloc(blen, sizeof(*ones));
		assert_non_null(ones);
		for (i = 0; i < blen; i++)
			ones[i] = i;
		expect(&t, blen, ones, blen, "one byte at a time");
		free(ones);
		free(body);
	}
}

/* Field name of MP_NAME_MAX bytes passes, one more is too big; same for
 * filename and the part's Content-Type. */
static void
test_field_lengths(void **state)
{
	static const struct {
		const char *pre, *post;
		size_t max;
		const char *want_pre;
	} f[] = {
		{ CD "\"", "\"", MP_NAME_MAX, "{" },
		{ CD "a; filename=\"", "\"", MP_FILENAME_MAX, "{a file=" },
		{ CD "a\r\nContent-Type: ", "", MP_CTYPE_MAX, "{a type=" },
	};
	char hdr[600], want[600], *body;
	struct tcase t;
	size_t i, len, blen, h;

	(void)state;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		for (len = f[i].max; len <= f[i].max + 1; len++) {
			h = (size_t)snprintf(hdr, sizeof(hdr), "%s", f[i].pre);
			memset(hdr + h, 'n', len);
			h += len;
			h += (size_t)snprintf(hdr + h, sizeof(hdr) - h, "%s",
			    f[i].post);
			if (len == f[i].max) {
				strcpy(want, f[i].want_pre);
				memset(want + strlen(want), 'n', len);
				want[strlen(f[i].want_pre) + len] = '\0';
				strcat(want, "}1$#ok");
			} else
				strcpy(want, "#toobig");
			body = make_body(hdr, h, "1", 1, &blen);
			memset(&t, 0, sizeof(t));
			t.title = "field length";
			t.ctype = CT;
			t.body = body;
			t.blen = blen;
			t.want = want;
			check(&t);
			free(body);
		}
}

/* Padding after a delimiter is held to replay as data; past MP_HEADER_MAX it
 * is refused rather than held without bound. */
static void
test_padding_limit(void **state)
{
	char data[MP_HEADER_MAX + 16], *body;
	struct tcase t;
	size_t blen;

	(void)state;
	memcpy(data, "\r\n--bou", 7);
	memset(data + 7, ' ', MP_HEADER_MAX + 1);
	body = make_body(CD "a", strlen(CD "a"), data, 7 + MP_HEADER_MAX + 1,
	    &blen);
	memset(&t, 0, sizeof(t));
	t.title = "padding too long";
	t.ctype = CT;
	t.body = body;
	t.blen = blen;
	t.want = "{a}#input";
	expect(&t, blen, NULL, 0, "whole");
	free(body);
}

static const struct {
	const char *ctype;
	const char *boundary;	/* NULL: mp_init must refuse */
} ctypes[] = {
	{ "multipart/form-data; boundary=abc", "abc" },
	{ "multipart/form-data;boundary=abc", "abc" },
	{ "  MULTIPART/FORM-DATA;\tBoundary=abc  ", "abc" },
	{ "multipart/form-data; boundary=\"abc\"", "abc" },
	{ "multipart/form-data; boundary=\"a\\bc\"", "abc" },
	{ "multipart/form-data; charset=\"x;y\"; boundary=abc", "abc" },
	{ "multipart/form-data; boundary=abc;", "abc" },
	{ "multipart/form-data; ; boundary=abc", "abc" },
	{ "multipart/form-data; boundary=\"a b\"", "a b" },
	{ "multipart/form-data; boundary="
	  "1234567890123456789012345678901234567890123456789012345678901234567890",
	  "1234567890123456789012345678901234567890123456789012345678901234567890" },
	{ NULL, NULL },
	{ "", NULL },
	{ "text/plain; boundary=abc", NULL },
	{ "multipart/form-data", NULL },
	{ "multipart/form-data;", NULL },
	{ "multipart/form-datax; boundary=abc", NULL },
	{ "multipart/form-data boundary=abc", NULL },
	{ "multipart/form-data; boundary", NULL },
	{ "multipart/form-data; boundary=", NULL },
	{ "multipart/form-data; boundary = abc", NULL },
	{ "multipart/form-data; boundary=abc; boundary=abc", NULL },
	{ "multipart/form-data; boundary=a!b", NULL },
	{ "multipart/form-data; boundary=a@b", NULL },
	{ "multipart/form-data; boundary=\"a\"b\"", NULL },
	{ "multipart/form-data; boundary=\"abc", NULL },
	{ "multipart/form-data; boundary=\"a\rb\"", NULL },
	{ "multipart/form-data; boundary=\"a\\\"", NULL },
	{ "multipart/form-data; boundary=\" \"", NULL },
	{ "multipart/form-data; boundary=\"a\\", NULL },
	{ "multipart/form-data; charset=; boundary=abc", NULL },
	{ "multipart/form-data; charset=\"x; boundary=abc", NULL },
	{ "multipart/form-data; boundary=\"abc\"x", NULL },
	{ "multipart/form-data; boundary="
	  "12345678901234567890123456789012345678901234567890123456789012345678901",
	  NULL },
	{ "multipart/form-data; boundary=\""
	  "12345678901234567890123456789012345678901234567890123456789012345678901\"",
	  NULL },
};

static void
test_ctype(void **state)
{
	struct mp_parser p;
	struct rec r;
	char body[256];
	size_t i;
	enum rd_err e;

	(void)state;
	for (i = 0; i < sizeof(ctypes) / sizeof(ctypes[0]); i++) {
		memset(&r, 0, sizeof(r));
		e = mp_init(&p, ctypes[i].ctype, NULL, &cbs, &r);
		if (ctypes[i].boundary == NULL) {
			if (e != RD_ERR_INPUT)
				print_error("accepted: %s\n", ctypes[i].ctype);
			assert_int_equal(e, RD_ERR_INPUT);
			assert_int_equal(mp_feed(&p, "x", 1), RD_ERR_INPUT);
			continue;
		}
		if (e != RD_OK)
			print_error("refused: %s\n", ctypes[i].ctype);
		assert_int_equal(e, RD_OK);
		/* The boundary took effect: a body using it parses. */
		snprintf(body, sizeof(body), "--%s\r\n" CD "a\r\n\r\nv\r\n--%s--",
		    ctypes[i].boundary, ctypes[i].boundary);
		assert_int_equal(mp_feed(&p, body, strlen(body)), RD_OK);
		assert_int_equal(mp_finish(&p), RD_OK);
		assert_string_equal(r.buf, "{a}v$");
	}
}

/* A callback's error stops the parse at once and stays. */
static void
test_callback_error(void **state)
{
	static const char body[] =
	    "--bou\r\n" CD "a\r\n\r\n0123456789\r\n--bou\r\n" CD "b\r\n\r\n"
	    "xy\r\n--bou--";
	static const struct {
		int fail_after;
		const char *want;
	} f[] = {
		{ 1, "{a}" },			/* begin fails */
		{ 2, "{a}0123456789" },		/* data fails */
		{ 3, "{a}0123456789$" },	/* end fails */
		{ 4, "{a}0123456789${b}" },
		{ 6, "{a}0123456789${b}xy$" },	/* the last end fails */
	};
	struct mp_parser p;
	struct rec r;
	size_t i;
	enum rd_err e;

	(void)state;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.fail_after = f[i].fail_after;
		r.fail_with = RD_ERR_IO;
		assert_int_equal(mp_init(&p, CT, NULL, &cbs, &r), RD_OK);
		e = mp_feed(&p, body, sizeof(body) - 1);
		assert_int_equal(e, RD_ERR_IO);
		assert_string_equal(r.buf, f[i].want);
		assert_int_equal(r.calls, f[i].fail_after);
		assert_int_equal(mp_feed(&p, body, sizeof(body) - 1), RD_ERR_IO);
		assert_int_equal(mp_finish(&p), RD_ERR_IO);
		assert_int_equal(r.calls, f[i].fail_after);
	}
}

/* The error of a data call that replays held bytes stops the parse too. */
static void
test_callback_error_rollback(void **state)
{
	static const char body[] =
	    "--bou\r\n" CD "a\r\n\r\n\r\n--bou X\r\n--bou--";
	static const struct {
		int fail_after;
		const char *want;
	} f[] = {
		{ 2, "{a}\\x0d\\x0a--bou" },	/* replaying the delimiter */
		{ 3, "{a}\\x0d\\x0a--bou " },	/* replaying the padding */
	};
	struct mp_parser p;
	struct rec r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.fail_after = f[i].fail_after;
		r.fail_with = RD_ERR_NOSPACE;
		assert_int_equal(mp_init(&p, CT, NULL, &cbs, &r), RD_OK);
		assert_int_equal(mp_feed(&p, body, sizeof(body) - 1),
		    RD_ERR_NOSPACE);
		assert_string_equal(r.buf, f[i].want);
		assert_int_equal(mp_finish(&p), RD_ERR_NOSPACE);
		assert_int_equal(r.calls, f[i].fail_after);
	}
}

/* NULL callbacks are allowed: the parse still checks the body. */
static void
test_null_callbacks(void **state)
{
	static const char body[] = "--bou\r\n" CD "a\r\n\r\nv\r\n--bou--";
	struct mp_parser p;

	(void)state;
	assert_int_equal(mp_init(&p, CT, NULL, NULL, NULL), RD_OK);
	assert_int_equal(mp_feed(&p, body, sizeof(body) - 1), RD_OK);
	assert_int_equal(mp_finish(&p), RD_OK);
	assert_int_equal(mp_init(&p, CT, NULL, NULL, NULL), RD_OK);
	assert_int_equal(mp_feed(&p, body, 10), RD_OK);
	assert_int_equal(mp_finish(&p), RD_ERR_INPUT);
}

int
main(void)
{
	static struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 16];
	size_t i, n = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tests[n].name = cases[i].title;
		tests[n].test_func = test_case;
		tests[n].initial_state = (void *)&cases[i];
		n++;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_all_bytes);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_header_line_length);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_field_lengths);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_padding_limit);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_ctype);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_callback_error);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
	    test_callback_error_rollback);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_null_callbacks);
	return _cmocka_run_group_tests("multipart", tests, n, NULL, NULL);
}
