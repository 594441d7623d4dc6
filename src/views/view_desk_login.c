/* view_desk_login.c: the staff sign-in page, through the HTML writer only. */
#include "views/view.h"
#include "views/view_desk_login.h"
#include "web/html.h"

void
view_desk_login(struct req *r, const struct view_desk_login *v)
{
	html_begin(r, "工作台登录");
	html_raw(r, "<section class=\"card\"><h1>客服 / 商家 / 仲裁 工作台</h1>");
	view_banner(r, "err-login", v->banner);
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/login");
	html_raw(r, "\">");
	html_hidden(r, "csrf", v->csrf);
	html_raw(r, "<label class=\"f\" for=\"login\">登录名</label><input type=\"text\" id=\"login\" name=\"login\" maxlength=\"64\" autocomplete=\"username\" required>"
	    "<label class=\"f\" for=\"password\">密码</label><input type=\"password\" id=\"password\" name=\"password\" maxlength=\"256\" autocomplete=\"current-password\" required>"
	    "<button type=\"submit\">登录</button></form></section>");
	html_end(r);
}
