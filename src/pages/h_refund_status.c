/* h_refund_status.c: GET /refund/ID: state, amounts, deadline, timeline,
 * evidence and the actions allowed now. One database round trip: the
 * refund row carries its timeline and evidence list as JSON. */
#include <string.h>

#include "rules/flow.h"
#include "base/config.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "views/view.h"

static void
action_form(struct req *r, const char *public_id, const char *action, const char *label,
    bool with_files, bool secondary)
{
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/refund/%s/%s", public_id, action);
	html_raw(r, with_files ? "\" enctype=\"multipart/form-data\">" : "\">");
	html_hidden(r, "csrf", req_csrf(r));
	if (with_files) {
		html_raw(r, "<label class=\"f\" for=\"note-");
		html_raw(r, action);
		html_raw(r, "\">补充说明</label><textarea id=\"note-");
		html_raw(r, action);
		html_raw(r, "\" name=\"note\" maxlength=\"1000\"></textarea>"
		    "<input type=\"file\" name=\"evidence\" multiple accept=\"image/png,image/jpeg,image/webp,application/pdf\">");
	}
	html_raw(r, secondary ? "<button type=\"submit\" class=\"sec\">" : "<button type=\"submit\">");
	html_esc(r, label);
	html_raw(r, "</button></form>");
}

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
	html_begin(r, "退款进度");
	html_raw(r, "<h1>退款进度</h1><section class=\"card\"><p>当前状态：<span class=\"state ");
	html_esc(r, refund_state_names[rf.state]);
	html_raw(r, "\" data-state=\"");
	html_esc(r, refund_state_names[rf.state]);
	html_raw(r, "\">");
	html_esc(r, refund_state_labels[rf.state]);
	html_raw(r, "</span></p><dl><dt>订单</dt><dd>");
	html_esc(r, rf.title);
	html_raw(r, "（");
	html_esc(r, rf.order_no);
	html_raw(r, "）</dd><dt>退款类型</dt><dd>");
	html_esc(r, refund_type_labels[rf.type]);
	html_raw(r, "</dd><dt>申请金额</dt><dd>");
	html_money(r, rf.requested);
	html_raw(r, "</dd><dt>手续费</dt><dd>");
	html_money(r, rf.fee);
	html_raw(r, "</dd><dt>退款金额</dt><dd>");
	html_money(r, rf.amount);
	html_raw(r, "</dd><dt>退款去向</dt><dd>");
	html_esc(r, destination_labels[rf.dest]);
	if (rf.dest == DEST_ORIGINAL) {
		html_raw(r, "（");
		html_esc(r, pay_channel_labels[rf.channel]);
		html_raw(r, "）");
	}
	html_raw(r, "</dd><dt>申请时间</dt><dd>");
	html_time(r, rf.created_at);
	html_raw(r, "</dd>");
	if (rf.deadline > 0) {
		html_raw(r, "<dt>处理时限</dt><dd>");
		html_time(r, rf.deadline);
		html_raw(r, " 前</dd>");
	}
	html_raw(r, "<dt>申请原因</dt><dd class=\"reason\">");
	html_esc(r, rf.reason);
	html_raw(r, "</dd></dl></section>");
	view_timeline(r, &rf);
	view_evidence(r, "/refund/", &rf);

	unsigned allowed = refund_actions(&rf, r->now);
	if (allowed) {
		html_raw(r, "<section class=\"card\"><h2>可进行的操作</h2>");
		if (allowed & ACT_EVIDENCE)
			action_form(r, rf.public_id, "evidence", "补充凭证", true, false);
		if (allowed & ACT_APPEAL)
			action_form(r, rf.public_id, "appeal", "申请平台仲裁（申诉）", true, false);
		if (allowed & ACT_CANCEL)
			action_form(r, rf.public_id, "cancel", "撤销退款申请", false, true);
		html_raw(r, "</section>");
	}
	view_logout(r);
	html_end(r);
}
