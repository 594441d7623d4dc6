/* view_desk_login.h: GET/POST /desk/login: the staff sign-in form. */
#ifndef RD_VIEW_DESK_LOGIN_H
#define RD_VIEW_DESK_LOGIN_H

#include "web/http.h"

struct view_desk_login {
	const char *csrf;              /* bound to the pre-login cookie */
	const char *banner;            /* why the last attempt failed, or NULL */
};

void view_desk_login(struct req *r, const struct view_desk_login *v);

#endif
