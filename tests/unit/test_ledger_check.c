/* test_ledger_check.c: every invariant check-ledger proves, on tables of
 * clean ledgers (no violation) and of ledgers broken in exactly one way
 * (the first violation must carry that invariant's code). The sums are
 * what the C_HOLD_SUMS / C_REFUND_SUMS queries report for the movements
 * ledger.c posts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rules/ledger_check.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct hold_case {
	const char *what;
	struct hold_sums h;
	const char *code;      /* NULL: clean */
};

/*        state        amount rel  ref  fee   l_held l_rel l_ref l_fee  escrow txns res */
static const struct hold_case hold_cases[] = {
	/* Clean. */
	{ "open hold", { "held", 1000, 0, 0, 0, 1000, 0, 0, 0, 1000, 0, 0 }, NULL },
	{ "frozen hold", { "frozen", 1000, 0, 0, 0, 1000, 0, 0, 0, 1000, 0, 0 }, NULL },
	{ "released", { "released", 1000, 1000, 0, 0, 1000, 1000, 0, 0, 0, 1, 1 }, NULL },
	{ "fully refunded", { "refunded", 1000, 0, 1000, 0, 1000, 0, 1000, 0, 0, 1, 1 }, NULL },
	{ "partial refund, fee, rest to merchant",
	    { "refunded", 1000, 300, 600, 100, 1000, 300, 600, 100, 0, 1, 1 }, NULL },
	{ "unused refund minus fee", { "refunded", 1999, 0, 1800, 199, 1999, 0, 1800, 199, 0, 1, 1 }, NULL },
	/* A claw-back moves merchant money to the buyer; the hold stays
	 * "released", resolved once, and no new release/refund txn appears. */
	{ "claw-back after release", { "released", 1000, 400, 600, 0, 1000, 400, 600, 0, 0, 1, 1 }, NULL },
	{ "full claw-back", { "released", 1000, 0, 1000, 0, 1000, 0, 1000, 0, 0, 1, 1 }, NULL },
	{ "zero hold released", { "released", 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 }, NULL },

	/* H1: the holds row and the ledger differ, one column at a time. */
	{ "H1 amount", { "held", 1000, 0, 0, 0, 999, 0, 0, 0, 1000, 0, 0 }, "H1" },
	{ "H1 released", { "released", 1000, 1000, 0, 0, 1000, 900, 0, 0, 0, 1, 1 }, "H1" },
	{ "H1 refunded", { "refunded", 1000, 0, 1000, 0, 1000, 0, 1001, 0, 0, 1, 1 }, "H1" },
	{ "H1 fees", { "refunded", 1000, 300, 600, 100, 1000, 300, 600, 0, 0, 1, 1 }, "H1" },
	/* H2: open, but escrow short or money already moved. */
	{ "H2 escrow short", { "held", 1000, 0, 0, 0, 1000, 0, 0, 0, 999, 0, 0 }, "H2" },
	{ "H2 escrow empty", { "frozen", 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0, 0 }, "H2" },
	{ "H2 released while held", { "held", 1000, 10, 0, 0, 1000, 10, 0, 0, 1000, 0, 0 }, "H2" },
	{ "H2 refunded while frozen", { "frozen", 1000, 0, 10, 0, 1000, 0, 10, 0, 1000, 0, 0 }, "H2" },
	{ "H2 fee while held", { "held", 1000, 0, 0, 10, 1000, 0, 0, 10, 1000, 0, 0 }, "H2" },
	/* H3: resolved, but the parts do not add up or escrow kept money. */
	{ "H3 parts short", { "refunded", 1000, 300, 600, 0, 1000, 300, 600, 0, 0, 1, 1 }, "H3" },
	{ "H3 parts over", { "released", 1000, 1000, 1, 0, 1000, 1000, 1, 0, 0, 1, 1 }, "H3" },
	{ "H3 escrow not empty", { "released", 1000, 1000, 0, 0, 1000, 1000, 0, 0, 5, 1, 1 }, "H3" },
	{ "H3 unknown state", { "lost", 1000, 0, 0, 0, 1000, 0, 0, 0, 1000, 1, 1 }, "H3" },
	/* H4: resolution counts. */
	{ "H4 resolved twice", { "released", 1000, 1000, 0, 0, 1000, 1000, 0, 0, 0, 2, 1 }, "H4" },
	{ "H4 two resolution rows", { "refunded", 1000, 0, 1000, 0, 1000, 0, 1000, 0, 0, 1, 2 }, "H4" },
	{ "H4 resolved without txn", { "released", 1000, 1000, 0, 0, 1000, 1000, 0, 0, 0, 0, 1 }, "H4" },
	{ "H4 resolved without row", { "released", 1000, 1000, 0, 0, 1000, 1000, 0, 0, 0, 1, 0 }, "H4" },
	{ "H4 open but txn", { "held", 1000, 0, 0, 0, 1000, 0, 0, 0, 1000, 1, 0 }, "H4" },
	{ "H4 open but row", { "frozen", 1000, 0, 0, 0, 1000, 0, 0, 0, 1000, 0, 1 }, "H4" },
	/* H5: a negative column that still adds up (an over-large claw-back). */
	{ "H5 released negative", { "released", 1000, -100, 1100, 0, 1000, -100, 1100, 0, 0, 1, 1 }, "H5" },
	{ "H5 fees negative", { "refunded", 1000, 100, 1000, -100, 1000, 100, 1000, -100, 0, 1, 1 }, "H5" },
	{ "H5 refunded negative", { "refunded", 1000, 1100, -100, 0, 1000, 1100, -100, 0, 0, 1, 1 }, "H5" },
};

struct refund_case {
	const char *what;
	struct refund_sums r;
	const char *code;
};

/*  state, destination, channel, amount, fee, txn_kind, l_paid, l_fee, payouts, open */
static const struct refund_case refund_cases[] = {
	/* Clean. */
	{ "refunded to balance", { "refunded", "balance", "alipay", 900, 100, "refund", 900, 100, 0, 0, 0, 0, 0, 0, 0 }, NULL },
	{ "refunded original, paid out",
	    { "refunded", "original", "alipay", 1000, 0, "refund", 1000, 0, 1, 0, 0, 0, 0, 0, 0 }, NULL },
	{ "refunded original via balance channel",
	    { "refunded", "original", "balance", 1000, 0, "refund", 1000, 0, 0, 0, 0, 0, 0, 0, 0 }, NULL },
	{ "refunding original, not yet paid out",
	    { "refunding", "original", "wechat", 1800, 199, "refund", 1800, 199, 0, 1, 0, 0, 0, 0, 0 }, NULL },
	/* A claw-back pays the buyer from the merchant and charges no fee,
	 * whatever the refund row says its fee was. */
	{ "claw-back", { "refunded", "balance", "alipay", 600, 50, "clawback", 600, 0, 0, 0, 0, 0, 0, 0, 0 }, NULL },
	{ "claw-back original, paid out",
	    { "refunded", "original", "bank", 600, 0, "clawback", 600, 0, 1, 0, 0, 0, 0, 0, 0 }, NULL },
	{ "cancelled, nothing moved", { "cancelled", "balance", "alipay", 1000, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 }, NULL },
	{ "rejected, nothing moved", { "rejected", "original", "alipay", 1000, 100, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 }, NULL },
	{ "closed, nothing moved", { "closed", "original", "alipay", 1000, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 }, NULL },
	{ "submitted holds slot", { "submitted", "original", "alipay", 1000, 0, "", 0, 0, 0, 1, 0, 0, 0, 0, 0 }, NULL },
	{ "cs_review holds slot", { "cs_review", "balance", "wechat", 1000, 0, "", 0, 0, 0, 1, 0, 0, 0, 0, 0 }, NULL },
	{ "approved holds slot", { "approved", "balance", "wechat", 1000, 0, "", 0, 0, 0, 1, 0, 0, 0, 0, 0 }, NULL },

	/* R1: paid states without, or with the wrong, money. */
	{ "R1 refunded without txn", { "refunded", "balance", "alipay", 1000, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "R1" },
	{ "R1 refunding without txn", { "refunding", "original", "alipay", 1000, 0, "", 0, 0, 0, 1, 0, 0, 0, 0, 0 }, "R1" },
	{ "R1 paid too little", { "refunded", "balance", "alipay", 1000, 0, "refund", 999, 0, 0, 0, 0, 0, 0, 0, 0 }, "R1" },
	{ "R1 paid too much", { "refunded", "balance", "alipay", 1000, 0, "refund", 1001, 0, 0, 0, 0, 0, 0, 0, 0 }, "R1" },
	{ "R1 fee wrong", { "refunded", "balance", "alipay", 900, 100, "refund", 900, 90, 0, 0, 0, 0, 0, 0, 0 }, "R1" },
	{ "R1 fee missing", { "refunding", "original", "alipay", 900, 100, "refund", 900, 0, 0, 1, 0, 0, 0, 0, 0 }, "R1" },
	{ "R1 fee on claw-back", { "refunded", "balance", "alipay", 600, 50, "clawback", 600, 50, 0, 0, 0, 0, 0, 0, 0 }, "R1" },
	/* R2: money moved for a refund that did not pay. */
	{ "R2 cancelled with txn", { "cancelled", "balance", "alipay", 1000, 0, "refund", 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "R2" },
	{ "R2 rejected paid", { "rejected", "balance", "alipay", 1000, 0, "", 1000, 0, 0, 0, 0, 0, 0, 0, 0 }, "R2" },
	{ "R2 closed paid out", { "closed", "original", "alipay", 1000, 0, "", 0, 0, 1, 0, 0, 0, 0, 0, 0 }, "R2" },
	{ "R2 approved with txn", { "approved", "balance", "alipay", 1000, 0, "refund", 1000, 0, 0, 1, 0, 0, 0, 0, 0 }, "R2" },
	/* R3: the payout count. */
	{ "R3 refunded original, no payout",
	    { "refunded", "original", "alipay", 1000, 0, "refund", 1000, 0, 0, 0, 0, 0, 0, 0, 0 }, "R3" },
	{ "R3 refunded original, two payouts",
	    { "refunded", "original", "wechat", 1000, 0, "refund", 1000, 0, 2, 0, 0, 0, 0, 0, 0 }, "R3" },
	{ "R3 refunding but paid out",
	    { "refunding", "original", "alipay", 1000, 0, "refund", 1000, 0, 1, 1, 0, 0, 0, 0, 0 }, "R3" },
	/* R4: the open slot. */
	{ "R4 refunded holds slot", { "refunded", "balance", "alipay", 1000, 0, "refund", 1000, 0, 0, 1, 0, 0, 0, 0, 0 }, "R4" },
	{ "R4 cancelled holds slot", { "cancelled", "balance", "alipay", 1000, 0, "", 0, 0, 0, 1, 0, 0, 0, 0, 0 }, "R4" },
	{ "R4 refunding lost slot",
	    { "refunding", "original", "alipay", 1000, 0, "refund", 1000, 0, 0, 0, 0, 0, 0, 0, 0 }, "R4" },
	{ "R4 submitted without slot", { "submitted", "balance", "alipay", 1000, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "R4" },
	/* i10-appeal2: an appeal of a partial refund (appealed 2) and its award.
	 *  ..., appealed, award, l_award, award payouts, payout_failed */
	{ "partial under appeal, paid", { "arbitration", "balance", "alipay", 4000, 0, "refund", 4000, 0, 0, 1,
	    2, 0, 0, 0, 0 }, NULL },
	{ "award to balance", { "refunded", "balance", "alipay", 4000, 0, "refund", 4000, 0, 0, 0,
	    2, 3000, 3000, 0, 0 }, NULL },
	{ "award original, paid out", { "refunded", "original", "wechat", 4000, 0, "refund", 4000, 0, 1, 0,
	    2, 3000, 3000, 1, 0 }, NULL },
	{ "award original, refunding", { "refunding", "original", "wechat", 4000, 0, "refund", 4000, 0, 1, 1,
	    2, 3000, 3000, 0, 0 }, NULL },
	{ "award after the first went to the balance", { "refunded", "original", "bank", 4000, 0, "refund", 4000, 0,
	    1, 0, 2, 3000, 3000, 0, 1 }, NULL },
	{ "upheld: nothing more", { "refunded", "balance", "alipay", 4000, 0, "refund", 4000, 0, 0, 0,
	    2, 0, 0, 0, 0 }, NULL },
	{ "R2 rejection appeal in arbitration paid", { "arbitration", "balance", "alipay", 4000, 0, "refund", 4000, 0,
	    0, 1, 1, 0, 0, 0, 0 }, "R2" },
	{ "P1 award not in the ledger", { "refunded", "balance", "alipay", 4000, 0, "refund", 4000, 0, 0, 0,
	    2, 3000, 0, 0, 0 }, "P1" },
	{ "P1 award paid wrong", { "refunded", "balance", "alipay", 4000, 0, "refund", 4000, 0, 0, 0,
	    2, 3000, 3001, 0, 0 }, "P1" },
	{ "P1 award paid twice", { "refunded", "balance", "alipay", 4000, 0, "refund", 4000, 0, 0, 0,
	    2, 3000, 6000, 0, 0 }, "P1" },
	{ "P1 ledger paid an award never made", { "refunded", "balance", "alipay", 4000, 0, "refund", 4000, 0, 0, 0,
	    2, 0, 3000, 0, 0 }, "P1" },
	{ "P1 award without a partial appeal", { "refunded", "balance", "alipay", 4000, 0, "refund", 4000, 0, 0, 0,
	    1, 3000, 3000, 0, 0 }, "P1" },
	{ "P2 award original not paid out", { "refunded", "original", "wechat", 4000, 0, "refund", 4000, 0, 1, 0,
	    2, 3000, 3000, 0, 0 }, "P2" },
	{ "P2 award paid out twice", { "refunded", "original", "wechat", 4000, 0, "refund", 4000, 0, 1, 0,
	    2, 3000, 3000, 2, 0 }, "P2" },
	{ "P2 award refunding but paid out", { "refunding", "original", "wechat", 4000, 0, "refund", 4000, 0, 1, 1,
	    2, 3000, 3000, 1, 0 }, "P2" },
	{ "R3 award refunding, first payout missing", { "refunding", "original", "wechat", 4000, 0, "refund", 4000, 0,
	    0, 1, 2, 3000, 3000, 0, 0 }, "R3" },
	{ "R4 need_info without slot", { "need_info", "balance", "alipay", 1000, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "R4" },
};

static void
expect(const char *what, int n, const char *msg, const char *code)
{
	if (code == NULL) {
		if (n != 0)
			print_error("%s: %d violations, first: %s\n", what, n, msg);
		assert_int_equal(n, 0);
		return;
	}
	if (n < 1 || strncmp(msg, code, strlen(code)) != 0 || msg[strlen(code)] != ' ')
		print_error("%s: want %s, got %d violations, first: \"%s\"\n", what, code, n, msg);
	assert_true(n >= 1);
	assert_memory_equal(msg, code, strlen(code));
	assert_int_equal(msg[strlen(code)], ' ');
}

static void
test_hold_table(void **state)
{
	char msg[512];

	(void)state;
	for (size_t i = 0; i < NELEM(hold_cases); i++) {
		const struct hold_case *c = &hold_cases[i];
		msg[0] = '\0';
		expect(c->what, check_hold(&c->h, msg, sizeof(msg)), msg, c->code);
	}
}

static void
test_refund_table(void **state)
{
	char msg[512];

	(void)state;
	for (size_t i = 0; i < NELEM(refund_cases); i++) {
		const struct refund_case *c = &refund_cases[i];
		msg[0] = '\0';
		expect(c->what, check_refund(&c->r, msg, sizeof(msg)), msg, c->code);
	}
}

/* i15-chain: claims up the chain. */
struct claim_case {
	const char *what;
	struct claim_sums c;
	const char *code;
};

/*        state        amount rec  off   l_claim l_rec l_off */
static const struct claim_case claim_cases[] = {
	{ "pending", { "pending", 900, 0, 0, 900, 0, 0 }, NULL },
	{ "filed", { "filed", 900, 0, 0, 900, 0, 0 }, NULL },
	{ "recovered whole", { "recovered", 900, 900, 0, 900, 900, 0 }, NULL },
	{ "recovered in part", { "recovered", 900, 600, 300, 900, 600, 300 }, NULL },
	{ "rejected", { "rejected", 900, 0, 900, 900, 0, 900 }, NULL },
	{ "expired", { "written_off", 900, 0, 900, 900, 0, 900 }, NULL },
	{ "booked at another amount", { "pending", 900, 0, 0, 800, 0, 0 }, "C1" },
	{ "never booked", { "filed", 900, 0, 0, 0, 0, 0 }, "C1" },
	{ "row and ledger differ", { "recovered", 900, 900, 0, 900, 800, 100 }, "C2" },
	{ "ended short", { "recovered", 900, 600, 0, 900, 600, 0 }, "C3" },
	{ "rejected, nothing written off", { "rejected", 900, 0, 0, 900, 0, 0 }, "C3" },
	{ "open with money moved", { "filed", 900, 100, 0, 900, 100, 0 }, "C3" },
	{ "unknown state", { "lost", 900, 0, 0, 900, 0, 0 }, "C3" },
};

static void
test_claim_table(void **state)
{
	char msg[512];

	(void)state;
	for (size_t i = 0; i < NELEM(claim_cases); i++) {
		const struct claim_case *c = &claim_cases[i];
		msg[0] = '\0';
		expect(c->what, check_claim(&c->c, msg, sizeof(msg)), msg, c->code);
	}
}

/* A clean message buffer stays untouched: callers print it only when n > 0. */
static void
test_clean_leaves_msg(void **state)
{
	struct hold_sums h = { "held", 1000, 0, 0, 0, 1000, 0, 0, 0, 1000, 0, 0 };
	struct refund_sums r = { "cancelled", "balance", "alipay", 1000, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	char msg[16] = "untouched";

	(void)state;
	assert_int_equal(check_hold(&h, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "untouched");
	assert_int_equal(check_refund(&r, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "untouched");
}

/* Several violations are counted, but the message is the first one's. */
static void
test_counts_all_reports_first(void **state)
{
	(void)state;
	/* H1 (fees differ), H3 (parts do not add up, escrow left), H4 (twice). */
	struct hold_sums h = { "refunded", 1000, 0, 900, 50, 1000, 0, 900, 0, 50, 2, 1 };
	/* R1 (paid too little), R3 (no payout), R4 (holds the slot). */
	struct refund_sums r = { "refunded", "original", "alipay", 1000, 0, "refund", 10, 0, 0, 1, 0, 0, 0, 0, 0 };
	char msg[512];

	assert_int_equal(check_hold(&h, msg, sizeof(msg)), 3);
	assert_memory_equal(msg, "H1 ", 3);
	assert_int_equal(check_refund(&r, msg, sizeof(msg)), 3);
	assert_memory_equal(msg, "R1 ", 3);
}

/* The message is cut to cap and stays a C string. */
static void
test_message_truncated(void **state)
{
	struct hold_sums h = { "held", 1000, 0, 0, 0, 999, 0, 0, 0, 1000, 0, 0 };
	char msg[8];

	(void)state;
	memset(msg, 'x', sizeof(msg));
	assert_int_equal(check_hold(&h, msg, sizeof(msg)), 1);
	assert_int_equal(strlen(msg), sizeof(msg) - 1);
	assert_string_equal(msg, "H1 hold");
}

/* The numbers a violation reports are the row's, so an operator can act. */
static void
test_message_values(void **state)
{
	struct hold_sums h = { "refunded", 1000, 300, 600, 0, 1000, 300, 600, 0, 0, 1, 1 };
	struct refund_sums r = { "refunded", "balance", "alipay", 1000, 0, "refund", 999, 0, 0, 0, 0, 0, 0, 0, 0 };
	char msg[512];

	(void)state;
	assert_int_equal(check_hold(&h, msg, sizeof(msg)), 1);
	assert_string_equal(msg, "H3 resolved hold: 1000 held != 300 released + 600 refunded + 0 fees (escrow 0)");
	assert_int_equal(check_refund(&r, msg, sizeof(msg)), 1);
	assert_string_equal(msg, "R1 refunded refund paid 999 (fee 0) but says 1000 (fee 0)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hold_table),
		cmocka_unit_test(test_refund_table),
		cmocka_unit_test(test_claim_table),
		cmocka_unit_test(test_clean_leaves_msg),
		cmocka_unit_test(test_counts_all_reports_first),
		cmocka_unit_test(test_message_truncated),
		cmocka_unit_test(test_message_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
