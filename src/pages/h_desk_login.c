/* h_desk_login.c: GET and POST /desk/login, POST /desk/logout, POST
 * /desk/sessions/end. The login form's CSRF token is bound to a short
 * pre-login cookie. Failed logins spend two budgets of their own (not the
 * guest look-ups'): one per address, one per account (an account over it
 * waits out its window: the lockout is logged and shown to admins). A unit
 * is spent before the password is checked and given back when it was
 * right, so parallel attempts can never evaluate more than the budget; the
 * argon2 work itself runs in one of a few machine-wide slots. */
#include <stdio.h>
#include <string.h>

#include "web/body.h"
#include "store/budget.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "base/i18n.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "base/log.h"
#include "base/password.h"
#include "base/pwslot.h"
#include "pages/staff_auth.h"
#include "views/view_desk_login.h"

static void
render(struct req *r, int status, const char *csrf, const char *banner)
{
	struct view_desk_login v = { .csrf = csrf, .banner = banner };

	r->status = status;
	view_desk_login(r, &v);
}

/* A fresh pre-login cookie and its CSRF token. */
static bool
prelogin(struct req *r, char csrf[65])
{
	struct session s;

	if (staff_cookie_start(r, "_login", "login", 1800, 0, &s) != RD_OK)
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

/* The failure budgets of one attempt. An account's window doubles with
 * each lockout of the last day (15 min, 30 min, ... 8 h): backoff. */
struct login_budget {
	char kip[80], kacct[80], klocks[80];
	long acct_window;
};

/* Spends a unit of the address's and the account's budget; false after
 * writing the 429 (or error) page. */
static bool
budgets_take(struct req *r, const char *login, struct login_budget *lb)
{
	const struct config *cfg = r->app->cfg;
	bool ok_ip = false, ok_acct = false;
	long long locks = 0, used = 0;
	long retry = LOGIN_WINDOW;
	char csrf[65], rbuf[24], safe[80];
	enum rd_err e;

	snprintf(lb->kip, sizeof(lb->kip), "login-ip:%.60s", r->remote_addr);
	snprintf(lb->kacct, sizeof(lb->kacct), "login:%s", login);
	snprintf(lb->klocks, sizeof(lb->klocks), "login-locks:%s", login);
	if ((e = budget_used(r->app->db, r->a, lb->klocks, r->now, LOGIN_LOCKS_WINDOW, &locks)) == RD_OK)
		lb->acct_window = LOGIN_ACCOUNT_WINDOW << (locks < 5 ? locks : 5);
	if (e != RD_OK ||
	    (e = budget_take(r->app->db, lb->kip, r->now, LOGIN_WINDOW, cfg->login_failures_per_hour, &ok_ip, &retry)) ||
	    (ok_ip && (e = budget_take(r->app->db, lb->kacct, r->now, lb->acct_window,
	    cfg->login_failures_per_account, &ok_acct, &retry)))) {
		fail_page(r, e);
		return false;
	}
	if (ok_ip && ok_acct)
		return true;
	if (ok_ip) {
		budget_give_back(r->app->db, lb->kip, r->now, LOGIN_WINDOW);
		/* The first refusal of a window is the lockout: count and log it. */
		if (budget_used(r->app->db, r->a, lb->kacct, r->now, lb->acct_window, &used) == RD_OK &&
		    used == cfg->login_failures_per_account + 1) {
			bool ok;
			long rt;
			budget_take(r->app->db, lb->klocks, r->now, LOGIN_LOCKS_WINDOW, 1 << 30, &ok, &rt);
			log_warn("desk login: account %s locked for %ld min after %d failed logins (from %s)",
			    login, lb->acct_window / 60, cfg->login_failures_per_account,
			    log_safe(r->remote_addr, safe, sizeof(safe)));
		}
	}
	snprintf(rbuf, sizeof(rbuf), "%ld", retry);
	resp_header(r, "Retry-After", rbuf);
	if (!prelogin(r, csrf))
		return false;
	if (ok_ip) {
		char msg[160];
		snprintf(msg, sizeof(msg), _("该账号登录失败次数过多，已暂时锁定，请 %ld 分钟后再试。"), lb->acct_window / 60);
		render(r, 429, csrf, msg);
	} else
		render(r, 429, csrf, N_("失败次数过多，请一小时后再试。"));
	return false;
}

static void
budgets_give_back(struct req *r, const struct login_budget *lb)
{
	budget_give_back(r->app->db, lb->kip, r->now, LOGIN_WINDOW);
	budget_give_back(r->app->db, lb->kacct, r->now, lb->acct_window);
}

void
h_desk_login_post(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	struct session s;
	struct staff st;
	char csrf[65];
	enum rd_err e;

	if (!body_ok(r))
		return;
	const char *given = r->f.v[F_CSRF];
	if (!staff_cookie_read(r, &s) || strcmp(s.scope, "login") != 0 || given == NULL ||
	    !csrf_valid(cfg->staff_secret, s.sid, given)) {
		html_error_page(r, 403, N_("页面已过期"), N_("登录表单已过期，请刷新页面后重试。"));
		return;
	}
	/* Checked by the gate (login_form): NULL when absent or not a login. */
	const char *login = r->f.v[DL_LOGIN], *pw = r->f.v[DL_PASSWORD];
	if (login == NULL || pw == NULL) {
		if (prelogin(r, csrf))
			render(r, 422, csrf, N_("登录名或密码错误。"));
		return;
	}
	struct login_budget lb;
	if (!budgets_take(r, login, &lb))
		return;
	int slot;
	if (!pwslot_acquire(cfg, &slot)) {
		budgets_give_back(r, &lb);
		resp_header(r, "Retry-After", "2");
		html_error_page(r, 503, N_("登录繁忙"), N_("同时登录的人太多，请几秒后再试。"));
		return;
	}
	e = staff_verify(r, login, pw, &st);
	pwslot_release(slot);
	if (e == RD_ERR_AUTH) {
		char safe[80];
		log_info("desk login failed for %s", log_safe(login, safe, sizeof(safe)));
		if (prelogin(r, csrf))
			render(r, 422, csrf, N_("登录名或密码错误。"));
		return;
	}
	/* Right password (or a database error): no failure to count. */
	budgets_give_back(r, &lb);
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
	enum rd_err e;

	if (!staff_post(r, &st))
		return;
	if ((e = staff_logout(r, &st)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	resp_redirect(r, "/desk/login");
}

/* An admin ends every staff session, its own included. */
void
h_desk_sessions_end(struct req *r)
{
	struct staff st;
	enum rd_err e;

	if (!staff_post(r, &st))
		return;
	if (st.role != ROLE_ADMIN) {
		html_error_page(r, 403, N_("没有权限"), N_("只有管理员可以结束所有会话。"));
		return;
	}
	if ((e = db_exec(r->app->db, Q_STAFF_GEN_BUMP_ALL, NULL, 0, NULL, NULL)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	log_warn("desk: admin %s ended every staff session", st.login);
	resp_redirect(r, "/desk/login");
}
