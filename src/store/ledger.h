/* ledger.h: the escrow hold and its double-entry ledger. Every money
 * movement is one ledger_txns row (unique key: it happens at most once) with
 * entries summing to zero; the holds row is a cache of those sums, written
 * in the same transaction. Each function below plans its movement
 * (rules/ledger_plan.h, where the accounts are listed) and posts the plan.
 * Call these inside db_tx() only. */
#ifndef RD_LEDGER_H
#define RD_LEDGER_H

#include "rules/ledger_plan.h"
#include "store/model.h"

/* The plans' view of an order's hold and of a refund (also for the
 * desk's preview, which plans without posting). */
struct plan_order plan_order_of(const struct order *o);
struct plan_refund plan_refund_of(const struct refund *rf);

/* Payment: external:CHANNEL -> escrow:ORDER, opens the hold. */
enum rd_err ledger_hold(struct db *db, long long order_id, int64_t amount, enum pay_channel ch,
    long long release_at, long long now);
/* The hold goes to the merchant (buyer confirmed, or the hold period ended
 * with nothing open). RD_ERR_CONFLICT when it is already resolved. */
enum rd_err ledger_release(struct db *db, const struct order *o, long long now);
/* Pays a refund: from the hold while it is unresolved (the fee to the
 * platform, the rest released to the merchant), else as a claw-back from
 * the merchant. Original-path refunds of card payments go to payout:CHANNEL
 * until the payment service confirms. RD_ERR_CONFLICT when already paid. */
enum rd_err ledger_refund(struct db *db, const struct order *o, const struct refund *rf, long long now);
/* The arbiter's award on appeal of a partial refund (rf->award): taken back
 * from the merchant (appeal_refund:ID), to the buyer's side as the first
 * refund went (plan_refund_of). RD_ERR_CONFLICT past what the merchant has. */
enum rd_err ledger_appeal_refund(struct db *db, const struct order *o, const struct refund *rf, long long now);
/* The payment service paid an original-path refund out: payout -> external
 * (the award's payout once there is an award). */
enum rd_err ledger_payout_done(struct db *db, const struct refund *rf, long long now);
/* Moves a failed payout to the buyer's platform balance instead. */
enum rd_err ledger_payout_to_balance(struct db *db, const struct refund *rf, long long now);
/* Writes a plan (rules/ledger_plan.h) as one ledger transaction: its row,
 * its entries, its hold resolution and the holds row, all deferred. The
 * functions above are this after their plan; a new movement needs only its
 * plan. RD_ERR_INTERNAL for a plan that does not balance. */
enum rd_err ledger_post(struct db *db, const struct ledger_plan *p, long long now);
/* How the refund's payout (award: the award's) went out: TXN_PAYOUT,
 * TXN_PAYOUT_BALANCE, or TXN__MAX when it has not. */
enum rd_err ledger_payout_kind(struct db *db, struct arena *a, long long refund_id, bool award,
    enum txn_kind *kind);
/* A request opened for review freezes the open hold (held -> frozen), and
 * one that ends without money unfreezes it; no money moves. A hold in any
 * other state is left as it is. */
enum rd_err ledger_freeze(struct db *db, long long order_id);
enum rd_err ledger_unfreeze(struct db *db, long long order_id);

#endif
