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
};

/* The lifecycle, as DOMAIN.md "the flow" and CONTRACT.md §4/§5 tell it. */
static const struct expect expected[] = {
	{ FLOW_NEW, FE_SUBMIT, BUY, RS_SUBMITTED, FDL_NONE, FLOW_HOLD_NONE, "refund.submitted" },
	{ RS_SUBMITTED, FE_ROUTE_CS, SYS, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_FREEZE, NULL },
	{ RS_SUBMITTED, FE_ROUTE_MERCHANT, SYS, RS_MERCHANT_REVIEW, FDL_MERCHANT_REVIEW, FLOW_HOLD_FREEZE, NULL },
	{ RS_SUBMITTED, FE_APPROVE, SYS, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved" },
	/* Issue 15: usage unknown, the storefront is asked before a person. */
	{ RS_SUBMITTED, FE_ASK_UPSTREAM, SYS, RS_AWAITING_UPSTREAM, FDL_UPSTREAM, FLOW_HOLD_FREEZE, "usage.requested" },
	{ RS_AWAITING_UPSTREAM, FE_APPROVE, SYS, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved" },
	{ RS_AWAITING_UPSTREAM, FE_ROUTE_CS, SYS | WRK, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_NONE, NULL },
	{ RS_AWAITING_UPSTREAM, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled" },
	{ RS_AWAITING_UPSTREAM, FE_EVIDENCE, BUY, RS_AWAITING_UPSTREAM, FDL_NONE, FLOW_HOLD_NONE, NULL },
	{ RS_SUBMITTED, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled" },
	{ RS_SUBMITTED, FE_EVIDENCE, BUY, RS_SUBMITTED, FDL_NONE, FLOW_HOLD_NONE, NULL },

	{ RS_CS_REVIEW, FE_APPROVE, CS | ADM, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved" },
	{ RS_CS_REVIEW, FE_REJECT, CS | ADM, RS_REJECTED, FDL_APPEAL, FLOW_HOLD_UNFREEZE, "refund.rejected" },
	{ RS_CS_REVIEW, FE_REQUEST_INFO, CS | ADM, RS_NEED_INFO, FDL_NEED_INFO, FLOW_HOLD_NONE, NULL },
	{ RS_CS_REVIEW, FE_ESCALATE, CS | ADM | WRK, RS_MERCHANT_REVIEW, FDL_MERCHANT_REVIEW, FLOW_HOLD_NONE, NULL },
	{ RS_CS_REVIEW, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled" },
	{ RS_CS_REVIEW, FE_EVIDENCE, BUY, RS_CS_REVIEW, FDL_NONE, FLOW_HOLD_NONE, NULL },

	{ RS_MERCHANT_REVIEW, FE_APPROVE, MER | ADM | WRK, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved" },
	{ RS_MERCHANT_REVIEW, FE_REJECT, MER | ADM, RS_REJECTED, FDL_APPEAL, FLOW_HOLD_UNFREEZE, "refund.rejected" },
	{ RS_MERCHANT_REVIEW, FE_REQUEST_INFO, MER | ADM, RS_NEED_INFO, FDL_NEED_INFO, FLOW_HOLD_NONE, NULL },
	{ RS_MERCHANT_REVIEW, FE_ESCALATE, MER | ADM | WRK, RS_ARBITRATION, FDL_ARBITRATION, FLOW_HOLD_NONE, NULL },
	{ RS_MERCHANT_REVIEW, FE_CLOSE, WRK, RS_CLOSED, FDL_NONE, FLOW_HOLD_UNFREEZE, NULL },
	{ RS_MERCHANT_REVIEW, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled" },
	{ RS_MERCHANT_REVIEW, FE_EVIDENCE, BUY, RS_MERCHANT_REVIEW, FDL_NONE, FLOW_HOLD_NONE, NULL },

	{ RS_ARBITRATION, FE_APPROVE, ARB | ADM, RS_APPROVED, FDL_NONE, FLOW_HOLD_REFUND, "refund.approved" },
	{ RS_ARBITRATION, FE_REJECT, ARB | ADM, RS_REJECTED, FDL_APPEAL, FLOW_HOLD_UNFREEZE, "refund.rejected" },
	{ RS_ARBITRATION, FE_REQUEST_INFO, ARB | ADM, RS_NEED_INFO, FDL_NEED_INFO, FLOW_HOLD_NONE, NULL },
	{ RS_ARBITRATION, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled" },
	{ RS_ARBITRATION, FE_EVIDENCE, BUY, RS_ARBITRATION, FDL_NONE, FLOW_HOLD_NONE, NULL },

	{ RS_NEED_INFO, FE_EVIDENCE, BUY, RS_CS_REVIEW, FDL_CS_REVIEW, FLOW_HOLD_NONE, NULL },
	{ RS_NEED_INFO, FE_CLOSE, WRK, RS_CLOSED, FDL_NONE, FLOW_HOLD_UNFREEZE, NULL },
	{ RS_NEED_INFO, FE_CANCEL, BUY, RS_CANCELLED, FDL_NONE, FLOW_HOLD_UNFREEZE, "refund.cancelled" },

	{ RS_REJECTED, FE_APPEAL, BUY, RS_ARBITRATION, FDL_ARBITRATION, FLOW_HOLD_FREEZE, NULL },

	{ RS_APPROVED, FE_PAY_ORIGINAL, SYS, RS_REFUNDING, FDL_NONE, FLOW_HOLD_NONE, "refund.payout_requested" },
	{ RS_APPROVED, FE_PAY_BALANCE, SYS, RS_REFUNDED, FDL_NONE, FLOW_HOLD_NONE, "refund.refunded" },
	{ RS_REFUNDING, FE_PAYOUT_DONE, API, RS_REFUNDED, FDL_NONE, FLOW_HOLD_PAYOUT_DONE, "refund.refunded" },
	{ RS_REFUNDING, FE_PAYOUT_FAILED, API, RS_REFUNDING, FDL_NONE, FLOW_HOLD_NONE, NULL },
	{ RS_REFUNDING, FE_TO_BALANCE, CS | ADM, RS_REFUNDED, FDL_NONE, FLOW_HOLD_PAYOUT_TO_BALANCE, "refund.refunded" },
};

static const struct expect *
expected_at(enum refund_state from, enum flow_event ev, enum flow_role role)
{
	for (size_t i = 0; i < NELEM(expected); i++)
		if (expected[i].from == from && expected[i].event == ev && (expected[i].roles & FR(role)))
			return &expected[i];
	return NULL;
}

/* One expected row: allowed for its roles, refused for the others and
 * from every other state. */
static void
test_row(void **state)
{
	const struct expect *x = *state;

	for (int role = 0; role < FROLE__MAX; role++) {
		const struct flow_row *row = flow_find(x->from, x->event, (enum flow_role)role);
		if (!(x->roles & FR(role))) {
			assert_null(row);
			continue;
		}
		assert_non_null(row);
		assert_int_equal(row->to, x->to);
		assert_int_equal(row->deadline, x->deadline);
		assert_int_equal(row->hold, x->hold);
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
			const struct expect *x = expected_at(row->from, row->event, (enum flow_role)role);
			assert_non_null(x);
			/* flow_find answers this row: no two rows for one (from, event, role). */
			assert_ptr_equal(flow_find(row->from, row->event, (enum flow_role)role), row);
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
	struct flow_facts f = { false, false, 1000 };

	assert_non_null(flow_allowed(RS_REJECTED, FE_APPEAL, FROLE_BUYER, &f, 1000));
	assert_null(flow_allowed(RS_REJECTED, FE_APPEAL, FROLE_BUYER, &f, 1001));   /* window closed */
	f.appealed = true;
	assert_null(flow_allowed(RS_REJECTED, FE_APPEAL, FROLE_BUYER, &f, 10));     /* once only */
	f = (struct flow_facts){ false, false, 0 };
	assert_non_null(flow_allowed(RS_REJECTED, FE_APPEAL, FROLE_BUYER, &f, 1 << 30));
	/* A payout may still arrive: the balance only after a reported failure. */
	assert_null(flow_allowed(RS_REFUNDING, FE_TO_BALANCE, FROLE_CS, &f, 0));
	f.payout_failed = true;
	assert_non_null(flow_allowed(RS_REFUNDING, FE_TO_BALANCE, FROLE_CS, &f, 0));
	assert_null(flow_allowed(RS_REFUNDING, FE_TO_BALANCE, FROLE_MERCHANT, &f, 0));
}

static void
test_deadlines(void **state)
{
	(void)state;
	const long long now = 1000000;

	assert_int_equal(flow_deadline(flow_find(RS_SUBMITTED, FE_ROUTE_CS, FROLE_SYSTEM), false, now, 0),
	    now + SLA_CS_REVIEW);
	assert_int_equal(flow_deadline(flow_find(RS_CS_REVIEW, FE_ESCALATE, FROLE_CS), false, now, 0),
	    now + SLA_MERCHANT_REVIEW);
	assert_int_equal(flow_deadline(flow_find(RS_MERCHANT_REVIEW, FE_ESCALATE, FROLE_WORKER), false, now, 0),
	    now + SLA_ARBITRATION);
	assert_int_equal(flow_deadline(flow_find(RS_CS_REVIEW, FE_REQUEST_INFO, FROLE_CS), false, now, 0),
	    now + SLA_NEED_INFO);
	/* A rejection opens the appeal window, but not after an appeal. */
	const struct flow_row *rej = flow_find(RS_ARBITRATION, FE_REJECT, FROLE_ARBITER);
	assert_int_equal(flow_deadline(rej, false, now, 0), now + SLA_APPEAL_WINDOW);
	assert_int_equal(flow_deadline(rej, true, now, 0), 0);
	assert_int_equal(flow_deadline(flow_find(RS_NEED_INFO, FE_CLOSE, FROLE_WORKER), false, now, 0), 0);
	/* The storefront's time to answer is the config's, not an SLA. */
	const struct flow_row *ask = flow_find(RS_SUBMITTED, FE_ASK_UPSTREAM, FROLE_SYSTEM);
	assert_int_equal(flow_deadline(ask, false, now, 300), now + 300);
	assert_int_equal(flow_deadline(ask, false, now, 3), now + 3);
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
	struct CMUnitTest tests[NELEM(expected) + 5];
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
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_deadlines);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_actions_as_before);
	return _cmocka_run_group_tests("flow", tests, n, NULL, NULL);
}
