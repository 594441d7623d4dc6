/* refund_risk.c: one read of a request's risk facts (Q_REFUND_RISK). */
#include <string.h>

#include "store/refund_risk.h"

enum rd_err
refund_risk_load(struct db *db, struct arena *a, long long refund_id, struct risk_facts *out)
{
	struct dbval p[] = { DB_INT(refund_id) };
	struct dbres res;
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_query(db, a, Q_REFUND_RISK, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_ERR_NOTFOUND;
	out->refunds_24h = (int)db_cell_int(&res, 0, 0);
	out->refunds_90d = (int)db_cell_int(&res, 0, 1);
	out->ip_requests_1h = (int)db_cell_int(&res, 0, 2);
	out->blacklisted = db_cell_int(&res, 0, 3) > 0;
	return RD_OK;
}
