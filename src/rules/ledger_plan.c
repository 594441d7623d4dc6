/* ledger_plan.c: the entries of each money movement, computed and checked
 * here so the one writer (ledger_post(), store/ledger.c) only writes them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "rules/ledger_plan.h"

bool
ledger_needs_payout(enum destination d, enum pay_channel ch)
{
	return d == DEST_ORIGINAL && ch != PAY_BALANCE;
}

static void
plan_start(struct ledger_plan *p, enum txn_kind kind, long long order_id, long long refund_id)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->order_id = order_id;
	p->refund_id = refund_id;
}

/* False when the text did not fit: a truncated account or key would post
 * money to the wrong place, so the plan is refused instead. */
static bool __attribute__((format(printf, 3, 4)))
fmt(char *out, size_t cap, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(out, cap, f, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < cap;
}

/* Adds `amount` to the account named by the format; a zero amount adds no
 * entry (the ledger keeps no empty lines). */
static bool __attribute__((format(printf, 3, 4)))
entry(struct ledger_plan *p, int64_t amount, const char *f, ...)
{
	va_list ap;
	int n;

	if (amount == 0)
		return true;
	if (p->n == PLAN_ENTRIES_MAX)
		return false;
	va_start(ap, f);
	n = vsnprintf(p->entry[p->n].account, sizeof(p->entry[p->n].account), f, ap);
	va_end(ap);
	if (n <= 0 || (size_t)n >= sizeof(p->entry[p->n].account))
		return false;
	p->entry[p->n++].amount = amount;
	return true;
}

/* -amount without wrapping: false past MONEY_MAX. */
static bool
neg(int64_t amount, int64_t *out)
{
	return money_sub(0, amount, out);
}

bool
ledger_plan_balanced(const struct ledger_plan *p)
{
	int64_t sum = 0;

	if (p->n > PLAN_ENTRIES_MAX || p->uniq[0] == '\0' || (unsigned)p->kind >= TXN__MAX)
		return false;
	for (size_t i = 0; i < p->n; i++)
		if (p->entry[i].amount == 0 || p->entry[i].account[0] == '\0' ||
		    !money_add(sum, p->entry[i].amount, &sum))
			return false;
	return sum == 0;
}

static enum rd_err
plan_done(const struct ledger_plan *p, bool ok)
{
	return ok && ledger_plan_balanced(p) ? RD_OK : RD_ERR_INTERNAL;
}

/* The buyer's side of a refund: payout:CHANNEL while the payment service
 * pays it out the original way, else the buyer's platform balance. */
static bool
refund_entry(struct ledger_plan *p, const struct plan_refund *rf)
{
	if (ledger_needs_payout(rf->dest, rf->channel))
		return entry(p, rf->amount, "payout:%s", pay_channel_names[rf->channel]);
	return entry(p, rf->amount, "buyer:%s", rf->buyer_id);
}

enum rd_err
ledger_plan_hold(struct ledger_plan *p, long long order_id, int64_t amount, enum pay_channel ch,
    long long release_at)
{
	int64_t out;
	bool ok;

	plan_start(p, TXN_HOLD, order_id, 0);
	p->hold = PLAN_HOLD_OPEN;
	p->amount = amount;
	p->release_at = release_at;
	ok = amount >= 0 && neg(amount, &out) && fmt(p->uniq, sizeof(p->uniq), "hold:%lld", order_id) &&
	    entry(p, out, "external:%s", pay_channel_names[ch]) && entry(p, amount, "escrow:%lld", order_id);
	return plan_done(p, ok);
}

enum rd_err
ledger_plan_release(struct ledger_plan *p, const struct plan_order *o)
{
	int64_t out;
	bool ok;

	plan_start(p, TXN_RELEASE, o->id, 0);
	if (!hold_state_open(o->state))
		return RD_ERR_CONFLICT;
	p->hold = PLAN_HOLD_RESOLVE;
	p->hold_to = HOLD_RELEASED;
	p->released = o->amount;
	ok = o->amount >= 0 && neg(o->amount, &out) && fmt(p->uniq, sizeof(p->uniq), "resolve:%lld", o->id) &&
	    entry(p, out, "escrow:%lld", o->id) && entry(p, o->amount, "merchant:%s", o->merchant_id);
	return plan_done(p, ok);
}

/* From the open hold: escrow empties into the buyer's side, the fee and
 * the rest (to the merchant). The hold is resolved as refunded. */
static enum rd_err
plan_refund_from_hold(struct ledger_plan *p, const struct plan_order *o, const struct plan_refund *rf)
{
	int64_t rest, out;
	bool ok;

	if (!money_sub(o->amount, rf->amount, &rest) || !money_sub(rest, rf->fee, &rest) || rest < 0)
		return RD_ERR_INTERNAL;
	p->kind = TXN_REFUND;
	p->hold = PLAN_HOLD_RESOLVE;
	p->hold_to = HOLD_REFUNDED;
	p->released = rest;
	p->refunded = rf->amount;
	p->fees = rf->fee;
	ok = neg(o->amount, &out) && entry(p, out, "escrow:%lld", o->id) && refund_entry(p, rf) &&
	    entry(p, rf->fee, "platform:fees") && entry(p, rest, "merchant:%s", o->merchant_id);
	return plan_done(p, ok);
}

/* After release the merchant has the money: take it back. No fee: the
 * merchant, not the platform, pays for a refund it let through. */
static enum rd_err
plan_clawback(struct ledger_plan *p, const struct plan_order *o, const struct plan_refund *rf)
{
	int64_t out;
	bool ok;

	if (rf->amount > o->released)
		return RD_ERR_CONFLICT;
	p->kind = TXN_CLAWBACK;
	p->hold = PLAN_HOLD_CLAWBACK;
	p->refunded = rf->amount;
	ok = neg(rf->amount, &out) && entry(p, out, "merchant:%s", o->merchant_id) && refund_entry(p, rf);
	return plan_done(p, ok);
}

enum rd_err
ledger_plan_refund(struct ledger_plan *p, const struct plan_order *o, const struct plan_refund *rf)
{
	plan_start(p, TXN_REFUND, o->id, rf->id);
	if (rf->amount <= 0 || rf->fee < 0 || rf->amount > MONEY_MAX || rf->fee > MONEY_MAX ||
	    !fmt(p->uniq, sizeof(p->uniq), "refund:%lld", rf->id))
		return RD_ERR_INTERNAL;
	if (hold_state_open(o->state))
		return plan_refund_from_hold(p, o, rf);
	if (o->state == HOLD_RELEASED)
		return plan_clawback(p, o, rf);
	return RD_ERR_CONFLICT;                  /* already refunded */
}

int64_t
ledger_award_max(const struct plan_order *o, int64_t paid, const struct plan_refund *rf)
{
	int64_t left;

	if (!money_sub(paid, rf->amount, &left) || !money_sub(left, rf->fee, &left) || left <= 0 ||
	    o->released <= 0)
		return 0;
	return left < o->released ? left : o->released;
}

enum rd_err
ledger_plan_appeal_refund(struct ledger_plan *p, const struct plan_order *o, const struct plan_refund *rf)
{
	struct plan_refund award = *rf;
	int64_t out;
	bool ok;

	plan_start(p, TXN_APPEAL_REFUND, o->id, rf->id);
	if (rf->award <= 0 || rf->award > MONEY_MAX || !fmt(p->uniq, sizeof(p->uniq), "appeal_refund:%lld", rf->id))
		return RD_ERR_INTERNAL;
	/* Only after the partial resolved the hold, and only what the merchant got. */
	if (hold_state_open(o->state) || rf->award > o->released)
		return RD_ERR_CONFLICT;
	award.amount = rf->award;
	p->hold = PLAN_HOLD_AWARD;
	p->refunded = rf->award;
	ok = neg(rf->award, &out) && entry(p, out, "merchant:%s", o->merchant_id) && refund_entry(p, &award);
	return plan_done(p, ok);
}

bool
ledger_plan_payout_key(long long refund_id, bool award, char out[PLAN_UNIQ_MAX])
{
	return fmt(out, PLAN_UNIQ_MAX, "%s:%lld", award ? "appeal_payout" : "payout", refund_id);
}

/* The pending payout: the award's once there is one, else the refund's. */
static bool
plan_payout_from(struct ledger_plan *p, const struct plan_refund *rf, enum txn_kind kind, int64_t *amount)
{
	int64_t out;

	plan_start(p, kind, rf->order_id, rf->id);
	*amount = rf->award > 0 ? rf->award : rf->amount;
	return *amount > 0 && neg(*amount, &out) && ledger_plan_payout_key(rf->id, rf->award > 0, p->uniq) &&
	    entry(p, out, "payout:%s", pay_channel_names[rf->channel]);
}

enum rd_err
ledger_plan_payout_done(struct ledger_plan *p, const struct plan_refund *rf)
{
	int64_t amount;
	bool ok = plan_payout_from(p, rf, TXN_PAYOUT, &amount) &&
	    entry(p, amount, "external:%s", pay_channel_names[rf->channel]);
	return plan_done(p, ok);
}

enum rd_err
ledger_plan_payout_to_balance(struct ledger_plan *p, const struct plan_refund *rf)
{
	int64_t amount;
	bool ok = plan_payout_from(p, rf, TXN_PAYOUT_BALANCE, &amount) &&
	    entry(p, amount, "buyer:%s", rf->buyer_id);
	return plan_done(p, ok);
}

/* A claim's movements, each between two of its three accounts:
 *   claim            external:supplier:ID -> claim:PUBLIC_ID
 *   claim_recovered  claim:PUBLIC_ID -> merchant_recovery:MERCHANT
 *   claim_write_off  claim:PUBLIC_ID -> external:supplier:ID
 * keyed by the claim's public id and the movement. */
static enum rd_err
plan_claim_move(struct ledger_plan *p, enum txn_kind kind, const struct plan_claim *c, int64_t amount)
{
	char claim[PLAN_ACCOUNT_MAX + 1], sup[PLAN_ACCOUNT_MAX + 1], rec[PLAN_ACCOUNT_MAX + 1];
	const char *from = claim, *to = kind == TXN_CLAIM_RECOVERED ? rec : sup;
	const char *key = kind == TXN_CLAIM ? "claim" : kind == TXN_CLAIM_RECOVERED ? "claimrec" : "claimoff";
	int64_t out;
	bool ok;

	plan_start(p, kind, c->order_id, c->refund_id);
	if (kind == TXN_CLAIM) {
		from = sup;
		to = claim;
	}
	if (amount <= 0)
		return RD_ERR_INTERNAL;
	ok = fmt(claim, sizeof(claim), "claim:%s", c->public_id) &&
	    fmt(sup, sizeof(sup), "external:supplier:%s", c->supplier) &&
	    fmt(rec, sizeof(rec), "merchant_recovery:%s", c->merchant_id) &&
	    neg(amount, &out) && fmt(p->uniq, sizeof(p->uniq), "%s:%s", key, c->public_id) &&
	    entry(p, out, "%s", from) && entry(p, amount, "%s", to);
	return plan_done(p, ok);
}

enum rd_err
ledger_plan_claim(struct ledger_plan *p, const struct plan_claim *c, int64_t amount)
{
	return plan_claim_move(p, TXN_CLAIM, c, amount);
}

enum rd_err
ledger_plan_claim_recovered(struct ledger_plan *p, const struct plan_claim *c, int64_t amount)
{
	return plan_claim_move(p, TXN_CLAIM_RECOVERED, c, amount);
}

enum rd_err
ledger_plan_claim_write_off(struct ledger_plan *p, const struct plan_claim *c, int64_t amount)
{
	return plan_claim_move(p, TXN_CLAIM_WRITE_OFF, c, amount);
}
