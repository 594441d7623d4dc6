/* refund_risk.h: the risk facts behind a request, as the rule saw them
 * when it was filed, for the desk's request page (rules/policy.h turns them
 * into figures with the limits). */
#ifndef RD_REFUND_RISK_H
#define RD_REFUND_RISK_H

#include "base/arena.h"
#include "rules/policy.h"
#include "store/db.h"

/* The counts Q_ORDER_SUBMIT_GET made at filing, counted again over the
 * same windows ending at the request's created_at (the request itself and
 * later ones left out): the buyer's requests in 24 h and 90 d, the
 * requests from its address in 1 h; the blacklist as it is now. */
enum rd_err refund_risk_load(struct db *db, struct arena *a, long long refund_id, struct risk_facts *out);

#endif
