/* test_urlencoded.c: the urlencoded parser against a table of bodies, each
 * with the exact transcript it must produce, fed whole, split in two at every
 * byte, one byte at a time and in three pieces: the transcript must never
 * change, and urlenc_parse must agree.
 *
 * Transcript: "name=value|" per field, bytes outside printable ASCII and the
 * marker characters \ = | # written as \xHH, then "#" and the rd_err name of
 * the first non-OK return of feed or finish. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "web/urlencoded.h"

struct rec {
	char	 buf[65536];
	size_t	 len;
	int	 fail_after;	/* callback number that fails; 0: none */
	int	 calls;
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
		if (c < 0x20 || c > 0x7E || strchr("\\=|#", c) != NULL) {
			snprintf(hex, sizeof(hex), "\\x%02x", c);
			put(r, hex, 4);
		} else
			put(r, (const char *)&c, 1);
	}
}

static enum rd_err
on_field(void *ctx, const char *name, size_t nlen, const char *value,
    size_t vlen)
{
	struct rec *r = ctx;

	/* The copies are NUL-terminated at their lengths. */
	assert_int_equal(name[nlen], '\0');
	assert_int_equal(value[vlen], '\0');
	assert_true(nlen >= 1 && nlen <= URLENC_NAME_MAX);
	assert_true(vlen <= URLENC_VALUE_MAX);
	puts_esc(r, name, nlen);
	put(r, "=", 1);
	puts_esc(r, value, vlen);
	put(r, "|", 1);
	r->calls++;
	if (r->fail_after != 0 && r->calls >= r->fail_after)
		return RD_ERR_IO;
	return RD_OK;
}

struct tcase {
	const char	*title;
	const char	*body;
	size_t		 blen;		/* 0: strlen(body) */
	struct urlenc_limits lim;
	const char	*want;
};

static void
end(struct rec *r, enum rd_err e)
{
	put(r, "#", 1);
	put(r, rd_err_names[e], strlen(rd_err_names[e]));
}

/* Feeds body in the pieces between cuts[0..ncuts), checking that errors are
 * sticky: every later call returns the first error and no callback runs. */
static void
run(const struct tcase *t, size_t blen, const size_t *cuts, size_t ncuts,
    struct rec *r)
{
	struct urlenc_parser p;
	enum rd_err e, first = RD_OK;
	size_t k, from = 0, to, len;

	memset(r, 0, sizeof(*r));
	urlenc_init(&p, &t->lim, on_field, r);
	for (k = 0; k <= ncuts; k++) {
		to = k < ncuts ? cuts[k] : blen;
		len = r->len;
		e = urlenc_feed(&p, t->body + from, to - from);
		if (first != RD_OK) {
			assert_int_equal(e, first);
			assert_int_equal(r->len, len);
		} else
			first = e;
		from = to;
	}
	len = r->len;
	e = urlenc_finish(&p);
	if (first != RD_OK) {
		assert_int_equal(e, first);
		assert_int_equal(r->len, len);
		assert_int_equal(urlenc_feed(&p, "a=1&", 4), first);
		assert_int_equal(urlenc_finish(&p), first);
		assert_int_equal(r->len, len);
	} else
		first = e;
	end(r, first);
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

static void
check(const struct tcase *t)
{
	static struct rec r;
	size_t blen = t->blen != 0 ? t->blen : strlen(t->body);
	size_t cuts[2], i, j, step, *ones;

	expect(t, blen, NULL, 0, "whole");
	memset(&r, 0, sizeof(r));
	end(&r, urlenc_parse(t->body, blen, &t->lim, on_field, &r));
	assert_string_equal(r.buf, t->want);
	for (i = 0; i <= blen; i++) {
		cuts[0] = i;
		expect(t, blen, cuts, 1, "in two at");
	}
	ones = calloc(blen + 1, sizeof(*ones));
	assert_non_null(ones);
	for (i = 0; i < blen; i++)
		ones[i] = i;
	expect(t, blen, ones, blen, "one byte at a time");
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
	{ "two pairs", "a=1&b=2", 0, { 0, 0 }, "a=1|b=2|#ok" },
	{ "empty pairs skipped", "&a=1&&b=2&", 0, { 0, 0 }, "a=1|b=2|#ok" },
	{ "only separators", "&&&", 0, { 0, 0 }, "#ok" },
	{ "empty body", "", 0, { 0, 0 }, "#ok" },
	{ "name without =", "a&b=&c", 0, { 0, 0 }, "a=|b=|c=|#ok" },
	{ "plus is space", "+q+=a+b++", 0, { 0, 0 }, " q =a b  |#ok" },
	{ "percent escapes, both cases",
	  "%41%4a%4A=%7e%7E%2B%26%3D%25", 0, { 0, 0 },
	  "AJJ=~~+&\\x3d%|#ok" },
	{ "second = is part of the value", "a=b=c", 0, { 0, 0 },
	  "a=b\\x3dc|#ok" },
	{ "semicolon is not a separator", "a=1;b=2", 0, { 0, 0 },
	  "a=1;b\\x3d2|#ok" },
	{ "%00 kept in the value", "a=x%00y&%00=1", 0, { 0, 0 },
	  "a=x\\x00y|\\x00=1|#ok" },
	{ "UTF-8 and raw bytes pass through", "n=%E4%BD%A0\xff", 0, { 0, 0 },
	  "n=\\xe4\\xbd\\xa0\\xff|#ok" },
	{ "bad escape digit", "a=1&b=%4g", 0, { 0, 0 }, "a=1|#input" },
	{ "escape cut by &", "a=%4&b=1", 0, { 0, 0 }, "#input" },
	{ "escape truncated at end", "a=1&b=%4", 0, { 0, 0 }, "a=1|#input" },
	{ "lone % at end", "a=1&b=%", 0, { 0, 0 }, "a=1|#input" },
	{ "%% is bad", "a=%%41", 0, { 0, 0 }, "#input" },
	{ "empty name refused", "a=1&=x", 0, { 0, 0 }, "a=1|#input" },
	{ "lone = refused", "=", 0, { 0, 0 }, "#input" },
	{ "fields at the limit", "a&b&&", 0, { 2, 0 }, "a=|b=|#ok" },
	{ "too many fields", "a&b&c=1", 0, { 2, 0 }, "a=|b=|#toobig" },
	{ "value at the limit", "a=1234&b=%41%42%43%44", 0, { 0, 4 },
	  "a=1234|b=ABCD|#ok" },
	{ "value too long", "a=1234&b=%41%42%43%44%45", 0, { 0, 4 },
	  "a=1234|#toobig" },
	{ "name at the limit",
	  "0123456789012345678901234567890123456789012345678901234567890123=v",
	  0, { 0, 0 },
	  "0123456789012345678901234567890123456789012345678901234567890123=v|#ok" },
	{ "name too long",
	  "a=1&01234567890123456789012345678901234567890123456789012345678901234",
	  0, { 0, 0 }, "a=1|#toobig" },
	{ "name too long by escapes",
	  "%30123456789012345678901234567890123456789012345678901234567890123%34",
	  0, { 0, 0 }, "#toobig" },
};

static void
test_case(void **state)
{
	check(*state);
}

/* A value of URLENC_VALUE_MAX bytes passes and one more is too big, also
 * when the caller asks for a larger limit than the buffer holds. */
static void
test_value_max(void **state)
{
	static char body[URLENC_VALUE_MAX + 8];
	static char want[URLENC_VALUE_MAX + 32];
	struct tcase t;
	size_t extra;

	(void)state;
	for (extra = 0; extra <= 1; extra++) {
		memcpy(body, "v=", 2);
		memset(body + 2, 'x', URLENC_VALUE_MAX + extra);
		body[2 + URLENC_VALUE_MAX + extra] = '\0';
		memcpy(want, body, URLENC_VALUE_MAX + 2);
		strcpy(want + URLENC_VALUE_MAX + 2, "|#ok");
		memset(&t, 0, sizeof(t));
		t.title = "value max";
		t.body = body;
		t.lim.max_value = extra ? 100000 : 0;
		t.want = extra ? "#toobig" : want;
		expect(&t, strlen(body), NULL, 0, "whole");
	}
}

/* 64 fields by default, the 65th is too big. */
static void
test_default_fields(void **state)
{
	char body[512], want[512];
	struct tcase t;
	size_t i;

	(void)state;
	body[0] = want[0] = '\0';
	for (i = 0; i < 65; i++) {
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    "%c%c&", (int)('a' + i / 26), (int)('a' + i % 26));
		if (i < 64)
			snprintf(want + strlen(want), sizeof(want) - strlen(want),
			    "%c%c=|", (int)('a' + i / 26), (int)('a' + i % 26));
	}
	strcat(want, "#toobig");
	memset(&t, 0, sizeof(t));
	t.title = "65 fields";
	t.body = body;
	t.want = want;
	check(&t);
}

/* The callback's error stops the parse at once and stays. */
static void
test_callback_error(void **state)
{
	static const char body[] = "a=1&b=2&c=3";
	struct urlenc_parser p;
	struct rec r;
	int n;

	(void)state;
	for (n = 1; n <= 3; n++) {
		memset(&r, 0, sizeof(r));
		r.fail_after = n;
		urlenc_init(&p, NULL, on_field, &r);
		if (n < 3)
			assert_int_equal(urlenc_feed(&p, body, sizeof(body) - 1),
			    RD_ERR_IO);
		else {
			/* The last pair goes out from finish. */
			assert_int_equal(urlenc_feed(&p, body, sizeof(body) - 1),
			    RD_OK);
			assert_int_equal(urlenc_finish(&p), RD_ERR_IO);
		}
		assert_int_equal(r.calls, n);
		assert_int_equal(urlenc_feed(&p, "&d=4&", 5), RD_ERR_IO);
		assert_int_equal(urlenc_finish(&p), RD_ERR_IO);
		assert_int_equal(r.calls, n);
		memset(&r, 0, sizeof(r));
		r.fail_after = n;
		assert_int_equal(urlenc_parse(body, sizeof(body) - 1, NULL,
		    on_field, &r), RD_ERR_IO);
		assert_int_equal(r.calls, n);
	}
}

/* Feeding after finish is a caller bug, said so; a NULL callback is fine. */
static void
test_misuse(void **state)
{
	struct urlenc_parser p;

	(void)state;
	urlenc_init(&p, NULL, NULL, NULL);
	assert_int_equal(urlenc_feed(&p, "a=1", 3), RD_OK);
	assert_int_equal(urlenc_finish(&p), RD_OK);
	assert_int_equal(urlenc_feed(&p, "b", 1), RD_ERR_INTERNAL);
	assert_int_equal(urlenc_finish(&p), RD_ERR_INTERNAL);
	assert_int_equal(urlenc_parse(NULL, 0, NULL, NULL, NULL), RD_OK);
	assert_int_equal(urlenc_parse("%zz", 3, NULL, NULL, NULL),
	    RD_ERR_INPUT);
}

int
main(void)
{
	static struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 8];
	size_t i, n = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tests[n].name = cases[i].title;
		tests[n].test_func = test_case;
		tests[n].initial_state = (void *)&cases[i];
		n++;
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_value_max);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_default_fields);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_callback_error);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_misuse);
	return _cmocka_run_group_tests("urlencoded", tests, n, NULL, NULL);
}
