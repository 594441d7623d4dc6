/* view_desk_login.c: the staff sign-in page, through the HTML writer only. */
#include "views/view.h"
#include "views/view_desk_login.h"
#include "web/html.h"

void
view_desk_login(struct req *r, const struct view_desk_login *v)
{
	html_begin(r, _("工作台登录"));
	html_raw(r, "<section class=\"card\"><h1>");
	html_t(r, "客服 / 商家 / 仲裁 工作台");
	html_raw(r, "</h1>");
	view_banner(r, "err-login", v->banner);
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/login");
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	html_raw(r, "<label class=\"f\" for=\"login\">");
	html_t(r, "登录名");
	html_raw(r, "</label><input type=\"text\" id=\"login\" name=\"login\" maxlength=\"64\" autocomplete=\"username\" required>"
	    "<label class=\"f\" for=\"password\">");
	html_t(r, "密码");
	html_raw(r, "</label><input type=\"password\" id=\"password\" name=\"password\" maxlength=\"256\" autocomplete=\"current-password\" required>"
	    "<button type=\"submit\">");
	html_t(r, "登录");
	html_raw(r, "</button></form></section>");
	html_end(r);
}
