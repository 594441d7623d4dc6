/* staff_cookie.h: the desk's cookie ("rds"): a signed session under a key
 * of its own (staff_secret, per account generation), Path=MOUNT/desk. The
 * one writer and reader of it. */
#ifndef RD_STAFF_COOKIE_H
#define RD_STAFF_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

#include "web/http.h"
#include "web/sign.h"

/* A new staff-signed cookie for login (scope "staff", signed for generation
 * gen) or the login form (scope "login", gen 0); out gets the session,
 * whose sid binds the CSRF token. */
enum rd_err staff_cookie_start(struct req *r, const char *login, const char *scope, long ttl,
    long long gen, struct session *out);
/* The login form's cookie, verified; false when absent, tampered or expired. */
bool staff_cookie_read(struct req *r, struct session *out);
/* The raw cookie value (to peek at its login before its key is known);
 * false when absent. */
bool staff_cookie_value(struct req *r, char *out, size_t cap);
/* Clears the cookie in the browser. */
void staff_cookie_clear(struct req *r);

#endif
