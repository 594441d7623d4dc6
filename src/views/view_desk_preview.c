/* view_desk_preview.c: the decision's preview and its confirm form, through
 * the HTML writer only. */
#include <stdio.h>

#include "base/money.h"
#include "views/view.h"
#include "views/view_desk_preview.h"
#include "web/html.h"

static void
money_row(struct req *r, const char *id, const char *label, int64_t fen)
{
	html_raw(r, "<dt>");
	html_esc(r, label);
	html_raw(r, "</dt><dd id=\"");
	html_esc(r, id);
	html_raw(r, "\">");
	html_money(r, fen);
	html_raw(r, "</dd>");
}

/* Where the money goes, read off the ledger plan ledger_refund() posts. */
static void
render_money(struct req *r, const struct view_desk_preview *v)
{
	const struct desk_money *m = &v->money;

	money_row(r, "pv-buyer", _("退给买家"), m->to_buyer);
	html_raw(r, "<dt>");
	html_t(r, "退款方式");
	html_raw(r, "</dt><dd id=\"pv-via\">");
	if (m->via_payout) {
		html_t(r, "原路退回（");
		html_tl(r, pay_channel_labels[v->o->channel]);
		html_t(r, "，待支付渠道确认到账）");
	} else {
		html_t(r, "退到买家平台余额（立即到账）");
	}
	html_raw(r, "</dd>");
	if (m->from_escrow) {
		money_row(r, "pv-merchant", _("结算给商家"), m->to_merchant);
		money_row(r, "pv-fee", _("平台手续费"), m->fee);
		html_raw(r, "<dt>");
		html_t(r, "资金来源");
		html_raw(r, "</dt><dd id=\"pv-source\">");
		html_t(r, "担保款（订单 ");
		html_money(r, v->o->hold_amount);
		html_t(r, "）");
		html_raw(r, "</dd>");
	} else {
		money_row(r, "pv-clawback", _("从商家追回"), m->clawback);
		html_raw(r, "<dt>");
		html_t(r, "资金来源");
		html_raw(r, "</dt><dd id=\"pv-source\">");
		html_t(r, "担保款已结算给商家：从商家追回（不收手续费）");
		html_raw(r, "</dd>");
	}
	if (v->choice == AC_FULL && v->rf->fee > 0) {
		html_raw(r, "<dt>");
		html_t(r, "手续费");
		html_raw(r, "</dt><dd id=\"pv-waived\">");
		html_t(r, "全额退款，免收 ");
		html_money(r, v->rf->fee);
		html_raw(r, "</dd>");
	}
}

/* What a decision without an approval does to the money. */
static void
render_hold(struct req *r, const struct view_desk_preview *v)
{
	html_raw(r, "<dt>");
	html_t(r, "担保款");
	html_raw(r, "</dt><dd id=\"pv-hold\">");
	switch (v->row->hold) {
	case FLOW_HOLD_UNFREEZE:
		html_t(r, "解除冻结，到期按规则结算给商家；不退款");
		break;
	case FLOW_HOLD_PAYOUT_TO_BALANCE:
		html_t(r, "原路退款失败的 ");
		html_money(r, v->rf->amount);
		html_t(r, " 改退到买家平台余额");
		break;
	default:
		html_t(r, "不变，没有资金变动");
		break;
	}
	html_raw(r, "</dd>");
}

/* Where the request goes, and what waits on whom. */
static void
render_flow(struct req *r, const struct view_desk_preview *v)
{
	const struct flow_row *row = v->row;

	html_raw(r, "<dt>");
	html_t(r, "处理后状态");
	html_raw(r, "</dt><dd id=\"pv-state\">");
	html_tl(r, refund_state_labels[row->to]);
	html_raw(r, "</dd>");
	if (v->deadline > 0) {
		html_raw(r, "<dt>");
		if (row->deadline == FDL_APPEAL)
			html_t(r, "可申诉至");
		else if (row->deadline == FDL_NEED_INFO)
			html_t(r, "补充材料截止");
		else
			html_t(r, "审核时限");
		html_raw(r, "</dt><dd>");
		html_time(r, v->deadline);
		html_raw(r, "</dd>");
	}
	/* An approval's hold effect is the movement above. */
	if (row->hold != FLOW_HOLD_REFUND)
		render_hold(r, v);
	if (row->webhook != NULL) {
		html_raw(r, "<dt>");
		html_t(r, "通知商城");
		html_raw(r, "</dt><dd>");
		html_esc(r, row->webhook);
		html_raw(r, "</dd>");
	}
}

static void
render_notes(struct req *r, const struct view_desk_preview *v)
{
	html_raw(r, "<dt>");
	html_t(r, "给买家的说明");
	html_raw(r, "</dt><dd id=\"pv-note\">");
	html_esc(r, v->note[0] != '\0' ? v->note : i18n_tr(v->row->note));
	if (v->note[0] == '\0') {
		html_raw(r, "<span class=\"hint\">");
		html_t(r, "（默认）");
		html_raw(r, "</span>");
	}
	html_raw(r, "</dd><dt>");
	html_t(r, "内部备注");
	html_raw(r, "</dt><dd id=\"pv-internal\">");
	html_esc(r, v->internal[0] != '\0' ? v->internal : _("无"));
	html_raw(r, "</dd>");
}

void
view_desk_preview(struct req *r, const struct view_desk_preview *v)
{
	const struct refund *rf = v->rf;
	char yuan[32];

	html_begin(r, _("确认处理"));
	html_raw(r, "<p><a id=\"back\" href=\"");
	html_url(r, "/desk/refund/%s", rf->public_id);
	html_raw(r, "\">");
	html_t(r, "← 返回修改");
	html_raw(r, "</a></p><h1 id=\"preview\">");
	html_t(r, "确认：");
	html_tl(r, desk_action_labels[v->action]);
	html_raw(r, "</h1><section class=\"card\"><p class=\"banner\">");
	html_t(r, "尚未执行：请核对以下内容，确认后才会生效。");
	html_raw(r, "</p><p>");
	html_t(r, "申请 ");
	html_esc(r, rf->public_id);
	html_t(r, " · 订单 ");
	html_esc(r, rf->order_no);
	html_t(r, " · 申请金额 ");
	html_money(r, rf->requested);
	html_raw(r, "</p><dl class=\"preview\" id=\"preview-detail\">");
	if (v->row->hold == FLOW_HOLD_REFUND)
		render_money(r, v);
	render_flow(r, v);
	render_notes(r, v);
	html_raw(r, "</dl></section><form method=\"post\" class=\"card\" action=\"");
	html_url(r, "/desk/refund/%s/decision", rf->public_id);
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	html_hidden(r, "action", desk_action_names[v->action]);
	if (v->row->hold == FLOW_HOLD_REFUND) {
		/* The amount exactly as previewed: confirm refuses another. */
		money_format(v->amount, yuan);
		html_hidden(r, "amount", yuan);
		if (v->choice >= 0)
			html_hidden(r, "amount_choice", amount_choice_names[v->choice]);
	}
	html_hidden(r, "note", v->note);
	html_hidden(r, "internal_note", v->internal);
	html_hidden(r, "confirm", "1");
	/* An agent works a queue: once done, the next request, unless unticked. */
	html_raw(r, "<label class=\"chk\"><input type=\"checkbox\" name=\"next\" value=\"1\" id=\"next\" checked> ");
	html_t(r, "确认后打开下一条待处理申请");
	html_raw(r, "</label>");
	char confirm[128];
	snprintf(confirm, sizeof(confirm), _("确认%s"), i18n_tr(desk_action_labels[v->action]));
	html_raw(r, "<button type=\"submit\" id=\"confirm\">");
	html_esc(r, confirm);
	if (v->row->hold == FLOW_HOLD_REFUND) {
		html_raw(r, " ");
		html_money(r, v->money.to_buyer);
	}
	html_raw(r, "</button><p class=\"hint key\" id=\"key-help\">");
	html_t(r, "快捷键：");
	html_raw(r, "<kbd>Y</kbd>");
	html_t(r, " 确认，");
	html_raw(r, "<kbd>Esc</kbd>");
	html_t(r, " 返回修改。");
	html_raw(r, "</p></form>");
	/* i10-desk: the confirm step's shortcuts (static/desk.js). */
	html_raw(r, "<script src=\"");
	html_url(r, "/static/desk.js");
	html_raw(r, "\" defer></script>");
	html_end(r);
}
