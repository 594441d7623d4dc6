/* view_refund_status.h: GET /refund/ID: state, the next step with its
 * named deadline and time left, amounts line by line, timeline, evidence
 * and the actions allowed now, from a refund the handler loaded. */
#ifndef RD_VIEW_REFUND_STATUS_H
#define RD_VIEW_REFUND_STATUS_H

#include <stdbool.h>

#include "rules/next_step.h"
#include "store/model.h"
#include "web/http.h"

struct view_refund_status {
	const struct refund *rf;       /* loaded with its timeline and evidence */
	/* What the buyer may do now (the rules decide; the view shows). */
	bool can_add_evidence, can_appeal, can_cancel;
	bool buyer_signed_in;          /* a real buyer's session (not a look-up's '_'): "退出" */
	const char *csrf;
	struct next_step next;         /* rules/next_step.c */
	const char *arrival;           /* the config's expected arrival for this refund's channel */
	const char *banner;            /* the success message of the action just done, or NULL */
};

void view_refund_status(struct req *r, const struct view_refund_status *v);

#endif
