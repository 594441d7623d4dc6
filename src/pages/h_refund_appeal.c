/* h_refund_appeal.c: POST /refund/ID/appeal: once, within the window after
 * a rejection, the buyer takes the request to the platform's arbiter. */
#include "pages/buyer_action.h"
#include "pages/handlers.h"
#include "store/ledger.h"

static enum rd_err
appeal(struct db *db, struct buyer_action *ba, struct refund *rf)
{
	long long now = ba->r->now, deadline = refund_deadline_for(RS_ARBITRATION, now);
	struct dbval p[] = { DB_INT(deadline), DB_INT(now), DB_INT(rf->id) };
	unsigned long long n = 0;
	enum rd_err e;

	/* Reopening takes the order's open slot again: the unique key refuses
	 * it (RD_ERR_CONFLICT) if another request was opened meanwhile. */
	if ((e = db_exec(db, Q_REFUND_APPEAL, p, 3, &n, NULL)) != RD_OK)
		return e;
	if (n != 1)
		return RD_ERR_CONFLICT;
	rf->state = RS_ARBITRATION;
	if ((e = refund_event(db, rf->id, now, RS_ARBITRATION, "buyer",
	    ba->note[0] ? ba->note : "买家申诉，提交平台仲裁")) != RD_OK ||
	    (e = buyer_action_add_evidence(db, ba, rf)) != RD_OK)
		return e;
	return ledger_freeze(db, rf->order_id);
}

void
h_refund_appeal(struct req *r)
{
	struct buyer_action ba = { .r = r, .action = ACT_APPEAL, .act = appeal };
	buyer_action_run(&ba, true);
}
