/* ledger_check.c: invariants, stated once:
 *   H1 the holds row equals the ledger: amount, released, refunded, fees
 *   H2 open (held/frozen): escrow holds the whole amount, nothing moved out
 *   H3 resolved: held = released + refunded + fees, escrow is empty
 *   H4 a hold is resolved by exactly one transaction and one resolution row
 *      once resolved, and by none before
 *   H5 no amount on the hold is negative
 *   R1 refunded/refunding: one refund (or claw-back) transaction paying
 *      exactly refund_amount, and the fee exactly to the platform
 *   R2 any other state: no money moved for it
 *   R3 refunded to the original path: the payout happened once; refunding:
 *      not yet
 *   R4 only open states hold the order's open slot
 *   P1 an award only on appeal of a partial refund, paid once by exactly
 *      one appeal_refund movement of exactly the award
 *   P2 an award the original way: paid out once when refunded, not yet
 *      when refunding (the first payout happened before the appeal)
 *   C1 a claim's receivable was booked at exactly what it claims
 *   C2 its recovery and write-off in the ledger equal the row's
 *   C3 ended: claimed = recovered + written off; open: neither yet
 * Accounts (checked in SQL): every transaction sums to zero; no account is
 * negative but external:* and a merchant after a claw-back. */
#include <stdio.h>
#include "rules/domain.h"
#include "rules/ledger_check.h"

#define FAIL(...) do { if (n++ == 0) snprintf(msg, cap, __VA_ARGS__); } while (0)

int
check_hold(const struct hold_sums *h, char *msg, size_t cap)
{
	int n = 0;
	int st = ENUM_LOOKUP(hold_state_names, h->state);  /* -1: unknown, counts as resolved */
	int open = st >= 0 && hold_state_open((enum hold_state)st);

	if (h->amount != h->l_held || h->released != h->l_released ||
	    h->refunded != h->l_refunded || h->fees != h->l_fees)
		FAIL("H1 hold row (amount %lld released %lld refunded %lld fees %lld) differs from ledger "
		    "(%lld %lld %lld %lld)", (long long)h->amount, (long long)h->released,
		    (long long)h->refunded, (long long)h->fees, (long long)h->l_held,
		    (long long)h->l_released, (long long)h->l_refunded, (long long)h->l_fees);
	if (open && (h->l_escrow != h->amount || h->released || h->refunded || h->fees))
		FAIL("H2 open hold: escrow %lld of %lld, moved out %lld/%lld/%lld", (long long)h->l_escrow,
		    (long long)h->amount, (long long)h->released, (long long)h->refunded, (long long)h->fees);
	if (!open && (h->amount != h->released + h->refunded + h->fees || h->l_escrow != 0))
		FAIL("H3 resolved hold: %lld held != %lld released + %lld refunded + %lld fees (escrow %lld)",
		    (long long)h->amount, (long long)h->released, (long long)h->refunded,
		    (long long)h->fees, (long long)h->l_escrow);
	if (h->resolving_txns != (open ? 0 : 1) || h->resolutions != (open ? 0 : 1))
		FAIL("H4 hold %s resolved by %lld transactions, %lld resolution rows", h->state,
		    h->resolving_txns, h->resolutions);
	if (h->l_escrow < 0 || h->released < 0 || h->refunded < 0 || h->fees < 0)
		FAIL("H5 negative amount on the hold");
	return n;
}

int
check_refund(const struct refund_sums *r, char *msg, size_t cap)
{
	int n = 0;
	int st = ENUM_LOOKUP(refund_state_names, r->state);
	/* An appeal of a partial refund reopens a paid request in arbitration. */
	int paid = st == RS_REFUNDED || st == RS_REFUNDING || (st == RS_ARBITRATION && r->appealed == 2);
	int payout = ENUM_LOOKUP(destination_names, r->destination) == DEST_ORIGINAL &&
	    ENUM_LOOKUP(pay_channel_names, r->channel) != PAY_BALANCE;
	int final = st >= 0 && refund_state_final((enum refund_state)st);

	if (paid) {
		int64_t fee = ENUM_LOOKUP(txn_kind_names, r->txn_kind) == TXN_CLAWBACK ? 0 : r->fee;
		if (r->txn_kind[0] == '\0')
			FAIL("R1 %s refund has no money transaction", r->state);
		else if (r->l_paid != r->amount || r->l_fee != fee)
			FAIL("R1 %s refund paid %lld (fee %lld) but says %lld (fee %lld)", r->state,
			    (long long)r->l_paid, (long long)r->l_fee, (long long)r->amount, (long long)fee);
	} else if (r->txn_kind[0] != '\0' || r->l_paid != 0 || r->payout_txns != 0) {
		FAIL("R2 %s refund has money moved for it", r->state);
	}
	if (st == RS_REFUNDED && payout && r->payout_txns != 1)
		FAIL("R3 refunded the original way with %lld payouts", r->payout_txns);
	if (st == RS_REFUNDING && r->payout_txns != (r->award > 0 && payout ? 1 : 0))
		FAIL("R3 still refunding but paid out");
	if (r->l_award != r->award || (r->award != 0 && r->appealed != 2) || r->award < 0)
		FAIL("P1 award %lld (appealed %d) but the appeal_refund movement paid %lld", (long long)r->award,
		    r->appealed, (long long)r->l_award);
	int award_payout = r->award > 0 && payout && !r->payout_failed;
	if (r->award_payouts != (award_payout && st == RS_REFUNDED ? 1 : 0))
		FAIL("P2 %s award paid out %lld times", r->state, r->award_payouts);
	if (r->open != !final)
		FAIL("R4 %s refund %s the order's open slot", r->state, r->open ? "holds" : "does not hold");
	return n;
}

int
check_claim(const struct claim_sums *c, char *msg, size_t cap)
{
	int n = 0;
	int st = ENUM_LOOKUP(claim_state_names, c->state);

	if (st < 0)
		FAIL("C3 unknown claim state '%s'", c->state);
	if (c->l_claimed != c->amount)
		FAIL("C1 claimed %lld but the receivable was booked at %lld", (long long)c->amount,
		    (long long)c->l_claimed);
	if (c->l_recovered != c->recovered || c->l_written_off != c->written_off)
		FAIL("C2 recovered %lld / written off %lld, the ledger says %lld / %lld", (long long)c->recovered,
		    (long long)c->written_off, (long long)c->l_recovered, (long long)c->l_written_off);
	if (st >= 0 && claim_state_final(st) && c->l_claimed != c->l_recovered + c->l_written_off)
		FAIL("C3 ended %s: claimed %lld != recovered %lld + written off %lld", c->state,
		    (long long)c->l_claimed, (long long)c->l_recovered, (long long)c->l_written_off);
	if (st >= 0 && !claim_state_final(st) && (c->l_recovered != 0 || c->l_written_off != 0))
		FAIL("C3 still %s but money moved: recovered %lld, written off %lld", c->state,
		    (long long)c->l_recovered, (long long)c->l_written_off);
	return n;
}
