/* view_refund_form.c: the refund form page, through the HTML writer only. */
#include <string.h>


#include "views/view.h"
#include "views/view_text.h"
#include "views/view_refund_form.h"
#include "web/html.h"

static void
evidence_hint(struct req *r, const struct decision *d)
{
	html_esc(r, d->evidence_required ? _("需要上传凭证（截图或记录）") : _("无需凭证"));
}

/* One radio per type with its verdict: instant, review or not allowed. */
static void
render_types(struct req *r, const struct view_refund_form *v)
{
	/* The instant choices first, then those a person decides, then those
	 * not possible (rank 0, 1, 2). */
	int order[RT__MAX], n = 0;
	for (int rank = 0; rank < 3; rank++)
		for (int t = 0; t < RT__MAX; t++) {
			enum decision_kind k = v->types[t].kind;
			if ((k == DECIDE_INSTANT ? 0 : k == DECIDE_NOT_ALLOWED ? 2 : 1) == rank)
				order[n++] = t;
		}
	html_raw(r, "<fieldset class=\"card\"><legend><h2>");
	html_t(r, "选择退款类型");
	html_raw(r, "</h2></legend><ul class=\"types\">");
	for (int i = 0; i < n; i++) {
		int t = order[i];
		const struct decision *d = &v->types[t];
		bool ok = d->kind != DECIDE_NOT_ALLOWED;
		html_raw_if(r, ok, "<li data-type=\"", "<li class=\"no\" data-type=\"");
		html_esc(r, refund_type_names[t]);
		html_raw(r, "\">");
		html_raw(r, "<label><input type=\"radio\" name=\"type\" value=\"");
		html_esc(r, refund_type_names[t]);
		html_raw(r, "\"");
		if (!ok)
			html_raw(r, " disabled");
		else if (v->type != NULL && strcmp(v->type, refund_type_names[t]) == 0)
			html_raw(r, " checked");
		html_raw(r, "><span>");
		html_tl(r, refund_type_labels[t]);
		if (d->kind == DECIDE_INSTANT) {
			html_raw(r, "<span class=\"tag instant\">");
			html_t(r, "通常秒退");
		} else if (d->kind == DECIDE_REVIEW && d->ask_upstream) {   /* issue 15 */
			html_raw(r, "<span class=\"tag\">");
			html_t(r, "先向上游核实");
		} else if (d->kind == DECIDE_REVIEW) {
			html_raw(r, "<span class=\"tag\">");
			html_t(r, "需人工审核");
		} else {
			html_raw(r, "<span class=\"tag no\">");
			html_t(r, "不可申请");
		}
		html_raw(r, "</span></span></label><p class=\"why\">");
		html_tl(r, policy_reason_text(d->reason));
		if (ok) {
			html_raw(r, "<br>");
			view_amounts(r, d->requested, d->fee, d->refund);
			html_t(r, "；");
			evidence_hint(r, d);
			if (d->deadline) {
				html_t(r, "；申请截止 ");
				html_time(r, d->deadline);
			}
		} else if (d->deadline) {
			html_t(r, "（截止 ");
			html_time(r, d->deadline);
			html_t(r, "）");
		}
		html_raw(r, "</p></li>");
	}
	html_raw(r, "</ul>");
	view_field_error(r, "type", v->err[F_TYPE]);
	html_raw(r, "</fieldset>");
}

void
view_refund_form(struct req *r, const struct view_refund_form *v)
{
	const struct order *o = v->o;
	const char *dest = v->dest ? v->dest : "original";
	int nerr = 0;

	for (int i = 0; i < F__MAX; i++)
		nerr += v->err[i] != NULL;
	nerr += v->err_evidence != NULL;
	html_begin(r, _("申请退款"));
	if (v->done != NULL) {
		html_raw(r, "<p class=\"ok done\" id=\"done\" role=\"status\">");
		html_tl(r, v->done);
		html_raw(r, "</p>");
	}
	html_raw(r, "<h1>");
	html_t(r, "申请退款");
	html_raw(r, "</h1>");
	if (nerr > 0) {
		html_raw(r, "<p class=\"banner\" role=\"alert\">");
		html_t(r, "提交的内容有误，请按提示修改后重新提交。");
		html_raw(r, "</p>");
	}
	view_order_card(r, o);
	if (o->open_refund[0] != '\0') {
		html_raw(r, "<section class=\"card\"><p class=\"banner\">");
		html_t(r, "该订单已有一个正在处理的退款申请。");
		html_raw(r, "</p><p><a href=\"");
		html_url(r, "/refund/%s", o->open_refund);
		html_raw(r, "\">");
		html_t(r, "查看退款进度");
		html_raw(r, "</a></p></section>");
		html_end(r);
		return;
	}
	if (v->fully_refunded) {
		html_raw(r, "<section class=\"card\"><p class=\"ok\">");
		html_t(r, "该订单的款项已全部退还，没有可再申请退款的金额。");
		html_raw(r, "</p></section>");
		html_end(r);
		return;
	}
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/refund/new");
	html_raw(r, "\" enctype=\"multipart/form-data\" novalidate>");
	html_hidden(r, "csrf", v->csrf);
	html_hidden(r, "order", o->order_no);
	html_hidden(r, "idem", v->idem);
	render_types(r, v);

	html_raw(r, "<section class=\"card\"><label class=\"f\" for=\"reason\">");
	html_t(r, "退款原因");
	html_raw(r, "</label><textarea id=\"reason\" name=\"reason\" maxlength=\"");
	html_int(r, (long long)form_attr_maxlength(refund_form, F_REASON));
	html_raw(r, "\" required placeholder=\"");
	view_textf(r, _("请说明遇到的问题，例如：卡密提示无效、充值未到账的时间和账号（%d-%d 字）"),
	    (int)refund_form[F_REASON].min_chars, (int)form_attr_maxlength(refund_form, F_REASON));
	html_raw(r, "\">");
	html_esc(r, v->reason ? v->reason : "");
	html_raw(r, "</textarea>");
	view_field_error(r, "reason", v->err[F_REASON]);

	/* Only for 充错账号: hidden by the stylesheet (:has) until that type
	 * is chosen; where :has is unknown the label says when it applies. */
	html_raw(r, "<div class=\"only-wrong\" id=\"wrong-field\"><label class=\"f\" for=\"wrong_account\">");
	html_t(r, "正确的充值账号（仅「充错账号」时填写）");
	html_raw(r, "</label><input type=\"text\" id=\"wrong_account\" name=\"wrong_account\" maxlength=\"");
	html_int(r, (long long)form_attr_maxlength(refund_form, F_WRONG));
	html_raw(r, "\" value=\"");
	html_esc(r, v->wrong ? v->wrong : "");
	html_raw(r, "\">");
	view_field_error(r, "wrong_account", v->err[F_WRONG]);
	html_raw(r, "</div>");

	html_raw(r, "<fieldset class=\"dest\"><legend class=\"f\">");
	html_t(r, "退款去向");
	html_raw(r, "</legend><label><input type=\"radio\" name=\"destination\" value=\"original\"");
	if (strcmp(dest, "balance") != 0)
		html_raw(r, " checked");
	html_raw(r, "> ");
	view_textf(r, _("原路返回（%s，以支付机构到账为准）"), i18n_tr(pay_channel_labels[o->channel]));
	html_raw(r, "</label><label><input type=\"radio\" name=\"destination\" value=\"balance\"");
	if (strcmp(dest, "balance") == 0)
		html_raw(r, " checked");
	html_raw(r, "> ");
	html_t(r, "退到平台余额（即时到账）");
	html_raw(r, "</label></fieldset>");
	view_field_error(r, "destination", v->err[F_DEST]);

	view_file_input(r, "evidence", _("上传凭证"), v->evidence_max_bytes, v->evidence_max_files);
	if (nerr > 0) {
		html_raw(r, "<p class=\"hint reselect\">");
		html_t(r, "如已选择文件，请重新选择。");
		html_raw(r, "</p>");
	}
	view_field_error(r, "evidence", v->err_evidence);
	html_raw(r, "<button type=\"submit\">");
	html_t(r, "提交退款申请");
	html_raw(r, "</button></section></form>");
	if (v->can_confirm) {
		/* Goods fine? Confirming receipt releases the payment to the merchant. */
		html_raw(r, "<section class=\"card\"><h2>");
		html_t(r, "商品没有问题？");
		html_raw(r, "</h2><p class=\"hint\">");
		html_t(r, "确认收货后货款将结算给商家，之后仍可因商品缺陷申请退款。");
		html_raw(r, "</p><form method=\"post\" action=\"");
		html_url(r, "/order/%s/confirm", o->order_no);
		html_raw(r, "\">");
		html_hidden(r, "csrf", v->csrf);
		html_raw(r, "<button type=\"submit\" class=\"sec\">");
		html_t(r, "确认收货");
		html_raw(r, "</button></form></section>");
	}
	view_upload_script(r);
	html_end(r);
}

void
view_refund_conflict(struct req *r, const char *open_refund)
{
	html_begin(r, _("已有退款申请"));
	html_raw(r, "<section class=\"card\"><h1>");
	html_t(r, "已有退款申请");
	html_raw(r, "</h1><p>");
	html_t(r, "该订单已有一个正在处理的退款申请，不能重复提交。");
	html_raw(r, "</p><p><a href=\"");
	html_url(r, "/refund/%s", open_refund);
	html_raw(r, "\">");
	html_t(r, "查看退款进度");
	html_raw(r, "</a></p></section>");
	html_end(r);
}
