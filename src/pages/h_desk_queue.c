/* h_desk_queue.c: GET /desk: the requests waiting on people, soonest
 * deadline first; each role sees what it decides, merchants only their own. */
#include <string.h>

#include "base/config.h"
#include "store/db.h"
#include "rules/desk.h"
#include "rules/domain.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "pages/staff_auth.h"

/* Admins see the accounts locked by failed logins, and can end every
 * staff session. */
static void
admin_panel(struct req *r, const struct staff *st)
{
	struct dbval p[] = { DB_INT(r->app->cfg->login_failures_per_account), DB_INT(r->now - LOGIN_LOCKS_WINDOW) };
	struct dbres res;

	html_raw(r, "<section class=\"card\" id=\"admin\"><h2>安全</h2>");
	if (db_query(r->app->db, r->a, Q_LOGIN_LOCKS, p, 2, &res) == RD_OK && res.nrows > 0) {
		html_raw(r, "<p class=\"banner\">以下账号 24 小时内因多次登录失败被暂时锁定过：</p><ul id=\"login-locks\">");
		for (size_t i = 0; i < res.nrows; i++) {
			html_raw(r, "<li>");
			html_esc(r, db_cell(&res, i, 0));
			html_raw(r, "（");
			html_int(r, db_cell_int(&res, i, 1));
			html_raw(r, " 次尝试，自 ");
			html_time(r, db_cell_int(&res, i, 2));
			html_raw(r, "）</li>");
		}
		html_raw(r, "</ul>");
	}
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/sessions/end");
	html_raw(r, "\">");
	html_hidden(r, "csrf", st->csrf);
	html_raw(r, "<button type=\"submit\" class=\"sec\">结束所有工作人员的会话</button></form></section>");
}

void
h_desk_queue(struct req *r)
{
	struct staff st;
	struct dbres res;
	enum rd_err e;
	int shown = 0;

	if (!staff_require(r, &st))
		return;
	const char *states[DESK_QUEUE_SLOTS];
	desk_queue_states(st.role, states);
	/* A merchant's queue goes through its own orders (k_merchant). */
	struct dbval p[] = { DB_STR(st.merchant_id), DB_STR(states[0]), DB_STR(states[1]),
		DB_STR(states[2]), DB_STR(states[3]), DB_STR(states[4]) };
	if (st.role == ROLE_MERCHANT)
		e = db_query(r->app->db, r->a, Q_DESK_QUEUE_MERCHANT, p, 6, &res);
	else
		e = db_query(r->app->db, r->a, Q_DESK_QUEUE, p + 1, 5, &res);
	if (e != RD_OK) {
		fail_page(r, e);
		return;
	}
	html_begin(r, "待处理");
	html_raw(r, "<h1>待处理的退款申请</h1><p class=\"hint\">");
	html_esc(r, staff_role_labels[st.role]);
	html_raw(r, " ");
	html_esc(r, st.login);
	html_raw(r, "</p><section class=\"card\"><table class=\"queue\"><thead><tr><th>截止</th><th>状态</th><th>类型</th><th>金额</th><th>订单</th></tr></thead><tbody>");
	for (size_t i = 0; i < res.nrows; i++) {
		int s = ENUM_LOOKUP(refund_state_names, db_cell(&res, i, 1));
		int t = ENUM_LOOKUP(refund_type_names, db_cell(&res, i, 2));
		if (s < 0 || t < 0 || !desk_queue_shows(st.role, (enum refund_state)s))
			continue;
		shown++;
		html_raw(r, "<tr><td>");
		long long dl = db_cell_int(&res, i, 4);
		if (dl > 0)
			html_time(r, dl);
		else
			html_raw(r, "-");
		if (db_cell_int(&res, i, 5) != 0)
			html_raw(r, " <span class=\"tag no\">风控</span>");
		html_raw(r, "</td><td>");
		html_esc(r, refund_state_labels[s]);
		html_raw(r, "</td><td>");
		html_esc(r, refund_type_labels[t]);
		html_raw(r, "</td><td>");
		html_money(r, db_cell_int(&res, i, 3));
		html_raw(r, "</td><td><a href=\"");
		html_url(r, "/desk/refund/%s", db_cell(&res, i, 0));
		html_raw(r, "\">");
		html_esc(r, db_cell(&res, i, 6));
		html_raw(r, " ");
		html_esc(r, db_cell(&res, i, 7));
		html_raw(r, "</a></td></tr>");
	}
	html_raw(r, "</tbody></table>");
	if (shown == 0)
		html_raw(r, "<p class=\"hint\">没有待处理的申请。</p>");
	else {
		html_raw(r, "<p class=\"hint\" id=\"queue-total\">共 ");
		html_int(r, db_cell_int(&res, 0, 9));
		html_raw(r, " 条，显示截止最早的 ");
		html_int(r, shown);
		html_raw(r, " 条。</p>");
	}
	html_raw(r, "</section>");
	if (st.role == ROLE_ADMIN)
		admin_panel(r, &st);
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/logout");
	html_raw(r, "\">");
	html_hidden(r, "csrf", st.csrf);
	html_raw(r, "<button type=\"submit\" class=\"sec\">退出登录</button></form>");
	html_end(r);
}
