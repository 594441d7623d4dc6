/* h_desk_activity.c: GET /desk/activity: the staff activity log (who
 * decided what, when, from which address), newest first, a page at a time,
 * one account's rows with ?staff=LOGIN. Admins only: any other role gets a
 * 403 page. views/view_desk_activity.c shows it. */
#include <stdlib.h>

#include "pages/fields.h"
#include "pages/handlers.h"
#include "pages/staff_auth.h"
#include "store/staff_activity.h"
#include "views/view_desk_activity.h"
#include "web/html.h"

void
h_desk_activity(struct req *r)
{
	struct staff st;
	struct staff_activity log;
	const char *logins[STAFF_LOGINS_MAX];
	size_t nlogins;
	enum rd_err e;

	if (!staff_require(r, &st))
		return;
	if (st.role != ROLE_ADMIN) {
		html_error_page(r, 403, N_("没有权限"), N_("只有管理员可以查看工作人员操作记录。"));
		return;
	}
	/* A bad value counts as absent, its message above the log (as the queue). */
	const char *who = r->q.v[AF_STAFF] != NULL ? r->q.v[AF_STAFF] : "";
	long long page = r->q.v[AF_PAGE] != NULL ? atoll(r->q.v[AF_PAGE]) : 1;
	if (page < 1)
		page = 1;
	if ((e = staff_activity_load(r->app->db, r->a, who, STAFF_ACTIVITY_PAGE, (page - 1) * STAFF_ACTIVITY_PAGE,
	    &log)) != RD_OK ||
	    (e = staff_logins_load(r->app->db, r->a, logins, STAFF_LOGINS_MAX, &nlogins)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	struct view_desk_activity v = { .st = &st, .log = &log, .staff = who, .page = page,
		.logins = logins, .nlogins = nlogins, .qerr = r->q.err };
	view_desk_activity(r, &v);
}
