/* h_order_confirm.c: POST /order/NO/confirm: the buyer confirms receipt and
 * the escrow hold is released to the merchant, unless a refund is open. */
#include <stdio.h>
#include <string.h>

#include "web/body.h"
#include "store/db.h"
#include "base/i18n.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "store/settle.h"
#include "pages/fields.h"
#include "views/view_buyer_confirm.h"

struct confirm_tx {
	struct req *r;
	bool open;
};

static enum rd_err
confirm_tx(struct db *db, void *ctx)
{
	struct confirm_tx *t = ctx;
	struct req *r = t->r;
	struct order o;
	enum rd_err e;

	if ((e = order_load(db, r->a, r->params[0], true, &o)) != RD_OK)
		return e;
	if (!session_allows(&r->sess, o.buyer_id, o.order_no))
		return RD_ERR_NOTFOUND;
	if (o.open_refund[0] != '\0') {
		t->open = true;
		return RD_ERR_CONFLICT;
	}
	if (o.hold_state != HOLD_HELD)
		return RD_OK;                        /* already released or refunded: nothing to do */
	struct dbval p[] = { DB_INT(r->now), DB_INT(o.id) };
	if ((e = db_exec(db, Q_ORDER_CONFIRM, p, 2, NULL, NULL)) != RD_OK)
		return e;
	return settle_release(db, r->a, &o, "confirmed", r->now);
}

void
h_order_confirm(struct req *r)
{
	struct confirm_tx t = { r, false };
	enum rd_err e;
	char loc[96];

	/* Budget and session: the route's admit; the body: the gate. */
	if (!body_ok(r) || !csrf_ok(r, r->f.v[F_CSRF]))
		return;
	/* Releasing the money cannot be undone: without confirm=1 the confirm
	 * page, nothing written. */
	if (r->f.v[CF_CONFIRM] == NULL) {
		struct order o;
		if ((e = order_load(r->app->db, r->a, r->params[0], false, &o)) != RD_OK ||
		    !session_allows(&r->sess, o.buyer_id, o.order_no)) {
			if (e == RD_OK || e == RD_ERR_NOTFOUND)
				not_found_page(r);
			else
				fail_page(r, e);
			return;
		}
		struct view_buyer_confirm v = {
			.what = BC_RECEIPT, .csrf = req_csrf(r), .order_no = o.order_no, .title = o.title,
			.amount = o.facts.amount,
		};
		view_buyer_confirm(r, &v);
		return;
	}
	if ((e = db_tx(r->app->db, confirm_tx, &t)) != RD_OK) {
		if (e == RD_ERR_CONFLICT && t.open)
			html_error_page(r, 409, N_("有进行中的退款"), N_("该订单有正在处理的退款申请，处理完成前不能确认收货。"));
		else
			fail_page(r, e);
		return;
	}
	snprintf(loc, sizeof(loc), "/refund/new?order=%s&done=confirmed", r->params[0]);
	resp_redirect(r, loc);
}
