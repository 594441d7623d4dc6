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

/* The page; again (NULL on a GET) a buyer action's form shown again. */
static void
status_page(struct req *r, const struct status_again *again)
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
		.evidence_max_bytes = r->app->cfg->evidence_max_bytes,
		.evidence_max_files = r->app->cfg->evidence_max_files,
	};
	if (again != NULL) {
		v.again = *again;
		r->status = again->status;
	}
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
