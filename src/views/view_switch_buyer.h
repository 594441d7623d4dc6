/* view_switch_buyer.h: GET /refund/start in a browser signed in as another
 * buyer: asks before the link's buyer takes over (POST /refund/start). */
#ifndef RD_VIEW_SWITCH_BUYER_H
#define RD_VIEW_SWITCH_BUYER_H

#include "web/http.h"

struct view_switch_buyer {
	const char *current_buyer;     /* who this browser is signed in as */
	/* The link, checked but not spent, carried in hidden fields. */
	const char *order, *buyer, *ts, *sig;
	const char *csrf;              /* of the current session */
};

void view_switch_buyer(struct req *r, const struct view_switch_buyer *v);

#endif
