/* api_refund_payout.c: POST /api/v1/refunds/ID/payout: the payment service
 * reports an original-path refund. succeeded: refunded, money leaves the
 * payout account; failed: stays refunding with the failure on the timeline
 * for a reviewer to retry or switch to the balance. Repeats are no-ops. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/flow_apply.h"
#include "store/ledger.h"

static const char *const payout_results[] = { "succeeded", "failed" };

struct payout {
	const char *id;
	int result;
	long long now;
	struct arena *a;
	struct refund rf;
};

static enum rd_err
payout_tx(struct db *db, void *ctx)
{
	struct payout *p = ctx;
	enum rd_err e;

	if ((e = refund_load(db, p->a, p->id, true, &p->rf)) != RD_OK)
		return e;
	if (p->rf.state == RS_REFUNDED && p->result == 0) {
		/* A repeated success report is a no-op; a success after staff
		 * moved the refund to the balance means the buyer was paid twice. */
		enum txn_kind paid;
		if ((e = ledger_payout_kind(db, p->a, p->rf.id, p->rf.award > 0, &paid)) != RD_OK)
			return e;
		return paid == TXN_PAYOUT ? RD_OK : RD_ERR_CONFLICT;
	}
	if (p->rf.state != RS_REFUNDING)
		return RD_ERR_CONFLICT;
	struct flow_step step = { .event = p->result == 1 ? FE_PAYOUT_FAILED : FE_PAYOUT_DONE, .role = FROLE_API,
		.now = p->now };
	return flow_apply(db, p->a, &p->rf, &step);
}

void
api_refund_payout(struct req *r)
{
	json_object *root;
	struct payout p = { .id = r->params[0], .now = r->now, .a = r->a };
	enum rd_err e;

	if (!api_begin(r, &root))
		return;
	if ((p.result = api_enum(r, root, "state", payout_results, 2, false)) < 0)
		goto out;
	if ((e = db_tx(r->app->db, payout_tx, &p)) != RD_OK) {
		if (e == RD_ERR_CONFLICT)
			api_error(r, 409, "not_refunding", "the refund is not waiting for a payout");
		else
			api_fail(r, e);
		goto out;
	}
	if ((e = refund_load(r->app->db, r->a, p.id, false, &p.rf)) != RD_OK) {
		api_fail(r, e);
		goto out;
	}
	json_object *resp = json_object_new_object();
	json_object_object_add(resp, "refund", api_refund_json(&p.rf));
	api_json(r, 200, resp);
out:
	json_object_put(root);
}
