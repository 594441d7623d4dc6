/* test_ledger_plan.c: every money movement's plan (rules/ledger_plan.c):
 * the exact entries and holds-row effect on tables of inputs, each plan
 * summing to zero (added again here independently of the code under test),
 * refusals (conflicts, overflow at INT64_MAX and past MONEY_MAX, accounts
 * that do not fit), and the balance check itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/money.h"
#include "rules/ledger_plan.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct want_entry {
	const char *account;
	int64_t amount;
};

/* The plan's entries, in order, and their sum of zero in wide arithmetic
 * (no int64 wrap could hide an imbalance). */
static void
expect_entries(const char *what, const struct ledger_plan *p, const struct want_entry *w, size_t n)
{
	__int128 sum = 0;

	if (p->n != n)
		fail_msg("%s: %zu entries, want %zu", what, p->n, n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(p->entry[i].account, w[i].account) != 0 || p->entry[i].amount != w[i].amount)
			fail_msg("%s: entry %zu is %s %lld, want %s %lld", what, i, p->entry[i].account,
			    (long long)p->entry[i].amount, w[i].account, (long long)w[i].amount);
		sum += p->entry[i].amount;
	}
	if (sum != 0)
		fail_msg("%s: entries do not sum to zero", what);
	assert_true(ledger_plan_balanced(p));
}

static const struct plan_order open_order = {
	.id = 7, .merchant_id = "m1", .state = HOLD_HELD, .amount = 1000, .released = 0,
};

static struct plan_refund
refund(enum destination d, enum pay_channel ch, int64_t amount, int64_t fee)
{
	return (struct plan_refund){ .id = 42, .order_id = 7, .buyer_id = "b1", .dest = d, .channel = ch,
		.amount = amount, .fee = fee };
}

static void
test_hold(void **state)
{
	struct ledger_plan p;
	struct want_entry w[] = { { "external:wechat", -1999 }, { "escrow:7", 1999 } };

	(void)state;
	assert_int_equal(ledger_plan_hold(&p, 7, 1999, PAY_WECHAT, 5000), RD_OK);
	expect_entries("hold", &p, w, NELEM(w));
	assert_int_equal(p.kind, TXN_HOLD);
	assert_string_equal(p.uniq, "hold:7");
	assert_int_equal(p.refund_id, 0);
	assert_int_equal(p.hold, PLAN_HOLD_OPEN);
	assert_int_equal(p.amount, 1999);
	assert_int_equal(p.release_at, 5000);
}

static void
test_release(void **state)
{
	struct ledger_plan p;
	struct want_entry w[] = { { "escrow:7", -1000 }, { "merchant:m1", 1000 } };
	struct plan_order frozen = open_order;

	(void)state;
	assert_int_equal(ledger_plan_release(&p, &open_order), RD_OK);
	expect_entries("release", &p, w, NELEM(w));
	assert_int_equal(p.kind, TXN_RELEASE);
	assert_string_equal(p.uniq, "resolve:7");
	assert_int_equal(p.hold, PLAN_HOLD_RESOLVE);
	assert_int_equal(p.hold_to, HOLD_RELEASED);
	assert_true(p.released == 1000 && p.refunded == 0 && p.fees == 0);
	/* A frozen hold is still open: the worker never releases it (an open
	 * request), but the plan itself is the same. */
	frozen.state = HOLD_FROZEN;
	assert_int_equal(ledger_plan_release(&p, &frozen), RD_OK);
}

struct refund_case {
	const char *what;
	enum hold_state hold;
	int64_t released;                  /* what the merchant has (released holds) */
	struct plan_refund rf;
	enum txn_kind kind;
	struct want_entry w[PLAN_ENTRIES_MAX];
	size_t n;
	int64_t d_released, d_refunded, d_fees;
};

static void
test_refund_table(void **state)
{
	(void)state;
	const struct refund_case cases[] = {
		{ "to balance, fee, rest to merchant", HOLD_FROZEN, 0, refund(DEST_BALANCE, PAY_ALIPAY, 600, 100),
		    TXN_REFUND, { { "escrow:7", -1000 }, { "buyer:b1", 600 }, { "platform:fees", 100 },
		    { "merchant:m1", 300 } }, 4, 300, 600, 100 },
		{ "original path of a card payment", HOLD_HELD, 0, refund(DEST_ORIGINAL, PAY_ALIPAY, 1000, 0),
		    TXN_REFUND, { { "escrow:7", -1000 }, { "payout:alipay", 1000 } }, 2, 0, 1000, 0 },
		{ "original path of a balance payment is the balance", HOLD_HELD, 0,
		    refund(DEST_ORIGINAL, PAY_BALANCE, 900, 100), TXN_REFUND,
		    { { "escrow:7", -1000 }, { "buyer:b1", 900 }, { "platform:fees", 100 } }, 3, 0, 900, 100 },
		{ "claw-back after release, no fee", HOLD_RELEASED, 1000, refund(DEST_BALANCE, PAY_WECHAT, 400, 50),
		    TXN_CLAWBACK, { { "merchant:m1", -400 }, { "buyer:b1", 400 } }, 2, 0, 400, 0 },
		{ "claw-back of all the merchant has", HOLD_RELEASED, 700, refund(DEST_ORIGINAL, PAY_BANK, 700, 0),
		    TXN_CLAWBACK, { { "merchant:m1", -700 }, { "payout:bank", 700 } }, 2, 0, 700, 0 },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		const struct refund_case *c = &cases[i];
		struct plan_order o = open_order;
		struct ledger_plan p;

		o.state = c->hold;
		o.released = c->released;
		if (ledger_plan_refund(&p, &o, &c->rf) != RD_OK)
			fail_msg("%s: refused", c->what);
		expect_entries(c->what, &p, c->w, c->n);
		assert_int_equal(p.kind, c->kind);
		assert_string_equal(p.uniq, "refund:42");
		assert_int_equal(p.refund_id, 42);
		if (c->kind == TXN_REFUND) {
			assert_int_equal(p.hold, PLAN_HOLD_RESOLVE);
			assert_int_equal(p.hold_to, HOLD_REFUNDED);
		} else {
			assert_int_equal(p.hold, PLAN_HOLD_CLAWBACK);
		}
		if (p.released != c->d_released || p.refunded != c->d_refunded || p.fees != c->d_fees)
			fail_msg("%s: holds row += %lld/%lld/%lld", c->what, (long long)p.released,
			    (long long)p.refunded, (long long)p.fees);
	}
}

static void
test_payouts(void **state)
{
	struct ledger_plan p;
	struct plan_refund rf = refund(DEST_ORIGINAL, PAY_WECHAT, 800, 0);
	struct want_entry done[] = { { "payout:wechat", -800 }, { "external:wechat", 800 } };
	struct want_entry bal[] = { { "payout:wechat", -800 }, { "buyer:b1", 800 } };

	(void)state;
	assert_int_equal(ledger_plan_payout_done(&p, &rf), RD_OK);
	expect_entries("payout", &p, done, NELEM(done));
	assert_int_equal(p.kind, TXN_PAYOUT);
	assert_string_equal(p.uniq, "payout:42");
	assert_int_equal(p.hold, PLAN_HOLD_NONE);
	assert_int_equal(ledger_plan_payout_to_balance(&p, &rf), RD_OK);
	expect_entries("payout to balance", &p, bal, NELEM(bal));
	assert_int_equal(p.kind, TXN_PAYOUT_BALANCE);
	/* Both outcomes share one key: only one of them can ever be posted. */
	assert_string_equal(p.uniq, "payout:42");
	assert_int_equal(p.order_id, 7);
}

/* A hold past the movement: RD_ERR_CONFLICT, never a plan. */
static void
test_conflicts(void **state)
{
	struct ledger_plan p;
	struct plan_order o = open_order;
	struct plan_refund rf = refund(DEST_BALANCE, PAY_ALIPAY, 500, 0);

	(void)state;
	o.state = HOLD_RELEASED;
	o.released = 1000;
	assert_int_equal(ledger_plan_release(&p, &o), RD_ERR_CONFLICT);
	o.state = HOLD_REFUNDED;
	assert_int_equal(ledger_plan_release(&p, &o), RD_ERR_CONFLICT);
	assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_ERR_CONFLICT);
	/* A claw-back larger than what the merchant still has. */
	o.state = HOLD_RELEASED;
	o.released = 499;
	assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_ERR_CONFLICT);
}

/* Inputs no caller may pass: RD_ERR_INTERNAL, and no balanced plan. */
static void
test_bad_input_refused(void **state)
{
	struct ledger_plan p;
	struct plan_order o = open_order;
	struct plan_refund rf;
	char longid[128];

	(void)state;
	rf = refund(DEST_BALANCE, PAY_ALIPAY, 0, 0);
	assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_ERR_INTERNAL);      /* nothing to refund */
	rf = refund(DEST_BALANCE, PAY_ALIPAY, 100, -1);
	assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_ERR_INTERNAL);      /* negative fee */
	rf = refund(DEST_BALANCE, PAY_ALIPAY, 900, 101);
	assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_ERR_INTERNAL);      /* more than the hold */
	assert_int_equal(ledger_plan_hold(&p, 7, -1, PAY_ALIPAY, 0), RD_ERR_INTERNAL);
	/* An account that would not fit ledger_entries.account is refused,
	 * not cut short into another account's name. */
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	o.merchant_id = longid;
	assert_int_equal(ledger_plan_release(&p, &o), RD_ERR_INTERNAL);
}

/* Every amount at the int64 edge or past MONEY_MAX is refused: money_add /
 * money_sub catch it, where plain arithmetic would wrap into a balanced
 * looking plan. */
static void
test_overflow_refused(void **state)
{
	const int64_t edges[] = { INT64_MAX, INT64_MIN, MONEY_MAX + 1, -MONEY_MAX - 1 };
	struct ledger_plan p;

	(void)state;
	for (size_t i = 0; i < NELEM(edges); i++) {
		struct plan_order o = open_order;
		struct plan_refund rf = refund(DEST_BALANCE, PAY_ALIPAY, edges[i], 0);

		assert_int_equal(ledger_plan_hold(&p, 7, edges[i], PAY_ALIPAY, 0), RD_ERR_INTERNAL);
		o.amount = edges[i];
		assert_int_equal(ledger_plan_release(&p, &o), RD_ERR_INTERNAL);
		assert_int_equal(ledger_plan_refund(&p, &open_order, &rf), RD_ERR_INTERNAL);
		assert_int_equal(ledger_plan_payout_done(&p, &rf), RD_ERR_INTERNAL);
		assert_int_equal(ledger_plan_payout_to_balance(&p, &rf), RD_ERR_INTERNAL);
		rf = refund(DEST_BALANCE, PAY_ALIPAY, 1, edges[i]);
		assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_ERR_INTERNAL);
	}
	/* Each part in range, together more than the largest hold. */
	struct plan_order o = open_order;
	struct plan_refund rf = refund(DEST_BALANCE, PAY_ALIPAY, MONEY_MAX, MONEY_MAX);
	o.amount = MONEY_MAX;
	assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_ERR_INTERNAL);
	/* The largest amount we accept still plans. */
	assert_int_equal(ledger_plan_hold(&p, 7, MONEY_MAX, PAY_ALIPAY, 0), RD_OK);
	rf = refund(DEST_BALANCE, PAY_ALIPAY, MONEY_MAX - 1, 1);
	assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_OK);
}

/* i10-appeal2: the arbiter's award after a partial refund comes from the
 * merchant (the rest of the hold was released to it), to the buyer's side
 * as the first refund went, under its own key; never more than the
 * merchant has of the order, never while the hold is open. */
static void
test_appeal_refund(void **state)
{
	/* The numbers: paid 98.50, fee 4.92, refunded 40.00; the
	 * merchant was released 53.58 of the hold. */
	struct plan_order o = { .id = 7, .merchant_id = "m1", .state = HOLD_REFUNDED, .amount = 9850, .released = 5358 };
	struct plan_refund rf = refund(DEST_BALANCE, PAY_ALIPAY, 4000, 492);
	struct want_entry bal[] = { { "merchant:m1", -5358 }, { "buyer:b1", 5358 } };
	struct want_entry out[] = { { "merchant:m1", -1000 }, { "payout:wechat", 1000 } };
	struct ledger_plan p;

	(void)state;
	assert_int_equal(ledger_award_max(&o, 9850, &rf), 5358);
	rf.award = 5358;
	assert_int_equal(ledger_plan_appeal_refund(&p, &o, &rf), RD_OK);
	expect_entries("award to balance", &p, bal, NELEM(bal));
	assert_int_equal(p.kind, TXN_APPEAL_REFUND);
	assert_string_equal(p.uniq, "appeal_refund:42");
	assert_int_equal(p.hold, PLAN_HOLD_AWARD);
	assert_int_equal(p.refunded, 5358);
	assert_int_equal(p.released, 0);
	assert_int_equal(p.fees, 0);
	/* The original way, after a hold released before the partial. */
	o.state = HOLD_RELEASED;
	rf = refund(DEST_ORIGINAL, PAY_WECHAT, 4000, 0);
	rf.award = 1000;
	assert_int_equal(ledger_plan_appeal_refund(&p, &o, &rf), RD_OK);
	expect_entries("award original", &p, out, NELEM(out));
	/* Its payout has its own key, apart from the first refund's. */
	assert_int_equal(ledger_plan_payout_done(&p, &rf), RD_OK);
	assert_string_equal(p.uniq, "appeal_payout:42");
	assert_int_equal(p.entry[0].amount, -1000);
	assert_int_equal(ledger_plan_payout_to_balance(&p, &rf), RD_OK);
	assert_string_equal(p.uniq, "appeal_payout:42");
	/* Refused: more than the merchant has, an open hold, nothing, overflow. */
	rf.award = 5359;
	assert_int_equal(ledger_plan_appeal_refund(&p, &o, &rf), RD_ERR_CONFLICT);
	rf.award = 1;
	o.state = HOLD_FROZEN;
	assert_int_equal(ledger_plan_appeal_refund(&p, &o, &rf), RD_ERR_CONFLICT);
	o.state = HOLD_REFUNDED;
	rf.award = 0;
	assert_int_equal(ledger_plan_appeal_refund(&p, &o, &rf), RD_ERR_INTERNAL);
	rf.award = -5;
	assert_int_equal(ledger_plan_appeal_refund(&p, &o, &rf), RD_ERR_INTERNAL);
	const int64_t edges[] = { INT64_MAX, MONEY_MAX + 1 };
	for (size_t i = 0; i < NELEM(edges); i++) {
		o.released = edges[i];
		rf.award = edges[i];
		assert_int_equal(ledger_plan_appeal_refund(&p, &o, &rf), RD_ERR_INTERNAL);
	}
	/* The cap: paid less refunded less the fee, and what the merchant has. */
	o.released = 5358;
	rf = refund(DEST_BALANCE, PAY_ALIPAY, 4000, 492);
	assert_int_equal(ledger_award_max(&o, 9000, &rf), 9000 - 4000 - 492);
	o.released = 100;                        /* another claw-back took the rest */
	assert_int_equal(ledger_award_max(&o, 9850, &rf), 100);
	o.released = 0;
	assert_int_equal(ledger_award_max(&o, 9850, &rf), 0);
	o.released = 5358;
	rf = refund(DEST_BALANCE, PAY_ALIPAY, 9850, 0);   /* a full refund: nothing left */
	assert_int_equal(ledger_award_max(&o, 9850, &rf), 0);
	rf = refund(DEST_BALANCE, PAY_ALIPAY, INT64_MAX, INT64_MAX);  /* money_sub refuses the wrap */
	assert_int_equal(ledger_award_max(&o, INT64_MIN, &rf), 0);
	rf = refund(DEST_BALANCE, PAY_ALIPAY, INT64_MIN, 0);
	assert_int_equal(ledger_award_max(&o, INT64_MAX, &rf), 0);
}

/* The check post() relies on: a hand-made plan that does not sum to zero,
 * or whose sum only looks like zero after an int64 wrap, is refused. */
static void
test_balanced_check(void **state)
{
	struct ledger_plan p;

	(void)state;
	assert_int_equal(ledger_plan_hold(&p, 7, 1000, PAY_ALIPAY, 0), RD_OK);
	assert_true(ledger_plan_balanced(&p));
	p.entry[1].amount = 999;
	assert_false(ledger_plan_balanced(&p));
	/* INT64_MAX + INT64_MAX + 2 wraps to 0 in int64. */
	p.n = 3;
	p.entry[0].amount = INT64_MAX;
	p.entry[1].amount = INT64_MAX;
	p.entry[2].amount = 2;
	strcpy(p.entry[2].account, "platform:fees");
	assert_false(ledger_plan_balanced(&p));
	/* A zero line, an empty account, a missing key, too many entries. */
	assert_int_equal(ledger_plan_hold(&p, 7, 1000, PAY_ALIPAY, 0), RD_OK);
	p.entry[2] = (struct plan_entry){ "buyer:b1", 0 };
	p.n = 3;
	assert_false(ledger_plan_balanced(&p));
	assert_int_equal(ledger_plan_hold(&p, 7, 1000, PAY_ALIPAY, 0), RD_OK);
	p.entry[0].account[0] = '\0';
	assert_false(ledger_plan_balanced(&p));
	assert_int_equal(ledger_plan_hold(&p, 7, 1000, PAY_ALIPAY, 0), RD_OK);
	p.uniq[0] = '\0';
	assert_false(ledger_plan_balanced(&p));
	assert_int_equal(ledger_plan_hold(&p, 7, 1000, PAY_ALIPAY, 0), RD_OK);
	p.n = PLAN_ENTRIES_MAX + 1;
	assert_false(ledger_plan_balanced(&p));
}

static void
test_hold_state_open(void **state)
{
	(void)state;
	assert_true(hold_state_open(HOLD_HELD) && hold_state_open(HOLD_FROZEN));
	assert_false(hold_state_open(HOLD_RELEASED) || hold_state_open(HOLD_REFUNDED));
}

static void
test_needs_payout(void **state)
{
	(void)state;
	assert_true(ledger_needs_payout(DEST_ORIGINAL, PAY_ALIPAY));
	assert_true(ledger_needs_payout(DEST_ORIGINAL, PAY_BANK));
	assert_false(ledger_needs_payout(DEST_ORIGINAL, PAY_BALANCE));
	assert_false(ledger_needs_payout(DEST_BALANCE, PAY_WECHAT));
}

/* A claim up the chain: booked, recovered, written off; claimed =
 * recovered + written off in the claim's account; keys per claim. */
static void
test_claims(void **state)
{
	struct plan_claim c = { .order_id = 7, .refund_id = 42, .public_id = "abc123", .supplier = "up",
		.merchant_id = "m1" };
	struct ledger_plan p;

	(void)state;
	assert_int_equal(ledger_plan_claim(&p, &c, 900), RD_OK);
	assert_int_equal(p.kind, TXN_CLAIM);
	assert_string_equal(p.uniq, "claim:abc123");
	assert_int_equal(p.hold, PLAN_HOLD_NONE);
	assert_int_equal(p.refund_id, 42);
	expect_entries("claim", &p, (const struct want_entry[]){ { "external:supplier:up", -900 },
	    { "claim:abc123", 900 } }, 2);
	assert_int_equal(ledger_plan_claim_recovered(&p, &c, 600), RD_OK);
	assert_int_equal(p.kind, TXN_CLAIM_RECOVERED);
	assert_string_equal(p.uniq, "claimrec:abc123");
	expect_entries("recovered", &p, (const struct want_entry[]){ { "claim:abc123", -600 },
	    { "merchant_recovery:m1", 600 } }, 2);
	assert_int_equal(ledger_plan_claim_write_off(&p, &c, 300), RD_OK);
	assert_int_equal(p.kind, TXN_CLAIM_WRITE_OFF);
	assert_string_equal(p.uniq, "claimoff:abc123");
	expect_entries("write-off", &p, (const struct want_entry[]){ { "claim:abc123", -300 },
	    { "external:supplier:up", 300 } }, 2);
	/* Nothing, a negative or an unrepresentable amount is a bug upstream. */
	assert_int_equal(ledger_plan_claim(&p, &c, 0), RD_ERR_INTERNAL);
	assert_int_equal(ledger_plan_claim_recovered(&p, &c, -1), RD_ERR_INTERNAL);
	assert_int_equal(ledger_plan_claim_write_off(&p, &c, INT64_MAX), RD_ERR_INTERNAL);
	/* An id too long for the key is refused, never truncated. */
	c.public_id = "0123456789012345678901234567890123456789";
	assert_int_equal(ledger_plan_claim(&p, &c, 1), RD_ERR_INTERNAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hold),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_refund_table),
		cmocka_unit_test(test_payouts),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_bad_input_refused),
		cmocka_unit_test(test_overflow_refused),
		cmocka_unit_test(test_balanced_check),
		cmocka_unit_test(test_needs_payout),
		cmocka_unit_test(test_hold_state_open),
		cmocka_unit_test(test_claims),
		cmocka_unit_test(test_appeal_refund),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
