/* h_refund_appeal.c: POST /refund/ID/appeal: once, within the window after
 * a rejection, the buyer takes the request to the platform's arbiter. */
#include "pages/buyer_action.h"
#include "pages/handlers.h"
#include "store/flow_apply.h"

static enum rd_err
appeal(struct db *db, struct buyer_action *ba, struct refund *rf)
{
	struct flow_step step = { .event = FE_APPEAL, .role = FROLE_BUYER, .note = ba->note, .now = ba->r->now };
	enum rd_err e;

	/* Reopening takes the order's open slot again: the unique key refuses
	 * it (RD_ERR_CONFLICT) if another request was opened meanwhile. */
	if ((e = flow_apply(db, ba->r->a, rf, &step)) != RD_OK)
		return e;
	return buyer_action_add_evidence(db, ba, rf);
}

void
h_refund_appeal(struct req *r)
{
	/* Its form is on its own page (GET below), which a refusal draws again. */
	struct buyer_action ba = { .r = r, .action = ACT_APPEAL, .form = "appeal", .act = appeal, .ask_first = true,
		.done = DONE_APPEALED };
	buyer_action_run(&ba);
}

/* GET /refund/ID/appeal: the appeal's own page, which says it is the only
 * one and asks for the confirm box before anything is sent. */
void
h_refund_appeal_get(struct req *r)
{
	buyer_action_confirm_page(r, ACT_APPEAL, "", NULL, NULL);
}
