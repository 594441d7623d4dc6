/* view_buyer_confirm.c: the confirm pages of cancel, confirm receipt and
 * the one-time appeal, through the HTML writer only. */
#include "base/i18n.h"
#include "pages/fields.h"
#include "views/view.h"
#include "views/view_buyer_confirm.h"
#include "web/html.h"

/* Back to where the buyer came from, without acting. */
static void
back_link(struct req *r, const struct view_buyer_confirm *v)
{
	html_raw(r, "<p><a class=\"act\" id=\"confirm-back\" href=\"");
	if (v->what == BC_RECEIPT)
		html_url(r, "/refund/new?order=%s", v->order_no);
	else
		html_url(r, "/refund/%s", v->public_id);
	html_raw(r, "\">");
	html_t(r, "返回，不操作");
	html_raw(r, "</a></p>");
}

/* "<dl><dt>商品</dt><dd>title（order）</dd>": the list stays open. */
static void
product_line(struct req *r, const struct view_buyer_confirm *v)
{
	html_raw(r, "<dl><dt>");
	html_t(r, "商品");
	html_raw(r, "</dt><dd>");
	html_esc(r, v->title);
	html_t(r, "（");
	html_esc(r, v->order_no);
	html_t(r, "）");
	html_raw(r, "</dd>");
}

static void
appeal_page(struct req *r, const struct view_buyer_confirm *v)
{
	html_begin(r, _("申请平台仲裁"));
	html_raw(r, "<h1>");
	html_t(r, "申请平台仲裁（申诉）");
	html_raw(r, "</h1><section class=\"card confirm\" id=\"confirm\" data-action=\"appeal\">"
	    "<p class=\"banner\" id=\"appeal-once\"><strong>");
	html_t(r, "申诉只有一次机会。");
	html_raw(r, "</strong>");
	html_t(r, "平台仲裁会重新审核全部材料并作出最终裁决，裁决后不能再次申诉。");
	html_raw(r, "</p>");
	product_line(r, v);
	if (v->amount > 0) {
		/* i10-appeal2: what an appeal of a partial refund can and cannot change. */
		html_raw(r, "<dt>");
		html_t(r, "已部分退款");
		html_raw(r, "</dt><dd id=\"appeal-partial\">");
		html_money(r, v->amount);
		html_raw(r, "<br>");
		html_t(r, "仲裁可以维持原退款，或从商家追回并追加退款；回收手续费不退。");
		html_raw(r, "</dd>");
	}
	if (v->deadline > 0) {
		html_raw(r, "<dt>");
		html_t(r, "可申诉至");
		html_raw(r, "</dt><dd>");
		view_deadline_left(r, v->deadline);
		html_raw(r, "</dd>");
	}
	html_raw(r, "</dl>");
	view_field_error(r, "confirm", v->message);
	html_raw(r, "<form method=\"post\" enctype=\"multipart/form-data\" action=\"");
	html_url(r, "/refund/%s/appeal", v->public_id);
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	html_raw(r, "<label class=\"f\" for=\"note-appeal\">");
	html_t(r, "申诉理由");
	html_raw(r, "</label><textarea id=\"note-appeal\" name=\"note\" maxlength=\"");
	html_int(r, (long long)form_attr_maxlength(buyer_note_form, BA_NOTE));
	html_raw(r, "\">");
	html_esc(r, v->note != NULL ? v->note : "");
	html_raw(r, "</textarea>");
	view_file_input(r, "evidence-appeal", _("新的凭证（可选）"), v->max_bytes, v->max_files);
	view_field_error(r, "evidence-appeal", v->file_err);
	html_raw(r, "<label class=\"chk\"><input type=\"checkbox\" name=\"confirm\" value=\"1\" id=\"confirm-once\" required> ");
	html_t(r, "我已了解：申诉只有一次，仲裁结果为最终结果");
	html_raw(r, "</label><button type=\"submit\" id=\"confirm-go\">");
	html_t(r, "提交申诉");
	html_raw(r, "</button></form>");
	back_link(r, v);
	html_raw(r, "</section>");
	view_upload_script(r);
	html_end(r);
}

void
view_buyer_confirm(struct req *r, const struct view_buyer_confirm *v)
{
	if (v->what == BC_APPEAL) {
		appeal_page(r, v);
		return;
	}
	bool cancel = v->what == BC_CANCEL;
	html_begin(r, cancel ? _("确认撤销") : _("确认收货"));
	html_raw(r, "<h1>");
	html_esc(r, cancel ? _("确认撤销退款申请？") : _("确认收货？"));
	html_raw_if(r, cancel, "</h1><section class=\"card confirm\" id=\"confirm\" data-action=\"cancel\"><p>",
	    "</h1><section class=\"card confirm\" id=\"confirm\" data-action=\"receipt\"><p>");
	html_esc(r, cancel ? _("撤销后本申请结束，冻结的货款恢复正常；如仍有问题，可以重新申请。")
	    : _("确认收货后，货款将立即支付给商家，此操作不能撤回。请确认商品已正常使用。"));
	html_raw(r, "</p>");
	product_line(r, v);
	if (!cancel) {
		html_raw(r, "<dt>");
		html_t(r, "订单实付");
		html_raw(r, "</dt><dd>");
		html_money(r, v->amount);
		html_raw(r, "</dd>");
	}
	html_raw(r, "</dl><form method=\"post\" action=\"");
	if (cancel)
		html_url(r, "/refund/%s/cancel", v->public_id);
	else
		html_url(r, "/order/%s/confirm", v->order_no);
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	html_hidden(r, "confirm", "1");
	html_raw(r, "<button type=\"submit\" id=\"confirm-go\">");
	html_esc(r, cancel ? _("确认撤销") : _("确认收货"));
	html_raw(r, "</button></form>");
	back_link(r, v);
	html_raw(r, "</section>");
	html_end(r);
}
