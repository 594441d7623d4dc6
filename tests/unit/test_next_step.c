/* test_next_step.c: the buyer's next step per state (rules/next_step.c):
 * every state has one; deadlines are named for what they are and never
 * shown without a time; the time left in words at each boundary. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules/next_step.h"
#include "store/model.h"

#define NOW 1700000000LL

static struct refund
refund_in(enum refund_state st, long long deadline)
{
	struct refund rf;
	memset(&rf, 0, sizeof(rf));
	rf.state = st;
	rf.deadline = deadline;
	rf.requested = 9850;
	rf.fee = 492;
	rf.amount = 9358;
	return rf;
}

static void
every_state_has_a_step(void **state)
{
	(void)state;
	for (int s = 0; s < RS__MAX; s++) {
		struct refund rf = refund_in((enum refund_state)s, NOW + 3600);
		struct next_step n;
		next_step_of(&rf, false, NOW, &n);
		assert_non_null(n.what);
		assert_true(strlen(n.what) > 0);
		if (n.dk != DK_NONE)
			assert_int_equal(n.deadline, NOW + 3600);
	}
}

static void
deadlines_are_named(void **state)
{
	static const struct { enum refund_state s; bool appeal; enum deadline_kind dk; const char *who; } want[] = {
		{ RS_CS_REVIEW, false, DK_REVIEW, "平台客服" },
		{ RS_MERCHANT_REVIEW, false, DK_REVIEW, "商家" },
		{ RS_ARBITRATION, false, DK_REVIEW, "平台仲裁" },
		{ RS_NEED_INFO, false, DK_NEED_INFO, "您" },
		{ RS_AWAITING_UPSTREAM, false, DK_UPSTREAM, "商城" },
		{ RS_REJECTED, true, DK_APPEAL, "您" },
		{ RS_REJECTED, false, DK_NONE, NULL },
		{ RS_REFUNDED, false, DK_NONE, NULL },
		{ RS_CANCELLED, false, DK_NONE, NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct refund rf = refund_in(want[i].s, NOW + 60);
		struct next_step n;
		next_step_of(&rf, want[i].appeal, NOW, &n);
		assert_int_equal(n.dk, want[i].dk);
		if (want[i].who == NULL)
			assert_null(n.who);
		else
			assert_string_equal(n.who, want[i].who);
	}
	assert_string_equal(deadline_kind_labels[DK_REVIEW], "审核时限");
	assert_string_equal(deadline_kind_labels[DK_NEED_INFO], "补充材料截止");
	assert_string_equal(deadline_kind_labels[DK_APPEAL], "可申诉至");
	/* No deadline on the request: none is named. */
	struct refund rf = refund_in(RS_CS_REVIEW, 0);
	struct next_step n;
	next_step_of(&rf, false, NOW, &n);
	assert_int_equal(n.dk, DK_NONE);
}

static void
arrival_and_partial(void **state)
{
	struct refund rf = refund_in(RS_REFUNDING, 0);
	struct next_step n;
	(void)state;
	next_step_of(&rf, false, NOW, &n);
	assert_true(n.arrival);
	rf.payout_failed = true;
	next_step_of(&rf, false, NOW, &n);
	assert_false(n.arrival);
	assert_false(refund_is_partial(&rf));
	rf.state = RS_REFUNDED;
	rf.amount = 4000;
	assert_true(refund_is_partial(&rf));
	rf.state = RS_REJECTED;
	assert_false(refund_is_partial(&rf));
}

static void
time_left_words(void **state)
{
	static const struct { long long secs; const char *want; } t[] = {
		{ -5, "已超时" }, { 0, "已超时" }, { 1, "不到 1 分钟" }, { 59, "不到 1 分钟" },
		{ 60, "还剩 1 分钟" }, { 3599, "还剩 59 分钟" }, { 3600, "还剩 1 小时 0 分钟" },
		{ 86399, "还剩 23 小时 59 分钟" }, { 86400, "还剩 1 天 0 小时" },
		{ 2 * 86400 + 3 * 3600 + 59, "还剩 2 天 3 小时" },
	};
	char buf[64];
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(time_left_text(t[i].secs, buf, sizeof(buf)), t[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_state_has_a_step),
		cmocka_unit_test(deadlines_are_named),
		cmocka_unit_test(arrival_and_partial),
		cmocka_unit_test(time_left_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
