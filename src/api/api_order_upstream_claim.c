/* api_order_upstream_claim.c: POST /api/v1/orders/NO/upstream-claim: the
 * storefront reports how a supplier it reaches itself (config suppliers
 * kind "storefront") answered the claim it was asked to make
 * (supplier_claim.requested): `state` refunded (with the `amount` that came
 * back) or rejected. The same report again is a no-op 200; a different one
 * after the claim ended is 409. A desk supplier's claim is the worker's to
 * follow: 409. */
#include <string.h>

#include "api/api.h"
#include "base/config.h"
#include "base/money.h"
#include "pages/handlers.h"
#include "store/db.h"
#include "store/supplier_claim.h"
#include "web/sign.h"

enum outcome { OUT_REFUNDED, OUT_REJECTED, OUT__MAX };
static const char *const outcome_names[OUT__MAX] = { "refunded", "rejected" };

struct report {
	const char *order_no;
	enum outcome state;
	long long amount;
	long long now;
	struct arena *a;
	struct claim c;
	const char *refusal;       /* code of a 409/422 refusal, or NULL */
	bool repeated;             /* the claim already ended this way */
};

static enum rd_err
report_tx(struct db *db, void *ctx)
{
	struct report *rp = ctx;
	enum rd_err e;

	rp->refusal = NULL;
	rp->repeated = false;
	if ((e = claim_lock_of_order(db, rp->a, rp->order_no, &rp->c)) != RD_OK)
		return e;
	const struct supplier *sup = supplier_find(&db_config(db)->claims, rp->c.supplier);
	if (sup != NULL && sup->kind == SUPPLIER_DESK) {
		rp->refusal = "desk_supplier";
		return RD_OK;
	}
	enum claim_state to = rp->state == OUT_REFUNDED ? CLAIM_RECOVERED : CLAIM_REJECTED;
	if (claim_state_final(rp->c.state)) {
		if (rp->c.state == to && rp->c.recovered == (rp->state == OUT_REFUNDED ? rp->amount : 0))
			rp->repeated = true;
		else
			rp->refusal = "claim_settled";
		return RD_OK;
	}
	if (rp->amount > rp->c.amount) {
		rp->refusal = "amount_too_large";
		return RD_OK;
	}
	return claim_settle(db, rp->a, &rp->c, to, rp->state == OUT_REFUNDED ? rp->amount : 0, rp->now);
}

void
api_order_upstream_claim(struct req *r)
{
	json_object *root, *claim;
	struct report rp = { .order_no = r->params[0], .now = r->now, .a = r->a };
	bool has_amount;
	int st;
	enum rd_err e;

	if (!api_begin(r, &root))
		return;
	if (root == NULL) {
		api_error(r, 400, "bad_json", "a JSON object is required");
		return;
	}
	if ((st = api_enum(r, root, "state", outcome_names, OUT__MAX, false)) < 0 ||
	    !api_int(r, root, "amount", 0, MONEY_MAX, st == OUT_REJECTED, &has_amount, &rp.amount)) {
		json_object_put(root);
		return;
	}
	json_object_put(root);
	rp.state = (enum outcome)st;
	if (rp.state == OUT_REFUNDED && rp.amount == 0) {
		api_error(r, 422, "out_of_range", "amount: a refund of nothing is a rejection (state rejected)");
		return;
	}
	if (rp.state == OUT_REJECTED)
		rp.amount = 0;
	if (!ident_valid(rp.order_no, ORDER_NO_MAX)) {
		api_error(r, 404, "not_found", "no such order");
		return;
	}
	e = db_tx(r->app->db, report_tx, &rp);
	if (e == RD_ERR_NOTFOUND) {
		api_error(r, 404, "not_found", "no claim on the supplier for this order");
		return;
	}
	if (e != RD_OK) {
		api_fail(r, e);
		return;
	}
	if (rp.refusal != NULL) {
		if (strcmp(rp.refusal, "amount_too_large") == 0)
			api_error(r, 422, rp.refusal, "amount is more than the claim (%lld)", (long long)rp.c.amount);
		else if (strcmp(rp.refusal, "desk_supplier") == 0)
			api_error(r, 409, rp.refusal, "this supplier runs a desk: the claim is followed there");
		else
			api_error(r, 409, rp.refusal, "the claim has ended as %s", claim_state_names[rp.c.state]);
		return;
	}
	if ((e = claim_json_of_order(r->app->db, r->a, rp.c.order_id, &claim)) != RD_OK) {
		api_fail(r, e);
		return;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "upstream_claim", claim);
	api_json(r, 200, resp);
}
