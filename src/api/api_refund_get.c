/* api_refund_get.c: GET /api/v1/refunds/ID: one refund with its timeline. */
#include "api/api.h"
#include "store/db.h"
#include "pages/handlers.h"

void
api_refund_get(struct req *r)
{
	json_object *root;
	struct refund rf;
	enum rd_err e;

	if (!api_begin(r, &root))
		return;
	if ((e = refund_load(r->app->db, r->a, r->params[0], false, &rf)) != RD_OK) {
		api_fail(r, e);
		return;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "refund", api_refund_json(&rf));
	api_json(r, 200, resp);
}
