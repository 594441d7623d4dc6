/* test_form.c: the refund form's table run over valid and invalid values,
 * with the exact message the buyer would read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "web/form.h"
#include "base/utf8.h"

static const char *const destinations[] = { "original", "balance" };

enum { F_REASON, F_DEST, F_ORDER, F_IDEM, F_ACCOUNT, F_AMOUNT, F__MAX };

/* Shaped like the POST /refund/new form. */
static const struct form_field refund_form[F__MAX] = {
	[F_REASON] = { "reason", "退款原因", form_check_text, 10, 1000, true, NULL, 0 },
	[F_DEST] = { "destination", "退款方式", form_check_choice, 0, 0, true, destinations, 2 },
	[F_ORDER] = { "order", "订单号", form_check_ident, 0, 32, true, NULL, 0 },
	[F_IDEM] = { "idem", "表单编号", form_check_token, 16, 64, true, NULL, 0 },
	[F_ACCOUNT] = { "wrong_account", "充错的账号", form_check_line, 1, 64, false, NULL, 0 },
	[F_AMOUNT] = { "amount", "金额", form_check_digits, 1, 12, false, NULL, 0 },
};

#define IDEM "k3J9aQ2mX8pL0vR7"

/* n repetitions of a UTF-8 piece, NUL-terminated, from malloc. */
static char *
rep(const char *piece, size_t n)
{
	size_t pl = strlen(piece), i;
	char *s = malloc(pl * n + 1);

	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * pl, piece, pl);
	s[pl * n] = '\0';
	return s;
}

/* Runs the whole form with a reason value (and its byte length), every other
 * field valid; returns the message for the reason, or NULL. */
static const char *
reason_msg(const char *reason, size_t len, char *buf, size_t cap)
{
	struct form_value v[] = {
		{ "reason", reason, len },
		{ "destination", "balance", 7 },
		{ "order", "A1001", 5 },
		{ "idem", IDEM, 16 },
	};
	const char *errs[F__MAX];
	size_t bad;

	bad = form_validate(refund_form, F__MAX, v, 4, errs, buf, cap);
	assert_int_equal(bad, errs[F_REASON] != NULL ? 1 : 0);
	return errs[F_REASON];
}

static void
expect_reason(const char *reason, size_t len, const char *want)
{
	char buf[512];
	const char *got = reason_msg(reason, len, buf, sizeof(buf));

	if (want == NULL && got != NULL)
		fail_msg("reason rejected: %s", got);
	if (want != NULL && (got == NULL || strcmp(got, want) != 0))
		fail_msg("reason: got \"%s\", want \"%s\"", got ? got : "(null)", want);
}

static void
test_reason_lengths(void **state)
{
	char *s;

	(void)state;
	/* Counted in characters: 9 Chinese characters are 27 bytes. */
	s = rep("字", 9);
	expect_reason(s, strlen(s), "请填写退款原因，至少 10 个字（当前 9 个字）");
	free(s);
	s = rep("字", 10);
	expect_reason(s, strlen(s), NULL);
	free(s);
	s = rep("字", 1000);
	expect_reason(s, strlen(s), NULL);
	free(s);
	s = rep("字", 1001);
	expect_reason(s, strlen(s), "退款原因最多 1000 个字（当前 1001 个字）");
	free(s);
	s = rep("a", 1001);
	expect_reason(s, strlen(s), "退款原因最多 1000 个字（当前 1001 个字）");
	free(s);
	/* 4-byte characters count once too. */
	s = rep("\xf0\x9f\x98\x80", 10);
	expect_reason(s, strlen(s), NULL);
	free(s);
	expect_reason("卡密无效", strlen("卡密无效"),
	    "请填写退款原因，至少 10 个字（当前 4 个字）");
}

static void
test_reason_whitespace(void **state)
{
	(void)state;
	/* Padding does not reach the minimum: ASCII, NBSP and U+3000. */
	expect_reason("   字字字字字字字字字\n\n  ", strlen("   字字字字字字字字字\n\n  "),
	    "请填写退款原因，至少 10 个字（当前 9 个字）");
	expect_reason("\xe3\x80\x80\xe3\x80\x80字字字字字字字字字\xc2\xa0",
	    strlen("\xe3\x80\x80\xe3\x80\x80字字字字字字字字字\xc2\xa0"),
	    "请填写退款原因，至少 10 个字（当前 9 个字）");
	/* Inner whitespace counts. */
	expect_reason("字字字字 字字字字字", strlen("字字字字 字字字字字"), NULL);
	/* All blank. */
	expect_reason("          ", 10, "请填写退款原因，至少 10 个字（当前 0 个字）");
	/* A CRLF line break counts once, as the textarea shows it. */
	expect_reason("字字字字\r\n字字字字字", strlen("字字字字\r\n字字字字字"), NULL);
	expect_reason("字字字字\r\n字字字字", strlen("字字字字\r\n字字字字"),
	    "请填写退款原因，至少 10 个字（当前 9 个字）");
	expect_reason("tab\there ok!", strlen("tab\there ok!"), NULL);
}

static void
test_reason_crlf_max(void **state)
{
	char *a = rep("字", 500), *b = rep("字", 499), *s;
	size_t la = strlen(a), lb = strlen(b);

	(void)state;
	s = malloc(la + lb + 3);
	assert_non_null(s);
	memcpy(s, a, la);
	memcpy(s + la, "\r\n", 2);
	memcpy(s + la + 2, b, lb + 1);
	expect_reason(s, la + lb + 2, NULL);                    /* 1000 */
	memcpy(s + la, "\n\n", 2);
	expect_reason(s, la + lb + 2, "退款原因最多 1000 个字（当前 1001 个字）");
	free(a);
	free(b);
	free(s);
}

struct bad_text {
	const char *s;
	size_t n;
	const char *want;
};

#define S(lit) lit, sizeof(lit) - 1

static const struct bad_text bad_reasons[] = {
	/* A raw NUL and a %00 the urlencoded parser decoded to one. */
	{ S("卡密无效，无法激活\0请退款"), "退款原因含有无效的字符" },
	{ S("\0卡密无效，无法激活请退款"), "退款原因含有无效的字符" },
	{ S("卡密无效，无法激活请退款\0"), "退款原因含有无效的字符" },
	/* Overlong '/', a surrogate, past U+10FFFF, truncated, stray. */
	{ S("卡密无效，无法激活\xc0\xaf"), "退款原因含有无法识别的字符，请检查输入法或编码" },
	{ S("卡密无效，无法激活\xe0\x80\xaf"), "退款原因含有无法识别的字符，请检查输入法或编码" },
	{ S("卡密无效，无法激活\xed\xa0\x80"), "退款原因含有无法识别的字符，请检查输入法或编码" },
	{ S("卡密无效，无法激活\xf4\x90\x80\x80"), "退款原因含有无法识别的字符，请检查输入法或编码" },
	{ S("卡密无效，无法激活\xe5\xad"), "退款原因含有无法识别的字符，请检查输入法或编码" },
	{ S("卡密无效，无法激活\x80"), "退款原因含有无法识别的字符，请检查输入法或编码" },
	{ S("\xb0\xb4\xc5\xa5\xce\xde\xd0\xa7\xa3\xac\xce\xde\xb7\xa8\xbc\xa4"),
	    "退款原因含有无法识别的字符，请检查输入法或编码" },    /* GBK, not UTF-8 */
	/* Controls: C0, DEL, C1 (NEL), escape sequences. */
	{ S("卡密无效，无法激活\x01请退款"), "退款原因含有不可见的控制字符" },
	{ S("卡密无效，无法激活\x1b[2J请退款"), "退款原因含有不可见的控制字符" },
	{ S("卡密无效，无法激活\x7f请退款"), "退款原因含有不可见的控制字符" },
	{ S("卡密无效，无法激活\xc2\x85请退款"), "退款原因含有不可见的控制字符" },
	{ S("卡密无效，无法激活\x0b请退款"), "退款原因含有不可见的控制字符" },
};

static void
test_reason_bad_bytes(void **state)
{
	size_t i;
	char buf[512];
	const char *got;

	(void)state;
	for (i = 0; i < sizeof(bad_reasons) / sizeof(bad_reasons[0]); i++) {
		got = reason_msg(bad_reasons[i].s, bad_reasons[i].n, buf, sizeof(buf));
		if (got == NULL || strcmp(got, bad_reasons[i].want) != 0)
			fail_msg("bad reason %zu: got \"%s\"", i, got ? got : "(null)");
	}
}

/* Values for the other fields, each with the reason valid. */
struct field_case {
	const char *name;
	const char *value;
	size_t len;
	int field;              /* which errs[] slot to look at */
	const char *want;       /* NULL: valid */
};

static const struct field_case field_cases[] = {
	{ "destination", S("original"), F_DEST, NULL },
	{ "destination", S("balance"), F_DEST, NULL },
	{ "destination", S("balancex"), F_DEST, "请选择有效的退款方式" },
	{ "destination", S("Balance"), F_DEST, "请选择有效的退款方式" },
	{ "destination", S("balanc"), F_DEST, "请选择有效的退款方式" },
	{ "destination", S("balance\0x"), F_DEST, "请选择有效的退款方式" },
	{ "destination", S("balance "), F_DEST, "请选择有效的退款方式" },
	{ "order", S("A1001"), F_ORDER, NULL },
	{ "order", S("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"), F_ORDER, NULL },
	{ "order", S("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"), F_ORDER,
	    "订单号格式不正确：只能包含字母、数字、“-”和“_”，最多 32 位" },
	{ "order", S("A.1001"), F_ORDER,
	    "订单号格式不正确：只能包含字母、数字、“-”和“_”，最多 32 位" },
	{ "order", S("A1001\0x"), F_ORDER,
	    "订单号格式不正确：只能包含字母、数字、“-”和“_”，最多 32 位" },
	{ "order", S("A1001' OR 1=1"), F_ORDER,
	    "订单号格式不正确：只能包含字母、数字、“-”和“_”，最多 32 位" },
	{ "idem", S("k3J9aQ2mX8pL0vR7"), F_IDEM, NULL },
	{ "idem", S("k3J9aQ2mX8pL0vR"), F_IDEM,
	    "表单编号格式不正确：只能包含字母、数字、“-”和“_”，16 到 64 位" },
	{ "idem", S("k3J9aQ2mX8pL0vR7/"), F_IDEM,
	    "表单编号格式不正确：只能包含字母、数字、“-”和“_”，16 到 64 位" },
	{ "idem", S("k3J9aQ2mX8pL0vR7\0"), F_IDEM,
	    "表单编号格式不正确：只能包含字母、数字、“-”和“_”，16 到 64 位" },
	{ "wrong_account", S("13800138000"), F_ACCOUNT, NULL },
	{ "wrong_account", S("游戏账号 abc_1"), F_ACCOUNT, NULL },
	{ "wrong_account", S(""), F_ACCOUNT, NULL },            /* optional, empty */
	{ "wrong_account", S("1380\n0138000"), F_ACCOUNT, "充错的账号不能换行" },
	{ "wrong_account", S("1380\r0138000"), F_ACCOUNT, "充错的账号不能换行" },
	{ "wrong_account", S("1380\t0138000"), F_ACCOUNT, NULL },
	{ "wrong_account", S("1380\x1b" "0138000"), F_ACCOUNT, "充错的账号含有不可见的控制字符" },
	{ "wrong_account", S("   "), F_ACCOUNT, "请填写充错的账号，至少 1 个字（当前 0 个字）" },
	{ "amount", S("1250"), F_AMOUNT, NULL },
	{ "amount", S("0"), F_AMOUNT, NULL },
	{ "amount", S("123456789012"), F_AMOUNT, NULL },
	{ "amount", S("1234567890123"), F_AMOUNT, "金额只能填写数字，1 到 12 位" },
	{ "amount", S("-1"), F_AMOUNT, "金额只能填写数字，1 到 12 位" },
	{ "amount", S("12.5"), F_AMOUNT, "金额只能填写数字，1 到 12 位" },
	{ "amount", S(" 12"), F_AMOUNT, "金额只能填写数字，1 到 12 位" },
	{ "amount", S("１２"), F_AMOUNT, "金额只能填写数字，1 到 12 位" },  /* fullwidth */
};

static void
test_field_table(void **state)
{
	char buf[1024];
	const char *errs[F__MAX];
	size_t i, j, bad;

	(void)state;
	for (i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		const struct field_case *c = &field_cases[i];
		struct form_value v[5] = {
			{ "reason", "卡密无效，无法激活，请退款", strlen("卡密无效，无法激活，请退款") },
			{ "destination", "balance", 7 },
			{ "order", "A1001", 5 },
			{ "idem", IDEM, 16 },
		};
		size_t nv = 4;

		/* Replace the field when the form has it, else add it. */
		for (j = 0; j < nv; j++)
			if (strcmp(v[j].name, c->name) == 0)
				break;
		if (j == nv)
			nv++;
		v[j].name = c->name;
		v[j].value = c->value;
		v[j].len = c->len;
		bad = form_validate(refund_form, F__MAX, v, nv, errs, buf, sizeof(buf));
		if (c->want == NULL && (bad != 0 || errs[c->field] != NULL))
			fail_msg("field case %zu: rejected: %s", i,
			    errs[c->field] ? errs[c->field] : "(another field)");
		if (c->want != NULL && (bad != 1 || errs[c->field] == NULL ||
		    strcmp(errs[c->field], c->want) != 0))
			fail_msg("field case %zu: got \"%s\" (%zu bad), want \"%s\"", i,
			    errs[c->field] ? errs[c->field] : "(null)", bad, c->want);
	}
}

static void
test_missing_duplicate_unknown(void **state)
{
	(void)state;
	char buf[1024];
	const char *errs[F__MAX];
	const struct form_value dup[] = {
		{ "reason", "卡密无效，无法激活，请退款", strlen("卡密无效，无法激活，请退款") },
		{ "destination", "balance", 7 },
		{ "destination", "original", 8 },
		{ "order", "A1001", 5 },
		{ "idem", IDEM, 16 },
		{ "amount", "1", 1 },
		{ "amount", "1", 1 },              /* same value twice: still refused */
		{ "admin", "1", 1 },               /* unknown: ignored */
		{ "reasons", "x", 1 },             /* names match exactly */
		{ "Reason", "x", 1 },
	};
	const struct form_value none[] = { { "other", "x", 1 } };
	const struct form_value empty[] = {
		{ "reason", "", 0 }, { "destination", "", 0 }, { "order", "", 0 },
		{ "idem", "", 0 }, { "wrong_account", "", 0 }, { "amount", "", 0 },
	};
	size_t i;

	assert_int_equal(form_validate(refund_form, F__MAX, dup,
	    sizeof(dup) / sizeof(dup[0]), errs, buf, sizeof(buf)), 2);
	assert_null(errs[F_REASON]);
	assert_string_equal(errs[F_DEST], "重复的字段");
	assert_null(errs[F_ORDER]);
	assert_string_equal(errs[F_AMOUNT], "重复的字段");

	/* Nothing at all: the four required fields, each with its label. */
	assert_int_equal(form_validate(refund_form, F__MAX, none, 1, errs, buf, sizeof(buf)), 4);
	assert_string_equal(errs[F_REASON], "请填写退款原因");
	assert_string_equal(errs[F_DEST], "请选择退款方式");
	assert_string_equal(errs[F_ORDER], "请填写订单号");
	assert_string_equal(errs[F_IDEM], "请填写表单编号");
	assert_null(errs[F_ACCOUNT]);
	assert_null(errs[F_AMOUNT]);
	/* Present but empty is the same as absent. */
	assert_int_equal(form_validate(refund_form, F__MAX, empty, 6, errs, buf, sizeof(buf)), 4);
	assert_string_equal(errs[F_REASON], "请填写退款原因");
	assert_null(errs[F_AMOUNT]);
	assert_int_equal(form_validate(refund_form, F__MAX, NULL, 0, errs, buf, sizeof(buf)), 4);
	/* Messages are separate strings in the scratch, none overwritten. */
	for (i = 0; i < 4; i++)
		assert_true(errs[i] >= buf && errs[i] < buf + sizeof(buf));
	assert_ptr_not_equal(errs[F_REASON], errs[F_ORDER]);
}

/* Without scratch, or with too little, messages fall back to static text
 * and are never cut. */
static void
test_scratch_limits(void **state)
{
	(void)state;
	char small[40];
	const char *errs[F__MAX];
	const struct form_value v[] = {
		{ "reason", "短", 3 },
		{ "destination", "x", 1 },
		{ "order", "A.1", 3 },
		{ "idem", IDEM, 16 },
	};
	size_t i;

	assert_int_equal(form_validate(refund_form, F__MAX, v, 4, errs, NULL, 0), 3);
	assert_string_equal(errs[F_REASON], "字数太少");
	assert_string_equal(errs[F_DEST], "请选择有效的选项");
	assert_string_equal(errs[F_ORDER], "格式不正确");

	/* Room for the first message only. */
	memset(small, 'z', sizeof(small));
	assert_int_equal(form_validate(refund_form, F__MAX, v, 4, errs, small, sizeof(small)), 3);
	assert_string_equal(errs[F_REASON], "字数太少");        /* 55 bytes: did not fit */
	assert_string_equal(errs[F_DEST], "请选择有效的退款方式");
	assert_ptr_equal(errs[F_DEST], small);
	assert_string_equal(errs[F_ORDER], "格式不正确");
	for (i = 0; i < F__MAX; i++)
		if (errs[i] != NULL)
			assert_true(utf8_valid(errs[i], strlen(errs[i])));
}

static void
test_check_edges(void **state)
{
	(void)state;
	static const struct form_field nocheck[] = {
		{ "x", NULL, NULL, 0, 10, false, NULL, 0 },
	};
	static const struct form_field nochoices[] = {
		{ "x", "选项", form_check_choice, 0, 0, true, NULL, 0 },
	};
	static const struct form_field zero_max[] = {
		{ "x", "编号", form_check_ident, 0, 0, true, NULL, 0 },
	};
	static const struct form_field digits_exact[] = {
		{ "code", "验证码", form_check_digits, 6, 6, true, NULL, 0 },
	};
	const struct form_value x[] = { { "x", "abc", 3 } };
	const struct form_value code5[] = { { "code", "12345", 5 } };
	const struct form_value code6[] = { { "code", "123456", 6 } };
	const char *errs[1];
	char buf[256];

	/* A field with no check fails closed; without a label, the name shows. */
	assert_int_equal(form_validate(nocheck, 1, x, 1, errs, buf, sizeof(buf)), 1);
	assert_string_equal(errs[0], "此项无法提交");
	assert_int_equal(form_validate(nocheck, 1, NULL, 0, errs, buf, sizeof(buf)), 0);
	assert_null(errs[0]);
	assert_int_equal(form_validate(nochoices, 1, x, 1, errs, buf, sizeof(buf)), 1);
	assert_int_equal(form_validate(zero_max, 1, x, 1, errs, buf, sizeof(buf)), 1);
	assert_int_equal(form_validate(digits_exact, 1, code5, 1, errs, buf, sizeof(buf)), 1);
	assert_string_equal(errs[0], "验证码应为 6 位数字");
	assert_int_equal(form_validate(digits_exact, 1, code6, 1, errs, buf, sizeof(buf)), 0);
}

static void
test_form_get(void **state)
{
	(void)state;
	const struct form_value v[] = {
		{ "a", "1", 1 }, { "b", "2", 1 }, { "a", "3", 1 },
	};

	assert_string_equal(form_get(v, 3, "a")->value, "1");
	assert_string_equal(form_get(v, 3, "b")->value, "2");
	assert_null(form_get(v, 3, "c"));
	assert_null(form_get(v, 3, "A"));
	assert_null(form_get(v, 0, "a"));
	assert_null(form_get(NULL, 3, "a"));
	assert_null(form_get(v, 3, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reason_lengths),
		cmocka_unit_test(test_reason_whitespace),
		cmocka_unit_test(test_reason_crlf_max),
		cmocka_unit_test(test_reason_bad_bytes),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_missing_duplicate_unknown),
		cmocka_unit_test(test_scratch_limits),
		cmocka_unit_test(test_check_edges),
		cmocka_unit_test(test_form_get),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
