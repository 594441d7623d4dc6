/* staff.c: staff passwords and sessions. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "handlers.h"
#include "html.h"
#include "staff.h"

const char *const staff_role_names[ROLE__MAX] = { "cs", "merchant", "arbiter", "admin" };
const char *const staff_role_labels[ROLE__MAX] = { "客服", "商家", "平台仲裁", "管理员" };

#define STAFF_TTL (12 * 3600)

static const char *
cookie_name(const struct req *r)
{
	return r->app->cfg->https ? "__Host-rds" : "rds";
}

enum rd_err
staff_hash_password(const char *password, char out[128])
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return RD_ERR_NOMEM;
	return RD_OK;
}

static enum rd_err
load(struct req *r, const char *login, struct staff *s, const char **pwhash)
{
	struct dbval p[] = { DB_STR(login) };
	struct dbres res;
	enum rd_err e;

	if ((e = db_query(r->app->db, r->a, Q_STAFF_BY_LOGIN, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_ERR_NOTFOUND;
	int role = ENUM_LOOKUP(staff_role_names, db_cell(&res, 0, 2));
	if (role < 0)
		return RD_ERR_NOTFOUND;
	s->id = db_cell_int(&res, 0, 0);
	s->login = db_cell(&res, 0, 1);
	s->role = (enum staff_role)role;
	s->merchant_id = db_cell(&res, 0, 3);
	if (pwhash != NULL)
		*pwhash = db_cell(&res, 0, 4);
	return RD_OK;
}

enum rd_err
staff_verify(struct req *r, const char *login, const char *password, struct staff *s)
{
	/* A real argon2id hash of a random password, to spend the same work. */
	static char dummy[crypto_pwhash_STRBYTES];
	const char *hash = NULL;
	enum rd_err e;

	memset(s, 0, sizeof(*s));
	if (dummy[0] == '\0') {
		char pw[33];
		random_token(pw, 32);
		staff_hash_password(pw, dummy);
	}
	e = ident_valid(login, 64) ? load(r, login, s, &hash) : RD_ERR_NOTFOUND;
	if (e != RD_OK && e != RD_ERR_NOTFOUND)
		return e;
	int bad = crypto_pwhash_str_verify(e == RD_OK ? hash : dummy, password, strlen(password));
	return (e == RD_OK && bad == 0) ? RD_OK : RD_ERR_AUTH;
}

enum rd_err
staff_login(struct req *r, struct staff *s)
{
	const struct config *cfg = r->app->cfg;
	struct session ss;
	char cookie[SESSION_COOKIE_MAX], line[SESSION_COOKIE_MAX + 160];

	memset(&ss, 0, sizeof(ss));
	random_token(ss.sid, 32);
	snprintf(ss.buyer, sizeof(ss.buyer), "%s", s->login);
	snprintf(ss.scope, sizeof(ss.scope), "staff");
	ss.exp = r->now + STAFF_TTL;
	if (session_encode(cfg->staff_secret, &ss, cookie, sizeof(cookie)) != RD_OK)
		return RD_ERR_INTERNAL;
	snprintf(line, sizeof(line), "%s=%s; Path=/desk; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    cookie_name(r), cookie, STAFF_TTL, cfg->https ? "; Secure" : "");
	/* __Host- cookies must have Path=/. */
	if (cfg->https)
		snprintf(line, sizeof(line), "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict; Secure",
		    cookie_name(r), cookie, STAFF_TTL);
	resp_header(r, "Set-Cookie", line);
	return RD_OK;
}

void
staff_logout(struct req *r)
{
	char line[128];
	snprintf(line, sizeof(line), "%s=; Path=%s; Max-Age=0; HttpOnly; SameSite=Strict%s", cookie_name(r),
	    r->app->cfg->https ? "/" : "/desk", r->app->cfg->https ? "; Secure" : "");
	resp_header(r, "Set-Cookie", line);
}

bool
staff_require(struct req *r, struct staff *s)
{
	const struct config *cfg = r->app->cfg;
	struct session ss;
	char value[SESSION_COOKIE_MAX];
	enum rd_err e;

	memset(s, 0, sizeof(*s));
	if (!cookie_get(r->cookie, cookie_name(r), value, sizeof(value)) ||
	    session_decode(cfg->staff_secret, value, (time_t)r->now, &ss) != RD_OK ||
	    strcmp(ss.scope, "staff") != 0) {
		resp_redirect(r, "/desk/login");
		return false;
	}
	if ((e = load(r, ss.buyer, s, NULL)) != RD_OK) {
		if (e == RD_ERR_NOTFOUND)
			resp_redirect(r, "/desk/login");
		else
			html_error_page(r, 503, "服务暂时不可用", "数据库暂时无法访问，请稍后再试。");
		return false;
	}
	memcpy(s->sid, ss.sid, sizeof(s->sid));
	csrf_token(cfg->staff_secret, s->sid, s->csrf);
	return true;
}

bool
staff_post(struct req *r, struct staff *s, struct form_body *b)
{
	enum rd_err e;

	if (!staff_require(r, s))
		return false;
	if ((e = body_read(r, b, NULL, 0)) != RD_OK) {
		fail_page(r, e);
		return false;
	}
	const char *given = body_get(b, "csrf");
	if (given == NULL || !csrf_valid(r->app->cfg->staff_secret, s->sid, given)) {
		html_error_page(r, 403, "页面已过期", "表单校验失败，请刷新页面后重试。");
		return false;
	}
	return true;
}
