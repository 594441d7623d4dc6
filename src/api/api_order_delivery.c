/* api_order_delivery.c: POST /api/v1/orders/NO/delivery: the storefront
 * reports delivery (or its failure); the form offers change at once. */
#include <string.h>

#include "api/api.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/upstream_ask.h"

struct delivery {
	const char *order_no;
	int state, kind;
	long long at;
	bool stale;                /* older than the stored delivered_at */
	struct arena *a;
	const struct config *cfg;
	long long now;
	struct order o;
};

static enum rd_err
delivery_tx(struct db *db, void *ctx)
{
	struct delivery *d = ctx;
	enum rd_err e;

	if ((e = order_load(db, d->a, d->order_no, true, &d->o)) != RD_OK)
		return e;
	/* Delivered goods cannot become undelivered again, and an order whose
	 * money went back to the buyer is not delivered any more. */
	if ((d->o.facts.delivery == DELIV_DELIVERED && d->state != DELIV_DELIVERED) ||
	    d->o.hold_state == HOLD_REFUNDED)
		return RD_ERR_CONFLICT;
	/* delivered_at starts the refund window: an older report than the
	 * stored one must not move it back (a replay with a fresh signature
	 * of a stale fact); the same one again is a no-op. */
	d->stale = d->o.facts.delivery == DELIV_DELIVERED && d->at < d->o.facts.delivered_at;
	if (d->stale)
		return RD_ERR_CONFLICT;
	struct dbval p[] = { DB_STR(delivery_state_names[d->state]), DB_STR(delivery_kind_names[d->kind]),
		DB_INT(d->state == DELIV_DELIVERED ? d->at : 0), DB_INT(d->o.id) };
	if ((e = db_exec(db, Q_ORDER_DELIVERY, p, 4, NULL, NULL)) != RD_OK)
		return e;
	/* A kind reported late may answer usage.requested (upstream_ask.c). */
	d->o.facts.delivery = (enum delivery_state)d->state;
	d->o.facts.kind = (enum delivery_kind)d->kind;
	d->o.facts.delivered_at = d->state == DELIV_DELIVERED ? d->at : 0;
	return upstream_answer(db, d->a, d->cfg, &d->o, d->now, NULL);
}

void
api_order_delivery(struct req *r)
{
	json_object *root;
	struct delivery d = { .order_no = r->params[0], .a = r->a, .cfg = r->app->cfg, .now = r->now };
	enum rd_err e;

	if (!api_begin(r, &root))
		return;
	if ((d.state = api_enum(r, root, "state", delivery_state_names, DELIV__MAX, false)) < 0 ||
	    (d.kind = api_enum(r, root, "kind", delivery_kind_names, KIND__MAX, false)) < 0 ||
	    !api_int(r, root, "at", 1, 1LL << 40, false, NULL, &d.at))
		goto out;
	if (d.state == DELIV_PENDING) {
		api_error(r, 422, "bad_value", "state must be delivered or failed");
		goto out;
	}
	if (d.at > r->now + 300) {
		api_error(r, 422, "out_of_range", "at is in the future");
		goto out;
	}
	if ((e = db_tx(r->app->db, delivery_tx, &d)) != RD_OK) {
		if (e == RD_ERR_CONFLICT && d.stale)
			api_error(r, 409, "stale_report", "at is older than the stored delivery (%lld): nothing changed",
			    d.o.facts.delivered_at);
		else if (e == RD_ERR_CONFLICT)
			api_error(r, 409, "delivery_conflict", "the order is already delivered, or already refunded");
		else
			api_fail(r, e);
		goto out;
	}
	if ((e = order_load(r->app->db, r->a, d.order_no, false, &d.o)) != RD_OK) {
		api_fail(r, e);
		goto out;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "order", api_order_json(&d.o));
	api_json(r, 200, resp);
out:
	json_object_put(root);
}
