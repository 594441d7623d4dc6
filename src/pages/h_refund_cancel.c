/* h_refund_cancel.c: POST /refund/ID/cancel: the buyer withdraws a request
 * nobody has decided yet; the escrow hold is unfrozen. */
#include "pages/buyer_action.h"
#include "pages/handlers.h"
#include "store/settle.h"

static enum rd_err
cancel(struct db *db, struct buyer_action *ba, struct refund *rf)
{
	enum rd_err e;

	if ((e = refund_transition(db, rf, RS_CANCELLED, 0, ba->r->now, "buyer", "买家撤销申请")) != RD_OK ||
	    (e = settle_unfreeze(db, rf->order_id)) != RD_OK)
		return e;
	return webhook_enqueue(db, ba->r->a, "refund.cancelled", refund_event_json(ba->r->a, rf, NULL, NULL),
	    ba->r->now);
}

void
h_refund_cancel(struct req *r)
{
	struct buyer_action ba = { .r = r, .action = ACT_CANCEL, .act = cancel };
	buyer_action_run(&ba, false);
}
