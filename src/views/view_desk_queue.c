/* view_desk_queue.c: the desk's queue page, through the HTML writer only. */
#include "rules/domain.h"
#include "views/view_desk_queue.h"
#include "web/html.h"

/* Admins see the accounts locked by failed logins, and can end every
 * staff session. */
static void
admin_panel(struct req *r, const struct view_desk_queue *v)
{
	html_raw(r, "<section class=\"card\" id=\"admin\"><h2>安全</h2>");
	if (v->nlocks > 0) {
		html_raw(r, "<p class=\"banner\">以下账号 24 小时内因多次登录失败被暂时锁定过：</p><ul id=\"login-locks\">");
		for (size_t i = 0; i < v->nlocks; i++) {
			html_raw(r, "<li>");
			html_esc(r, v->locks[i].login);
			html_raw(r, "（");
			html_int(r, v->locks[i].attempts);
			html_raw(r, " 次尝试，自 ");
			html_time(r, v->locks[i].since);
			html_raw(r, "）</li>");
		}
		html_raw(r, "</ul>");
	}
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/sessions/end");
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->st->csrf);
	html_raw(r, "<button type=\"submit\" class=\"sec\">结束所有工作人员的会话</button></form></section>");
}

void
view_desk_queue(struct req *r, const struct view_desk_queue *v)
{
	const struct staff *st = v->st;

	html_begin(r, "待处理");
	html_raw(r, "<h1>待处理的退款申请</h1><p class=\"hint\">");
	html_esc(r, staff_role_labels[st->role]);
	html_raw(r, " ");
	html_esc(r, st->login);
	html_raw(r, "</p><section class=\"card\"><table class=\"queue\"><thead><tr><th>截止</th><th>状态</th><th>类型</th><th>金额</th><th>订单</th></tr></thead><tbody>");
	for (size_t i = 0; i < v->q->n; i++) {
		const struct desk_queue_row *row = &v->q->rows[i];
		if (!v->shown[i])
			continue;
		html_raw(r, "<tr><td>");
		if (row->deadline > 0)
			html_time(r, row->deadline);
		else
			html_raw(r, "-");
		if (row->risk)
			html_raw(r, " <span class=\"tag no\">风控</span>");
		html_raw(r, "</td><td>");
		html_esc(r, refund_state_labels[row->state]);
		html_raw(r, "</td><td>");
		html_esc(r, refund_type_labels[row->type]);
		html_raw(r, "</td><td>");
		html_money(r, row->amount);
		html_raw(r, "</td><td><a href=\"");
		html_url(r, "/desk/refund/%s", row->public_id);
		html_raw(r, "\">");
		html_esc(r, row->order_no);
		html_raw(r, " ");
		html_esc(r, row->title);
		html_raw(r, "</a></td></tr>");
	}
	html_raw(r, "</tbody></table>");
	if (v->nshown == 0)
		html_raw(r, "<p class=\"hint\">没有待处理的申请。</p>");
	else {
		html_raw(r, "<p class=\"hint\" id=\"queue-total\">共 ");
		html_int(r, v->q->total);
		html_raw(r, " 条，显示截止最早的 ");
		html_int(r, (long long)v->nshown);
		html_raw(r, " 条。</p>");
	}
	html_raw(r, "</section>");
	if (st->role == ROLE_ADMIN)
		admin_panel(r, v);
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/logout");
	html_raw(r, "\">");
	html_hidden(r, "csrf", st->csrf);
	html_raw(r, "<button type=\"submit\" class=\"sec\">退出登录</button></form>");
	html_end(r);
}
