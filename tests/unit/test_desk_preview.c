/* test_desk_preview.c: the approval's amount from its quick choice, and the
 * preview's movement summed from the ledger plan (rules/desk_preview.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules/desk_preview.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct resolve_case {
	int choice;                /* -1: none */
	int64_t typed;             /* -1: none typed */
	int64_t requested, fee, current;
	int64_t want_amount, want_fee;   /* -1: refused */
};

static const struct resolve_case resolve_cases[] = {
	{ -1, -1, 9850, 492, 9358, 9358, 492 },     /* nothing chosen: the policy's amount */
	{ AC_FULL, -1, 9850, 492, 9358, 9850, 0 },  /* 全额 waives the fee */
	{ AC_FULL, 100, 9850, 492, 9358, 9850, 0 }, /* a typed amount does not count */
	{ AC_NET, -1, 9850, 492, 9358, 9358, 492 },
	{ AC_CUSTOM, 7000, 9850, 492, 9358, 7000, 492 },
	{ -1, 7000, 9850, 492, 9358, 7000, 492 },   /* typed, no choice: custom */
	{ AC_CUSTOM, 9358, 9850, 492, 9358, 9358, 492 },
	{ AC_CUSTOM, 9359, 9850, 492, 9358, -1, -1 }, /* over the refundable */
	{ AC_CUSTOM, 9850, 9850, 492, 9358, -1, -1 },
	{ AC_CUSTOM, 0, 9850, 492, 9358, -1, -1 },
	{ AC_CUSTOM, -1, 9850, 492, 9358, -1, -1 }, /* custom with nothing typed */
	{ AC_CUSTOM, 1, 100, 0, 100, 1, 0 },
	{ AC_NET, -1, 100, 100, 0, -1, -1 },        /* nothing left after the fee */
};

static void
test_resolve(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(resolve_cases); i++) {
		const struct resolve_case *c = &resolve_cases[i];
		int64_t amount = -7, fee = -7;
		const char *why = desk_amount_resolve(c->choice, c->typed >= 0 ? &c->typed : NULL, c->requested,
		    c->fee, c->current, &amount, &fee);
		if (c->want_amount < 0) {
			if (why == NULL)
				fail_msg("case %zu accepted: %lld", i, (long long)amount);
			continue;
		}
		if (why != NULL)
			fail_msg("case %zu refused: %s", i, why);
		assert_int_equal(amount, c->want_amount);
		assert_int_equal(fee, c->want_fee);
	}
}

/* The example: 申请 ¥98.50, 手续费 ¥4.92, 退款 ¥40.00 — the rest
 * goes to the merchant, and the three sum to the hold. */
static void
test_money_from_hold(void **state)
{
	struct plan_order o = { .id = 1, .merchant_id = "m1", .state = HOLD_FROZEN, .amount = 9850 };
	struct plan_refund rf = { .id = 2, .order_id = 1, .buyer_id = "b1", .dest = DEST_ORIGINAL,
		.channel = PAY_WECHAT, .amount = 4000, .fee = 492 };
	struct desk_money m;

	(void)state;
	assert_int_equal(desk_money_preview(&o, &rf, &m), RD_OK);
	assert_true(m.from_escrow);
	assert_true(m.via_payout);
	assert_int_equal(m.to_buyer, 4000);
	assert_int_equal(m.fee, 492);
	assert_int_equal(m.to_merchant, 9850 - 4000 - 492);
	assert_int_equal(m.clawback, 0);

	rf.dest = DEST_BALANCE;
	assert_int_equal(desk_money_preview(&o, &rf, &m), RD_OK);
	assert_false(m.via_payout);
	assert_int_equal(m.to_buyer, 4000);
}

/* After release: a claw-back from the merchant, no fee; more than the
 * merchant got, or a hold already refunded, is a conflict. */
static void
test_money_clawback(void **state)
{
	struct plan_order o = { .id = 1, .merchant_id = "m1", .state = HOLD_RELEASED, .amount = 9850,
		.released = 9850 };
	struct plan_refund rf = { .id = 2, .order_id = 1, .buyer_id = "b1", .dest = DEST_BALANCE,
		.channel = PAY_ALIPAY, .amount = 5000, .fee = 0 };
	struct desk_money m;

	(void)state;
	assert_int_equal(desk_money_preview(&o, &rf, &m), RD_OK);
	assert_false(m.from_escrow);
	assert_int_equal(m.clawback, 5000);
	assert_int_equal(m.to_buyer, 5000);
	assert_int_equal(m.to_merchant, 0);
	rf.amount = 9851;
	assert_int_equal(desk_money_preview(&o, &rf, &m), RD_ERR_CONFLICT);
	o.state = HOLD_REFUNDED;
	rf.amount = 10;
	assert_int_equal(desk_money_preview(&o, &rf, &m), RD_ERR_CONFLICT);
}

/* i10-appeal2: the award on appeal of a partial refund: the quick choice
 * awards the most there is, typed yuan 1 fen up to it; the movement is a
 * claw-back from the merchant, no fee. */
static void
test_award(void **state)
{
	int64_t award = -1, typed;
	struct plan_order o = { .id = 1, .merchant_id = "m1", .state = HOLD_REFUNDED, .amount = 9850,
		.released = 5358 };
	struct plan_refund rf = { .id = 2, .order_id = 1, .buyer_id = "b1", .dest = DEST_BALANCE,
		.channel = PAY_ALIPAY, .amount = 4000, .fee = 492, .award = 2000 };
	struct desk_money m;

	(void)state;
	assert_null(desk_award_resolve(AC_FULL, NULL, 5358, &award));
	assert_int_equal(award, 5358);
	assert_null(desk_award_resolve(AC_NET, NULL, 5358, &award));
	assert_int_equal(award, 5358);
	typed = 2000;
	assert_null(desk_award_resolve(AC_CUSTOM, &typed, 5358, &award));
	assert_int_equal(award, 2000);
	assert_null(desk_award_resolve(-1, &typed, 5358, &award));
	typed = 5358;
	assert_null(desk_award_resolve(AC_CUSTOM, &typed, 5358, &award));
	award = -1;
	typed = 5359;
	assert_non_null(desk_award_resolve(AC_CUSTOM, &typed, 5358, &award));
	typed = 0;
	assert_non_null(desk_award_resolve(AC_CUSTOM, &typed, 5358, &award));
	assert_non_null(desk_award_resolve(AC_CUSTOM, NULL, 5358, &award));
	assert_non_null(desk_award_resolve(-1, NULL, 5358, &award));
	assert_non_null(desk_award_resolve(AC_FULL, NULL, 0, &award));   /* nothing left to award */
	assert_int_equal(award, -1);                                    /* untouched when refused */

	assert_int_equal(desk_award_preview(&o, &rf, &m), RD_OK);
	assert_false(m.from_escrow);
	assert_false(m.via_payout);
	assert_int_equal(m.to_buyer, 2000);
	assert_int_equal(m.clawback, 2000);
	assert_int_equal(m.fee, 0);
	assert_int_equal(m.to_merchant, 0);
	rf.award = 5359;
	assert_int_equal(desk_award_preview(&o, &rf, &m), RD_ERR_CONFLICT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_money_from_hold),
		cmocka_unit_test(test_money_clawback),
		cmocka_unit_test(test_award),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
