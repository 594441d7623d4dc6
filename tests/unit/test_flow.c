/* test_flow.c: the refund lifecycle table (rules/flow.c), one cmocka test
 * per expected row: the roles it names may cause the event from its state
 * and reach its target with its deadline, hold effect and webhook; every
 * other role is refused; from every other state the event is refused or
 * is another expected row. Then: no row of the table goes unexpected, the
 * guards, the deadlines, and the buyer's and the staff's action sets as the
 * rules were before they folded into the table (actions.c, desk.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rules/desk.h"
#include "rules/flow.h"
#include "store/model.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define CS FR(FROLE_CS)
#define MER FR(FROLE_MERCHANT)
#define ARB FR(FROLE_ARBITER)
#define ADM FR(FROLE_ADMIN)
#define BUY FR(FROLE_BUYER)
#define WRK FR(FROLE_WORKER)
#define SYS FR(FROLE_SYSTEM)
#define API FR(FROLE_API)

struct expect {
	enum refund_state from;
	enum flow_event event;
	unsigned roles;
	enum refund_state to;
	enum flow_deadline deadline;
	enum flow_hold hold;
	const char *webhook;
	enum flow_guard guard;   /* rows of one (from, event, role) differ by it */
};

/* The lifecycle, as DOMAIN.md "the flow" and CONTRACT.md §4/§5 tell it. */
static const struct expect expected[] = {
	{ FLOW_NEW, FE_SUBMIT, BUY, RS_SUBMITTED, FDL_NONE, FLOW_HOLD_NONE, "refund.submitted", FLOW_GUARD_NONE },
	{ RS_SUBMITTED, FE_ROUTE_CS, SYS, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_FREEZE, NULL, FLOW_GUARD_NONE },
	{ RS_SUBMITTED, FE_ROUTE_MERCHANT, SYS, RS_MERCHANT_REVIEW, FDL_MERCHANT_REVIEW, FLOW_HOLD_FREEZE, NULL, FLOW_GUARD_NONE },
	{ RS_SUBMITTED, FE_APPROVE, SYS, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved", FLOW_GUARD_NONE },
	/* Issue 15: usage unknown, the storefront is asked before a person. */
	{ RS_SUBMITTED, FE_ASK_UPSTREAM, SYS, RS_AWAITING_UPSTREAM, FDL_UPSTREAM, FLOW_HOLD_FREEZE, "usage.requested", FLOW_GUARD_NONE },
	{ RS_AWAITING_UPSTREAM, FE_APPROVE, SYS, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved", FLOW_GUARD_NONE },
	{ RS_AWAITING_UPSTREAM, FE_ROUTE_CS, SYS | WRK, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },
	{ RS_AWAITING_UPSTREAM, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled", FLOW_GUARD_UNPAID },
	{ RS_AWAITING_UPSTREAM, FE_EVIDENCE, BUY, RS_AWAITING_UPSTREAM, FDL_NONE, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },
	{ RS_SUBMITTED, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled", FLOW_GUARD_UNPAID },
	{ RS_SUBMITTED, FE_EVIDENCE, BUY, RS_SUBMITTED, FDL_NONE, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },

	{ RS_CS_REVIEW, FE_APPROVE, CS | ADM, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved", FLOW_GUARD_NONE },
	{ RS_CS_REVIEW, FE_REJECT, CS | ADM, RS_REJECTED, FDL_APPEAL, FLOW_HOLD_UNFREEZE, "refund.rejected", FLOW_GUARD_NONE },
	{ RS_CS_REVIEW, FE_REQUEST_INFO, CS | ADM, RS_NEED_INFO, FDL_NEED_INFO, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },
	{ RS_CS_REVIEW, FE_ESCALATE, CS | ADM | WRK, RS_MERCHANT_REVIEW, FDL_MERCHANT_REVIEW, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },
	{ RS_CS_REVIEW, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled", FLOW_GUARD_UNPAID },
	{ RS_CS_REVIEW, FE_EVIDENCE, BUY, RS_CS_REVIEW, FDL_NONE, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },

	{ RS_MERCHANT_REVIEW, FE_APPROVE, MER | ADM | WRK, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved", FLOW_GUARD_NONE },
	{ RS_MERCHANT_REVIEW, FE_REJECT, MER | ADM, RS_REJECTED, FDL_APPEAL, FLOW_HOLD_UNFREEZE, "refund.rejected", FLOW_GUARD_NONE },
	{ RS_MERCHANT_REVIEW, FE_REQUEST_INFO, MER | ADM, RS_NEED_INFO, FDL_NEED_INFO, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },
	{ RS_MERCHANT_REVIEW, FE_ESCALATE, MER | ADM | WRK, RS_ARBITRATION, FDL_ARBITRATION, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },
	{ RS_MERCHANT_REVIEW, FE_CLOSE, WRK, RS_CLOSED, FDL_NONE, FLOW_HOLD_UNFREEZE, NULL, FLOW_GUARD_NONE },
	{ RS_MERCHANT_REVIEW, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled", FLOW_GUARD_UNPAID },
	{ RS_MERCHANT_REVIEW, FE_EVIDENCE, BUY, RS_MERCHANT_REVIEW, FDL_NONE, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },

	{ RS_ARBITRATION, FE_APPROVE, ARB | ADM, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved", FLOW_GUARD_UNPAID },
	{ RS_ARBITRATION, FE_REJECT, ARB | ADM, RS_REJECTED, FDL_APPEAL, FLOW_HOLD_UNFREEZE, "refund.rejected", FLOW_GUARD_UNPAID },
	{ RS_ARBITRATION, FE_REQUEST_INFO, ARB | ADM, RS_NEED_INFO, FDL_NEED_INFO, FLOW_HOLD_NONE, NULL, FLOW_GUARD_UNPAID },
	/* i10-appeal2: an appeal of a partial refund (paid already): the arbiter
	 * awards more (from the merchant, then paid as any approval) or
	 * upholds the partial (final, nothing moves, no webhook). */
	{ RS_ARBITRATION, FE_APPROVE, ARB | ADM, RS_APPROVED, FDL_NONE, FLOW_HOLD_APPEAL_AWARD, "refund.approved",
	  FLOW_GUARD_PAID_APPEAL },
	{ RS_ARBITRATION, FE_REJECT, ARB | ADM, RS_REFUNDED, FDL_NONE, FLOW_HOLD_NONE, NULL, FLOW_GUARD_PAID_APPEAL },
	{ RS_ARBITRATION, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled", FLOW_GUARD_UNPAID },
	{ RS_ARBITRATION, FE_EVIDENCE, BUY, RS_ARBITRATION, FDL_NONE, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },

	{ RS_NEED_INFO, FE_EVIDENCE, BUY, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },
	{ RS_NEED_INFO, FE_CLOSE, WRK, RS_CLOSED, FDL_NONE, FLOW_HOLD_UNFREEZE, NULL, FLOW_GUARD_NONE },
	{ RS_NEED_INFO, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled", FLOW_GUARD_UNPAID },

	{ RS_REJECTED, FE_APPEAL, BUY, RS_ARBITRATION, FDL_ARBITRATION, FLOW_HOLD_FREEZE, NULL, FLOW_GUARD_APPEAL_OPEN },

	/* i10-appeal2: a partial refund may be appealed once, within the window
	 * its payment opened; the hold is resolved already (nothing to freeze). */
	{ RS_REFUNDED, FE_APPEAL, BUY, RS_ARBITRATION, FDL_ARBITRATION, FLOW_HOLD_NONE, NULL,
	  FLOW_GUARD_PARTIAL_APPEAL_OPEN },

	{ RS_APPROVED, FE_PAY_ORIGINAL, SYS, RS_REFUNDING, FDL_NONE, FLOW_HOLD_NONE, "refund.payout_requested", FLOW_GUARD_NONE },
	{ RS_APPROVED, FE_PAY_BALANCE, SYS, RS_REFUNDED, FDL_PARTIAL_APPEAL, FLOW_HOLD_NONE, "refund.refunded", FLOW_GUARD_NONE },
	{ RS_REFUNDING, FE_PAYOUT_DONE, API, RS_REFUNDED, FDL_PARTIAL_APPEAL, FLOW_HOLD_PAYOUT_DONE, "refund.refunded", FLOW_GUARD_NONE },
	{ RS_REFUNDING, FE_PAYOUT_FAILED, API, RS_REFUNDING, FDL_NONE, FLOW_HOLD_NONE, NULL, FLOW_GUARD_NONE },
	{ RS_REFUNDING, FE_TO_BALANCE, CS | ADM, RS_REFUNDED, FDL_PARTIAL_APPEAL, FLOW_HOLD_PAYOUT_TO_BALANCE, "refund.refunded", FLOW_GUARD_PAYOUT_FAILED },
};

static const struct expect *
expected_at(enum refund_state from, enum flow_event ev, enum flow_role role)
{
	for (size_t i = 0; i < NELEM(expected); i++)
		if (expected[i].from == from && expected[i].event == ev && (expected[i].roles & FR(role)))
			return &expected[i];
	return NULL;
}

static const struct expect *
expected_guarded(enum refund_state from, enum flow_event ev, enum flow_role role, enum flow_guard g)
{
	for (size_t i = 0; i < NELEM(expected); i++)
		if (expected[i].from == from && expected[i].event == ev && (expected[i].roles & FR(role)) &&
		    expected[i].guard == g)
			return &expected[i];
	return NULL;
}

/* The table's row for (from, ev, role) with this guard, or NULL. */
static const struct flow_row *
row_guarded(enum refund_state from, enum flow_event ev, enum flow_role role, enum flow_guard g)
{
	for (size_t i = 0; i < flow_nrows; i++)
		if (flow_rows[i].from == from && flow_rows[i].event == ev && (flow_rows[i].roles & FR(role)) &&
		    flow_rows[i].guard == g)
			return &flow_rows[i];
	return NULL;
}

/* One expected row: allowed for its roles, refused for the others and
 * from every other state. */
static void
test_row(void **state)
{
	const struct expect *x = *state;

	for (int role = 0; role < FROLE__MAX; role++) {
		const struct flow_row *row = row_guarded(x->from, x->event, (enum flow_role)role, x->guard);
		if (!(x->roles & FR(role))) {
			assert_null(row);
			continue;
		}
		assert_non_null(row);
		assert_int_equal(row->to, x->to);
		assert_int_equal(row->deadline, x->deadline);
		assert_int_equal(row->hold, x->hold);
		assert_int_equal(row->guard, x->guard);
		if (x->webhook == NULL)
			assert_null(row->webhook);
		else
			assert_string_equal(row->webhook, x->webhook);
		assert_non_null(row->note);
		assert_true(row->note[0] != '\0');
	}
	for (int from = 0; from <= FLOW_NEW; from++) {
		if (from == (int)x->from)
			continue;
		for (int role = 0; role < FROLE__MAX; role++) {
			const struct flow_row *row = flow_find((enum refund_state)from, x->event, (enum flow_role)role);
			const struct expect *other = expected_at((enum refund_state)from, x->event, (enum flow_role)role);
			if (other == NULL)
				assert_null(row);
			else
				assert_int_equal(row->to, other->to);
		}
	}
}

/* No row without its expectation (a row added without a test fails here). */
static void
test_every_row_expected(void **state)
{
	(void)state;
	size_t pairs = 0;

	for (size_t i = 0; i < flow_nrows; i++) {
		const struct flow_row *row = &flow_rows[i];
		assert_true(row->roles != 0);
		for (int role = 0; role < FROLE__MAX; role++) {
			if (!(row->roles & FR(role)))
				continue;
			const struct expect *x = expected_guarded(row->from, row->event, (enum flow_role)role, row->guard);
			assert_non_null(x);
			/* No two rows for one (from, event, role, guard). */
			assert_ptr_equal(row_guarded(row->from, row->event, (enum flow_role)role, row->guard), row);
			pairs++;
		}
	}
	size_t want = 0;
	for (size_t i = 0; i < NELEM(expected); i++)
		want += (size_t)__builtin_popcount(expected[i].roles);
	assert_int_equal(pairs, want);
}

static void
test_names(void **state)
{
	(void)state;
	for (int e = 0; e < FE__MAX; e++) {
		assert_non_null(flow_event_names[e]);
		assert_non_null(flow_event_labels[e]);
	}
	for (int r = 0; r < FROLE__MAX; r++)
		assert_non_null(flow_actor_names[r]);
	/* The decision form's values (CONTRACT.md §4) are the staff's events. */
	static const char *const contract[] = { "approve", "reject", "request_info", "escalate", "to_balance" };
	assert_int_equal(DA__MAX, NELEM(contract));
	for (size_t i = 0; i < NELEM(contract); i++)
		assert_int_equal(enum_lookup(desk_action_names, DA__MAX, contract[i]), (int)i);
	assert_int_equal(enum_lookup(desk_action_names, DA__MAX, "cancel"), -1);
	assert_string_equal(flow_actor_names[FROLE_WORKER], "system");
	assert_string_equal(flow_actor_names[FROLE_API], "storefront");
}

static void
test_guards(void **state)
{
	(void)state;
	struct flow_facts f = { false, false, 1000, false, false };

	assert_non_null(flow_allowed(RS_REJECTED, FE_APPEAL, FROLE_BUYER, &f, 1000));
	assert_null(flow_allowed(RS_REJECTED, FE_APPEAL, FROLE_BUYER, &f, 1001));   /* window closed */
	f.appealed = true;
	assert_null(flow_allowed(RS_REJECTED, FE_APPEAL, FROLE_BUYER, &f, 10));     /* once only */
	f = (struct flow_facts){ false, false, 0, false, false };
	assert_non_null(flow_allowed(RS_REJECTED, FE_APPEAL, FROLE_BUYER, &f, 1 << 30));
	/* A payout may still arrive: the balance only after a reported failure. */
	assert_null(flow_allowed(RS_REFUNDING, FE_TO_BALANCE, FROLE_CS, &f, 0));
	f.payout_failed = true;
	assert_non_null(flow_allowed(RS_REFUNDING, FE_TO_BALANCE, FROLE_CS, &f, 0));
	assert_null(flow_allowed(RS_REFUNDING, FE_TO_BALANCE, FROLE_MERCHANT, &f, 0));
}

/* i10-appeal2: the appeal of a partial refund, allowed and refused. */
static void
test_partial_appeal_guards(void **state)
{
	(void)state;
	/* Refunded partially, not appealed, window until 1000. */
	struct flow_facts f = { .deadline = 1000, .partial = true };

	assert_non_null(flow_allowed(RS_REFUNDED, FE_APPEAL, FROLE_BUYER, &f, 1000));
	assert_int_equal(flow_allowed(RS_REFUNDED, FE_APPEAL, FROLE_BUYER, &f, 1000)->to, RS_ARBITRATION);
	assert_null(flow_allowed(RS_REFUNDED, FE_APPEAL, FROLE_BUYER, &f, 1001));       /* window closed */
	assert_null(flow_allowed(RS_REFUNDED, FE_APPEAL, FROLE_CS, &f, 10));           /* the buyer's only */
	assert_null(flow_allowed(RS_REFUNDED, FE_APPEAL, FROLE_ARBITER, &f, 10));
	f.appealed = true;
	assert_null(flow_allowed(RS_REFUNDED, FE_APPEAL, FROLE_BUYER, &f, 10));        /* once only */
	f = (struct flow_facts){ .deadline = 1000, .partial = false };
	assert_null(flow_allowed(RS_REFUNDED, FE_APPEAL, FROLE_BUYER, &f, 10));        /* a full refund */
	f = (struct flow_facts){ .deadline = 0, .partial = true };
	assert_null(flow_allowed(RS_REFUNDED, FE_APPEAL, FROLE_BUYER, &f, 10));        /* no window opened */
	f = (struct flow_facts){ .deadline = 1000, .partial = true };
	assert_null(flow_allowed(RS_REFUNDING, FE_APPEAL, FROLE_BUYER, &f, 10));       /* not paid out yet */

	/* In arbitration after it: the arbiter awards or upholds; the buyer
	 * can no longer cancel (the money is paid), evidence still goes in. */
	struct flow_facts paid = { .appealed = true, .deadline = 5000, .paid_appeal = true };
	const struct flow_row *row = flow_allowed(RS_ARBITRATION, FE_APPROVE, FROLE_ARBITER, &paid, 10);
	assert_non_null(row);
	assert_int_equal(row->hold, FLOW_HOLD_APPEAL_AWARD);
	assert_int_equal(row->to, RS_APPROVED);
	row = flow_allowed(RS_ARBITRATION, FE_REJECT, FROLE_ADMIN, &paid, 10);
	assert_non_null(row);
	assert_int_equal(row->to, RS_REFUNDED);
	assert_int_equal(row->hold, FLOW_HOLD_NONE);
	assert_null(row->webhook);
	assert_null(flow_allowed(RS_ARBITRATION, FE_REQUEST_INFO, FROLE_ARBITER, &paid, 10));
	assert_null(flow_allowed(RS_ARBITRATION, FE_CANCEL, FROLE_BUYER, &paid, 10));
	assert_non_null(flow_allowed(RS_ARBITRATION, FE_EVIDENCE, FROLE_BUYER, &paid, 10));
	assert_null(flow_allowed(RS_ARBITRATION, FE_APPROVE, FROLE_CS, &paid, 10));
	assert_null(flow_allowed(RS_ARBITRATION, FE_APPROVE, FROLE_MERCHANT, &paid, 10));
	/* Without the paid appeal, arbitration decides as before. */
	struct flow_facts unpaid = { .deadline = 5000 };
	assert_int_equal(flow_allowed(RS_ARBITRATION, FE_APPROVE, FROLE_ARBITER, &unpaid, 10)->hold, FLOW_HOLD_REFUND);
	assert_int_equal(flow_allowed(RS_ARBITRATION, FE_REJECT, FROLE_ARBITER, &unpaid, 10)->to, RS_REJECTED);
	assert_non_null(flow_allowed(RS_ARBITRATION, FE_CANCEL, FROLE_BUYER, &unpaid, 10));

	/* The desk's and the buyer's action sets read the same rows. */
	struct refund rf;
	memset(&rf, 0, sizeof(rf));
	rf.state = RS_REFUNDED;
	rf.requested = 9850;
	rf.fee = 492;
	rf.amount = 4000;
	rf.deadline = 1000;
	assert_int_equal(refund_actions(&rf, 999), ACT_APPEAL);
	assert_int_equal(refund_actions(&rf, 1001), 0u);
	rf.amount = 9850 - 492;                      /* the fee is policy, not a partial */
	assert_int_equal(refund_actions(&rf, 999), 0u);
	rf.state = RS_ARBITRATION;
	rf.amount = 4000;
	rf.appealed = rf.appealed_partial = true;
	assert_int_equal(desk_actions(ROLE_ARBITER, &rf), 1u << DA_APPROVE | 1u << DA_REJECT);
	assert_int_equal(desk_actions(ROLE_CS, &rf), 0u);
	assert_int_equal(refund_actions(&rf, 10), ACT_EVIDENCE);
}

static void
test_deadlines(void **state)
{
	(void)state;
	const long long now = 1000000;
	const struct flow_facts nf = { 0 }, af = { .appealed = true };

	assert_int_equal(flow_deadline(flow_find(RS_SUBMITTED, FE_ROUTE_CS, FROLE_SYSTEM), &nf, now, 0),
	    now + SLA_CS_REVIEW);
	assert_int_equal(flow_deadline(flow_find(RS_CS_REVIEW, FE_ESCALATE, FROLE_CS), &nf, now, 0),
	    now + SLA_MERCHANT_REVIEW);
	assert_int_equal(flow_deadline(flow_find(RS_MERCHANT_REVIEW, FE_ESCALATE, FROLE_WORKER), &nf, now, 0),
	    now + SLA_ARBITRATION);
	assert_int_equal(flow_deadline(flow_find(RS_CS_REVIEW, FE_REQUEST_INFO, FROLE_CS), &nf, now, 0),
	    now + SLA_NEED_INFO);
	/* A rejection opens the appeal window, but not after an appeal. */
	const struct flow_row *rej = flow_find(RS_ARBITRATION, FE_REJECT, FROLE_ARBITER);
	assert_int_equal(flow_deadline(rej, &nf, now, 0), now + SLA_APPEAL_WINDOW);
	assert_int_equal(flow_deadline(rej, &af, now, 0), 0);
	assert_int_equal(flow_deadline(flow_find(RS_NEED_INFO, FE_CLOSE, FROLE_WORKER), &nf, now, 0), 0);
	/* A partial refund, paid, opens the appeal window; a full one, or one
	 * paid after its appeal, none. */
	const struct flow_facts part = { .partial = true }, part_appealed = { .partial = true, .appealed = true };
	const struct flow_row *paid = flow_find(RS_APPROVED, FE_PAY_BALANCE, FROLE_SYSTEM);
	assert_int_equal(flow_deadline(paid, &part, now, 0), now + SLA_APPEAL_WINDOW);
	assert_int_equal(flow_deadline(paid, &nf, now, 0), 0);
	assert_int_equal(flow_deadline(paid, &part_appealed, now, 0), 0);
	assert_int_equal(flow_deadline(flow_find(RS_REFUNDING, FE_PAYOUT_DONE, FROLE_API), &part, now, 0),
	    now + SLA_APPEAL_WINDOW);
	assert_int_equal(flow_deadline(flow_find(RS_REFUNDING, FE_TO_BALANCE, FROLE_CS), &part, now, 0),
	    now + SLA_APPEAL_WINDOW);
	/* The storefront's time to answer is the config's, not an SLA. */
	const struct flow_row *ask = flow_find(RS_SUBMITTED, FE_ASK_UPSTREAM, FROLE_SYSTEM);
	assert_int_equal(flow_deadline(ask, &nf, now, 300), now + 300);
	assert_int_equal(flow_deadline(ask, &nf, now, 3), now + 3);
}

/* The buyer's actions as actions.c had them. */
static unsigned
old_buyer_actions(const struct refund *rf, long long now)
{
	switch (rf->state) {
	case RS_SUBMITTED: case RS_CS_REVIEW: case RS_MERCHANT_REVIEW: case RS_NEED_INFO: case RS_ARBITRATION:
	case RS_AWAITING_UPSTREAM:   /* issue 15: waiting on the storefront, as on a reviewer */
		return ACT_CANCEL | ACT_EVIDENCE;
	case RS_REJECTED:
		return (!rf->appealed && (rf->deadline == 0 || now <= rf->deadline)) ? ACT_APPEAL : 0;
	default:
		return 0;
	}
}

/* The staff's actions as desk.c had them. */
static unsigned
old_desk_actions(enum staff_role role, const struct refund *rf)
{
	const unsigned decide = 1u << DA_APPROVE | 1u << DA_REJECT | 1u << DA_REQUEST_INFO;

	switch (rf->state) {
	case RS_CS_REVIEW: return (role == ROLE_CS || role == ROLE_ADMIN) ? decide | 1u << DA_ESCALATE : 0;
	case RS_MERCHANT_REVIEW: return (role == ROLE_MERCHANT || role == ROLE_ADMIN) ? decide | 1u << DA_ESCALATE : 0;
	case RS_ARBITRATION: return (role == ROLE_ARBITER || role == ROLE_ADMIN) ? decide : 0;
	case RS_REFUNDING: return (rf->payout_failed && (role == ROLE_CS || role == ROLE_ADMIN)) ? 1u << DA_TO_BALANCE : 0;
	default: return 0;
	}
}

static void
test_actions_as_before(void **state)
{
	(void)state;
	struct refund rf;

	for (int st = 0; st < RS__MAX; st++)
		for (int flags = 0; flags < 8; flags++) {
			memset(&rf, 0, sizeof(rf));
			rf.state = (enum refund_state)st;
			rf.appealed = flags & 1;
			rf.payout_failed = (flags & 2) != 0;
			rf.deadline = (flags & 4) ? 500 : 0;
			for (long long now = 499; now <= 501; now++)
				assert_int_equal(refund_actions(&rf, now), old_buyer_actions(&rf, now));
			for (int role = 0; role < ROLE__MAX; role++)
				assert_int_equal(desk_actions((enum staff_role)role, &rf),
				    old_desk_actions((enum staff_role)role, &rf));
		}
}

int
main(void)
{
	struct CMUnitTest tests[NELEM(expected) + 6];
	static char names[NELEM(expected)][96];
	size_t n = 0;

	for (size_t i = 0; i < NELEM(expected); i++) {
		const struct expect *x = &expected[i];
		snprintf(names[i], sizeof(names[i]), "row %s --%s--> %s",
		    x->from == FLOW_NEW ? "(new)" : refund_state_names[x->from], flow_event_names[x->event],
		    refund_state_names[x->to]);
		tests[n++] = (struct CMUnitTest){ names[i], test_row, NULL, NULL, (void *)x };
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_every_row_expected);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_names);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_guards);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_partial_appeal_guards);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_deadlines);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_actions_as_before);
	return _cmocka_run_group_tests("flow", tests, n, NULL, NULL);
}
