/* view_lookup.c: the look-up page, through the HTML writer only. */
#include "views/view.h"
#include "views/view_lookup.h"
#include "web/html.h"

void
view_lookup(struct req *r, const struct view_lookup *v)
{
	html_begin(r, _("订单查询"));
	html_raw(r, "<section class=\"card\"><h1>");
	html_t(r, "查询订单，申请退款");
	html_raw(r, "</h1><p class=\"hint\">");
	html_t(r, "从商城订单页进入会自动登录；也可以在这里用订单号、下单时填写的手机号或邮箱，以及订单查询码找到订单。");
	html_raw(r, "</p>");
	view_banner(r, "err-lookup", v->banner);
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/refund/lookup");
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	/* Phones: no capitals or corrections in codes; the contact's keyboard
	 * has @ and digits (a phone number or an e-mail). */
	html_raw(r, "<label class=\"f\" for=\"order_no\">");
	html_t(r, "订单号");
	html_raw(r, "</label>"
	    "<input type=\"text\" id=\"order_no\" name=\"order_no\" maxlength=\"32\" required autocomplete=\"off\" "
	    "inputmode=\"text\" autocapitalize=\"off\" spellcheck=\"false\" value=\"");
	html_esc(r, v->order_no != NULL ? v->order_no : "");
	html_raw(r, "\"><label class=\"f\" for=\"contact\">");
	html_t(r, "手机号或邮箱");
	html_raw(r, "</label>"
	    "<input type=\"text\" id=\"contact\" name=\"contact\" maxlength=\"128\" required "
	    "inputmode=\"email\" autocomplete=\"email\" autocapitalize=\"off\" spellcheck=\"false\" value=\"");
	html_esc(r, v->contact != NULL ? v->contact : "");
	html_raw(r, "\"><label class=\"f\" for=\"lookup_code\">");
	html_t(r, "订单查询码");
	html_raw(r, "</label>"
	    "<input type=\"text\" id=\"lookup_code\" name=\"lookup_code\" maxlength=\"64\" required autocomplete=\"off\" "
	    "autocapitalize=\"off\" spellcheck=\"false\" aria-describedby=\"code-help\">"
	    "<p class=\"hint\">");
	html_t(r, "查询码在下单成功页面和订单通知中。");
	html_raw(r, "</p><button type=\"submit\">");
	html_t(r, "查询订单");
	html_raw(r, "</button></form><details class=\"help\" id=\"code-help\"><summary>");
	html_t(r, "找不到查询码？");
	html_raw(r, "</summary><p>");
	html_t(r, "查询码印在下单成功页面上，也在订单的短信或邮件通知里（搜索「查询码」）。");
	html_raw(r, "</p><p>");
	html_t(r, "仍然找不到：回到商城的「我的订单」，在这笔订单上点「申请退款」，会直接进入、无需查询码；"
	    "或联系商城客服重新发送订单通知。");
	html_raw(r, "</p></details></section>");
	html_end(r);
}
