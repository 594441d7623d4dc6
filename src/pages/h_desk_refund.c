/* h_desk_refund.c: GET /desk/refund/ID: loads the request, its order, the
 * buyer's history, the staff's internal notes, the risk figures and the
 * order's upstream and claim (all before a byte is written: a failed read
 * is an error page), then views/view_desk_refund.c shows them with the
 * decision form for what this role may do now. */
#include <string.h>

#include "base/config.h"

#include "rules/desk.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "pages/desk_page.h"
#include "store/buyer_history.h"
#include "store/internal_notes.h"
#include "store/refund_risk.h"
#include "views/view_desk_refund.h"

bool
desk_refund_load(struct req *r, const struct staff *st, struct refund *rf, struct order *o)
{
	enum rd_err e;

	if ((e = refund_load(r->app->db, r->a, r->params[0], false, rf)) != RD_OK ||
	    (e = order_load(r->app->db, r->a, rf->order_no, false, o)) != RD_OK) {
		fail_page(r, e);
		return false;
	}
	if (!desk_may_see(st, rf->merchant_id)) {
		not_found_page(r);
		return false;
	}
	return true;
}

void
desk_refund_page(struct req *r, const struct staff *st, const struct view_desk_form *form)
{
	desk_refund_page_after(r, st, form, NULL);
}

void
desk_refund_page_after(struct req *r, const struct staff *st, const struct view_desk_form *form,
    const char *prev)
{
	struct refund rf;
	struct order o;
	struct buyer_history *h;
	struct internal_notes *notes;
	struct risk_facts facts;
	struct risk_figure risk[RC__MAX];
	struct desk_upstream up;
	enum rd_err e;

	if (!desk_refund_load(r, st, &rf, &o))
		return;
	const char *mid = st->role == ROLE_MERCHANT ? st->merchant_id : "";
	if ((h = arena_alloc(r->a, sizeof(*h))) == NULL || (notes = arena_alloc(r->a, sizeof(*notes))) == NULL) {
		fail_page(r, RD_ERR_NOMEM);
		return;
	}
	if ((e = buyer_history_load(r->app->db, r->a, rf.buyer_id, mid, h)) != RD_OK ||
	    (e = internal_notes_load(r->app->db, r->a, rf.id, notes)) != RD_OK ||
	    (e = refund_risk_load(r->app->db, r->a, rf.id, &facts, &up)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	struct view_desk_refund v = {
		.rf = &rf, .o = &o, .history = h, .history_this_shop_only = mid[0] != '\0',
		.allowed = desk_actions(st->role, &rf), .csrf = st->csrf, .internal = notes, .form = form,
		.templates = &r->app->cfg->reply_templates, .risk = risk, .risk_counts = mid[0] == '\0',
		.upstream = &up, .prev = prev, .now = r->now,
	};
	/* The rule's own figures: the numbers behind the flags, not a copy of the rule. */
	policy_risk_figures(&facts, &r->app->cfg->risk, risk);
	view_desk_refund(r, &v);
}

void
h_desk_refund(struct req *r)
{
	struct staff st;

	if (staff_require(r, &st))
		desk_refund_page_after(r, &st, NULL, r->q.v[DRQ_PREV]);
}
