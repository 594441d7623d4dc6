/* claim_rules.c: a claim's next step (claim_rules.h). */
#include "rules/claim_rules.h"

enum claim_step
claim_next(enum claim_state state, enum claim_answer ans, enum refund_state refund_state, bool expired)
{
	if (claim_state_final(state))
		return CSTEP_NOTHING;
	if (ans == CANS_REFUSED)
		return CSTEP_REJECTED;
	if (ans == CANS_REFUND) {
		switch (refund_state) {
		case RS_REFUNDED:
			return CSTEP_RECOVERED;
		case RS_REJECTED:       /* final for the claim: an appeal there is the supplier's business */
		case RS_CANCELLED:
		case RS_CLOSED:
			return CSTEP_REJECTED;
		default:
			/* Still deciding there; past our expiry we stop waiting. */
			return expired ? CSTEP_WRITE_OFF : CSTEP_FILED;
		}
	}
	return expired ? CSTEP_WRITE_OFF : CSTEP_LATER;
}

long long
claim_poll_after(long long poll_secs, long long age)
{
	long long wait = age / 10;

	if (wait < poll_secs)
		wait = poll_secs;
	return wait < 3600 ? wait : 3600;
}
