/* test_claim_rules.c: a claim up the chain's next step for every claim
 * state, every kind of answer, every refund state at the supplier, before
 * and after expiry (rules/claim_rules.c), and the polling interval. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "rules/claim_rules.h"

/* The step the contract asks for, written out independently of the code. */
static enum claim_step
want(enum claim_state cs, enum claim_answer a, enum refund_state rs, bool expired)
{
	if (cs == CLAIM_RECOVERED || cs == CLAIM_REJECTED || cs == CLAIM_WRITTEN_OFF)
		return CSTEP_NOTHING;                /* ended: nothing changes it */
	if (a == CANS_REFUSED)
		return CSTEP_REJECTED;
	if (a == CANS_REFUND && rs == RS_REFUNDED)
		return CSTEP_RECOVERED;              /* even past expiry: the money came */
	if (a == CANS_REFUND && (rs == RS_REJECTED || rs == RS_CANCELLED || rs == RS_CLOSED))
		return CSTEP_REJECTED;
	if (expired)
		return CSTEP_WRITE_OFF;              /* never a recovery by timeout */
	return a == CANS_REFUND ? CSTEP_FILED : CSTEP_LATER;
}

static void
test_every_combination(void **state)
{
	static const enum claim_answer answers[] = { CANS_NONE, CANS_NO_ANSWER, CANS_REFUSED, CANS_REFUND };
	int n = 0;

	(void)state;
	for (int cs = 0; cs < CLAIM__MAX; cs++)
		for (size_t a = 0; a < sizeof(answers) / sizeof(answers[0]); a++)
			for (int rs = 0; rs < RS__MAX; rs++)
				for (int ex = 0; ex < 2; ex++) {
					enum claim_step got = claim_next(cs, answers[a], rs, ex);
					enum claim_step w = want(cs, answers[a], rs, ex);
					if (got != w)
						fail_msg("claim %s, answer %zu, refund %s, expired %d: step %d, want %d",
						    claim_state_names[cs], a, refund_state_names[rs], ex, got, w);
					n++;
				}
	assert_int_equal(n, CLAIM__MAX * 4 * RS__MAX * 2);
}

/* The cases that matter, named. */
static void
test_named(void **state)
{
	(void)state;
	assert_int_equal(claim_next(CLAIM_PENDING, CANS_REFUND, RS_REFUNDED, false), CSTEP_RECOVERED);
	assert_int_equal(claim_next(CLAIM_PENDING, CANS_REFUND, RS_CS_REVIEW, false), CSTEP_FILED);
	assert_int_equal(claim_next(CLAIM_FILED, CANS_REFUND, RS_NEED_INFO, true), CSTEP_WRITE_OFF);
	assert_int_equal(claim_next(CLAIM_FILED, CANS_NO_ANSWER, RS_SUBMITTED, false), CSTEP_LATER);
	assert_int_equal(claim_next(CLAIM_PENDING, CANS_NONE, RS_SUBMITTED, true), CSTEP_WRITE_OFF);
	assert_int_equal(claim_next(CLAIM_PENDING, CANS_REFUSED, RS_SUBMITTED, false), CSTEP_REJECTED);
	assert_int_equal(claim_next(CLAIM_RECOVERED, CANS_REFUND, RS_REFUNDED, false), CSTEP_NOTHING);
	assert_int_equal(claim_next(CLAIM_WRITTEN_OFF, CANS_REFUND, RS_REFUNDED, false), CSTEP_NOTHING);
}

static void
test_poll_after(void **state)
{
	(void)state;
	assert_int_equal(claim_poll_after(30, 0), 30);
	assert_int_equal(claim_poll_after(30, 299), 30);
	assert_int_equal(claim_poll_after(30, 3000), 300);       /* a tenth of its age */
	assert_int_equal(claim_poll_after(30, 7 * 86400), 3600); /* at most hourly */
	assert_int_equal(claim_poll_after(7200, 10), 3600);
	assert_int_equal(claim_poll_after(1, -5), 1);             /* a clock that went back */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_combination),
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_poll_after),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
