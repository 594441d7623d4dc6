/* view_refund_status.h: GET /refund/ID: state, amounts, deadline, timeline,
 * evidence and the actions allowed now, from a refund the handler loaded. */
#ifndef RD_VIEW_REFUND_STATUS_H
#define RD_VIEW_REFUND_STATUS_H

#include <stdbool.h>

#include "store/model.h"
#include "web/http.h"

struct view_refund_status {
	const struct refund *rf;       /* loaded with its timeline and evidence */
	/* What the buyer may do now (the rules decide; the view shows). */
	bool can_add_evidence, can_appeal, can_cancel;
	bool buyer_signed_in;          /* a real buyer's session (not a look-up's '_'): "退出" */
	const char *csrf;
};

void view_refund_status(struct req *r, const struct view_refund_status *v);

#endif
