/* buyer_history.h: a buyer's recent refunds, for the desk's refund page. */
#ifndef RD_BUYER_HISTORY_H
#define RD_BUYER_HISTORY_H

#include <stdint.h>

#include "base/arena.h"
#include "rules/domain.h"
#include "store/db.h"

#define BUYER_HISTORY_MAX 20           /* the newest shown (Q_BUYER_HISTORY's LIMIT) */

struct buyer_history_row {
	const char *public_id, *order_no; /* the desk page links each */
	int state;                     /* enum refund_state, -1 when unknown to this build */
	int type;                      /* enum refund_type, -1 likewise */
	int64_t amount;
	long long created_at;
};

struct buyer_history {
	struct buyer_history_row rows[BUYER_HISTORY_MAX];
	size_t n;
	long long total;               /* all of the buyer's refunds, not only those shown */
};

/* The buyer's newest refunds, only those of merchant_id's orders unless it
 * is "". */
enum rd_err buyer_history_load(struct db *db, struct arena *a, const char *buyer_id,
    const char *merchant_id, struct buyer_history *h);

#endif
