/* view_refund_status.c: the buyer's refund page, through the HTML writer only. */
#include <string.h>

#include "base/i18n.h"
#include "pages/fields.h"
#include "rules/next_step.h"
#include "views/view.h"
#include "views/view_text.h"
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
		html_raw(r, "\">");
		html_t(r, "补充说明");
		html_raw(r, "</label><textarea id=\"note-");
		html_esc(r, action);
		html_raw(r, "\" name=\"note\" maxlength=\"");
		html_int(r, (long long)form_attr_maxlength(buyer_note_form, BA_NOTE));
		html_raw(r, "\">");
		html_esc(r, this_one && again->note ? again->note : "");
		html_raw(r, "</textarea>");
		view_file_input(r, arena_printf(r->a, "evidence-%s", action), _("凭证文件（可选）"), v->evidence_max_bytes,
		    v->evidence_max_files);
		if (this_one)
			view_field_error(r, arena_printf(r->a, "evidence-%s", action), again->err);
	}
	html_raw_if(r, secondary, "<button type=\"submit\" class=\"sec\">", "<button type=\"submit\">");
	html_tl(r, label);
	html_raw(r, "</button></form>");
}

/* "<time> 前 · 还剩 …": the text is right as of the page; rd-time.js keeps
 * it right while the page stays open. */
void
view_deadline_left(struct req *r, long long deadline)
{
	char left[64];
	/* The words around the time ("<time> 前", "by <time>"): one msgid. */
	const char *around = _("%s 前");
	const char *at = strstr(around, "%s");

	if (at == NULL)
		at = around + strlen(around);
	html_escape_buf(&r->body, around, (size_t)(at - around));
	html_time(r, deadline);
	html_esc(r, *at != '\0' ? at + 2 : "");
	html_raw(r, " · <span class=\"left");
	html_raw_if(r, deadline <= r->now, " over", "");
	html_raw(r, "\" data-left=\"");
	html_int(r, deadline - r->now);
	html_raw(r, "\">");
	html_esc(r, time_left_text(deadline - r->now, left, sizeof(left)));
	html_raw(r, "</span>");
}

/* Who does what next, by when (the deadline named for what it is), and
 * when the money is expected. */
static void
next_step_card(struct req *r, const struct view_refund_status *v)
{
	const struct refund *rf = v->rf;
	const struct next_step *n = &v->next;

	if (n->what == NULL)
		return;
	html_raw(r, "<section class=\"card next\" id=\"next-step\" data-state=\"");
	html_esc(r, refund_state_names[rf->state]);
	html_raw(r, "\"><h2>");
	html_t(r, "下一步");
	html_raw(r, "</h2><p>");
	if (n->who != NULL) {
		html_raw(r, "<strong class=\"by\">");
		html_tl(r, n->who);
		html_raw(r, "</strong>");
		html_t(r, "：");
	}
	html_tl(r, n->what);
	html_raw(r, "</p>");
	if (n->dk != DK_NONE || n->arrival) {
		html_raw(r, "<dl>");
		if (n->dk != DK_NONE) {
			html_raw(r, "<dt>");
			html_tl(r, deadline_kind_labels[n->dk]);
			html_raw(r, "</dt><dd id=\"deadline\" data-kind=\"");
			html_int(r, n->dk);
			html_raw(r, "\">");
			view_deadline_left(r, n->deadline);
			html_raw(r, "</dd>");
		}
		if (n->arrival && v->arrival != NULL) {
			html_raw(r, "<dt>");
			html_t(r, "预计到账");
			html_raw(r, "</dt><dd id=\"arrival\">");
			html_tl(r, rf->dest == DEST_ORIGINAL ? pay_channel_labels[rf->channel]
			    : destination_labels[rf->dest]);
			html_t(r, "：");
			html_tl(r, v->arrival);
			html_raw(r, "</dd>");
		}
		html_raw(r, "</dl>");
	}
	/* The buyer is the one to act: straight to the form below. */
	if (rf->state == RS_NEED_INFO && v->can_add_evidence) {
		html_raw(r, "<p><a class=\"act\" id=\"evidence-link\" href=\"#note-evidence\">");
		html_t(r, "去补充材料");
		html_raw(r, "</a></p>");
	}
	if (v->can_appeal) {
		html_raw(r, "<p><a class=\"act\" id=\"appeal-link\" href=\"");
		html_url(r, "/refund/%s/appeal", rf->public_id);
		html_raw(r, "\">");
		html_t(r, "申请平台仲裁（申诉）");
		html_raw(r, "</a></p>");
	}
	html_raw(r, "</section>");
}

/* i10-appeal2: the arbiter's award on appeal of a partial refund, where it
 * came from, and the total. */
static void
appeal_award_lines(struct req *r, const struct refund *rf)
{
	if (rf->award <= 0)
		return;
	html_raw(r, "<dt>");
	html_t(r, "仲裁追加退款（从商家追回）");
	html_raw(r, "</dt><dd id=\"amt-award\">+");
	html_money(r, rf->award);
	html_raw(r, "</dd><dt>");
	html_t(r, "合计退款");
	html_raw(r, "</dt><dd id=\"amt-total\"><strong>");
	html_money(r, rf->amount + rf->award);
	html_raw(r, "</strong></dd>");
}

/* The money line by line: what was asked, the fee, what was not refunded
 * and where it went, what the buyer gets. A request that ended without
 * money shows what was asked only. */
static void
amount_lines(struct req *r, const struct refund *rf)
{
	bool paid = rf->state == RS_APPROVED || rf->state == RS_REFUNDING || rf->state == RS_REFUNDED ||
	    rf->appealed_partial;    /* i10-appeal2: a partial refund under appeal was paid */
	bool ended = rf->state == RS_REJECTED || rf->state == RS_CANCELLED || rf->state == RS_CLOSED;
	int64_t rest = rf->requested - rf->fee - rf->amount - rf->award;

	html_raw(r, "<dt>");
	html_t(r, "申请金额");
	html_raw(r, "</dt><dd id=\"amt-requested\">");
	html_money(r, rf->requested);
	html_raw(r, "</dd>");
	if (ended)
		return;
	if (rf->fee > 0) {
		html_raw(r, "<dt>");
		html_esc(r, paid ? _("回收手续费（归平台）") : _("回收手续费（预计）"));
		html_raw(r, "</dt><dd id=\"amt-fee\">−");
		html_money(r, rf->fee);
		html_raw(r, "</dd>");
	}
	if (paid && rest > 0) {
		html_raw(r, "<dt>");
		html_t(r, "未退部分");
		html_raw(r, "</dt><dd id=\"amt-rest\">−");
		html_money(r, rest);
		html_t(r, "（部分退款：这部分已结算给商家）");
		html_raw(r, "</dd>");
	}
	html_raw(r, "<dt>");
	html_esc(r, paid ? _("退款金额") : _("预计退款"));
	html_raw(r, "</dt><dd id=\"amt-refund\"><strong>");
	html_money(r, rf->amount);
	html_raw(r, "</strong></dd>");
	appeal_award_lines(r, rf);
}

void
view_refund_status(struct req *r, const struct view_refund_status *v)
{
	const struct refund *rf = v->rf;

	/* Waiting on the storefront's answer, which usually takes seconds:
	 * the page reloads itself until the state moves on. */
	bool asking = rf->state == RS_AWAITING_UPSTREAM;
	html_begin_refresh(r, _("退款进度"), asking ? STATUS_REFRESH_SECS : 0);
	if (v->banner != NULL) {
		html_raw(r, "<p class=\"ok done\" id=\"done\" role=\"status\">");
		html_tl(r, v->banner);
		html_raw(r, "</p>");
	}
	html_raw(r, "<h1>");
	html_t(r, "退款进度");
	html_raw(r, "</h1>");
	if (v->again.action != NULL) {
		/* The form is drawn only if the action is still allowed: if not,
		 * its message is said up here. (The appeal's form is on its own
		 * page, which its refusals draw again.) */
		bool shown = strcmp(v->again.action, "evidence") == 0 && v->can_add_evidence;
		html_raw(r, "<p class=\"banner\" role=\"alert\">");
		if (shown)
			html_t(r, "提交的内容有误，请按表单下方的提示修改后重新提交。");
		else
			html_tl(r, v->again.err);
		html_raw(r, "</p>");
	}
	html_raw(r, "<section class=\"card\"><p>");
	html_t(r, "当前状态：");
	html_raw(r, "<span class=\"state ");
	html_esc(r, refund_state_names[rf->state]);
	html_raw(r, "\" data-state=\"");
	html_esc(r, refund_state_names[rf->state]);
	html_raw(r, "\">");
	html_tl(r, refund_state_labels[rf->state]);
	html_raw(r, "</span></p>");
	if (asking) {
		long long left = rf->deadline > r->now ? rf->deadline - r->now : 0;
		html_raw(r, "<p class=\"asking\" id=\"upstream-wait\">");
		if (left >= 60)
			view_textf(r, _("正在向上游核实商品使用状态，剩余约 %lld 分 %lld 秒；核实为未使用将立即退款，逾期未答复则转人工审核。本页会自动刷新。"),
			    left / 60, left % 60);
		else
			view_textf(r, _("正在向上游核实商品使用状态，剩余约 %lld 秒；核实为未使用将立即退款，逾期未答复则转人工审核。本页会自动刷新。"),
			    left);
		html_raw(r, "</p>");
	}
	html_raw(r, "</section>");
	next_step_card(r, v);
	html_raw(r, "<section class=\"card\"><h2>");
	html_t(r, "申请详情");
	html_raw(r, "</h2><dl><dt>");
	html_t(r, "订单");
	html_raw(r, "</dt><dd>");
	html_esc(r, rf->title);
	html_t(r, "（");
	html_esc(r, rf->order_no);
	html_t(r, "）");
	html_raw(r, "</dd><dt>");
	html_t(r, "退款类型");
	html_raw(r, "</dt><dd>");
	html_tl(r, refund_type_labels[rf->type]);
	html_raw(r, "</dd>");
	amount_lines(r, rf);
	html_raw(r, "<dt>");
	html_t(r, "退款去向");
	html_raw(r, "</dt><dd>");
	html_tl(r, destination_labels[rf->dest]);
	if (rf->dest == DEST_ORIGINAL) {
		html_t(r, "（");
		html_tl(r, pay_channel_labels[rf->channel]);
		html_t(r, "）");
	}
	html_raw(r, "</dd><dt>");
	html_t(r, "申请时间");
	html_raw(r, "</dt><dd>");
	html_time(r, rf->created_at);
	html_raw(r, "</dd><dt>");
	html_t(r, "申请原因");
	html_raw(r, "</dt><dd class=\"reason\">");
	html_esc(r, rf->reason);
	html_raw(r, "</dd></dl></section>");
	view_timeline(r, rf, false);
	view_evidence(r, "/refund/", rf);

	if (v->can_add_evidence || v->can_cancel) {
		html_raw(r, "<section class=\"card\"><h2>");
		html_t(r, "可进行的操作");
		html_raw(r, "</h2>");
		if (v->can_add_evidence)
			action_form(r, v, "evidence", N_("补充凭证"), true, false);
		/* Cancel asks first: this posts without confirm=1 and gets the
		 * confirm page (views/view_buyer_confirm.c). */
		if (v->can_cancel)
			action_form(r, v, "cancel", N_("撤销退款申请"), false, true);
		html_raw(r, "</section>");
		if (v->can_add_evidence)
			view_upload_script(r);
	}
	view_logout(r, v->buyer_signed_in);
	if (v->next.dk != DK_NONE) {
		html_raw(r, "<script src=\"");
		html_url(r, "/static/rd-time.js");
		html_raw(r, "\" defer></script>");
	}
	html_end(r);
}
