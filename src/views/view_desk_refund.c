/* view_desk_refund.c: the desk's refund page, through the HTML writer only. */
#include "rules/desk.h"
#include "views/view.h"
#include "views/view_desk_refund.h"
#include "web/html.h"

static const char *const risk_labels[] = {
	"买家 24 小时内退款次数过多", "买家 90 天内退款次数过多", "同一 IP 一小时内申请过多", "买家或 IP 在黑名单中",
};

static void
render_history(struct req *r, const struct view_desk_refund *v)
{
	const struct buyer_history *h = v->history;

	html_raw(r, "<section class=\"card\" id=\"history\"><h2>买家退款记录（");
	html_esc(r, v->rf->buyer_id);
	html_raw_if(r, v->history_this_shop_only, "，仅本店", "");
	html_raw(r, "）</h2>");
	if (h->n > 0) {
		html_raw(r, "<p class=\"hint\">共 ");
		html_int(r, h->total);
		html_raw(r, " 条，显示最近 ");
		html_int(r, (long long)h->n);
		html_raw(r, " 条。</p>");
	}
	html_raw(r, "<table><tbody>");
	for (size_t i = 0; i < h->n; i++) {
		const struct buyer_history_row *row = &h->rows[i];
		html_raw(r, "<tr><td>");
		html_time(r, row->created_at);
		html_raw(r, "</td><td>");
		html_esc(r, row->type >= 0 ? refund_type_labels[row->type] : "");
		html_raw(r, "</td><td>");
		html_esc(r, row->state >= 0 ? refund_state_labels[row->state] : "");
		html_raw(r, "</td><td>");
		html_money(r, row->amount);
		html_raw(r, "</td></tr>");
	}
	html_raw(r, "</tbody></table></section>");
}

static void
render_decision(struct req *r, const struct view_desk_refund *v)
{
	const struct refund *rf = v->rf;

	if (v->allowed == 0)
		return;
	html_raw(r, "<section class=\"card\"><h2>处理</h2><form method=\"post\" action=\"");
	html_url(r, "/desk/refund/%s/decision", rf->public_id);
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	for (int a = 0; a < DA__MAX; a++) {
		if (!(v->allowed & (1u << a)))
			continue;
		html_raw(r, "<label><input type=\"radio\" name=\"action\" value=\"");
		html_esc(r, desk_action_names[a]);
		html_raw(r, "\"> ");
		html_esc(r, desk_action_labels[a]);
		html_raw(r, "</label><br>");
	}
	if (v->allowed & (1u << DA_APPROVE)) {
		html_raw(r, "<label class=\"f\" for=\"amount\">退款金额（分，最多 ");
		html_int(r, rf->requested - rf->fee);
		html_raw(r, "）</label><input type=\"text\" id=\"amount\" name=\"amount\" inputmode=\"numeric\" value=\"");
		html_int(r, rf->amount);
		html_raw(r, "\">");
	}
	html_raw(r, "<label class=\"f\" for=\"note\">说明（驳回、要求补充材料时必填，买家可见）</label>"
	    "<textarea id=\"note\" name=\"note\" maxlength=\"1000\"></textarea><button type=\"submit\">提交处理结果</button></form></section>");
}

void
view_desk_refund(struct req *r, const struct view_desk_refund *v)
{
	const struct refund *rf = v->rf;

	html_begin(r, "退款申请");
	html_raw(r, "<p><a href=\"");
	html_url(r, "/desk");
	html_raw(r, "\">← 返回待处理</a></p><h1>退款申请 ");
	html_esc(r, rf->public_id);
	html_raw(r, "</h1><section class=\"card\"><p>状态：<span class=\"state\" data-state=\"");
	html_esc(r, refund_state_names[rf->state]);
	html_raw(r, "\">");
	html_esc(r, refund_state_labels[rf->state]);
	html_raw(r, "</span>");
	if (rf->deadline > 0) {
		html_raw(r, "，处理时限 ");
		html_time(r, rf->deadline);
	}
	html_raw(r, "</p><dl><dt>类型</dt><dd>");
	html_esc(r, refund_type_labels[rf->type]);
	html_raw(r, "</dd><dt>金额</dt><dd>");
	view_amounts(r, rf->requested, rf->fee, rf->amount);
	html_raw(r, "</dd><dt>去向</dt><dd>");
	html_esc(r, destination_labels[rf->dest]);
	html_raw(r, "</dd><dt>原因</dt><dd>");
	html_esc(r, rf->reason);
	html_raw(r, "</dd>");
	if (rf->wrong_account[0] != '\0') {
		html_raw(r, "<dt>正确账号</dt><dd>");
		html_esc(r, rf->wrong_account);
		html_raw(r, "</dd>");
	}
	if (rf->appealed)
		html_raw(r, "<dt>申诉</dt><dd>买家已申诉</dd>");
	html_raw(r, "</dl>");
	if (rf->risk_flags != 0) {
		html_raw(r, "<p class=\"banner\">风控提示：");
		for (size_t i = 0; i < sizeof(risk_labels) / sizeof(risk_labels[0]); i++)
			if (rf->risk_flags & (1u << i)) {
				html_esc(r, risk_labels[i]);
				html_raw(r, "；");
			}
		html_raw(r, "</p>");
	}
	html_raw(r, "</section>");
	render_decision(r, v);
	view_order_card(r, v->o);
	view_timeline(r, rf);
	view_evidence(r, "/desk/refund/", rf);
	render_history(r, v);
	html_end(r);
}
