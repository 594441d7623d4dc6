/* view_refund_status.c: the buyer's refund page, through the HTML writer only. */
#include <string.h>

#include "pages/fields.h"
#include "views/view.h"
#include "views/view_refund_status.h"
#include "web/html.h"

#define STATUS_REFRESH_SECS 3

static void
action_form(struct req *r, const struct view_refund_status *v, const char *action, const char *label,
    bool with_files, bool secondary)
{
	const struct status_again *again = &v->again;
	bool this_one = again->action != NULL && strcmp(again->action, action) == 0;

	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/refund/%s/%s", v->rf->public_id, action);
	html_raw_if(r, with_files, "\" enctype=\"multipart/form-data\">", "\">");
	html_hidden(r, "csrf", v->csrf);
	if (with_files) {
		html_raw(r, "<label class=\"f\" for=\"note-");
		html_esc(r, action);
		html_raw(r, "\">补充说明</label><textarea id=\"note-");
		html_esc(r, action);
		html_raw(r, "\" name=\"note\" maxlength=\"");
		html_int(r, (long long)form_attr_maxlength(buyer_note_form, BA_NOTE));
		html_raw(r, "\">");
		html_esc(r, this_one && again->note ? again->note : "");
		html_raw(r, "</textarea>");
		view_file_input(r, arena_printf(r->a, "evidence-%s", action), "凭证文件（可选）", v->evidence_max_bytes,
		    v->evidence_max_files);
		if (this_one)
			view_field_error(r, arena_printf(r->a, "evidence-%s", action), again->err);
	}
	html_raw_if(r, secondary, "<button type=\"submit\" class=\"sec\">", "<button type=\"submit\">");
	html_esc(r, label);
	html_raw(r, "</button></form>");
}

void
view_refund_status(struct req *r, const struct view_refund_status *v)
{
	const struct refund *rf = v->rf;

	/* Waiting on the storefront's answer, which usually takes seconds:
	 * the page reloads itself until the state moves on. */
	bool asking = rf->state == RS_AWAITING_UPSTREAM;
	html_begin_refresh(r, "退款进度", asking ? STATUS_REFRESH_SECS : 0);
	html_raw(r, "<h1>退款进度</h1>");
	if (v->again.action != NULL) {
		/* The form is drawn only if the action is still allowed: if not,
		 * its message is said up here. */
		bool shown = (strcmp(v->again.action, "evidence") == 0 && v->can_add_evidence) ||
		    (strcmp(v->again.action, "appeal") == 0 && v->can_appeal);
		html_raw(r, "<p class=\"banner\" role=\"alert\">");
		if (shown)
			html_raw(r, "提交的内容有误，请按表单下方的提示修改后重新提交。");
		else
			html_esc(r, v->again.err);
		html_raw(r, "</p>");
	}
	html_raw(r, "<section class=\"card\"><p>当前状态：<span class=\"state ");
	html_esc(r, refund_state_names[rf->state]);
	html_raw(r, "\" data-state=\"");
	html_esc(r, refund_state_names[rf->state]);
	html_raw(r, "\">");
	html_esc(r, refund_state_labels[rf->state]);
	html_raw(r, "</span></p>");
	if (asking) {
		long long left = rf->deadline > r->now ? rf->deadline - r->now : 0;
		html_raw(r, "<p class=\"asking\" id=\"upstream-wait\">正在向上游核实商品使用状态，剩余约 ");
		if (left >= 60) {
			html_int(r, left / 60);
			html_raw(r, " 分 ");
		}
		html_int(r, left % 60);
		html_raw(r, " 秒；核实为未使用将立即退款，逾期未答复则转人工审核。本页会自动刷新。</p>");
	}
	html_raw(r, "<dl><dt>订单</dt><dd>");
	html_esc(r, rf->title);
	html_raw(r, "（");
	html_esc(r, rf->order_no);
	html_raw(r, "）</dd><dt>退款类型</dt><dd>");
	html_esc(r, refund_type_labels[rf->type]);
	html_raw(r, "</dd><dt>申请金额</dt><dd>");
	html_money(r, rf->requested);
	html_raw(r, "</dd><dt>手续费</dt><dd>");
	html_money(r, rf->fee);
	html_raw(r, "</dd><dt>退款金额</dt><dd>");
	html_money(r, rf->amount);
	html_raw(r, "</dd><dt>退款去向</dt><dd>");
	html_esc(r, destination_labels[rf->dest]);
	if (rf->dest == DEST_ORIGINAL) {
		html_raw(r, "（");
		html_esc(r, pay_channel_labels[rf->channel]);
		html_raw(r, "）");
	}
	html_raw(r, "</dd><dt>申请时间</dt><dd>");
	html_time(r, rf->created_at);
	html_raw(r, "</dd>");
	if (rf->deadline > 0) {
		html_raw(r, "<dt>处理时限</dt><dd>");
		html_time(r, rf->deadline);
		html_raw(r, " 前</dd>");
	}
	html_raw(r, "<dt>申请原因</dt><dd class=\"reason\">");
	html_esc(r, rf->reason);
	html_raw(r, "</dd></dl></section>");
	view_timeline(r, rf, false);
	view_evidence(r, "/refund/", rf);

	if (v->can_add_evidence || v->can_appeal || v->can_cancel) {
		html_raw(r, "<section class=\"card\"><h2>可进行的操作</h2>");
		if (v->can_add_evidence)
			action_form(r, v, "evidence", "补充凭证", true, false);
		if (v->can_appeal)
			action_form(r, v, "appeal", "申请平台仲裁（申诉）", true, false);
		if (v->can_cancel)
			action_form(r, v, "cancel", "撤销退款申请", false, true);
		html_raw(r, "</section>");
		if (v->can_add_evidence || v->can_appeal)
			view_upload_script(r);
	}
	view_logout(r, v->buyer_signed_in);
	html_end(r);
}
