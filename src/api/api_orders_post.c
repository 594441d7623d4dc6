/* api_orders_post.c: POST /api/v1/orders: register a paid order and open its
 * escrow hold. The same order number with the same content is a no-op 200;
 * with different content, 409. */
#include <string.h>

#include "api/api.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/ledger.h"
#include "base/money.h"
#include "web/sign.h"

struct new_order {
	const char *order_no, *buyer_id, *merchant_id, *title, *contact, *lookup_code;
	int category, channel;
	long long amount, paid_at;
	const char *up_supplier, *up_order_no;   /* upstream (CONTRACT.md §7), or NULL */
	long long up_cost;
	char hash[65];
	long long now;
	const struct config *cfg;
	struct arena *a;
	bool same;                 /* existed with the same content */
};

static enum rd_err
register_tx(struct db *db, void *ctx)
{
	struct new_order *n = ctx;
	struct dbres res;
	unsigned long long id = 0;
	enum rd_err e;
	struct dbval p[] = { DB_STR(n->order_no), DB_STR(n->buyer_id), DB_STR(n->merchant_id),
		DB_STR(category_names[n->category]), DB_STR(n->title), DB_INT(n->amount), DB_STR("CNY"),
		DB_STR(pay_channel_names[n->channel]), DB_INT(n->paid_at), DB_STR(n->contact),
		DB_STR(n->lookup_code), DB_STR(n->hash), DB_INT(n->now) };

	n->same = false;
	e = db_exec(db, Q_ORDER_INSERT, p, 13, NULL, &id);
	if (e == RD_ERR_CONFLICT) {
		struct dbval q[] = { DB_STR(n->order_no) };
		if ((e = db_query(db, n->a, Q_ORDER_HASH, q, 1, &res)) != RD_OK)
			return e;
		if (res.nrows == 1 && strcmp(db_cell(&res, 0, 1), n->hash) == 0) {
			n->same = true;
			return RD_OK;
		}
		return RD_ERR_CONFLICT;
	}
	if (e != RD_OK)
		return e;
	if (n->up_supplier != NULL) {
		struct dbval u[] = { DB_INT(id), DB_STR(n->up_supplier), DB_STR(n->up_order_no), DB_INT(n->up_cost) };
		if ((e = db_defer(db, Q_UPSTREAM_INSERT, u, 4, 0)) != RD_OK)
			return e;
	}
	long long release_at = n->paid_at + n->cfg->categories[n->category].hold_secs;
	return ledger_hold(db, (long long)id, n->amount, (enum pay_channel)n->channel, release_at, n->now);
}

/* The optional "upstream": {"supplier", "order_no", "cost"}: the supplier
 * must be one of the config's, the cost at most what the buyer paid. */
static bool
read_upstream(struct req *r, json_object *root, struct new_order *n)
{
	json_object *u;

	n->up_supplier = n->up_order_no = NULL;
	if (!json_object_object_get_ex(root, "upstream", &u))
		return true;
	if (!json_object_is_type(u, json_type_object)) {
		api_error(r, 400, "bad_type", "upstream must be an object");
		return false;
	}
	if (!api_ident(r, u, "supplier", SUPPLIER_ID_MAX, &n->up_supplier) ||
	    !api_ident(r, u, "order_no", ORDER_NO_MAX, &n->up_order_no) ||
	    !api_int(r, u, "cost", 0, n->amount, false, NULL, &n->up_cost))
		return false;
	if (supplier_find(&n->cfg->claims, n->up_supplier) == NULL) {
		api_error(r, 422, "unknown_supplier", "upstream.supplier names no supplier of this desk's config");
		return false;
	}
	return true;
}

void
api_orders_post(struct req *r)
{
	json_object *root;
	struct new_order n = { .now = r->now, .cfg = r->app->cfg, .a = r->a };
	const char *currency;
	struct order o;
	enum rd_err e;

	if (!api_begin(r, &root))
		return;
	if (!api_ident(r, root, "order_no", ORDER_NO_MAX, &n.order_no) ||
	    !api_ident(r, root, "buyer_id", BUYER_ID_MAX, &n.buyer_id) ||
	    !api_ident(r, root, "merchant_id", 64, &n.merchant_id) ||
	    (n.category = api_enum(r, root, "category", category_names, CAT__MAX, false)) < 0 ||
	    !api_str(r, root, "title", 1, 200, false, &n.title) ||
	    !api_int(r, root, "amount", 1, MONEY_MAX, false, NULL, &n.amount) ||
	    !api_str(r, root, "currency", 3, 3, false, &currency) ||
	    (n.channel = api_enum(r, root, "pay_channel", pay_channel_names, PAY__MAX, false)) < 0 ||
	    !api_int(r, root, "paid_at", 1, 1LL << 40, false, NULL, &n.paid_at) ||
	    !api_str(r, root, "contact", 3, 128, false, &n.contact) ||
	    !api_str(r, root, "lookup_code", 8, 64, false, &n.lookup_code))
		goto out;
	if (!read_upstream(r, root, &n))
		goto out;
	if (strcmp(currency, "CNY") != 0) {
		api_error(r, 422, "unsupported_currency", "only CNY is supported");
		goto out;
	}
	if (n.paid_at > r->now + 300) {
		api_error(r, 422, "out_of_range", "paid_at is in the future");
		goto out;
	}
	/* The content hash is over the fields in a fixed order, so key order
	 * or spacing in the JSON does not make a retry look different. */
	const char *canon = arena_printf(r->a, "%s\n%s\n%s\n%s\n%s\n%lld\nCNY\n%s\n%lld\n%s\n%s",
	    n.order_no, n.buyer_id, n.merchant_id, category_names[n.category], n.title, n.amount,
	    pay_channel_names[n.channel], n.paid_at, n.contact, n.lookup_code);
	/* An upstream is part of the content (a retry with it is the same
	 * order); without one the text is as before, so older orders' retries
	 * still match. */
	if (canon != NULL && n.up_supplier != NULL)
		canon = arena_printf(r->a, "%s\nupstream\n%s\n%s\n%lld", canon, n.up_supplier, n.up_order_no,
		    n.up_cost);
	if (canon == NULL) {
		api_error(r, 500, "internal", "out of memory");
		goto out;
	}
	sha256_hex(canon, strlen(canon), n.hash);
	if ((e = db_tx(r->app->db, register_tx, &n)) != RD_OK) {
		if (e == RD_ERR_CONFLICT)
			api_error(r, 409, "order_conflict", "order %s exists with different content", n.order_no);
		else
			api_fail(r, e);
		goto out;
	}
	if ((e = order_load(r->app->db, r->a, n.order_no, false, &o)) != RD_OK) {
		api_fail(r, e);
		goto out;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "order", api_order_json(&o));
	json_object_object_add(resp, "created", json_object_new_boolean(!n.same));
	api_json(r, n.same ? 200 : 201, resp);
out:
	json_object_put(root);
}
