/* refund_risk.h: the risk facts behind a request, as the rule saw them
 * when it was filed, for the desk's request page (rules/policy.h turns them
 * into figures with the limits). */
#ifndef RD_REFUND_RISK_H
#define RD_REFUND_RISK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "rules/policy.h"
#include "store/db.h"

/* The counts Q_ORDER_SUBMIT_GET made at filing, counted again over the
 * same windows ending at the request's created_at (the request itself and
 * later ones left out): the buyer's requests in 24 h and 90 d, the
 * requests from its address in 1 h; the blacklist as it is now. */
/* i15-console: the order's upstream (what it was bought for, from whom)
 * and its claim up the chain, when it has them: read in the same round
 * trip as the risk facts. */
struct desk_upstream {
	bool has;                      /* the order was bought from a supplier */
	const char *supplier, *order_no;
	int64_t cost;
	bool has_claim;
	const char *claim_id, *supplier_refund_id;
	int claim_state;               /* enum claim_state, -1 when unknown to this build */
	int64_t amount, recovered, written_off;
	long long filed_at, updated_at; /* booked; last changed (settled, once final) */
};

enum rd_err refund_risk_load(struct db *db, struct arena *a, long long refund_id, struct risk_facts *out,
    struct desk_upstream *up);

#endif
