/* h_refund_cancel.c: POST /refund/ID/cancel: the buyer withdraws a request
 * nobody has decided yet; the escrow hold is unfrozen. */
#include "pages/buyer_action.h"
#include "pages/handlers.h"
#include "store/flow_apply.h"

static enum rd_err
cancel(struct db *db, struct buyer_action *ba, struct refund *rf)
{
	struct flow_step step = { .event = FE_CANCEL, .role = FROLE_BUYER, .now = ba->r->now };
	return flow_apply(db, ba->r->a, rf, &step);
}

void
h_refund_cancel(struct req *r)
{
	struct buyer_action ba = { .r = r, .action = ACT_CANCEL, .act = cancel, .ask_first = true,
		.done = DONE_CANCELLED };
	buyer_action_run(&ba);
}
