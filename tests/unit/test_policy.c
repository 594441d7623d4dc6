/* test_policy.c: the refund policy engine and the domain name tables.
 *
 * One table of decisions (category x type x delivery/usage x time), the
 * defaults, every reason text, the risk rules, malformed input, and a
 * property sweep over a grid of all facts asserting invariants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rules/domain.h"
#include "base/money.h"
#include "rules/policy.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define T0	1700000000LL		/* delivered_at in every table row */
#define H	3600LL
#define D	(24 * H)

/* Short names so a table row fits on a line or two. */
#define GC CAT_GAME_CARD
#define DT CAT_DIRECT_TOPUP
#define PC CAT_PHONE_CREDIT
#define MB CAT_MEMBERSHIP
#define LC CAT_LICENCE
#define ND RT_NOT_DELIVERED
#define TF RT_TOPUP_FAILED
#define II RT_INVALID_ITEM
#define NAD RT_NOT_AS_DESCRIBED
#define DC RT_DUPLICATE_CHARGE
#define WA RT_WRONG_ACCOUNT
#define CM RT_CHANGED_MIND
#define P DELIV_PENDING
#define DV DELIV_DELIVERED
#define F DELIV_FAILED
#define KN KIND_NONE
#define KC KIND_CARD_KEY
#define KD KIND_DIRECT_TOPUP
#define KA KIND_ACCOUNT
#define KL KIND_LICENCE
#define TU TOPUP_UNKNOWN
#define TP TOPUP_PENDING
#define TS TOPUP_SUCCEEDED
#define TX TOPUP_FAILED
#define NA DECIDE_NOT_ALLOWED
#define IN DECIDE_INSTANT
#define RV DECIDE_REVIEW
#define NO REVIEWER_NONE
#define CS REVIEWER_CS
#define ME REVIEWER_MERCHANT

/* Usage bits of a row. */
#define REV 1u			/* key revealed (at T0 + 60) */
#define RED 2u			/* redeemed */
#define ACT 4u			/* activated (at T0 + 120) */

#define NODL LLONG_MIN		/* expected deadline 0 */

struct row {
	const char *name;
	enum category cat;
	enum refund_type t;
	enum delivery_state dv;
	enum delivery_kind kind;
	enum topup_state topup;
	unsigned use;
	long long at;		/* now - T0 */
	int64_t amount;
	/* expected */
	enum decision_kind k;
	enum policy_reason r;
	enum reviewer who;
	int64_t fee;		/* requested = amount, refund = amount - fee when allowed */
	bool ev;
	bool recycle;
	long long dl;		/* deadline - T0, or NODL for 0 */
};

/* One case per row, wider than the column limit: a table reads across. */
/* clang-format off */
static const struct row rows[] = {
	/* not_delivered: never window-bound, never evidence */
	{ "gc nd pending", GC, ND, P, KN, TU, 0, 10, 1999, IN, PR_NOT_DELIVERED, NO, 0, false, true, NODL },
	{ "gc nd failed", GC, ND, F, KC, TU, 0, 10, 1999, IN, PR_NOT_DELIVERED, NO, 0, false, true, NODL },
	{ "gc nd delivered", GC, ND, DV, KC, TU, 0, 10, 1999, NA, PR_ALREADY_DELIVERED, NO, 0, false, false, NODL },
	{ "pc nd pending", PC, ND, P, KN, TP, 0, 10, 5000, IN, PR_NOT_DELIVERED, NO, 0, false, true, NODL },
	{ "lc nd delivered unused", LC, ND, DV, KL, TU, 0, 10, 1999, NA, PR_ALREADY_DELIVERED, NO, 0, false, false, NODL },
	{ "dt nd failed a year on", DT, ND, F, KD, TX, 0, 365 * D, 1999, IN, PR_NOT_DELIVERED, NO, 0, false, true, NODL },
	{ "mb nd pending amount 0", MB, ND, P, KN, TU, 0, 0, 0, IN, PR_NOT_DELIVERED, NO, 0, false, true, NODL },

	/* topup_failed */
	{ "gc tf", GC, TF, DV, KC, TX, 0, 10, 1999, NA, PR_TYPE_NOT_FOR_CATEGORY, NO, 0, false, false, NODL },
	{ "mb tf", MB, TF, DV, KA, TX, 0, 10, 1999, NA, PR_TYPE_NOT_FOR_CATEGORY, NO, 0, false, false, NODL },
	{ "lc tf pending: category first", LC, TF, P, KN, TU, 0, 10, 1999, NA, PR_TYPE_NOT_FOR_CATEGORY, NO, 0, false, false, NODL },
	{ "dt tf pending", DT, TF, P, KN, TU, 0, 10, 1999, NA, PR_NOT_YET_DELIVERED, NO, 0, false, false, NODL },
	{ "dt tf delivery failed", DT, TF, F, KD, TX, 0, 10, 1999, NA, PR_NOT_YET_DELIVERED, NO, 0, false, false, NODL },
	/* A failure upstream confirmed is the platform's fault: no window. */
	{ "dt tf upstream failed", DT, TF, DV, KD, TX, 0, 0, 1999, IN, PR_TOPUP_FAILED_UPSTREAM, NO, 0, false, false, NODL },
	{ "dt tf upstream failed at the window's end", DT, TF, DV, KD, TX, 0, 24 * H, 1999, IN, PR_TOPUP_FAILED_UPSTREAM, NO, 0, false, false, NODL },
	{ "dt tf upstream failed a month on", DT, TF, DV, KD, TX, 0, 30 * D, 1999, IN, PR_TOPUP_FAILED_UPSTREAM, NO, 0, false, false, NODL },
	{ "dt tf upstream says succeeded", DT, TF, DV, KD, TS, 0, 10, 1999, RV, PR_TOPUP_SUCCEEDED, CS, 0, true, false, 24 * H },
	{ "dt tf pending topup", DT, TF, DV, KD, TP, 0, 10, 1999, RV, PR_NEEDS_REVIEW_TOPUP, CS, 0, true, false, 24 * H },
	{ "dt tf unreported topup", DT, TF, DV, KD, TU, 0, 10, 1999, RV, PR_NEEDS_REVIEW_TOPUP, CS, 0, true, false, 24 * H },
	{ "pc tf credit arrived", PC, TF, DV, KD, TS, 0, 10, 1999, NA, PR_CREDIT_ARRIVED, NO, 0, false, false, NODL },
	{ "pc tf credit arrived, late: real reason", PC, TF, DV, KD, TS, 0, 30 * D, 1999, NA, PR_CREDIT_ARRIVED, NO, 0, false, false, NODL },
	{ "pc tf upstream failed, kind none", PC, TF, DV, KN, TX, 0, 10, 3000, IN, PR_TOPUP_FAILED_UPSTREAM, NO, 0, false, false, NODL },
	{ "pc tf pending", PC, TF, DV, KD, TP, 0, 10, 3000, RV, PR_NEEDS_REVIEW_TOPUP, CS, 0, true, false, 24 * H },
	{ "pc tf pending 1s late", PC, TF, DV, KD, TP, 0, 24 * H + 1, 3000, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 24 * H },

	/* invalid_item: customer service first */
	{ "gc ii pending", GC, II, P, KN, TU, 0, 10, 1999, NA, PR_NOT_YET_DELIVERED, NO, 0, false, false, NODL },
	{ "gc ii key revealed", GC, II, DV, KC, TU, REV, H, 1999, RV, PR_NEEDS_REVIEW_DEFECT, CS, 0, true, false, 72 * H },
	{ "gc ii at deadline", GC, II, DV, KC, TU, REV, 72 * H, 1999, RV, PR_NEEDS_REVIEW_DEFECT, CS, 0, true, false, 72 * H },
	{ "gc ii 1s late", GC, II, DV, KC, TU, REV, 72 * H + 1, 1999, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 72 * H },
	{ "pc ii credit arrived", PC, II, DV, KD, TS, 0, 10, 1999, NA, PR_CREDIT_ARRIVED, NO, 0, false, false, NODL },
	{ "pc ii card revealed: used", PC, II, DV, KC, TU, REV, 10, 1999, NA, PR_USED_NOT_REFUNDABLE, NO, 0, false, false, NODL },
	{ "pc ii card unrevealed", PC, II, DV, KC, TU, 0, 10, 1999, RV, PR_NEEDS_REVIEW_DEFECT, CS, 0, true, false, 24 * H },
	{ "lc ii activated", LC, II, DV, KL, TU, ACT, 6 * D, 9900, RV, PR_NEEDS_REVIEW_DEFECT, CS, 0, true, false, 7 * D },
	{ "lc ii 1s late", LC, II, DV, KL, TU, ACT, 7 * D + 1, 9900, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 7 * D },
	{ "mb ii account", MB, II, DV, KA, TU, 0, 10, 2500, RV, PR_NEEDS_REVIEW_DEFECT, CS, 0, true, false, 48 * H },
	{ "dt ii delivery failed", DT, II, F, KD, TX, 0, 10, 1999, NA, PR_NOT_YET_DELIVERED, NO, 0, false, false, NODL },

	/* not_as_described: the merchant answers first */
	{ "gc nad revealed", GC, NAD, DV, KC, TU, REV | RED, 10, 1999, RV, PR_NEEDS_REVIEW_DEFECT, ME, 0, true, false, 72 * H },
	{ "mb nad at deadline", MB, NAD, DV, KA, TU, 0, 48 * H, 2500, RV, PR_NEEDS_REVIEW_DEFECT, ME, 0, true, false, 48 * H },
	{ "mb nad 1s late", MB, NAD, DV, KA, TU, 0, 48 * H + 1, 2500, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 48 * H },
	{ "pc nad credit arrived", PC, NAD, DV, KN, TS, 0, 10, 1999, NA, PR_CREDIT_ARRIVED, NO, 0, false, false, NODL },
	{ "pc nad topup failed", PC, NAD, DV, KD, TX, 0, 10, 1999, RV, PR_NEEDS_REVIEW_DEFECT, ME, 0, true, false, 24 * H },
	{ "lc nad pending", LC, NAD, P, KN, TU, 0, 10, 1999, NA, PR_NOT_YET_DELIVERED, NO, 0, false, false, NODL },

	/* duplicate_charge: any state, any time */
	{ "gc dc pending", GC, DC, P, KN, TU, 0, 10, 1999, RV, PR_NEEDS_REVIEW_DUPLICATE, CS, 0, true, false, NODL },
	{ "pc dc credit arrived", PC, DC, DV, KD, TS, 0, 10, 1999, RV, PR_NEEDS_REVIEW_DUPLICATE, CS, 0, true, false, NODL },
	{ "lc dc a year on", LC, DC, DV, KL, TU, ACT, 365 * D, 1999, RV, PR_NEEDS_REVIEW_DUPLICATE, CS, 0, true, false, NODL },
	{ "mb dc failed", MB, DC, F, KA, TU, 0, 10, 1999, RV, PR_NEEDS_REVIEW_DUPLICATE, CS, 0, true, false, NODL },

	/* wrong_account: top-up categories only, the fee applies */
	{ "gc wa", GC, WA, DV, KC, TU, 0, 10, 1999, NA, PR_TYPE_NOT_FOR_CATEGORY, NO, 0, false, false, NODL },
	{ "lc wa", LC, WA, DV, KL, TU, 0, 10, 1999, NA, PR_TYPE_NOT_FOR_CATEGORY, NO, 0, false, false, NODL },
	{ "dt wa pending", DT, WA, P, KN, TU, 0, 10, 1999, NA, PR_NOT_YET_DELIVERED, NO, 0, false, false, NODL },
	{ "dt wa topped up the wrong id", DT, WA, DV, KD, TS, 0, 0, 1999, RV, PR_NEEDS_REVIEW_WRONG_ACCOUNT, CS, 99, true, false, 24 * H },
	{ "pc wa credit went elsewhere, at deadline", PC, WA, DV, KD, TS, 0, 24 * H, 1999, RV, PR_NEEDS_REVIEW_WRONG_ACCOUNT, CS, 99, true, false, 24 * H },
	{ "pc wa 1s late", PC, WA, DV, KD, TS, 0, 24 * H + 1, 1999, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 24 * H },
	{ "dt wa amount 1", DT, WA, DV, KD, TS, 0, 10, 1, RV, PR_NEEDS_REVIEW_WRONG_ACCOUNT, CS, 0, true, false, 24 * H },

	/* changed_mind */
	{ "gc cm pending", GC, CM, P, KN, TU, 0, 10, 1999, IN, PR_NOT_DELIVERED, NO, 0, false, true, NODL },
	{ "gc cm failed", GC, CM, F, KC, TU, 0, 10, 1999, IN, PR_NOT_DELIVERED, NO, 0, false, true, NODL },
	{ "gc cm unrevealed", GC, CM, DV, KC, TU, 0, 0, 1999, IN, PR_UNUSED_CHANGED_MIND, NO, 199, false, true, 72 * H },
	{ "gc cm unrevealed at deadline", GC, CM, DV, KC, TU, 0, 72 * H, 1999, IN, PR_UNUSED_CHANGED_MIND, NO, 199, false, true, 72 * H },
	{ "gc cm unrevealed 1s late", GC, CM, DV, KC, TU, 0, 72 * H + 1, 1999, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 72 * H },
	{ "gc cm revealed", GC, CM, DV, KC, TU, REV, 10, 1999, NA, PR_USED_NO_CHANGED_MIND, NO, 0, false, false, NODL },
	{ "gc cm redeemed only", GC, CM, DV, KC, TU, RED, 10, 1999, NA, PR_USED_NO_CHANGED_MIND, NO, 0, false, false, NODL },
	{ "gc cm revealed, late: real reason", GC, CM, DV, KC, TU, REV, 30 * D, 1999, NA, PR_USED_NO_CHANGED_MIND, NO, 0, false, false, NODL },
	{ "gc cm amount 1: fee rounds to 0", GC, CM, DV, KC, TU, 0, 10, 1, IN, PR_UNUSED_CHANGED_MIND, NO, 0, false, true, 72 * H },
	{ "gc cm amount 0", GC, CM, DV, KC, TU, 0, 10, 0, IN, PR_UNUSED_CHANGED_MIND, NO, 0, false, true, 72 * H },
	{ "gc cm amount 2^53", GC, CM, DV, KC, TU, 0, 10, MONEY_MAX, IN, PR_UNUSED_CHANGED_MIND, NO, 900719925474099, false, true, 72 * H },
	{ "gc cm kind unknown", GC, CM, DV, KN, TU, 0, 10, 1999, RV, PR_UNUSED_CHANGED_MIND, CS, 199, false, false, 72 * H },
	{ "dt cm topup failed", DT, CM, DV, KD, TX, 0, 10, 1999, IN, PR_UNUSED_CHANGED_MIND, NO, 99, false, true, 24 * H },
	{ "dt cm topup succeeded", DT, CM, DV, KD, TS, 0, 10, 1999, NA, PR_USED_NO_CHANGED_MIND, NO, 0, false, false, NODL },
	{ "dt cm topup pending", DT, CM, DV, KD, TP, 0, 10, 1999, RV, PR_UNUSED_CHANGED_MIND, CS, 99, false, false, 24 * H },
	{ "dt cm topup unreported", DT, CM, DV, KD, TU, 0, 10, 1999, RV, PR_UNUSED_CHANGED_MIND, CS, 99, false, false, 24 * H },
	{ "dt cm unknown 1s late", DT, CM, DV, KD, TU, 0, 24 * H + 1, 1999, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 24 * H },
	{ "pc cm credit arrived", PC, CM, DV, KD, TS, 0, 10, 1999, NA, PR_CREDIT_ARRIVED, NO, 0, false, false, NODL },
	{ "pc cm topup failed, kind none", PC, CM, DV, KN, TX, 0, 10, 1999, IN, PR_UNUSED_CHANGED_MIND, NO, 99, false, true, 24 * H },
	{ "pc cm card unrevealed, topup pending", PC, CM, DV, KC, TP, 0, 10, 1999, RV, PR_UNUSED_CHANGED_MIND, CS, 99, false, false, 24 * H },
	{ "pc cm card unrevealed, no topup", PC, CM, DV, KC, TU, 0, 10, 1999, IN, PR_UNUSED_CHANGED_MIND, NO, 99, false, true, 24 * H },
	{ "pc cm card revealed", PC, CM, DV, KC, TU, REV, 10, 1999, NA, PR_USED_NO_CHANGED_MIND, NO, 0, false, false, NODL },
	{ "mb cm account", MB, CM, DV, KA, TU, 0, 10, 1999, NA, PR_USED_NO_CHANGED_MIND, NO, 0, false, false, NODL },
	{ "mb cm card unrevealed", MB, CM, DV, KC, TU, 0, 10, 10000, IN, PR_UNUSED_CHANGED_MIND, NO, 1500, false, true, 48 * H },
	{ "mb cm card 1s late", MB, CM, DV, KC, TU, 0, 48 * H + 1, 10000, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 48 * H },
	{ "lc cm not activated at deadline", LC, CM, DV, KL, TU, 0, 7 * D, 1999, IN, PR_UNUSED_CHANGED_MIND, NO, 199, false, true, 7 * D },
	{ "lc cm not activated 1s late", LC, CM, DV, KL, TU, 0, 7 * D + 1, 1999, NA, PR_WINDOW_EXPIRED, NO, 0, false, false, 7 * D },
	{ "lc cm activated", LC, CM, DV, KL, TU, ACT, 10, 1999, NA, PR_USED_NO_CHANGED_MIND, NO, 0, false, false, NODL },
	{ "lc cm redeemed", LC, CM, DV, KL, TU, RED, 10, 1999, NA, PR_USED_NO_CHANGED_MIND, NO, 0, false, false, NODL },
	{ "lc cm key revealed is not activation", LC, CM, DV, KL, TU, REV, 10, 1999, IN, PR_UNUSED_CHANGED_MIND, NO, 199, false, true, 7 * D },
};
/* clang-format on */

static void
facts_for(const struct row *w, struct order_facts *o)
{

	memset(o, 0, sizeof(*o));
	o->category = w->cat;
	o->amount = w->amount;
	o->paid_at = T0 - 60;
	o->delivery = w->dv;
	o->kind = w->kind;
	o->delivered_at = w->dv == DELIV_DELIVERED ? T0 : 0;
	o->key_revealed_at = (w->use & REV) ? T0 + 60 : 0;
	o->redeemed = (w->use & RED) != 0;
	o->topup = w->topup;
	o->activated_at = (w->use & ACT) ? T0 + 120 : 0;
}

static void
check_row(const struct row *w, const struct decision *d)
{
	bool	 allowed = w->k != DECIDE_NOT_ALLOWED;

	if (d->kind != w->k || d->reason != w->r)
		fail_msg("%s: got %s/%d, want %s/%d", w->name,
		    decision_kind_names[d->kind], d->reason,
		    decision_kind_names[w->k], w->r);
	assert_int_equal(d->reviewer, w->who);
	assert_int_equal(d->requested, allowed ? w->amount : 0);
	assert_int_equal(d->fee, w->fee);
	assert_int_equal(d->refund, allowed ? w->amount - w->fee : 0);
	assert_int_equal(d->evidence_required, w->ev);
	assert_int_equal(d->recycle_item, w->recycle);
	assert_int_equal(d->deadline, w->dl == NODL ? 0 : T0 + w->dl);
	assert_int_equal(d->risk_flags, 0);
}

static void
test_table(void **state)
{
	struct category_policy	 cp;
	struct order_facts	 o;
	struct decision		 d;
	size_t			 i;

	(void)state;
	assert_true(NELEM(rows) >= 60);
	for (i = 0; i < NELEM(rows); i++) {
		policy_defaults(rows[i].cat, &cp);
		facts_for(&rows[i], &o);
		memset(&d, 0xa5, sizeof(d));
		policy_decide(&o, &cp, rows[i].t, T0 + rows[i].at, NULL, NULL,
		    &d);
		check_row(&rows[i], &d);
	}
}

/* The table alone reaches every reason but PR_RISK_REVIEW (test_risk_*). */
static void
test_every_reason_in_table(void **state)
{
	bool	 seen[PR__MAX] = { false };
	size_t	 i;
	int	 r;

	(void)state;
	for (i = 0; i < NELEM(rows); i++)
		seen[rows[i].r] = true;
	for (r = 0; r < PR__MAX; r++)
		if (r != PR_RISK_REVIEW && !seen[r])
			fail_msg("reason %d not in the table", r);
}

struct defaults_case {
	enum category c;
	long long window, hold;
	int fee_bp;
	bool used_refundable;
};

static const struct defaults_case defaults_cases[] = {
	{ CAT_GAME_CARD, 72 * H, 72 * H, 1000, true },
	{ CAT_DIRECT_TOPUP, 24 * H, 24 * H, 500, true },
	{ CAT_PHONE_CREDIT, 24 * H, 24 * H, 500, false },
	{ CAT_MEMBERSHIP, 48 * H, 72 * H, 1500, true },
	{ CAT_LICENCE, 7 * D, 7 * D, 1000, true },
};

static void
test_defaults(void **state)
{
	(void)state;
	const unsigned want_mask = (1u << RT_TOPUP_FAILED) |
	    (1u << RT_INVALID_ITEM) | (1u << RT_NOT_AS_DESCRIBED) |
	    (1u << RT_DUPLICATE_CHARGE) | (1u << RT_WRONG_ACCOUNT);
	struct category_policy	 cp;
	size_t			 i;

	assert_int_equal(NELEM(defaults_cases), CAT__MAX);
	for (i = 0; i < NELEM(defaults_cases); i++) {
		const struct defaults_case *c = &defaults_cases[i];

		memset(&cp, 0x5a, sizeof(cp));
		policy_defaults(c->c, &cp);
		assert_int_equal(cp.window_secs, c->window);
		assert_int_equal(cp.hold_secs, c->hold);
		assert_int_equal(cp.fee_bp, c->fee_bp);
		assert_int_equal(cp.used_refundable, c->used_refundable);
		assert_int_equal(cp.evidence_mask, want_mask);
		assert_false(cp.evidence_mask & (1u << RT_NOT_DELIVERED));
		assert_false(cp.evidence_mask & (1u << RT_CHANGED_MIND));
	}
	/* An unknown category gets strict, zeroed terms, not garbage. */
	memset(&cp, 0x5a, sizeof(cp));
	policy_defaults((enum category)77, &cp);
	assert_int_equal(cp.window_secs, 0);
	assert_int_equal(cp.fee_bp, 0);
	assert_false(cp.used_refundable);
}

/* A config may override the defaults; the engine follows what it is given. */
static void
test_custom_policy(void **state)
{
	(void)state;
	struct category_policy	 cp;
	struct order_facts	 o;
	struct decision		 d;
	const struct row	 unused_card = { "x", GC, CM, DV, KC, TU, 0, 10,
	    MONEY_MAX, IN, 0, NO, 0, false, false, 0 };
	const struct row	 revealed = { "x", GC, II, DV, KC, TU, REV, 10,
	    1999, RV, 0, NO, 0, false, false, 0 };

	/* 100 % fee on 2^53: no overflow, nothing left to refund. */
	policy_defaults(CAT_GAME_CARD, &cp);
	cp.fee_bp = 10000;
	facts_for(&unused_card, &o);
	policy_decide(&o, &cp, RT_CHANGED_MIND, T0 + 10, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_INSTANT);
	assert_int_equal(d.fee, MONEY_MAX);
	assert_int_equal(d.refund, 0);

	cp.fee_bp = 0;
	policy_decide(&o, &cp, RT_CHANGED_MIND, T0 + 10, NULL, NULL, &d);
	assert_int_equal(d.fee, 0);
	assert_int_equal(d.refund, MONEY_MAX);

	/* Out-of-range bp from a bad config is clamped to 0..10000. */
	cp.fee_bp = 25000;
	policy_decide(&o, &cp, RT_CHANGED_MIND, T0 + 10, NULL, NULL, &d);
	assert_int_equal(d.fee, MONEY_MAX);
	assert_int_equal(d.refund, 0);
	cp.fee_bp = -1;
	policy_decide(&o, &cp, RT_CHANGED_MIND, T0 + 10, NULL, NULL, &d);
	assert_int_equal(d.fee, 0);

	/* Window 0: only the delivery second itself is in time. */
	policy_defaults(CAT_GAME_CARD, &cp);
	cp.window_secs = 0;
	policy_decide(&o, &cp, RT_CHANGED_MIND, T0, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_INSTANT);
	assert_int_equal(d.deadline, T0);
	policy_decide(&o, &cp, RT_CHANGED_MIND, T0 + 1, NULL, NULL, &d);
	assert_int_equal(d.reason, PR_WINDOW_EXPIRED);

	/* A negative window is treated as 0, a huge one saturates. */
	cp.window_secs = -5;
	policy_decide(&o, &cp, RT_CHANGED_MIND, T0, NULL, NULL, &d);
	assert_int_equal(d.deadline, T0);
	cp.window_secs = LLONG_MAX;
	policy_decide(&o, &cp, RT_CHANGED_MIND, LLONG_MAX, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_INSTANT);
	assert_int_equal(d.deadline, LLONG_MAX);

	/* No evidence asked for when the mask says none. */
	policy_defaults(CAT_GAME_CARD, &cp);
	cp.evidence_mask = 0;
	facts_for(&revealed, &o);
	policy_decide(&o, &cp, RT_INVALID_ITEM, T0 + 10, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_REVIEW);
	assert_false(d.evidence_required);

	/* A mask asking evidence for changed_mind is ignored: never needed. */
	cp.evidence_mask = ~0u;
	facts_for(&unused_card, &o);
	o.kind = KIND_NONE;
	policy_decide(&o, &cp, RT_CHANGED_MIND, T0 + 10, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_REVIEW);
	assert_false(d.evidence_required);

	/* A game card category configured not to refund used goods. */
	policy_defaults(CAT_GAME_CARD, &cp);
	cp.used_refundable = false;
	facts_for(&revealed, &o);
	policy_decide(&o, &cp, RT_INVALID_ITEM, T0 + 10, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_NOT_ALLOWED);
	assert_int_equal(d.reason, PR_USED_NOT_REFUNDABLE);
	o.key_revealed_at = 0;		/* unused goods are still reviewable */
	policy_decide(&o, &cp, RT_INVALID_ITEM, T0 + 10, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_REVIEW);
}

static void
test_malformed(void **state)
{
	(void)state;
	struct category_policy	 cp;
	struct order_facts	 o, good;
	struct decision		 d;
	const struct row	 w = { "x", GC, ND, P, KN, TU, 0, 10, 1999, IN,
	    0, NO, 0, false, false, 0 };
	size_t			 i;

	policy_defaults(CAT_GAME_CARD, &cp);
	facts_for(&w, &good);

	/* Sanity: the base facts are fine. */
	policy_decide(&good, &cp, RT_NOT_DELIVERED, T0, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_INSTANT);

	for (i = 0; i < 8; i++) {
		o = good;
		switch (i) {
		case 0: o.category = CAT__MAX; break;
		case 1: o.category = (enum category)-1; break;
		case 2: o.delivery = DELIV__MAX; break;
		case 3: o.kind = KIND__MAX; break;
		case 4: o.topup = (enum topup_state)99; break;
		case 5: o.amount = -1; break;
		case 6: o.amount = MONEY_MAX + 1; break;
		case 7: o.amount = INT64_MIN; break;
		}
		memset(&d, 0xa5, sizeof(d));
		policy_decide(&o, &cp, RT_NOT_DELIVERED, T0, NULL, NULL, &d);
		assert_int_equal(d.kind, DECIDE_NOT_ALLOWED);
		assert_int_equal(d.reason, PR_TYPE_NOT_FOR_CATEGORY);
		assert_int_equal(d.requested, 0);
		assert_int_equal(d.refund, 0);
	}
	policy_decide(&good, &cp, RT__MAX, T0, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_NOT_ALLOWED);
	policy_decide(&good, &cp, (enum refund_type)-3, T0, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_NOT_ALLOWED);
	policy_decide(NULL, &cp, RT_NOT_DELIVERED, T0, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_NOT_ALLOWED);
	policy_decide(&good, NULL, RT_NOT_DELIVERED, T0, NULL, NULL, &d);
	assert_int_equal(d.kind, DECIDE_NOT_ALLOWED);
	policy_decide(&good, &cp, RT_NOT_DELIVERED, T0, NULL, NULL, NULL);
}

/* Field by field: struct copies need not preserve padding bytes. */
static void
assert_decision_equal(const struct decision *a, const struct decision *b)
{

	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->reason, b->reason);
	assert_int_equal(a->reviewer, b->reviewer);
	assert_int_equal(a->requested, b->requested);
	assert_int_equal(a->fee, b->fee);
	assert_int_equal(a->refund, b->refund);
	assert_int_equal(a->evidence_required, b->evidence_required);
	assert_int_equal(a->recycle_item, b->recycle_item);
	assert_int_equal(a->deadline, b->deadline);
	assert_int_equal(a->risk_flags, b->risk_flags);
	assert_int_equal(a->ask_upstream, b->ask_upstream);
}

/* --- risk --- */

static const struct risk_limits limits = { 3, 10, 20 };

struct risk_case {
	struct risk_facts rf;
	unsigned want;
};

static const struct risk_case risk_cases[] = {
	{ { 0, 0, 0, false }, 0 },
	{ { 2, 9, 19, false }, 0 },				/* just under */
	{ { 3, 0, 0, false }, RISK_BUYER_24H },			/* at the limit */
	{ { 0, 10, 0, false }, RISK_BUYER_90D },
	{ { 0, 0, 20, false }, RISK_IP_1H },
	{ { 0, 0, 0, true }, RISK_BLACKLIST },
	{ { 4, 11, 0, false }, RISK_BUYER_24H | RISK_BUYER_90D },
	{ { 0, 0, 25, true }, RISK_IP_1H | RISK_BLACKLIST },
	{ { 3, 0, 20, false }, RISK_BUYER_24H | RISK_IP_1H },
	{ { 0, 10, 0, true }, RISK_BUYER_90D | RISK_BLACKLIST },
	{ { 3, 10, 20, false }, RISK_BUYER_24H | RISK_BUYER_90D | RISK_IP_1H },
	{ { 100, 100, 100, true }, RISK_BUYER_24H | RISK_BUYER_90D |
	    RISK_IP_1H | RISK_BLACKLIST },
};

/* Facts that give each decision kind without risk. */
static const struct row risk_instant = { "unused card", GC, CM, DV, KC, TU,
    0, 10, 1999, IN, 0, NO, 0, false, false, 0 };
static const struct row risk_instant_nd = { "pending", GC, ND, P, KN, TU,
    0, 10, 1999, IN, 0, NO, 0, false, false, 0 };
static const struct row risk_review = { "not as described", GC, NAD, DV, KC,
    TU, REV, 10, 1999, RV, 0, NO, 0, false, false, 0 };
static const struct row risk_refused = { "revealed", GC, CM, DV, KC, TU,
    REV, 10, 1999, NA, 0, NO, 0, false, false, 0 };

static void
decide_row(const struct row *w, enum refund_type t,
    const struct risk_facts *rf, const struct risk_limits *l,
    struct decision *d)
{
	struct category_policy	 cp;
	struct order_facts	 o;

	policy_defaults(w->cat, &cp);
	facts_for(w, &o);
	memset(d, 0, sizeof(*d));
	policy_decide(&o, &cp, t, T0 + w->at, rf, l, d);
}

/* A request decides every type once without risk (the form shows them)
 * and adds the risk facts to the chosen one: the same as deciding that
 * type with them. */
static void
test_decide_all_then_risk(void **state)
{
	(void)state;
	struct category_policy	 cp;
	struct order_facts	 o;
	struct decision		 all[RT__MAX], one, with;
	size_t			 i, k;

	for (i = 0; i < NELEM(rows); i++) {
		policy_defaults(rows[i].cat, &cp);
		facts_for(&rows[i], &o);
		policy_decide_all(&o, &cp, T0 + rows[i].at, all);
		for (int t = 0; t < RT__MAX; t++) {
			policy_decide(&o, &cp, (enum refund_type)t, T0 + rows[i].at, NULL, NULL, &one);
			assert_decision_equal(&all[t], &one);
			for (k = 0; k < NELEM(risk_cases); k++) {
				with = all[t];
				policy_apply_risk(&with, &risk_cases[k].rf, &limits);
				policy_decide(&o, &cp, (enum refund_type)t, T0 + rows[i].at, &risk_cases[k].rf,
				    &limits, &one);
				assert_decision_equal(&with, &one);
			}
		}
	}
}

/* The figures the desk shows are the rule's own: each case's counts and
 * limits, and a check fires exactly where its flag is set. */
static void
test_risk_figures(void **state)
{
	struct risk_figure fig[RC__MAX];
	struct decision d;

	(void)state;
	for (size_t k = 0; k < NELEM(risk_cases); k++) {
		const struct risk_facts *f = &risk_cases[k].rf;
		policy_risk_figures(f, &limits, fig);
		assert_int_equal(fig[RC_BUYER_24H].count, f->refunds_24h);
		assert_int_equal(fig[RC_BUYER_24H].limit, limits.max_refunds_24h);
		assert_int_equal(fig[RC_BUYER_90D].count, f->refunds_90d);
		assert_int_equal(fig[RC_BUYER_90D].limit, limits.max_refunds_90d);
		assert_int_equal(fig[RC_IP_1H].count, f->ip_requests_1h);
		assert_int_equal(fig[RC_IP_1H].limit, limits.max_ip_requests_1h);
		assert_int_equal(fig[RC_BLACKLIST].count, f->blacklisted ? 1 : 0);
		unsigned fired = 0;
		for (int i = 0; i < RC__MAX; i++)
			fired |= fig[i].fired ? 1u << i : 0;
		assert_int_equal(fired, risk_cases[k].want);
		decide_row(&risk_review, RT_NOT_AS_DESCRIBED, f, &limits, &d);
		assert_int_equal(d.risk_flags, fired);
	}
	/* A limit of 0 is off: never fires, whatever the count. */
	policy_risk_figures(&(struct risk_facts){ 50, 50, 50, false }, &(struct risk_limits){ 0, 0, 0 }, fig);
	for (int i = 0; i < RC__MAX; i++)
		assert_false(fig[i].fired);
	assert_int_equal(fig[RC_BUYER_24H].count, 50);
}

static void
test_risk_instant(void **state)
{
	struct decision	 base, d;
	size_t		 i;

	(void)state;
	decide_row(&risk_instant, RT_CHANGED_MIND, NULL, NULL, &base);
	assert_int_equal(base.kind, DECIDE_INSTANT);
	for (i = 0; i < NELEM(risk_cases); i++) {
		decide_row(&risk_instant, RT_CHANGED_MIND, &risk_cases[i].rf,
		    &limits, &d);
		assert_int_equal(d.risk_flags, risk_cases[i].want);
		if (risk_cases[i].want == 0) {
			assert_decision_equal(&d, &base);
			continue;
		}
		assert_int_equal(d.kind, DECIDE_REVIEW);
		assert_int_equal(d.reason, PR_RISK_REVIEW);
		assert_int_equal(d.reviewer, REVIEWER_CS);
		/* Amounts and everything else as they were. */
		assert_int_equal(d.requested, base.requested);
		assert_int_equal(d.fee, base.fee);
		assert_int_equal(d.refund, base.refund);
		assert_int_equal(d.fee, 199);
		assert_int_equal(d.deadline, base.deadline);
		assert_int_equal(d.recycle_item, base.recycle_item);
		assert_false(d.evidence_required);
	}
	/* The not-delivered instant refund is held back the same way. */
	decide_row(&risk_instant_nd, RT_NOT_DELIVERED,
	    &risk_cases[NELEM(risk_cases) - 1].rf, &limits, &d);
	assert_int_equal(d.kind, DECIDE_REVIEW);
	assert_int_equal(d.reason, PR_RISK_REVIEW);
	assert_int_equal(d.refund, 1999);
}

static void
test_risk_review(void **state)
{
	struct decision	 base, d;
	size_t		 i;

	(void)state;
	decide_row(&risk_review, RT_NOT_AS_DESCRIBED, NULL, NULL, &base);
	assert_int_equal(base.kind, DECIDE_REVIEW);
	for (i = 0; i < NELEM(risk_cases); i++) {
		decide_row(&risk_review, RT_NOT_AS_DESCRIBED,
		    &risk_cases[i].rf, &limits, &d);
		/* Only the flags change: the reviewer sees why. */
		assert_int_equal(d.risk_flags, risk_cases[i].want);
		d.risk_flags = 0;
		assert_decision_equal(&d, &base);
	}
}

static void
test_risk_never_changes_refusal(void **state)
{
	struct decision	 base, d;
	size_t		 i;

	(void)state;
	decide_row(&risk_refused, RT_CHANGED_MIND, NULL, NULL, &base);
	assert_int_equal(base.kind, DECIDE_NOT_ALLOWED);
	assert_int_equal(base.reason, PR_USED_NO_CHANGED_MIND);
	for (i = 0; i < NELEM(risk_cases); i++) {
		decide_row(&risk_refused, RT_CHANGED_MIND, &risk_cases[i].rf,
		    &limits, &d);
		assert_decision_equal(&d, &base);
	}
}

/* Issue 15: a review only because the goods' use is unknown asks the
 * storefront first; every other review, instant or refusal does not. */
static const struct row *
row_named(const char *name)
{
	for (size_t i = 0; i < NELEM(rows); i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	fail_msg("no row %s", name);
	return NULL;
}

static void
test_ask_upstream(void **state)
{
	static const struct { const char *row; bool ask; } cases[] = {
		{ "dt tf pending topup", true },
		{ "dt tf unreported topup", true },
		{ "pc tf pending", true },
		{ "gc cm kind unknown", true },
		{ "dt cm topup pending", true },
		{ "dt cm topup unreported", true },
		{ "pc cm card unrevealed, topup pending", true },
		{ "dt tf upstream failed", false },          /* known: instant */
		{ "gc cm unrevealed", false },
		{ "gc nad revealed", false },                /* a defect: a person anyway */
		{ "gc dc pending", false },
		{ "dt wa topped up the wrong id", false },
		{ "dt cm unknown 1s late", false },          /* refused: nothing to ask */
		{ "gc cm revealed", false },
	};
	struct decision d;

	(void)state;
	for (size_t i = 0; i < NELEM(cases); i++) {
		const struct row *w = row_named(cases[i].row);
		decide_row(w, w->t, NULL, NULL, &d);
		if (d.ask_upstream != cases[i].ask)
			fail_msg("%s: ask_upstream %d, want %d", w->name, d.ask_upstream, cases[i].ask);
	}
	/* Over the whole table: only topup_failed with the top-up unknown and
	 * changed_mind with the use unknown, and those always. */
	for (size_t i = 0; i < NELEM(rows); i++) {
		const struct row *w = &rows[i];
		bool want = w->k == DECIDE_REVIEW && (w->r == PR_NEEDS_REVIEW_TOPUP || w->t == RT_CHANGED_MIND);
		decide_row(w, w->t, NULL, NULL, &d);
		if (d.ask_upstream != want)
			fail_msg("%s: ask_upstream %d, want %d", w->name, d.ask_upstream, want);
	}
	/* Every risk flag sends it to a person at once, as before. */
	const struct row *unknown = row_named("gc cm kind unknown");
	for (size_t i = 0; i < NELEM(risk_cases); i++) {
		decide_row(unknown, RT_CHANGED_MIND, &risk_cases[i].rf, &limits, &d);
		assert_int_equal(d.kind, DECIDE_REVIEW);
		assert_int_equal(d.reviewer, REVIEWER_CS);
		assert_int_equal(d.risk_flags, risk_cases[i].want);
		assert_int_equal(d.ask_upstream, risk_cases[i].want == 0);
	}
}

static void
test_risk_off(void **state)
{
	(void)state;
	static const struct risk_limits off[] = {
		{ 0, 0, 0 }, { -1, -1, -1 },
	};
	const struct risk_facts busy = { 1000, 1000, 1000, false };
	const struct risk_facts black = { 0, 0, 0, true };
	struct decision	 base, d;
	size_t		 i;

	decide_row(&risk_instant, RT_CHANGED_MIND, NULL, NULL, &base);
	for (i = 0; i < NELEM(off); i++) {
		decide_row(&risk_instant, RT_CHANGED_MIND, &busy, &off[i], &d);
		assert_decision_equal(&d, &base);
		/* The blacklist has no limit to switch off. */
		decide_row(&risk_instant, RT_CHANGED_MIND, &black, &off[i], &d);
		assert_int_equal(d.risk_flags, RISK_BLACKLIST);
		assert_int_equal(d.kind, DECIDE_REVIEW);
	}
	/* No risk facts (the form page) or no limits: no checks at all. */
	decide_row(&risk_instant, RT_CHANGED_MIND, NULL, &limits, &d);
	assert_decision_equal(&d, &base);
	decide_row(&risk_instant, RT_CHANGED_MIND, &black, NULL, &d);
	assert_decision_equal(&d, &base);
}

/* --- property sweep --- */

/* Independent statement of "verifiably unused" for the invariant below. */
static bool
oracle_unused(const struct order_facts *o)
{

	if (o->delivery != DELIV_DELIVERED)
		return false;
	if (o->category == CAT_PHONE_CREDIT && o->topup == TOPUP_SUCCEEDED)
		return false;
	if (o->category == CAT_PHONE_CREDIT && o->topup == TOPUP_FAILED &&
	    o->kind != KIND_ACCOUNT &&
	    !(o->kind == KIND_CARD_KEY && (o->key_revealed_at || o->redeemed)) &&
	    !(o->kind == KIND_LICENCE && (o->activated_at || o->redeemed)))
		return true;
	if (o->category == CAT_PHONE_CREDIT && o->topup == TOPUP_PENDING)
		return false;
	if (o->kind == KIND_CARD_KEY)
		return !o->key_revealed_at && !o->redeemed;
	if (o->kind == KIND_LICENCE)
		return !o->activated_at && !o->redeemed;
	if (o->kind == KIND_DIRECT_TOPUP)
		return o->topup == TOPUP_FAILED;
	return false;
}

static unsigned long	 sweep_count;
static unsigned		 sweep_kinds[DECIDE__MAX];
static bool		 sweep_reasons[PR__MAX];

/*
 * Invariants, for every decision d on facts o, type t, time now:
 *  1. kind, reason and reviewer are in range.
 *  2. not allowed: requested = fee = refund = 0, no evidence, no recycle,
 *     no reviewer, no risk flags; deadline 0 unless WINDOW_EXPIRED, whose
 *     deadline is delivered_at + window and lies before now.
 *  3. allowed: requested == amount, 0 <= fee <= requested,
 *     refund == requested - fee.
 *  4. a fee only on changed_mind after delivery and wrong_account, and then
 *     exactly money_fee(amount, fee_bp).
 *  5. instant: no evidence, no reviewer, reason one of NOT_DELIVERED,
 *     TOPUP_FAILED_UPSTREAM, UNUSED_CHANGED_MIND.
 *  6. review: reviewer cs or merchant.
 *  7. evidence never for not_delivered or changed_mind; only where the mask
 *     asks, or on TOPUP_SUCCEEDED.
 *  8. allowed: deadline 0 for not_delivered, duplicate_charge, a top-up
 *     upstream reported failed, and anything before delivery; else
 *     delivered_at + window and now <= deadline.
 *  9. recycle only with NOT_DELIVERED or UNUSED_CHANGED_MIND.
 * 10. an instant changed_mind after delivery is on verifiably unused goods
 *     (oracle_unused); before delivery no type but not_delivered,
 *     changed_mind and duplicate_charge is allowed.
 * 11. phone credit that arrived: only duplicate_charge and wrong_account
 *     can be allowed.
 */
static void
check_invariants(const struct order_facts *o, const struct category_policy *cp,
    enum refund_type t, long long now, const struct decision *d)
{
	bool	 allowed = d->kind != DECIDE_NOT_ALLOWED;
	bool	 delivered = o->delivery == DELIV_DELIVERED;
	bool	 fee_type;

	assert_true((unsigned)d->kind < DECIDE__MAX);
	assert_true((unsigned)d->reason < PR__MAX);
	assert_true((unsigned)d->reviewer < REVIEWER__MAX);
	sweep_kinds[d->kind]++;
	sweep_reasons[d->reason] = true;
	sweep_count++;

	if (!allowed) {						/* 2 */
		assert_int_equal(d->requested, 0);
		assert_int_equal(d->fee, 0);
		assert_int_equal(d->refund, 0);
		assert_false(d->evidence_required);
		assert_false(d->recycle_item);
		assert_int_equal(d->reviewer, REVIEWER_NONE);
		assert_int_equal(d->risk_flags, 0);
		if (d->reason == PR_WINDOW_EXPIRED) {
			assert_int_equal(d->deadline,
			    o->delivered_at + cp->window_secs);
			assert_true(now > d->deadline);
		} else
			assert_int_equal(d->deadline, 0);
		return;
	}

	assert_int_equal(d->requested, o->amount);		/* 3 */
	assert_true(d->fee >= 0 && d->fee <= d->requested);
	assert_int_equal(d->refund, d->requested - d->fee);

	fee_type = t == RT_WRONG_ACCOUNT ||			/* 4 */
	    (t == RT_CHANGED_MIND && delivered);
	assert_int_equal(d->fee,
	    fee_type ? money_fee(o->amount, cp->fee_bp) : 0);

	if (d->kind == DECIDE_INSTANT) {			/* 5 */
		assert_false(d->evidence_required);
		assert_int_equal(d->reviewer, REVIEWER_NONE);
		assert_true(d->reason == PR_NOT_DELIVERED ||
		    d->reason == PR_TOPUP_FAILED_UPSTREAM ||
		    d->reason == PR_UNUSED_CHANGED_MIND);
	} else							/* 6 */
		assert_true(d->reviewer == REVIEWER_CS ||
		    d->reviewer == REVIEWER_MERCHANT);

	if (d->evidence_required) {				/* 7 */
		assert_true(t != RT_NOT_DELIVERED && t != RT_CHANGED_MIND);
		assert_true(((cp->evidence_mask >> t) & 1u) ||
		    d->reason == PR_TOPUP_SUCCEEDED);
	}

	if (t == RT_NOT_DELIVERED || t == RT_DUPLICATE_CHARGE ||	/* 8 */
	    !delivered || d->reason == PR_TOPUP_FAILED_UPSTREAM)
		assert_int_equal(d->deadline, 0);
	else {
		assert_int_equal(d->deadline,
		    o->delivered_at + cp->window_secs);
		assert_true(now <= d->deadline);
	}

	if (d->recycle_item)					/* 9 */
		assert_true(d->reason == PR_NOT_DELIVERED ||
		    d->reason == PR_UNUSED_CHANGED_MIND);

	if (t == RT_CHANGED_MIND && delivered &&		/* 10 */
	    d->kind == DECIDE_INSTANT)
		assert_true(oracle_unused(o));
	if (!delivered)
		assert_true(t == RT_NOT_DELIVERED || t == RT_CHANGED_MIND ||
		    t == RT_DUPLICATE_CHARGE);

	if (o->category == CAT_PHONE_CREDIT && delivered &&	/* 11 */
	    o->topup == TOPUP_SUCCEEDED)
		assert_true(t == RT_DUPLICATE_CHARGE || t == RT_WRONG_ACCOUNT);
}

/*
 * Risk on top of a decision: not allowed is byte-for-byte unchanged,
 * instant becomes a cs review with reason RISK_REVIEW and all else kept,
 * review keeps everything but gains the flags.
 */
static void
check_risk(const struct decision *base, const struct decision *r,
    unsigned want)
{
	struct decision	 x = *r;

	if (base->kind == DECIDE_NOT_ALLOWED) {
		assert_decision_equal(r, base);
		return;
	}
	assert_int_equal(r->risk_flags, want);
	assert_int_equal(r->kind, DECIDE_REVIEW);
	if (base->kind == DECIDE_INSTANT) {
		assert_int_equal(r->reason, PR_RISK_REVIEW);
		assert_int_equal(r->reviewer, REVIEWER_CS);
		x.kind = base->kind;
		x.reason = base->reason;
		x.reviewer = base->reviewer;
	}
	/* Flagged: a person at once, never a question upstream first. */
	assert_false(r->ask_upstream);
	x.ask_upstream = base->ask_upstream;
	x.risk_flags = 0;
	assert_decision_equal(&x, base);
}

static void
test_property_sweep(void **state)
{
	(void)state;
	static const int64_t amounts[] = { 0, 1, 1999, MONEY_MAX };
	const struct risk_facts	 all = { 50, 50, 50, true };
	const struct risk_facts	 calm = { 0, 0, 0, false };
	const unsigned		 all_flags = RISK_BUYER_24H | RISK_BUYER_90D |
	    RISK_IP_1H | RISK_BLACKLIST;
	struct category_policy	 cp;
	struct order_facts	 o;
	struct decision		 d, r, prev;
	int			 c, t, dv, k, tp, use, ti, a;
	bool			 had_prev;

	memset(&prev, 0, sizeof(prev));

	for (c = 0; c < CAT__MAX; c++)
	for (t = 0; t < RT__MAX; t++)
	for (dv = 0; dv < DELIV__MAX; dv++)
	for (k = 0; k < KIND__MAX; k++)
	for (tp = 0; tp < TOPUP__MAX; tp++)
	for (use = 0; use < 8; use++)
	for (a = 0; a < (int)NELEM(amounts); a++) {
		long long	 times[5];

		policy_defaults((enum category)c, &cp);
		memset(&o, 0, sizeof(o));
		o.category = (enum category)c;
		o.amount = amounts[a];
		o.paid_at = T0 - 60;
		o.delivery = (enum delivery_state)dv;
		o.kind = (enum delivery_kind)k;
		o.topup = (enum topup_state)tp;
		o.delivered_at = dv == DELIV_DELIVERED ? T0 : 0;
		o.key_revealed_at = (use & REV) ? T0 + 60 : 0;
		o.redeemed = (use & RED) != 0;
		o.activated_at = (use & ACT) ? T0 + 120 : 0;

		/* In increasing order, to check that the window only closes. */
		times[0] = T0 - H;
		times[1] = T0;
		times[2] = T0 + cp.window_secs;
		times[3] = T0 + cp.window_secs + 1;
		times[4] = T0 + 400 * D;
		had_prev = false;
		for (ti = 0; ti < 5; ti++) {
			policy_decide(&o, &cp, (enum refund_type)t, times[ti],
			    NULL, NULL, &d);
			check_invariants(&o, &cp, (enum refund_type)t,
			    times[ti], &d);
			if (had_prev && d.kind != DECIDE_NOT_ALLOWED)
				assert_true(prev.kind != DECIDE_NOT_ALLOWED);
			prev = d;
			had_prev = true;

			policy_decide(&o, &cp, (enum refund_type)t, times[ti],
			    &all, &limits, &r);
			check_risk(&d, &r, all_flags);
			policy_decide(&o, &cp, (enum refund_type)t, times[ti],
			    &calm, &limits, &r);
			assert_decision_equal(&r, &d);
		}
	}
	/* Every outcome and every reason but RISK_REVIEW (which needs risk
	 * facts) occurs in the sweep. */
	assert_true(sweep_count == 5UL * RT__MAX * DELIV__MAX * KIND__MAX *
	    TOPUP__MAX * 8 * 4 * 5);
	for (c = 0; c < DECIDE__MAX; c++)
		assert_true(sweep_kinds[c] > 0);
	for (c = 0; c < PR__MAX; c++)
		if (c != PR_RISK_REVIEW && !sweep_reasons[c])
			fail_msg("reason %d never reached in the sweep", c);
}

/* --- texts and names --- */

static void
test_reason_texts(void **state)
{
	const char	*a, *b;
	int		 i, j;

	(void)state;
	for (i = 0; i < PR__MAX; i++) {
		a = policy_reason_text((enum policy_reason)i);
		assert_non_null(a);
		/* A whole Chinese sentence: long, ends with a full stop. */
		assert_true(strlen(a) > 12);
		assert_true(strlen(a) >= 3 &&
		    strcmp(a + strlen(a) - 3, "。") == 0);
		for (j = 0; j < i; j++) {
			b = policy_reason_text((enum policy_reason)j);
			assert_true(strcmp(a, b) != 0);
		}
	}
	assert_string_equal(policy_reason_text(PR_CREDIT_ARRIVED),
	    "话费已到账，按规则不支持退款。");
	assert_string_equal(policy_reason_text(PR_UNUSED_CHANGED_MIND),
	    "商品未使用，可扣除回收手续费后立即退款。");
	assert_string_equal(policy_reason_text(PR_WINDOW_EXPIRED),
	    "已超过本类商品的退款申请期限。");
	assert_string_equal(policy_reason_text(PR__MAX), "");
	assert_string_equal(policy_reason_text((enum policy_reason)-1), "");
}

struct table_case {
	const char *what;
	const char *const *names;
	size_t n;
	bool none_empty;	/* entry 0 is the "" of KIND_NONE and the like */
};

#define TABLE(t, e) { #t, (t), NELEM(t), (e) }

static const struct table_case tables[] = {
	TABLE(refund_type_names, false),
	TABLE(refund_type_labels, false),
	TABLE(category_names, false),
	TABLE(category_labels, false),
	TABLE(delivery_state_names, false),
	TABLE(delivery_state_labels, false),
	TABLE(delivery_kind_names, true),
	TABLE(delivery_kind_labels, true),
	TABLE(topup_state_names, true),
	TABLE(topup_state_labels, true),
	TABLE(pay_channel_names, false),
	TABLE(pay_channel_labels, false),
	TABLE(destination_names, false),
	TABLE(destination_labels, false),
	TABLE(refund_state_names, false),
	TABLE(refund_state_labels, false),
	TABLE(decision_kind_names, false),
	TABLE(reviewer_names, true),
	TABLE(hold_state_names, false),
	TABLE(txn_kind_names, false),
};

/* No NULL slot, no duplicate, each name found at its own index. */
static void
test_tables_complete(void **state)
{
	size_t	 i, j, k;

	(void)state;
	for (i = 0; i < NELEM(tables); i++) {
		const struct table_case *c = &tables[i];

		for (j = 0; j < c->n; j++) {
			if (c->names[j] == NULL)
				fail_msg("%s[%zu] is NULL", c->what, j);
			if (c->names[j][0] == '\0' &&
			    !(c->none_empty && j == 0))
				fail_msg("%s[%zu] is empty", c->what, j);
			for (k = 0; k < j; k++)
				if (strcmp(c->names[j], c->names[k]) == 0)
					fail_msg("%s: duplicate %s", c->what,
					    c->names[j]);
			assert_int_equal(enum_lookup(c->names, c->n,
			    c->names[j]), (int)j);
		}
	}
}

static void
test_wire_names(void **state)
{
	(void)state;
	static const char *const rt[] = { "not_delivered", "topup_failed",
	    "invalid_item", "not_as_described", "duplicate_charge",
	    "wrong_account", "changed_mind" };
	static const char *const cat[] = { "game_card", "direct_topup",
	    "phone_credit", "membership", "licence" };
	static const char *const dv[] = { "pending", "delivered", "failed" };
	static const char *const kind[] = { "", "card_key", "direct_topup",
	    "account", "licence" };
	static const char *const tp[] = { "", "pending", "succeeded",
	    "failed" };
	static const char *const pay[] = { "alipay", "wechat", "bank",
	    "balance" };
	static const char *const dest[] = { "original", "balance" };
	static const char *const rs[] = { "submitted", "awaiting_upstream", "cs_review",
	    "merchant_review", "arbitration", "need_info", "approved",
	    "refunding", "refunded", "rejected", "cancelled", "closed" };
	static const char *const hold[] = { "held", "frozen", "released",
	    "refunded" };
	static const char *const txn[] = { "hold", "release", "refund",
	    "clawback", "payout", "payout_balance", "claim", "claim_recovered",
	    "claim_write_off", "appeal_refund" };
	static const char *const claim[] = { "pending", "filed", "recovered",
	    "rejected", "written_off" };	/* CONTRACT.md §7 */
	size_t	 i;

#define SAME(want, got) do {						\
	assert_int_equal(NELEM(want), NELEM(got));			\
	for (i = 0; i < NELEM(want); i++)				\
		assert_string_equal((want)[i], (got)[i]);		\
} while (0)
	SAME(rt, refund_type_names);
	SAME(cat, category_names);
	SAME(dv, delivery_state_names);
	SAME(kind, delivery_kind_names);
	SAME(tp, topup_state_names);
	SAME(pay, pay_channel_names);
	SAME(dest, destination_names);
	SAME(rs, refund_state_names);
	SAME(hold, hold_state_names);
	SAME(txn, txn_kind_names);
	SAME(claim, claim_state_names);
#undef SAME
	assert_string_equal(decision_kind_names[DECIDE_INSTANT], "instant");
	assert_string_equal(reviewer_names[REVIEWER_MERCHANT], "merchant");
}

static void
test_labels(void **state)
{
	(void)state;

	assert_string_equal(refund_type_labels[RT_NOT_DELIVERED],
	    "未发货/超时未发货");
	assert_string_equal(refund_type_labels[RT_INVALID_ITEM],
	    "商品无效（卡密错误、无法激活）");
	assert_string_equal(refund_type_labels[RT_CHANGED_MIND],
	    "个人原因/买错");
	assert_string_equal(category_labels[CAT_PHONE_CREDIT], "话费充值");
	assert_string_equal(category_labels[CAT_LICENCE], "软件授权");
	assert_string_equal(pay_channel_labels[PAY_WECHAT], "微信支付");
	assert_string_equal(destination_labels[DEST_ORIGINAL], "原路返回");
	assert_string_equal(destination_labels[DEST_BALANCE], "退到平台余额");
	assert_string_equal(refund_state_labels[RS_CS_REVIEW], "客服初审");
	assert_string_equal(refund_state_labels[RS_NEED_INFO], "待补充材料");
	assert_string_equal(refund_state_labels[RS_CLOSED], "已关闭");
}

static void
test_enum_lookup(void **state)
{
	static const char *const with_null[] = { "a", NULL, "b" };

	(void)state;
	assert_int_equal(ENUM_LOOKUP(pay_channel_names, "alipay"), PAY_ALIPAY);
	assert_int_equal(ENUM_LOOKUP(pay_channel_names, "balance"),
	    PAY_BALANCE);
	assert_int_equal(ENUM_LOOKUP(pay_channel_names, "Alipay"), -1);
	assert_int_equal(ENUM_LOOKUP(pay_channel_names, "alipa"), -1);
	assert_int_equal(ENUM_LOOKUP(pay_channel_names, "alipay "), -1);
	assert_int_equal(ENUM_LOOKUP(pay_channel_names, ""), -1);
	assert_int_equal(ENUM_LOOKUP(pay_channel_names, NULL), -1);
	assert_int_equal(ENUM_LOOKUP(delivery_kind_names, ""), KIND_NONE);
	assert_int_equal(ENUM_LOOKUP(topup_state_names, ""), TOPUP_UNKNOWN);
	assert_int_equal(ENUM_LOOKUP(topup_state_names, "failed"),
	    TOPUP_FAILED);
	assert_int_equal(ENUM_LOOKUP(refund_type_names, "changed_mind"),
	    RT_CHANGED_MIND);
	assert_int_equal(ENUM_LOOKUP(refund_type_names, "CHANGED_MIND"), -1);
	assert_int_equal(ENUM_LOOKUP(category_names, "license"), -1);
	assert_int_equal(ENUM_LOOKUP(with_null, "b"), 2);
	assert_int_equal(enum_lookup(NULL, 3, "a"), -1);
	assert_int_equal(enum_lookup(with_null, 0, "a"), -1);
}

static void
test_state_final(void **state)
{
	(void)state;
	static const bool want[RS__MAX] = {
		[RS_REFUNDED] = true, [RS_REJECTED] = true,
		[RS_CANCELLED] = true, [RS_CLOSED] = true,
	};
	int	 s;

	for (s = 0; s < RS__MAX; s++)
		assert_int_equal(refund_state_final((enum refund_state)s),
		    want[s]);
	assert_false(refund_state_final(RS__MAX));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_reason_in_table),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_custom_policy),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_risk_instant),
		cmocka_unit_test(test_risk_figures),
		cmocka_unit_test(test_risk_review),
		cmocka_unit_test(test_risk_never_changes_refusal),
		cmocka_unit_test(test_risk_off),
		cmocka_unit_test(test_ask_upstream),
		cmocka_unit_test(test_decide_all_then_risk),
		cmocka_unit_test(test_property_sweep),
		cmocka_unit_test(test_reason_texts),
		cmocka_unit_test(test_tables_complete),
		cmocka_unit_test(test_wire_names),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_enum_lookup),
		cmocka_unit_test(test_state_final),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
