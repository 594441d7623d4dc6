/* staff.h: staff accounts (argon2id passwords) and their sessions. The
 * cookie ("rds") carries a signed session id and login under a key of its
 * own; every staff request reloads the account, so a removed or changed
 * account takes effect at once. */
#ifndef RD_STAFF_H
#define RD_STAFF_H

#include <stdbool.h>

#include "web/body.h"
#include "web/http.h"

enum staff_role { ROLE_CS, ROLE_MERCHANT, ROLE_ARBITER, ROLE_ADMIN, ROLE__MAX };
extern const char *const staff_role_names[ROLE__MAX];
extern const char *const staff_role_labels[ROLE__MAX];

struct staff {
	long long id;
	const char *login;
	enum staff_role role;
	const char *merchant_id;       /* merchants only see their own orders */
	long long gen;                 /* session generation: its cookies' key */
	char sid[33];
	char csrf[65];
};

#define STAFF_PASSWORD_MIN 12          /* characters */
#define STAFF_PASSWORD_MAX 256         /* bytes: longer is refused, never cut */
#define LOGIN_WINDOW 3600              /* the per-address failure budget's window */
#define LOGIN_ACCOUNT_WINDOW 900       /* an account over its budget waits this out, */
#define LOGIN_LOCKS_WINDOW 86400       /* doubled for each lockout in this window */

/* Why a new password is refused (a message for the operator), or NULL. */
const char *staff_password_problem(const char *pw, size_t len);

/* argon2id hash for storage; RD_ERR_NOMEM when libsodium cannot. */
enum rd_err staff_hash_password(const char *password, char out[128]);
/* Checks login+password; on success fills s (no session yet). Spends the
 * same work on unknown logins, so timing does not tell them apart. */
enum rd_err staff_verify(struct req *r, const char *login, const char *password, struct staff *s);
/* Starts a session for s: sets the cookie. */
enum rd_err staff_login(struct req *r, struct staff *s);
/* Ends every session of s (its generation moves on) and clears the cookie. */
enum rd_err staff_logout(struct req *r, const struct staff *s);
/* A new staff-signed cookie for login (scope "staff", signed for generation
 * gen) or the login form (scope "login", gen 0); out gets the session,
 * whose sid binds the CSRF token. */
enum rd_err staff_cookie_start(struct req *r, const char *login, const char *scope, long ttl,
    long long gen, struct session *out);
/* The login form's cookie, verified; false when absent, tampered or expired. */
bool staff_cookie_read(struct req *r, struct session *out);
/* The signed-in staff member, or false after writing a 303 to the login page. */
bool staff_require(struct req *r, struct staff *s);
/* A staff POST: signed in, body read (by the gate), CSRF checked; false after writing the
 * response (login redirect, error page or 403). */
bool staff_post(struct req *r, struct staff *s);

#endif
