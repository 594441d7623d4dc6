/* staff_auth.h: signing staff in and out, and the guard of every desk
 * page: every staff request reloads the account, so a removed or changed
 * account takes effect at once. */
#ifndef RD_STAFF_AUTH_H
#define RD_STAFF_AUTH_H

#include <stdbool.h>

#include "store/staff.h"
#include "web/body.h"
#include "web/http.h"
#include "web/staff_cookie.h"

/* Checks login+password; on success fills s (no session yet). Spends the
 * same work on unknown logins, so timing does not tell them apart. */
enum rd_err staff_verify(struct req *r, const char *login, const char *password, struct staff *s);
/* Starts a session for s: sets the cookie. */
enum rd_err staff_login(struct req *r, struct staff *s);
/* Ends every session of s (its generation moves on) and clears the cookie. */
enum rd_err staff_logout(struct req *r, const struct staff *s);
/* The signed-in staff member, or false after writing a 303 to the login page. */
bool staff_require(struct req *r, struct staff *s);
/* A staff POST: signed in, body read, CSRF checked; false after writing the
 * response (login redirect, error page or 403). */
bool staff_post(struct req *r, struct staff *s);

#endif
