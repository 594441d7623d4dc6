/* h_refund_status.c: GET /refund/ID: loads the refund and what the buyer may
 * do now; views/view_refund_status.c shows it. One database round trip: the
 * refund row carries its timeline and evidence list as JSON. */
#include <string.h>

#include "rules/flow.h"
#include "base/config.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/session_gen.h"
#include "views/view_refund_status.h"

void
h_refund_status(struct req *r)
{
	struct refund rf;
	enum rd_err e;

	/* No cookie: refused before any read. With one, the refund's row brings
	 * its buyer's session generation: one round trip for the page. */
	if (r->session_cookie == NULL && !require_session(r))
		return;
	e = refund_load(r->app->db, r->a, r->params[0], false, &rf);
	if (!require_session_of(r, e == RD_OK ? rf.buyer_id : NULL, rf.buyer_gen))
		return;
	if (e != RD_OK) {
		fail_page(r, e);
		return;
	}
	if (!session_allows(&r->sess, rf.buyer_id, rf.order_no)) {
		not_found_page(r);
		return;
	}
	unsigned allowed = refund_actions(&rf, r->now);
	struct view_refund_status v = {
		.rf = &rf, .csrf = req_csrf(r), .can_add_evidence = allowed & ACT_EVIDENCE,
		.can_appeal = allowed & ACT_APPEAL, .can_cancel = allowed & ACT_CANCEL,
		.buyer_signed_in = session_resolve(r) && r->sess.buyer[0] != '_',
	};
	view_refund_status(r, &v);
}
