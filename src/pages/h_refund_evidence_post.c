/* h_refund_evidence_post.c: POST /refund/ID/evidence: more files and a
 * note while the request is reviewed; an answer to "need more information"
 * puts it back in front of customer service with a fresh deadline. */
#include "store/anomaly.h"
#include "pages/buyer_action.h"
#include "base/config.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/flow_apply.h"

static enum rd_err
add(struct db *db, struct buyer_action *ba, struct refund *rf)
{
	enum rd_err e;

	if (ba->body->nfiles == 0 && ba->note[0] == '\0')
		return RD_ERR_INPUT;
	/* At most buyer_posts_per_refund posts: a conditional increment, so
	 * parallel posts cannot pass it together. An attempt over the cap is
	 * remembered (outside this transaction, which rolls back) as an
	 * anomaly: such a request is never decided by a deadline. */
	unsigned long long n = 0;
	struct dbval p[] = { DB_INT(rf->id), DB_INT(ba->r->app->cfg->buyer_posts_per_refund) };
	if ((e = db_exec(db, Q_REFUND_COUNT_POST, p, 2, &n, NULL)) != RD_OK)
		return e;
	if (n != 1) {
		ba->over_post_cap = true;
		return RD_ERR_TOOBIG;
	}
	if ((e = buyer_action_add_evidence(db, ba, rf)) != RD_OK)
		return e;
	/* An answer to "need more information" goes back to customer
	 * service; in review it is a step on the timeline (the flow's rows). */
	struct flow_step step = { .event = FE_EVIDENCE, .role = FROLE_BUYER, .note = ba->note, .now = ba->r->now };
	return flow_apply(db, ba->r->a, rf, &step);
}

void
h_refund_evidence_post(struct req *r)
{
	struct buyer_action ba = { .r = r, .action = ACT_EVIDENCE, .form = "evidence", .needs_content = true,
		.act = add, .done = DONE_EVIDENCE };
	buyer_action_run(&ba);
	if (ba.over_post_cap)
		refund_mark_anomaly(r->app->db, r->params[0], ANOMALY_NOTE_CAP);
}
