/* view_desk_activity.h: GET /desk/activity: the staff activity log for
 * admins, with its account filter and pages. */
#ifndef RD_VIEW_DESK_ACTIVITY_H
#define RD_VIEW_DESK_ACTIVITY_H

#include "store/staff.h"
#include "store/staff_activity.h"
#include "web/http.h"

struct view_desk_activity {
	const struct staff *st;
	const struct staff_activity *log;  /* this page's rows */
	const char *staff;                 /* the account filter, "" all */
	long long page;                    /* 1-based */
	const char *const *logins;         /* the accounts the filter offers */
	size_t nlogins;
	const char *const *qerr;           /* activity_query's messages (a refused value) */
};

void view_desk_activity(struct req *r, const struct view_desk_activity *v);

#endif
