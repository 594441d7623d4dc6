/* view_desk_queue.h: GET /desk: the requests waiting on people, soonest
 * deadline first, and for admins the security panel. */
#ifndef RD_VIEW_DESK_QUEUE_H
#define RD_VIEW_DESK_QUEUE_H

#include <stdbool.h>

#include "store/desk_reads.h"
#include "store/staff.h"
#include "web/http.h"

struct view_desk_queue {
	const struct staff *st;
	const struct desk_queue *q;
	const bool *shown;             /* per row of q: this role decides it */
	size_t nshown;
	/* Admins only: accounts locked by failed logins (n 0 when none or unread). */
	const struct login_lock *locks;
	size_t nlocks;
};

void view_desk_queue(struct req *r, const struct view_desk_queue *v);

#endif
