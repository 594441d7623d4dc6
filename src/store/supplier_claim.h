/* supplier_claim.h: claims up the chain (CONTRACT.md §7), in the database:
 * booked with the refund's approval, moved on by the worker (a desk
 * supplier, claim_follow.c) or the storefront (a supplier it reaches), and
 * settled into the ledger. Each function runs inside the caller's
 * transaction; every write is deferred. */
#ifndef RD_SUPPLIER_CLAIM_H
#define RD_SUPPLIER_CLAIM_H

#include <json-c/json.h>

#include "store/model.h"

struct claim {
	long long id, order_id, refund_id, expires_at, created_at;
	const char *public_id, *supplier, *merchant_id, *supplier_refund_id;
	const char *order_no, *upstream_order_no, *refund_public_id, *reason;
	enum refund_type type;
	enum claim_state state;
	int64_t amount, recovered, written_off;
	int attempts;
};

/* An approval paid rf from o: when o was bought from a supplier (its
 * upstream) and the supplier answers for rf's type in o's category, books
 * the claim (pending; once per order), its receivable, and the webhooks supplier_claim.filed
 * (and supplier_claim.requested for a storefront-reached supplier). */
enum rd_err claim_on_approval(struct db *db, struct arena *a, const struct refund *rf, const struct order *o,
    long long now);

/* Locks the claim by its public id, or the order's latest one. */
enum rd_err claim_lock(struct db *db, struct arena *a, const char *public_id, struct claim *c);
enum rd_err claim_lock_of_order(struct db *db, struct arena *a, const char *order_no, struct claim *c);

/* The supplier took it as its refund supplier_refund_id: pending -> filed. */
enum rd_err claim_mark_filed(struct db *db, struct claim *c, const char *supplier_refund_id, long long now,
    long long next_at);
/* Nothing decided yet: look again at next_at (a failure counts an attempt). */
enum rd_err claim_later(struct db *db, struct claim *c, long long now, long long next_at, const char *error);
/* The end: outcome CLAIM_RECOVERED (recovered <= amount; the rest is written
 * off), CLAIM_REJECTED or CLAIM_WRITTEN_OFF (all written off). Posts the
 * ledger and the webhook supplier_claim.settled. RD_ERR_CONFLICT when the
 * claim has ended already. */
enum rd_err claim_settle(struct db *db, struct arena *a, struct claim *c, enum claim_state outcome,
    int64_t recovered, long long now);

/* GET /api/v1/orders/NO's "upstream_claim" (NULL: the order has none). */
enum rd_err claim_json_of_order(struct db *db, struct arena *a, long long order_id, json_object **out);

#endif
