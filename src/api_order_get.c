/* api_order_get.c: GET /api/v1/orders/NO: the order, its hold and refunds. */
#include "api.h"
#include "db.h"
#include "handlers.h"

void
api_order_get(struct req *r)
{
	json_object *root;
	struct order o;
	struct dbres res;
	enum rd_err e;

	if (!api_begin(r, &root))
		return;
	struct dbval p[] = { DB_STR(r->params[0]) };
	if ((e = order_load(r->app->db, r->a, r->params[0], false, &o)) != RD_OK ||
	    (e = db_query(r->app->db, r->a, Q_REFUNDS_OF_ORDER, p, 1, &res)) != RD_OK) {
		api_fail(r, e);
		return;
	}
	json_object *resp = json_object_new_object(), *list = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++) {
		struct refund rf;
		refund_from_row(&res, i, &rf);
		json_object_array_add(list, api_refund_json(&rf));
	}
	json_object_object_add(resp, "order", api_order_json(&o));
	json_object_object_add(resp, "refunds", list);
	api_json(r, 200, resp);
}
