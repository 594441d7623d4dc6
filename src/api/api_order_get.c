/* api_order_get.c: GET /api/v1/orders/NO: the order, its hold and refunds;
 * for an API client (X-RD-Client), its own buyer's orders only. */
#include <string.h>

#include "api/api.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/supplier_claim.h"

void
api_order_get(struct req *r)
{
	json_object *root;
	struct order o;
	struct refund *rfs;
	size_t n;
	enum rd_err e;

	const char *buyer;

	if (!api_begin_as(r, &root, true, &buyer))
		return;
	/* An API client sees its buyer's orders only: any other is "not found". */
	if ((e = order_load(r->app->db, r->a, r->params[0], false, &o)) == RD_OK && buyer != NULL &&
	    strcmp(o.buyer_id, buyer) != 0)
		e = RD_ERR_NOTFOUND;
	if (e != RD_OK || (e = refunds_of_order(r->app->db, r->a, r->params[0], &rfs, &n)) != RD_OK) {
		api_fail(r, e);
		return;
	}
	/* The claim on the supplier is the merchant's business, not a buyer's:
	 * the storefront sees it (null when none), an API client does not. */
	json_object *claim = NULL;
	if (buyer == NULL && (e = claim_json_of_order(r->app->db, r->a, o.id, &claim)) != RD_OK) {
		api_fail(r, e);
		return;
	}
	json_object *resp = json_object_new_object(), *list = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(list, api_refund_json_for(&rfs[i], buyer));
	json_object_object_add(resp, "order", api_order_json(&o));
	json_object_object_add(resp, "refunds", list);
	if (buyer == NULL)
		json_object_object_add(resp, "upstream_claim", claim);
	api_json(r, 200, resp);
}
