/* api_refund_get.c: GET /api/v1/refunds/ID: one refund with its timeline;
 * for an API client, its own buyer's refunds only. */
#include <string.h>

#include "api/api.h"
#include "store/db.h"
#include "pages/handlers.h"

void
api_refund_get(struct req *r)
{
	json_object *root;
	struct refund rf;
	enum rd_err e;

	const char *buyer;

	if (!api_begin_as(r, &root, true, &buyer))
		return;
	if ((e = refund_load(r->app->db, r->a, r->params[0], false, &rf)) == RD_OK && buyer != NULL &&
	    strcmp(rf.buyer_id, buyer) != 0)
		e = RD_ERR_NOTFOUND;                 /* another buyer's: never confirmed to a client */
	if (e != RD_OK) {
		api_fail(r, e);
		return;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "refund", api_refund_json_for(&rf, buyer));
	api_json(r, 200, resp);
}
