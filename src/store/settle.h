/* settle.h: the hold's moves that are no refund transition (those are
 * rows of rules/flow.c, written by store/flow_apply.c). Inside a
 * transaction with the order locked. */
#ifndef RD_SETTLE_H
#define RD_SETTLE_H

#include "store/model.h"

/* The hold goes to the merchant (ledger_release) and escrow.released is
 * queued; reason is "confirmed" or "hold_period_ended". */
enum rd_err settle_release(struct db *db, struct arena *a, const struct order *o, const char *reason,
    long long now);
#endif
