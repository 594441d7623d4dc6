/* h_refund_evidence_post.c: POST /refund/ID/evidence: more files and a
 * note while the request is reviewed; an answer to "need more information"
 * puts it back in front of customer service with a fresh deadline. */
#include "buyer_action.h"
#include "handlers.h"

static enum rd_err
add(struct db *db, struct buyer_action *ba, struct refund *rf)
{
	enum rd_err e;

	if (ba->body->nfiles == 0 && ba->note[0] == '\0')
		return RD_ERR_INPUT;
	if ((e = buyer_action_add_evidence(db, ba, rf)) != RD_OK)
		return e;
	if (rf->state == RS_NEED_INFO)
		return refund_transition(db, rf, RS_CS_REVIEW, refund_deadline_for(RS_CS_REVIEW, ba->r->now),
		    ba->r->now, "buyer", ba->note[0] ? ba->note : "买家补充了凭证");
	return refund_event(db, rf->id, ba->r->now, rf->state, "buyer", ba->note[0] ? ba->note : "买家补充了凭证");
}

void
h_refund_evidence_post(struct req *r)
{
	struct buyer_action ba = { .r = r, .action = ACT_EVIDENCE, .act = add };
	buyer_action_run(&ba, true);
}
