/* view_switch_buyer.c: the "switch buyer?" page, through the HTML writer only. */
#include "views/view_switch_buyer.h"
#include "web/html.h"

void
view_switch_buyer(struct req *r, const struct view_switch_buyer *v)
{
	html_begin(r, "切换账号");
	html_raw(r, "<section class=\"card\" id=\"switch\"><h1>要切换到另一个买家账号吗？</h1><p>这个浏览器已登录买家 <strong>");
	html_esc(r, v->current_buyer);
	html_raw(r, "</strong>。这个链接属于买家 <strong>");
	html_esc(r, v->buyer);
	html_raw(r, "</strong>（订单 ");
	html_esc(r, v->order);
	html_raw(r, "）。如果链接不是您自己从商城打开的，请不要切换。</p><form method=\"post\" action=\"");
	html_url(r, "/refund/start");
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	html_hidden(r, "order", v->order);
	html_hidden(r, "buyer", v->buyer);
	html_hidden(r, "ts", v->ts);
	html_hidden(r, "sig", v->sig);
	html_raw(r, "<button type=\"submit\">切换账号</button> <a href=\"");
	html_url(r, "/refund/lookup");
	html_raw(r, "\">不切换</a></form></section>");
	html_end(r);
}
