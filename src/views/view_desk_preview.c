/* view_desk_preview.c: the decision's preview and its confirm form, through
 * the HTML writer only. */
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

	money_row(r, "pv-buyer", "退给买家", m->to_buyer);
	html_raw(r, "<dt>退款方式</dt><dd id=\"pv-via\">");
	if (m->via_payout) {
		html_raw(r, "原路退回（");
		html_tl(r, pay_channel_labels[v->o->channel]);
		html_raw(r, "，待支付渠道确认到账）");
	} else {
		html_raw(r, "退到买家平台余额（立即到账）");
	}
	html_raw(r, "</dd>");
	if (m->from_escrow) {
		money_row(r, "pv-merchant", "结算给商家", m->to_merchant);
		money_row(r, "pv-fee", "平台手续费", m->fee);
		html_raw(r, "<dt>资金来源</dt><dd id=\"pv-source\">担保款（订单 ");
		html_money(r, v->o->hold_amount);
		html_raw(r, "）</dd>");
	} else {
		money_row(r, "pv-clawback", "从商家追回", m->clawback);
		html_raw(r, "<dt>资金来源</dt><dd id=\"pv-source\">担保款已结算给商家：从商家追回（不收手续费）</dd>");
	}
	if (v->choice == AC_FULL && v->rf->fee > 0) {
		html_raw(r, "<dt>手续费</dt><dd id=\"pv-waived\">全额退款，免收 ");
		html_money(r, v->rf->fee);
		html_raw(r, "</dd>");
	}
}

/* What a decision without an approval does to the money. */
static void
render_hold(struct req *r, const struct view_desk_preview *v)
{
	html_raw(r, "<dt>担保款</dt><dd id=\"pv-hold\">");
	switch (v->row->hold) {
	case FLOW_HOLD_UNFREEZE:
		html_raw(r, "解除冻结，到期按规则结算给商家；不退款");
		break;
	case FLOW_HOLD_PAYOUT_TO_BALANCE:
		html_raw(r, "原路退款失败的 ");
		html_money(r, v->rf->amount);
		html_raw(r, " 改退到买家平台余额");
		break;
	default:
		html_raw(r, "不变，没有资金变动");
		break;
	}
	html_raw(r, "</dd>");
}

/* Where the request goes, and what waits on whom. */
static void
render_flow(struct req *r, const struct view_desk_preview *v)
{
	const struct flow_row *row = v->row;

	html_raw(r, "<dt>处理后状态</dt><dd id=\"pv-state\">");
	html_tl(r, refund_state_labels[row->to]);
	html_raw(r, "</dd>");
	if (v->deadline > 0) {
		if (row->deadline == FDL_APPEAL)
			html_raw(r, "<dt>可申诉至</dt><dd>");
		else if (row->deadline == FDL_NEED_INFO)
			html_raw(r, "<dt>补充材料截止</dt><dd>");
		else
			html_raw(r, "<dt>审核时限</dt><dd>");
		html_time(r, v->deadline);
		html_raw(r, "</dd>");
	}
	/* An approval's hold effect is the movement above. */
	if (row->hold != FLOW_HOLD_REFUND)
		render_hold(r, v);
	if (row->webhook != NULL) {
		html_raw(r, "<dt>通知商城</dt><dd>");
		html_esc(r, row->webhook);
		html_raw(r, "</dd>");
	}
}

static void
render_notes(struct req *r, const struct view_desk_preview *v)
{
	html_raw(r, "<dt>给买家的说明</dt><dd id=\"pv-note\">");
	html_esc(r, v->note[0] != '\0' ? v->note : v->row->note);
	html_raw_if(r, v->note[0] == '\0', "<span class=\"hint\">（默认）</span>", "");
	html_raw(r, "</dd><dt>内部备注</dt><dd id=\"pv-internal\">");
	html_esc(r, v->internal[0] != '\0' ? v->internal : "无");
	html_raw(r, "</dd>");
}

void
view_desk_preview(struct req *r, const struct view_desk_preview *v)
{
	const struct refund *rf = v->rf;
	char yuan[32];

	html_begin(r, "确认处理");
	html_raw(r, "<p><a id=\"back\" href=\"");
	html_url(r, "/desk/refund/%s", rf->public_id);
	html_raw(r, "\">← 返回修改</a></p><h1 id=\"preview\">确认：");
	html_esc(r, desk_action_labels[v->action]);
	html_raw(r, "</h1><section class=\"card\"><p class=\"banner\">尚未执行：请核对以下内容，确认后才会生效。</p><p>申请 ");
	html_esc(r, rf->public_id);
	html_raw(r, " · 订单 ");
	html_esc(r, rf->order_no);
	html_raw(r, " · 申请金额 ");
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
	html_raw(r, "<button type=\"submit\" id=\"confirm\">确认");
	html_esc(r, desk_action_labels[v->action]);
	if (v->row->hold == FLOW_HOLD_REFUND) {
		html_raw(r, " ");
		html_money(r, v->money.to_buyer);
	}
	html_raw(r, "</button><p class=\"hint key\" id=\"key-help\">快捷键：<kbd>Y</kbd> 确认，<kbd>Esc</kbd> 返回修改。</p></form>");
	/* i10-desk: the confirm step's shortcuts (static/desk.js). */
	html_raw(r, "<script src=\"");
	html_url(r, "/static/desk.js");
	html_raw(r, "\" defer></script>");
	html_end(r);
}
