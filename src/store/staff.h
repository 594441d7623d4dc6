/* staff.h: staff accounts: their roles and the rows behind them. Passwords
 * are base/password.h, the cookie web/staff_cookie.h, and signing in and
 * out pages/staff_auth.h. */
#ifndef RD_STAFF_H
#define RD_STAFF_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

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

#define LOGIN_WINDOW 3600              /* the per-address failure budget's window */
#define LOGIN_ACCOUNT_WINDOW 900       /* an account over its budget waits this out, */
#define LOGIN_LOCKS_WINDOW 86400       /* doubled for each lockout in this window */

/* The account named login into s (strings in arena a); *pwhash gets its
 * stored hash when pwhash is not NULL. RD_ERR_NOTFOUND when there is none
 * (or its role is one this build does not know). */
enum rd_err staff_load(struct db *db, struct arena *a, const char *login, struct staff *s,
    const char **pwhash);
/* Moves the account's session generation on: every cookie it had fails. */
enum rd_err staff_gen_bump(struct db *db, long long id);

#endif
