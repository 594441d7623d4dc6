/* api_order_usage.c: POST /api/v1/orders/NO/usage: what the storefront or
 * upstream knows about use. Facts only move forward: a key revealed stays
 * revealed (a later or earlier time is ignored, and the answer says so), a
 * redemption is never undone, and a top-up that succeeded stays succeeded
 * (a report that would move it back is 409 `fact_regressed`). A request
 * awaiting_upstream on the order is decided again at once (upstream_ask.c). */
#include "api/api.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/upstream_ask.h"

struct usage {
	const char *order_no;
	bool has_reveal, has_redeemed, has_act;
	long long reveal, act;
	bool redeemed;
	int topup;                 /* -1 absent */
	const char *ignored[3];    /* facts reported that did not change anything */
	size_t nignored;
	struct arena *a;
	const struct config *cfg;
	long long now;
	struct order o;
};

/* A top-up moves unknown -> pending -> failed | succeeded, and failed ->
 * succeeded (a retry that went through); succeeded is final. */
static bool
topup_may_become(enum topup_state from, enum topup_state to)
{
	if (from == to || from == TOPUP_UNKNOWN)
		return true;
	if (from == TOPUP_PENDING)
		return to != TOPUP_UNKNOWN;
	return from == TOPUP_FAILED && to == TOPUP_SUCCEEDED;
}

static enum rd_err
usage_tx(struct db *db, void *ctx)
{
	struct usage *u = ctx;
	struct order_facts *f = &u->o.facts;
	enum rd_err e;

	if ((e = order_load(db, u->a, u->order_no, true, &u->o)) != RD_OK)
		return e;
	u->nignored = 0;
	if (u->topup >= 0 && !topup_may_become(f->topup, (enum topup_state)u->topup))
		return RD_ERR_CONFLICT;
	if (u->has_reveal && f->key_revealed_at != 0 && f->key_revealed_at != u->reveal)
		u->ignored[u->nignored++] = "key_revealed_at";
	if (u->has_reveal && f->key_revealed_at == 0)
		f->key_revealed_at = u->reveal;
	if (u->has_redeemed && f->redeemed && !u->redeemed)
		u->ignored[u->nignored++] = "redeemed";
	if (u->has_redeemed)
		f->redeemed = f->redeemed || u->redeemed;
	if (u->has_act && f->activated_at != 0 && f->activated_at != u->act)
		u->ignored[u->nignored++] = "activated_at";
	if (u->has_act && f->activated_at == 0)
		f->activated_at = u->act;
	if (u->topup >= 0)
		f->topup = (enum topup_state)u->topup;
	struct dbval p[] = { DB_INT(f->key_revealed_at), DB_INT(f->redeemed), DB_STR(topup_state_names[f->topup]),
		DB_INT(f->activated_at), DB_INT(u->o.id) };
	if ((e = db_exec(db, Q_ORDER_USAGE, p, 5, NULL, NULL)) != RD_OK)
		return e;
	/* The answer to usage.requested: decided again now, in this transaction. */
	return upstream_answer(db, u->a, u->cfg, &u->o, u->now, NULL);
}

void
api_order_usage(struct req *r)
{
	json_object *root;
	struct usage u = { .order_no = r->params[0], .a = r->a, .cfg = r->app->cfg, .now = r->now };
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
		if (e == RD_ERR_CONFLICT)
			api_error(r, 409, "fact_regressed", "topup %s cannot follow the stored state %s",
			    topup_state_names[u.topup], topup_state_names[u.o.facts.topup][0] ?
			    topup_state_names[u.o.facts.topup] : "(none)");
		else
			api_fail(r, e);
		goto out;
	}
	if ((e = order_load(r->app->db, r->a, u.order_no, false, &u.o)) != RD_OK) {
		api_fail(r, e);
		goto out;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "order", api_order_json(&u.o));
	if (u.nignored > 0) {
		/* Said, not silently dropped: the caller learns its report was older. */
		json_object *ig = json_object_new_array();
		for (size_t i = 0; i < u.nignored; i++)
			json_object_array_add(ig, json_object_new_string(u.ignored[i]));
		json_object_object_add(resp, "ignored", ig);
	}
	api_json(r, 200, resp);
out:
	json_object_put(root);
}
