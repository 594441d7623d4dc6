/* test_money.c: checked fen arithmetic, the fee, the yuan text format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/money.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MM MONEY_MAX

struct arith_case {
	int64_t a, b;
	bool ok;
	int64_t want;
};

static const struct arith_case add_cases[] = {
	{ 0, 0, true, 0 },
	{ 1999, 1, true, 2000 },
	{ -5, 3, true, -2 },
	{ MM - 1, 1, true, MM },
	{ MM, 0, true, MM },
	{ MM, 1, false, 0 },
	{ -MM, -1, false, 0 },
	{ -MM, 0, true, -MM },
	{ MM, -MM, true, 0 },
	{ MM, MM, false, 0 },
	{ INT64_MAX, 1, false, 0 },		/* int64 wrap */
	{ INT64_MIN, -1, false, 0 },
	{ INT64_MAX, INT64_MIN, true, -1 },	/* out-of-range inputs, sum in range */
};

static const struct arith_case sub_cases[] = {
	{ 0, 0, true, 0 },
	{ 1999, 199, true, 1800 },
	{ 0, 1, true, -1 },
	{ -MM + 1, 1, true, -MM },
	{ -MM, 1, false, 0 },
	{ MM, -1, false, 0 },
	{ 0, -MM, true, MM },
	{ -MM, MM, false, 0 },
	{ INT64_MIN, 1, false, 0 },
	{ INT64_MAX, -1, false, 0 },
	{ 0, INT64_MIN, false, 0 },
};

static void
test_add(void **state)
{
	size_t	 i;
	int64_t	 out;

	(void)state;
	for (i = 0; i < NELEM(add_cases); i++) {
		const struct arith_case *c = &add_cases[i];

		out = 12345;
		assert_int_equal(money_add(c->a, c->b, &out), c->ok);
		/* On failure *out is left as it was. */
		assert_int_equal(out, c->ok ? c->want : 12345);
	}
}

static void
test_sub(void **state)
{
	size_t	 i;
	int64_t	 out;

	(void)state;
	for (i = 0; i < NELEM(sub_cases); i++) {
		const struct arith_case *c = &sub_cases[i];

		out = 12345;
		assert_int_equal(money_sub(c->a, c->b, &out), c->ok);
		assert_int_equal(out, c->ok ? c->want : 12345);
	}
}

struct fee_case {
	int64_t amount;
	int bp;
	int64_t want;
};

static const struct fee_case fee_cases[] = {
	{ 1999, 1000, 199 },		/* 199.9 rounds down, buyer's favour */
	{ 1999, 500, 99 },
	{ 1999, 1500, 299 },
	{ 1, 1000, 0 },
	{ 9, 1000, 0 },
	{ 10, 1000, 1 },
	{ 10000, 1500, 1500 },
	{ 0, 1000, 0 },
	{ 1999, 0, 0 },
	{ 1999, 10000, 1999 },
	{ 1, 10000, 1 },
	{ 9999, 1, 0 },
	{ 10000, 1, 1 },
	{ MM, 10000, MM },
	{ MM, 1, 900719925474 },	/* 2^53 / 10^4 = 900719925474.0992 */
	{ MM, 1000, 900719925474099 },
	{ MM, 9999, 9006298534815517 },	/* 2^53 * 9999 / 10^4, floored */
	{ MM - 1, 10000, MM - 1 },
	/* Out of the documented ranges: clamped, never negative or larger
	 * than the (clamped) amount. */
	{ -100, 1000, 0 },
	{ 1999, -5, 0 },
	{ 1999, 20000, 1999 },
	{ INT64_MAX, 10000, MM },
};

static void
test_fee_table(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < NELEM(fee_cases); i++)
		assert_int_equal(money_fee(fee_cases[i].amount, fee_cases[i].bp),
		    fee_cases[i].want);
}

/* Against a 128-bit reference over a spread of amounts and every bp step. */
static void
test_fee_reference(void **state)
{
	(void)state;
	static const int64_t amounts[] = {
		0, 1, 2, 99, 100, 101, 1999, 9999, 10000, 10001, 123456789,
		MM / 3, MM / 2 + 7, MM - 10001, MM - 9999, MM - 1, MM,
	};
	size_t	 i;
	int	 bp;

	for (i = 0; i < NELEM(amounts); i++)
		for (bp = 0; bp <= 10000; bp += 7) {
			__int128 ref = (__int128)amounts[i] * bp / 10000;
			int64_t	 got = money_fee(amounts[i], bp);

			assert_true((__int128)got == ref);
			assert_true(got >= 0 && got <= amounts[i]);
		}
}

struct fmt_case {
	int64_t fen;
	const char *want;
};

static const struct fmt_case fmt_cases[] = {
	{ 1999, "19.99" },
	{ 5, "0.05" },
	{ -300, "-3.00" },
	{ -5, "-0.05" },
	{ 0, "0.00" },
	{ 100, "1.00" },
	{ 10, "0.10" },
	{ 1990, "19.90" },
	{ MM, "90071992547409.92" },
	{ -MM, "-90071992547409.92" },
	{ INT64_MAX, "92233720368547758.07" },
	{ INT64_MIN, "-92233720368547758.08" },
};

static void
test_format(void **state)
{
	size_t	 i;
	char	 buf[32];

	(void)state;
	for (i = 0; i < NELEM(fmt_cases); i++) {
		memset(buf, 'x', sizeof(buf));
		money_format(fmt_cases[i].fen, buf);
		assert_string_equal(buf, fmt_cases[i].want);
	}
}

struct parse_ok {
	const char *s;
	int64_t want;
};

static const struct parse_ok parse_ok_cases[] = {
	{ "19.99", 1999 },
	{ "19.9", 1990 },
	{ "19", 1900 },
	{ "0.05", 5 },
	{ "0.5", 50 },
	{ "0", 0 },
	{ "0.0", 0 },
	{ "0.00", 0 },
	{ "007.50", 750 },	/* leading zeros are still plain digits */
	{ "1", 100 },
	{ "90071992547409.92", MM },
	{ "90071992547409.91", MM - 1 },
	{ "90071992547409", MM - 92 },
	{ "000000000000000000000000000001.01", 101 },
	/* As a person types it (CONTRACT.md §4): a sign and blanks around. */
	{ "70", 7000 },
	{ "70.5", 7050 },
	{ "70.50", 7050 },
	{ "\xc2\xa5" "70", 7000 },		/* ¥70 */
	{ "\xef\xbf\xa5" "70", 7000 },		/* ￥70 */
	{ "\xef\xbf\xa5 70.05", 7005 },
	{ " 1", 100 },
	{ "1 ", 100 },
	{ "\t1", 100 },
	{ "1\n", 100 },
	{ "\xe3\x80\x80" "12.3\xe3\x80\x80", 1230 },	/* U+3000 around */
	{ " \xc2\xa5 0.01 ", 1 },
};

/* Each refused input with the reason the form shows for it. */
struct parse_bad {
	const char *s;
	enum yuan_err want;
};

static const struct parse_bad parse_bad_cases[] = {
	{ "", YUAN_EMPTY },
	{ "   ", YUAN_EMPTY },
	{ "\xc2\xa5", YUAN_EMPTY },
	{ "\xef\xbf\xa5 ", YUAN_EMPTY },
	{ ".", YUAN_SYNTAX },
	{ "19.", YUAN_SYNTAX },
	{ ".5", YUAN_SYNTAX },
	{ "+1", YUAN_SYNTAX },
	{ "-1", YUAN_NEGATIVE },
	{ "-0.05", YUAN_NEGATIVE },
	{ "\xc2\xa5-5", YUAN_NEGATIVE },
	{ "-\xef\xbf\xa5" "5", YUAN_NEGATIVE },
	{ " -70.50 ", YUAN_NEGATIVE },
	{ "-", YUAN_NEGATIVE },
	{ "-1.999", YUAN_NEGATIVE },
	{ "--1", YUAN_NEGATIVE },
	{ "1. 5", YUAN_SYNTAX },
	{ "1 5", YUAN_SYNTAX },
	{ "1.999", YUAN_DECIMALS },
	{ "1.000", YUAN_DECIMALS },
	{ "70.505", YUAN_DECIMALS },
	{ "1,00", YUAN_SYNTAX },
	{ "1,5", YUAN_SYNTAX },
	{ "1e3", YUAN_SYNTAX },
	{ "1E3", YUAN_SYNTAX },
	{ "0x10", YUAN_SYNTAX },
	{ "abc", YUAN_SYNTAX },
	{ "1.2.3", YUAN_SYNTAX },
	{ "1..2", YUAN_SYNTAX },
	{ "1.a", YUAN_SYNTAX },
	{ "1.-1", YUAN_SYNTAX },
	{ "\xc2\xa5\xc2\xa5" "1", YUAN_SYNTAX },
	{ "1\xc2\xa5", YUAN_SYNTAX },
	{ "1元", YUAN_SYNTAX },
	{ "\xef\xbc\x91", YUAN_SYNTAX },	/* U+FF11 FULLWIDTH DIGIT ONE */
	{ "$1", YUAN_SYNTAX },
	{ "\xc2" "1", YUAN_SYNTAX },		/* a cut ¥ */
	{ "90071992547409.93", YUAN_OVERFLOW },	/* MONEY_MAX + 1 */
	{ "90071992547410", YUAN_OVERFLOW },
	{ "99999999999999999999", YUAN_OVERFLOW },
	{ "99999999999999999999999999999999999999.99", YUAN_OVERFLOW },
	{ "99999999999999999999x", YUAN_SYNTAX },
	{ "inf", YUAN_SYNTAX },
	{ "nan", YUAN_SYNTAX },
};

static void
test_parse_ok(void **state)
{
	size_t	 i;
	int64_t	 v;

	(void)state;
	for (i = 0; i < NELEM(parse_ok_cases); i++) {
		v = -1;
		if (!money_parse_yuan(parse_ok_cases[i].s, &v))
			fail_msg("rejected \"%s\"", parse_ok_cases[i].s);
		assert_int_equal(v, parse_ok_cases[i].want);
	}
}

static void
test_parse_bad(void **state)
{
	size_t	 i;
	int64_t	 v;

	(void)state;
	for (i = 0; i < NELEM(parse_bad_cases); i++) {
		v = 4242;
		enum yuan_err e = money_parse_yuan_err(parse_bad_cases[i].s, &v);
		if (e != parse_bad_cases[i].want)
			fail_msg("\"%s\": got %d, want %d", parse_bad_cases[i].s, (int)e, (int)parse_bad_cases[i].want);
		assert_false(money_parse_yuan(parse_bad_cases[i].s, &v));
		assert_int_equal(v, 4242);	/* untouched */
		assert_non_null(yuan_err_messages[e]);
	}
	assert_null(yuan_err_messages[YUAN_OK]);
	assert_false(money_parse_yuan(NULL, &v));
	assert_false(money_parse_yuan("1", NULL));
}

/* format then parse gives the same fen for every non-negative amount. */
static void
test_roundtrip(void **state)
{
	int64_t	 v, got;
	char	 buf[32];

	(void)state;
	for (v = 0; v < 100000; v++) {
		money_format(v, buf);
		assert_true(money_parse_yuan(buf, &got));
		assert_int_equal(got, v);
	}
	for (v = MM - 100000; v <= MM; v++) {
		money_format(v, buf);
		assert_true(money_parse_yuan(buf, &got));
		assert_int_equal(got, v);
	}
	/* Negative amounts format, but the parser takes no sign. */
	money_format(-1, buf);
	assert_false(money_parse_yuan(buf, &got));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_fee_table),
		cmocka_unit_test(test_fee_reference),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
