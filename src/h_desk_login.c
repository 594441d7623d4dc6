/* h_desk_login.c: GET and POST /desk/login, POST /desk/logout. The login
 * form's CSRF token is bound to a short pre-login cookie; failures count
 * against the same per-IP budget as guest look-ups. */
#include <stdio.h>
#include <string.h>

#include "body.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "handlers.h"
#include "html.h"
#include "ip_budget.h"
#include "log.h"
#include "staff.h"

static void
render(struct req *r, int status, const char *csrf, const char *banner)
{
	r->status = status;
	html_begin(r, "工作台登录");
	html_raw(r, "<section class=\"card\"><h1>客服 / 商家 / 仲裁 工作台</h1>");
	if (banner != NULL) {
		html_raw(r, "<p class=\"banner\" id=\"err-login\">");
		html_esc(r, banner);
		html_raw(r, "</p>");
	}
	html_raw(r, "<form method=\"post\" action=\"");
	html_url(r, "/desk/login");
	html_raw(r, "\">");
	html_hidden(r, "csrf", csrf);
	html_raw(r, "<label class=\"f\" for=\"login\">登录名</label><input type=\"text\" id=\"login\" name=\"login\" maxlength=\"64\" autocomplete=\"username\" required>"
	    "<label class=\"f\" for=\"password\">密码</label><input type=\"password\" id=\"password\" name=\"password\" maxlength=\"256\" autocomplete=\"current-password\" required>"
	    "<button type=\"submit\">登录</button></form></section>");
	html_end(r);
}

/* A fresh pre-login cookie and its CSRF token. */
static bool
prelogin(struct req *r, char csrf[65])
{
	struct session s;

	if (staff_cookie_start(r, "_login", "login", 1800, &s) != RD_OK)
		return false;
	csrf_token(r->app->cfg->staff_secret, s.sid, csrf);
	return true;
}

void
h_desk_login_get(struct req *r)
{
	char csrf[65];

	if (!prelogin(r, csrf)) {
		fail_page(r, RD_ERR_INTERNAL);
		return;
	}
	render(r, 200, csrf, NULL);
}

void
h_desk_login_post(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	struct form_body b;
	struct session s;
	struct staff st;
	char csrf[65];
	enum rd_err e;

	if ((e = body_read(r, &b, NULL, 0)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	const char *given = body_get(&b, "csrf");
	if (!staff_cookie_read(r, &s) || strcmp(s.scope, "login") != 0 || given == NULL ||
	    !csrf_valid(cfg->staff_secret, s.sid, given)) {
		html_error_page(r, 403, "页面已过期", "登录表单已过期，请刷新页面后重试。");
		return;
	}
	bool spent;
	if ((e = ip_budget_spent(r, &spent)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	if (spent) {
		if (prelogin(r, csrf))
			render(r, 429, csrf, "失败次数过多，请一小时后再试。");
		return;
	}
	const char *login = body_get(&b, "login"), *pw = body_get(&b, "password");
	e = (login && pw) ? staff_verify(r, login, pw, &st) : RD_ERR_AUTH;
	if (e == RD_ERR_AUTH) {
		char safe[80];
		ip_budget_charge(r);
		log_info("desk login failed for %s", log_safe(login ? login : "", safe, sizeof(safe)));
		if (prelogin(r, csrf))
			render(r, 422, csrf, "登录名或密码错误。");
		return;
	}
	if (e != RD_OK || (e = staff_login(r, &st)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	resp_redirect(r, "/desk");
}

void
h_desk_logout(struct req *r)
{
	struct staff st;
	struct form_body b;

	if (!staff_post(r, &st, &b))
		return;
	staff_logout(r);
	resp_redirect(r, "/desk/login");
}
