/* refund_risk.c: one read of a request's risk facts and its order's
 * upstream and claim (Q_REFUND_RISK). */
#include <string.h>

#include "rules/domain.h"
#include "store/refund_risk.h"

enum rd_err
refund_risk_load(struct db *db, struct arena *a, long long refund_id, struct risk_facts *out,
    struct desk_upstream *up)
{
	struct dbval p[] = { DB_INT(refund_id) };
	struct dbres res;
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	memset(up, 0, sizeof(*up));
	if ((e = db_query(db, a, Q_REFUND_RISK, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_ERR_NOTFOUND;
	out->refunds_24h = (int)db_cell_int(&res, 0, 0);
	out->refunds_90d = (int)db_cell_int(&res, 0, 1);
	out->ip_requests_1h = (int)db_cell_int(&res, 0, 2);
	out->blacklisted = db_cell_int(&res, 0, 3) > 0;
	if ((up->has = !res.cells[4].null)) {
		up->supplier = db_cell(&res, 0, 4);
		up->order_no = db_cell(&res, 0, 5);
		up->cost = db_cell_int(&res, 0, 6);
	}
	if ((up->has_claim = !res.cells[7].null)) {
		up->claim_id = db_cell(&res, 0, 7);
		up->claim_state = ENUM_LOOKUP(claim_state_names, db_cell(&res, 0, 8));
		up->amount = db_cell_int(&res, 0, 9);
		up->recovered = db_cell_int(&res, 0, 10);
		up->written_off = db_cell_int(&res, 0, 11);
		up->supplier_refund_id = db_cell(&res, 0, 12);
		up->filed_at = db_cell_int(&res, 0, 13);
		up->updated_at = db_cell_int(&res, 0, 14);
	}
	return RD_OK;
}
