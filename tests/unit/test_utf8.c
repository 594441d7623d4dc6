/* test_utf8.c: tables of valid and invalid UTF-8, every overlong, surrogate
 * and boundary case, checked against utf8.c; plus an exhaustive comparison
 * with a slow reference decoder over every 1-, 2- and 3-byte input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/utf8.h"

#define S(lit) lit, sizeof(lit) - 1

struct vcase {
	const char *s;
	size_t n;
	bool ok;
	size_t chars;   /* when ok */
};

static const struct vcase valid_cases[] = {
	{ S(""), true, 0 },
	{ S("a"), true, 1 },
	{ S("hello, world"), true, 12 },
	{ S("\t\r\n"), true, 3 },
	{ S("\x01\x1f\x7f"), true, 3 },                 /* controls are valid UTF-8 */
	{ S("\xc2\x80"), true, 1 },                     /* U+0080, smallest 2-byte */
	{ S("\xc2\xa9"), true, 1 },                     /* © */
	{ S("\xdf\xbf"), true, 1 },                     /* U+07FF, largest 2-byte */
	{ S("\xe0\xa0\x80"), true, 1 },                 /* U+0800, smallest 3-byte */
	{ S("\xed\x9f\xbf"), true, 1 },                 /* U+D7FF, just below surrogates */
	{ S("\xee\x80\x80"), true, 1 },                 /* U+E000, just above surrogates */
	{ S("\xef\xbf\xbd"), true, 1 },                 /* U+FFFD */
	{ S("\xef\xbf\xbf"), true, 1 },                 /* U+FFFF, largest 3-byte */
	{ S("\xf0\x90\x80\x80"), true, 1 },             /* U+10000, smallest 4-byte */
	{ S("\xf3\xbf\xbf\xbf"), true, 1 },             /* U+FFFFF */
	{ S("\xf4\x80\x80\x80"), true, 1 },             /* U+100000 */
	{ S("\xf4\x8f\xbf\xbf"), true, 1 },             /* U+10FFFF, the maximum */
	{ S("退款原因"), true, 4 },
	{ S("卡密无效，充值未到账"), true, 10 },
	{ S("a\xf0\x9f\x98\x80z"), true, 3 },           /* emoji between ASCII */
	{ S("\xe3\x80\x80"), true, 1 },                 /* U+3000 ideographic space */

	{ S("\0"), false, 0 },                          /* NUL */
	{ S("a\0b"), false, 0 },
	{ S("退款\0"), false, 0 },
	/* overlong 2-byte: C0 and C1 never start a sequence */
	{ S("\xc0\x80"), false, 0 },                    /* overlong NUL */
	{ S("\xc0\xaf"), false, 0 },                    /* overlong '/' */
	{ S("\xc1\xbf"), false, 0 },                    /* overlong U+007F */
	/* overlong 3-byte: E0 80..9F */
	{ S("\xe0\x80\x80"), false, 0 },
	{ S("\xe0\x80\xaf"), false, 0 },
	{ S("\xe0\x9f\xbf"), false, 0 },                /* overlong U+07FF */
	/* overlong 4-byte: F0 80..8F */
	{ S("\xf0\x80\x80\x80"), false, 0 },
	{ S("\xf0\x80\x80\xaf"), false, 0 },
	{ S("\xf0\x8f\xbf\xbf"), false, 0 },            /* overlong U+FFFF */
	/* surrogates: ED A0..BF */
	{ S("\xed\xa0\x80"), false, 0 },                /* U+D800 */
	{ S("\xed\xad\xbf"), false, 0 },                /* U+DB7F */
	{ S("\xed\xae\x80"), false, 0 },                /* U+DB80 */
	{ S("\xed\xaf\xbf"), false, 0 },                /* U+DBFF */
	{ S("\xed\xb0\x80"), false, 0 },                /* U+DC00 */
	{ S("\xed\xbf\xbf"), false, 0 },                /* U+DFFF */
	{ S("\xed\xa0\xbd\xed\xb8\x80"), false, 0 },    /* CESU-8 pair for U+1F600 */
	/* beyond U+10FFFF */
	{ S("\xf4\x90\x80\x80"), false, 0 },            /* U+110000 */
	{ S("\xf4\xbf\xbf\xbf"), false, 0 },
	{ S("\xf5\x80\x80\x80"), false, 0 },
	{ S("\xf7\xbf\xbf\xbf"), false, 0 },            /* U+1FFFFF */
	{ S("\xf8\x88\x80\x80\x80"), false, 0 },        /* old 5-byte form */
	{ S("\xfc\x84\x80\x80\x80\x80"), false, 0 },    /* old 6-byte form */
	{ S("\xfe"), false, 0 },
	{ S("\xff"), false, 0 },
	{ S("\xfe\xff"), false, 0 },                    /* UTF-16 BOM bytes */
	/* truncated sequences */
	{ S("\xc2"), false, 0 },
	{ S("\xdf"), false, 0 },
	{ S("\xe0\xa0"), false, 0 },
	{ S("\xe4\xbd"), false, 0 },                    /* half of 你 */
	{ S("\xf0\x90\x80"), false, 0 },
	{ S("\xf4\x8f\xbf"), false, 0 },
	{ S("退款\xe5"), false, 0 },
	{ S("\xe5" "a"), false, 0 },
	/* stray or missing continuation bytes */
	{ S("\x80"), false, 0 },
	{ S("\xbf"), false, 0 },
	{ S("a\x80z"), false, 0 },
	{ S("\xc2\x80\x80"), false, 0 },                /* one too many */
	{ S("\xc2\x41"), false, 0 },
	{ S("\xc2\xc2\x80"), false, 0 },
	{ S("\xe4\x41\x80"), false, 0 },
	{ S("\xe4\xbd\x41"), false, 0 },
	{ S("\xe0\xa0\xc0"), false, 0 },
	{ S("\xf0\x90\x41\x80"), false, 0 },
	{ S("\xf0\x90\x80\x41"), false, 0 },
	{ S("\xf0\x90\x80\xc0"), false, 0 },
};

static void
test_valid_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		const struct vcase *c = &valid_cases[i];
		bool got = utf8_valid(c->s, c->n);

		if (got != c->ok)
			fail_msg("case %zu: utf8_valid = %d, want %d", i, got, c->ok);
		if (c->ok && utf8_chars(c->s, c->n) != c->chars)
			fail_msg("case %zu: utf8_chars = %zu, want %zu", i,
			    utf8_chars(c->s, c->n), c->chars);
	}
}

/* The length bounds the read: a valid prefix of an invalid buffer is valid. */
static void
test_length_bounds(void **state)
{
	const char s[] = "ab\xe4\xbd\xa0\xff";

	(void)state;
	assert_true(utf8_valid(s, 2));
	assert_false(utf8_valid(s, 3));
	assert_false(utf8_valid(s, 4));
	assert_true(utf8_valid(s, 5));
	assert_false(utf8_valid(s, 6));
	assert_true(utf8_valid(NULL, 0));
	assert_false(utf8_valid(NULL, 1));
	assert_int_equal(utf8_chars(s, 5), 3);
	assert_int_equal(utf8_chars(NULL, 0), 0);
}

/* Reference: decode one code point the slow, obvious way. Returns the
 * sequence length, or 0 when ill-formed. */
static size_t
ref_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c, min;

	if (p[0] < 0x80) {
		len = 1; c = p[0]; min = 0;
	} else if ((p[0] & 0xe0) == 0xc0) {
		len = 2; c = p[0] & 0x1f; min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3; c = p[0] & 0x0f; min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4; c = p[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c == 0)
		return 0;
	*cp = c;
	return len;
}

static bool
ref_valid(const unsigned char *p, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if ((k = ref_decode(p + i, n - i, &cp)) == 0)
			return false;
		i += k;
	}
	return true;
}

static void
test_exhaustive_short(void **state)
{
	unsigned char b[3];
	unsigned a, c, d;

	(void)state;
	for (a = 0; a < 256; a++) {
		b[0] = (unsigned char)a;
		assert_int_equal(utf8_valid((char *)b, 1), ref_valid(b, 1));
		for (c = 0; c < 256; c++) {
			b[1] = (unsigned char)c;
			if (utf8_valid((char *)b, 2) != ref_valid(b, 2))
				fail_msg("%02x %02x", a, c);
			/* Three bytes only where a 3-byte lead is involved:
			 * everything else was covered by shorter inputs. */
			if (a < 0xe0 || a > 0xef)
				continue;
			for (d = 0; d < 256; d++) {
				b[2] = (unsigned char)d;
				if (utf8_valid((char *)b, 3) != ref_valid(b, 3))
					fail_msg("%02x %02x %02x", a, c, d);
			}
		}
	}
}

static size_t
encode(uint32_t c, unsigned char *o)
{
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xc0 | (c >> 6));
		o[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (c >> 12));
		o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (c >> 18));
	o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* Every code point, shortest form: valid unless NUL or a surrogate; one char. */
static void
test_every_code_point(void **state)
{
	unsigned char b[4];
	uint32_t c;
	size_t n;
	bool want;

	(void)state;
	for (c = 0; c <= 0x10ffff; c++) {
		n = encode(c, b);
		want = c != 0 && (c < 0xd800 || c > 0xdfff);
		if (utf8_valid((char *)b, n) != want)
			fail_msg("U+%04X", (unsigned)c);
		if (want && utf8_chars((char *)b, n) != 1)
			fail_msg("chars U+%04X", (unsigned)c);
	}
	/* One past the top, in the 4-byte pattern: U+110000 and U+13FFFF. */
	n = encode(0x110000, b);
	assert_false(utf8_valid((char *)b, n));
	n = encode(0x13ffff, b);
	assert_false(utf8_valid((char *)b, n));
}

struct ccase {
	const char *s;
	size_t n;
	bool ok_nl;     /* allow_newlines = true */
	bool ok_line;   /* allow_newlines = false */
};

static const struct ccase control_cases[] = {
	{ S(""), true, true },
	{ S("plain text 退款"), true, true },
	{ S("tab\there"), true, true },
	{ S("line\nbreak"), true, false },
	{ S("crlf\r\nbreak"), true, false },
	{ S("cr\ronly"), true, false },
	{ S("\0"), false, false },
	{ S("\x01"), false, false },
	{ S("bell\x07"), false, false },
	{ S("\x08"), false, false },
	{ S("\x0b"), false, false },                    /* vertical tab */
	{ S("\x0c"), false, false },                    /* form feed */
	{ S("esc\x1b[31m"), false, false },
	{ S("\x1f"), false, false },
	{ S("del\x7f"), false, false },
	{ S(" ~"), true, true },                        /* 0x20 and 0x7E are fine */
	{ S("\xc2\x80"), false, false },                /* U+0080, C1 */
	{ S("next\xc2\x85line"), false, false },        /* NEL */
	{ S("\xc2\x9b"), false, false },                /* CSI */
	{ S("\xc2\x9f"), false, false },                /* U+009F, last C1 */
	{ S("\xc2\xa0"), true, true },                  /* U+00A0, first after C1 */
	{ S("\xc2\x7f"), false, false },                /* DEL after a lone lead */
	{ S("\xe2\x80\x85"), true, true },              /* U+2005: 85 as a continuation is not NEL */
	{ S("\xc3\x85"), true, true },                  /* Å: 85 after C3 */
};

static void
test_no_controls_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(control_cases) / sizeof(control_cases[0]); i++) {
		const struct ccase *c = &control_cases[i];

		if (utf8_no_controls(c->s, c->n, true) != c->ok_nl)
			fail_msg("case %zu with newlines", i);
		if (utf8_no_controls(c->s, c->n, false) != c->ok_line)
			fail_msg("case %zu without newlines", i);
	}
	/* A C2 at the very end is not read past. */
	assert_true(utf8_no_controls("ab\xc2\x80", 3, false));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_table),
		cmocka_unit_test(test_length_bounds),
		cmocka_unit_test(test_exhaustive_short),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_no_controls_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
