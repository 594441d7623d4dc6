/* h_desk_claims.c: GET /desk/claims: claims up the chain, newest first, a
 * page at a time, filtered by ?state= and ?supplier=, with each supplier's
 * figures (open, recovered, written off, recovery rate). Admins and
 * arbiters only: a claim is money between the platform's merchants and
 * their suppliers, not a customer-service task, and a merchant would see
 * other shops' suppliers; other roles get a 403 page (a merchant sees its
 * own order's claim on the request page). views/view_desk_claims.c shows it. */
#include <stdlib.h>

#include "pages/fields.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "store/claim_reads.h"
#include "views/view_desk_claims.h"
#include "web/html.h"

void
h_desk_claims(struct req *r)
{
	struct staff st;
	struct claims_list list;
	struct supplier_claim_figures *figures;
	size_t nfigures;
	enum rd_err e;

	if (!staff_require(r, &st))
		return;
	if (st.role != ROLE_ADMIN && st.role != ROLE_ARBITER) {
		html_error_page(r, 403, N_("没有权限"), N_("只有管理员和仲裁员可以查看上游追偿。"));
		return;
	}
	/* A bad value counts as absent, its message above the list (as the queue). */
	const char *state = r->q.v[CLF_STATE] != NULL ? r->q.v[CLF_STATE] : "";
	const char *supplier = r->q.v[CLF_SUPPLIER] != NULL ? r->q.v[CLF_SUPPLIER] : "";
	long long page = r->q.v[CLF_PAGE] != NULL ? atoll(r->q.v[CLF_PAGE]) : 1;
	if (page < 1)
		page = 1;
	if ((e = claims_list_load(r->app->db, r->a, state, supplier, CLAIMS_PAGE, (page - 1) * CLAIMS_PAGE,
	    &list)) != RD_OK ||
	    (e = claim_figures_load(r->app->db, r->a, &figures, &nfigures)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	list.total = claims_total(figures, nfigures, state, supplier);
	struct view_desk_claims v = { .list = &list, .figures = figures, .nfigures = nfigures, .state = state,
		.supplier = supplier, .page = page, .qerr = r->q.err };
	view_desk_claims(r, &v);
}
