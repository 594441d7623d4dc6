/* h_refund_status.c: GET /refund/ID: loads the refund and what the buyer may
 * do now; views/view_refund_status.c shows it. One database round trip: the
 * refund row carries its timeline and evidence list as JSON. */
#include <string.h>

#include "rules/flow.h"
#include "rules/next_step.h"
#include "pages/fields.h"
#include "base/config.h"
#include "store/db.h"
#include "base/i18n.h"
#include "pages/handlers.h"
#include "pages/buyer_action.h"
#include "store/session_gen.h"
#include "views/view_refund_status.h"

/* The success banner of the redirect's done= flag (README "success
 * banners"): only where the request's state bears it out, so a link
 * passed around cannot make the page say what did not happen. */
static const char *
done_banner(const struct refund *rf, const char *done)
{
	switch (done != NULL ? ENUM_LOOKUP(done_flag_names, done) : -1) {
	case DONE_SUBMITTED:
		return rf->state == RS_REFUNDED || rf->state == RS_REFUNDING || rf->state == RS_APPROVED
		    ? N_("退款申请已提交并已同意退款。") : N_("退款申请已提交。下一步见下方。");
	case DONE_CANCELLED:
		return rf->state == RS_CANCELLED ? N_("已撤销退款申请。") : NULL;
	case DONE_EVIDENCE:
		return N_("已收到您补充的材料。");
	case DONE_APPEALED:
		return rf->appealed ? N_("申诉已提交，平台仲裁将作出最终裁决。") : NULL;
	default:
		return NULL;
	}
}

/* The page; again (NULL on a GET) a buyer action's form shown again. */
static void
status_page(struct req *r, const struct status_again *again)
{
	struct refund rf;

	if (!buyer_refund_load(r, &rf))
		return;
	unsigned allowed = refund_actions(&rf, r->now);
	const struct buyer_pages_cfg *bp = &r->app->cfg->buyer;
	struct view_refund_status v = {
		.rf = &rf, .csrf = req_csrf(r), .can_add_evidence = allowed & ACT_EVIDENCE,
		.can_appeal = allowed & ACT_APPEAL, .can_cancel = allowed & ACT_CANCEL,
		.buyer_signed_in = session_resolve(r) && r->sess.buyer[0] != '_',
		.arrival = bp->arrival[rf.dest == DEST_ORIGINAL ? (int)rf.channel : (int)PAY_BALANCE],
		.evidence_max_bytes = r->app->cfg->evidence_max_bytes,
		.evidence_max_files = r->app->cfg->evidence_max_files,
	};
	next_step_of(&rf, v.can_appeal, r->now, &v.next);
	if (again != NULL) {
		v.again = *again;
		r->status = again->status;
	} else
		v.banner = done_banner(&rf, r->q.v[STQ_DONE]);
	view_refund_status(r, &v);
}

void
h_refund_status(struct req *r)
{
	status_page(r, NULL);
}

void
refund_status_again(struct req *r, const struct status_again *again)
{
	buf_reset(&r->body);
	status_page(r, again);
}
