/* view_switch_buyer.c: the "switch buyer?" page, through the HTML writer only. */
#include "views/view_switch_buyer.h"
#include "web/html.h"

void
view_switch_buyer(struct req *r, const struct view_switch_buyer *v)
{
	html_begin(r, _("切换账号"));
	html_raw(r, "<section class=\"card\" id=\"switch\"><h1>");
	html_t(r, "要切换到另一个买家账号吗？");
	html_raw(r, "</h1><p>");
	html_t(r, "这个浏览器已登录买家 ");
	html_raw(r, "<strong>");
	html_esc(r, v->current_buyer);
	html_raw(r, "</strong>");
	html_t(r, "。这个链接属于买家 ");
	html_raw(r, "<strong>");
	html_esc(r, v->buyer);
	html_raw(r, "</strong>");
	html_t(r, "（订单 ");
	html_esc(r, v->order);
	html_t(r, "）。如果链接不是您自己从商城打开的，请不要切换。");
	html_raw(r, "</p><form method=\"post\" action=\"");
	html_url(r, "/refund/start");
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	html_hidden(r, "order", v->order);
	html_hidden(r, "buyer", v->buyer);
	html_hidden(r, "ts", v->ts);
	html_hidden(r, "sig", v->sig);
	html_raw(r, "<button type=\"submit\">");
	html_t(r, "切换账号");
	html_raw(r, "</button> <a href=\"");
	html_url(r, "/refund/lookup");
	html_raw(r, "\">");
	html_t(r, "不切换");
	html_raw(r, "</a></form></section>");
	html_end(r);
}
