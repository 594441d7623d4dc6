/* h_lookup.c: GET and POST /refund/lookup: guest access with the order
 * number, the contact on the order and its query code. Every mismatch gets
 * the same answer, and failures per IP are limited. */
#include <stdio.h>
#include <string.h>

#include "web/body.h"
#include "store/budget.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "base/i18n.h"
#include "pages/handlers.h"
#include "web/ip_budget.h"
#include "base/log.h"
#include "store/session_gen.h"
#include "views/view_lookup.h"

#define ANON_BUYER "_anon"
#define ANON_SCOPE "_none"

/* A visitor with no session gets an anonymous one, so the form has a CSRF
 * token to carry; it can reach no order ('_' never starts an order or buyer
 * id, the API refuses those). */
static bool
ensure_session(struct req *r)
{
	char cookie[SESSION_COOKIE_MAX];

	if (session_resolve(r))
		return true;
	if (r->session_unknown)
		return false;                    /* the database is away: keep the visitor's cookie */
	memset(&r->sess, 0, sizeof(r->sess));
	random_token(r->sess.sid, 32);
	snprintf(r->sess.buyer, sizeof(r->sess.buyer), ANON_BUYER);
	snprintf(r->sess.scope, sizeof(r->sess.scope), ANON_SCOPE);
	r->sess.exp = r->now + 3600;
	if (buyer_cookie_encode(r, &r->sess, cookie, sizeof(cookie)) != RD_OK)
		return false;
	r->has_session = true;
	r->csrf[0] = '\0';                       /* a new session: a new token */
	resp_session_cookie(r, cookie, 3600);
	return true;
}

static void
render(struct req *r, int status, const char *banner)
{
	/* After a failed try the form keeps what was typed (never the code). */
	struct view_lookup v = { .csrf = req_csrf(r), .banner = banner };
	if (r->form != NULL) {
		v.order_no = r->f.kept[LK_ORDER_NO];
		v.contact = r->f.kept[LK_CONTACT];
	}

	r->status = status;
	view_lookup(r, &v);
}

void
h_lookup_get(struct req *r)
{
	if (!ensure_session(r)) {
		fail_page(r, r->session_unknown ? RD_ERR_DB : RD_ERR_INTERNAL);
		return;
	}
	render(r, 200, NULL);
}

/* Constant-time comparison of what was typed against the order's values,
 * done even when the order does not exist, so timing tells nothing. */
static bool
credentials_match(const struct dbres *res, const char *contact, const char *code)
{
	const char *want_contact = res->nrows ? db_cell(res, 0, 1) : "~no such order~";
	const char *want_code = res->nrows ? db_cell(res, 0, 2) : "~no such order~";
	bool ok_contact = ct_streq(contact, want_contact);
	bool ok_code = ct_streq(code, want_code);
	return res->nrows == 1 && ok_contact && ok_code;
}

void
h_lookup_post(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	struct dbres res;
	enum rd_err e;

	if (!buyer_form_read(r))
		return;
	bool spent;
	if ((e = ip_budget_spent(r, &spent)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	if (spent) {
		render(r, 429, N_("查询失败次数过多，请一小时后再试，或从商城订单页进入。"));
		return;
	}
	/* Checked by the gate (lookup_form). '_' first: the desk's own placeholders. */
	const char *no = r->f.v[LK_ORDER_NO], *contact = r->f.v[LK_CONTACT], *code = r->f.v[LK_CODE];
	if (no == NULL || contact == NULL || code == NULL || no[0] == '_') {
		render(r, 422, N_("订单号、联系方式或查询码不正确。"));
		return;
	}
	/* Per order as well as per address: guesses at one order's code from
	 * many addresses lock that order's look-up for the hour. Spent before
	 * the check (atomic), given back when the credentials were right. */
	char okey[48];
	bool order_ok;
	long retry;
	snprintf(okey, sizeof(okey), "lookup-order:%s", no);
	if ((e = budget_take(r->app->db, okey, r->now, 3600, cfg->lookup_failures_per_order, &order_ok, &retry))) {
		fail_page(r, e);
		return;
	}
	if (!order_ok) {
		resp_header(r, "Retry-After", "3600");
		render(r, 429, N_("该订单的查询失败次数过多，已暂时锁定，请一小时后再试，或从商城订单页进入。"));
		return;
	}
	struct dbval p[] = { DB_STR(no) };
	if ((e = db_query(r->app->db, r->a, Q_ORDER_LOOKUP, p, 1, &res)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	if (!credentials_match(&res, contact, code)) {
		ip_budget_charge(r);
		render(r, 422, N_("订单号、联系方式或查询码不正确。"));
		return;
	}
	budget_give_back(r->app->db, okey, r->now, 3600);
	/* A fresh session id: whatever id the visitor had before is not reused. */
	struct session s;
	char cookie[SESSION_COOKIE_MAX], loc[80];
	memset(&s, 0, sizeof(s));
	random_token(s.sid, 32);
	snprintf(s.buyer, sizeof(s.buyer), "%s", db_cell(&res, 0, 0));
	snprintf(s.scope, sizeof(s.scope), "%s", no);
	s.exp = r->now + cfg->session_ttl;
	struct dbval sp[] = { DB_STR(s.sid), DB_STR(s.buyer), DB_STR(s.scope), DB_STR("lookup"),
		DB_INT(r->now), DB_INT(s.exp) };
	if (buyer_cookie_encode(r, &s, cookie, sizeof(cookie)) != RD_OK ||
	    (e = db_exec(r->app->db, Q_SESSION_INSERT, sp, 6, NULL, NULL)) != RD_OK) {
		fail_page(r, e ? e : RD_ERR_INTERNAL);
		return;
	}
	resp_session_cookie(r, cookie, cfg->session_ttl);
	snprintf(loc, sizeof(loc), "/refund/new?order=%s", no);
	resp_redirect(r, loc);
}
