/* buyer_history.c: the one read behind the desk's "买家退款记录". */
#include <string.h>

#include "store/buyer_history.h"

enum rd_err
buyer_history_load(struct db *db, struct arena *a, const char *buyer_id, const char *merchant_id,
    struct buyer_history *h)
{
	struct dbval p[] = { DB_STR(buyer_id), DB_STR(merchant_id), DB_STR(merchant_id) };
	struct dbres res;
	enum rd_err e;

	memset(h, 0, sizeof(*h));
	if ((e = db_query(db, a, Q_BUYER_HISTORY, p, 3, &res)) != RD_OK)
		return e;
	for (size_t i = 0; i < res.nrows && h->n < BUYER_HISTORY_MAX; i++) {
		struct buyer_history_row *row = &h->rows[h->n++];
		row->public_id = db_cell(&res, i, 0);
		row->order_no = db_cell(&res, i, 6);
		row->state = ENUM_LOOKUP(refund_state_names, db_cell(&res, i, 1));
		row->type = ENUM_LOOKUP(refund_type_names, db_cell(&res, i, 2));
		row->amount = db_cell_int(&res, i, 3);
		row->created_at = db_cell_int(&res, i, 4);
	}
	if (res.nrows > 0)
		h->total = db_cell_int(&res, 0, 5);
	return RD_OK;
}
