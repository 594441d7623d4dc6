/* ledger_plan.h: every money movement as a pure function that returns its
 * ledger transaction (kind, unique key, entries) and what it does to the
 * order's holds row, with no I/O. ledger_post() (store/ledger.c) writes a plan as
 * one transaction's statements; nothing else writes the ledger.
 *
 * A plan is balanced: its entries sum to zero, each within +-MONEY_MAX,
 * added with money_add so no amount can wrap. A builder returns
 * RD_ERR_INTERNAL for an input that would break that (a bug upstream) and
 * RD_ERR_CONFLICT when the hold is past the movement (already resolved,
 * or a claw-back larger than what the merchant was paid).
 *
 * Accounts: escrow:ORDER_ID  merchant:ID  buyer:ID (platform balance)
 *           platform:fees    payout:CHANNEL (owed to the buyer, being paid
 *           out the original way)  external:CHANNEL (money outside us) */
#ifndef RD_LEDGER_PLAN_H
#define RD_LEDGER_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "rules/domain.h"

#define PLAN_ENTRIES_MAX 4
#define PLAN_ACCOUNT_MAX 96       /* ledger_entries.account VARCHAR(96) */
#define PLAN_UNIQ_MAX 40

/* The order's hold, as a plan reads it. */
struct plan_order {
	long long id;
	const char *merchant_id;
	enum hold_state state;
	int64_t amount;               /* the hold */
	int64_t released;             /* what the merchant has of it */
};

/* The refund being paid. */
struct plan_refund {
	long long id, order_id;
	const char *buyer_id;
	enum destination dest;
	enum pay_channel channel;     /* the order's payment channel */
	int64_t amount, fee;          /* amount: what the buyer gets */
	int64_t award;                /* the arbiter's award on appeal of a partial (0: none) */
};

/* What a movement writes to the holds row beside its entries. */
enum plan_hold {
	PLAN_HOLD_NONE,               /* payouts: the hold was resolved before */
	PLAN_HOLD_OPEN,               /* insert it, held, for amount until release_at */
	PLAN_HOLD_RESOLVE,            /* open -> hold_to, adding the three amounts;
				       * one hold_resolutions row of the txn's kind */
	PLAN_HOLD_CLAWBACK,           /* released stays released, .refunded moves
				       * from its released column to refunded */
	PLAN_HOLD_AWARD,              /* as _CLAWBACK, on a hold resolved either way */
};

struct plan_entry {
	char account[PLAN_ACCOUNT_MAX + 1];
	int64_t amount;               /* signed; never 0 (a zero entry is left out) */
};

struct ledger_plan {
	enum txn_kind kind;
	char uniq[PLAN_UNIQ_MAX];     /* ledger_txns.uniq_key: at most once */
	long long order_id, refund_id; /* refund_id 0: none */
	struct plan_entry entry[PLAN_ENTRIES_MAX];
	size_t n;
	enum plan_hold hold;
	enum hold_state hold_to;      /* PLAN_HOLD_RESOLVE */
	int64_t amount;               /* PLAN_HOLD_OPEN */
	long long release_at;         /* PLAN_HOLD_OPEN */
	int64_t released, refunded, fees; /* PLAN_HOLD_RESOLVE, _CLAWBACK */
};

/* Payment: external:CHANNEL -> escrow:ORDER, opens the hold. */
enum rd_err ledger_plan_hold(struct ledger_plan *p, long long order_id, int64_t amount, enum pay_channel ch,
    long long release_at);
/* The whole open hold to the merchant. */
enum rd_err ledger_plan_release(struct ledger_plan *p, const struct plan_order *o);
/* A refund: from the open hold (fee to the platform, the rest released to
 * the merchant), or once released a claw-back from the merchant. The buyer's
 * side is payout:CHANNEL or buyer:ID (ledger_needs_payout). */
enum rd_err ledger_plan_refund(struct ledger_plan *p, const struct plan_order *o, const struct plan_refund *rf);
/* The payment service paid an original-path refund out: payout -> external.
 * With rf->award set, the pending payout is the award's (the first was paid
 * before the appeal could be made). */
enum rd_err ledger_plan_payout_done(struct ledger_plan *p, const struct plan_refund *rf);
/* A failed payout goes to the buyer's platform balance: payout -> buyer. */
enum rd_err ledger_plan_payout_to_balance(struct ledger_plan *p, const struct plan_refund *rf);

/* A claim up the chain (CONTRACT.md §7) on the order's supplier. Accounts:
 * claim:PUBLIC_ID (the receivable), external:supplier:ID (money outside us,
 * at the supplier), merchant_recovery:ID (what came back to the merchant
 * who bore the refund). Per claim: claimed = recovered + written off. */
struct plan_claim {
	long long order_id, refund_id;
	const char *public_id, *supplier, *merchant_id;
};
/* Filing books the receivable: external:supplier:ID -> claim:PUBLIC_ID. */
enum rd_err ledger_plan_claim(struct ledger_plan *p, const struct plan_claim *c, int64_t amount);
/* The supplier refunded `amount` of it: claim -> merchant_recovery:MERCHANT. */
enum rd_err ledger_plan_claim_recovered(struct ledger_plan *p, const struct plan_claim *c, int64_t amount);
/* Rejected or expired: what is left of the receivable goes back out
 * (claim -> external:supplier:ID); the merchant keeps the refund's loss. */
enum rd_err ledger_plan_claim_write_off(struct ledger_plan *p, const struct plan_claim *c, int64_t amount);

/* The arbiter's award on appeal of a partial refund (rf->award), key
 * "appeal_refund:REFUND_ID": the rest of the hold went to the merchant, so
 * the award is taken back from it (merchant:ID -> the buyer's side, as the
 * first refund went). At most ledger_award_max(); RD_ERR_CONFLICT past it
 * or while the hold is still open. */
enum rd_err ledger_plan_appeal_refund(struct ledger_plan *p, const struct plan_order *o,
    const struct plan_refund *rf);
/* The most an award may be: what the buyer paid less what was refunded and
 * the fee the policy kept (the fee stays the platform's), and never more
 * than the merchant holds of the order. 0 when nothing is left. */
int64_t ledger_award_max(const struct plan_order *o, int64_t paid, const struct plan_refund *rf);

/* The one key both payout outcomes share ("payout:REFUND_ID", or
 * "appeal_payout:REFUND_ID" for the award's own payout), so only one of
 * them is ever posted; false if it does not fit. */
bool ledger_plan_payout_key(long long refund_id, bool award, char out[PLAN_UNIQ_MAX]);

/* True when the plan's entries are within range, non-zero, and sum to zero. */
bool ledger_plan_balanced(const struct ledger_plan *p);
/* True when the refund's money goes to payout:CHANNEL (not straight to balance). */
bool ledger_needs_payout(enum destination d, enum pay_channel ch);

#endif
