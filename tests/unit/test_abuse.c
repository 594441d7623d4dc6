/* test_abuse.c: the pure gates of issue 9: normal request paths, duplicate
 * JSON keys, deceptive characters, staff password rules, webhook targets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/arena.h"
#include "web/json_keys.h"
#include "store/replay.h"
#include "web/sign.h"
#include "base/password.h"
#include "store/staff.h"
#include "base/utf8.h"

static void
paths(void **state)
{
	static const char *const good[] = { "", "/", "/api/v1/orders", "/api/v1/orders/O-1_x?a=1&b=//..",
		"/api/v1/orders/O1/usage", "/a.b/c..d/.e" };
	static const char *const bad[] = { "//api/v1/orders", "/api//v1", "/api/v1/", "/api/./v1", "/api/../v1",
		"/api/v1/.", "/api/v1/..", "/api/%2e%2e/v1", "/api/v1/%4F1", "/api\\v1", "api/v1", "/api/v1//?x" };
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(uri_path_normal(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (uri_path_normal(bad[i]))
			fail_msg("accepted %s", bad[i]);
	}
	char out[32];
	assert_true(signed_target("/api/v1/orders", "", out, sizeof(out)));
	assert_string_equal(out, "/api/v1/orders");
	assert_true(signed_target("/api/v1/orders", "a=1", out, sizeof(out)));
	assert_string_equal(out, "/api/v1/orders?a=1");
	assert_false(signed_target("/api/v1/orders", "a-very-long-query-string-indeed", out, sizeof(out)));
}

static void
dup_keys(void **state)
{
	static const struct {
		const char *json;
		bool dup;
	} t[] = {
		{ "{}", false },
		{ "{\"a\":1,\"b\":2}", false },
		{ "{\"a\":1,\"a\":2}", true },
		{ "{\"a\":1,\"\\u0061\":2}", true },
		{ "{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}", true },
		{ "{\"a\\\"\":1,\"a\\\\\":2}", false },
		{ "{\"x\":{\"a\":1},\"y\":{\"a\":1}}", false },
		{ "{\"x\":[{\"a\":1,\"b\":{\"c\":[1,{\"d\":1,\"d\":2}]}}]}", true },
		{ "{\"s\":\"{\\\"a\\\":1,\\\"a\\\":2}\"}", false },          /* inside a string: not keys */
		{ " { \"a\" : 1 , \"ab\" : 2 , \"b\" : 3 } ", false },
		{ "[{\"k\":true},{\"k\":null}]", false },
		/* json-c's strict tokener takes names in single quotes, the same names. */
		{ "{\"state\":\"failed\",'state':\"delivered\"}", true },
		{ "{'a\"b':1,\"a\\\"b\":2}", true },
		{ "{'a\\u0041':1,\"aA\":2}", true },
		{ "{'a':1,'b':2}", false },
		/* Texts json-c refuses must still end the scan (fuzz regress). */
		{ "{\n'BB\t\\uDBBB:\".[\n':3}", false },
		{ "[}", false },
		{ "{\"a\":[}]}", false },
		{ "{\"a\\", false },
	};
	struct arena a;
	bool nomem;

	(void)state;
	arena_init(&a, 1 << 20);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		bool d = json_dup_keys(t[i].json, strlen(t[i].json), &a, &nomem);
		if (d != t[i].dup || nomem)
			fail_msg("%s: dup %d, want %d", t[i].json, d, t[i].dup);
	}
	/* Many keys: sorted, not compared pairwise. */
	char big[60000];
	size_t n = (size_t)snprintf(big, sizeof(big), "{");
	for (int k = 0; k < 5000; k++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\"k%d\":1", k ? "," : "", k);
	n += (size_t)snprintf(big + n, sizeof(big) - n, "}");
	assert_false(json_dup_keys(big, n, &a, &nomem));
	big[n - 1] = '\0';
	n = strlen(big);
	n += (size_t)snprintf(big + n, sizeof(big) - n, ",\"k4999\":2}");
	assert_true(json_dup_keys(big, n, &a, &nomem));
	arena_free(&a);
}

static void
deceptive(void **state)
{
	static const struct {
		const char *s;
		unsigned long cp;
	} t[] = {
		{ "plain 文本 😀", 0 },
		{ "\xe2\x80\xae" "gnp.exe", 0x202E },
		{ "a\xe2\x80\x8b" "b", 0x200B },
		{ "a\xe2\x80\x8d" "b", 0x200D },
		{ "\xe2\x81\xa6x\xe2\x81\xa9", 0x2066 },
		{ "\xef\xbb\xbfx", 0xFEFF },
		{ "soft\xc2\xad" "hyphen", 0xAD },
		{ "\xd8\x9c", 0x61C },
		{ "\xe2\x80\x8e", 0x200E },
		{ "\xe2\x80\x90", 0 },                    /* U+2010 hyphen: fine */
		{ "\xe2\x80\xaf", 0 },                    /* U+202F narrow space: fine */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(utf8_deceptive(t[i].s, strlen(t[i].s)), t[i].cp);
}

static void
passwords(void **state)
{
	char longpw[300];

	(void)state;
	assert_non_null(password_problem("12345678", 8));
	assert_non_null(password_problem("abcdefghijk", 11));
	assert_non_null(password_problem("PASSWORD1234", 12));
	assert_non_null(password_problem("zzzzzzzzzzzzzz", 14));
	assert_null(password_problem("correct horse battery", 21));
	assert_null(password_problem("密码很长的一句话不容易猜到吧", strlen("密码很长的一句话不容易猜到吧")));
	assert_non_null(password_problem("短密码", strlen("短密码")));
	memset(longpw, 'x', sizeof(longpw));
	longpw[0] = 'y';
	assert_null(password_problem(longpw, PASSWORD_MAX));
	assert_non_null(password_problem(longpw, PASSWORD_MAX + 1));
	assert_non_null(password_problem("ctl\x01in the middle", 17));
}

static void
webhook_targets(void **state)
{
	char a[65], b[65];
	const char *secret = "whsec-0123456789abcdef0123456789abcdef";

	(void)state;
	webhook_sign(secret, "https://shop.example/hooks/rd?k=v#frag", 1700000000, "{}", 2, a);
	apisig_sign(secret, "POST", "/hooks/rd?k=v", 1700000000, "{}", 2, b);
	assert_string_equal(a, b);
	webhook_sign(secret, "http://shop.example", 1700000000, "{}", 2, a);
	apisig_sign(secret, "POST", "/", 1700000000, "{}", 2, b);
	assert_string_equal(a, b);
	webhook_sign(secret, "http://shop.example?x=1", 1700000000, "{}", 2, a);
	apisig_sign(secret, "POST", "/?x=1", 1700000000, "{}", 2, b);
	assert_string_equal(a, b);
	webhook_sign("", "http://shop.example/", 1700000000, "{}", 2, a);
	assert_string_equal(a, "");                    /* no fallback to another secret */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths),
		cmocka_unit_test(dup_keys),
		cmocka_unit_test(deceptive),
		cmocka_unit_test(passwords),
		cmocka_unit_test(webhook_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
