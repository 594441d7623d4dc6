/* staff.c: staff passwords and sessions. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "store/session_gen.h"
#include "store/staff.h"
#include "web/url.h"
#include "base/utf8.h"

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
staff_cookie_start(struct req *r, const char *login, const char *scope, long ttl, long long gen,
    struct session *out)
{
	char cookie[SESSION_COOKIE_MAX];
	const char *key = session_gen_secret(r->a, r->app->cfg->staff_secret, gen);

	memset(out, 0, sizeof(*out));
	random_token(out->sid, 32);
	snprintf(out->buyer, sizeof(out->buyer), "%s", login);
	snprintf(out->scope, sizeof(out->scope), "%s", scope);
	out->exp = r->now + ttl;
	if (key == NULL || session_encode(key, out, cookie, sizeof(cookie)) != RD_OK)
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

/* Common passwords of 12 or more characters (shorter ones fail the length
 * rule anyway), compared without case. */
static const char *const common_passwords[] = {
	"123456789012", "1234567890123", "12345678901234", "123456789abc", "qwertyuiopas",
	"qwerty123456", "qwertyuiop123", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
	"password1234", "password123!", "passwordpassword", "p@ssw0rd1234", "p@ssword1234",
	"iloveyou1234", "admin1234567", "admin123456789", "administrator", "administrator1",
	"welcome12345", "changeme1234", "letmein12345", "abc123456789", "abcdefghijkl",
	"111111111111", "000000000000", "123123123123", "woaini1314520", "a123456789012",
	"refunddesk123", "refund-desk1", "qwertyqwerty", "asdfghjkl123", "football1234",
};

const char *
staff_password_problem(const char *pw, size_t len)
{
	if (len > STAFF_PASSWORD_MAX)
		return "the password is longer than 256 bytes (refused, not cut)";
	if (memchr(pw, '\0', len) != NULL || !utf8_valid(pw, len) || !utf8_no_controls(pw, len, false))
		return "the password must be UTF-8 text without control characters";
	if (utf8_chars(pw, len) < STAFF_PASSWORD_MIN)
		return "the password must have at least 12 characters";
	size_t same = 0;
	while (same < len && pw[same] == pw[0])
		same++;
	if (same == len)
		return "the password is one character repeated";
	for (size_t i = 0; i < sizeof(common_passwords) / sizeof(common_passwords[0]); i++)
		if (strlen(common_passwords[i]) == len && strncasecmp(pw, common_passwords[i], len) == 0)
			return "the password is on the list of common passwords";
	return NULL;
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
	s->gen = db_cell_int(&res, 0, 5);
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
	return staff_cookie_start(r, s->login, "staff", STAFF_TTL, s->gen, &ss);
}

enum rd_err
staff_logout(struct req *r, const struct staff *s)
{
	struct dbval p[] = { DB_INT(s->id) };

	set_cookie(r, "", 0);
	return db_exec(r->app->db, Q_STAFF_GEN_BUMP, p, 1, NULL, NULL);
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
	if (!cookie_get(r->cookie, cookie_name(r, NULL, 0), value, sizeof(value)) || !session_peek_buyer(value, login)) {
		resp_redirect(r, "/desk/login");
		return false;
	}
	if ((e = load(r, login, s, NULL)) != RD_OK) {
		if (e == RD_ERR_NOTFOUND)
			resp_redirect(r, "/desk/login");
		else
			html_error_page(r, 503, "服务暂时不可用", "数据库暂时无法访问，请稍后再试。");
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
		html_error_page(r, 403, "页面已过期", "表单校验失败，请刷新页面后重试。");
		return false;
	}
	return true;
}
