/* staff_cookie.c: writes and reads the desk's cookie. */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/crypto.h"
#include "store/session_gen.h"
#include "web/staff_cookie.h"
#include "web/url.h"

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

	return staff_cookie_value(r, value, sizeof(value)) &&
	    session_decode(r->app->cfg->staff_secret, value, (time_t)r->now, out) == RD_OK;
}

bool
staff_cookie_value(struct req *r, char *out, size_t cap)
{
	return cookie_get(r->cookie, cookie_name(r, NULL, 0), out, cap);
}

void
staff_cookie_clear(struct req *r)
{
	set_cookie(r, "", 0);
}
