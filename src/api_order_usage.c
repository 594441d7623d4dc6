/* api_order_usage.c: POST /api/v1/orders/NO/usage: what the storefront or
 * upstream knows about use. Fields merge: a key revealed stays revealed. */
#include "api.h"
#include "db.h"
#include "handlers.h"

struct usage {
	const char *order_no;
	bool has_reveal, has_redeemed, has_act;
	long long reveal, act;
	bool redeemed;
	int topup;                 /* -1 absent */
	struct arena *a;
	struct order o;
};

static enum rd_err
usage_tx(struct db *db, void *ctx)
{
	struct usage *u = ctx;
	struct order_facts *f = &u->o.facts;
	enum rd_err e;

	if ((e = order_load(db, u->a, u->order_no, true, &u->o)) != RD_OK)
		return e;
	if (u->has_reveal && f->key_revealed_at == 0)
		f->key_revealed_at = u->reveal;
	if (u->has_redeemed)
		f->redeemed = f->redeemed || u->redeemed;
	if (u->has_act && f->activated_at == 0)
		f->activated_at = u->act;
	if (u->topup >= 0)
		f->topup = (enum topup_state)u->topup;
	struct dbval p[] = { DB_INT(f->key_revealed_at), DB_INT(f->redeemed), DB_STR(topup_state_names[f->topup]),
		DB_INT(f->activated_at), DB_INT(u->o.id) };
	return db_exec(db, Q_ORDER_USAGE, p, 5, NULL, NULL);
}

void
api_order_usage(struct req *r)
{
	json_object *root;
	struct usage u = { .order_no = r->params[0], .a = r->a };
	enum rd_err e;

	if (!api_begin(r, &root))
		return;
	if (!api_int(r, root, "key_revealed_at", 1, 1LL << 40, true, &u.has_reveal, &u.reveal) ||
	    !api_bool(r, root, "redeemed", &u.has_redeemed, &u.redeemed) ||
	    (u.topup = api_enum(r, root, "topup", topup_state_names, TOPUP__MAX, true)) == -2 ||
	    !api_int(r, root, "activated_at", 1, 1LL << 40, true, &u.has_act, &u.act))
		goto out;
	if (!u.has_reveal && !u.has_redeemed && !u.has_act && u.topup < 0) {
		api_error(r, 422, "missing_field", "give at least one of key_revealed_at, redeemed, topup, activated_at");
		goto out;
	}
	if ((e = db_tx(r->app->db, usage_tx, &u)) != RD_OK) {
		api_fail(r, e);
		goto out;
	}
	if ((e = order_load(r->app->db, r->a, u.order_no, false, &u.o)) != RD_OK) {
		api_fail(r, e);
		goto out;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "order", api_order_json(&u.o));
	api_json(r, 200, resp);
out:
	json_object_put(root);
}
