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
#include "url.h"

const char *const staff_role_names[ROLE__MAX] = { "cs", "merchant", "arbiter", "admin" };
const char *const staff_role_labels[ROLE__MAX] = { "客服", "商家", "平台仲裁", "管理员" };

#define STAFF_TTL (12 * 3600)

/* The staff cookie's name and path (url_cookie): Path=MOUNT/desk, except
 * __Host- cookies, which must have Path=/. */
static const char *
cookie_name(const struct req *r, char *path, size_t pathcap)
{
	static char name[32];
	char unused[256];

	url_cookie(r->app->cfg, r->secure, "rds", "/desk", name, sizeof(name),
	    path ? path : unused, path ? pathcap : sizeof(unused));
	return name;
}

/* The one writer of the staff cookie. value "" with max_age 0 clears it. */
static void
set_cookie(struct req *r, const char *value, long max_age)
{
	char line[SESSION_COOKIE_MAX + 400], path[256];
	const char *name = cookie_name(r, path, sizeof(path));

	snprintf(line, sizeof(line), "%s=%s; Path=%s; Max-Age=%ld; HttpOnly; SameSite=Strict%s",
	    name, value, path, max_age, r->secure ? "; Secure" : "");
	resp_header(r, "Set-Cookie", line);
}

enum rd_err
staff_cookie_start(struct req *r, const char *login, const char *scope, long ttl, struct session *out)
{
	char cookie[SESSION_COOKIE_MAX];

	memset(out, 0, sizeof(*out));
	random_token(out->sid, 32);
	snprintf(out->buyer, sizeof(out->buyer), "%s", login);
	snprintf(out->scope, sizeof(out->scope), "%s", scope);
	out->exp = r->now + ttl;
	if (session_encode(r->app->cfg->staff_secret, out, cookie, sizeof(cookie)) != RD_OK)
		return RD_ERR_INTERNAL;
	set_cookie(r, cookie, ttl);
	return RD_OK;
}

bool
staff_cookie_read(struct req *r, struct session *out)
{
	char value[SESSION_COOKIE_MAX];

	return cookie_get(r->cookie, cookie_name(r, NULL, 0), value, sizeof(value)) &&
	    session_decode(r->app->cfg->staff_secret, value, (time_t)r->now, out) == RD_OK;
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
	struct session ss;
	return staff_cookie_start(r, s->login, "staff", STAFF_TTL, &ss);
}

void
staff_logout(struct req *r)
{
	set_cookie(r, "", 0);
}

bool
staff_require(struct req *r, struct staff *s)
{
	const struct config *cfg = r->app->cfg;
	struct session ss;
	enum rd_err e;

	memset(s, 0, sizeof(*s));
	if (!staff_cookie_read(r, &ss) || strcmp(ss.scope, "staff") != 0) {
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
