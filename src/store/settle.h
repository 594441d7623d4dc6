/* settle.h: approving a refund and paying it, the same whether an instant
 * decision, a reviewer, or a merchant's silence approved it. Inside a
 * transaction with the order and the refund locked. */
#ifndef RD_SETTLE_H
#define RD_SETTLE_H

#include "store/model.h"

/* approved -> (money moves) -> refunded (balance) or refunding (original
 * path, payout requested); events and webhooks in the same transaction. */
enum rd_err settle_refund(struct db *db, struct arena *a, const struct order *o, struct refund *rf,
    bool recycle_item, const char *actor, const char *note, long long now);
/* The hold goes to the merchant (ledger_release) and escrow.released is
 * queued; reason is "confirmed" or "hold_period_ended". */
enum rd_err settle_release(struct db *db, struct arena *a, const struct order *o, const char *reason,
    long long now);
/* A request that ends without money (cancelled, closed, rejected): the
 * hold is unfrozen. */
enum rd_err settle_unfreeze(struct db *db, long long order_id);

#endif
