/* ledger_check.h: the invariants `check-ledger` proves, as pure functions
 * over the sums the database reports, so each rule is unit-tested. */
#ifndef RD_LEDGER_CHECK_H
#define RD_LEDGER_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* One order's hold as stored, and as the ledger entries add up. */
struct hold_sums {
	const char *state;                   /* hold_state_names[], or a stray text to report */
	int64_t amount, released, refunded, fees;             /* the holds row */
	int64_t l_held, l_released, l_refunded, l_fees;       /* from entries */
	int64_t l_escrow;                    /* escrow account balance */
	long long resolving_txns, resolutions;
};

/* One refund as stored, and its money movements. */
struct refund_sums {
	const char *state, *destination, *channel;
	int64_t amount, fee;
	const char *txn_kind;                /* "" none, or txn_kind_names[TXN_REFUND or TXN_CLAWBACK] */
	int64_t l_paid, l_fee;               /* to buyer:/payout:, to platform:fees */
	long long payout_txns;
	int open;                            /* holds the order's open slot */
	/* An appeal of a partial refund (appealed 2): the award, what the
	 * appeal_refund movement paid, its own payouts (appeal_payout:ID). */
	int appealed;                        /* 0, 1 a rejection, 2 a partial refund */
	int64_t award, l_award;
	long long award_payouts;
	int payout_failed;                   /* the first payout failed: the award went to the balance */
};

/* One claim up the chain as stored, and its ledger (claim:PUBLIC_ID). */
struct claim_sums {
	const char *state;                   /* claim_state_names[], or a stray text to report */
	int64_t amount, recovered, written_off;              /* the claim row */
	int64_t l_claimed, l_recovered, l_written_off;       /* from entries */
};

/* Each returns the number of violations and writes the first one's text. */
int check_hold(const struct hold_sums *h, char *msg, size_t cap);
int check_refund(const struct refund_sums *r, char *msg, size_t cap);
int check_claim(const struct claim_sums *c, char *msg, size_t cap);

#endif
