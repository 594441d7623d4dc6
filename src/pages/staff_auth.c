/* staff_auth.c: staff sign-in, sign-out and the desk's guard. */
#include <string.h>

#include "base/config.h"
#include "base/password.h"
#include "pages/fields.h"
#include "base/i18n.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "store/session_gen.h"
#include "web/html.h"

#define STAFF_TTL (12 * 3600)

enum rd_err
staff_verify(struct req *r, const char *login, const char *password, struct staff *s)
{
	const char *hash = NULL;
	enum rd_err e;

	memset(s, 0, sizeof(*s));
	e = ident_valid(login, 64) ? staff_load(r->app->db, r->a, login, s, &hash) : RD_ERR_NOTFOUND;
	if (e != RD_OK && e != RD_ERR_NOTFOUND)
		return e;
	bool ok = password_verify(e == RD_OK ? hash : NULL, password);
	return (e == RD_OK && ok) ? RD_OK : RD_ERR_AUTH;
}

enum rd_err
staff_login(struct req *r, struct staff *s)
{
	struct session ss;
	return staff_cookie_start(r, s->login, "staff", STAFF_TTL, s->gen, &ss);
}

enum rd_err
staff_logout(struct req *r, const struct staff *s)
{
	staff_cookie_clear(r);
	return staff_gen_bump(r->app->db, s->id);
}

/* The account is read first (its generation is the cookie's key), then the
 * cookie is verified: one query, as before revocation existed. */
bool
staff_require(struct req *r, struct staff *s)
{
	const struct config *cfg = r->app->cfg;
	char value[SESSION_COOKIE_MAX], login[BUYER_ID_MAX + 1];
	struct session ss;
	enum rd_err e;

	memset(s, 0, sizeof(*s));
	if (!staff_cookie_value(r, value, sizeof(value)) || !session_peek_buyer(value, login)) {
		resp_redirect(r, "/desk/login");
		return false;
	}
	if ((e = staff_load(r->app->db, r->a, login, s, NULL)) != RD_OK) {
		if (e == RD_ERR_NOTFOUND)
			resp_redirect(r, "/desk/login");
		else
			html_error_page(r, 503, N_("服务暂时不可用"), N_("数据库暂时无法访问，请稍后再试。"));
		return false;
	}
	const char *key = session_gen_secret(r->a, cfg->staff_secret, s->gen);
	if (key == NULL || session_decode(key, value, (time_t)r->now, &ss) != RD_OK ||
	    strcmp(ss.scope, "staff") != 0) {
		resp_redirect(r, "/desk/login");
		return false;
	}
	memcpy(s->sid, ss.sid, sizeof(s->sid));
	csrf_token(cfg->staff_secret, s->sid, s->csrf);
	return true;
}

bool
staff_post(struct req *r, struct staff *s)
{
	if (!staff_require(r, s) || !body_ok(r))
		return false;
	const char *given = r->f.v[F_CSRF];      /* the gate read the body (web/gate.c) */
	if (given == NULL || !csrf_valid(r->app->cfg->staff_secret, s->sid, given)) {
		html_error_page(r, 403, N_("页面已过期"), N_("表单校验失败，请刷新页面后重试。"));
		return false;
	}
	return true;
}
